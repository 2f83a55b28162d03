//! What a service talks to, read from configuration values: connection URLs
//! (`postgres://user:pw@db:5432/app`) and host settings (`REDIS_HOST=cache`).
//! Credentials in URLs are never kept: only scheme, host and port.

use crate::fact::{Database, Link, LinkKind, StoreKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: String,
    /// `None` when the host is a variable we cannot resolve.
    pub host: Option<String>,
}

/// The store engine a URL scheme names.
pub fn engine_of_scheme(scheme: &str) -> Option<(&'static str, StoreKind)> {
    Some(match scheme.to_ascii_lowercase().as_str() {
        "postgres"
        | "postgresql"
        | "postgis"
        | "pgsql"
        | "postgresql+asyncpg"
        | "postgresql+psycopg2"
        | "postgresql+psycopg"
        | "cockroachdb" => ("postgres", StoreKind::Relational),
        "mysql" | "mysql2" | "mysqlx" | "mysql+pymysql" | "mysql+mysqldb" | "mysql+aiomysql" => {
            ("mysql", StoreKind::Relational)
        }
        "mariadb" => ("mariadb", StoreKind::Relational),
        "sqlserver" | "mssql" | "mssql+pyodbc" => ("sqlserver", StoreKind::Relational),
        "mongodb" | "mongodb+srv" => ("mongodb", StoreKind::Document),
        "redis" | "rediss" | "redis+sentinel" => ("redis", StoreKind::KeyValue),
        "valkey" | "valkeys" => ("valkey", StoreKind::KeyValue),
        "memcached" | "memcache" => ("memcached", StoreKind::Cache),
        "amqp" | "amqps" => ("rabbitmq", StoreKind::Queue),
        "kafka" => ("kafka", StoreKind::Stream),
        "nats" => ("nats", StoreKind::Queue),
        "clickhouse" => ("clickhouse", StoreKind::Warehouse),
        "cassandra" => ("cassandra", StoreKind::KeyValue),
        "neo4j" | "neo4j+s" | "bolt" => ("neo4j", StoreKind::Graph),
        "couchbase" | "couchbases" => ("couchbase", StoreKind::Document),
        "elasticsearch" => ("elasticsearch", StoreKind::Search),
        "sqs" => ("sqs", StoreKind::Queue),
        _ => return None,
    })
}

/// Finds the first `scheme://authority` in a value. `jdbc:` prefixes are
/// looked through.
pub fn find_url(value: &str) -> Option<Endpoint> {
    let sep = value.find("://")?;
    let before = &value[..sep];
    let scheme_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '.' || c == '-'))
        .map_or(0, |i| i + 1);
    let scheme = &before[scheme_start..];
    if scheme.is_empty() {
        return None;
    }
    let rest = &value[sep + 3..];
    let end = rest
        .find(['/', '?', '#', ' ', '"', '\'', ',', ';'])
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    // Mongo-style seed lists: take the first host.
    let first = hostport.split(',').next().unwrap_or(hostport);
    let host = if let Some(v6) = first.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        first.split(':').next().unwrap_or(first)
    };
    let host = host.to_ascii_lowercase();
    let known = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    Some(Endpoint {
        scheme: scheme.to_ascii_lowercase(),
        host: known.then_some(host),
    })
}

/// Loopback and wildcard hosts say nothing about the architecture.
pub fn is_local(host: &str) -> bool {
    matches!(
        host,
        "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "host.docker.internal"
    )
}

/// Keys whose bare value is a host name.
fn is_host_key(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    k.ends_with("HOST")
        || k.ends_with("HOSTNAME")
        || k.ends_with("_ADDR")
        || k.ends_with("_SERVER")
        || k.ends_with("_ENDPOINT")
}

fn looks_like_host(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 253
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
}

