use std::path::Path;

use anyhow::{Context as _, Result};
use fcto_spend::analysis::Analysis;
use fcto_spend::catalog::Catalog;
use fcto_spend::import::{self, Format, MAX_FILE_BYTES};
use fcto_spend::seats::parse_seats;
use fcto_store::spend::ParsedFile;
use fcto_store::Store;
use sha2::{Digest, Sha256};

use crate::cli::SpendCmd;
use crate::output::Output;
use crate::{user_error, Ctx};

/// Read a user's file, refusing one too large before reading it.
pub fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(user_error(format!(
            "{}: {} MiB is over the {} MiB limit for one file; split the export by date",
            path.display(),
            meta.len() / 1024 / 1024,
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn spinner(msg: String) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(msg);
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// A client's spend analysis, or a user error when nothing is imported.
pub async fn client_analysis(
    store: &Store,
    client: &str,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Analysis> {
    store.spend_analysis(client, as_of).await?.ok_or_else(|| {
        user_error(format!(
            "no transactions for {client} yet: fcto spend import {client} FILE..."
        ))
    })
}

pub async fn run(ctx: &Ctx, cmd: SpendCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        SpendCmd::Import {
            client,
            files,
            format,
        } => {
            store.client(&client).await?;
            let format: Option<Format> = match format.as_str() {
                "auto" => None,
                f => Some(f.parse().map_err(user_error)?),
            };
            // Parse everything first: one bad file and nothing is stored.
            let mut parsed = Vec::with_capacity(files.len());
            for path in &files {
                let name = path.display().to_string();
                let pb = spinner(format!("reading {name}"));
                let bytes = read_limited(path)?;
                let sha = hex::encode(Sha256::digest(&bytes));
                pb.set_message(format!("parsing {name}"));
                let started = std::time::Instant::now();
                let statement =
                    import::parse(&name, &bytes, format).map_err(|e| user_error(e.to_string()))?;
                let parsed_ms = started.elapsed().as_millis() as u64;
                let keys = fcto_spend::identity::transaction_keys(
                    statement.format,
                    &statement.transactions,
                );
                tracing::debug!(
                    file = %name,
                    rows = statement.transactions.len(),
                    parse_ms = parsed_ms,
                    keys_ms = started.elapsed().as_millis() as u64 - parsed_ms,
                    "parsed"
                );
                pb.finish_and_clear();
                parsed.push(ParsedFile {
                    file_name: name,
                    sha256: sha,
                    format: statement.format,
                    transactions: statement.transactions,
                    keys,
                });
            }
            let total: usize = parsed.iter().map(|p| p.transactions.len()).sum();
            let pb = spinner(format!("storing {total} transactions"));
            let started = std::time::Instant::now();
            let summary = store.import_transactions(&client, &parsed).await?;
            tracing::debug!(ms = started.elapsed().as_millis() as u64, "stored");
            pb.finish_and_clear();
            let mut text = String::new();
            for f in &summary.files {
                text.push_str(&format!(
                    "{} ({}): {} transactions, {} new, {} already stored\n",
                    f.file, f.format, f.transactions, f.new, f.already_stored
                ));
            }
            text.push_str(&format!("Next: fcto spend report {client}\n"));
            Output::new(&summary, text)
        }
        SpendCmd::Seats {
            client,
            vendor,
            file,
        } => {
            store.client(&client).await?;
            let bytes = read_limited(&file)?;
            let name = file.display().to_string();
            let list = parse_seats(&name, &bytes).map_err(|e| user_error(e.to_string()))?;
            store.save_seat_list(&client, &vendor, &name, &list).await?;
            let suspended = list.seats.iter().filter(|s| s.suspended).count();
            let text = format!(
                "{} seats of {vendor} from {name} ({:?}), {suspended} suspended.\n",
                list.seats.len(),
                list.format
            );
            Output::new(&list, text)
        }
        SpendCmd::Report {
            client,
            format,
            out,
            as_of,
        } => {
            let c = store.client(&client).await?;
            let as_of = as_of
                .map(|s| fcto_engage::validate::date("as-of", &s))
                .transpose()?;
            let a = client_analysis(&store, &client, as_of).await?;
            let rendered = match format.as_str() {
                "text" | "md" | "markdown" => fcto_spend::report::markdown(&c.name, &a),
                "html" => fcto_spend::report::html(&c.name, &a),
                f => {
                    return Err(user_error(format!(
                        "invalid format: {f:?} is not one of text, md, html"
                    )))
                }
            };
            let text = match &out {
                Some(path) => {
                    std::fs::write(path, &rendered)
                        .with_context(|| format!("writing {}", path.display()))?;
                    format!(
                        "Wrote {}: {} subscriptions, savings {} a month.\n",
                        path.display(),
                        a.subscriptions.len(),
                        fcto_spend::money::format_money(a.savings.total_monthly, &a.currency)
                    )
                }
                None => rendered,
            };
            Output::new(&a, text)
        }
        SpendCmd::Catalog {
            client,
            search,
            add,
        } => {
            if let (Some(c), Some(path)) = (&client, &add) {
                let bytes = read_limited(path)?;
                let body = String::from_utf8(bytes)
                    .map_err(|_| user_error(format!("{}: not UTF-8 text", path.display())))?;
                let name = path.display().to_string();
                Catalog::from_toml(&body, &name).map_err(|e| user_error(e.to_string()))?;
                store.set_catalog_extension(c, &name, &body).await?;
            }
            let catalog = match &client {
                Some(c) => store.client_catalog(c).await?,
                None => Catalog::builtin(),
            };
            let needle = search.as_deref().map(str::to_lowercase);
            let vendors: Vec<_> = catalog
                .vendors()
                .iter()
                .filter(|v| {
                    needle.as_deref().is_none_or(|n| {
                        v.id.contains(n)
                            || v.name.to_lowercase().contains(n)
                            || v.category.contains(n)
                    })
                })
                .cloned()
                .collect();
            let rows: Vec<Vec<String>> = vendors
                .iter()
                .map(|v| {
                    vec![
                        v.id.clone(),
                        v.name.clone(),
                        v.category.clone(),
                        format!("{:?}", v.pricing),
                        v.patterns.join(", "),
                    ]
                })
                .collect();
            let mut text =
                crate::output::table(&["ID", "NAME", "CATEGORY", "PRICING", "PATTERNS"], &rows);
            text.push_str(&format!("{} vendors\n", vendors.len()));
            Output::new(&vendors, text)
        }
    }
}
