//! Model backends for drafting replies. [`Backend`] is what the responder
//! calls; [`OpenAiCompatible`] speaks the chat-completions API that OpenAI,
//! Ollama, vLLM and llama.cpp's server share, streaming, with timeouts and
//! retries; [`Embedded`] runs a small GGUF model in-process on the CPU, the
//! offline default. Every answer carries what a draft records: model, latency
//! (total and to the first token), prompt size and attempts.
//!
//! No knowledge of mail or of fcto's store: text in, text out.

mod embedded;
mod error;
mod openai;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

pub use embedded::{Embedded, EmbeddedConfig, DEFAULT_MODEL_FILE};
pub use error::LlmError;
pub use openai::{OpenAiCompatible, OpenAiConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::System,
            content: content.into(),
        }
    }
    pub fn user(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::User,
            content: content.into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChatRequest {
    pub messages: Vec<ChatMessage>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f32>,
    pub stop: Vec<String>,
}

impl ChatRequest {
    /// Characters of prompt: the size a draft records when the backend
    /// reports no token counts.
    pub fn prompt_chars(&self) -> usize {
        self.messages
            .iter()
            .map(|m| m.content.chars().count())
            .sum()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A finished answer and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatResponse {
    pub text: String,
    /// The model the server says answered (it may differ from the one asked).
    pub model: String,
    pub finish_reason: Option<String>,
    pub usage: Option<Usage>,
    pub prompt_chars: usize,
    pub latency_ms: u64,
    pub first_token_ms: Option<u64>,
    /// 1 when the first try answered.
    pub attempts: u32,
}

/// A boxed future, so backends can be chosen at run time (`dyn Backend`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that answers a chat. `on_token` sees the text as it streams.
pub trait Backend: Send + Sync {
    /// A name for logs and the draft record ("openai-compatible:<model>").
    fn name(&self) -> String;

    fn chat<'a>(
        &'a self,
        request: &'a ChatRequest,
        on_token: &'a mut (dyn FnMut(&str) + Send),
    ) -> BoxFuture<'a, Result<ChatResponse, LlmError>>;
}
