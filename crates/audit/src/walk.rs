//! The one pass over the files: a walk (honouring .gitignore, never
//! following symlinks) feeding a pool of readers that read each file once
//! and hand its bytes to every section that wants it. Each reader keeps its
//! own tally and the tallies are merged at the end, so nothing is shared on
//! the hot path and memory is bounded by the files in flight (and a queue
//! of paths), not the tree.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::{DirEntry, WalkBuilder};

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

/// Batches of paths waiting to be read, at most this many: the walk runs
/// ahead of the readers without holding the whole tree's listing.
const QUEUE: usize = 64;

/// Paths per batch: one hand-off between threads per batch, not per file
/// (per file, the channel's wake-ups cost more than reading small files).
const BATCH: usize = 64;

pub(crate) fn walk(
    roots: &[Root],
    first_index: usize,
    threads: usize,
    engines: &Engines,
    progress: &Progress,
) -> Tally {
    let mut total = Tally::default();
    for (offset, root) in roots.iter().enumerate() {
        total.merge(walk_root(
            root,
            first_index + offset,
            threads,
            engines,
            progress,
        ));
    }
    total.sort();
    total
}

/// One thread lists the files (directory reads and ignore rules are cheap)
/// while a rayon pool reads and processes them. The work runs on rayon's
/// workers because tokei's engine itself calls `rayon::join` per file:
/// from a worker that costs nothing, from any other thread it is a
/// cross-thread hand-off per file.
fn walk_root(
    root: &Root,
    index: usize,
    threads: usize,
    engines: &Engines,
    progress: &Progress,
) -> Tally {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Listed>>(QUEUE);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|n| format!("fcto-audit-{n}"))
        .build();
    let mut tally = std::thread::scope(|scope| {
        scope.spawn(move || list(root, &sender));
        let process = move || {
            use rayon::iter::{ParallelBridge, ParallelIterator};
            receiver
                .into_iter()
                .par_bridge()
                .fold(
                    || Reader::new(root, index, engines, progress),
                    |mut reader, batch| {
                        for listed in batch {
                            match listed {
                                Listed::File(entry) => reader.file(&entry),
                                Listed::Error(warning) => reader.tally.warnings.push(warning),
                            }
                        }
                        reader
                    },
                )
                .map(|reader| reader.tally)
                .reduce(Tally::default, |mut a, b| {
                    a.merge(b);
                    a
                })
        };
        match &pool {
            Ok(pool) => pool.install(process),
            // No pool (threads could not be made): the global one.
            Err(_) => process(),
        }
    });
    tokei_hidden(root, &mut tally);
    tally
}

enum Listed {
    File(DirEntry),
    Error(FileWarning),
}

fn list(root: &Root, sender: &std::sync::mpsc::SyncSender<Vec<Listed>>) {
    let walker = WalkBuilder::new(&root.path)
        .hidden(false)
        .follow_links(false)
        .add_custom_ignore_filename(".tokeignore")
        // The repository's own metadata is not its source.
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    let mut batch = Vec::with_capacity(BATCH);
    for entry in walker {
        let listed = match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => Listed::File(entry),
            Ok(_) => continue,
            Err(error) => Listed::Error(walk_warning(root, &error)),
        };
        batch.push(listed);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if sender.send(full).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() {
        // The readers are gone only if they panicked; nothing to tell.
        let _ = sender.send(batch);
    }
}

