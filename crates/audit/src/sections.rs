//! The per-file work of every section, dispatched from the walk. Each
//! section decides from the path first (cheap) and only then reads bytes.

use serde::{Deserialize, Serialize};

use crate::data::DataEngine;
use crate::model::{Component, FileWarning, InfraFile, ManifestFile, SecretRecord, Severity};
use crate::scan::{FileJob, Tally};

/// Which parts of the audit to run (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections {
    pub languages: bool,
    pub dependencies: bool,
    pub secrets: bool,
    pub infrastructure: bool,
    pub data: bool,
    pub history: bool,
}

impl Default for Sections {
    fn default() -> Self {
        Sections {
            languages: true,
            dependencies: true,
            secrets: true,
            infrastructure: true,
            data: true,
            history: true,
        }
    }
}

impl Sections {
    pub fn none() -> Sections {
        Sections {
            languages: false,
            dependencies: false,
            secrets: false,
            infrastructure: false,
            data: false,
            history: false,
        }
    }

    /// Names as `--only` takes them.
    pub fn enable(&mut self, name: &str) -> bool {
        let slot = match name {
            "languages" => &mut self.languages,
            "dependencies" | "sbom" => &mut self.dependencies,
            "secrets" => &mut self.secrets,
            "infrastructure" | "infra" => &mut self.infrastructure,
            "data" => &mut self.data,
            "history" | "git" => &mut self.history,
            _ => return false,
        };
        *slot = true;
        true
    }
}

pub(crate) struct Engines {
    pub sections: Sections,
    pub max_file_bytes: u64,
    tokei: tokei::Config,
    syntaxes: fcto_lines::Syntaxes,
    data: DataEngine,
    /// Built once (its automaton is the expensive part), shared by workers.
    scanner: Option<fcto_secrets::Scanner>,
    /// One per root, in the request's order.
    pub allowlists: Vec<Option<fcto_secrets::Allowlist>>,
}

impl Engines {
    pub fn new(sections: Sections, max_file_bytes: u64) -> Engines {
        Engines {
            sections,
            max_file_bytes,
            tokei: tokei::Config::default(),
            syntaxes: fcto_lines::Syntaxes::new(),
            data: DataEngine::new(),
            scanner: sections.secrets.then(fcto_secrets::Scanner::new),
            allowlists: Vec::new(),
        }
    }

    /// Whether a binary file at this path is still worth reading whole: when
    /// tokei would count it (it counts by name, whatever the content) or
    /// it is named as a lockfile (so a broken one is reported). Images,
    /// fonts and archives are not: only their head is read.
    pub fn reads_binary(&self, path: &std::path::Path, rel: &str) -> bool {
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        ((self.sections.languages || self.sections.history)
            && tokei::LanguageType::from_path(path, &self.tokei).is_some())
            || (self.sections.dependencies && fcto_sbom::manifest_kind(file_name).is_some())
    }

    pub fn process(&self, job: &FileJob<'_>, tally: &mut Tally) {
        if self.sections.languages || self.sections.history {
            let lines = crate::languages::count(job, &self.tokei, &self.syntaxes, tally);
            if lines > 0 {
                tally.file_lines.push((job.label.to_string(), lines));
            }
        }
        if self.sections.data {
            self.data.process(job, tally);
        }
        if self.sections.infrastructure {
            infrastructure(job, tally);
        }
        if self.sections.dependencies {
            dependencies(job, tally);
        }
        if let Some(scanner) = &self.scanner {
            let allowlist = self.allowlists.get(job.root).and_then(Option::as_ref);
            secrets(scanner, allowlist, job, tally);
        }
    }
}

/// Infrastructure and CI files: classified by path and the first bytes,
/// parsed whole only when they are one.
fn infrastructure(job: &FileJob<'_>, tally: &mut Tally) {
    let head = &job.bytes[..job.bytes.len().min(fcto_infra::HEAD_BYTES)];
    let Some(kind) = fcto_infra::classify(job.rel, head) else {
        return;
    };
    let kind_name = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    tally.infra_files.push(InfraFile {
        path: job.label.to_string(),
        kind: kind_name,
    });
    match fcto_infra::parse(kind, job.label, job.bytes) {
        Ok(facts) => tally.infra_facts.extend(facts),
        Err(error) => tally.warnings.push(FileWarning {
            path: job.label.to_string(),
            message: error.to_string(),
        }),
    }
}

