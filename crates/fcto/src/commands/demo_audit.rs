//! The demo's audit: the bundled sample repository written out with a
//! made-up year of git history (three people, one of whom owns `src/`),
//! the project's sample advisories imported, and an audit stored under
//! Harbour & Hearth so `fcto audit show/diff` have something to show.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context as _, Result};
use chrono::{Duration, NaiveDate};
use fcto_store::osv::StoredAdvisory;
use fcto_store::Store;
use serde::Serialize;

/// Advisories that match the sample's pinned versions (lodash, requests,
/// Django), from the OSV data set the osv crate's tests use.
const SAMPLE_ADVISORIES: &[(&str, &str)] = &[
    (
        "GHSA-p6mc-m468-83gw.json",
        include_str!("../../../osv/tests/data/advisories/GHSA-p6mc-m468-83gw.json"),
    ),
    (
        "GHSA-j8r2-6x86-q33q.json",
        include_str!("../../../osv/tests/data/advisories/GHSA-j8r2-6x86-q33q.json"),
    ),
    (
        "PYSEC-2023-100.json",
        include_str!("../../../osv/tests/data/advisories/PYSEC-2023-100.json"),
    ),
];

pub const CLIENT: &str = "harbour-hearth";

#[derive(Serialize)]
pub struct DemoAudit {
    pub client: String,
    pub repository: String,
    pub audit_id: Option<i64>,
    pub headline: String,
    /// Why there is no git history, when `git` is not installed.
    pub history_note: Option<String>,
}

/// Who changed what, and how many days before today: (author, email,
/// files of the sample, commits). Files not listed land in the first commit.
const STORY: &[(&str, &str, &[&str], usize, i64)] = &[
    (
        "Sam Carter",
        "sam@harbourhearth.example",
        &["src/bookings.js", "src/server.js"],
        14,
        280,
    ),
    (
        "Ana Silva",
        "ana@contractor.example",
        &[
            "api/bookings/models.py",
            "api/bookings/migrations/0002_booking_status.py",
        ],
        4,
        200,
    ),
    (
        "Joe Bloggs",
        "joe@agency.example",
        &["infra/main.tf", "docker-compose.yml", "fly.toml"],
        3,
        120,
    ),
];

pub async fn build(store: &Store, home: &Path, today: NaiveDate) -> Result<DemoAudit> {
    let repo = home.join("sample-repo");
    if repo.exists() {
        std::fs::remove_dir_all(&repo)
            .with_context(|| format!("removing old sample {}", repo.display()))?;
    }
    fcto_audit::sample::write_sample(&repo)
        .with_context(|| format!("writing the sample repository to {}", repo.display()))?;
    let history_note = match git_history(&repo, today) {
        Ok(()) => None,
        Err(e) => Some(format!("no git history in the demo: {e:#}")),
    };

    let advisories: Vec<StoredAdvisory> = SAMPLE_ADVISORIES
        .iter()
        .map(|(name, body)| {
            let a = fcto_osv::parse_advisory(name, body.as_bytes())?;
            Ok(StoredAdvisory {
                packages: a.package_keys(),
                id: a.id,
                modified: a.modified,
                withdrawn: a.withdrawn.is_some(),
                source: format!("fcto demo:{name}"),
                body: (*body).to_string(),
            })
        })
        .collect::<Result<_, fcto_osv::OsvError>>()?;
    store.osv_import("fcto demo", &advisories).await?;

    let request = fcto_audit::Request {
        roots: fcto_audit::roots_for(std::slice::from_ref(&repo)),
        client: Some(CLIENT.into()),
        started_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        tool: format!("fcto {}", env!("CARGO_PKG_VERSION")),
        sections: fcto_audit::Sections::default(),
        threads: 2,
        max_file_bytes: fcto_audit::DEFAULT_MAX_FILE_BYTES,
        allowlist: None,
    };
    let (audit, audit_id) = super::audit::perform(Some(store), request, 800, false).await?;
    Ok(DemoAudit {
        client: CLIENT.into(),
        repository: repo.display().to_string(),
        audit_id,
        headline: super::audit::headline(&audit),
        history_note,
    })
}

/// Commit the sample as the story says, with dates before `today`. The
/// last commit of each file writes its real contents, so the work tree ends
/// as the sample.
fn git_history(repo: &Path, today: NaiveDate) -> Result<()> {
    git(repo, &["init", "-q", "-b", "main"], None)?;
    let noon = today.and_hms_opt(12, 0, 0).context("a time of day")?;
    let owned: Vec<&str> = STORY.iter().flat_map(|s| s.2.iter().copied()).collect();
    // The first commit: everything nobody in the story owns.
    let (first_name, first_email, _, _, first_days) = STORY[0];
    let mut initial: Vec<&str> = fcto_audit::sample::SAMPLE_REPO
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| !owned.contains(p))
        .collect();
    initial.sort_unstable();
    let mut args = vec!["add", "--"];
    args.extend(initial.iter());
    git(repo, &args, None)?;
    let when = noon - Duration::days(first_days + 5);
    commit(
        repo,
        first_name,
        first_email,
        &when.to_string(),
        "First version",
    )?;

    for (name, email, files, commits, days_ago) in STORY {
        for n in 0..*commits {
            // Spread the commits from `days_ago` towards today.
            let day = days_ago - (*days_ago * n as i64) / (*commits as i64 + 1);
            let when = noon - Duration::days(day);
            let last = n + 1 == *commits;
            for file in *files {
                let path = repo.join(file);
                let body = fcto_audit::sample::SAMPLE_REPO
                    .iter()
                    .find(|(p, _)| p == file)
                    .map(|(_, b)| *b)
                    .context("a file of the story is in the sample")?;
                // Earlier versions: the file as it ends, less some lines.
                let text = if last {
                    body.to_string()
                } else {
                    let lines: Vec<&str> = body.lines().collect();
                    let keep = (lines.len() * (n + 1) / commits).max(1);
                    lines[..keep.min(lines.len())].join("\n") + "\n"
                };
                std::fs::write(&path, text)
                    .with_context(|| format!("writing {}", path.display()))?;
                git(repo, &["add", "--", file], None)?;
            }
            let message = format!("Work on {} ({}/{commits})", files[0], n + 1);
            commit(repo, name, email, &when.to_string(), &message)?;
        }
    }
    Ok(())
}

fn commit(repo: &Path, name: &str, email: &str, when: &str, message: &str) -> Result<()> {
    git(
        repo,
        &["commit", "-q", "--allow-empty", "-m", message],
        Some((name, email, when)),
    )
}

fn git(repo: &Path, args: &[&str], who: Option<(&str, &str, &str)>) -> Result<()> {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(repo)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    let (name, email, when) = who.unwrap_or(("fcto demo", "demo@fcto.example", ""));
    command
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email);
    if !when.is_empty() {
        command
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when);
    }
    let out = command.output().context("running git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
