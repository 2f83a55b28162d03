//! A model that runs in-process on the CPU: a GGUF llama-architecture
//! instruct model (SmolLM2-135M-Instruct by default) through candle, so
//! drafting works offline with nothing to install or run beside fcto.
//!
//! Loading reads the weights once (a few hundred milliseconds); an
//! [`Embedded`] is then cheap to share for many drafts. Generation is
//! CPU-bound, so it runs on a blocking thread and streams text back over a
//! channel; the weights sit behind a mutex, so concurrent drafts queue
//! instead of racing over the model's key-value cache.

mod dequantize;
mod generate;
mod gguf;
mod pretokenize;
mod prompt;
mod stops;
mod tokenizer;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use candle_core::Device;
use candle_transformers::models::quantized_llama::{ModelWeights, MAX_SEQ_LEN};
use tokio::sync::mpsc;

use crate::error::LlmError;
use crate::{Backend, BoxFuture, ChatRequest, ChatResponse, Usage};
use generate::{Generated, Halt, Job};
use prompt::Markers;
use tokenizer::Tokenizer;

/// The default model's file name, as scripts/fetch-model places it.
pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// Pieces of text in flight between the generating thread and the caller;
/// a slow reader pauses generation rather than buffering without bound.
const CHANNEL_PIECES: usize = 64;
/// A context shorter than this leaves no room for a prompt and an answer.
const MIN_CONTEXT: usize = 64;

#[derive(Debug, Clone)]
pub struct EmbeddedConfig {
    pub model_path: PathBuf,
    /// The sampling seed: the same request and seed give the same draft.
    pub seed: u64,
    /// Threads for the arithmetic; None: one per core.
    pub threads: Option<usize>,
    /// When the request names none.
    pub max_tokens: u32,
    /// The whole answer, waiting for another draft to finish included.
    pub total_timeout: Duration,
    /// 1.0 is none; a little above it keeps a small model from looping.
    pub repeat_penalty: f32,
    /// A cap on prompt and answer tokens below the model's own context
    /// (reading a prompt takes time in proportion to its length, and more).
    pub max_context: Option<usize>,
    /// Expand the 4-bit weights to f32 when loading. candle's quantized
    /// kernels use SIMD only when fcto is compiled for AVX2 (or NEON); a
    /// generic x86-64 build runs them scalar, and there f32 weights with
    /// the runtime-dispatched SIMD matrix code read a prompt about 10 times
    /// and generate about 2 times faster, for about 4.5 times the memory
    /// (about 600 MB instead of 100 for SmolLM2-135M).
    pub dequantize: bool,
}

impl EmbeddedConfig {
    pub fn new(model_path: impl Into<PathBuf>) -> Self {
        EmbeddedConfig {
            model_path: model_path.into(),
            seed: 299_792_458,
            threads: None,
            max_tokens: 256,
            total_timeout: Duration::from_secs(120),
            repeat_penalty: 1.1,
            max_context: None,
            dequantize: !cfg!(any(target_feature = "avx2", target_feature = "neon")),
        }
    }

    /// Where scripts/fetch-model puts the default model:
    /// `$FCTO_MODEL_DIR`, else `$HOME/.cache/fcto/models`. None without HOME.
    pub fn default_model_path() -> Option<PathBuf> {
        let dir = match std::env::var_os("FCTO_MODEL_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache/fcto/models"),
        };
        Some(dir.join(DEFAULT_MODEL_FILE))
    }
}

/// A loaded local model; clones share it.
#[derive(Clone)]
pub struct Embedded {
    inner: Arc<Inner>,
}

struct Inner {
    config: EmbeddedConfig,
    /// The file name: what drafts record as the model.
    file_name: String,
    tokenizer: Tokenizer,
    markers: Markers,
    /// Tokens that end an answer.
    end: Vec<u32>,
    /// Prompt and answer together.
    context: usize,
    model: Mutex<ModelWeights>,
    pool: rayon::ThreadPool,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedded")
            .field("model_path", &self.inner.config.model_path)
            .field("context", &self.inner.context)
            .finish_non_exhaustive()
    }
}

