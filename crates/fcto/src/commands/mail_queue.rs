//! `fcto mail draft|queue|show|edit|approve|reject|send|resolve|metrics`:
//! the approval queue and the outbox, over fcto-responder.

use std::io::IsTerminal as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use fcto_llm::Backend;
use fcto_responder::{outbox, queue, Account};
use fcto_store::mail_drafts::MailDraft;
use fcto_store::Store;
use serde::Serialize;

use crate::cli::ModelArgs;
use crate::output::{table, Output};
use crate::user_error;

/// The backend the model arguments name: the endpoint when a URL is given,
/// else the embedded model (the offline default).
pub async fn backend(model: &ModelArgs) -> Result<Box<dyn Backend>> {
    if let Some(url) = &model.model_url {
        let mut config = fcto_llm::OpenAiConfig::new(url.clone(), model.model.clone());
        if let Some(var) = &model.model_key_env {
            config.api_key = Some(
                std::env::var(var)
                    .map_err(|_| user_error(format!("environment variable {var} is not set")))?,
            );
        }
        let backend =
            fcto_llm::OpenAiCompatible::new(config).map_err(|e| user_error(e.to_string()))?;
        return Ok(Box::new(backend));
    }
    let path = model
        .model_path
        .clone()
        .or_else(fcto_llm::EmbeddedConfig::default_model_path)
        .ok_or_else(|| user_error("no model path: give --model-path or set HOME"))?;
    if !path.exists() {
        return Err(user_error(format!(
            "no model at {}: run scripts/fetch-model (SmolLM2-135M-Instruct, 98 MB), give --model-path FILE.gguf, or --model-url for an OpenAI-compatible endpoint",
            path.display()
        )));
    }
    let config = fcto_llm::EmbeddedConfig::new(path);
    let loaded = tokio::task::spawn_blocking(move || fcto_llm::Embedded::load(config))
        .await
        .context("loading the model")?
        .map_err(|e| user_error(e.to_string()))?;
    Ok(Box::new(loaded))
}

pub async fn draft_queue(
    store: &Store,
    client: &str,
    account: Option<&Account>,
    model: &ModelArgs,
) -> Result<Output> {
    store.client(client).await?;
    let backend = backend(model).await?;
    let pending = store.mail_inquiries_to_draft(client).await?.len();
    let bar = progress(pending as u64);
    let report = queue::draft_pending(store, client, account, backend.as_ref(), &mut |_| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    })
    .await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut text = format!(
        "{client}: {} drafts queued for approval ({} inquiries waited)\n",
        report.queued.len(),
        pending
    );
    for q in &report.queued {
        text.push_str(&format!(
            "  #{} {} ({} ms){}{}\n",
            q.draft,
            q.subject,
            q.latency_ms,
            q.drafts_folder
                .as_ref()
                .map(|f| format!(", saved to {f}"))
                .unwrap_or_default(),
            if q.flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", q.flags.join("; "))
            }
        ));
    }
    for problem in &report.not_drafted {
        text.push_str(&format!("  not drafted: {problem}\n"));
    }
    Output::new(&report, text)
}

