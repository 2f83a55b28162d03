//! The OpenAI-compatible client against a local server that speaks the
//! chat-completions API and checks every request against its contract
//! (path, bearer key, JSON body, `stream: true`); scripted answers cover
//! streaming, a server ignoring `stream`, retries on 429 and 5xx, a bad key,
//! timeouts, and garbage.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use fcto_llm::{Backend, ChatMessage, ChatRequest, LlmError, OpenAiCompatible, OpenAiConfig};
use serde_json::{json, Value};

const KEY: &str = "sk-test-123";

/// One scripted answer.
#[derive(Clone)]
enum Script {
    /// Server-sent events: each string is one `data:` payload, with a pause
    /// before each; `done` adds `data: [DONE]`.
    Stream {
        events: Vec<String>,
        pause: Duration,
        done: bool,
    },
    /// Any status with a body, and an optional Retry-After.
    Status {
        code: u16,
        body: String,
        retry_after: Option<&'static str>,
    },
    /// One JSON object (a server that ignores `stream`).
    Json(Value),
    /// Wait before answering at all.
    Slow(Duration),
}

#[derive(Default)]
struct Server {
    scripts: Mutex<VecDeque<Script>>,
    requests: Mutex<Vec<Value>>,
    violations: Mutex<Vec<String>>,
}

/// The contract every request must keep; a breach is answered 400 and
/// recorded so the test fails.
fn check(headers: &HeaderMap, body: &[u8]) -> Result<Value, String> {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    if auth != Some(&format!("Bearer {KEY}")) {
        return Err(format!("authorization header {auth:?}"));
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return Err(format!("content-type {content_type:?}"));
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    if value["model"].as_str().is_none_or(|m| m.is_empty()) {
        return Err("model missing".into());
    }
    let messages = value["messages"].as_array().ok_or("messages missing")?;
    if messages.is_empty() {
        return Err("messages empty".into());
    }
    for m in messages {
        let role = m["role"].as_str().unwrap_or("");
        if !["system", "user", "assistant"].contains(&role) || !m["content"].is_string() {
            return Err(format!("bad message {m}"));
        }
    }
    if value["stream"] != json!(true) {
        return Err("stream must be true".into());
    }
    if let Some(n) = value.get("max_tokens") {
        if !n.is_u64() {
            return Err("max_tokens must be an integer".into());
        }
    }
    Ok(value)
}

async fn completions(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    match check(&headers, &body) {
        Ok(value) => server.requests.lock().expect("lock").push(value),
        Err(violation) => {
            server
                .violations
                .lock()
                .expect("lock")
                .push(violation.clone());
            return Response::builder()
                .status(400)
                .header("content-type", "application/json")
                .body(Body::from(
                    json!({"error": {"message": violation}}).to_string(),
                ))
                .expect("response");
        }
    }
    let script = server.scripts.lock().expect("lock").pop_front();
    let mut script = script.unwrap_or(Script::Status {
        code: 500,
        body: "no script".into(),
        retry_after: None,
    });
    if let Script::Slow(wait) = script {
        tokio::time::sleep(wait).await;
        script = Script::Stream {
            events: vec![chunk("late")],
            pause: Duration::ZERO,
            done: true,
        };
    }
    match script {
        Script::Status {
            code,
            body,
            retry_after,
        } => {
            let mut b = Response::builder()
                .status(StatusCode::from_u16(code).expect("code"))
                .header("content-type", "application/json");
            if let Some(after) = retry_after {
                b = b.header("retry-after", after);
            }
            b.body(Body::from(body)).expect("response")
        }
        Script::Json(value) => Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(value.to_string()))
            .expect("response"),
        Script::Stream {
            events,
            pause,
            done,
        } => {
            let mut frames: Vec<String> = events
                .into_iter()
                .map(|e| format!("data: {e}\n\n"))
                .collect();
            if done {
                frames.push("data: [DONE]\n\n".into());
            }
            // The pause comes between frames: the first goes at once.
            let stream = futures_util::stream::unfold(
                (frames.into_iter(), true),
                move |(mut rest, first)| async move {
                    let frame = rest.next()?;
                    if !first {
                        tokio::time::sleep(pause).await;
                    }
                    Some((
                        Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(frame)),
                        (rest, false),
                    ))
                },
            );
            Response::builder()
                .header("content-type", "text/event-stream")
                .body(Body::from_stream(stream))
                .expect("response")
        }
        Script::Slow(_) => unreachable!("handled above"),
    }
}

