async fn apply(conn: &mut SqliteConnection, rows: &[Row]) -> Result<(), sqlx::Error> {
    for _ in 0..5 {
        if sqlx::query("INSERT INTO t (x) VALUES (1)").execute(&mut *conn).await.is_ok() {
            break;
        }
    }
    for chunk in rows.chunks(500) {
        let mut sql = String::from("INSERT INTO t (x) VALUES ");
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}
