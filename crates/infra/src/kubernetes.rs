//! Kubernetes manifests (multi-document): workloads with their containers
//! and images, Services, Ingress hosts, and ConfigMap/Secret names (their
//! values are never read). Operator resources that are databases
//! (CloudNativePG, Zalando, MongoDB Community...) count as databases.

use serde_norway::Value;

use crate::endpoint::{database_from_setting, link_from_setting};
use crate::error::InfraError;
use crate::fact::{
    ConfigRef, Database, Fact, ImageUse, Link, LinkKind, Platform, PublicHost, Service, StoreKind,
};
use crate::image::{engine_of_image, image_fact, tag_version};
use crate::yaml::{get, load_all_where, scalar, seq, str_at, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all_where(label, bytes, worth_parsing)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    for doc in &docs {
        let top = doc.first_line.saturating_sub(1);
        object(label, &lines, top, &doc.value, &mut facts, 0);
    }
    Ok(facts)
}

fn object(label: &str, lines: &Lines, top: u32, obj: &Value, facts: &mut Vec<Fact>, depth: u8) {
    let (Some(api), Some(kind)) = (str_at(obj, "apiVersion"), str_at(obj, "kind")) else {
        return;
    };
    let meta = get(obj, "metadata");
    let name = meta.and_then(|m| str_at(m, "name")).unwrap_or_default();
    let head_line = lines.find_path(top, None, &["kind"]);
    let name_line = if name.is_empty() {
        head_line
    } else {
        lines.find_path(top, None, &["metadata", "name"])
    };
    let pod_path: Option<&[&str]> = match kind.as_str() {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some(&["spec", "template", "spec"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        "Pod" => Some(&["spec"]),
        _ => None,
    };
    if let Some(path) = pod_path {
        let mut spec = Some(obj);
        for key in path {
            spec = spec.and_then(|s| get(s, key));
        }
        if let Some(spec) = spec {
            let spec_line = lines.find_path(top, None, path);
            workload(
                label, lines, spec_line, &kind, &name, name_line, spec, facts,
            );
        }
        return;
    }
    match kind.as_str() {
        "List" if depth < 4 => {
            // `kubectl get -o yaml`: a list of objects; lines stay approximate.
            for item in seq(get(obj, "items").unwrap_or(&Value::Null)) {
                object(label, lines, top, item, facts, depth + 1);
            }
        }
        "Service" => {
            let spec = get(obj, "spec").unwrap_or(&Value::Null);
            let mut svc = Service::new(label, name_line, &name, Platform::Kubernetes);
            let ty = str_at(spec, "type").unwrap_or_else(|| "ClusterIP".to_string());
            svc.role = Some(format!("Service ({ty})"));
            svc.ports = seq(get(spec, "ports").unwrap_or(&Value::Null))
                .iter()
                .filter_map(|p| str_at(p, "port"))
                .collect();
            if let Some(ext) = str_at(spec, "externalName") {
                svc.link(Link {
                    target: ext,
                    kind: LinkKind::ExternalHost,
                    via: "externalName".to_string(),
                    engine: None,
                });
            }
            facts.push(Fact::Service(svc));
        }
        "Ingress" => {
            let spec = get(obj, "spec").unwrap_or(&Value::Null);
            for rule in seq(get(spec, "rules").unwrap_or(&Value::Null)) {
                let Some(host) = str_at(rule, "host") else {
                    continue;
                };
                let backend = seq(get(rule, "http")
                    .and_then(|h| get(h, "paths"))
                    .unwrap_or(&Value::Null))
                .iter()
                .find_map(|p| {
                    let b = get(p, "backend")?;
                    get(b, "service")
                        .and_then(|s| str_at(s, "name"))
                        .or_else(|| str_at(b, "serviceName"))
                });
                facts.push(Fact::PublicHost(PublicHost {
                    file: label.to_string(),
                    line: lines.find_text(&host, top + 1).unwrap_or(name_line),
                    host,
                    service: backend,
                    platform: Platform::Kubernetes,
                }));
            }
        }
        "ConfigMap" | "Secret" | "SealedSecret" | "ExternalSecret" => {
            facts.push(Fact::ConfigRef(ConfigRef {
                file: label.to_string(),
                line: name_line,
                kind,
                name,
            }));
        }
        _ => {
            if let Some((engine, store)) = operator_database(&api, &kind) {
                let spec = get(obj, "spec").unwrap_or(&Value::Null);
                let version = str_at(spec, "imageName")
                    .or_else(|| str_at(spec, "image"))
                    .and_then(|i| crate::image::parse_ref(&i).tag)
                    .and_then(|t| tag_version(&t))
                    .or_else(|| get(spec, "postgresql").and_then(|p| str_at(p, "version")))
                    .or_else(|| str_at(spec, "version"));
                facts.push(Fact::Database(Database {
                    file: label.to_string(),
                    line: head_line,
                    engine: engine.to_string(),
                    kind: store,
                    version,
                    evidence: format!("{kind} ({api})"),
                    name: Some(name),
                }));
            }
        }
    }
}

/// Kinds [`object`] reads; a document of any other kind yields nothing
/// unless an operator runs it as a database.
const KINDS_READ: [&str; 15] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "ReplicationController",
    "CronJob",
    "Pod",
    "List",
    "Service",
    "Ingress",
    "ConfigMap",
    "Secret",
    "SealedSecret",
    "ExternalSecret",
];

/// Whether a document can yield a fact, judged from its top-level `kind:`
/// and `apiVersion:` lines before the (far costlier) YAML parse: test
/// fixtures and vendored charts hold thousands of custom resources that
/// say nothing about what runs where. Anything unusual (no such lines,
/// quoting, flow style) is parsed.
fn worth_parsing(document: &str) -> bool {
    let mut kind = None;
    let mut api = None;
    for line in document.lines() {
        if let Some(value) = line.strip_prefix("kind:") {
            kind = Some(value.trim());
        } else if let Some(value) = line.strip_prefix("apiVersion:") {
            api = Some(value.trim());
        }
    }
    let (Some(kind), Some(api)) = (kind, api) else {
        return true;
    };
    let plain = |v: &str| {
        !v.is_empty()
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-'))
    };
    if !plain(kind) || !plain(api) {
        return true;
    }
    KINDS_READ.contains(&kind) || operator_database(api, kind).is_some()
}

/// Database clusters run by well-known operators.
fn operator_database(api: &str, kind: &str) -> Option<(&'static str, StoreKind)> {
    let group = api.split('/').next().unwrap_or(api);
    Some(match (group, kind) {
        ("postgresql.cnpg.io", "Cluster") => ("postgres", StoreKind::Relational),
        ("acid.zalan.do", "postgresql") => ("postgres", StoreKind::Relational),
        ("postgres-operator.crunchydata.com", "PostgresCluster") => {
            ("postgres", StoreKind::Relational)
        }
        ("mongodbcommunity.mongodb.com", _) | ("mongodb.com", "MongoDB") => {
            ("mongodb", StoreKind::Document)
        }
        ("mysql.oracle.com", "InnoDBCluster") | ("pxc.percona.com", _) => {
            ("mysql", StoreKind::Relational)
        }
        ("redis.redis.opstreelabs.in", _) | ("databases.spotahome.com", "RedisFailover") => {
            ("redis", StoreKind::KeyValue)
        }
        ("kafka.strimzi.io", "Kafka") => ("kafka", StoreKind::Stream),
        ("rabbitmq.com", "RabbitmqCluster") => ("rabbitmq", StoreKind::Queue),
        ("elasticsearch.k8s.elastic.co", "Elasticsearch") => ("elasticsearch", StoreKind::Search),
        _ => return None,
    })
}

#[allow(clippy::too_many_arguments)]
fn workload(
    label: &str,
    lines: &Lines,
    spec_line: u32,
    kind: &str,
    name: &str,
    name_line: u32,
    spec: &Value,
    facts: &mut Vec<Fact>,
) {
    let mut svc = Service::new(label, name_line, name, Platform::Kubernetes);
    svc.role = Some(kind.to_string());
    svc.host_network = get(spec, "hostNetwork").and_then(Value::as_bool) == Some(true);
    let spec_scope = lines.key_indent(spec_line);
    for list in ["initContainers", "containers"] {
        let list_line = lines.find_path(spec_line, spec_scope, &[list]);
        for (i, c) in seq(get(spec, list).unwrap_or(&Value::Null))
            .iter()
            .enumerate()
        {
            let item = lines.find_item(list_line, i);
            let scope = lines.item_scope(item);
            let cname = str_at(c, "name").unwrap_or_default();
            if let Some(image) = str_at(c, "image") {
                let line = lines.find_path(item, scope, &["image"]);
                let mut img = image_fact(label, line, ImageUse::Kubernetes, &image);
                img.owner = Some(if cname.is_empty() {
                    name.to_string()
                } else {
                    format!("{name}/{cname}")
                });
                if list == "containers" {
                    if let Some((engine, store)) = engine_of_image(&img.name) {
                        facts.push(Fact::Database(Database {
                            file: label.to_string(),
                            line,
                            engine: engine.to_string(),
                            kind: store,
                            version: img.tag.as_deref().and_then(tag_version),
                            evidence: format!("image {}", img.reference),
                            name: Some(name.to_string()),
                        }));
                    }
                    if svc.image.is_none() {
                        svc.image = Some(image.clone());
                    }
                }
                facts.push(Fact::Image(img));
            }
            if list == "containers" {
                svc.ports.extend(
                    seq(get(c, "ports").unwrap_or(&Value::Null))
                        .iter()
                        .filter_map(|p| str_at(p, "containerPort")),
                );
            }
            let security = get(c, "securityContext");
            if security
                .and_then(|s| get(s, "privileged"))
                .and_then(Value::as_bool)
                == Some(true)
            {
                svc.privileged = true;
            }
            container_links(label, lines, item, c, name, &mut svc, facts);
        }
    }
    facts.push(Fact::Service(svc));
}

/// In-cluster names: a bare name, `name.namespace`, `name.ns.svc[...]`.
fn in_cluster(host: &str) -> bool {
    !host.contains('.') || host.ends_with(".svc") || host.ends_with(".svc.cluster.local")
}

fn container_links(
    label: &str,
    lines: &Lines,
    item_line: u32,
    c: &Value,
    owner: &str,
    svc: &mut Service,
    facts: &mut Vec<Fact>,
) {
    for env in seq(get(c, "env").unwrap_or(&Value::Null)) {
        let Some(key) = str_at(env, "name") else {
            continue;
        };
        if let Some(value) = get(env, "value").and_then(scalar) {
            let (link, engine) = link_from_setting(&key, &value, &in_cluster);
            let line = lines.find_text(&key, item_line).unwrap_or(item_line);
            if let Some(mut link) = link {
                if link.kind == LinkKind::Service {
                    link.target = link
                        .target
                        .split('.')
                        .next()
                        .unwrap_or(&link.target)
                        .to_string();
                }
                if link.kind != LinkKind::Service {
                    if let Some(e) = engine {
                        facts.push(Fact::Database(database_from_setting(
                            label,
                            line,
                            &key,
                            e,
                            Some(owner),
                        )));
                    }
                }
                svc.link(link);
            } else if let Some(e) = engine {
                facts.push(Fact::Database(database_from_setting(
                    label,
                    line,
                    &key,
                    e,
                    Some(owner),
                )));
            }
        }
        if let Some(from) = get(env, "valueFrom") {
            for (ref_key, kind) in [("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")] {
                if let Some(n) = get(from, ref_key).and_then(|r| str_at(r, "name")) {
                    config_link(svc, kind, n);
                }
            }
        }
    }
    for from in seq(get(c, "envFrom").unwrap_or(&Value::Null)) {
        for (ref_key, kind) in [("secretRef", "Secret"), ("configMapRef", "ConfigMap")] {
            if let Some(n) = get(from, ref_key).and_then(|r| str_at(r, "name")) {
                config_link(svc, kind, n);
            }
        }
    }
}

fn config_link(svc: &mut Service, kind: &str, name: String) {
    svc.link(Link {
        target: name,
        kind: LinkKind::Config,
        via: kind.to_string(),
        engine: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(facts: &[Fact]) -> Vec<String> {
        facts
            .iter()
            .map(|f| match f {
                Fact::Service(s) => format!("service {} {:?}", s.name, s.role),
                Fact::Database(d) => format!("database {} {}", d.engine, d.evidence),
                Fact::ConfigRef(c) => format!("config {} {}", c.kind, c.name),
                other => format!("{:?}", std::mem::discriminant(other)),
            })
            .filter(|k| !k.starts_with("Discriminant"))
            .collect()
    }

    #[test]
    fn custom_resources_that_say_nothing_are_not_parsed_but_the_rest_are() {
        // A Traefik Middleware (skipped: it runs nothing), a quoted kind
        // (parsed: the pre-filter does not guess), an operator's database
        // and a workload; the skipped document is even broken YAML, which
        // shows it was never parsed.
        let text = "\
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: strip
spec: [[[ broken
---
apiVersion: v1
kind: \"ConfigMap\"
metadata:
  name: settings
---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: main-db
spec:
  imageName: ghcr.io/cloudnative-pg/postgresql:16.2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
";
        let facts = parse("k8s/app.yaml", text.as_bytes()).expect("the kept documents parse");
        assert_eq!(
            kinds(&facts),
            [
                "config ConfigMap settings",
                "database postgres Cluster (postgresql.cnpg.io/v1)",
                "service web Some(\"Service (ClusterIP)\")",
            ]
        );
        assert!(!worth_parsing(
            "apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\n"
        ));
        assert!(worth_parsing("apiVersion: apps/v1\nkind: Deployment\n"));
        assert!(worth_parsing("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}"));
        assert!(worth_parsing(
            "kind: Middleware # no apiVersion: parse to be sure\n"
        ));
    }

    #[test]
    fn deep_nesting_in_a_later_document_names_its_line() {
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nspec: {}\n",
            "[".repeat(200)
        );
        match parse("pod.yaml", text.as_bytes()) {
            Err(InfraError::TooDeep { line, .. }) => assert_eq!(line.0, Some(8)),
            other => panic!("expected TooDeep, got {other:?}"),
        }
    }
}
