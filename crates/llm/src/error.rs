use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum LlmError {
    /// The server refused the request for a reason retrying will not fix
    /// (a bad key, an unknown model, a prompt too long).
    #[error("{endpoint}: HTTP {status}: {message}")]
    Rejected {
        endpoint: String,
        status: u16,
        message: String,
    },
    /// Still failing after every retry (overloaded, rate limited, down).
    #[error("{endpoint}: gave up after {attempts} attempts: {last}")]
    Unavailable {
        endpoint: String,
        attempts: u32,
        last: String,
    },
    #[error("{endpoint}: no answer within {seconds} s ({stage})")]
    Timeout {
        endpoint: String,
        seconds: u64,
        stage: &'static str,
    },
    /// The answer does not follow the chat-completions protocol.
    #[error("{endpoint}: not a chat-completions answer: {detail}")]
    Protocol { endpoint: String, detail: String },
    #[error("invalid model settings: {0}")]
    Config(String),
    /// The local model file cannot be used: missing, not GGUF, cut short,
    /// without a tokenizer, of an architecture this build cannot run, or
    /// failing while it generates. Names the file, so the fix is obvious.
    #[error("model {}: {detail}", path.display())]
    Model { path: PathBuf, detail: String },
    /// The prompt does not fit the model's context even after the oldest
    /// non-system text was dropped (the system messages alone are too long).
    #[error("{model}: the prompt needs {tokens} tokens, the context leaves room for {limit}")]
    PromptTooLong {
        model: String,
        tokens: usize,
        limit: usize,
    },
}

impl LlmError {
    /// Whether another attempt may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            LlmError::Unavailable { .. } | LlmError::Timeout { .. }
        )
    }
}
