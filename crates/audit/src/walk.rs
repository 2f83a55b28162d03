//! The one pass over the files: a parallel walk (honouring .gitignore, never
//! following symlinks) that reads each file once and hands its bytes to
//! every section that wants it. Each worker keeps its own tally and the
//! tallies are merged at the end, so nothing is shared on the hot path and
//! memory is bounded by the files in flight, not the tree.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use crate::model::FileWarning;
use crate::scan::{FileJob, Tally};
use crate::sections::Engines;

/// One folder to audit and the prefix its paths get in the report.
#[derive(Debug, Clone)]
pub struct Root {
    pub path: PathBuf,
    pub label: String,
}

/// Counters a progress bar can read while the walk runs.
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
}

pub(crate) fn walk(
    roots: &[Root],
    first_index: usize,
    threads: usize,
    engines: &Engines,
    progress: &Progress,
) -> Tally {
    let tallies = Mutex::new(Vec::new());
    for (offset, root) in roots.iter().enumerate() {
        let mut builder = WalkBuilder::new(&root.path);
        builder
            .hidden(false)
            .follow_links(false)
            .threads(threads.max(1))
            .add_custom_ignore_filename(".tokeignore")
            // The repository's own metadata is not its source.
            .filter_entry(|entry| entry.file_name() != ".git");
        let mut visitors = VisitorBuilder {
            root,
            index: first_index + offset,
            engines,
            progress,
            tallies: &tallies,
        };
        builder.build_parallel().visit(&mut visitors);
    }
    let mut total = Tally::default();
    for tally in tallies
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner())
    {
        total.merge(tally);
    }
    total.sort();
    total
}

struct VisitorBuilder<'a> {
    root: &'a Root,
    index: usize,
    engines: &'a Engines,
    progress: &'a Progress,
    tallies: &'a Mutex<Vec<Tally>>,
}

impl<'s> ParallelVisitorBuilder<'s> for VisitorBuilder<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Visitor {
            root: self.root,
            index: self.index,
            engines: self.engines,
            progress: self.progress,
            tallies: self.tallies,
            tally: Tally::default(),
            buffer: Vec::new(),
        })
    }
}

struct Visitor<'a> {
    root: &'a Root,
    index: usize,
    engines: &'a Engines,
    progress: &'a Progress,
    tallies: &'a Mutex<Vec<Tally>>,
    tally: Tally,
    /// Reused across files: one allocation per worker, not per file.
    buffer: Vec<u8>,
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let tally = std::mem::take(&mut self.tally);
        match self.tallies.lock() {
            Ok(mut all) => all.push(tally),
            Err(poison) => poison.into_inner().push(tally),
        }
    }
}

impl ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(entry) => self.file(&entry),
            Err(error) => self.tally.warnings.push(walk_warning(self.root, &error)),
        }
        WalkState::Continue
    }
}

impl Visitor<'_> {
    fn file(&mut self, entry: &DirEntry) {
        let Some(file_type) = entry.file_type() else {
            return;
        };
        if !file_type.is_file() {
            return;
        }
        let rel = relative(&self.root.path, entry.path());
        let label = labelled(&self.root.label, &rel);
        if rel.contains('\u{fffd}') {
            self.tally.warnings.push(FileWarning {
                path: label.clone(),
                message: "file name is not valid UTF-8; shown with replacement characters".into(),
            });
        }
        let limit = self.engines.max_file_bytes;
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if size > limit {
            self.tally.warnings.push(FileWarning {
                path: label,
                message: format!(
                    "skipped: {} MB is over the {} MB limit for one file",
                    size / 1_000_000,
                    limit / 1_000_000
                ),
            });
            self.tally.skipped_large += 1;
            return;
        }
        self.buffer.clear();
        let read = std::fs::File::open(entry.path())
            .and_then(|file| file.take(limit + 1).read_to_end(&mut self.buffer));
        if let Err(error) = read {
            self.tally.warnings.push(FileWarning {
                path: label,
                message: format!("could not read: {error}"),
            });
            return;
        }
        self.progress.files.fetch_add(1, Ordering::Relaxed);
        self.progress
            .bytes
            .fetch_add(self.buffer.len() as u64, Ordering::Relaxed);
        let job = FileJob {
            root: self.index,
            path: entry.path(),
            rel: &rel,
            label: &label,
            bytes: &self.buffer,
        };
        self.engines.process(&job, &mut self.tally);
    }
}

/// `rel` with '/' separators whatever the platform, lossy for odd names.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

pub(crate) fn labelled(label: &str, rel: &str) -> String {
    if label.is_empty() {
        rel.to_string()
    } else {
        format!("{label}/{rel}")
    }
}

/// A walk error (unreadable folder, symlink loop, bad ignore file) as a
/// warning naming the path the walker gave.
fn walk_warning(root: &Root, error: &ignore::Error) -> FileWarning {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    let path = path_of(error)
        .map(|p| labelled(&root.label, &relative(&root.path, p)))
        .unwrap_or_else(|| labelled(&root.label, "."));
    FileWarning {
        path,
        message: error.to_string(),
    }
}
