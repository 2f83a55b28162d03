//! CycloneDX 1.5 JSON: one component per package URL (its `bom-ref`), every
//! file it came from kept as an `fcto:source` property, and vulnerabilities
//! pointing at components by that reference.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::{Component, Ecosystem};

/// A known vulnerability affecting one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomVulnerability {
    /// The advisory id (`GHSA-...`, `RUSTSEC-...`, `CVE-...`).
    pub id: String,
    pub source_url: Option<String>,
    pub summary: String,
    /// `critical`, `high`, `medium` (or `moderate`), `low`, `info`, `none`;
    /// anything else is written as `unknown`.
    pub severity: Option<String>,
    /// The package URL of the affected component (its `bom-ref`).
    pub affects_purl: String,
    pub fixed_in: Vec<String>,
}

/// What the BOM describes and who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BomMeta {
    /// `urn:uuid:` and a lowercase RFC 4122 UUID.
    pub serial_number: String,
    /// RFC 3339 date-time.
    pub timestamp: String,
    pub tool_version: String,
    /// The audited project (a repository or client name).
    pub subject: String,
}

const SUBJECT_REF: &str = "fcto:subject";

/// One merged entry per package URL, in first-seen order.
struct Merged<'a> {
    first: &'a Component,
    sources: Vec<&'a str>,
    direct: Option<bool>,
    dev: Option<bool>,
}

pub fn to_json(
    meta: &BomMeta,
    components: &[Component],
    vulnerabilities: &[BomVulnerability],
) -> Value {
    let mut order: Vec<Merged<'_>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for component in components {
        match index
            .get(component.purl.as_str())
            .and_then(|&i| order.get_mut(i))
        {
            Some(merged) => {
                if !merged.sources.contains(&component.source.as_str()) {
                    merged.sources.push(&component.source);
                }
                merged.direct = match (merged.direct, component.direct) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    _ => None,
                };
                merged.dev = match (merged.dev, component.dev) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
            }
            None => {
                index.insert(&component.purl, order.len());
                order.push(Merged {
                    first: component,
                    sources: vec![&component.source],
                    direct: component.direct,
                    dev: component.dev,
                });
            }
        }
    }

    let bom_components: Vec<Value> = order.iter().map(component_json).collect();
    let direct_refs: Vec<&str> = order
        .iter()
        .filter(|m| m.direct == Some(true))
        .map(|m| m.first.purl.as_str())
        .collect();

    let mut bom = Map::new();
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    bom.insert("specVersion".into(), json!("1.5"));
    bom.insert("serialNumber".into(), json!(meta.serial_number));
    bom.insert("version".into(), json!(1));
    bom.insert(
        "metadata".into(),
        json!({
            "timestamp": meta.timestamp,
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "fcto",
                    "version": meta.tool_version,
                }]
            },
            "component": {
                "type": "application",
                "bom-ref": SUBJECT_REF,
                "name": meta.subject,
            },
        }),
    );
    bom.insert("components".into(), Value::Array(bom_components));
    if !direct_refs.is_empty() {
        bom.insert(
            "dependencies".into(),
            json!([{ "ref": SUBJECT_REF, "dependsOn": direct_refs }]),
        );
    }
    if !vulnerabilities.is_empty() {
        bom.insert(
            "vulnerabilities".into(),
            Value::Array(vulnerabilities.iter().map(vulnerability_json).collect()),
        );
    }
    Value::Object(bom)
}

/// CycloneDX's `group`: Maven group, npm scope, Composer vendor.
fn group_and_name(component: &Component) -> (Option<&str>, &str) {
    let name = component.name.as_str();
    let split = match component.ecosystem {
        Ecosystem::Maven => name.split_once(':'),
        Ecosystem::Npm if name.starts_with('@') => name.split_once('/'),
        Ecosystem::Packagist => name.split_once('/'),
        _ => None,
    };
    match split {
        Some((group, local)) if !group.is_empty() && !local.is_empty() => (Some(group), local),
        _ => (None, name),
    }
}

