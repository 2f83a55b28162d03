//! The `fcto` binary: parses the command line, opens the store, calls the
//! domain crates and prints the result as text or `--json`. No domain logic
//! lives here.

mod cli;
mod commands;
mod config;
mod error;
mod git;
mod output;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Parser;

use crate::cli::Cli;
use crate::error::{error_kind, exit_code, UserError};

/// What every command gets: the resolved config, the output mode and "today".
pub struct Ctx {
    pub cfg: config::Config,
    pub json: bool,
    pub today: NaiveDate,
    /// Set when `--today`/`FCTO_TODAY` fixed the date (a server then keeps it).
    pub today_override: Option<NaiveDate>,
}

impl Ctx {
    /// Open the configured database, which must exist.
    pub async fn store(&self) -> Result<fcto_store::Store> {
        Ok(fcto_store::Store::open(&self.cfg.database_url, fcto_store::OpenMode::Existing).await?)
    }

    /// Parse an optional date flag, defaulting to today.
    pub fn date_or_today(&self, field: &'static str, s: Option<&str>) -> Result<NaiveDate> {
        match s {
            Some(s) => Ok(fcto_engage::validate::date(field, s)?),
            None => Ok(self.today),
        }
    }
}

fn main() {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FCTO_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let json = cli.json;
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run(cli)));
    match result {
        Ok(()) => {}
        Err(err) => {
            let code = exit_code(&err);
            if json {
                let body = serde_json::json!({
                    "error": { "kind": error_kind(code), "message": format!("{err:#}") }
                });
                eprintln!("{body}");
            } else {
                eprintln!("error: {err:#}");
            }
            std::process::exit(code);
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let today_override = cli
        .today
        .as_deref()
        .map(|s| fcto_engage::validate::date("today", s))
        .transpose()?;
    let today = today_override.unwrap_or_else(|| chrono::Local::now().date_naive());
    let cfg = config::resolve(cli.home.clone(), cli.db.clone())?;
    let ctx = Ctx {
        cfg,
        json: cli.json,
        today,
        today_override,
    };
    let out = commands::dispatch(&ctx, cli).await?;
    out.print(ctx.json)?;
    if out.exit_code != 0 {
        std::process::exit(out.exit_code);
    }
    Ok(())
}

/// Shorthand for a user error.
pub fn user_error(msg: impl Into<String>) -> anyhow::Error {
    UserError::new(msg).into()
}
