//! Integration coupling in source code: the places where a business is tied
//! to a vendor or an external host in ways that break at 10x traffic or when
//! the vendor changes: hard-coded hosts, credentials in code, HTTP calls
//! without timeouts or retries, vendor SDKs in domain code, unverified
//! webhooks, N+1 queries and unbounded queries in request paths.
//!
//! Precision comes from a small per-language tokenizer ([`lex`]) and a
//! bracket/indentation structure pass ([`source`]) rather than tree-sitter:
//! no C to compile, no new dependency, and calls in comments or strings never
//! match because rules only ever look at code tokens.

mod lex;
mod paths;
mod rules;
mod source;

use crate::config::ReviewConfig;
use crate::finding::{Finding, Severity};

pub use paths::{is_config_path, is_request_path};

/// Languages the coupling rules understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Python,
    JavaScript,
    TypeScript,
    Ruby,
    Go,
    Java,
    Php,
    Rust,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Ruby => "ruby",
            Language::Go => "go",
            Language::Java => "java",
            Language::Php => "php",
            Language::Rust => "rust",
        }
    }
}

/// The language of a file, by extension.
pub fn language_of(path: &str) -> Option<Language> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (_, extension) = name.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "py" | "pyw" => Some(Language::Python),
        "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
        "ts" | "tsx" | "mts" | "cts" => Some(Language::TypeScript),
        "rb" | "rake" => Some(Language::Ruby),
        "go" => Some(Language::Go),
        "java" => Some(Language::Java),
        "php" => Some(Language::Php),
        "rs" => Some(Language::Rust),
        _ => None,
    }
}

/// The coupling rules, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    HardcodedExternalUrl,
    CredentialInCode,
    HttpNoTimeout,
    ExternalCallNoRetry,
    VendorSdkInDomain,
    WebhookWithoutSignatureCheck,
    QueryInLoop,
    UnboundedQuery,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::HardcodedExternalUrl,
        Rule::CredentialInCode,
        Rule::HttpNoTimeout,
        Rule::ExternalCallNoRetry,
        Rule::VendorSdkInDomain,
        Rule::WebhookWithoutSignatureCheck,
        Rule::QueryInLoop,
        Rule::UnboundedQuery,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::HardcodedExternalUrl => "hardcoded-external-url",
            Rule::CredentialInCode => "credential-in-code",
            Rule::HttpNoTimeout => "http-no-timeout",
            Rule::ExternalCallNoRetry => "external-call-no-retry",
            Rule::VendorSdkInDomain => "vendor-sdk-in-domain",
            Rule::WebhookWithoutSignatureCheck => "webhook-without-signature-check",
            Rule::QueryInLoop => "query-in-loop",
            Rule::UnboundedQuery => "unbounded-query",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::CredentialInCode | Rule::WebhookWithoutSignatureCheck => Severity::Error,
            Rule::ExternalCallNoRetry => Severity::Note,
            _ => Severity::Warning,
        }
    }

    /// One line: what the rule looks for.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::HardcodedExternalUrl => "http(s)/ws(s) URL literal naming a public host not in allowed_hosts, outside config files",
            Rule::CredentialInCode => "string literal assigned to a secret-looking name, or a known vendor key shape (redacted)",
            Rule::HttpNoTimeout => "HTTP client call or client construction with no timeout",
            Rule::ExternalCallNoRetry => "POST to an external API with no retry/backoff in its function",
            Rule::VendorSdkInDomain => "vendor SDK imported in a configured domain folder instead of behind an adapter",
            Rule::WebhookWithoutSignatureCheck => "webhook handler that never verifies the sender's signature",
            Rule::QueryInLoop => "ORM or SQL query inside a loop body (N+1)",
            Rule::UnboundedQuery => "query with no LIMIT or pagination in a request path",
        }
    }

    /// What happens at 10x traffic, or when the vendor changes or goes down.
    pub fn why(self) -> &'static str {
        match self {
            Rule::HardcodedExternalUrl => {
                "A host baked into code cannot be switched per environment or moved when the \
                 vendor changes its endpoint, region or version; staging ends up calling \
                 production, and a vendor migration becomes a code hunt and a redeploy."
            }
            Rule::CredentialInCode => {
                "A secret in the repository is in every clone, fork, CI log and backup forever; \
                 rotating it needs a deploy, and one leak gives an attacker the vendor account \
                 at whatever scale the key allows."
            }
            Rule::HttpNoTimeout => {
                "Without a timeout a slow or hung vendor holds the worker or connection open \
                 indefinitely; at 10x traffic every worker ends up waiting on the same stalled \
                 host and the whole service stops answering, not just the integration."
            }
            Rule::ExternalCallNoRetry => {
                "Networks drop a fraction of calls; at 10x volume that fraction becomes a steady \
                 stream of lost payments, emails or orders. Retrying a POST without an \
                 idempotency key double-charges instead, so both belong together."
            }
            Rule::VendorSdkInDomain => {
                "When business rules call a vendor SDK directly, the vendor's types and errors \
                 spread through the domain; switching vendors or adding a second one means \
                 rewriting the business logic, and tests need the vendor's network."
            }
            Rule::WebhookWithoutSignatureCheck => {
                "Anyone who finds the URL can post a fake 'payment succeeded' or 'subscription \
                 renewed' event; without a signature check the handler acts on it. Webhook URLs \
                 leak through logs and vendor dashboards."
            }
            Rule::QueryInLoop => {
                "One query per item (N+1): a page of 20 rows costs 21 round trips today and 201 \
                 when the list is ten times longer; latency and database load grow with the \
                 data instead of staying flat."
            }
            Rule::UnboundedQuery => {
                "A query with no LIMIT in a request path returns every row; at 10x data the \
                 response, the memory and the query time grow tenfold until requests time out \
                 or the process runs out of memory."
            }
        }
    }
}

