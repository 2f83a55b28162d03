//! The embedded model. With the real SmolLM2 file (`FCTO_TEST_MODEL`, else
//! where scripts/fetch-model puts it): it loads, answers a short chat while
//! streaming, is reproducible, and stops at max_tokens, stop strings and the
//! deadline. Without it those tests say they were skipped. Bad files
//! (missing, not GGUF, cut short, no tokenizer, another architecture) are
//! made here and need no model.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use candle_core::quantized::gguf_file::{self, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use fcto_llm::{
    Backend, ChatMessage, ChatRequest, ChatResponse, Embedded, EmbeddedConfig, LlmError,
};

const GREETING: &str = "Reply with a one-sentence greeting to Anna who asked about opening hours.";

fn model_path() -> Option<PathBuf> {
    let path = std::env::var_os("FCTO_TEST_MODEL")
        .map(PathBuf::from)
        .or_else(EmbeddedConfig::default_model_path)?;
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: no model at {}, run scripts/fetch-model",
            path.display()
        );
        None
    }
}

/// The real model, loaded once for all tests.
fn model() -> Option<&'static Embedded> {
    static MODEL: OnceLock<Option<Embedded>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let path = model_path()?;
            let started = Instant::now();
            let mut config = EmbeddedConfig::new(path);
            // FCTO_TEST_DEQUANTIZE=0 or 1 measures the other weight format.
            if let Ok(v) = std::env::var("FCTO_TEST_DEQUANTIZE") {
                config.dequantize = v != "0";
            }
            let model = Embedded::load(config).expect("the model loads");
            eprintln!(
                "load: {} ms, context {} tokens",
                started.elapsed().as_millis(),
                model.context_length()
            );
            Some(model)
        })
        .as_ref()
}

fn greeting(max_tokens: Option<u32>) -> ChatRequest {
    ChatRequest {
        messages: vec![
            ChatMessage::system("You are the friendly owner of a small restaurant."),
            ChatMessage::user(GREETING),
        ],
        max_tokens,
        temperature: None,
        stop: vec![],
    }
}

/// Answers `request`, checking the streamed pieces add up to the text.
async fn ask(model: &Embedded, request: &ChatRequest) -> ChatResponse {
    let mut pieces = Vec::new();
    let response = model
        .chat(request, &mut |piece: &str| pieces.push(piece.to_string()))
        .await
        .expect("an answer");
    assert_eq!(pieces.concat(), response.text);
    assert!(pieces.iter().all(|p| !p.is_empty()));
    response
}

#[tokio::test]
async fn answers_a_short_chat_while_streaming() {
    let Some(model) = model() else { return };
    assert_eq!(
        model.name(),
        "embedded:SmolLM2-135M-Instruct.Q4_1.gguf".to_string()
    );
    let request = greeting(Some(64));
    let response = ask(model, &request).await;
    eprintln!("answer: {:?}", response.text);
    assert!(!response.text.trim().is_empty());
    assert_eq!(response.model, "SmolLM2-135M-Instruct.Q4_1.gguf");
    assert_eq!(response.attempts, 1);
    assert_eq!(response.prompt_chars, request.prompt_chars());
    let usage = response.usage.expect("token counts");
    assert!(usage.prompt_tokens > 20, "{usage:?}");
    assert!(usage.completion_tokens >= 1 && usage.completion_tokens <= 64);
    let finish = response.finish_reason.as_deref();
    assert!(
        finish == Some("stop") || finish == Some("length"),
        "{finish:?}"
    );
    let first = response.first_token_ms.expect("a first token");
    assert!(first <= response.latency_ms);
    let decoding = (response.latency_ms - first).max(1) as f64 / 1000.0;
    eprintln!(
        "prompt {} tokens, first token {} ms; {} tokens in {} ms: {:.1} tokens/s after the first",
        usage.prompt_tokens,
        first,
        usage.completion_tokens,
        response.latency_ms,
        usage.completion_tokens.saturating_sub(1) as f64 / decoding
    );
}

