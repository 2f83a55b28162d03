//! A small stack (compose + Dockerfile + fly.toml + Terraform + a GitHub
//! workflow), classified and parsed the way a scanner would, summarised as
//! services -> where they run -> what they talk to.

use std::fs;
use std::path::Path;

use fcto_infra::{landscape, parse_path, Fact, LinkKind, Platform};

fn stack_facts() -> Vec<Fact> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stack");
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    let mut facts = Vec::new();
    let mut parsed = 0;
    for f in files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = fs::read(&f).unwrap();
        if let Some(mut got) = parse_path(&rel, &bytes).unwrap_or_else(|e| panic!("{e}")) {
            parsed += 1;
            facts.append(&mut got);
        }
    }
    assert_eq!(
        parsed, 5,
        "compose, Dockerfile, fly.toml, main.tf, deploy.yml"
    );
    facts
}

#[test]
fn services_where_they_run_and_what_they_talk_to() {
    let land = landscape(&stack_facts());
    let names: Vec<&str> = land.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["web", "worker", "db", "cache", "resize"]);

    // web: compose locally, and Fly.io in lhr (same Dockerfile, so the fly
    // app is the same deployable), deployed by the GitHub workflow.
    let web = &land.services[0];
    assert_eq!(web.aliases, vec!["acme-web"]);
    let places: Vec<&str> = web.runs_on.iter().map(|p| p.display.as_str()).collect();
    assert_eq!(places, vec!["Docker Compose", "Fly.io (lhr)"]);
    assert_eq!(web.built_from.as_deref(), Some("web/Dockerfile"));
    assert_eq!(web.base_image.as_deref(), Some("python:3.12-slim"));
    let talks: Vec<(&str, LinkKind, Option<&str>)> = web
        .talks_to
        .iter()
        .map(|t| (t.target.as_str(), t.kind, t.engine.as_deref()))
        .collect();
    assert_eq!(
        talks,
        vec![
            ("db", LinkKind::Service, Some("postgres")),
            ("cache", LinkKind::Service, Some("redis")),
            ("api.sendgrid.com", LinkKind::ExternalHost, None),
            ("acme-db.internal", LinkKind::ExternalHost, None),
        ]
    );
    assert_eq!(
        web.deployed_by,
        vec!["GitHub Actions job deploy (.github/workflows/deploy.yml)"]
    );

    // worker shares the Dockerfile but has its own name in the same file,
    // so it stays a service of its own.
    let worker = &land.services[1];
    assert_eq!(worker.runs_on.len(), 1);
    assert!(worker.deployed_by.is_empty());

    // The Lambda function runs on AWS, in the provider's region.
    let resize = &land.services[4];
    assert_eq!(resize.runs_on[0].platform, Platform::Aws);
    assert_eq!(resize.runs_on[0].display, "AWS (eu-west-2)");

    let engines: Vec<(&str, Vec<&str>)> = land
        .databases
        .iter()
        .map(|d| {
            (
                d.engine.as_str(),
                d.versions.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        engines,
        vec![
            ("mysql", vec!["8.0.35"]),
            ("postgres", vec!["16.3"]),
            ("redis", vec!["7.2"])
        ]
    );
    assert_eq!(land.ci.len(), 1);
    assert_eq!(land.ci[0].deploys_to, vec!["Fly.io"]);
    assert_eq!(land.ci[0].unpinned, 0);
    assert_eq!(land.clouds.len(), 1);
    assert_eq!(land.clouds[0].provider, "aws");
    assert_eq!(land.clouds[0].regions, vec!["eu-west-2"]);
    assert_eq!(land.clouds[0].resources, 3);
}
