//! Google App Engine app.yaml: service, runtime, environment (standard or
//! flexible), instance class, and links from `env_variables` and Cloud SQL.

use super::apply_setting;
use crate::compose::environment;
use crate::error::InfraError;
use crate::fact::{Database, Fact, Platform, Service, StoreKind};
use crate::yaml::{get, load_all, str_at, strings, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let cfg = &doc.value;
    let top = doc.first_line.saturating_sub(1);
    let name = str_at(cfg, "service")
        .or_else(|| str_at(cfg, "module"))
        .unwrap_or_else(|| "default".to_string());
    let mut svc = Service::new(
        label,
        lines.find_path(top, None, &["runtime"]),
        &name,
        Platform::AppEngine,
    );
    svc.runtime = str_at(cfg, "runtime");
    let env = str_at(cfg, "env").unwrap_or_else(|| "standard".to_string());
    svc.role = Some(match str_at(cfg, "instance_class") {
        Some(c) => format!("{env} ({c})"),
        None => env,
    });
    svc.command = str_at(cfg, "entrypoint");
    for (k, v) in environment(get(cfg, "env_variables")) {
        let l = lines.find_text(&k, top + 1).unwrap_or(svc.line);
        apply_setting(label, l, &k, &v, &mut svc, &mut facts, &|_| false);
    }
    let sql = get(cfg, "beta_settings").and_then(|b| get(b, "cloud_sql_instances"));
    for inst in sql.map(strings).unwrap_or_default() {
        for one in inst.split(',') {
            facts.push(Fact::Database(Database {
                file: label.to_string(),
                line: lines
                    .find_text("cloud_sql_instances", top + 1)
                    .unwrap_or(svc.line),
                engine: "cloud-sql".to_string(),
                kind: StoreKind::Relational,
                version: None,
                evidence: "App Engine cloud_sql_instances".to_string(),
                name: Some(one.trim().to_string()),
            }));
        }
    }
    facts.push(Fact::Service(svc));
    Ok(facts)
}
