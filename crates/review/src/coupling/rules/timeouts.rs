//! `http-no-timeout`: HTTP client calls that can wait forever (or for a
//! library default far longer than any request should).

use std::ops::Range;

use super::hit;
use crate::coupling::lex::Kind;
use crate::coupling::source::Source;
use crate::coupling::{Hit, Language, Rule};

const REQUESTS_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "request",
];

pub(crate) fn check(source: &Source, hits: &mut Vec<Hit>) {
    for t in 0..source.len() {
        if !source.is_ident(t) {
            continue;
        }
        let found = match source.language {
            Language::Python => python(source, t),
            Language::JavaScript | Language::TypeScript => javascript(source, t),
            Language::Go => go(source, t),
            Language::Ruby => ruby(source, t),
            Language::Java => java(source, t),
            Language::Php => php(source, t),
            Language::Rust => rust(source, t),
        };
        if let Some((message, fix)) = found {
            hits.push(hit(
                source,
                Rule::HttpNoTimeout,
                report_at(source, t),
                message,
                fix,
            ));
        }
    }
}

/// Point at the start of the call path (`requests` of `requests.get`,
/// `Net` of `Net::HTTP.get`), not at the method name.
fn report_at(source: &Source, t: usize) -> usize {
    source.chain(t).start.min(t)
}

/// `timeout=None` spelled out is no timeout at all.
fn timeout_is_none(source: &Source, args: Range<usize>) -> bool {
    args.clone()
        .any(|j| source.is(j, "timeout") && source.is(j + 1, "=") && source.is(j + 2, "None"))
}

fn has(source: &Source, range: Range<usize>, names: &[&str]) -> bool {
    source.mentions_ident(range, names)
}

/// `**kwargs` / `...options` spread into a call: we cannot see inside.
fn spreads(source: &Source, range: Range<usize>) -> bool {
    range.clone().any(|j| {
        (source.is(j, "*") && source.is(j + 1, "*"))
            || (source.is(j, ".") && source.is(j + 1, ".") && source.is(j + 2, "."))
    })
}

type Found = Option<(String, String)>;

/// A lone identifier argument named like a Request object.
fn split_is_request(source: &Source, range: Range<usize>) -> bool {
    range.len() == 1
        && source.is_ident(range.start)
        && crate::coupling::source::split_words(source.text(range.start))
            .iter()
            .any(|w| w == "req" || w == "request")
}

fn python(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    let receiver = source.receiver_text(t);
    if !(receiver == "requests" && REQUESTS_METHODS.contains(&word)) && word != "urlopen" {
        return None;
    }
    let args = source.args(t)?;
    if receiver == "requests" && REQUESTS_METHODS.contains(&word) {
        let explicit_none = timeout_is_none(source, args.clone());
        if (has(source, args.clone(), &["timeout"]) && !explicit_none)
            || spreads(source, args.clone())
        {
            return None;
        }
        let fix_args = if word == "get" {
            "url, params=params"
        } else {
            "url, json=body"
        };
        return Some((
            format!("`requests.{word}(...)` has no `timeout=`; requests waits forever by default"),
            format!("`requests.{word}({fix_args}, timeout=(3.05, 10))` (connect, read seconds), or a `requests.Session` wrapper that always passes one."),
        ));
    }
    if word == "urlopen" && (receiver == "request" || !source.after_member(t)) {
        let positional = source.split_args(args.clone()).len();
        if has(source, args.clone(), &["timeout"]) || positional >= 3 || spreads(source, args) {
            return None;
        }
        return Some((
            "`urlopen(...)` has no `timeout=`; it uses the global socket default (none)"
                .to_string(),
            "`urllib.request.urlopen(req, timeout=10)`".to_string(),
        ));
    }
    None
}

