async fn notify(client: &reqwest::Client, order: &Order) -> Result<(), Error> {
    backoff::future::retry(ExponentialBackoff::default(), || async {
        client.post(&settings.hook_url).json(order).send().await?;
        Ok(())
    })
    .await
}
async fn read(client: &reqwest::Client) -> reqwest::Result<String> {
    client.get(&settings.hook_url).send().await?.text().await
}