/// What a rule found, before config and suppressions are applied.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub rule: Rule,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub fix: String,
}

/// Review one source file for integration coupling. Files in languages
/// not listed in [`Language`] yield nothing.
pub fn review_source(path: &str, text: &str, config: &ReviewConfig) -> Vec<Finding> {
    let Some(language) = language_of(path) else {
        return Vec::new();
    };
    let source = source::Source::new(path, text, language);
    let context = rules::Context {
        config,
        is_config: is_config_path(path),
        is_request_path: is_request_path(path),
        is_domain: config.is_domain_path(path),
    };
    let mut hits = rules::run(&source, &context);
    hits.sort_by(|a, b| (a.line, a.column, a.rule.id()).cmp(&(b.line, b.column, b.rule.id())));
    hits.dedup_by(|a, b| a.rule == b.rule && a.line == b.line && a.column == b.column);
    let findings = hits
        .into_iter()
        .filter(|hit| config.rule_enabled(hit.rule.id()))
        .map(|hit| Finding {
            rule: hit.rule.id().to_string(),
            severity: config.severity(hit.rule.id(), hit.rule.default_severity()),
            path: path.to_string(),
            line: hit.line,
            column: hit.column,
            message: hit.message,
            why: hit.rule.why().to_string(),
            fix: hit.fix,
            table: None,
            estimate: None,
        })
        .collect();
    crate::suppress::apply(path, text, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_extension() {
        assert_eq!(language_of("a/b.py"), Some(Language::Python));
        assert_eq!(language_of("x.mjs"), Some(Language::JavaScript));
        assert_eq!(language_of("x.tsx"), Some(Language::TypeScript));
        assert_eq!(language_of("x.rb"), Some(Language::Ruby));
        assert_eq!(language_of("x.go"), Some(Language::Go));
        assert_eq!(language_of("X.java"), Some(Language::Java));
        assert_eq!(language_of("x.php"), Some(Language::Php));
        assert_eq!(language_of("x.rs"), Some(Language::Rust));
        assert_eq!(language_of("Makefile"), None);
        assert_eq!(language_of("x.sql"), None);
    }

    #[test]
    fn rule_ids_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
    }

    #[test]
    fn config_disables_and_overrides_severity() {
        let text = "import requests\nrequests.get('https://api.stripe.com/v1/x')\n";
        let config = ReviewConfig::parse(
            "r.toml",
            "[rules.hardcoded-external-url]\nenabled = false\n[rules.http-no-timeout]\nseverity = \"error\"\n",
        )
        .expect("config");
        let findings = review_source("app/pay.py", text, &config);
        assert!(findings.iter().all(|f| f.rule != "hardcoded-external-url"));
        let timeout = findings
            .iter()
            .find(|f| f.rule == "http-no-timeout")
            .expect("timeout finding");
        assert_eq!(timeout.severity, Severity::Error);
        assert_eq!((timeout.line, timeout.column), (2, 1));
    }

    #[test]
    fn secrets_never_reach_the_report() {
        let text =
            "STRIPE = 'sk_live_51HxAbCdEfGhIjKlMnOpQrStUv'\nDB_PASSWORD = \"Tr0ub4dor&3xyz\"\n";
        let findings = review_source("app/x.py", text, &ReviewConfig::default());
        assert_eq!(findings.len(), 2, "{findings:?}");
        for finding in findings {
            let printed = format!("{} {} {}", finding.message, finding.why, finding.fix);
            assert!(
                !printed.contains("51HxAbCd") && !printed.contains("ub4dor"),
                "{printed}"
            );
        }
    }

    #[test]
    fn inline_suppression_applies() {
        let text = "import requests\n# fcto:allow http-no-timeout streaming endpoint, bounded by proxy\nrequests.get(u)\n";
        let findings = review_source("app/pay.py", text, &ReviewConfig::default());
        assert!(
            findings.iter().all(|f| f.rule != "http-no-timeout"),
            "{findings:?}"
        );
    }
}
