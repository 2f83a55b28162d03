//! The OpenAI chat-completions protocol, as OpenAI, Ollama, vLLM and
//! llama.cpp's server speak it: `POST {base}/chat/completions` with a
//! bearer key, `stream: true`, and server-sent events of `data: {chunk}`
//! ending with `data: [DONE]`. Servers that ignore `stream` and answer with
//! one JSON object are read too.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::error::LlmError;
use crate::{Backend, BoxFuture, ChatRequest, ChatResponse, Usage};

/// The most text accepted from one answer: a model looping on garbage
/// stops here.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// The most of an error body read.
const MAX_ERROR_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct OpenAiConfig {
    /// Up to and including the version: `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    pub api_key: Option<String>,
    pub model: String,
    pub connect_timeout: Duration,
    /// From sending the request to the first streamed chunk.
    pub first_token_timeout: Duration,
    /// The longest silence between two chunks.
    pub idle_timeout: Duration,
    /// The whole answer, every attempt included.
    pub total_timeout: Duration,
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl OpenAiConfig {
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        OpenAiConfig {
            base_url: base_url.into(),
            api_key: None,
            model: model.into(),
            connect_timeout: Duration::from_secs(5),
            first_token_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(300),
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
        }
    }
}

// The key never reaches a log.
impl std::fmt::Debug for OpenAiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

pub struct OpenAiCompatible {
    config: OpenAiConfig,
    client: reqwest::Client,
    endpoint: String,
}

/// How one attempt ended when it did not answer.
enum Failed {
    /// Worth another attempt, after `after` if the server said so.
    Retry {
        error: LlmError,
        after: Option<Duration>,
    },
    Fatal(LlmError),
}

