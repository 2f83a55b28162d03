//! `fcto mail`: connect a client's mailbox, sync and triage it, list what
//! came in. The password is sealed with the mail key before it is stored.

use std::path::Path;

use anyhow::{Context as _, Result};
use fcto_mail::imap::{FolderState, ImapError};
use fcto_mail::secret;
use fcto_mail::tls::Security;
use fcto_mail::{Triage, TriageConfig};
use fcto_store::mail::{FolderSync, MailMessage};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cli::{KnowledgeCmd, MailCmd, ModelArgs};
use crate::output::{table, Output};
use crate::{user_error, Ctx};
use fcto_responder::Account;

pub async fn run(ctx: &Ctx, cmd: MailCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        MailCmd::Connect {
            client,
            imap,
            smtp,
            user,
            from,
            imap_security,
            ca_file,
            xoauth2,
            smtp_security,
            server_saves_sent,
            oauth_token_url,
            oauth_client_id,
            oauth_client_secret_env,
            password_env,
            password_file,
        } => {
            store.client(&client).await?;
            if let Some(from) = from.as_deref().filter(|f| !fcto_mail::valid_address(f)) {
                return Err(user_error(format!("--from {from:?} is not an address")));
            }
            let password = super::user::read_password(password_env, password_file)?;
            // With a token endpoint the secret given is a refresh token:
            // exchange it now, so a wrong one is said before anything is kept.
            let oauth = match (oauth_token_url, oauth_client_id) {
                (Some(token_url), Some(client_id)) => {
                    let client_secret = match &oauth_client_secret_env {
                        Some(var) => Some(std::env::var(var).map_err(|_| {
                            user_error(format!("--oauth-client-secret-env: {var} is not set"))
                        })?),
                        None => None,
                    };
                    let oauth_client = fcto_mail::oauth::OAuthClient {
                        token_url,
                        client_id,
                        client_secret,
                    };
                    let grant = fcto_mail::oauth::refresh(&oauth_client, &password)
                        .await
                        .map_err(|e| user_error(e.to_string()))?;
                    Some((oauth_client, grant))
                }
                _ => None,
            };
            let xoauth2 = xoauth2 || oauth.is_some();
            let login_secret = match &oauth {
                Some((_, grant)) => grant.access_token.clone(),
                None => password.clone(),
            };
            // Log in before keeping anything: a wrong password is said now.
            let security = match imap_security.as_deref().and_then(Security::parse) {
                Some(s) => s,
                None => fcto_responder::account::default_security(&imap).await,
            };
            let ca_file = match &ca_file {
                Some(path) => Some(
                    std::fs::canonicalize(path)
                        .with_context(|| format!("reading {}", path.display()))?,
                ),
                None => None,
            };
            let method = if xoauth2 {
                fcto_mail::imap::AuthMethod::XOAuth2
            } else {
                fcto_mail::imap::AuthMethod::Password
            };
            let mailbox = fcto_mail::tls::connect_with(
                &imap,
                &user,
                &login_secret,
                method,
                security,
                ca_file.as_deref(),
            )
            .await
            .map_err(|e| user_error(e.to_string()))?;
            let _ = mailbox.logout().await;
            let key = fcto_responder::account::mail_key(&ctx.cfg.home, true)?;
            let (nonce, sealed) = match &oauth {
                // The refresh token to keep is the newest (RFC 6749 §6).
                Some((oauth_client, grant)) => fcto_responder::account::OAuthSecret {
                    refresh_token: grant.refresh_token.clone().unwrap_or(password),
                    client_secret: oauth_client.client_secret.clone(),
                }
                .seal(&key, &client),
                None => secret::seal(&key, &client, &password),
            };
            store
                .save_mail_account(&client, &imap, smtp.as_deref(), &user, &nonce, &sealed)
                .await?;
            let (oauth_token_url, oauth_client_id) = match oauth {
                Some((c, _)) => (Some(c.token_url), Some(c.client_id)),
                None => (None, None),
            };
            let access = fcto_store::mail::MailAccess {
                imap_security: serde_json::to_value(security)?.as_str().map(str::to_string),
                ca_file: ca_file.as_ref().map(|p| p.display().to_string()),
                auth_method: Some(if xoauth2 { "xoauth2" } else { "password" }.into()),
                smtp_security,
                server_saves_sent,
                oauth_token_url,
                oauth_client_id,
            };
            store.set_mail_access(&client, &access).await?;
            if let Some(from) = &from {
                store.set_mail_from(&client, from).await?;
            }
            let account = store
                .mail_account(&client)
                .await?
                .ok_or_else(|| anyhow::anyhow!("{client}'s mailbox vanished as it was saved"))?;
            let sealed = if account.oauth_token_url.is_some() {
                "the refresh token"
            } else {
                "the password"
            };
            let text = format!(
                "Connected {client} to {imap} ({}) as {user}; {sealed} is sealed with the mail key.\n",
                account.imap_security.as_deref().unwrap_or("")
            );
            Output::new(&account, text)
        }
        MailCmd::Knowledge(KnowledgeCmd::Add { client, files }) => {
            store.client(&client).await?;
            // Read and check every file first: one bad file adds none.
            let mut docs = Vec::with_capacity(files.len());
            for path in &files {
                docs.push(read_knowledge(path)?);
            }
            let mut passages = 0;
            for (name, body) in &docs {
                passages += fcto_mail::knowledge::passages(name, body).len();
                store.put_mail_knowledge(&client, name, body).await?;
            }
            let names: Vec<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
            let text = format!(
                "Added {} to {client}'s knowledge ({passages} passages).\n",
                names.join(", ")
            );
            Output::new(
                &serde_json::json!({"client": client, "documents": names, "passages": passages}),
                text,
            )
        }
        MailCmd::Knowledge(KnowledgeCmd::List { client }) => {
            let docs = store.mail_knowledge(&client).await?;
            let rows: Vec<Vec<String>> = docs
                .iter()
                .map(|d| {
                    vec![
                        d.name.clone(),
                        fcto_mail::knowledge::passages(&d.name, &d.body)
                            .len()
                            .to_string(),
                        d.added_at.clone(),
                    ]
                })
                .collect();
            let text = table(&["Document", "Passages", "Added"], &rows);
            Output::new(&docs, text)
        }
        MailCmd::Voice {
            client,
            learn,
            from_sent,
            load,
        } => {
            store.client(&client).await?;
            let profile = if let Some(path) = &load {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let profile: fcto_mail::voice::VoiceProfile = serde_json::from_str(&text)
                    .map_err(|e| user_error(format!("{}: {e}", path.display())))?;
                store
                    .put_mail_voice(&client, &serde_json::to_string(&profile)?)
                    .await?;
                profile
            } else if from_sent {
                let replies: Vec<String> = store
                    .mail_messages(&client, true, 5_000)
                    .await?
                    .into_iter()
                    .filter(|m| fcto_responder::queue::is_sent_folder(&m.message.folder))
                    .map(|m| m.message.body)
                    .filter(|b| !b.trim().is_empty())
                    .collect();
                if replies.is_empty() {
                    return Err(user_error(format!(
                        "no sent replies stored for {client}: run `fcto mail sync {client} --folder Sent` first"
                    )));
                }
                let profile = fcto_mail::voice::profile(&replies);
                store
                    .put_mail_voice(&client, &serde_json::to_string(&profile)?)
                    .await?;
                profile
            } else if learn.is_empty() {
                voice_of(&store, &client).await?
            } else {
                let mut replies = Vec::with_capacity(learn.len());
                for path in &learn {
                    let raw = read_eml(path)?;
                    let label = path.display().to_string();
                    let message =
                        fcto_mail::parse(&label, &raw).map_err(|e| user_error(e.to_string()))?;
                    replies.push(fcto_mail::new_text(&message.text));
                }
                let profile = fcto_mail::voice::profile(&replies);
                store
                    .put_mail_voice(&client, &serde_json::to_string(&profile)?)
                    .await?;
                profile
            };
            let text = format!(
                "{client}'s voice ({} replies learned): {}\n",
                profile.messages,
                profile.instructions()
            );
            Output::new(&profile, text)
        }
        MailCmd::Draft { client, eml, model } if !eml.is_empty() => {
            draft(&store, &client, &eml, &model).await
        }
        MailCmd::Draft { client, model, .. } => {
            let account = Account::open(&store, &ctx.cfg.home, &client).await.ok();
            super::mail_queue::draft_queue(&store, &client, account.as_ref(), &model).await
        }
        MailCmd::Sync {
            client,
            folder,
            draft,
            model,
        } => {
            // One account for both: with a refresh token, one exchange.
            let account = Account::open(&store, &ctx.cfg.home, &client).await?;
            let mut out = sync(&store, &account, &client, &folder).await?;
            if draft {
                let queued =
                    super::mail_queue::draft_queue(&store, &client, Some(&account), &model).await?;
                out = out.and(queued);
            }
            Ok(out)
        }
        MailCmd::Queue { client, all } => super::mail_queue::queue(&store, &client, all).await,
        MailCmd::Show { client, id } => super::mail_queue::show(&store, &client, id).await,
        MailCmd::Edit { client, id, file } => {
            super::mail_queue::edit(&store, &ctx.cfg.home, &client, id, &file).await
        }
        MailCmd::Approve {
            client,
            id,
            by,
            no_send,
        } => super::mail_queue::approve(&store, &ctx.cfg.home, &client, id, by, no_send).await,
        MailCmd::Reject {
            client,
            id,
            reason,
            by,
        } => super::mail_queue::reject(&store, &ctx.cfg.home, &client, id, by, reason).await,
        MailCmd::Send { client } => super::mail_queue::send(&store, &ctx.cfg.home, &client).await,
        MailCmd::Resolve {
            client,
            id,
            arrived,
            not_arrived: _,
        } => super::mail_queue::resolve(&store, &client, id, arrived).await,
        MailCmd::Metrics { client } => super::mail_queue::metrics(&store, &client).await,
        MailCmd::Watch {
            client,
            folder,
            model,
            idle_seconds,
            rounds,
        } => {
            super::mail_watch::watch(
                &store,
                &ctx.cfg.home,
                &client,
                &folder,
                &model,
                std::time::Duration::from_secs(idle_seconds),
                rounds,
            )
            .await
        }
        MailCmd::Inbox { client, all, limit } => {
            let messages = store
                .mail_messages(&client, all, limit.clamp(1, 10_000))
                .await?;
            let rows: Vec<Vec<String>> = messages
                .iter()
                .map(|m| {
                    let m2 = &m.message;
                    vec![
                        m.id.to_string(),
                        m2.sent_at.clone().unwrap_or_default(),
                        m2.from_email.clone().unwrap_or_default(),
                        m2.subject.clone(),
                        match (&m2.intent, m2.triage.as_str()) {
                            (Some(intent), "inquiry") => intent.clone(),
                            (_, other) => format!("skipped: {other}"),
                        },
                        if m2.needs_person {
                            "person".into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            let text = table(&["Id", "Sent", "From", "Subject", "Intent", "Flag"], &rows);
            Output::new(&messages, text)
        }
    }
}

#[derive(Serialize)]
struct SyncSummary {
    client: String,
    folder: String,
    fetched: usize,
    new: usize,
    inquiries: usize,
    for_a_person: usize,
    skipped: usize,
    reset: bool,
    too_large: Vec<(u32, u32)>,
    unreadable: Vec<String>,
}

pub(crate) async fn sync(
    store: &fcto_store::Store,
    account: &Account,
    client: &str,
    folder: &str,
) -> Result<Output> {
    let mut mailbox = account.imap().await?;
    let previous = store.mail_folder_sync(client, folder).await?.and_then(|s| {
        Some(FolderState {
            uid_validity: u32::try_from(s.uid_validity).ok()?,
            uid_next: u32::try_from(s.uid_next).ok()?,
            highest_modseq: s.highest_modseq.and_then(|m| u64::try_from(m).ok()),
        })
    });
    // The business's own address: its mail (and fcto's own replies coming
    // back) is never an inquiry, which also keeps a reply loop from forming.
    let mut config = TriageConfig::default();
    for address in [&account.from, &account.user] {
        let address = address
            .rsplit_once('<')
            .map_or(address.as_str(), |(_, a)| a.trim_end_matches('>'))
            .trim()
            .to_lowercase();
        if address.contains('@') {
            config.own_addresses.push(address);
        }
    }
    let sent_folder = fcto_responder::queue::is_sent_folder(folder);
    let mut summary = SyncSummary {
        client: client.into(),
        folder: folder.into(),
        fetched: 0,
        new: 0,
        inquiries: 0,
        for_a_person: 0,
        skipped: 0,
        reset: false,
        too_large: Vec::new(),
        unreadable: Vec::new(),
    };
    // Each message is parsed, triaged and stored with the folder state that
    // follows it, in one transaction, before the next is read: a sync cut
    // short resumes after the last stored message and repeats none.
    let mut failure: Option<anyhow::Error> = None;
    let result = mailbox
        .sync(folder, previous, async |fetched| {
            let label = format!("{folder} UID {}", fetched.uid);
            let state = folder_sync(fetched.state);
            let Some(mut message) = record(
                &label,
                &fetched.raw,
                folder,
                fetched.uid,
                &config,
                &mut summary,
            ) else {
                return Ok(());
            };
            if sent_folder && message.triage == "inquiry" {
                // What the business sent is a past reply, never an inquiry.
                message.triage = "own_mail".into();
                message.intent = None;
                message.needs_person = false;
            }
            match store.record_mail_message(client, &message, state).await {
                Ok(new) => {
                    count(&mut summary, &message, new);
                    Ok(())
                }
                Err(e) => {
                    let detail = e.to_string();
                    failure = Some(e.into());
                    Err(detail)
                }
            }
        })
        .await;
    let report = match result {
        Ok(report) => report,
        Err(ImapError::Handler { .. }) => {
            return Err(failure.unwrap_or_else(|| user_error("the sync stopped")));
        }
        Err(e) => return Err(user_error(e.to_string())),
    };
    summary.reset = report.reset;
    summary.fetched = report.fetched;
    summary.too_large = report.too_large.clone();
    store
        .save_mail_folder_sync(client, folder, folder_sync(report.state))
        .await?;
    let _ = mailbox.logout().await;
    let mut text = format!(
        "{client} {folder}: {} fetched, {} new ({} inquiries, {} for a person, {} skipped){}\n",
        summary.fetched,
        summary.new,
        summary.inquiries,
        summary.for_a_person,
        summary.skipped,
        if summary.reset {
            "; the folder was renumbered, read again"
        } else {
            ""
        }
    );
    for problem in &summary.unreadable {
        text.push_str(&format!("  not read: {problem}\n"));
    }
    for (uid, size) in &summary.too_large {
        text.push_str(&format!(
            "  passed over: UID {uid}, {size} bytes is over the limit\n"
        ));
    }
    Output::new(&summary, text)
}

/// Parse and triage one fetched message into what the store keeps; a
/// message that cannot be read at all is listed and passed over.
fn record(
    label: &str,
    raw: &[u8],
    folder: &str,
    uid: u32,
    config: &TriageConfig,
    summary: &mut SyncSummary,
) -> Option<MailMessage> {
    match stored_message(label, raw, folder, uid, config) {
        Ok(message) => Some(message),
        Err(e) => {
            summary.unreadable.push(e.to_string());
            None
        }
    }
}

/// One raw message, parsed and triaged, as the store keeps it (shared with
/// the demo).
pub(crate) fn stored_message(
    label: &str,
    raw: &[u8],
    folder: &str,
    uid: u32,
    config: &TriageConfig,
) -> Result<MailMessage, fcto_mail::MailError> {
    let message = fcto_mail::parse(label, raw)?;
    let key = message
        .message_id
        .clone()
        .unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(raw))));
    let (triage, intent, needs_person, detail) = match fcto_mail::triage(&message, config) {
        Triage::Skip { reason, detail } => (
            serde_json::to_value(reason)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "skipped".into()),
            None,
            false,
            detail,
        ),
        Triage::Inquiry {
            intent,
            needs_person,
            reasons,
        } => (
            "inquiry".to_string(),
            Some(intent),
            needs_person,
            reasons.join("; "),
        ),
    };
    Ok(MailMessage {
        message_key: key,
        folder: folder.into(),
        uid: i64::from(uid),
        thread_id: message.thread_id.clone(),
        from_email: message.from.as_ref().map(|f| f.email.clone()),
        subject: message.subject.clone(),
        sent_at: message.date.clone(),
        triage,
        intent,
        needs_person,
        detail,
        body: fcto_mail::new_text(&message.text),
        reply_to: message.reply_to.as_ref().map(|r| r.email.clone()),
        refs: message.references.join(" "),
    })
}

