//! An OpenAI-compatible chat-completions endpoint for tests: it checks the
//! request's shape, records every body, and answers with fixed text.
#![allow(dead_code)] // each test binary uses its own part

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

pub type Seen = Arc<Mutex<Vec<Value>>>;

async fn completions(
    State((seen, answer)): State<(Seen, String)>,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    seen.lock().expect("lock").push(body.clone());
    let ok = body["model"].as_str().is_some()
        && body["messages"].as_array().is_some_and(|m| m.len() == 2);
    let status = if ok { 200 } else { 400 };
    let payload = json!({
        "id": "x", "object": "chat.completion", "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20}
    });
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(payload.to_string()))
        .expect("response")
}

/// A server answering every request with `answer`; returns its /v1 URL.
pub fn serve(answer: &str) -> (Seen, String) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state((Arc::clone(&seen), answer.to_string()));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let _ = axum::serve(listener, app).await;
        });
    });
    (seen, format!("http://{addr}/v1"))
}