impl Embedded {
    /// Reads the model file. Blocking (disk and a few hundred ms of CPU):
    /// from async code, call it inside `spawn_blocking`.
    pub fn load(config: EmbeddedConfig) -> Result<Embedded, LlmError> {
        if config.max_tokens == 0 {
            return Err(LlmError::Config("max_tokens must be at least 1".into()));
        }
        if config.max_context.is_some_and(|n| n < MIN_CONTEXT) {
            return Err(LlmError::Config(format!(
                "max_context must be at least {MIN_CONTEXT}"
            )));
        }
        if config.threads == Some(0) {
            return Err(LlmError::Config("threads must be at least 1".into()));
        }
        if !(config.repeat_penalty.is_finite() && config.repeat_penalty > 0.0) {
            return Err(LlmError::Config(format!(
                "repeat_penalty must be a positive number, not {}",
                config.repeat_penalty
            )));
        }
        let path = config.model_path.clone();
        let failed = |detail: String| LlmError::Model {
            path: path.clone(),
            detail,
        };
        // candle may still panic on a header it does not expect; that is a
        // bad file, not a reason to take the process down.
        let loaded = std::panic::catch_unwind(AssertUnwindSafe(|| read(&config)))
            .map_err(|_| failed("the model loader failed on this file (damaged?)".into()))?
            .map_err(failed)?;
        let threads = config
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("fcto-llm-{i}"))
            .build()
            .map_err(|e| LlmError::Config(format!("threads: {e}")))?;
        let file_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Embedded {
            inner: Arc::new(Inner {
                config,
                file_name,
                tokenizer: loaded.tokenizer,
                markers: loaded.markers,
                end: loaded.end,
                context: loaded.context,
                model: Mutex::new(loaded.model),
                pool,
            }),
        })
    }

    pub fn config(&self) -> &EmbeddedConfig {
        &self.inner.config
    }

    /// Tokens of prompt and answer together the model can attend to.
    pub fn context_length(&self) -> usize {
        self.inner.context
    }

    async fn run(
        &self,
        request: &ChatRequest,
        on_token: &mut (dyn FnMut(&str) + Send),
    ) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let config = &self.inner.config;
        let max_tokens = request.max_tokens.unwrap_or(config.max_tokens);
        if max_tokens == 0 {
            return Err(LlmError::Config("max_tokens must be at least 1".into()));
        }
        let temperature = match request.temperature {
            Some(t) if !t.is_finite() || t < 0.0 => {
                return Err(LlmError::Config(format!(
                    "temperature must be 0 or more, not {t}"
                )))
            }
            Some(t) if t > 0.0 => Some(f64::from(t)),
            _ => None,
        };
        let deadline = started + config.total_timeout;
        let (sender, mut receiver) = mpsc::channel::<String>(CHANNEL_PIECES);
        let inner = Arc::clone(&self.inner);
        let messages = request.messages.clone();
        let stop = request.stop.clone();
        let worker = tokio::task::spawn_blocking(move || {
            inner.draft(
                &messages,
                &stop,
                max_tokens as usize,
                temperature,
                deadline,
                move |piece| sender.blocking_send(piece).is_ok(),
            )
        });

        let mut first_token_ms = None;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(wait, receiver.recv()).await {
                Ok(Some(piece)) => {
                    first_token_ms.get_or_insert_with(|| millis(started.elapsed()));
                    on_token(&piece);
                }
                // The worker is done and dropped its end.
                Ok(None) => break,
                // Dropping the receiver tells the worker to stop.
                Err(_) => return Err(self.timeout()),
            }
        }
        let drafted = worker.await.map_err(|e| LlmError::Model {
            path: config.model_path.clone(),
            detail: format!("generation failed: {e}"),
        })?;
        let (generated, prompt_tokens) = drafted.map_err(|e| match e {
            Refusal::Halt(Halt::Timeout | Halt::Abandoned) => self.timeout(),
            Refusal::Halt(Halt::Failed(e)) => LlmError::Model {
                path: config.model_path.clone(),
                detail: format!("generation failed: {e}"),
            },
            Refusal::TooLong { tokens, limit } => LlmError::PromptTooLong {
                model: self.name(),
                tokens,
                limit,
            },
        })?;
        Ok(ChatResponse {
            text: generated.text,
            model: self.inner.file_name.clone(),
            finish_reason: Some(generated.finish_reason.to_string()),
            usage: Some(Usage {
                prompt_tokens: prompt_tokens as u64,
                completion_tokens: generated.completion_tokens as u64,
            }),
            prompt_chars: request.prompt_chars(),
            latency_ms: millis(started.elapsed()),
            first_token_ms,
            attempts: 1,
        })
    }

    fn timeout(&self) -> LlmError {
        LlmError::Timeout {
            endpoint: self.name(),
            seconds: self.inner.config.total_timeout.as_secs(),
            stage: "the whole answer",
        }
    }
}

