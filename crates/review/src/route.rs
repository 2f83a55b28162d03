//! One entry point per file: decide which reviewer reads it (SQL migration,
//! ORM migration, source code) and gather findings and warnings.

use serde::Serialize;

use crate::config::ReviewConfig;
use crate::finding::Finding;
use crate::scale::TableSizes;

/// Something the review could not do for part of a file (a statement that
/// does not parse, a file that is not text); the rest goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReview {
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
}

/// Which reviewer a path goes to, by name alone (cheap, before reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Sql,
    Source,
    Other,
}

pub fn kind_of(path: &str) -> FileKind {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".sql") {
        FileKind::Sql
    } else if crate::coupling::language_of(path).is_some() {
        FileKind::Source
    } else {
        FileKind::Other
    }
}

/// Review one file's text.
pub fn review_file(
    path: &str,
    text: &str,
    config: &ReviewConfig,
    sizes: &TableSizes,
) -> FileReview {
    match kind_of(path) {
        FileKind::Sql => {
            let review = crate::sql::review_sql_with_sizes(path, text, config, sizes);
            FileReview {
                findings: review.findings,
                warnings: review
                    .warnings
                    .into_iter()
                    .map(|w| Warning {
                        path: w.path,
                        line: w.line,
                        column: w.column,
                        message: format!("{} (statement: {})", w.message, w.statement),
                    })
                    .collect(),
            }
        }
        FileKind::Source => FileReview {
            findings: crate::coupling::review_source(path, text, config),
            warnings: Vec::new(),
        },
        FileKind::Other => FileReview::default(),
    }
}
