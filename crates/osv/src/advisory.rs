//! The OSV schema (1.6) as far as matching and reporting need it. Unknown
//! fields are ignored; `id` and `modified` are required; every other field
//! may be absent or `null`.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::ecosystem::{normalise_name, Ecosystem};
use crate::error::OsvError;

/// One advisory, as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advisory {
    pub id: String,
    pub modified: String,
    pub published: Option<String>,
    /// Set when the advisory was withdrawn: it is kept but never matches.
    pub withdrawn: Option<String>,
    pub aliases: Vec<String>,
    pub related: Vec<String>,
    pub summary: String,
    pub details: String,
    /// The first `severity[].score` (a CVSS vector) or, failing that, the
    /// label a database puts in `database_specific.severity` (GHSA: "HIGH").
    pub severity: Option<String>,
    /// `database_specific.severity` as written ("LOW", "MODERATE", "HIGH",
    /// "CRITICAL" in GHSA), whether or not a vector exists.
    pub severity_label: Option<String>,
    pub affected: Vec<Affected>,
    /// Reference URLs, in file order.
    pub references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affected {
    /// Absent for entries that only name a git repository.
    pub package: Option<Package>,
    pub ranges: Vec<Range>,
    /// Versions affected, listed one by one.
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    /// As written, e.g. "PyPI" or "Debian:11".
    pub ecosystem: String,
    pub name: String,
    pub purl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
    pub repo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RangeKind {
    Semver,
    Ecosystem,
    Git,
    /// A type this reader does not know; never matched.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

impl Advisory {
    /// The (ecosystem, normalised name) of every package this advisory
    /// names, without repeats: the store's lookup keys. Ecosystems are
    /// OSV's spelling without a ":release" suffix.
    pub fn package_keys(&self) -> Vec<(String, String)> {
        let mut keys: Vec<(String, String)> = Vec::new();
        for a in &self.affected {
            let Some(p) = &a.package else { continue };
            let key = match Ecosystem::from_osv(&p.ecosystem) {
                Some(e) => (e.as_str().to_string(), normalise_name(e, &p.name)),
                None => (base_ecosystem(&p.ecosystem).to_string(), p.name.clone()),
            };
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }
}

/// "Debian:11" -> "Debian".
pub(crate) fn base_ecosystem(s: &str) -> &str {
    s.split(':').next().unwrap_or(s)
}

/// Parse one advisory. `label` names it in errors (a file, or
/// `all.zip:ID.json`).
pub fn parse_advisory(label: &str, bytes: &[u8]) -> Result<Advisory, OsvError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let doc: Doc = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(label, path, e.into_inner())
    })?;
    de.end()
        .map_err(|e| json_error(label, ".".to_string(), e))?;
    doc.into_advisory(label)
}

fn json_error(label: &str, path: String, e: serde_json::Error) -> OsvError {
    // serde_json appends " at line L column C"; the variant carries both.
    let mut message = e.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    OsvError::Json {
        label: label.to_string(),
        line: e.line(),
        column: e.column(),
        path,
        message,
    }
}

#[derive(Deserialize)]
struct Doc {
    id: String,
    modified: String,
    published: Option<String>,
    withdrawn: Option<String>,
    aliases: Option<Vec<String>>,
    related: Option<Vec<String>>,
    summary: Option<String>,
    details: Option<String>,
    severity: Option<Vec<DocSeverity>>,
    affected: Option<Vec<DocAffected>>,
    references: Option<Vec<DocReference>>,
    database_specific: Option<DocDatabaseSpecific>,
}

#[derive(Deserialize)]
struct DocSeverity {
    #[serde(rename = "type")]
    _kind: Option<String>,
    score: Option<String>,
}

