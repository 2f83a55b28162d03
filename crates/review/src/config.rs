//! `.fcto/review.toml` in the reviewed repository: which rules run, at what
//! severity, for which SQL dialect, which folders hold domain code, which
//! external hosts are fine to name, and how big tables are.
//!
//! ```toml
//! dialect = "postgres"              # postgres | mysql | sqlite
//! domain = ["app/domain", "src/core"]
//! allowed_hosts = ["api.example.com"]
//! [rules.index-not-concurrent]
//! severity = "error"                # note | warning | error
//! [rules.prefer-text]
//! enabled = false
//! [table_sizes]
//! orders = 50000000
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::finding::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[default]
    #[serde(alias = "postgresql", alias = "pg")]
    Postgres,
    #[serde(alias = "mariadb")]
    Mysql,
    Sqlite,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    #[serde(default)]
    pub dialect: Dialect,
    /// Folders (path prefixes, `/`-separated) holding domain code, where
    /// vendor SDKs should not be imported directly.
    #[serde(default)]
    pub domain: Vec<String>,
    /// Hosts that may appear in code (e.g. the business's own API).
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// Row counts per table (lower-case name, optionally `schema.table`).
    #[serde(default)]
    pub table_sizes: BTreeMap<String, u64>,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl ReviewConfig {
    /// Parse the text of a `.fcto/review.toml`; `path` names it in errors
    /// (toml's message carries the line and column).
    pub fn parse(path: &str, text: &str) -> Result<ReviewConfig, ConfigError> {
        toml::from_str(text).map_err(|err| ConfigError {
            path: path.to_string(),
            message: err.to_string(),
        })
    }

    pub fn rule_enabled(&self, rule: &str) -> bool {
        self.rules
            .get(rule)
            .and_then(|setting| setting.enabled)
            .unwrap_or(true)
    }

    /// The severity configured for `rule`, or `default`.
    pub fn severity(&self, rule: &str, default: Severity) -> Severity {
        self.rules
            .get(rule)
            .and_then(|setting| setting.severity)
            .unwrap_or(default)
    }

    /// Whether `path` lies in a configured domain folder.
    pub fn is_domain_path(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        self.domain.iter().any(|prefix| {
            let prefix = prefix.trim_start_matches("./").trim_end_matches('/');
            path == prefix || path.starts_with(&format!("{prefix}/"))
        })
    }

    /// Whether `host` is allowed: equal to an entry or a subdomain of one.
    pub fn host_allowed(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.allowed_hosts.iter().any(|allowed| {
            let allowed = allowed.to_ascii_lowercase();
            host == allowed || host.ends_with(&format!(".{allowed}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_field() {
        let config = ReviewConfig::parse(
            ".fcto/review.toml",
            "dialect = \"mysql\"\ndomain = [\"app/domain/\"]\nallowed_hosts = [\"example.com\"]\n\
             [rules.prefer-text]\nenabled = false\n[rules.add-column-not-null]\nseverity = \"note\"\n\
             [table_sizes]\norders = 50000000\n",
        )
        .expect("valid config");
        assert_eq!(config.dialect, Dialect::Mysql);
        assert!(!config.rule_enabled("prefer-text"));
        assert!(config.rule_enabled("anything-else"));
        assert_eq!(
            config.severity("add-column-not-null", Severity::Error),
            Severity::Note
        );
        assert!(config.is_domain_path("app/domain/billing.py"));
        assert!(!config.is_domain_path("app/domainx/billing.py"));
        assert!(config.host_allowed("api.example.com"));
        assert!(!config.host_allowed("example.com.evil.io"));
        assert_eq!(config.table_sizes.get("orders"), Some(&50_000_000));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_file_and_line() {
        let err = ReviewConfig::parse(".fcto/review.toml", "dialect = \"oracle\"\n")
            .expect_err("unknown dialect");
        let text = err.to_string();
        assert!(text.starts_with(".fcto/review.toml:"), "{text}");
        assert!(text.contains("line 1"), "{text}");
        let err = ReviewConfig::parse(".fcto/review.toml", "\n[rules.x]\nsevrity = \"note\"\n")
            .expect_err("typo");
        assert!(err.to_string().contains("sevrity"), "{err}");
    }
}
