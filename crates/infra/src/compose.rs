//! docker-compose files: services, their images or builds, ports, and what
//! they talk to (`depends_on`, `links`, URLs and hosts in `environment`).

use std::collections::{HashMap, HashSet};

use serde_norway::Value;

use crate::dockerfile::substitute;
use crate::endpoint::{database_from_setting, link_from_setting};
use crate::error::InfraError;
use crate::fact::{ConfigRef, Database, Fact, ImageUse, Link, LinkKind, Platform, Service};
use crate::image::{engine_of_image, image_fact, tag_version};
use crate::relpath;
use crate::yaml::{entries, get, load_all, scalar, seq, str_at, strings, KeyCursor, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    for doc in &docs {
        let top = doc.first_line.saturating_sub(1);
        let (services, svc_key_line) = match get(&doc.value, "services") {
            Some(s) => (s, lines.find_path(top, None, &["services"])),
            // Compose file format 1: services at the top level.
            None if entries(&doc.value)
                .all(|(_, v)| get(v, "image").is_some() || get(v, "build").is_some())
                && entries(&doc.value).next().is_some() =>
            {
                (&doc.value, top)
            }
            None => continue,
        };
        let names: HashSet<&str> = entries(services).map(|(n, _)| n).collect();
        let is_sibling = |h: &str| names.contains(&h);
        let scope = if svc_key_line == top {
            None
        } else {
            lines.key_indent(svc_key_line)
        };
        let mut keys = KeyCursor::new(&lines, svc_key_line, scope);
        for (name, def) in entries(services) {
            let line = keys.find(name).unwrap_or(svc_key_line.max(1));
            let at = |path: &[&str]| lines.find_path(line, lines.key_indent(line), path);
            let def = with_extends(services, def);
            let mut svc = Service::new(label, line, name, Platform::DockerCompose);

            // `${TAG:-1.4}` defaults resolve as compose resolves them when
            // the variable is unset.
            if let Some(image) = str_at(def, "image").map(|i| substitute(&i, &HashMap::new())) {
                let image_line = at(&["image"]);
                let mut img = image_fact(label, image_line, ImageUse::Compose, &image);
                img.owner = Some(name.to_string());
                img.platform = str_at(def, "platform");
                if let Some((engine, kind)) = engine_of_image(&img.name) {
                    facts.push(Fact::Database(Database {
                        file: label.to_string(),
                        line: image_line,
                        engine: engine.to_string(),
                        kind,
                        version: img.tag.as_deref().and_then(tag_version),
                        evidence: format!("image {}", img.reference),
                        name: Some(name.to_string()),
                    }));
                }
                svc.image = Some(image);
                facts.push(Fact::Image(img));
            }
            svc.build = get(def, "build").and_then(|b| build_target(label, b));
            svc.ports = seq(get(def, "ports").unwrap_or(&Value::Null))
                .iter()
                .filter_map(port_text)
                .collect();
            for dep in dependencies(get(def, "depends_on")) {
                svc.link(Link {
                    target: dep,
                    kind: LinkKind::Service,
                    via: "depends_on".to_string(),
                    engine: None,
                });
            }
            for l in strings(get(def, "links").unwrap_or(&Value::Null)) {
                let target = l.split(':').next().unwrap_or(&l).to_string();
                svc.link(Link {
                    target,
                    kind: LinkKind::Service,
                    via: "links".to_string(),
                    engine: None,
                });
            }
            for (key, value) in environment(get(def, "environment")) {
                let value = substitute(&value, &HashMap::new());
                let (link, engine) = link_from_setting(&key, &value, &is_sibling);
                let env_line = lines.find_text(&key, at(&["environment"])).unwrap_or(line);
                if let Some(link) = link {
                    // A URL to a sibling refines a plain depends_on link.
                    if let Some(existing) = svc
                        .talks_to
                        .iter_mut()
                        .find(|l| l.target == link.target && l.kind == link.kind)
                    {
                        if existing.engine.is_none() {
                            existing.engine = link.engine.clone();
                        }
                    } else {
                        svc.link(link.clone());
                    }
                    if link.kind != LinkKind::Service {
                        if let Some(engine) = engine {
                            facts.push(Fact::Database(database_from_setting(
                                label,
                                env_line,
                                &key,
                                engine,
                                Some(name),
                            )));
                        }
                    }
                } else if let Some(engine) = engine {
                    facts.push(Fact::Database(database_from_setting(
                        label,
                        env_line,
                        &key,
                        engine,
                        Some(name),
                    )));
                }
            }
            for env_file in strings(get(def, "env_file").unwrap_or(&Value::Null)) {
                facts.push(Fact::ConfigRef(ConfigRef {
                    file: label.to_string(),
                    line: at(&["env_file"]),
                    kind: "env_file".to_string(),
                    name: env_file,
                }));
            }
            svc.networks = match get(def, "networks") {
                Some(Value::Mapping(_)) => entries(get(def, "networks").unwrap_or(&Value::Null))
                    .map(|(k, _)| k.to_string())
                    .collect(),
                Some(v) => strings(v),
                None => Vec::new(),
            };
            svc.profiles = strings(get(def, "profiles").unwrap_or(&Value::Null));
            svc.command = get(def, "command").and_then(command_text);
            svc.privileged = get(def, "privileged").and_then(Value::as_bool) == Some(true);
            svc.host_network = str_at(def, "network_mode").as_deref() == Some("host");
            facts.push(Fact::Service(svc));
        }
    }
    Ok(facts)
}

