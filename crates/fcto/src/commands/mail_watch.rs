//! `fcto mail watch`: the responder running. Each round syncs the folder,
//! drafts what is new into the queue and sends what was approved (on the
//! web, say); then it waits in IDLE until the server reports new mail. A
//! dropped connection or a server that is down is retried with backoff:
//! the store says where every sync stands, so nothing is read twice.

use std::time::{Duration, Instant};

use anyhow::Result;
use fcto_responder::{outbox, queue, Account};
use fcto_store::Store;
use serde::Serialize;

use crate::cli::ModelArgs;
use crate::output::Output;

const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Debug, Default, Serialize)]
struct WatchSummary {
    client: String,
    rounds: u32,
    drafted: usize,
    sent: usize,
    /// Rounds or waits that failed and were retried.
    retries: u32,
    last_error: Option<String>,
}

pub async fn watch(
    store: &Store,
    home: &std::path::Path,
    client: &str,
    folder: &str,
    model: &ModelArgs,
    idle: Duration,
    rounds: Option<u32>,
) -> Result<Output> {
    let account = Account::open(store, home, client).await?;
    let backend = super::mail_queue::backend(model).await?;
    let mut summary = WatchSummary {
        client: client.into(),
        ..WatchSummary::default()
    };
    let mut backoff = Duration::from_secs(1);
    eprintln!("watching {client} {folder} (Ctrl-C stops)");
    loop {
        let round = async {
            let started = Instant::now();
            super::mail::sync(store, &account, client, folder).await?;
            let report =
                queue::draft_pending(store, client, Some(&account), backend.as_ref(), &mut |q| {
                    eprintln!("drafted #{} {} in {} ms", q.draft, q.subject, q.latency_ms)
                })
                .await?;
            let approved = store.mail_drafts(client, &["approved"]).await?;
            let mut sent = 0;
            if !approved.is_empty() {
                let out = outbox::run(store, &account).await?;
                sent = out.outcomes.iter().filter(|o| o.status == "sent").count();
            }
            anyhow::Ok((report.queued.len(), sent, started.elapsed()))
        };
        let outcome = tokio::select! {
            r = round => r,
            _ = tokio::signal::ctrl_c() => break,
        };
        match outcome {
            Ok((drafted, sent, took)) => {
                summary.rounds += 1;
                summary.drafted += drafted;
                summary.sent += sent;
                backoff = Duration::from_secs(1);
                if drafted + sent > 0 {
                    eprintln!(
                        "round {}: {drafted} drafted, {sent} sent in {} ms",
                        summary.rounds,
                        took.as_millis()
                    );
                }
            }
            Err(e) => {
                summary.retries += 1;
                summary.last_error = Some(format!("{e:#}"));
                eprintln!("watch: {e:#}; trying again in {} s", backoff.as_secs());
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = tokio::signal::ctrl_c() => break,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        }
        if rounds.is_some_and(|n| summary.rounds >= n) {
            break;
        }
        let known = store
            .mail_folder_sync(client, folder)
            .await?
            .and_then(|s| u32::try_from(s.uid_next).ok())
            .unwrap_or(0);
        let wait = async {
            let mailbox = account.imap().await?;
            let (mailbox, _) = mailbox.idle(folder, known, idle).await?;
            let _ = mailbox.logout().await;
            anyhow::Ok(())
        };
        let waited = tokio::select! {
            r = wait => r,
            _ = tokio::signal::ctrl_c() => break,
        };
        if let Err(e) = waited {
            // A dropped IDLE: sync again (which reconnects) after a pause.
            summary.retries += 1;
            summary.last_error = Some(format!("{e:#}"));
            eprintln!("watch: {e:#}; reconnecting in {} s", backoff.as_secs());
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }
    let text = format!(
        "{client}: watched {} rounds, {} drafted, {} sent, {} retries\n",
        summary.rounds, summary.drafted, summary.sent, summary.retries
    );
    Output::new(&summary, text)
}
