// fcto-corpus-path: src/routes/orders.rs
async fn list(pool: web::Data<PgPool>) -> HttpResponse {
    let rows = sqlx::query_as::<_, Order>(r#"SELECT id, total FROM orders"#)
        .fetch_all(pool.get_ref())
        .await;
    HttpResponse::Ok().json(rows.unwrap_or_default())
}
