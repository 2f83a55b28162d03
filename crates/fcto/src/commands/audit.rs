//! `fcto audit`: scan the paths (fcto-audit), add what needs the store
//! (advisories, notes) and git (history), rank the risks, keep the audit
//! under the client, and print or write the report.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use fcto_audit::{Audit, Progress, Request, Sections, Severity};
use serde::Serialize;

use crate::cli::{AuditArgs, AuditCmd, AuditRunArgs};
use crate::error::EXIT_FINDINGS;
use crate::output::Output;
use crate::{user_error, Ctx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Markdown,
    Html,
    Json,
    CycloneDx,
    Sarif,
}

fn format(name: &str) -> Result<Format> {
    Ok(match name {
        "md" | "markdown" => Format::Markdown,
        "html" => Format::Html,
        "json" => Format::Json,
        "cyclonedx" | "cdx" => Format::CycloneDx,
        "sarif" => Format::Sarif,
        other => {
            return Err(user_error(format!(
                "invalid --format: {other:?} is not one of md, html, json, cyclonedx, sarif"
            )))
        }
    })
}

fn fail_on(name: &str) -> Result<Option<Severity>> {
    Ok(Some(match name {
        "never" => return Ok(None),
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        other => {
            return Err(user_error(format!(
                "invalid --fail-on: {other:?} is not one of low, medium, high, critical, never"
            )))
        }
    }))
}

pub async fn run(ctx: &Ctx, args: AuditArgs) -> Result<Output> {
    match args.command {
        Some(command) => stored(ctx, command).await,
        None => audit(ctx, args.run).await,
    }
}

/// What `--out` prints, and `--json` with `--out`.
#[derive(Serialize)]
struct Written {
    out: String,
    format: String,
    stored_as: Option<i64>,
    risks: usize,
    headline: String,
}

