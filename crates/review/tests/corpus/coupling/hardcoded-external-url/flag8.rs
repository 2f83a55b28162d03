const BASE: &str = "https://api.openai.com/v1/chat/completions";
