use anyhow::Result;
use fcto_store::{migrate, redact_url, OpenMode, Store};
use serde::Serialize;

use crate::config;
use crate::output::Output;
use crate::Ctx;

#[derive(Serialize)]
struct Initialised {
    home: String,
    config: String,
    database: String,
    schema_version: i64,
}

pub async fn run(ctx: &Ctx) -> Result<Output> {
    let url = &ctx.cfg.database_url;
    let default_url = config::sqlite_url(&ctx.cfg.home.join("fcto.db"));
    // Record a non-default database in the config so later commands find it.
    let recorded = (url != &default_url).then_some(url.as_str());
    std::fs::create_dir_all(&ctx.cfg.home)?;
    let store = Store::open(url, OpenMode::Create).await?;
    let version = migrate::applied_versions(&store)
        .await?
        .last()
        .copied()
        .unwrap_or(0);
    store.close().await;
    let config_path = config::write_config_file(&ctx.cfg.home, recorded)?;
    let r = Initialised {
        home: ctx.cfg.home.display().to_string(),
        config: config_path.display().to_string(),
        database: redact_url(url),
        schema_version: version,
    };
    let text = format!(
        "fcto is ready.\n  home:     {}\n  config:   {}\n  database: {} (schema v{})\nNext: fcto client add \"Client Name\" --tier growth\n",
        r.home, r.config, r.database, r.schema_version
    );
    Output::new(&r, text)
}
