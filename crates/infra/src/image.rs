//! Image references: parsing, the store engine an image runs, and
//! end-of-life base images recognisable by tag.

use crate::fact::{Image, ImageUse, StoreKind};

/// An image reference split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// Splits `[registry/]path[:tag][@digest]`. The first path component is a
/// registry when it has a dot or a port or is `localhost` (Docker's rule).
pub fn parse_ref(reference: &str) -> ImageRef {
    let reference = reference.trim();
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (reference, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match tag_separator(&rest[last_slash..]) {
        Some(i) => (
            &rest[..last_slash + i],
            Some(rest[last_slash + i + 1..].to_string()),
        ),
        None => (rest, None),
    };
    let (registry, name) = match path.split_once('/') {
        Some((first, tail))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first.to_string()), tail)
        }
        _ => (None, path),
    };
    let docker_hub = matches!(
        registry.as_deref(),
        None | Some("docker.io" | "index.docker.io")
    );
    let name = match name.strip_prefix("library/") {
        Some(n) if docker_hub => n,
        _ => name,
    };
    ImageRef {
        registry,
        name: name.to_string(),
        tag: tag.filter(|t| !t.is_empty()),
        digest: digest.filter(|d| !d.is_empty()),
    }
}

/// The last `:` of the final path component that is not inside a `${...}`
/// variable (`api:${TAG:-1.0}` splits at the first colon).
fn tag_separator(component: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut found = None;
    let bytes = component.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => found = Some(i),
            _ => {}
        }
    }
    found
}

/// Builds an `Image` fact from a reference as written.
pub fn image_fact(file: &str, line: u32, used_in: ImageUse, reference: &str) -> Image {
    let parts = parse_ref(reference);
    Image {
        file: file.to_string(),
        line,
        used_in,
        reference: reference.trim().to_string(),
        registry: parts.registry,
        name: parts.name,
        tag: parts.tag,
        digest: parts.digest,
        unresolved: has_variable(reference),
        stage: None,
        final_stage: false,
        platform: None,
        owner: None,
    }
}

/// `$VAR`, `${VAR}`, `{{ .Values.x }}` or `<%= %>` left in a reference.
pub fn has_variable(s: &str) -> bool {
    s.contains('$') || s.contains("{{") || s.contains("<%")
}

/// The store engine an image runs, by its last path component (or a few
/// whole names); admin UIs such as `mongo-express` do not count.
pub fn engine_of_image(name: &str) -> Option<(&'static str, StoreKind)> {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let engine = match base.as_str() {
        "postgres" | "postgresql" | "postgis" | "timescaledb" | "pgvector"
        | "postgresql-repmgr" | "timescaledb-ha" | "cloudnative-pg" => {
            ("postgres", StoreKind::Relational)
        }
        "mysql" | "mysql-server" | "percona-server" | "percona" => ("mysql", StoreKind::Relational),
        "mariadb" => ("mariadb", StoreKind::Relational),
        "mongo" | "mongodb" | "mongodb-community-server" => ("mongodb", StoreKind::Document),
        "redis" | "redis-stack" | "redis-stack-server" | "redis-cluster" => {
            ("redis", StoreKind::KeyValue)
        }
        "valkey" => ("valkey", StoreKind::KeyValue),
        "keydb" => ("keydb", StoreKind::KeyValue),
        "dragonfly" => ("dragonfly", StoreKind::KeyValue),
        "memcached" => ("memcached", StoreKind::Cache),
        "elasticsearch" => ("elasticsearch", StoreKind::Search),
        "opensearch" => ("opensearch", StoreKind::Search),
        "meilisearch" => ("meilisearch", StoreKind::Search),
        "typesense" => ("typesense", StoreKind::Search),
        "solr" => ("solr", StoreKind::Search),
        "rabbitmq" => ("rabbitmq", StoreKind::Queue),
        "kafka" | "cp-kafka" | "cp-server" => ("kafka", StoreKind::Stream),
        "redpanda" => ("redpanda", StoreKind::Stream),
        "nats" => ("nats", StoreKind::Queue),
        "activemq" | "activemq-classic" | "activemq-artemis" => ("activemq", StoreKind::Queue),
        "clickhouse-server" | "clickhouse" => ("clickhouse", StoreKind::Warehouse),
        "cassandra" => ("cassandra", StoreKind::KeyValue),
        "scylla" => ("scylladb", StoreKind::KeyValue),
        "neo4j" => ("neo4j", StoreKind::Graph),
        "influxdb" => ("influxdb", StoreKind::TimeSeries),
        "questdb" => ("questdb", StoreKind::TimeSeries),
        "couchdb" => ("couchdb", StoreKind::Document),
        "couchbase" => ("couchbase", StoreKind::Document),
        "cockroach" => ("cockroachdb", StoreKind::Relational),
        "dynamodb-local" => ("dynamodb", StoreKind::KeyValue),
        "qdrant" => ("qdrant", StoreKind::Search),
        "surrealdb" => ("surrealdb", StoreKind::Document),
        "arangodb" => ("arangodb", StoreKind::Document),
        "etcd" => ("etcd", StoreKind::KeyValue),
        _ => {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with("mssql/server") || lower.contains("mssql-server") {
                ("sqlserver", StoreKind::Relational)
            } else if lower.ends_with("oracle/database") || lower.contains("oracle-xe") {
                ("oracle", StoreKind::Relational)
            } else {
                return None;
            }
        }
    };
    Some(engine)
}

