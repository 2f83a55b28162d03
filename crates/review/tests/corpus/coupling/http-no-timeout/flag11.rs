async fn rates() -> Result<String, reqwest::Error> {
    reqwest::get("https://api.mycompany.com/rates").await?.text().await
}
