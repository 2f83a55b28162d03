//! Where fcto keeps its files and which database it uses.
//!
//! Order of precedence for the database: `--db`, then `FCTO_DATABASE_URL`,
//! then `database_url` in `$FCTO_HOME/config.toml`, then SQLite at
//! `$FCTO_HOME/fcto.db`. `$FCTO_HOME` defaults to the XDG data dir.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use fcto_engage::TierTable;
use serde::{Deserialize, Serialize};

use crate::error::UserError;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<TierTable>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub home: PathBuf,
    pub database_url: String,
    pub tiers: TierTable,
}

pub fn default_home() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("fcto")
}

pub fn config_path(home: &Path) -> PathBuf {
    home.join("config.toml")
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite:{}", path.display())
}

pub fn read_config_file(home: &Path) -> Result<ConfigFile> {
    let path = config_path(home);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let cfg: ConfigFile = toml::from_str(&text).map_err(|e| {
                UserError::new(format!("{}: {}", path.display(), e.to_string().trim()))
            })?;
            if let Some(t) = &cfg.tiers {
                t.validate()
                    .map_err(|e| UserError::new(format!("{}: {e}", path.display())))?;
            }
            Ok(cfg)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

pub fn resolve(home: Option<PathBuf>, db_flag: Option<String>) -> Result<Config> {
    let home = home.unwrap_or_else(default_home);
    let file = read_config_file(&home)?;
    let database_url = db_flag
        .filter(|s| !s.is_empty())
        .or_else(|| {
            std::env::var("FCTO_DATABASE_URL")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or(file.database_url)
        .unwrap_or_else(|| sqlite_url(&home.join("fcto.db")));
    Ok(Config {
        home,
        database_url,
        tiers: file.tiers.unwrap_or_default(),
    })
}

/// Write `config.toml`, keeping a tier table that is already there.
pub fn write_config_file(home: &Path, database_url: Option<&str>) -> Result<PathBuf> {
    std::fs::create_dir_all(home).with_context(|| format!("creating {}", home.display()))?;
    let mut cfg = read_config_file(home)?;
    cfg.database_url = database_url.map(str::to_string);
    if cfg.tiers.is_none() {
        cfg.tiers = Some(TierTable::default());
    }
    let path = config_path(home);
    let text = toml::to_string_pretty(&cfg).context("serialising config")?;
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(
        &tmp,
        format!("# fcto configuration (see README.md)\n{text}"),
    )
    .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
