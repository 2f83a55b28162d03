async fn rates(client: &reqwest::Client) -> Result<String, reqwest::Error> {
    // reqwest::get(url) has no timeout
    client.get("https://api.mycompany.com/rates").send().await?.text().await
}
fn build() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}