/// Lockfiles and manifests, recognised by their file name.
fn dependencies(job: &FileJob<'_>, tally: &mut Tally) {
    let name = job.rel.rsplit('/').next().unwrap_or(job.rel);
    let Some(kind) = fcto_sbom::manifest_kind(name) else {
        return;
    };
    let kind_name = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match fcto_sbom::parse_manifest(kind, job.label, job.bytes) {
        Ok(components) => {
            let lines = name_lines(job.bytes);
            tally.manifests.push(ManifestFile {
                path: job.label.to_string(),
                kind: kind_name,
                components: components.len() as u64,
            });
            tally
                .components
                .extend(components.into_iter().map(|c| Component {
                    lines: vec![line_of(&lines, &c.name)],
                    ecosystem: c.ecosystem.osv_name().to_string(),
                    name: c.name,
                    version: c.version,
                    purl: c.purl,
                    direct: c.direct,
                    dev: c.dev,
                    sources: vec![c.source],
                }));
        }
        Err(error) => tally.warnings.push(FileWarning {
            path: job.label.to_string(),
            message: error.to_string(),
        }),
    }
}

/// The first line naming each word of a lockfile (lower case), so a
/// component can be located: `"node_modules/lodash"`, `lodash@^4.17.15:`,
/// `name = "serde"`, `django==3.2.0`, `<artifactId>x</artifactId>`.
fn name_lines(bytes: &[u8]) -> std::collections::HashMap<String, u32> {
    let mut first: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let text = String::from_utf8_lossy(bytes);
    for (n, line) in (1u32..).zip(text.lines()) {
        for token in
            line.split(|c: char| !(c.is_alphanumeric() || matches!(c, '@' | '/' | '.' | '_' | '-')))
        {
            if token.is_empty() {
                continue;
            }
            let lower = token.to_lowercase();
            let mut add = |t: &str| {
                if !t.is_empty() {
                    first.entry(t.to_string()).or_insert(n);
                }
            };
            add(&lower);
            if let Some((_, rest)) = lower.rsplit_once("node_modules/") {
                add(rest);
            }
            // `pkg@range` and `@scope/pkg@range`: the name before the last `@`.
            if let Some(at) = lower.rfind('@').filter(|&at| at > 0) {
                add(&lower[..at]);
            }
        }
    }
    first
}

/// Where a component is named: the whole name, else its last part (Maven's
/// artifact, a Go module's last segment); 0 when not found.
fn line_of(lines: &std::collections::HashMap<String, u32>, name: &str) -> u32 {
    let lower = name.to_lowercase();
    let last = lower.rsplit([':', '/']).next().unwrap_or(&lower);
    lines
        .get(&lower)
        .or_else(|| lines.get(last))
        .copied()
        .unwrap_or(0)
}

fn severity(s: fcto_secrets::Severity) -> Severity {
    match s {
        fcto_secrets::Severity::High => Severity::High,
        fcto_secrets::Severity::Medium => Severity::Medium,
        fcto_secrets::Severity::Low => Severity::Low,
    }
}

/// Secrets, in every text file; accepted ones are kept apart with the
/// allowlist's reason.
fn secrets(
    scanner: &fcto_secrets::Scanner,
    allowlist: Option<&fcto_secrets::Allowlist>,
    job: &FileJob<'_>,
    tally: &mut Tally,
) {
    if fcto_secrets::is_probably_binary(job.bytes) {
        return;
    }
    for finding in scanner.scan(job.label, job.bytes) {
        let reason = match allowlist {
            Some(list) => list.permits(job.rel, &finding).map(str::to_string),
            None => finding.inline_allow.clone(),
        };
        let record = SecretRecord {
            path: job.label.to_string(),
            line: finding.line,
            column: finding.column,
            rule: finding.rule_id.to_string(),
            title: finding.title.to_string(),
            severity: severity(finding.severity),
            redacted: finding.redacted.clone(),
            fingerprint: finding.fingerprint.clone(),
            allowed_because: reason.clone(),
        };
        if reason.is_some() {
            tally.secrets_allowed.push(record);
        } else {
            tally.secrets.push(record);
        }
    }
}
