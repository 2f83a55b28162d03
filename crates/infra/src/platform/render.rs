//! render.yaml (Blueprints): services with type, runtime, plan and region,
//! their links to databases and to each other (`fromDatabase`,
//! `fromService`), and managed databases with their Postgres version.

use serde_norway::Value;

use crate::endpoint::{database_from_setting, link_from_setting};
use crate::error::InfraError;
use crate::fact::{Database, Fact, ImageUse, Link, LinkKind, Platform, Service, StoreKind};
use crate::image::image_fact;
use crate::relpath;
use crate::yaml::{get, load_all, seq, str_at, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let cfg = &doc.value;
    let top = doc.first_line.saturating_sub(1);
    let services = seq(get(cfg, "services").unwrap_or(&Value::Null));
    let databases = seq(get(cfg, "databases").unwrap_or(&Value::Null));
    let names: Vec<String> = services
        .iter()
        .chain(databases)
        .filter_map(|s| str_at(s, "name"))
        .collect();
    let is_sibling = |h: &str| names.iter().any(|n| n == h);

    let db_line = lines.find_path(top, None, &["databases"]);
    for (i, db) in databases.iter().enumerate() {
        let line = lines.find_item(db_line, i);
        facts.push(Fact::Database(Database {
            file: label.to_string(),
            line,
            engine: "postgres".to_string(),
            kind: StoreKind::Relational,
            version: str_at(db, "postgresMajorVersion"),
            evidence: format!(
                "Render database (plan {})",
                str_at(db, "plan").unwrap_or_else(|| "default".into())
            ),
            name: str_at(db, "name"),
        }));
    }
    let svc_line = lines.find_path(top, None, &["services"]);
    for (i, s) in services.iter().enumerate() {
        let line = lines.find_item(svc_line, i);
        let Some(name) = str_at(s, "name") else {
            continue;
        };
        let ty = str_at(s, "type").unwrap_or_else(|| "web".to_string());
        if ty == "redis" || ty == "keyvalue" {
            facts.push(Fact::Database(Database {
                file: label.to_string(),
                line,
                engine: "redis".to_string(),
                kind: StoreKind::KeyValue,
                version: None,
                evidence: format!("Render {ty}"),
                name: Some(name),
            }));
            continue;
        }
        let mut svc = Service::new(label, line, &name, Platform::Render);
        svc.role = Some(ty);
        svc.region = str_at(s, "region");
        svc.runtime = str_at(s, "runtime").or_else(|| str_at(s, "env"));
        if let Some(url) = get(s, "image").and_then(|i| str_at(i, "url")) {
            let mut img = image_fact(
                label,
                lines.find_text("url:", line).unwrap_or(line),
                ImageUse::Platform,
                &url,
            );
            img.owner = Some(name.clone());
            facts.push(Fact::Image(img));
            svc.image = Some(url);
        }
        if svc.runtime.as_deref() == Some("docker") {
            let path = str_at(s, "dockerfilePath").unwrap_or_else(|| "./Dockerfile".to_string());
            let context = str_at(s, "rootDir").unwrap_or_default();
            svc.build = relpath::join(relpath::dir(label), &context)
                .and_then(|c| relpath::join(&c, &path))
                .or(Some(path));
        }
        svc.command = str_at(s, "startCommand");
        for ev in seq(get(s, "envVars").unwrap_or(&Value::Null)) {
            let Some(key) = str_at(ev, "key") else {
                continue;
            };
            let ev_line = lines.find_text(&key, line).unwrap_or(line);
            if let Some(from) = get(ev, "fromDatabase") {
                if let Some(db) = str_at(from, "name") {
                    svc.link(Link {
                        target: db,
                        kind: LinkKind::Service,
                        via: format!("env {key} fromDatabase"),
                        engine: Some("postgres".into()),
                    });
                }
            } else if let Some(from) = get(ev, "fromService") {
                if let Some(other) = str_at(from, "name") {
                    let redis =
                        matches!(str_at(from, "type").as_deref(), Some("redis" | "keyvalue"));
                    svc.link(Link {
                        target: other,
                        kind: LinkKind::Service,
                        via: format!("env {key} fromService"),
                        engine: redis.then(|| "redis".to_string()),
                    });
                }
            } else if let Some(value) = str_at(ev, "value") {
                let (link, engine) = link_from_setting(&key, &value, &is_sibling);
                if let Some(l) = link {
                    if l.kind != LinkKind::Service {
                        if let Some(e) = engine {
                            facts.push(Fact::Database(database_from_setting(
                                label,
                                ev_line,
                                &key,
                                e,
                                Some(&name),
                            )));
                        }
                    }
                    svc.link(l);
                }
            }
        }
        facts.push(Fact::Service(svc));
    }
    Ok(facts)
}