#[tokio::test]
async fn greedy_with_one_seed_is_reproducible() {
    let Some(model) = model() else { return };
    let request = greeting(Some(16));
    let a = ask(model, &request).await;
    let b = ask(model, &request).await;
    assert_eq!(a.text, b.text);
    assert_eq!(a.usage, b.usage);
}

#[tokio::test]
async fn max_tokens_ends_with_length() {
    let Some(model) = model() else { return };
    let response = ask(model, &greeting(Some(5))).await;
    let usage = response.usage.expect("token counts");
    assert!(usage.completion_tokens <= 5, "{usage:?}");
    assert_eq!(response.finish_reason.as_deref(), Some("length"));
}

#[tokio::test]
async fn a_stop_string_ends_the_answer_before_it() {
    let Some(model) = model() else { return };
    let full = ask(model, &greeting(Some(24))).await.text;
    // A word from the middle of the greedy answer: the same answer again
    // must end right before it.
    let words: Vec<&str> = full.split_whitespace().collect();
    let Some(word) = words.get(words.len() / 2).filter(|_| words.len() >= 3) else {
        panic!("answer too short to pick a stop word: {full:?}");
    };
    let at = full.find(word).expect("the word is in the answer");
    let mut request = greeting(Some(24));
    request.stop = vec![word.to_string()];
    let stopped = ask(model, &request).await;
    assert_eq!(stopped.text, full[..at]);
    assert_eq!(stopped.finish_reason.as_deref(), Some("stop"));
}

#[tokio::test]
async fn concurrent_drafts_queue_and_both_answer() {
    let Some(model) = model() else { return };
    let request = greeting(Some(8));
    let (a, b) = tokio::join!(ask(model, &request), ask(model, &request));
    assert_eq!(a.text, b.text);
}

