//! fly.toml: the app, its primary region, how it is built (image or
//! Dockerfile), its ports, process groups and environment.

use super::{apply_setting, find_key_line, load_toml, no_siblings};
use crate::error::InfraError;
use crate::fact::{Fact, ImageUse, Platform, Service};
use crate::image::image_fact;
use crate::relpath;

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, cfg) = load_toml(label, bytes)?;
    let mut facts = Vec::new();
    let name = cfg
        .get("app")
        .and_then(|v| v.as_str())
        .map_or_else(|| super::default_name(label), str::to_string);
    let mut svc = Service::new(label, find_key_line(&text, "app"), &name, Platform::Fly);
    svc.region = cfg
        .get("primary_region")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let build = cfg.get("build").and_then(|b| b.as_table());
    if let Some(image) = build.and_then(|b| b.get("image")).and_then(|v| v.as_str()) {
        let mut img = image_fact(
            label,
            find_key_line(&text, "image"),
            ImageUse::Platform,
            image,
        );
        img.owner = Some(name.clone());
        facts.push(Fact::Image(img));
        svc.image = Some(image.to_string());
    } else if build.is_none_or(|b| b.get("builder").is_none() && b.get("buildpacks").is_none()) {
        let dockerfile = build
            .and_then(|b| b.get("dockerfile"))
            .and_then(|v| v.as_str())
            .unwrap_or("Dockerfile");
        svc.build = relpath::join(relpath::dir(label), dockerfile).or(Some(dockerfile.to_string()));
    }
    if let Some(port) = cfg
        .get("http_service")
        .and_then(|h| h.get("internal_port"))
        .and_then(|p| p.as_integer())
    {
        svc.ports.push(port.to_string());
    }
    for s in cfg
        .get("services")
        .and_then(|s| s.as_array())
        .into_iter()
        .flatten()
    {
        if let Some(port) = s.get("internal_port").and_then(|p| p.as_integer()) {
            let p = port.to_string();
            if !svc.ports.contains(&p) {
                svc.ports.push(p);
            }
        }
    }
    if let Some(processes) = cfg.get("processes").and_then(|p| p.as_table()) {
        svc.role = Some(processes.keys().cloned().collect::<Vec<_>>().join(", "));
    }
    if let Some(env) = cfg.get("env").and_then(|e| e.as_table()) {
        for (k, v) in env {
            if let Some(v) = v.as_str() {
                let line = find_key_line(&text, k);
                apply_setting(label, line, k, v, &mut svc, &mut facts, &no_siblings);
            }
        }
    }
    facts.push(Fact::Service(svc));
    Ok(facts)
}