/// tokei skips hidden files unless an ignore file whitelists them (ripgrep's
/// `.ignore` has `!/.github/`); the audit read them all and kept their
/// counts aside. Ask the ignore rules, with tokei's settings, which of them
/// tokei would count: a walk that only enters the folders leading to them.
fn tokei_hidden(root: &Root, tally: &mut Tally) {
    let hidden = std::mem::take(&mut tally.hidden_languages);
    if hidden.is_empty() {
        return;
    }
    let wanted: std::collections::HashSet<PathBuf> =
        hidden.iter().map(|(rel, _)| root.path.join(rel)).collect();
    let mut on_the_way: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for path in &wanted {
        let mut at = path.parent();
        while let Some(dir) = at {
            if !on_the_way.insert(dir.to_path_buf()) || dir == root.path {
                break;
            }
            at = dir.parent();
        }
    }
    let walker = WalkBuilder::new(&root.path)
        .hidden(true)
        .follow_links(false)
        .add_custom_ignore_filename(".tokeignore")
        .filter_entry(move |entry| {
            let path = entry.path();
            on_the_way.contains(path) || wanted.contains(path)
        })
        .build();
    let seen: std::collections::HashSet<String> = walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| relative(&root.path, e.path()))
        .collect();
    for (rel, row) in hidden {
        if seen.contains(&rel) {
            crate::languages::add(&mut tally.languages, &row);
        }
    }
}

struct Reader<'a> {
    root: &'a Root,
    index: usize,
    engines: &'a Engines,
    progress: &'a Progress,
    tally: Tally,
    /// Reused across files: one allocation per worker, not per file.
    buffer: Vec<u8>,
}

impl<'a> Reader<'a> {
    fn new(root: &'a Root, index: usize, engines: &'a Engines, progress: &'a Progress) -> Self {
        Reader {
            root,
            index,
            engines,
            progress,
            tally: Tally::default(),
            buffer: Vec::new(),
        }
    }

    fn unreadable(&mut self, path: String, error: &std::io::Error) {
        self.tally.warnings.push(FileWarning {
            path,
            message: format!("could not read: {error}"),
        });
    }

    fn file(&mut self, entry: &DirEntry) {
        let rel = relative(&self.root.path, entry.path());
        let label = labelled(&self.root.label, &rel);
        if rel.contains('\u{fffd}') {
            self.tally.warnings.push(FileWarning {
                path: label.clone(),
                message: "file name is not valid UTF-8; shown with replacement characters".into(),
            });
        }
        let limit = self.engines.max_file_bytes;
        let mut file = match std::fs::File::open(entry.path()) {
            Ok(file) => file,
            Err(error) => return self.unreadable(label, &error),
        };
        // The open file's size (fstat), not a second lookup by path.
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > limit {
            self.tally.warnings.push(FileWarning {
                path: label,
                message: format!(
                    "skipped: {} MiB is over the {} MiB limit for one file (--max-file-mb)",
                    size / (1024 * 1024),
                    limit / (1024 * 1024)
                ),
            });
            self.tally.skipped_large += 1;
            return;
        }
        self.buffer.clear();
        let engines = self.engines;
        let read = read_file(&mut file, &mut self.buffer, limit, |head| {
            fcto_secrets::is_probably_binary(head) && !engines.reads_binary(entry.path(), &rel)
        });
        let whole = match read {
            Ok(whole) => whole,
            Err(error) => return self.unreadable(label, &error),
        };
        self.progress.files.fetch_add(1, Ordering::Relaxed);
        self.progress.bytes.fetch_add(size, Ordering::Relaxed);
        if !whole {
            self.tally.binary_skipped += 1;
            return;
        }
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

/// Read a file into `buffer`, up to one byte over `limit`. The head first:
/// a binary file no section reads (an image, a font, an archive) stops
/// there, which saves most of the bytes of a typical repository's assets.
/// Returns whether the whole file was read.
fn read_file(
    file: &mut std::fs::File,
    buffer: &mut Vec<u8>,
    limit: u64,
    skip_binary: impl FnOnce(&[u8]) -> bool,
) -> std::io::Result<bool> {
    file.take(HEAD_BYTES).read_to_end(buffer)?;
    if buffer.len() as u64 == HEAD_BYTES && skip_binary(buffer) {
        return Ok(false);
    }
    file.take((limit + 1).saturating_sub(buffer.len() as u64))
        .read_to_end(buffer)?;
    Ok(true)
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

/// Bytes read before deciding whether a file is binary (what the secret
/// scanner's sniff looks at).
const HEAD_BYTES: u64 = 8 * 1024;

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