impl OpenAiCompatible {
    pub fn new(config: OpenAiConfig) -> Result<Self, LlmError> {
        let base = config.base_url.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(LlmError::Config(format!(
                "base URL {base:?} must start with http:// or https://"
            )));
        }
        if config.model.trim().is_empty() {
            return Err(LlmError::Config("no model named".into()));
        }
        if config.max_attempts == 0 {
            return Err(LlmError::Config("max_attempts must be at least 1".into()));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| LlmError::Config(format!("HTTP client: {e}")))?;
        Ok(OpenAiCompatible {
            endpoint: format!("{base}/chat/completions"),
            config,
            client,
        })
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": self.config.model,
            "messages": request.messages,
            "stream": true,
            "stream_options": { "include_usage": true },
        });
        if let Some(n) = request.max_tokens {
            body["max_tokens"] = json!(n);
        }
        if let Some(t) = request.temperature {
            body["temperature"] = json!(t);
        }
        if !request.stop.is_empty() {
            body["stop"] = json!(request.stop);
        }
        body
    }

    async fn run(
        &self,
        request: &ChatRequest,
        on_token: &mut (dyn FnMut(&str) + Send),
    ) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let body = self.body(request);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = match tokio::time::timeout(
                self.config.total_timeout.saturating_sub(started.elapsed()),
                self.attempt(&body, on_token, started),
            )
            .await
            {
                Ok(outcome) => outcome,
                Err(_) => Err(Failed::Fatal(
                    self.timeout("the whole answer", self.config.total_timeout),
                )),
            };
            match outcome {
                Ok(mut response) => {
                    response.attempts = attempt;
                    response.prompt_chars = request.prompt_chars();
                    response.latency_ms = millis(started.elapsed());
                    return Ok(response);
                }
                Err(Failed::Fatal(error)) => return Err(error),
                Err(Failed::Retry { error, after }) => {
                    if attempt >= self.config.max_attempts {
                        return Err(match error {
                            timeout @ LlmError::Timeout { .. } => timeout,
                            // A transport failure already carries its reason.
                            LlmError::Unavailable { last, .. } => LlmError::Unavailable {
                                endpoint: self.endpoint.clone(),
                                attempts: attempt,
                                last,
                            },
                            other => LlmError::Unavailable {
                                endpoint: self.endpoint.clone(),
                                attempts: attempt,
                                last: other.to_string(),
                            },
                        });
                    }
                    let backoff = self
                        .config
                        .initial_backoff
                        .saturating_mul(1 << (attempt - 1).min(16))
                        .min(self.config.max_backoff);
                    let wait = after.unwrap_or(backoff).min(self.config.max_backoff);
                    if started.elapsed() + wait >= self.config.total_timeout {
                        return Err(self.timeout("the whole answer", self.config.total_timeout));
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn attempt(
        &self,
        body: &Value,
        on_token: &mut (dyn FnMut(&str) + Send),
        started: Instant,
    ) -> Result<ChatResponse, Failed> {
        let mut builder = self
            .client
            .post(&self.endpoint)
            .header(
                reqwest::header::ACCEPT,
                "text/event-stream, application/json",
            )
            .json(body);
        if let Some(key) = &self.config.api_key {
            builder = builder.bearer_auth(key);
        }
        let sent = Instant::now();
        let response =
            match tokio::time::timeout(self.config.first_token_timeout, builder.send()).await {
                Err(_) => {
                    return Err(Failed::Retry {
                        error: self
                            .timeout("waiting for the response", self.config.first_token_timeout),
                        after: None,
                    })
                }
                Ok(Err(e)) => {
                    return Err(Failed::Retry {
                        error: self.unavailable(format!("request failed: {e}")),
                        after: None,
                    })
                }
                Ok(Ok(response)) => response,
            };
        let status = response.status();
        if !status.is_success() {
            let after = retry_after(response.headers());
            let message = error_message(response).await;
            let error = LlmError::Rejected {
                endpoint: self.endpoint.clone(),
                status: status.as_u16(),
                message,
            };
            let transient = status.as_u16() == 408
                || status.as_u16() == 409
                || status.as_u16() == 429
                || status.is_server_error();
            return Err(if transient {
                Failed::Retry { error, after }
            } else {
                Failed::Fatal(error)
            });
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("application/json") {
            return self.whole(response, on_token, sent).await;
        }
        if !content_type.starts_with("text/event-stream") {
            return Err(Failed::Fatal(self.protocol(format!(
                "Content-Type {content_type:?}, expected text/event-stream"
            ))));
        }
        self.stream(response, on_token, sent, started).await
    }

    /// Read server-sent events until `[DONE]`.
    async fn stream(
        &self,
        response: reqwest::Response,
        on_token: &mut (dyn FnMut(&str) + Send),
        sent: Instant,
        started: Instant,
    ) -> Result<ChatResponse, Failed> {
        let mut answer = Answer::default();
        let mut chunks = response.bytes_stream();
        let mut pending: Vec<u8> = Vec::new();
        let mut done = false;
        while !done {
            let wait = if answer.first_token_ms.is_none() {
                self.config
                    .first_token_timeout
                    .saturating_sub(sent.elapsed())
            } else {
                self.config.idle_timeout
            };
            let next = match tokio::time::timeout(wait, chunks.next()).await {
                Err(_) => {
                    let (stage, limit) = if answer.first_token_ms.is_none() {
                        (
                            "waiting for the first token",
                            self.config.first_token_timeout,
                        )
                    } else {
                        ("silence between tokens", self.config.idle_timeout)
                    };
                    let error = self.timeout(stage, limit);
                    return Err(if answer.text.is_empty() {
                        Failed::Retry { error, after: None }
                    } else {
                        // Tokens already went to the caller: a retry would
                        // repeat them.
                        Failed::Fatal(error)
                    });
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    let error = self.unavailable(format!("stream broke: {e}"));
                    return Err(if answer.text.is_empty() {
                        Failed::Retry { error, after: None }
                    } else {
                        Failed::Fatal(error)
                    });
                }
                Ok(Some(Ok(bytes))) => bytes,
            };
            pending.extend_from_slice(&next);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                let line = String::from_utf8(line).map_err(|_| {
                    Failed::Fatal(self.protocol("an event that is not UTF-8".into()))
                })?;
                let line = line.trim_end_matches(['\r', '\n']);
                let Some(data) = line.strip_prefix("data:") else {
                    // Blank lines end events; `:` comments, `event:`, `id:`
                    // and `retry:` carry nothing for chat.
                    continue;
                };
                let data = data.trim_start();
                if data == "[DONE]" {
                    done = true;
                    break;
                }
                let chunk: Value = serde_json::from_str(data).map_err(|e| {
                    Failed::Fatal(
                        self.protocol(format!("a chunk that is not JSON ({e}): {}", clip(data))),
                    )
                })?;
                if let Some(error) = chunk.get("error") {
                    return Err(Failed::Fatal(self.protocol(format!(
                        "the server reported an error mid-answer: {}",
                        error.get("message").and_then(Value::as_str).unwrap_or("(no message)")
                    ))));
                }
                let delta = answer
                    .take_chunk(&chunk)
                    .map_err(|d| Failed::Fatal(self.protocol(d)))?;
                if !delta.is_empty() {
                    if answer.first_token_ms.is_none() {
                        answer.first_token_ms = Some(millis(started.elapsed()));
                    }
                    on_token(&delta);
                }
                if answer.text.len() > MAX_ANSWER_BYTES {
                    return Err(Failed::Fatal(
                        self.protocol(format!("the answer passed {MAX_ANSWER_BYTES} bytes")),
                    ));
                }
            }
        }
        if !done && answer.finish_reason.is_none() {
            let error =
                self.protocol("the stream ended before the answer finished (no [DONE])".into());
            return Err(if answer.text.is_empty() {
                Failed::Retry { error, after: None }
            } else {
                Failed::Fatal(error)
            });
        }
        Ok(answer.finish(&self.config.model))
    }

    /// A server that answered with one JSON object instead of a stream.
    async fn whole(
        &self,
        response: reqwest::Response,
        on_token: &mut (dyn FnMut(&str) + Send),
        sent: Instant,
    ) -> Result<ChatResponse, Failed> {
        let bytes =
            match tokio::time::timeout(self.config.first_token_timeout, response.bytes()).await {
                Err(_) => {
                    return Err(Failed::Retry {
                        error: self.timeout("reading the answer", self.config.first_token_timeout),
                        after: None,
                    })
                }
                Ok(Err(e)) => {
                    return Err(Failed::Retry {
                        error: self.unavailable(format!("reading the answer: {e}")),
                        after: None,
                    })
                }
                Ok(Ok(bytes)) => bytes,
            };
        if bytes.len() > MAX_ANSWER_BYTES {
            return Err(Failed::Fatal(
                self.protocol(format!("the answer passed {MAX_ANSWER_BYTES} bytes")),
            ));
        }
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Failed::Fatal(self.protocol(format!(
                "not JSON ({e}): {}",
                clip(&String::from_utf8_lossy(&bytes))
            )))
        })?;
        let mut answer = Answer::default();
        let choice = value
            .get("choices")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .ok_or_else(|| Failed::Fatal(self.protocol("no choices".into())))?;
        let text = choice
            .pointer("/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Failed::Fatal(self.protocol("choices[0].message.content is not text".into()))
            })?;
        answer.text = text.to_string();
        answer.finish_reason = choice
            .get("finish_reason")
            .and_then(Value::as_str)
            .map(str::to_string);
        answer.model = value
            .get("model")
            .and_then(Value::as_str)
            .map(str::to_string);
        answer.usage = usage(&value);
        answer.first_token_ms = Some(millis(sent.elapsed()));
        on_token(text);
        Ok(answer.finish(&self.config.model))
    }

    fn timeout(&self, stage: &'static str, limit: Duration) -> LlmError {
        LlmError::Timeout {
            endpoint: self.endpoint.clone(),
            seconds: limit.as_secs(),
            stage,
        }
    }

    fn unavailable(&self, last: String) -> LlmError {
        LlmError::Unavailable {
            endpoint: self.endpoint.clone(),
            attempts: 1,
            last,
        }
    }

    fn protocol(&self, detail: String) -> LlmError {
        LlmError::Protocol {
            endpoint: self.endpoint.clone(),
            detail,
        }
    }
}