/// What one setting (`key`=`value`) tells about a service's links, given the
/// names of its sibling services. Also returns the store engine the setting
/// reveals, for the Data section.
pub fn link_from_setting(
    key: &str,
    value: &str,
    siblings: &dyn Fn(&str) -> bool,
) -> (Option<Link>, Option<(&'static str, StoreKind)>) {
    let via = format!("env {key}");
    if let Some(url) = find_url(value) {
        let engine = engine_of_scheme(&url.scheme);
        let link = match (&url.host, engine) {
            (Some(h), _) if is_local(h) => None,
            (Some(h), e) if siblings(h) => Some(Link {
                target: h.split('.').next().unwrap_or(h).to_string(),
                kind: LinkKind::Service,
                via,
                engine: e.map(|e| e.0.to_string()),
            }),
            (Some(h), Some(e)) => Some(Link {
                target: h.clone(),
                kind: LinkKind::Datastore,
                via,
                engine: Some(e.0.to_string()),
            }),
            (None, Some(e)) => Some(Link {
                target: e.0.to_string(),
                kind: LinkKind::Datastore,
                via,
                engine: Some(e.0.to_string()),
            }),
            (Some(h), None)
                if matches!(
                    url.scheme.as_str(),
                    "http" | "https" | "ws" | "wss" | "grpc" | "tcp"
                ) =>
            {
                Some(Link {
                    target: h.clone(),
                    kind: LinkKind::ExternalHost,
                    via,
                    engine: None,
                })
            }
            _ => None,
        };
        return (link, engine);
    }
    if is_host_key(key) && looks_like_host(value) {
        let host = value
            .split(':')
            .next()
            .unwrap_or(value)
            .to_ascii_lowercase();
        if is_local(&host) {
            return (None, None);
        }
        let kind = if siblings(&host) {
            LinkKind::Service
        } else if host.contains('.') {
            LinkKind::ExternalHost
        } else {
            return (None, None);
        };
        return (
            Some(Link {
                target: host,
                kind,
                via,
                engine: None,
            }),
            None,
        );
    }
    (None, None)
}

/// A `Database` fact for an engine revealed by a setting.
pub fn database_from_setting(
    file: &str,
    line: u32,
    key: &str,
    engine: (&'static str, StoreKind),
    owner: Option<&str>,
) -> Database {
    Database {
        file: file.to_string(),
        line,
        engine: engine.0.to_string(),
        kind: engine.1,
        version: None,
        evidence: format!("connection URL in {key}"),
        name: owner.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials() {
        let e = find_url("postgres://app:s3cret@db:5432/app?sslmode=disable").unwrap();
        assert_eq!(e.scheme, "postgres");
        assert_eq!(e.host.as_deref(), Some("db"));
        let e = find_url("jdbc:mysql://mysql.internal:3306/x").unwrap();
        assert_eq!(e.scheme, "mysql");
        assert_eq!(e.host.as_deref(), Some("mysql.internal"));
        let e = find_url("mongodb://a:b@m1:27017,m2:27017/db").unwrap();
        assert_eq!(e.host.as_deref(), Some("m1"));
        let e = find_url("redis://${REDIS_HOST}:6379").unwrap();
        assert_eq!(e.host, None);
        let e = find_url("mysql://\" + user + \"@db").unwrap();
        assert_eq!(e.host, None);
        assert_eq!(find_url("no url here"), None);
    }

    #[test]
    fn settings_link_to_siblings_or_outside() {
        let sib = |h: &str| h == "db" || h == "cache";
        let (l, e) = link_from_setting("DATABASE_URL", "postgres://u:p@db/app", &sib);
        let l = l.unwrap();
        assert_eq!((l.target.as_str(), l.kind), ("db", LinkKind::Service));
        assert_eq!(e.map(|e| e.0), Some("postgres"));
        let (l, _) = link_from_setting("REDIS_HOST", "cache", &sib);
        assert_eq!(l.unwrap().kind, LinkKind::Service);
        let (l, _) = link_from_setting("STRIPE_API", "https://api.stripe.com/v1", &sib);
        assert_eq!(l.unwrap().target, "api.stripe.com");
        let (l, _) = link_from_setting("LOG_LEVEL", "debug", &sib);
        assert!(l.is_none());
        let (l, _) = link_from_setting("API_URL", "http://localhost:3000", &sib);
        assert!(l.is_none());
    }
}
