//! Heroku app.json: the app, its add-ons (databases, queues), formation
//! (process types) and stack.

use serde_json::Value;

use super::{find_line, load_json};
use crate::error::InfraError;
use crate::fact::{Database, Fact, Platform, Service, StoreKind};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, cfg) = load_json(label, bytes)?;
    let mut facts = Vec::new();
    let app = cfg
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| super::default_name(label), str::to_string);
    for addon in cfg
        .get("addons")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let plan = addon
            .as_str()
            .or_else(|| addon.get("plan").and_then(Value::as_str));
        let Some(plan) = plan else { continue };
        let service = plan.split(':').next().unwrap_or(plan);
        let engine = match service {
            "heroku-postgresql" => Some(("postgres", StoreKind::Relational)),
            "heroku-redis" => Some(("redis", StoreKind::KeyValue)),
            "jawsdb" | "cleardb" | "jawsdb-maria" => Some(("mysql", StoreKind::Relational)),
            "cloudamqp" => Some(("rabbitmq", StoreKind::Queue)),
            "heroku-kafka" => Some(("kafka", StoreKind::Stream)),
            "mongolab" | "ormongo" => Some(("mongodb", StoreKind::Document)),
            "memcachier" => Some(("memcached", StoreKind::Cache)),
            "bonsai" | "searchbox" => Some(("elasticsearch", StoreKind::Search)),
            _ => None,
        };
        if let Some((engine, kind)) = engine {
            facts.push(Fact::Database(Database {
                file: label.to_string(),
                line: find_line(&text, plan),
                engine: engine.to_string(),
                kind,
                version: None,
                evidence: format!("Heroku add-on {plan}"),
                name: Some(app.clone()),
            }));
        }
    }
    let formation: Vec<String> = cfg
        .get("formation")
        .and_then(Value::as_object)
        .map(|f| f.keys().cloned().collect())
        .unwrap_or_default();
    let processes = if formation.is_empty() {
        vec!["web".to_string()]
    } else {
        formation
    };
    for p in processes {
        let name = if p == "web" {
            app.clone()
        } else {
            format!("{app}-{p}")
        };
        let mut svc = Service::new(
            label,
            find_line(&text, &format!("\"{p}\"")),
            &name,
            Platform::Heroku,
        );
        svc.role = Some(p);
        svc.runtime = cfg.get("stack").and_then(Value::as_str).map(str::to_string);
        facts.push(Fact::Service(svc));
    }
    Ok(facts)
}
