//! One module per rule family; each appends [`Hit`]s for one [`Source`].

mod credentials;
mod queries;
mod retry;
mod timeouts;
mod urls;
mod vendors;
mod webhooks;

use super::source::Source;
use super::{Hit, Language, Rule};
use crate::config::ReviewConfig;

/// What the path and the configuration say about the file under review.
pub(crate) struct Context<'c> {
    pub config: &'c ReviewConfig,
    pub is_config: bool,
    pub is_request_path: bool,
    pub is_domain: bool,
}

pub(crate) fn run(source: &Source, context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    urls::check(source, context, &mut hits);
    credentials::check(source, &mut hits);
    timeouts::check(source, &mut hits);
    retry::check(source, &mut hits);
    if context.is_domain {
        vendors::check(source, &mut hits);
    }
    webhooks::check(source, &mut hits);
    queries::check_loops(source, &mut hits);
    queries::check_unbounded(source, context, &mut hits);
    hits
}

/// A hit at token `t`.
pub(crate) fn hit(source: &Source, rule: Rule, t: usize, message: String, fix: String) -> Hit {
    let (line, column) = source
        .tokens
        .get(t)
        .map_or((1, 1), |tok| (tok.line, tok.column));
    Hit {
        rule,
        line,
        column,
        message,
        fix,
    }
}

/// How each language reads a setting from the environment, for fixes.
pub(crate) fn env_lookup(language: Language, name: &str) -> String {
    match language {
        Language::Python => format!("os.environ[\"{name}\"]"),
        Language::JavaScript | Language::TypeScript => format!("process.env.{name}"),
        Language::Ruby => format!("ENV.fetch(\"{name}\")"),
        Language::Go => format!("os.Getenv(\"{name}\")"),
        Language::Java => format!("System.getenv(\"{name}\")"),
        Language::Php => format!("getenv('{name}')"),
        Language::Rust => format!("std::env::var(\"{name}\")?"),
    }
}
