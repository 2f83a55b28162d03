//! Technology audit: one pass over a client's repositories that maps its
//! stack (languages, dependencies, known vulnerabilities, secrets, what runs
//! where, data, git history) and ranks the risks a founder should hear
//! about first.
//!
//! A library a stranger could use without fcto: paths in, an [`Audit`]
//! out, rendered by [`render`]. No CLI, no store; the caller brings the
//! vulnerability advisories (from wherever it keeps them) and the notes.

pub mod data;
pub mod diff;
pub mod history;
pub mod languages;
pub mod model;
pub mod render;
pub mod risks;
pub mod sample;
mod scan;
pub mod sections;
pub mod vulns;
mod walk;

use std::time::Instant;

pub use diff::{diff, AuditDiff};
pub use model::*;
pub use sections::Sections;
pub use walk::{Progress, Root};

/// Files larger than this are listed as skipped, not read: a 100 MB log or
/// data dump is not source, and reading it would hold it all in memory.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{path}: not a folder or file that can be audited")]
    NotFound { path: String },
}

#[derive(Debug, Clone)]
pub struct Request {
    pub roots: Vec<Root>,
    pub client: Option<String>,
    /// RFC 3339; the library reads no clock so audits are reproducible.
    pub started_at: String,
    pub tool: String,
    pub sections: Sections,
    pub threads: usize,
    pub max_file_bytes: u64,
    /// Accepted secrets; by default each root's `.fcto/secrets-allow.toml`.
    pub allowlist: Option<std::path::PathBuf>,
}

/// Labels for roots: none for a single root, else each folder's name (made
/// unique with a number when two share a name).
pub fn roots_for(paths: &[std::path::PathBuf]) -> Vec<Root> {
    if paths.len() == 1 {
        return vec![Root {
            path: paths[0].clone(),
            label: String::new(),
        }];
    }
    let mut roots: Vec<Root> = Vec::new();
    for path in paths {
        let base = path
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "root".into());
        let mut label = base.clone();
        let mut n = 2;
        while roots.iter().any(|r| r.label == label) {
            label = format!("{base}-{n}");
            n += 1;
        }
        roots.push(Root {
            path: path.clone(),
            label,
        });
    }
    roots
}

/// Walk every root once and fill every file-based section. Vulnerabilities,
/// history, notes and risks are added by the functions below.
pub fn scan(request: &Request, progress: &Progress) -> Result<Audit, AuditError> {
    for root in &request.roots {
        if !root.path.exists() {
            return Err(AuditError::NotFound {
                path: root.path.display().to_string(),
            });
        }
    }
    let began = Instant::now();
    let mut engines = sections::Engines::new(request.sections, request.max_file_bytes);
    let mut warnings = Vec::new();
    if request.sections.secrets {
        engines.allowlists = request
            .roots
            .iter()
            .map(|root| allowlist_for(root, request.allowlist.as_deref(), &mut warnings))
            .collect();
    }
    let mut roots = Vec::new();
    let mut tally = scan::Tally::default();
    for (index, root) in request.roots.iter().enumerate() {
        let before = (
            progress.files.load(std::sync::atomic::Ordering::Relaxed),
            progress.bytes.load(std::sync::atomic::Ordering::Relaxed),
        );
        tally.merge(walk::walk(
            std::slice::from_ref(root),
            index,
            request.threads,
            &engines,
            progress,
        ));
        roots.push(RootSummary {
            label: root.label.clone(),
            path: root.path.display().to_string(),
            git: root.path.join(".git").exists(),
            files: progress.files.load(std::sync::atomic::Ordering::Relaxed) - before.0,
            bytes: progress.bytes.load(std::sync::atomic::Ordering::Relaxed) - before.1,
        });
    }
    tally.sort();
    let mut audit = Audit {
        schema_version: SCHEMA_VERSION,
        tool: request.tool.clone(),
        client: request.client.clone(),
        started_at: request.started_at.clone(),
        roots,
        ..Audit::default()
    };
    if request.sections.languages {
        audit.languages = languages::summary(&tally);
    }
    if request.sections.infrastructure {
        audit.infrastructure = infrastructure(&mut tally);
    }
    if request.sections.dependencies {
        audit.dependencies = dependencies(&mut tally);
        for c in &audit.dependencies.components {
            if let Some(engine) = data::engine_of_package(&c.ecosystem, &c.name) {
                let source = c.sources.first().cloned().unwrap_or_default();
                tally.database_hints.push((
                    engine.to_string(),
                    format!("{source} ({} {})", c.name, c.ecosystem),
                ));
            }
        }
        tally.database_hints.sort();
        tally.database_hints.dedup();
    }
    if request.sections.secrets {
        audit.secrets.findings = std::mem::take(&mut tally.secrets);
        audit.secrets.allowed = std::mem::take(&mut tally.secrets_allowed);
    }
    if request.sections.data {
        audit.data.migrations = data::migration_sets(&tally);
        audit.data.databases = data::databases(&tally.database_hints);
        audit.data.migration_findings = std::mem::take(&mut tally.migration_findings);
    }
    audit.file_lines = std::mem::take(&mut tally.file_lines);
    warnings.append(&mut tally.warnings);
    audit.warnings = warnings;
    audit.duration_ms = began.elapsed().as_millis() as u64;
    Ok(audit)
}