#[derive(Deserialize)]
struct DocAffected {
    package: Option<DocPackage>,
    ranges: Option<Vec<DocRange>>,
    versions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct DocPackage {
    ecosystem: String,
    name: String,
    purl: Option<String>,
}

#[derive(Deserialize)]
struct DocRange {
    #[serde(rename = "type")]
    kind: String,
    repo: Option<String>,
    events: Vec<DocEvent>,
}

#[derive(Deserialize)]
struct DocEvent {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
    limit: Option<String>,
}

#[derive(Deserialize)]
struct DocReference {
    url: Option<String>,
}

#[derive(Deserialize)]
struct DocDatabaseSpecific {
    severity: Option<LooseString>,
}

/// A value kept only when it is a string; other shapes are skipped (each
/// database fills `database_specific` its own way).
#[derive(Deserialize)]
#[serde(untagged)]
enum LooseString {
    Text(String),
    Other(IgnoredAny),
}

impl Doc {
    fn into_advisory(self, label: &str) -> Result<Advisory, OsvError> {
        let invalid = |field: String, message: &str| OsvError::Invalid {
            label: label.to_string(),
            field,
            message: message.to_string(),
        };
        if self.id.trim().is_empty() {
            return Err(invalid("id".into(), "is empty"));
        }
        if self.modified.trim().is_empty() {
            return Err(invalid("modified".into(), "is empty"));
        }
        let mut affected = Vec::new();
        for (i, a) in self.affected.unwrap_or_default().into_iter().enumerate() {
            let mut ranges = Vec::new();
            for (j, r) in a.ranges.unwrap_or_default().into_iter().enumerate() {
                let kind = match r.kind.as_str() {
                    "SEMVER" => RangeKind::Semver,
                    "ECOSYSTEM" => RangeKind::Ecosystem,
                    "GIT" => RangeKind::Git,
                    other => RangeKind::Other(other.to_string()),
                };
                let mut events = Vec::with_capacity(r.events.len());
                for (k, e) in r.events.into_iter().enumerate() {
                    let field = || format!("affected[{i}].ranges[{j}].events[{k}]");
                    let mut kinds = [
                        e.introduced.map(Event::Introduced),
                        e.fixed.map(Event::Fixed),
                        e.last_affected.map(Event::LastAffected),
                        e.limit.map(Event::Limit),
                    ]
                    .into_iter()
                    .flatten();
                    let Some(event) = kinds.next() else {
                        return Err(invalid(
                            field(),
                            "has none of introduced, fixed, last_affected, limit",
                        ));
                    };
                    if kinds.next().is_some() {
                        return Err(invalid(
                            field(),
                            "has more than one of introduced, fixed, last_affected, limit",
                        ));
                    }
                    events.push(event);
                }
                ranges.push(Range {
                    kind,
                    events,
                    repo: r.repo,
                });
            }
            affected.push(Affected {
                package: a.package.map(|p| Package {
                    ecosystem: p.ecosystem,
                    name: p.name,
                    purl: p.purl,
                }),
                ranges,
                versions: a.versions.unwrap_or_default(),
            });
        }
        let severity_label =
            self.database_specific
                .and_then(|d| d.severity)
                .and_then(|s| match s {
                    LooseString::Text(t) if !t.is_empty() => Some(t),
                    _ => None,
                });
        let vector = self
            .severity
            .unwrap_or_default()
            .into_iter()
            .find_map(|s| s.score.filter(|v| !v.is_empty()));
        Ok(Advisory {
            id: self.id,
            modified: self.modified,
            published: self.published,
            withdrawn: self.withdrawn.filter(|w| !w.is_empty()),
            aliases: self.aliases.unwrap_or_default(),
            related: self.related.unwrap_or_default(),
            summary: self.summary.unwrap_or_default(),
            details: self.details.unwrap_or_default(),
            severity: vector.or_else(|| severity_label.clone()),
            severity_label,
            affected,
            references: self
                .references
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| r.url)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LODASH: &str = r#"{
      "schema_version": "1.6.0",
      "id": "GHSA-jf85-cpcp-j695",
      "modified": "2024-01-01T00:00:00Z",
      "aliases": ["CVE-2019-10744"],
      "summary": "Prototype Pollution in lodash",
      "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"}],
      "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}],
        "database_specific": {"source": "x"}}],
      "references": [{"type": "ADVISORY", "url": "https://nvd.nist.gov/vuln/detail/CVE-2019-10744"}],
      "database_specific": {"severity": "CRITICAL", "cwe_ids": ["CWE-1321"]}
    }"#;

    #[test]
    fn reads_the_fields_matching_needs() {
        let a = parse_advisory("lodash.json", LODASH.as_bytes()).expect("parses");
        assert_eq!(a.id, "GHSA-jf85-cpcp-j695");
        assert_eq!(a.aliases, vec!["CVE-2019-10744"]);
        assert_eq!(
            a.severity.as_deref(),
            Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H")
        );
        assert_eq!(a.severity_label.as_deref(), Some("CRITICAL"));
        assert_eq!(
            a.affected[0].ranges[0].events,
            vec![
                Event::Introduced("0".into()),
                Event::Fixed("4.17.12".into())
            ]
        );
        assert_eq!(a.package_keys(), vec![("npm".into(), "lodash".into())]);
        assert_eq!(a.references.len(), 1);
    }

    #[test]
    fn missing_modified_names_the_field_and_place() {
        let e = parse_advisory("x.json", br#"{"id": "X-1"}"#).expect_err("must fail");
        let text = e.to_string();
        assert!(text.starts_with("x.json: line 1, column 13"), "{text}");
        assert!(text.contains("missing field `modified`"), "{text}");
    }

    #[test]
    fn wrong_type_names_the_json_path() {
        let doc = r#"{"id": "X-1", "modified": "2024-01-01T00:00:00Z",
          "affected": [{"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": 1}]}]}]}"#;
        let e = parse_advisory("all.zip:X-1.json", doc.as_bytes()).expect_err("must fail");
        match &e {
            OsvError::Json {
                label, path, line, ..
            } => {
                assert_eq!(label, "all.zip:X-1.json");
                assert_eq!(path, "affected[0].ranges[0].events[0].introduced");
                assert_eq!(*line, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_event_needs_exactly_one_kind() {
        let doc = r#"{"id": "X-1", "modified": "m", "affected": [{"ranges": [{"type": "SEMVER",
          "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]}"#;
        let e = parse_advisory("f", doc.as_bytes()).expect_err("must fail");
        assert!(
            e.to_string()
                .contains("affected[0].ranges[0].events[0]: has more than one"),
            "{e}"
        );
    }

    #[test]
    fn nulls_and_unknown_fields_are_tolerated() {
        let doc = r#"{"id": "X-1", "modified": "m", "aliases": null, "affected": null,
          "future_field": {"deep": [1, 2, {"x": null}]}, "database_specific": {"severity": {"n": 3}}}"#;
        let a = parse_advisory("f", doc.as_bytes()).expect("parses");
        assert!(a.aliases.is_empty() && a.affected.is_empty());
        assert_eq!(a.severity, None);
    }

    #[test]
    fn hostile_documents_fail_cleanly() {
        let deep = "[".repeat(100_000);
        let deep_obj = format!(
            r#"{{"id": "X", "modified": "m", "x": {}"#,
            "[".repeat(100_000)
        );
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("truncated", LODASH.as_bytes()[..200].to_vec()),
            ("deep array", deep.into_bytes()),
            ("deep unknown field", deep_obj.into_bytes()),
            ("binary", vec![0, 159, 146, 150, 0xff, 0xfe]),
            (
                "invalid utf-8 in a string",
                b"{\"id\": \"\xff\xfe\", \"modified\": \"m\"}".to_vec(),
            ),
            ("trailing garbage", format!("{LODASH} x").into_bytes()),
            ("empty", Vec::new()),
            ("empty id", br#"{"id": " ", "modified": "m"}"#.to_vec()),
        ];
        for (name, bytes) in cases {
            let e = parse_advisory(name, &bytes).expect_err(name);
            assert!(e.to_string().starts_with(name), "{name}: {e}");
        }
    }
}