async fn audit(ctx: &Ctx, args: AuditRunArgs) -> Result<Output> {
    // --json asks for JSON on stdout; a file keeps the format asked for.
    let asked = format(&args.format)?;
    let format = if ctx.json && args.out.is_none() {
        Format::Json
    } else {
        asked
    };
    let fail_on = fail_on(&args.fail_on)?;
    let mut sections = if args.only.is_empty() {
        Sections::default()
    } else {
        let mut s = Sections::none();
        for name in &args.only {
            if !s.enable(name.trim()) {
                return Err(user_error(format!(
                    "invalid --only: {name:?} is not one of languages, dependencies, vulnerabilities, secrets, infrastructure, data, history"
                )));
            }
        }
        s
    };
    if args.no_history {
        sections.history = false;
    }
    for path in &args.paths {
        if !path.exists() {
            return Err(user_error(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    // The store is needed for a client (to keep the audit) and helps
    // without one (advisories); an audit of a folder works with neither.
    let store = match &args.client {
        Some(client) => {
            let store = ctx.store().await?;
            store.client(client).await?;
            Some(store)
        }
        None => ctx.store().await.ok(),
    };

    let request = Request {
        roots: fcto_audit::roots_for(&args.paths),
        client: args.client.clone(),
        started_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        tool: format!("fcto {}", env!("CARGO_PKG_VERSION")),
        sections,
        threads: args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        }),
        max_file_bytes: args.max_file_mb.saturating_mul(1024 * 1024),
        allowlist: args.allowlist.clone(),
    };
    let (audit, stored_as) = perform(store.as_ref(), request, args.day_rate, true).await?;
    let exit_code = match fail_on {
        Some(level) if audit.risks.iter().any(|r| r.severity >= level) => EXIT_FINDINGS,
        _ => 0,
    };
    let mut out = deliver(&audit, format, args.out.as_ref(), stored_as)?;
    out.exit_code = exit_code;
    Ok(out)
}

/// The whole audit: the scan, then what needs the store (advisories, the
/// client's notes) and git (history), the ranked risks, and, for a client,
/// the stored copy. Shared with `fcto demo`.
pub(crate) async fn perform(
    store: Option<&fcto_store::Store>,
    request: Request,
    day_rate: u64,
    show_progress: bool,
) -> Result<(Audit, Option<i64>)> {
    let sections = request.sections;
    let progress = Arc::new(Progress::default());
    let bar = if show_progress {
        spinner(Arc::clone(&progress))
    } else {
        indicatif::ProgressBar::hidden()
    };
    let scan_request = request.clone();
    let scan_progress = Arc::clone(&progress);
    let mut audit =
        tokio::task::spawn_blocking(move || fcto_audit::scan(&scan_request, &scan_progress))
            .await
            .context("the scan stopped")??;
    if let Some(store) = store {
        if sections.dependencies {
            vulnerabilities(store, &mut audit).await?;
        }
    }
    if sections.history {
        bar.set_message("reading git history");
        let roots = request.roots.clone();
        audit = tokio::task::spawn_blocking(move || {
            let now = chrono::Utc::now().timestamp();
            fcto_audit::history::attach(&mut audit, &roots, now);
            audit
        })
        .await
        .context("reading git history stopped")?;
    }
    bar.finish_and_clear();
    if let (Some(store), Some(client)) = (store, &request.client) {
        audit.notes = notes(store, client).await?;
    }
    fcto_audit::finish(&mut audit, day_rate);
    let stored_as = match (store, &request.client) {
        (Some(store), Some(client)) => {
            let json = serde_json::to_string(&audit).context("serialising the audit")?;
            Some(
                store
                    .save_audit(client, &audit.started_at, &headline(&audit), &json)
                    .await?
                    .id,
            )
        }
        _ => None,
    };
    Ok((audit, stored_as))
}

/// Render and print, or write to `--out` and print a short summary.
fn deliver(
    audit: &Audit,
    format: Format,
    out: Option<&PathBuf>,
    stored_as: Option<i64>,
) -> Result<Output> {
    let body = render(audit, format)?;
    match out {
        Some(path) => {
            write_atomically(path, &body)?;
            let written = Written {
                out: path.display().to_string(),
                format: format_name(format).into(),
                stored_as,
                risks: audit.risks.len(),
                headline: headline(audit),
            };
            let text = format!(
                "Wrote {} ({}): {}{}\n",
                written.out,
                written.format,
                written.headline,
                stored_as
                    .map(|id| format!("; stored as audit {id}"))
                    .unwrap_or_default()
            );
            Output::new(&written, text)
        }
        None => {
            let json = match format {
                Format::Markdown | Format::Html => serde_json::to_value(audit)?,
                _ => serde_json::from_str(&body)?,
            };
            Ok(Output {
                json,
                text: body,
                exit_code: 0,
            })
        }
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Markdown => "md",
        Format::Html => "html",
        Format::Json => "json",
        Format::CycloneDx => "cyclonedx",
        Format::Sarif => "sarif",
    }
}

fn render(audit: &Audit, format: Format) -> Result<String> {
    Ok(match format {
        Format::Markdown => fcto_audit::render::markdown(audit),
        Format::Html => fcto_audit::render::html(audit),
        Format::Json => serde_json::to_string_pretty(audit)?,
        Format::Sarif => serde_json::to_string_pretty(&fcto_audit::render::sarif(audit))?,
        Format::CycloneDx => {
            serde_json::to_string_pretty(&fcto_audit::render::cyclonedx(audit, &uuid_v4()))?
        }
    })
}

/// A random (version 4) UUID for the BOM's serial number.
fn uuid_v4() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Write through a temporary file so a failed run never leaves half a
/// report where the last good one was.
fn write_atomically(path: &PathBuf, body: &str) -> Result<()> {
    let tmp = path.with_extension("fcto-tmp");
    std::fs::write(&tmp, body).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn headline(audit: &Audit) -> String {
    format!(
        "{}, {}, {}, {}",
        plural(audit.risks.len(), "risk", "risks"),
        plural(audit.secrets.findings.len(), "secret", "secrets"),
        plural(
            audit.vulnerabilities.findings.len(),
            "vulnerability",
            "vulnerabilities"
        ),
        plural(
            audit.dependencies.components.len(),
            "dependency",
            "dependencies"
        ),
    )
}

/// Look up advisories for every component in the store and match them with
/// each ecosystem's version rules.
async fn vulnerabilities(store: &fcto_store::Store, audit: &mut Audit) -> Result<()> {
    let wanted = fcto_audit::vulns::lookups(audit);
    let status = store.osv_status().await?;
    let raw = store.osv_advisories_for(&wanted).await?;
    fcto_audit::vulns::attach(audit, u64::try_from(status.advisories).unwrap_or(0), &raw);
    Ok(())
}

async fn notes(store: &fcto_store::Store, client: &str) -> Result<Vec<fcto_audit::Note>> {
    Ok(store
        .audit_notes(client)
        .await?
        .into_iter()
        .map(|n| fcto_audit::Note {
            section: n.section,
            text: n.body,
            created_at: n.created_at,
        })
        .collect())
}

/// A spinner with files and bytes read, on a terminal only.
fn spinner(progress: Arc<Progress>) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} auditing: {msg} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let ticker = bar.clone();
    std::thread::spawn(move || {
        while !ticker.is_finished() {
            let files = progress.files.load(Ordering::Relaxed);
            let bytes = progress.bytes.load(Ordering::Relaxed);
            if ticker.message().is_empty() || files > 0 {
                ticker.set_message(format!("{files} files, {} MB", bytes / 1_000_000));
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    });
    bar
}

const SECTIONS: &[&str] = fcto_audit::model::NOTE_SECTIONS;

async fn stored(ctx: &Ctx, command: AuditCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match command {
        AuditCmd::Note {
            client,
            section,
            text,
        } => {
            if !SECTIONS.contains(&section.as_str()) {
                return Err(user_error(format!(
                    "invalid --section: {section:?} is not one of {}",
                    SECTIONS.join(", ")
                )));
            }
            let body = text.join(" ");
            if body.trim().is_empty() {
                return Err(user_error("the note is empty"));
            }
            let note = store.add_audit_note(&client, &section, body.trim()).await?;
            let text = format!(
                "Noted under {} for {client} (note {}).\n",
                note.section, note.id
            );
            Output::new(&note, text)
        }
        AuditCmd::Notes { client } => {
            let notes = store.audit_notes(&client).await?;
            let rows: Vec<Vec<String>> = notes
                .iter()
                .map(|n| {
                    vec![
                        n.id.to_string(),
                        n.section.clone(),
                        n.created_at.clone(),
                        n.body.clone(),
                    ]
                })
                .collect();
            let text = crate::output::table(&["Id", "Section", "Added", "Note"], &rows);
            Output::new(&notes, text)
        }
        AuditCmd::List { client } => {
            let audits = store.audits(&client).await?;
            let rows: Vec<Vec<String>> = audits
                .iter()
                .map(|a| vec![a.id.to_string(), a.started_at.clone(), a.headline.clone()])
                .collect();
            let text = crate::output::table(&["Id", "When", "Found"], &rows);
            Output::new(&audits, text)
        }
        AuditCmd::Show {
            client,
            id,
            format: name,
            out,
        } => {
            let format = if ctx.json && out.is_none() {
                Format::Json
            } else {
                format(&name)?
            };
            let (row, json) = store.audit_report(&client, id).await?;
            let mut audit: Audit = serde_json::from_str(&json)
                .with_context(|| format!("audit {} of {client} is not readable", row.id))?;
            // The manual parts are the client's current notes, including
            // those added after the scan.
            audit.notes = notes(&store, &client).await?;
            deliver(&audit, format, out.as_ref(), Some(row.id))
        }
        AuditCmd::Diff { client, from, to } => {
            let audits = store.audits(&client).await?;
            let (from, to) = match (from, to) {
                (Some(f), Some(t)) => (f, t),
                (from, to) => {
                    let to = to.or_else(|| audits.last().map(|a| a.id));
                    let from = from.or_else(|| {
                        audits
                            .iter()
                            .rev()
                            .map(|a| a.id)
                            .find(|id| Some(*id) != to && to.is_none_or(|t| *id < t))
                    });
                    match (from, to) {
                        (Some(f), Some(t)) => (f, t),
                        _ => {
                            return Err(user_error(format!(
                                "{client} has {} stored audit(s); a diff needs two (run `fcto audit PATH --client {client}` again)",
                                audits.len()
                            )))
                        }
                    }
                }
            };
            let load = |json: String, id: i64| -> Result<Audit> {
                serde_json::from_str(&json)
                    .with_context(|| format!("audit {id} of {client} is not readable"))
            };
            let (_, before) = store.audit_report(&client, Some(from)).await?;
            let (_, after) = store.audit_report(&client, Some(to)).await?;
            let diff = fcto_audit::diff(&load(before, from)?, &load(after, to)?);
            let text = fcto_audit::render::diff_text(&diff, from, to);
            Output::new(&diff, text)
        }
    }
}