fn javascript(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    let receiver = source.receiver_text(t);
    if word == "fetch"
        && (!source.after_member(t) || matches!(receiver, "window" | "globalThis" | "self"))
    {
        if t > 0 && (source.is(t - 1, "function") || source.is(t - 1, "async")) {
            return None;
        }
        let args = source.args(t)?;
        let parts = source.split_args(args);
        let unguarded = match parts.len() {
            0 => return None,
            // `fetch(new Request(url, { signal }))` / `fetch(request)` may
            // carry a signal we cannot see.
            1 => {
                let only = parts[0].clone();
                !source.is(only.start, "new") && !split_is_request(source, only)
            }
            _ => {
                let options = parts[1].clone();
                source.is(options.start, "{")
                    && !has(source, options.clone(), &["signal"])
                    && !spreads(source, options)
            }
        };
        return unguarded.then(|| {
            (
                "`fetch(...)` without a `signal`: it never times out on its own".to_string(),
                "`fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(10_000) })`"
                    .to_string(),
            )
        });
    }
    if receiver == "axios" || (word == "axios" && !source.after_member(t)) {
        if source.file_mentions(&["defaults"]) {
            return None;
        }
        let method = if word == "axios" { "request" } else { word };
        if !matches!(
            method,
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "request" | "create"
        ) {
            return None;
        }
        let args = source.args(t)?;
        if has(source, args.clone(), &["timeout"]) || spreads(source, args.clone()) {
            return None;
        }
        // A config object passed by name may carry a timeout we cannot see.
        let parts = source.split_args(args);
        let config_at = match method {
            "post" | "put" | "patch" => 2,
            "create" | "request" => 0,
            _ => 1,
        };
        if let Some(config) = parts.get(config_at) {
            if !source.is(config.start, "{") {
                return None;
            }
        }
        if source.is_ident(t + 1) {
            return None;
        }
        let shown = if word == "axios" {
            "axios(...)".to_string()
        } else {
            format!("axios.{method}(...)")
        };
        return Some((
            format!("`{shown}` without `timeout`: axios waits forever by default"),
            "`axios.create({ baseURL, timeout: 10_000 })` once, then `api.post(path, body)`; or pass `{ timeout: 10_000 }` per call.".to_string(),
        ));
    }
    None
}

fn go(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    if source.receiver_text(t) != "http" {
        return None;
    }
    match word {
        "Get" | "Post" | "PostForm" | "Head" if source.is(t + 1, "(") => Some((
            format!("`http.{word}(...)` uses http.DefaultClient, which has no timeout"),
            "`var client = &http.Client{Timeout: 10 * time.Second}` at package level, then `client.Do(req)` with `http.NewRequestWithContext(ctx, ...)`.".to_string(),
        )),
        "DefaultClient" => Some((
            "`http.DefaultClient` has no timeout".to_string(),
            "`client := &http.Client{Timeout: 10 * time.Second}`".to_string(),
        )),
        "Client" if source.is(t + 1, "{") => {
            let close = source.partner(t + 1)?;
            (!has(source, t + 2..close, &["timeout"])).then(|| {
                (
                    "`http.Client{}` without `Timeout`: requests can hang forever".to_string(),
                    "`&http.Client{Timeout: 10 * time.Second}`".to_string(),
                )
            })
        }
        _ => None,
    }
}

fn ruby(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    let receiver = source.receiver_text(t);
    let net_http =
        receiver == "HTTP" && t >= 4 && source.is(t - 3, "::") && source.is(t - 4, "Net");
    if net_http {
        match word {
            "get" | "get_response" | "post" | "post_form" | "get_print" => {
                return Some((
                    format!("`Net::HTTP.{word}` cannot take a timeout and waits 60 s per phase"),
                    "`Net::HTTP.start(uri.host, uri.port, use_ssl: true, open_timeout: 3, read_timeout: 10) { |http| http.request(req) }`".to_string(),
                ));
            }
            "start" => {
                let args = source.args(t)?;
                return (!has(source, args, &["readtimeout", "opentimeout"])).then(|| {
                    (
                        "`Net::HTTP.start` without `open_timeout:`/`read_timeout:` waits 60 s per phase".to_string(),
                        "`Net::HTTP.start(host, port, use_ssl: true, open_timeout: 3, read_timeout: 10)`".to_string(),
                    )
                });
            }
            "new" => {
                return (!source.scope_mentions(t, &["readtimeout", "opentimeout"])).then(|| {
                    (
                        "`Net::HTTP.new` without `read_timeout`/`open_timeout` set waits 60 s per phase".to_string(),
                        "`http = Net::HTTP.new(host, port); http.open_timeout = 3; http.read_timeout = 10`".to_string(),
                    )
                });
            }
            _ => return None,
        }
    }
    if receiver == "HTTParty" && REQUESTS_METHODS.contains(&word) {
        let args = source.args(t)?;
        if has(source, args, &["timeout"]) || source.file_mentions(&["defaulttimeout"]) {
            return None;
        }
        return Some((
            format!("`HTTParty.{word}` without `timeout:`"),
            format!("`HTTParty.{word}(url, body: body.to_json, timeout: 10)`"),
        ));
    }
    None
}

