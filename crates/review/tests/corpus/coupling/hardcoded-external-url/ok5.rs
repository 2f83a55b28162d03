/// Calls https://api.openai.com via the configured base.
fn base() -> String { std::env::var("OPENAI_BASE_URL").unwrap_or_default() }
const LOCAL: &str = "http://0.0.0.0:8080";