fn component_json(merged: &Merged<'_>) -> Value {
    let component = merged.first;
    let (group, name) = group_and_name(component);
    let mut out = Map::new();
    out.insert("type".into(), json!("library"));
    out.insert("bom-ref".into(), json!(component.purl));
    if let Some(group) = group {
        out.insert("group".into(), json!(group));
    }
    out.insert("name".into(), json!(name));
    if !component.version.is_empty() {
        out.insert("version".into(), json!(component.version));
    }
    out.insert("purl".into(), json!(component.purl));
    match merged.dev {
        Some(true) => {
            out.insert("scope".into(), json!("optional"));
        }
        Some(false) => {
            out.insert("scope".into(), json!("required"));
        }
        None => {}
    }
    let mut properties =
        vec![json!({"name": "fcto:ecosystem", "value": component.ecosystem.osv_name()})];
    if let Some(direct) = merged.direct {
        properties.push(json!({"name": "fcto:direct", "value": direct.to_string()}));
    }
    if let Some(constraint) = &component.constraint {
        properties.push(json!({"name": "fcto:constraint", "value": constraint}));
    }
    for source in &merged.sources {
        properties.push(json!({"name": "fcto:source", "value": source}));
    }
    out.insert("properties".into(), Value::Array(properties));
    Value::Object(out)
}

fn severity(raw: Option<&str>) -> &'static str {
    match raw.map(str::to_ascii_lowercase).as_deref() {
        Some("critical") => "critical",
        Some("high") => "high",
        Some("medium" | "moderate") => "medium",
        Some("low") => "low",
        Some("info" | "informational") => "info",
        Some("none") => "none",
        _ => "unknown",
    }
}

fn vulnerability_json(vulnerability: &BomVulnerability) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(vulnerability.id));
    let source_name = vulnerability
        .id
        .split('-')
        .next()
        .filter(|prefix| !prefix.is_empty())
        .unwrap_or("OSV");
    let mut source = Map::new();
    source.insert("name".into(), json!(source_name));
    if let Some(url) = &vulnerability.source_url {
        source.insert("url".into(), json!(url));
    }
    out.insert("source".into(), Value::Object(source));
    out.insert(
        "ratings".into(),
        json!([{ "severity": severity(vulnerability.severity.as_deref()) }]),
    );
    if !vulnerability.summary.is_empty() {
        out.insert("description".into(), json!(vulnerability.summary));
    }
    if !vulnerability.fixed_in.is_empty() {
        out.insert(
            "recommendation".into(),
            json!(format!(
                "Upgrade to {}",
                vulnerability.fixed_in.join(" or ")
            )),
        );
    }
    let mut affects = Map::new();
    affects.insert("ref".into(), json!(vulnerability.affects_purl));
    if !vulnerability.fixed_in.is_empty() {
        let versions: Vec<Value> = vulnerability
            .fixed_in
            .iter()
            .map(|v| json!({"version": v, "status": "unaffected"}))
            .collect();
        affects.insert("versions".into(), Value::Array(versions));
    }
    out.insert("affects".into(), json!([Value::Object(affects)]));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_merge_by_purl_keeping_every_source() {
        let a1 = Component::new(Ecosystem::Npm, "@a/b", "1.0.0", "x/package-lock.json")
            .direct(Some(false))
            .dev(Some(true));
        let a2 = Component::new(Ecosystem::Npm, "@a/b", "1.0.0", "y/yarn.lock").direct(Some(true));
        let meta = BomMeta {
            serial_number: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
            timestamp: "2026-11-25T10:00:00Z".into(),
            tool_version: "0.1.0".into(),
            subject: "demo".into(),
        };
        let bom = to_json(&meta, &[a1, a2], &[]);
        let components = bom["components"].as_array().cloned().unwrap_or_default();
        assert_eq!(components.len(), 1);
        assert_eq!(components[0]["group"], "@a");
        assert_eq!(components[0]["name"], "b");
        assert!(
            components[0].get("scope").is_none(),
            "dev unknown for one copy"
        );
        let sources: Vec<&str> = components[0]["properties"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["name"] == "fcto:source")
            .filter_map(|p| p["value"].as_str())
            .collect();
        assert_eq!(sources, ["x/package-lock.json", "y/yarn.lock"]);
        assert_eq!(
            bom["dependencies"][0]["dependsOn"][0],
            "pkg:npm/%40a/b@1.0.0"
        );
        assert!(bom.get("vulnerabilities").is_none());
        assert_eq!(severity(Some("MODERATE")), "medium");
        assert_eq!(severity(Some("9.8")), "unknown");
    }
}