#[tokio::test]
async fn the_deadline_stops_generation() {
    let Some(path) = model_path() else { return };
    let mut config = EmbeddedConfig::new(path);
    config.total_timeout = Duration::from_millis(1);
    let model = Embedded::load(config).expect("the model loads");
    let started = Instant::now();
    let err = model
        .chat(&greeting(Some(200)), &mut |_: &str| {})
        .await
        .unwrap_err();
    assert!(matches!(err, LlmError::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_long_email_is_cut_to_fit_the_context() {
    let Some(path) = model_path() else { return };
    let mut config = EmbeddedConfig::new(path);
    // A small context, so the test reads a short prompt.
    config.max_context = Some(256);
    let model = Embedded::load(config).expect("the model loads");
    assert_eq!(model.context_length(), 256);
    let email = format!(
        "{}\nWhat time do you open on Sunday?",
        "We loved the soup and the view over the harbour. ".repeat(100)
    );
    let request = ChatRequest {
        messages: vec![ChatMessage::system("Be brief."), ChatMessage::user(email)],
        max_tokens: Some(4),
        ..ChatRequest::default()
    };
    let response = ask(&model, &request).await;
    let usage = response.usage.expect("token counts");
    assert_eq!(usage.prompt_tokens, 256 - 4, "{usage:?}");

    let huge_system = ChatRequest {
        messages: vec![ChatMessage::system("Be brief. ".repeat(200))],
        max_tokens: Some(4),
        ..ChatRequest::default()
    };
    let err = model
        .chat(&huge_system, &mut |_: &str| {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, LlmError::PromptTooLong { limit: 252, .. }),
        "{err}"
    );
}

// Bad files: each a clear error naming the file.

fn model_error(path: &Path) -> String {
    match Embedded::load(EmbeddedConfig::new(path)) {
        Err(LlmError::Model {
            path: named,
            detail,
        }) => {
            assert_eq!(named, path);
            let shown = LlmError::Model {
                path: named,
                detail: detail.clone(),
            }
            .to_string();
            assert!(shown.contains(&path.display().to_string()), "{shown}");
            detail
        }
        Err(other) => panic!("expected a model error, got {other}"),
        Ok(_) => panic!("{} loaded", path.display()),
    }
}

/// A tiny GGUF with the given metadata and one small tensor.
fn write_gguf(path: &Path, metadata: &[(&str, Value)]) {
    let tensor = Tensor::zeros((64, 64), candle_core::DType::F32, &Device::Cpu).unwrap();
    let tensor = QTensor::quantize(&tensor, GgmlDType::F32).unwrap();
    let metadata: Vec<(&str, &Value)> = metadata.iter().map(|(k, v)| (*k, v)).collect();
    let mut file = std::fs::File::create(path).unwrap();
    gguf_file::write(&mut file, &metadata, &[("token_embd.weight", &tensor)]).unwrap();
}

fn tokenizer_metadata() -> Vec<(&'static str, Value)> {
    let tokens: Vec<Value> = ["<|endoftext|>", "a", "b"]
        .iter()
        .map(|t| Value::String(t.to_string()))
        .collect();
    vec![
        ("tokenizer.ggml.model", Value::String("gpt2".into())),
        ("tokenizer.ggml.tokens", Value::Array(tokens)),
        ("tokenizer.ggml.merges", Value::Array(vec![])),
        ("tokenizer.ggml.eos_token_id", Value::U32(0)),
    ]
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let detail = model_error(&dir.path().join("nope.gguf"));
    assert!(detail.contains("no such file"), "{detail}");
    assert!(detail.contains("scripts/fetch-model"), "{detail}");
}

#[test]
fn a_file_that_is_not_gguf_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.gguf");
    std::fs::write(&path, "<html>404 Not Found</html>").unwrap();
    let detail = model_error(&path);
    assert!(detail.contains("not a GGUF"), "{detail}");
    std::fs::write(&path, "GG").unwrap();
    assert!(model_error(&path).contains("not a GGUF"));
}

#[test]
fn a_cut_short_file_is_called_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.gguf");
    let mut metadata = vec![("general.architecture", Value::String("llama".into()))];
    metadata.extend(tokenizer_metadata());
    write_gguf(&path, &metadata);
    let bytes = std::fs::read(&path).unwrap();
    // Cut in the tensor data, then in the header.
    for keep in [bytes.len() - 100, 40] {
        std::fs::write(&path, &bytes[..keep]).unwrap();
        let detail = model_error(&path);
        assert!(detail.contains("truncated"), "{keep}: {detail}");
    }
}

#[test]
fn the_real_model_cut_to_one_megabyte_is_called_truncated() {
    let Some(real) = model_path() else { return };
    let mut head = vec![0u8; 1024 * 1024];
    let mut file = std::fs::File::open(real).unwrap();
    std::io::Read::read_exact(&mut file, &mut head).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.gguf");
    std::fs::write(&path, head).unwrap();
    let detail = model_error(&path);
    assert!(detail.contains("truncated"), "{detail}");
}

#[test]
fn a_model_without_a_tokenizer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bare.gguf");
    write_gguf(
        &path,
        &[("general.architecture", Value::String("llama".into()))],
    );
    let detail = model_error(&path);
    assert!(detail.contains("no tokenizer"), "{detail}");
}

#[test]
fn another_architecture_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bert.gguf");
    let mut metadata = vec![("general.architecture", Value::String("bert".into()))];
    metadata.extend(tokenizer_metadata());
    write_gguf(&path, &metadata);
    let detail = model_error(&path);
    assert!(
        detail.contains("\"bert\"") && detail.contains("not supported"),
        "{detail}"
    );
}

#[test]
fn bad_settings_are_refused_before_reading() {
    let mut config = EmbeddedConfig::new("/nonexistent.gguf");
    config.max_tokens = 0;
    assert!(matches!(Embedded::load(config), Err(LlmError::Config(_))));
}
