//! The per-file work of every section, dispatched from the walk. Each
//! section decides from the path first (cheap) and only then reads bytes.

use serde::{Deserialize, Serialize};

use crate::data::DataEngine;
use crate::model::{FileWarning, InfraFile};
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
    data: DataEngine,
}

impl Engines {
    pub fn new(sections: Sections, max_file_bytes: u64) -> Engines {
        Engines {
            sections,
            max_file_bytes,
            tokei: tokei::Config::default(),
            data: DataEngine::new(),
        }
    }

    pub fn process(&self, job: &FileJob<'_>, tally: &mut Tally) {
        if self.sections.languages || self.sections.history {
            let lines = crate::languages::count(job, &self.tokei, tally);
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
