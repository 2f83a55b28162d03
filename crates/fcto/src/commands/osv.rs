//! `fcto osv`: load OSV advisories into the store, and say what is there.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use fcto_osv::{parse_advisory, Source};
use fcto_store::osv::{ImportCounts, StoredAdvisory};
use serde::Serialize;

use crate::cli::OsvCmd;
use crate::output::{table, Output};
use crate::{user_error, Ctx};

/// Advisories handed to the store at a time: one batch in memory.
const BATCH: usize = 500;

pub async fn run(ctx: &Ctx, cmd: OsvCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        OsvCmd::Import { sources } => import(&store, sources).await,
        OsvCmd::Status => status(&store).await,
    }
}

#[derive(Serialize)]
struct ImportReport {
    sources: Vec<String>,
    read: usize,
    #[serde(flatten)]
    counts: ImportCounts,
}

async fn import(store: &fcto_store::Store, paths: Vec<PathBuf>) -> Result<Output> {
    // Open every source first so a missing file fails before anything runs.
    let mut opened = Vec::with_capacity(paths.len());
    for path in &paths {
        opened.push(Source::open(path).map_err(|e| user_error(e.to_string()))?);
    }
    let total: usize = opened.iter().map(Source::len).sum();
    let bar = progress_bar(total as u64);
    let mut import = store.osv_begin_import().await?;
    let mut batch: Vec<StoredAdvisory> = Vec::with_capacity(BATCH);
    let mut read = 0usize;
    for source in opened {
        for raw in source {
            // Any error drops `import` unfinished: the transaction rolls back
            // and what was stored before stays as it was.
            let raw = raw.map_err(|e| user_error(format!("{e}; nothing was imported")))?;
            let advisory = parse_advisory(&raw.label, &raw.bytes)
                .map_err(|e| user_error(format!("{e}; nothing was imported")))?;
            let body = String::from_utf8(raw.bytes).map_err(|_| {
                user_error(format!("{}: not UTF-8; nothing was imported", raw.label))
            })?;
            batch.push(StoredAdvisory {
                packages: advisory.package_keys(),
                id: advisory.id,
                modified: advisory.modified,
                withdrawn: advisory.withdrawn.is_some(),
                source: raw.label,
                body,
            });
            read += 1;
            bar.inc(1);
            if batch.len() == BATCH {
                import.add(&batch).await?;
                batch.clear();
            }
        }
    }
    if !batch.is_empty() {
        import.add(&batch).await?;
    }
    let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let counts = import
        .finish(&sources.join(", "))
        .await
        .context("committing the import")?;
    bar.finish_and_clear();
    let text = format!(
        "Imported {read} advisories from {}: {} new, {} updated, {} unchanged.",
        sources.join(", "),
        counts.new,
        counts.updated,
        counts.unchanged
    );
    Output::new(
        &ImportReport {
            sources,
            read,
            counts,
        },
        text,
    )
}

async fn status(store: &fcto_store::Store) -> Result<Output> {
    let status = store.osv_status().await?;
    let mut text = format!(
        "{} advisories stored ({} withdrawn)",
        status.advisories, status.withdrawn
    );
    if let Some(newest) = &status.newest_modified {
        text.push_str(&format!(", newest modified {newest}"));
    }
    text.push('\n');
    if let Some(last) = &status.last_import {
        text.push_str(&format!(
            "Last import {}: {} advisories from {} ({} new, {} updated)\n",
            last.imported_at, last.advisories, last.sources, last.new, last.updated
        ));
    } else {
        text.push_str("Nothing imported yet: fcto osv import all.zip (from osv.dev)\n");
    }
    if !status.ecosystems.is_empty() {
        let rows: Vec<Vec<String>> = status
            .ecosystems
            .iter()
            .map(|e| vec![e.ecosystem.clone(), e.advisories.to_string()])
            .collect();
        text.push('\n');
        text.push_str(&table(&["Ecosystem", "Advisories"], &rows));
    }
    Output::new(&status, text)
}

/// A bar over the advisories to read, on a terminal only.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "importing advisories {bar:30} {pos}/{len} ({eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
