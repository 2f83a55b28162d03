//! railway.json / railway.toml: builder, Dockerfile, start command, regions.

use super::{find_key_line, load_json, load_toml};
use crate::error::InfraError;
use crate::fact::{Fact, Platform, Service};
use crate::relpath;

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, cfg) = if label.ends_with(".toml") {
        let (text, t) = load_toml(label, bytes)?;
        let v = serde_json::to_value(t).map_err(|e| InfraError::Toml {
            file: label.to_string(),
            line: crate::error::Line(None),
            message: e.to_string(),
        })?;
        (text, v)
    } else {
        load_json(label, bytes)?
    };
    let mut svc = Service::new(
        label,
        find_key_line(&text, "build"),
        &super::default_name(label),
        Platform::Railway,
    );
    let build = cfg.get("build");
    let builder = build
        .and_then(|b| b.get("builder"))
        .and_then(|b| b.as_str());
    svc.role = builder.map(|b| b.to_ascii_lowercase());
    if let Some(path) = build
        .and_then(|b| b.get("dockerfilePath"))
        .and_then(|p| p.as_str())
    {
        svc.build = relpath::join(relpath::dir(label), path).or(Some(path.to_string()));
    }
    let deploy = cfg.get("deploy");
    svc.command = deploy
        .and_then(|d| d.get("startCommand"))
        .and_then(|c| c.as_str())
        .map(str::to_string);
    let regions: Vec<String> = deploy
        .and_then(|d| d.get("multiRegionConfig"))
        .and_then(|m| m.as_object())
        .map(|m| m.keys().cloned().collect())
        .or_else(|| {
            deploy
                .and_then(|d| d.get("region"))
                .and_then(|r| r.as_str())
                .map(|r| vec![r.to_string()])
        })
        .unwrap_or_default();
    if !regions.is_empty() {
        svc.region = Some(regions.join(", "));
    }
    Ok(vec![Fact::Service(svc)])
}