fn java(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    let receiver = source.receiver_text(t);
    match (receiver, word) {
        ("HttpClient", "newHttpClient") => Some((
            "`HttpClient.newHttpClient()` has no connect timeout".to_string(),
            "`HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()` and `.timeout(Duration.ofSeconds(10))` on each request".to_string(),
        )),
        ("HttpClient", "newBuilder") => {
            let end = source.statement_end(t);
            (!has(source, t..end, &["connecttimeout"])).then(|| {
                (
                    "`HttpClient` built without `.connectTimeout(...)`".to_string(),
                    "`HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()`".to_string(),
                )
            })
        }
        ("HttpRequest", "newBuilder") => {
            let end = source.statement_end(t);
            (!has(source, t..end, &["timeout"])).then(|| {
                (
                    "`HttpRequest` built without `.timeout(...)`: it waits for the response forever".to_string(),
                    "`HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).POST(body).build()`".to_string(),
                )
            })
        }
        _ if word == "RestTemplate" && t > 0 && source.is(t - 1, "new") && source.is(t + 1, "(") && source.is(t + 2, ")") => Some((
            "`new RestTemplate()` has no connect or read timeout".to_string(),
            "`new RestTemplateBuilder().setConnectTimeout(Duration.ofSeconds(3)).setReadTimeout(Duration.ofSeconds(10)).build()`".to_string(),
        )),
        _ => None,
    }
}

fn php(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    if word == "curl_init" && !source.after_member(t) && source.is(t + 1, "(") {
        return (!source.scope_mentions(t, &["curlopttimeout"])).then(|| {
            (
                "`curl_init()` without `CURLOPT_TIMEOUT`: cURL waits forever by default".to_string(),
                "`curl_setopt($ch, CURLOPT_CONNECTTIMEOUT, 3); curl_setopt($ch, CURLOPT_TIMEOUT, 10);`".to_string(),
            )
        });
    }
    if word == "Client" && source.is(t + 1, "(") {
        // new Client(...), new \GuzzleHttp\Client(...), new GuzzleHttp\Client(...)
        let mut j = t;
        let mut guzzle = false;
        while j > 0
            && (source.is(j - 1, "\\") || source.is_ident(j - 1))
            && !source.is(j - 1, "new")
        {
            j -= 1;
            guzzle |= source.text(j) == "GuzzleHttp";
        }
        if j == 0 || !source.is(j - 1, "new") {
            return None;
        }
        if !guzzle && !source.file_mentions(&["guzzlehttp"]) {
            return None;
        }
        let args = source.args(t)?;
        let parts = source.split_args(args.clone());
        let timeout_key = args
            .clone()
            .any(|j| source.is_str(j) && source.inner(j) == "timeout");
        if timeout_key
            || parts
                .first()
                .is_some_and(|p| !source.is(p.start, "[") && !source.is(p.start, "array"))
        {
            return None;
        }
        return Some((
            "Guzzle `Client` without `'timeout'`: it waits forever by default".to_string(),
            "`new \\GuzzleHttp\\Client(['base_uri' => $base, 'connect_timeout' => 3, 'timeout' => 10])`".to_string(),
        ));
    }
    None
}

fn rust(source: &Source, t: usize) -> Found {
    let word = source.text(t);
    let path_before = |n: usize| -> &str {
        if t >= 2 * n && source.is(t - 2 * n + 1, "::") {
            source.text(t - 2 * n)
        } else {
            ""
        }
    };
    if word == "get" && path_before(1) == "reqwest" && source.is(t + 1, "(") {
        return Some((
            "`reqwest::get(...)` uses a client with no timeout".to_string(),
            "`let client = reqwest::Client::builder().connect_timeout(Duration::from_secs(3)).timeout(Duration::from_secs(10)).build()?;` once, then `client.get(url).send().await?`".to_string(),
        ));
    }
    let on_client = path_before(1) == "Client" || path_before(1) == "ClientBuilder";
    if !on_client || !source.file_mentions(&["reqwest"]) || source.file_mentions(&["blocking"]) {
        return None;
    }
    let blocking_path = path_before(2) == "blocking";
    if blocking_path {
        return None;
    }
    match (path_before(1), word) {
        ("Client", "new") if source.is(t + 1, "(") => Some((
            "`reqwest::Client::new()` has no request timeout".to_string(),
            "`reqwest::Client::builder().connect_timeout(Duration::from_secs(3)).timeout(Duration::from_secs(10)).build()?`".to_string(),
        )),
        ("Client", "builder") | ("ClientBuilder", "new") => {
            let end = source.statement_end(t);
            (!(t..end).any(|j| source.kind(j) == Some(Kind::Ident) && source.text(j) == "timeout")).then(|| {
                (
                    "reqwest client built without `.timeout(...)`".to_string(),
                    "`reqwest::Client::builder().connect_timeout(Duration::from_secs(3)).timeout(Duration::from_secs(10)).build()?`".to_string(),
                )
            })
        }
        _ => None,
    }
}