/// Rank the risks once every section is in; `day_rate_gbp` prices the
/// rough cost of fixing each.
pub fn finish(audit: &mut Audit, day_rate_gbp: u64) {
    audit.risks = risks::rank(audit, day_rate_gbp);
}

/// The landscape and warnings over every infrastructure fact of every root,
/// and the databases those files show, for the Data section.
fn infrastructure(tally: &mut scan::Tally) -> Infrastructure {
    let mut facts = std::mem::take(&mut tally.infra_facts);
    // Workers finish in any order; the landscape names merged services after
    // the first fact it sees, so the order must not depend on the walk. A
    // stable sort by file keeps each file's facts in parse order.
    facts.sort_by(|a, b| a.file().cmp(b.file()));
    let landscape = fcto_infra::landscape(&facts);
    for db in &landscape.databases {
        for source in &db.sources {
            let engine =
                data::engine_of_word(&db.engine).map_or_else(|| db.engine.clone(), str::to_string);
            tally.database_hints.push((engine, source.clone()));
        }
    }
    let warnings = fcto_infra::warnings(&facts)
        .into_iter()
        .map(|w| InfraWarning {
            rule: serde_json::to_value(w.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            path: w.file,
            line: w.line,
            message: w.message,
            why: w.why,
        })
        .collect();
    Infrastructure {
        files: std::mem::take(&mut tally.infra_files),
        landscape: serde_json::to_value(&landscape).unwrap_or_default(),
        warnings,
    }
}

/// The secrets allowlist of a root: the `--allowlist` file, else the root's
/// own `.fcto/secrets-allow.toml`. A broken file is a warning and accepts
/// nothing (the findings stay visible).
fn allowlist_for(
    root: &Root,
    given: Option<&std::path::Path>,
    warnings: &mut Vec<FileWarning>,
) -> Option<fcto_secrets::Allowlist> {
    let path = match given {
        Some(path) => path.to_path_buf(),
        None => root.path.join(".fcto").join("secrets-allow.toml"),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && given.is_none() => {
            return None
        }
        Err(error) => {
            warnings.push(FileWarning {
                path: path.display().to_string(),
                message: format!("secrets allowlist not read: {error}"),
            });
            return None;
        }
    };
    match fcto_secrets::Allowlist::parse(&path.display().to_string(), &text) {
        Ok(list) => Some(list),
        Err(error) => {
            warnings.push(FileWarning {
                path: path.display().to_string(),
                message: format!("secrets allowlist ignored: {error}"),
            });
            None
        }
    }
}

/// One component per package URL, with every file that names it; direct
/// and dev merged so "direct anywhere" wins.
fn dependencies(tally: &mut scan::Tally) -> Dependencies {
    let mut merged: Vec<Component> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for c in std::mem::take(&mut tally.components) {
        match index.get(&c.purl) {
            Some(&i) => {
                let into = &mut merged[i];
                for (k, s) in c.sources.into_iter().enumerate() {
                    if !into.sources.contains(&s) {
                        into.sources.push(s);
                        into.lines.push(c.lines.get(k).copied().unwrap_or(0));
                    }
                }
                into.direct = match (into.direct, c.direct) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (a, b) => a.or(b),
                };
                into.dev = match (into.dev, c.dev) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (a, b) => a.or(b),
                };
            }
            None => {
                index.insert(c.purl.clone(), merged.len());
                merged.push(c);
            }
        }
    }
    Dependencies {
        components: merged,
        manifests: std::mem::take(&mut tally.manifests),
    }
}
