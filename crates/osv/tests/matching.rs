//! The shipped OSV set against `tests/data/queries.json`: each query names
//! a package version and the advisories (with their fixed versions) it must
//! match — no more, no fewer.

mod common;

use std::collections::BTreeMap;

use fcto_osv::{parse_advisory, read_source, Matcher};
use serde::Deserialize;

#[derive(Deserialize)]
struct Query {
    ecosystem: String,
    name: String,
    version: String,
    matches: BTreeMap<String, Vec<String>>,
}

fn matcher() -> Matcher {
    let mut advisories = Vec::new();
    read_source(&common::advisories_dir(), |raw| {
        advisories.push(parse_advisory(&raw.label, &raw.bytes)?);
        Ok(())
    })
    .expect("shipped data reads");
    Matcher::new(advisories)
}

#[test]
fn every_query_matches_exactly_what_it_expects() {
    let m = matcher();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/queries.json"),
    )
    .expect("queries");
    let queries: Vec<Query> = serde_json::from_str(&text).expect("queries parse");
    assert!(queries.len() >= 60);
    let mut failures = Vec::new();
    for q in &queries {
        let got: BTreeMap<String, Vec<String>> = m
            .matches(&q.ecosystem, &q.name, &q.version)
            .into_iter()
            .map(|v| (v.advisory.id.clone(), v.fixed_in))
            .collect();
        if got != q.matches {
            failures.push(format!(
                "{} {} {}: expected {:?}, got {:?}",
                q.ecosystem, q.name, q.version, q.matches, got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_ecosystem_has_a_matching_query() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/queries.json"),
    )
    .expect("queries");
    let queries: Vec<Query> = serde_json::from_str(&text).expect("queries parse");
    for eco in fcto_osv::Ecosystem::ALL {
        assert!(
            queries
                .iter()
                .any(|q| q.ecosystem == eco.as_str() && !q.matches.is_empty()),
            "no positive query for {eco}"
        );
    }
}

#[test]
fn withdrawn_advisories_are_kept_but_never_match() {
    let m = matcher();
    let withdrawn = m
        .advisories()
        .iter()
        .find(|a| a.id == "GHSA-3h57-hmj3-gj3p")
        .expect("withdrawn advisory is kept");
    assert!(withdrawn.withdrawn.is_some());
    for v in ["0.1.0", "2.6.6", "2.6.7", "3.0.0"] {
        assert!(m.matches("npm", "node-fetch", v).is_empty(), "{v}");
    }
}

#[test]
fn store_keys_name_every_package_once() {
    let m = matcher();
    let by_id = |id: &str| {
        m.advisories()
            .iter()
            .find(|a| a.id == id)
            .expect("present")
            .package_keys()
    };
    assert_eq!(
        by_id("GHSA-3hhc-qp5v-9p2j"),
        vec![("RubyGems".to_string(), "activerecord".to_string())]
    );
    assert_eq!(
        by_id("GO-2023-2102"),
        vec![
            ("Go".to_string(), "golang.org/x/net".to_string()),
            ("Go".to_string(), "stdlib".to_string())
        ]
    );
    assert_eq!(
        by_id("PYSEC-2019-217"),
        vec![("PyPI".to_string(), "jinja2".to_string())]
    );
    assert_eq!(
        by_id("DSA-5417-1"),
        vec![("Debian".to_string(), "openssl".to_string())]
    );
}