fn count(summary: &mut SyncSummary, message: &MailMessage, new: bool) {
    if !new {
        return;
    }
    summary.new += 1;
    if message.triage == "inquiry" {
        summary.inquiries += 1;
        if message.needs_person {
            summary.for_a_person += 1;
        }
    } else {
        summary.skipped += 1;
    }
}

fn folder_sync(state: FolderState) -> FolderSync {
    FolderSync {
        uid_validity: i64::from(state.uid_validity),
        uid_next: i64::from(state.uid_next),
        highest_modseq: state.highest_modseq.and_then(|m| i64::try_from(m).ok()),
    }
}

/// The most a knowledge document or a message file may be.
const MAX_KNOWLEDGE_BYTES: u64 = 2 * 1024 * 1024;

fn read_knowledge(path: &Path) -> Result<(String, String)> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).with_context(|| format!("reading {label}"))?;
    if meta.len() > MAX_KNOWLEDGE_BYTES {
        return Err(user_error(format!(
            "{label}: {} KiB is over the {} KiB limit for one knowledge document; split it",
            meta.len() / 1024,
            MAX_KNOWLEDGE_BYTES / 1024
        )));
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {label}"))?;
    let body = String::from_utf8(bytes).map_err(|e| {
        user_error(format!(
            "{label}: not UTF-8 text (byte {}); save it as UTF-8 Markdown or text",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if body.contains('\0') {
        return Err(user_error(format!("{label}: a binary file, not text")));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(label);
    Ok((name, body))
}

fn read_eml(path: &Path) -> Result<Vec<u8>> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).with_context(|| format!("reading {label}"))?;
    if meta.len() as usize > fcto_mail::MAX_MESSAGE_BYTES {
        return Err(user_error(format!(
            "{label}: over the size limit for one message"
        )));
    }
    std::fs::read(path).with_context(|| format!("reading {label}"))
}

async fn voice_of(
    store: &fcto_store::Store,
    client: &str,
) -> Result<fcto_mail::voice::VoiceProfile> {
    match store.mail_voice(client).await? {
        Some(json) => serde_json::from_str(&json)
            .with_context(|| format!("{client}'s stored voice profile is not readable")),
        None => Ok(fcto_mail::voice::VoiceProfile::default()),
    }
}

#[derive(Serialize)]
struct DraftReport {
    client: String,
    message: String,
    triage: Triage,
    backend: String,
    #[serde(flatten)]
    draft: fcto_mail::draft::Draft,
}

/// Draft a reply to each message file with one loaded model; one file
/// prints its draft, several print a line each and the latency spread.
async fn draft(
    store: &fcto_store::Store,
    client: &str,
    files: &[std::path::PathBuf],
    model: &ModelArgs,
) -> Result<Output> {
    let c = store.client(client).await?;
    // Read every file first: a bad file is said before the model loads.
    let mut inbounds = Vec::with_capacity(files.len());
    for eml in files {
        let raw = read_eml(eml)?;
        let label = eml.display().to_string();
        let inbound = fcto_mail::parse(&label, &raw).map_err(|e| user_error(e.to_string()))?;
        inbounds.push((label, inbound));
    }
    let backend = super::mail_queue::backend(model).await?;
    let context = fcto_responder::queue::Context::load(store, client).await?;
    let mut reports = Vec::with_capacity(inbounds.len());
    for (label, inbound) in inbounds {
        let triage = fcto_mail::triage(&inbound, &TriageConfig::default());
        let needs_person = matches!(
            triage,
            Triage::Inquiry {
                needs_person: true,
                ..
            }
        );
        let input = fcto_mail::draft::DraftInput {
            business: &c.name,
            inbound: &inbound,
            knowledge: &context.knowledge,
            voice: &context.voice,
            past_replies: &context.past_replies,
            needs_person,
        };
        let draft = fcto_mail::draft::draft(backend.as_ref(), &input)
            .await
            .map_err(|e| user_error(format!("{label}: drafting failed: {e}")))?;
        reports.push(DraftReport {
            client: client.into(),
            message: label,
            triage,
            backend: backend.name(),
            draft,
        });
    }
    if let [one] = reports.as_slice() {
        let mut text = format!(
            "{}\n\n-- drafted by {} in {} ms",
            one.draft.text, one.draft.model, one.draft.latency_ms
        );
        if let Triage::Skip { reason, detail } = &one.triage {
            text.push_str(&format!(
                "\nnote: triage would skip this message ({reason:?}: {detail})"
            ));
        }
        for flag in &one.draft.flags {
            text.push_str(&format!("\nflag: {flag}"));
        }
        text.push('\n');
        return Output::new(one, text);
    }
    let mut latencies: Vec<u64> = reports.iter().map(|r| r.draft.latency_ms).collect();
    latencies.sort_unstable();
    let at = |q: f64| {
        let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        latencies[rank - 1]
    };
    let (p50, p95) = (at(0.5), at(0.95));
    let mut text = String::new();
    for r in &reports {
        text.push_str(&format!(
            "{} ms  {}  {} flag(s)\n",
            r.draft.latency_ms,
            r.message,
            r.draft.flags.len()
        ));
    }
    text.push_str(&format!(
        "{} drafts: p50 {p50} ms, p95 {p95} ms\n",
        reports.len()
    ));
    Output::new(
        &serde_json::json!({"drafts": reports, "latency_p50_ms": p50, "latency_p95_ms": p95}),
        text,
    )
}