impl Backend for OpenAiCompatible {
    fn name(&self) -> String {
        format!("openai-compatible:{}", self.config.model)
    }

    fn chat<'a>(
        &'a self,
        request: &'a ChatRequest,
        on_token: &'a mut (dyn FnMut(&str) + Send),
    ) -> BoxFuture<'a, Result<ChatResponse, LlmError>> {
        Box::pin(self.run(request, on_token))
    }
}

/// An answer being assembled from chunks.
#[derive(Default)]
struct Answer {
    text: String,
    model: Option<String>,
    finish_reason: Option<String>,
    usage: Option<Usage>,
    first_token_ms: Option<u64>,
}

impl Answer {
    /// Take one chunk; returns the text it adds.
    fn take_chunk(&mut self, chunk: &Value) -> Result<String, String> {
        if let Some(model) = chunk.get("model").and_then(Value::as_str) {
            self.model = Some(model.to_string());
        }
        if let Some(u) = usage(chunk) {
            self.usage = Some(u);
        }
        let choices = match chunk.get("choices") {
            None | Some(Value::Null) => return Ok(String::new()),
            Some(Value::Array(c)) => c,
            Some(_) => return Err("choices is not a list".into()),
        };
        let Some(choice) = choices.first() else {
            // The usage-only chunk at the end has no choices.
            return Ok(String::new());
        };
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish_reason = Some(reason.to_string());
        }
        let delta = match choice.pointer("/delta/content") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err("choices[0].delta.content is not text".into()),
        };
        self.text.push_str(&delta);
        Ok(delta)
    }

    fn finish(self, asked: &str) -> ChatResponse {
        ChatResponse {
            text: self.text,
            model: self.model.unwrap_or_else(|| asked.to_string()),
            finish_reason: self.finish_reason,
            usage: self.usage,
            prompt_chars: 0,
            latency_ms: 0,
            first_token_ms: self.first_token_ms,
            attempts: 0,
        }
    }
}

fn usage(value: &Value) -> Option<Usage> {
    let u = value.get("usage")?;
    Some(Usage {
        prompt_tokens: u.get("prompt_tokens")?.as_u64()?,
        completion_tokens: u.get("completion_tokens")?.as_u64()?,
    })
}

/// `Retry-After` in seconds (the HTTP-date form is rare from these servers
/// and falls back to the backoff).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = text.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

/// The `error.message` of an error body, or the body's start.
async fn error_message(response: reqwest::Response) -> String {
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_ERROR_BYTES {
            body.truncate(MAX_ERROR_BYTES);
            break;
        }
    }
    let text = String::from_utf8_lossy(&body);
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| clip(text.trim()).to_string())
}

fn clip(text: &str) -> &str {
    match text.char_indices().nth(200) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