/// `extends: {service: base}` within the same file: fills in what the
/// service leaves out (one level; cross-file extends stay unresolved).
fn with_extends<'v>(services: &'v Value, def: &'v Value) -> &'v Value {
    let base = match get(def, "extends") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(m @ Value::Mapping(_)) if get(m, "file").is_none() => str_at(m, "service"),
        _ => None,
    };
    match base.and_then(|b| get(services, &b)) {
        Some(parent) if get(def, "image").is_none() && get(def, "build").is_none() => parent,
        _ => def,
    }
}

/// The Dockerfile a `build:` points at, relative to the scanned root.
fn build_target(label: &str, build: &Value) -> Option<String> {
    let (context, dockerfile) = match build {
        Value::String(c) => (c.clone(), "Dockerfile".to_string()),
        Value::Mapping(_) => (
            str_at(build, "context").unwrap_or_else(|| ".".to_string()),
            str_at(build, "dockerfile").unwrap_or_else(|| "Dockerfile".to_string()),
        ),
        _ => return None,
    };
    let context_path = relpath::join(relpath::dir(label), &context);
    match context_path {
        Some(c) => relpath::join(&c, &dockerfile).or(Some(context)),
        None => Some(context),
    }
}

fn port_text(v: &Value) -> Option<String> {
    match v {
        Value::Mapping(_) => {
            let target = str_at(v, "target")?;
            Some(match str_at(v, "published") {
                Some(p) => format!("{p}:{target}"),
                None => target,
            })
        }
        other => scalar(other),
    }
}

/// `depends_on` as a list or as a map of service -> condition.
fn dependencies(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Mapping(_)) => entries(v.unwrap_or(&Value::Null))
            .map(|(k, _)| k.to_string())
            .collect(),
        Some(other) => strings(other),
        None => Vec::new(),
    }
}

/// `environment` as a list of `K=V` or a map; entries without a value skip.
pub fn environment(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(scalar)
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.trim().to_string(), v.to_string()))
            })
            .collect(),
        Some(m @ Value::Mapping(_)) => entries(m)
            .filter_map(|(k, v)| scalar(v).map(|v| (k.to_string(), v)))
            .collect(),
        _ => Vec::new(),
    }
}

fn command_text(v: &Value) -> Option<String> {
    match v {
        Value::Sequence(parts) => Some(
            parts
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => scalar(other),
    }
}