/// The leading version of a tag: `16-alpine` -> `16`, `7.2.4-bookworm` ->
/// `7.2.4`, `latest` -> None.
pub fn tag_version(tag: &str) -> Option<String> {
    let t = tag.strip_prefix('v').unwrap_or(tag);
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let v = t[..end].trim_end_matches('.');
    (!v.is_empty() && v.starts_with(|c: char| c.is_ascii_digit())).then(|| v.to_string())
}

fn numbers(version: &str) -> Vec<u32> {
    version
        .split('.')
        .map_while(|p| p.parse::<u32>().ok())
        .collect()
}

/// True when `v` is at or below `max`, part by part. A shorter `v` means
/// "the newest of that line" (`3` is not <= `3.9`); an empty `v` never is.
fn at_most(v: &[u32], max: &[u32]) -> bool {
    for (i, m) in max.iter().enumerate() {
        match v.get(i) {
            None => return false,
            Some(x) if x < m => return true,
            Some(x) if x > m => return false,
            _ => {}
        }
    }
    true
}

/// An end-of-life image recognised by name and tag, as `name:tag` for the
/// message. The table reflects vendors' published end-of-life dates as
/// of November 2026.
pub fn end_of_life(name: &str, tag: &str) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let tag_l = tag.to_ascii_lowercase();
    let version = tag_version(&tag_l).unwrap_or_default();
    let v = numbers(&version);
    let codename = |names: &[&str]| {
        names
            .iter()
            .any(|n| tag_l.split(['-', '.']).any(|p| p == *n))
    };
    let eol = match base.as_str() {
        "python" | "pypy" => at_most(&v, &[3, 9]),
        "node" => v.first().is_some_and(|&m| m <= 20 || m % 2 == 1 && m <= 25),
        "ubuntu" => {
            at_most(&v, &[20, 4])
                || [
                    "21.04", "21.10", "22.10", "23.04", "23.10", "24.10", "25.04",
                ]
                .iter()
                .any(|r| version == *r)
                || codename(&["trusty", "xenial", "bionic", "focal"])
        }
        "debian" => {
            v.first().is_some_and(|&m| m <= 11)
                || codename(&["jessie", "stretch", "buster", "bullseye"])
        }
        "alpine" => at_most(&v, &[3, 21]),
        "postgres" | "postgis" => v.first().is_some_and(|&m| m <= 13),
        "mysql" => at_most(&v, &[8, 3]) || v == [5],
        "mariadb" => {
            v.first() == Some(&5)
                || matches!(v.as_slice(), [10, minor, ..] if *minor <= 10)
                || matches!(v.as_slice(), [11, minor, ..] if *minor <= 3)
        }
        "mongo" => v.first().is_some_and(|&m| m <= 6),
        "redis" => v.first().is_some_and(|&m| m <= 6),
        "ruby" => at_most(&v, &[3, 2]),
        "php" => at_most(&v, &[8, 1]),
        "golang" => at_most(&v, &[1, 24]),
        "centos" => true,
        "elasticsearch" => v.first().is_some_and(|&m| m <= 7),
        "aspnet" | "runtime" | "sdk" if name.contains("dotnet") => {
            v.first().is_some_and(|&m| m <= 7)
        }
        _ => false,
    };
    eol.then(|| format!("{base}:{tag}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_parts() {
        let r = parse_ref("ghcr.io/acme/api:1.4.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(r.name, "acme/api");
        assert_eq!(r.tag.as_deref(), Some("1.4.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = parse_ref("localhost:5000/app");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        let r = parse_ref("docker.io/library/postgres:16-alpine");
        assert_eq!(r.name, "postgres");
        assert_eq!(r.tag.as_deref(), Some("16-alpine"));
        let r = parse_ref("ghcr.io/acme/api:${TAG:-1.4}");
        assert_eq!(r.name, "acme/api");
        assert_eq!(r.tag.as_deref(), Some("${TAG:-1.4}"));
        let r = parse_ref("bitnami/redis");
        assert_eq!(r.registry, None);
        assert_eq!(r.name, "bitnami/redis");
    }

    #[test]
    fn engines_by_image_name() {
        assert_eq!(
            engine_of_image("bitnami/postgresql").map(|e| e.0),
            Some("postgres")
        );
        assert_eq!(engine_of_image("mongo-express"), None);
        assert_eq!(
            engine_of_image("mcr.microsoft.com/mssql/server").map(|e| e.0),
            Some("sqlserver")
        );
    }

    #[test]
    fn end_of_life_by_tag() {
        for (name, tag) in [
            ("python", "2.7"),
            ("python", "3.8-slim"),
            ("node", "12-alpine"),
            ("node", "20"),
            ("ubuntu", "18.04"),
            ("ubuntu", "bionic"),
            ("postgres", "9.6"),
            ("postgres", "13-alpine"),
            ("debian", "buster-slim"),
            ("alpine", "3.14"),
            ("mysql", "5.7"),
            ("centos", "7"),
        ] {
            assert!(end_of_life(name, tag).is_some(), "{name}:{tag}");
        }
        for (name, tag) in [
            ("python", "3.12-slim"),
            ("python", "3"),
            ("node", "22-alpine"),
            ("ubuntu", "24.04"),
            ("ubuntu", "jammy"),
            ("postgres", "16"),
            ("debian", "bookworm-slim"),
            ("alpine", "3.22"),
            ("mysql", "8.4"),
            ("node", "lts"),
        ] {
            assert!(end_of_life(name, tag).is_none(), "{name}:{tag}");
        }
    }
}