/// Why a draft did not come back as text.
enum Refusal {
    Halt(Halt),
    TooLong { tokens: usize, limit: usize },
}

impl Inner {
    /// One draft, on the blocking thread: waits its turn for the model,
    /// builds the prompt, generates.
    fn draft(
        &self,
        messages: &[crate::ChatMessage],
        stop: &[String],
        max_tokens: usize,
        temperature: Option<f64>,
        deadline: Instant,
        mut emit: impl FnMut(String) -> bool + Send,
    ) -> Result<(Generated, usize), Refusal> {
        // Half the context at most goes to the answer, so a huge max_tokens
        // still leaves room for the email it answers.
        let max_tokens = max_tokens.min(self.context / 2);
        let budget = self.context - max_tokens;
        let prompt =
            prompt::build(&self.tokenizer, &self.markers, messages, budget).map_err(|tokens| {
                Refusal::TooLong {
                    tokens,
                    limit: budget,
                }
            })?;
        // A panic while generating leaves nothing half-done that matters:
        // the next draft starts at position 0, which resets the cache.
        let mut guard = self
            .model
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let model: &mut ModelWeights = &mut guard;
        let job = Job {
            prompt: &prompt,
            max_tokens,
            temperature,
            stop,
            seed: self.config.seed,
            repeat_penalty: self.config.repeat_penalty,
            deadline,
            end: &self.end,
        };
        let generated = self
            .pool
            .install(|| generate::run(model, &self.tokenizer, job, &mut emit))
            .map_err(Refusal::Halt)?;
        Ok((generated, prompt.len()))
    }
}

/// What loading produces before the thread pool and mutex are added.
struct Loaded {
    model: ModelWeights,
    tokenizer: Tokenizer,
    markers: Markers,
    end: Vec<u32>,
    context: usize,
}

fn read(config: &EmbeddedConfig) -> Result<Loaded, String> {
    let gguf::Gguf { header, mut reader } = gguf::open(&config.model_path)?;
    let content = &header;
    match gguf::string(content, "general.architecture") {
        Some("llama") => {}
        Some(other) => {
            return Err(format!(
                "architecture {other:?} is not supported (this build runs llama-architecture \
                 models such as SmolLM2, TinyLlama or Llama)"
            ))
        }
        None => return Err("no general.architecture in the header".into()),
    }
    let tokenizer = Tokenizer::from_gguf(&content.metadata)?;
    let marker = |name: &str| {
        tokenizer
            .special(name)
            .ok_or_else(|| format!("the vocabulary has no {name} token (not a ChatML model)"))
    };
    let markers = Markers {
        start: marker("<|im_start|>")?,
        end: marker("<|im_end|>")?,
    };
    // SmolLM2 ends a turn with <|im_end|>; a model that ends with its
    // end-of-text token instead stops there too.
    let mut end = vec![markers.end, tokenizer.eos];
    end.extend(tokenizer.special("<|endoftext|>"));
    end.sort_unstable();
    end.dedup();
    // candle precomputes rotary positions up to MAX_SEQ_LEN.
    let context = gguf::count(content, "llama.context_length")
        .map_or(2048, |n| usize::try_from(n).unwrap_or(usize::MAX))
        .min(MAX_SEQ_LEN)
        .min(config.max_context.unwrap_or(usize::MAX));
    if context < MIN_CONTEXT {
        return Err(format!("llama.context_length {context} is too small"));
    }
    let weights = |e: candle_core::Error| format!("cannot load the weights: {e}");
    let model = if config.dequantize {
        let (header, mut memory) = dequantize::to_f32(header, &mut reader).map_err(weights)?;
        ModelWeights::from_gguf(header, &mut memory, &Device::Cpu)
    } else {
        ModelWeights::from_gguf(header, &mut reader, &Device::Cpu)
    }
    .map_err(weights)?;
    Ok(Loaded {
        model,
        tokenizer,
        markers,
        end,
        context,
    })
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Backend for Embedded {
    /// `embedded:<file name>`.
    fn name(&self) -> String {
        format!("embedded:{}", self.inner.file_name)
    }

    fn chat<'a>(
        &'a self,
        request: &'a ChatRequest,
        on_token: &'a mut (dyn FnMut(&str) + Send),
    ) -> BoxFuture<'a, Result<ChatResponse, LlmError>> {
        Box::pin(self.run(request, on_token))
    }
}
