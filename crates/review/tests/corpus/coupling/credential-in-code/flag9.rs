const API_KEY: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz";
