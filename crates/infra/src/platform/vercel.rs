//! vercel.json: the project, its regions, function runtimes, and the
//! external hosts its rewrites proxy to.

use serde_json::Value;

use super::{find_line, load_json};
use crate::endpoint::{find_url, is_local};
use crate::error::InfraError;
use crate::fact::{Fact, Link, LinkKind, Platform, Service};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, cfg) = load_json(label, bytes)?;
    if !cfg.is_object() {
        return Err(InfraError::Field {
            file: label.to_string(),
            line: crate::error::Line(Some(1)),
            field: "(root)".to_string(),
            message: "vercel.json must be an object".to_string(),
        });
    }
    let name = cfg
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| super::default_name(label), str::to_string);
    let mut svc = Service::new(label, 1, &name, Platform::Vercel);
    let regions: Vec<&str> = cfg
        .get("regions")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !regions.is_empty() {
        svc.region = Some(regions.join(", "));
    }
    let runtimes: Vec<&str> = cfg
        .get("functions")
        .and_then(Value::as_object)
        .map(|f| {
            f.values()
                .filter_map(|v| v.get("runtime").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    if !runtimes.is_empty() {
        svc.runtime = Some(runtimes.join(", "));
    }
    if let Some(fw) = cfg.get("framework").and_then(Value::as_str) {
        svc.role = Some(fw.to_string());
    }
    for key in ["rewrites", "redirects", "routes"] {
        for r in cfg.get(key).and_then(Value::as_array).into_iter().flatten() {
            let dest = r
                .get("destination")
                .or_else(|| r.get("dest"))
                .and_then(Value::as_str);
            if let Some(host) = dest.and_then(find_url).and_then(|u| u.host) {
                if !is_local(&host) && key != "redirects" {
                    svc.link(Link {
                        target: host,
                        kind: LinkKind::ExternalHost,
                        via: key.to_string(),
                        engine: None,
                    });
                }
            }
        }
    }
    svc.line = find_line(&text, "{");
    Ok(vec![Fact::Service(svc)])
}
