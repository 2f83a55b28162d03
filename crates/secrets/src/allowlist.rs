//! Accepted findings: `.fcto/secrets-allow.toml` (format in the crate docs).

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::SecretFinding;
use crate::rules::RULES;

/// A problem in an allowlist file, naming the file (its label) and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllowlistError {
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: u32,
        message: String,
    },
    #[error("{file}:{line}: allow entry has no reason; say why the secret is accepted")]
    MissingReason { file: String, line: u32 },
    #[error("{file}:{line}: unknown key `{key}` in allow entry (expected fingerprint, path, rule, reason)")]
    UnknownKey {
        file: String,
        line: u32,
        key: String,
    },
    #[error("{file}:{line}: `{key}` must be a string")]
    NotAString {
        file: String,
        line: u32,
        key: String,
    },
    #[error("{file}:{line}: allow entry needs a `fingerprint` or a `path`")]
    MissingMatcher { file: String, line: u32 },
    #[error("{file}:{line}: fingerprint `{value}` is not 16 hex digits")]
    BadFingerprint {
        file: String,
        line: u32,
        value: String,
    },
    #[error("{file}:{line}: unknown rule `{rule}`")]
    UnknownRule {
        file: String,
        line: u32,
        rule: String,
    },
    #[error("{file}:{line}: bad path glob `{glob}`: {message}")]
    BadGlob {
        file: String,
        line: u32,
        glob: String,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    allow: Vec<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
}

#[derive(Debug, Clone)]
struct Entry {
    fingerprint: Option<String>,
    path: Option<PathGlob>,
    rule: Option<String>,
    reason: String,
}

#[derive(Debug, Clone)]
struct PathGlob {
    matcher: GlobMatcher,
    /// A pattern without `/` matches the file name in any directory.
    file_name_only: bool,
}

/// The accepted findings of one repository.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    entries: Vec<Entry>,
}

impl Allowlist {
    /// An allowlist that accepts only inline `fcto:allow-secret` comments.
    pub fn empty() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Parses the TOML text of an allowlist; `label` names the file in errors.
    pub fn parse(label: &str, text: &str) -> Result<Allowlist, AllowlistError> {
        let line_of = |offset: usize| -> u32 {
            let upto = text.get(..offset.min(text.len())).unwrap_or(text);
            u32::try_from(memchr::memchr_iter(b'\n', upto.as_bytes()).count() + 1)
                .unwrap_or(u32::MAX)
        };
        let file = || label.to_string();
        let doc: Document = toml::from_str(text).map_err(|e| AllowlistError::Syntax {
            file: file(),
            line: e.span().map(|s| line_of(s.start)).unwrap_or(1),
            message: e.message().trim().replace('\n', "; "),
        })?;
        let mut entries = Vec::with_capacity(doc.allow.len());
        for table in doc.allow {
            let line = line_of(table.span().start);
            let mut entry = Entry {
                fingerprint: None,
                path: None,
                rule: None,
                reason: String::new(),
            };
            for (key, value) in table.into_inner() {
                let key_line = line_of(key.span().start);
                let key = key.into_inner();
                let Some(text_value) = value.get_ref().as_str().map(str::to_string) else {
                    return Err(AllowlistError::NotAString {
                        file: file(),
                        line: key_line,
                        key,
                    });
                };
                match key.as_str() {
                    "reason" => entry.reason = text_value.trim().to_string(),
                    "fingerprint" => {
                        let fp = text_value.trim().to_ascii_lowercase();
                        if fp.len() != 16 || !fp.bytes().all(|c| c.is_ascii_hexdigit()) {
                            return Err(AllowlistError::BadFingerprint {
                                file: file(),
                                line: key_line,
                                value: text_value,
                            });
                        }
                        entry.fingerprint = Some(fp);
                    }
                    "rule" => {
                        if !RULES.iter().any(|r| r.id == text_value) {
                            return Err(AllowlistError::UnknownRule {
                                file: file(),
                                line: key_line,
                                rule: text_value,
                            });
                        }
                        entry.rule = Some(text_value);
                    }
                    "path" => {
                        let pattern = normalise_path(&text_value);
                        let glob = GlobBuilder::new(&pattern)
                            .literal_separator(true)
                            .build()
                            .map_err(|e| AllowlistError::BadGlob {
                                file: file(),
                                line: key_line,
                                glob: text_value.clone(),
                                message: e.kind().to_string(),
                            })?;
                        entry.path = Some(PathGlob {
                            matcher: glob.compile_matcher(),
                            file_name_only: !pattern.contains('/'),
                        });
                    }
                    _ => {
                        return Err(AllowlistError::UnknownKey {
                            file: file(),
                            line: key_line,
                            key,
                        })
                    }
                }
            }
            if entry.reason.is_empty() {
                return Err(AllowlistError::MissingReason { file: file(), line });
            }
            if entry.fingerprint.is_none() && entry.path.is_none() {
                return Err(AllowlistError::MissingMatcher { file: file(), line });
            }
            entries.push(entry);
        }
        Ok(Allowlist { entries })
    }

    /// Why `finding` in the file at `path` (relative to the repository
    /// root) is accepted: an inline `fcto:allow-secret` reason on its line,
    /// or the reason of the first entry whose every given key matches.
    pub fn permits<'a>(&'a self, path: &str, finding: &'a SecretFinding) -> Option<&'a str> {
        if let Some(reason) = finding.inline_allow.as_deref() {
            return Some(reason);
        }
        let path = normalise_path(path);
        let file_name = path.rsplit('/').next().unwrap_or(&path);
        self.entries
            .iter()
            .find(|e| {
                e.fingerprint
                    .as_deref()
                    .is_none_or(|fp| fp == finding.fingerprint)
                    && e.rule.as_deref().is_none_or(|r| r == finding.rule_id)
                    && e.path.as_ref().is_none_or(|g| {
                        g.matcher
                            .is_match(if g.file_name_only { file_name } else { &path })
                    })
            })
            .map(|e| e.reason.as_str())
    }
}

fn normalise_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut p = path.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.trim_start_matches('/').to_string()
}
