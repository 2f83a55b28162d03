//! serverless.yml (Serverless Framework): provider, runtime and region,
//! one service per function with its events, environment links, and
//! CloudFormation resources that are databases or queues.

use serde_norway::Value;

use super::apply_setting;
use crate::compose::environment;
use crate::error::InfraError;
use crate::fact::{Database, Fact, Platform, Service, StoreKind};
use crate::yaml::{entries, get, load_all, scalar, seq, str_at, KeyCursor, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let cfg = &doc.value;
    let top = doc.first_line.saturating_sub(1);
    let app = match get(cfg, "service") {
        Some(Value::Mapping(_)) => get(cfg, "service").and_then(|s| str_at(s, "name")),
        Some(v) => scalar(v),
        None => None,
    }
    .unwrap_or_else(|| super::default_name(label));
    let provider = get(cfg, "provider").unwrap_or(&Value::Null);
    let (cloud, runtime, region) = match provider {
        Value::String(p) => (p.clone(), None, None),
        _ => (
            str_at(provider, "name").unwrap_or_else(|| "aws".to_string()),
            str_at(provider, "runtime"),
            str_at(provider, "region"),
        ),
    };
    let shared_env = environment(get(provider, "environment"));
    let fn_line = lines.find_path(top, None, &["functions"]);
    let siblings = |_: &str| false;
    let mut fn_keys = KeyCursor::new(&lines, fn_line, lines.key_indent(fn_line));
    for (name, f) in entries(get(cfg, "functions").unwrap_or(&Value::Null)) {
        let line = fn_keys.find(name).unwrap_or(fn_line);
        let mut svc = Service::new(label, line, &format!("{app}-{name}"), Platform::Serverless);
        let events: Vec<String> = seq(get(f, "events").unwrap_or(&Value::Null))
            .iter()
            .filter_map(|e| entries(e).next().map(|(k, _)| k.to_string()))
            .collect();
        svc.role = Some(if events.is_empty() {
            format!("{cloud} function")
        } else {
            format!("{cloud} function ({})", events.join(", "))
        });
        svc.runtime = str_at(f, "runtime").or_else(|| runtime.clone());
        svc.region = region.clone();
        svc.image = str_at(f, "image");
        let mut env = shared_env.clone();
        env.extend(environment(get(f, "environment")));
        for (k, v) in env {
            let l = lines.find_text(&k, top + 1).unwrap_or(line);
            apply_setting(label, l, &k, &v, &mut svc, &mut facts, &siblings);
        }
        facts.push(Fact::Service(svc));
    }
    // CloudFormation resources under `resources.Resources`.
    let res = get(cfg, "resources").and_then(|r| get(r, "Resources"));
    for (name, r) in entries(res.unwrap_or(&Value::Null)) {
        let Some(ty) = str_at(r, "Type") else {
            continue;
        };
        let props = get(r, "Properties").unwrap_or(&Value::Null);
        let found = match ty.as_str() {
            "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => {
                Some(("dynamodb".to_string(), StoreKind::KeyValue, None))
            }
            "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster" => {
                let engine = str_at(props, "Engine")
                    .unwrap_or_else(|| "rds".into())
                    .to_ascii_lowercase();
                let engine = if engine.contains("postgres") {
                    "postgres".into()
                } else if engine.contains("mysql") || engine == "aurora" {
                    "mysql".into()
                } else {
                    engine
                };
                Some((
                    engine,
                    StoreKind::Relational,
                    str_at(props, "EngineVersion"),
                ))
            }
            "AWS::SQS::Queue" => Some(("sqs".to_string(), StoreKind::Queue, None)),
            "AWS::ElastiCache::CacheCluster" | "AWS::ElastiCache::ReplicationGroup" => Some((
                str_at(props, "Engine").unwrap_or_else(|| "redis".into()),
                StoreKind::KeyValue,
                str_at(props, "EngineVersion"),
            )),
            "AWS::Kinesis::Stream" => Some(("kinesis".to_string(), StoreKind::Stream, None)),
            _ => None,
        };
        if let Some((engine, kind, version)) = found {
            facts.push(Fact::Database(Database {
                file: label.to_string(),
                line: lines.find_path(top, None, &["resources", "Resources", name]),
                engine,
                kind,
                version,
                evidence: format!("CloudFormation {ty}"),
                name: Some(name.to_string()),
            }));
        }
    }
    Ok(facts)
}