fn chunk(text: &str) -> String {
    json!({"id": "c1", "object": "chat.completion.chunk", "model": "smollm2", "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]}).to_string()
}

fn finish_chunk() -> String {
    json!({"id": "c1", "object": "chat.completion.chunk", "model": "smollm2", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}).to_string()
}

fn usage_chunk() -> String {
    json!({"id": "c1", "object": "chat.completion.chunk", "model": "smollm2", "choices": [], "usage": {"prompt_tokens": 42, "completion_tokens": 3, "total_tokens": 45}}).to_string()
}

async fn serve(scripts: Vec<Script>) -> (Arc<Server>, String) {
    let server = Arc::new(Server::default());
    server.scripts.lock().expect("lock").extend(scripts);
    let app = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(Arc::clone(&server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (server, format!("http://{addr}/v1"))
}

fn client(base: &str) -> OpenAiCompatible {
    let mut config = OpenAiConfig::new(base, "smollm2");
    config.api_key = Some(KEY.into());
    config.initial_backoff = Duration::from_millis(10);
    config.max_backoff = Duration::from_millis(200);
    config.first_token_timeout = Duration::from_millis(800);
    config.idle_timeout = Duration::from_millis(400);
    OpenAiCompatible::new(config).expect("client")
}

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![
            ChatMessage::system("You answer for Harbour & Hearth."),
            ChatMessage::user("Do you have a table for 6 on Saturday?"),
        ],
        max_tokens: Some(200),
        temperature: Some(0.2),
        stop: vec![],
    }
}

fn assert_no_violations(server: &Server) {
    let v = server.violations.lock().expect("lock");
    assert!(v.is_empty(), "contract broken: {v:?}");
}

#[tokio::test]
async fn streams_tokens_and_records_usage_and_latency() {
    let (server, base) = serve(vec![Script::Stream {
        events: vec![
            chunk("Yes, "),
            chunk("we do"),
            chunk("."),
            finish_chunk(),
            usage_chunk(),
        ],
        pause: Duration::from_millis(5),
        done: true,
    }])
    .await;
    let backend: Box<dyn Backend> = Box::new(client(&base));
    let mut seen = Vec::new();
    let response = backend
        .chat(&request(), &mut |t| seen.push(t.to_string()))
        .await
        .expect("answer");
    assert_eq!(response.text, "Yes, we do.");
    assert_eq!(seen, vec!["Yes, ", "we do", "."]);
    assert_eq!(response.finish_reason.as_deref(), Some("stop"));
    assert_eq!(
        response
            .usage
            .map(|u| (u.prompt_tokens, u.completion_tokens)),
        Some((42, 3))
    );
    assert_eq!(response.attempts, 1);
    assert_eq!(response.prompt_chars, request().prompt_chars());
    assert!(response
        .first_token_ms
        .is_some_and(|f| f <= response.latency_ms));
    assert_eq!(backend.name(), "openai-compatible:smollm2");
    let requests = server.requests.lock().expect("lock");
    assert_eq!(requests[0]["stream_options"]["include_usage"], true);
    assert_eq!(requests[0]["max_tokens"], 200);
    assert_eq!(requests[0]["messages"][1]["role"], "user");
    drop(requests);
    assert_no_violations(&server);
}

#[tokio::test]
async fn a_server_that_ignores_stream_is_read_whole() {
    let (server, base) = serve(vec![Script::Json(json!({
        "id": "x", "object": "chat.completion", "model": "llama3",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "We open at 5pm."}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    }))])
    .await;
    let mut tokens = String::new();
    let response = client(&base)
        .chat(&request(), &mut |t| tokens.push_str(t))
        .await
        .expect("answer");
    assert_eq!(
        (response.text.as_str(), response.model.as_str()),
        ("We open at 5pm.", "llama3")
    );
    assert_eq!(tokens, "We open at 5pm.");
    assert_no_violations(&server);
}

#[tokio::test]
async fn overload_and_rate_limits_are_retried_then_answered() {
    let ok = Script::Stream {
        events: vec![chunk("ok"), finish_chunk()],
        pause: Duration::ZERO,
        done: true,
    };
    let (server, base) = serve(vec![
        Script::Status {
            code: 503,
            body: r#"{"error":{"message":"loading model"}}"#.into(),
            retry_after: None,
        },
        Script::Status {
            code: 429,
            body: r#"{"error":{"message":"slow down"}}"#.into(),
            retry_after: Some("0.05"),
        },
        ok,
    ])
    .await;
    let response = client(&base)
        .chat(&request(), &mut |_| {})
        .await
        .expect("answer after retries");
    assert_eq!((response.text.as_str(), response.attempts), ("ok", 3));
    assert_eq!(server.requests.lock().expect("lock").len(), 3);
    assert_no_violations(&server);

    // Always failing: gives up after max_attempts with the last reason.
    let failing = (0..5)
        .map(|_| Script::Status {
            code: 500,
            body: "boom".into(),
            retry_after: None,
        })
        .collect();
    let (server, base) = serve(failing).await;
    match client(&base).chat(&request(), &mut |_| {}).await {
        Err(LlmError::Unavailable { attempts, last, .. }) => {
            assert_eq!(attempts, 3);
            assert!(last.contains("500") && last.contains("boom"), "{last}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests.lock().expect("lock").len(), 3);

    // Nothing listening: the transport's own reason, said once.
    let mut config = OpenAiConfig::new("http://127.0.0.1:9/v1", "smollm2");
    config.initial_backoff = Duration::from_millis(10);
    match OpenAiCompatible::new(config)
        .expect("client")
        .chat(&request(), &mut |_| {})
        .await
    {
        Err(LlmError::Unavailable { attempts, last, .. }) => {
            assert_eq!(attempts, 3);
            assert!(
                last.starts_with("request failed") && !last.contains("gave up"),
                "{last}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_bad_key_or_unknown_model_is_not_retried() {
    let (server, base) = serve(vec![Script::Status {
        code: 404,
        body: r#"{"error":{"message":"model 'smollm2' not found"}}"#.into(),
        retry_after: None,
    }])
    .await;
    match client(&base).chat(&request(), &mut |_| {}).await {
        Err(LlmError::Rejected {
            status, message, ..
        }) => {
            assert_eq!(status, 404);
            assert_eq!(message, "model 'smollm2' not found");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests.lock().expect("lock").len(), 1);

    // A wrong key breaks the server's contract check: 400, not retried.
    let (server, base) = serve(vec![]).await;
    let mut config = OpenAiConfig::new(&base, "smollm2");
    config.api_key = Some("sk-wrong".into());
    let wrong = OpenAiCompatible::new(config).expect("client");
    let err = wrong
        .chat(&request(), &mut |_| {})
        .await
        .expect_err("refused");
    assert!(
        matches!(err, LlmError::Rejected { status: 400, .. }),
        "{err:?}"
    );
    assert_eq!(server.violations.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn timeouts_before_the_first_token_retry_and_a_stall_mid_answer_does_not() {
    // Slow twice, then fine: the third attempt answers. (Waits are several
    // times the timeouts, so a loaded machine cannot turn one into the other.)
    let (server, base) = serve(vec![
        Script::Slow(Duration::from_secs(5)),
        Script::Slow(Duration::from_secs(5)),
        Script::Stream {
            events: vec![chunk("hi"), finish_chunk()],
            pause: Duration::ZERO,
            done: true,
        },
    ])
    .await;
    let response = client(&base)
        .chat(&request(), &mut |_| {})
        .await
        .expect("third attempt");
    assert_eq!(response.attempts, 3);
    assert_no_violations(&server);

    // Tokens, then silence longer than the idle timeout: an error, and no
    // retry (the caller already has the first tokens).
    let (server, base) = serve(vec![Script::Stream {
        events: vec![chunk("Yes"), chunk(" and")],
        pause: Duration::from_secs(3),
        done: true,
    }])
    .await;
    let mut seen = String::new();
    let err = client(&base)
        .chat(&request(), &mut |t| seen.push_str(t))
        .await
        .expect_err("stalled");
    assert!(
        matches!(
            err,
            LlmError::Timeout {
                stage: "silence between tokens",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(seen, "Yes");
    assert_eq!(server.requests.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn garbage_answers_are_protocol_errors() {
    let cases = vec![
        (
            Script::Stream {
                events: vec!["{not json".into()],
                pause: Duration::ZERO,
                done: true,
            },
            "not JSON",
        ),
        (
            Script::Stream {
                events: vec![json!({"choices": "x"}).to_string()],
                pause: Duration::ZERO,
                done: true,
            },
            "choices is not a list",
        ),
        (
            Script::Stream {
                events: vec![json!({"choices": [{"delta": {"content": 7}}]}).to_string()],
                pause: Duration::ZERO,
                done: true,
            },
            "not text",
        ),
        (
            Script::Stream {
                events: vec![json!({"error": {"message": "CUDA out of memory"}}).to_string()],
                pause: Duration::ZERO,
                done: true,
            },
            "CUDA out of memory",
        ),
        (Script::Json(json!({"choices": []})), "no choices"),
        (
            Script::Stream {
                events: vec![chunk("cut")],
                pause: Duration::ZERO,
                done: false,
            },
            "ended before",
        ),
    ];
    for (script, needle) in cases {
        let (_, base) = serve(vec![script]).await;
        let err = client(&base)
            .chat(&request(), &mut |_| {})
            .await
            .expect_err(needle);
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
}

#[test]
fn settings_are_checked_and_the_key_never_printed() {
    assert!(matches!(
        OpenAiCompatible::new(OpenAiConfig::new("ftp://x", "m")),
        Err(LlmError::Config(_))
    ));
    assert!(matches!(
        OpenAiCompatible::new(OpenAiConfig::new("http://x/v1", " ")),
        Err(LlmError::Config(_))
    ));
    let mut config = OpenAiConfig::new("http://x/v1", "m");
    config.api_key = Some("sk-very-secret".into());
    assert!(!format!("{config:?}").contains("sk-very-secret"));
}