/// A bar on a terminal only: piped output stays clean.
fn progress(total: u64) -> Option<indicatif::ProgressBar> {
    if total < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("drafting {bar:30} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

pub async fn queue(store: &Store, client: &str, all: bool) -> Result<Output> {
    let statuses: &[&str] = if all {
        &[]
    } else {
        &["queued", "uncertain", "failed"]
    };
    let drafts = store.mail_drafts(client, statuses).await?;
    let rows: Vec<Vec<String>> = drafts
        .iter()
        .map(|d| {
            vec![
                d.id.to_string(),
                d.status.clone(),
                d.to_address.clone(),
                d.subject.clone(),
                format!("{} ms", d.latency_ms),
                d.flags.len().to_string(),
            ]
        })
        .collect();
    let text = if rows.is_empty() {
        format!("{client}: nothing waits for approval\n")
    } else {
        table(
            &["Id", "Status", "To", "Subject", "Drafted in", "Flags"],
            &rows,
        )
    };
    Output::new(&drafts, text)
}

fn render(d: &MailDraft) -> String {
    let mut text = format!(
        "Draft #{} ({})\nInquiry from {} on {}: {}\n\n{}\n\n--- reply to {} ---\n{}\n---\n",
        d.id,
        d.status,
        d.inquiry_from.as_deref().unwrap_or("(unknown)"),
        d.inquiry_at,
        d.inquiry_subject,
        d.inquiry_body.trim(),
        d.to_address,
        d.body.trim()
    );
    for flag in &d.flags {
        text.push_str(&format!("flag: {flag}\n"));
    }
    text.push_str(&format!(
        "drafted by {} in {} ms from a {}-character prompt, {} passages, {} example replies\n",
        d.model,
        d.latency_ms,
        d.prompt_chars,
        d.passages.as_array().map_or(0, Vec::len),
        d.examples.as_array().map_or(0, Vec::len)
    ));
    if d.body != d.drafted_body {
        text.push_str("edited before approval\n");
    }
    if let Some(e) = &d.last_error {
        text.push_str(&format!("last error: {e}\n"));
    }
    text
}

pub async fn show(store: &Store, client: &str, id: i64) -> Result<Output> {
    let d = store.mail_draft(client, id).await?;
    let text = render(&d);
    Output::new(&d, text)
}

pub async fn edit(
    store: &Store,
    home: &Path,
    client: &str,
    id: i64,
    file: &Path,
) -> Result<Output> {
    let body = if file == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("reading the new text from standard input")?;
        text
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    let account = Account::open(store, home, client).await.ok();
    let d = fcto_responder::edit(store, client, id, &body, account.as_ref()).await?;
    let text = format!("Draft #{id} edited; it waits for approval.\n");
    Output::new(&d, text)
}

fn approver(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "cli".into())
}

#[derive(Serialize)]
struct Approved {
    draft: MailDraft,
    outbox: Option<outbox::OutboxReport>,
}

pub async fn approve(
    store: &Store,
    home: &Path,
    client: &str,
    id: i64,
    by: Option<String>,
    no_send: bool,
) -> Result<Output> {
    let draft = fcto_responder::approve(store, client, id, &approver(by)).await?;
    if no_send {
        let text = format!("Draft #{id} approved; `fcto mail send {client}` sends it.\n");
        return Output::new(
            &Approved {
                draft,
                outbox: None,
            },
            text,
        );
    }
    let account = Account::open(store, home, client).await?;
    let report = outbox::run(store, &account).await?;
    let draft = store.mail_draft(client, id).await?;
    let mut text = format!("Draft #{id} approved: {}\n", draft.status);
    text.push_str(&outcomes(&report));
    let failed = draft.status != "sent";
    let mut out = Output::new(
        &Approved {
            draft,
            outbox: Some(report),
        },
        text,
    )?;
    if failed {
        // Approved but not (yet) sent: a verdict the caller should see.
        out.exit_code = crate::error::EXIT_FINDINGS;
    }
    Ok(out)
}

pub async fn reject(
    store: &Store,
    home: &Path,
    client: &str,
    id: i64,
    by: Option<String>,
    reason: Option<String>,
) -> Result<Output> {
    let account = Account::open(store, home, client).await.ok();
    let d = fcto_responder::reject(
        store,
        client,
        id,
        &approver(by),
        reason.as_deref(),
        account.as_ref(),
    )
    .await?;
    let text = format!("Draft #{id} rejected; nothing is sent.\n");
    Output::new(&d, text)
}

fn outcomes(report: &outbox::OutboxReport) -> String {
    let mut text = String::new();
    for o in &report.outcomes {
        text.push_str(&format!(
            "  #{} {}{}\n",
            o.draft,
            o.status,
            o.detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ));
    }
    for id in &report.handled {
        text.push_str(&format!(
            "  #{id} answered from the mail client: marked handled\n"
        ));
    }
    text
}

pub async fn send(store: &Store, home: &Path, client: &str) -> Result<Output> {
    let account = Account::open(store, home, client).await?;
    let report = outbox::run(store, &account).await?;
    let sent = report
        .outcomes
        .iter()
        .filter(|o| o.status == "sent")
        .count();
    let mut text = format!(
        "{client}: {sent} sent, {} not, {} answered outside fcto\n",
        report.outcomes.len() - sent,
        report.handled.len()
    );
    text.push_str(&outcomes(&report));
    let mut out = Output::new(&report, text)?;
    if report.outcomes.iter().any(|o| o.status != "sent") {
        out.exit_code = crate::error::EXIT_FINDINGS;
    }
    Ok(out)
}

pub async fn resolve(store: &Store, client: &str, id: i64, arrived: bool) -> Result<Output> {
    let d = outbox::resolve(store, client, id, arrived).await?;
    let text = if arrived {
        format!("Draft #{id} marked sent.\n")
    } else {
        format!("Draft #{id} approved again; `fcto mail send {client}` sends it.\n")
    };
    Output::new(&d, text)
}

pub async fn metrics(store: &Store, client: &str) -> Result<Output> {
    let drafts = store.mail_drafts(client, &[]).await?;
    let m = fcto_responder::metrics::compute(&drafts);
    let opt = |v: Option<f64>, unit: &str| v.map_or("-".to_string(), |v| format!("{v:.1}{unit}"));
    let text = format!(
        "{client}: {} drafts ({} queued, {} approved, {} rejected, {} sent, {} answered outside fcto, {} uncertain, {} failed)\n\
         draft latency: p50 {} ms, p95 {} ms\n\
         approval rate: {}\n\
         edits before approval: {} characters on average ({} of the draft); {} sent unchanged\n\
         inquiry to reply: p50 {} min, p95 {} min\n",
        m.drafts,
        m.queued,
        m.approved,
        m.rejected,
        m.sent,
        m.handled_outside,
        m.uncertain,
        m.failed,
        m.latency_p50_ms.map_or("-".into(), |v| v.to_string()),
        m.latency_p95_ms.map_or("-".into(), |v| v.to_string()),
        opt(m.approval_rate.map(|r| r * 100.0), "%"),
        opt(m.mean_edit_chars, ""),
        opt(m.mean_edit_share.map(|r| r * 100.0), "%"),
        opt(m.unedited_share.map(|r| r * 100.0), "%"),
        opt(m.reply_p50_minutes, ""),
        opt(m.reply_p95_minutes, ""),
    );
    Output::new(&m, text)
}
