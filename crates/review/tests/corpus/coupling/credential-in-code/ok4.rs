let api_key = std::env::var("ANTHROPIC_API_KEY")?;
let key_name: &str = "ANTHROPIC_API_KEY";
