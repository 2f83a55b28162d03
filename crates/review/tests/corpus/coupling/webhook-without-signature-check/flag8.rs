#[post("/webhooks/github")]
async fn github_hook(body: web::Bytes) -> HttpResponse {
    let event: Event = serde_json::from_slice(&body).unwrap_or_default();
    process(event).await;
    HttpResponse::Ok().finish()
}
