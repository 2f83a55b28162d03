//! `external-call-no-retry`: a non-idempotent POST to an external API with
//! no retry or backoff in its enclosing function. Conservative on purpose
//! (note level): any mention of retry/backoff in the function, its
//! decorators, or a retrying client configured in the file, silences it.

use super::hit;
use super::urls::external_urls;
use crate::coupling::source::Source;
use crate::coupling::{Hit, Language, Rule};

/// Words that show the author thought about retries.
const RETRY_WORDS: [&str; 5] = ["retry", "retries", "backoff", "attempt", "tenacity"];
/// File-level client or job configuration that retries for you.
const FILE_RETRY_WORDS: [&str; 7] = [
    "maxretries",
    "axiosretry",
    "retryablehttp",
    "sidekiq",
    "retryon",
    "autoretry",
    "retrypolicy",
];

pub(crate) fn check(source: &Source, hits: &mut Vec<Hit>) {
    for t in 0..source.len() {
        if !source.is_ident(t) {
            continue;
        }
        let Some(call) = post_call(source, t) else {
            continue;
        };
        if source.scope_mentions(t, &RETRY_WORDS) || source.file_mentions(&FILE_RETRY_WORDS) {
            continue;
        }
        let at = source.chain(t).start.min(t);
        hits.push(hit(
            source,
            Rule::ExternalCallNoRetry,
            at,
            format!("`{call}` sends a POST to an external API with no retry or backoff around it"),
            fix(source.language),
        ));
    }
}

/// `Some(shown call)` when `t` names a POST through an HTTP client.
fn post_call(source: &Source, t: usize) -> Option<String> {
    let word = source.text(t);
    let receiver = source.receiver_text(t);
    const CANDIDATES: [&str; 11] = [
        "post",
        "request",
        "fetch",
        "Post",
        "PostForm",
        "NewRequest",
        "NewRequestWithContext",
        "post_form",
        "POST",
        "postForObject",
        "postForEntity",
    ];
    if !CANDIDATES.contains(&word) && word != "CURLOPT_POST" {
        return None;
    }
    let args = source.args(t);
    let args_range = args.clone().unwrap_or(t..t);
    // A POST to a local or internal host is not an external API.
    let local_target = (args_range.start..args_range.end).any(|j| {
        source.is_str(j)
            && source.inner(j).contains("://")
            && external_urls(source.inner(j)).is_empty()
    });
    if local_target {
        return None;
    }
    let says_post = |range: std::ops::Range<usize>| {
        range.into_iter().any(|j| {
            (source.is_str(j) && source.inner(j).eq_ignore_ascii_case("post"))
                || source.text(j) == "MethodPost"
        })
    };
    let shown = match source.language {
        Language::Python => match (receiver, word) {
            ("requests" | "httpx", "post") => format!("{receiver}.post(...)"),
            ("requests" | "httpx", "request") if says_post(args_range.clone()) => {
                format!("{receiver}.request(\"POST\", ...)")
            }
            _ => return None,
        },
        Language::JavaScript | Language::TypeScript => match (receiver, word) {
            ("axios", "post") => "axios.post(...)".to_string(),
            ("", "fetch") if !source.after_member(t) && args.is_some() => {
                let parts = source.split_args(args_range);
                let options = parts.get(1)?.clone();
                if !says_post(options) {
                    return None;
                }
                "fetch(url, { method: 'POST' })".to_string()
            }
            _ => return None,
        },
        Language::Go => match (receiver, word) {
            ("http", "Post" | "PostForm") => format!("http.{word}(...)"),
            ("http", "NewRequest" | "NewRequestWithContext") if says_post(args_range.clone()) => {
                format!("http.{word}(\"POST\", ...)")
            }
            _ => return None,
        },
        Language::Ruby => match (receiver, word) {
            ("HTTP", "post" | "post_form") if t >= 4 && source.is(t - 4, "Net") => {
                format!("Net::HTTP.{word}")
            }
            ("HTTParty" | "Faraday" | "RestClient", "post") => format!("{receiver}.post"),
            _ if word == "Post" && t >= 2 && source.is(t - 1, "::") && source.is(t - 2, "HTTP") => {
                "Net::HTTP::Post.new".to_string()
            }
            _ => return None,
        },
        Language::Java => match word {
            "POST" if source.after_member(t) => format!("{}(...)", source.call_path(t)),
            "postForObject" | "postForEntity" => format!("{receiver}.{word}(...)"),
            _ => return None,
        },
        Language::Php => match word {
            "CURLOPT_POST" => "curl CURLOPT_POST".to_string(),
            "post"
                if source.text(source.chain(t).start) == "Http"
                    || source.receiver_has_word(t, &["client", "guzzle", "http"]) =>
            {
                format!("{}(...)", source.call_path(t))
            }
            _ => return None,
        },
        Language::Rust => match word {
            "post" if source.after_member(t) && source.file_mentions(&["reqwest"]) => {
                format!("{receiver}.post(...)")
            }
            _ => return None,
        },
    };
    Some(shown)
}

fn fix(language: Language) -> String {
    match language {
        Language::Python => "Retry with backoff and an idempotency key so a retried POST cannot double-apply: `@retry(wait=wait_exponential_jitter(1, 30), stop=stop_after_attempt(5), retry=retry_if_exception_type(requests.ConnectionError))` (tenacity) around `requests.post(url, json=body, headers={\"Idempotency-Key\": key}, timeout=(3.05, 10))`".to_string(),
        Language::JavaScript | Language::TypeScript => "Wrap in `pRetry(() => fetch(url, { method: 'POST', headers: { 'Idempotency-Key': key }, body, signal: AbortSignal.timeout(10_000) }), { retries: 4 })` (p-retry, exponential backoff); reuse the same key on every attempt.".to_string(),
        Language::Go => "Loop with `backoff.Retry(op, backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 4))` (cenkalti/backoff) and set `req.Header.Set(\"Idempotency-Key\", key)` once, outside the loop.".to_string(),
        Language::Ruby => "Enqueue it in a job with `retry_on Net::ReadTimeout, wait: :polynomially_longer, attempts: 5` and send an `Idempotency-Key` header derived from the record id.".to_string(),
        Language::Java => "Use a retry policy (`Retry.of(\"vendor\", RetryConfig.custom().maxAttempts(5).intervalFunction(IntervalFunction.ofExponentialBackoff()).build())`, resilience4j) and an `Idempotency-Key` header.".to_string(),
        Language::Php => "Use Laravel `Http::retry(4, 200)->withHeaders(['Idempotency-Key' => $key])->post($url, $body)` or Guzzle's `Middleware::retry(...)` with exponential delay.".to_string(),
        Language::Rust => "Retry with backoff (`backoff::future::retry(ExponentialBackoff::default(), || async { ... })`) and send an `Idempotency-Key` header that stays the same across attempts.".to_string(),
    }
}
