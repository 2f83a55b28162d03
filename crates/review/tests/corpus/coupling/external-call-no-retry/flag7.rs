async fn notify(client: &reqwest::Client, order: &Order) -> reqwest::Result<()> {
    client
        .post(&settings.hook_url)
        .json(order)
        .send()
        .await?;
    Ok(())
}
