//! Each warning fires on its case and stays quiet on its near miss.

use fcto_infra::{parse, warnings, InfraKind, WarningKind};

fn kinds(kind: InfraKind, label: &str, text: &str) -> Vec<(WarningKind, u32)> {
    let facts = parse(kind, label, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    warnings(&facts)
        .into_iter()
        .map(|w| (w.kind, w.line))
        .collect()
}

fn fires(kind: InfraKind, text: &str, want: WarningKind, line: u32) {
    let got = kinds(kind, "case", text);
    assert!(
        got.contains(&(want, line)),
        "{want:?} at {line} not in {got:?} for:\n{text}"
    );
}

fn quiet(kind: InfraKind, text: &str, unwanted: WarningKind) {
    let got = kinds(kind, "case", text);
    assert!(
        !got.iter().any(|(k, _)| *k == unwanted),
        "{unwanted:?} in {got:?} for:\n{text}"
    );
}

const K8S_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n";

#[test]
fn latest_and_untagged_images() {
    use InfraKind::Compose;
    fires(
        Compose,
        "services:\n  web:\n    image: nginx:latest\n",
        WarningKind::ImageLatest,
        3,
    );
    quiet(
        Compose,
        "services:\n  web:\n    image: nginx:1.27\n",
        WarningKind::ImageLatest,
    );
    fires(
        Compose,
        "services:\n  web:\n    image: nginx\n",
        WarningKind::ImageUntagged,
        3,
    );
    quiet(
        Compose,
        "services:\n  web:\n    image: nginx@sha256:0123456789abcdef\n",
        WarningKind::ImageUntagged,
    );
    // A variable we cannot resolve is not "untagged".
    quiet(
        Compose,
        "services:\n  web:\n    image: nginx:$TAG\n",
        WarningKind::ImageUntagged,
    );
}

#[test]
fn production_images_not_pinned_by_digest() {
    let pod =
        |image: &str| format!("{K8S_POD}  containers:\n    - name: c\n      image: {image}\n");
    fires(
        InfraKind::Kubernetes,
        &pod("nginx:1.27"),
        WarningKind::ImageNotPinnedByDigest,
        8,
    );
    quiet(
        InfraKind::Kubernetes,
        &pod("nginx:1.27@sha256:0123456789abcdef"),
        WarningKind::ImageNotPinnedByDigest,
    );
    // Compose is for development: a tag is fine there.
    quiet(
        InfraKind::Compose,
        "services:\n  web:\n    image: nginx:1.27\n",
        WarningKind::ImageNotPinnedByDigest,
    );
}

#[test]
fn containers_running_as_root() {
    use InfraKind::Dockerfile;
    fires(
        Dockerfile,
        "FROM python:3.12\nCMD python app.py\n",
        WarningKind::RunsAsRoot,
        1,
    );
    fires(
        Dockerfile,
        "FROM node:22 AS build\nUSER node\nFROM node:22-slim\nCMD node x\n",
        WarningKind::RunsAsRoot,
        3,
    );
    fires(
        Dockerfile,
        "FROM python:3.12\nUSER 0\n",
        WarningKind::RunsAsRoot,
        1,
    );
    quiet(
        Dockerfile,
        "FROM python:3.12\nUSER app\n",
        WarningKind::RunsAsRoot,
    );
    // A stage built FROM a stage that set USER inherits it.
    quiet(
        Dockerfile,
        "FROM python:3.12 AS base\nUSER app\nFROM base\nCMD x\n",
        WarningKind::RunsAsRoot,
    );
    quiet(
        Dockerfile,
        "FROM gcr.io/distroless/static-debian12:nonroot\n",
        WarningKind::RunsAsRoot,
    );
}

#[test]
fn end_of_life_images_and_databases() {
    fires(
        InfraKind::Dockerfile,
        "FROM node:12-alpine\nUSER node\n",
        WarningKind::EndOfLifeImage,
        1,
    );
    quiet(
        InfraKind::Dockerfile,
        "FROM node:22-alpine\nUSER node\n",
        WarningKind::EndOfLifeImage,
    );
    fires(
        InfraKind::Compose,
        "services:\n  db:\n    image: postgres:9.6\n",
        WarningKind::EndOfLifeImage,
        3,
    );
    quiet(
        InfraKind::Compose,
        "services:\n  db:\n    image: postgres:17\n",
        WarningKind::EndOfLifeImage,
    );
    let rds = |v: &str| {
        format!("resource \"aws_db_instance\" \"db\" {{\n  engine = \"postgres\"\n  engine_version = \"{v}\"\n}}\n")
    };
    fires(
        InfraKind::Terraform,
        &rds("11.22"),
        WarningKind::EndOfLifeDatabase,
        1,
    );
    quiet(
        InfraKind::Terraform,
        &rds("16.4"),
        WarningKind::EndOfLifeDatabase,
    );
}

#[test]
fn privileged_and_host_network() {
    let pod = |privileged: bool, host: bool| {
        format!(
            "{K8S_POD}  hostNetwork: {host}\n  containers:\n    - name: c\n      image: x:1\n      securityContext:\n        privileged: {privileged}\n"
        )
    };
    fires(
        InfraKind::Kubernetes,
        &pod(true, false),
        WarningKind::PrivilegedContainer,
        4,
    );
    quiet(
        InfraKind::Kubernetes,
        &pod(false, false),
        WarningKind::PrivilegedContainer,
    );
    fires(
        InfraKind::Kubernetes,
        &pod(false, true),
        WarningKind::HostNetwork,
        4,
    );
    quiet(
        InfraKind::Kubernetes,
        &pod(false, false),
        WarningKind::HostNetwork,
    );
    fires(
        InfraKind::Compose,
        "services:\n  a:\n    image: x:1\n    network_mode: host\n",
        WarningKind::HostNetwork,
        2,
    );
    quiet(
        InfraKind::Compose,
        "services:\n  a:\n    image: x:1\n    network_mode: bridge\n",
        WarningKind::HostNetwork,
    );
}

#[test]
fn third_party_actions_not_pinned_to_a_sha() {
    let wf = |uses: &str| {
        format!(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: {uses}\n"
        )
    };
    fires(
        InfraKind::GithubActions,
        &wf("someone/action@v1"),
        WarningKind::ActionNotPinned,
        6,
    );
    fires(
        InfraKind::GithubActions,
        &wf("someone/action@main"),
        WarningKind::ActionNotPinned,
        6,
    );
    quiet(
        InfraKind::GithubActions,
        &wf("someone/action@8f4b7f84864484a7bf31766abe9204da3cbe65b3"),
        WarningKind::ActionNotPinned,
    );
    // First-party actions are GitHub's own; pinning them is optional.
    quiet(
        InfraKind::GithubActions,
        &wf("actions/checkout@v4"),
        WarningKind::ActionNotPinned,
    );
    quiet(
        InfraKind::GithubActions,
        &wf("./.github/actions/local"),
        WarningKind::ActionNotPinned,
    );
    let orb = |o: &str| format!("version: 2.1\norbs:\n  x: {o}\njobs: {{}}\n");
    fires(
        InfraKind::CircleCi,
        &orb("someone/x@volatile"),
        WarningKind::ActionNotPinned,
        3,
    );
    quiet(
        InfraKind::CircleCi,
        &orb("someone/x@1.2.3"),
        WarningKind::ActionNotPinned,
    );
}
