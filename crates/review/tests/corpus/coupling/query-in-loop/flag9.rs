async fn load(pool: &PgPool, ids: &[i64]) -> Result<Vec<User>, sqlx::Error> {
    let mut users = Vec::new();
    for id in ids {
        let user = sqlx::query_as::<_, User>("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
        users.push(user);
    }
    Ok(users)
}
