//! Git signals from a repository's history, read with gitoxide (`gix`): who
//! commits and when, bus factor and last activity per top-level component,
//! knowledge concentration, churn per file and authorship per file extension.
//!
//! What counts:
//! - The walk covers every commit reachable from HEAD (all parents, like
//!   `git log`), newest first by committer time; `max_commits` keeps the newest.
//! - Authors are the lowercased author email after `.mailmap`; times are
//!   author times (UTC months).
//! - A merge (more than one parent) counts as a commit of its author and month
//!   but changes no file: file changes come from non-merge commits only, each
//!   diffed against its parent, a root commit against the empty tree (like
//!   `git log --no-merges --name-only`).
//! - Paths are followed as they are: a rename is a deletion plus an addition.
//! - A shallow clone's boundary commits are treated as roots, so they "add"
//!   every file they contain (as `git log` shows them); a note says so.
//! - "Recent" is author time at or after `now - recent_days` days.

mod aggregate;
mod calendar;
mod changes;
mod error;
mod model;
mod walk;

use std::path::Path;

pub use aggregate::{bus_factor, ROOT_COMPONENT};
pub use error::HistoryError;
pub use model::{
    AuthorExtension, AuthorShare, AuthorStats, ComponentStats, FileChurn, History, MonthStats,
    Window,
};

use changes::{PathTable, TreeDiffer};
use walk::Walker;

/// What to analyse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Length of the recent window, in days before `now`.
    pub recent_days: u32,
    /// "Now" as unix seconds; injected so results are reproducible.
    pub now: i64,
    /// Walk at most this many commits (the newest).
    pub max_commits: Option<usize>,
}

impl Options {
    /// A year's window ending at `now`, whole history.
    pub fn at(now: i64) -> Self {
        Options {
            recent_days: 365,
            now,
            max_commits: None,
        }
    }
}

impl Default for Options {
    /// A year's window ending at the current system time.
    fn default() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Options::at(now)
    }
}

/// Decoded objects kept between diffs: a commit's tree is read again as the
/// next commit's parent tree, and unchanged subtrees repeat.
const OBJECT_CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Delta bases kept while reading packs: tree objects are mostly deltas of
/// their previous versions.
const PACK_CACHE_BYTES: usize = 96 * 1024 * 1024;

/// Reads the history of the repository at `repo` (a work tree, a folder inside
/// one, or a bare repository). `progress` receives the number of commits
/// processed so far, now and then and once at the end.
pub fn analyse(
    repo: &Path,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<History, HistoryError> {
    let mut repository = gix::discover(repo).map_err(|e| HistoryError::NotARepository {
        path: repo.to_path_buf(),
        reason: e.to_string(),
    })?;
    repository.object_cache_size(OBJECT_CACHE_BYTES);
    repository.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
    let path = repo;
    let repository_error = |reason: String| HistoryError::Repository {
        path: path.to_path_buf(),
        reason,
    };

    let recent_since = options
        .now
        .saturating_sub(i64::from(options.recent_days) * 86_400);
    let mut history = History {
        recent_since,
        ..History::default()
    };

    let head = repository
        .head()
        .map_err(|e| repository_error(e.to_string()))?;
    let Some(head_id) = head.id().map(|id| id.detach()) else {
        history
            .notes
            .push("the repository has no commits yet (HEAD is unborn)".into());
        progress(0);
        return Ok(history);
    };
    history.head = Some(head_id.to_string());

    let mut shallow = gix::hashtable::HashSet::default();
    if let Some(commits) = repository
        .shallow_commits()
        .map_err(|e| repository_error(e.to_string()))?
    {
        shallow.extend(commits.iter().copied());
        history.notes.push(format!(
            "shallow clone: history stops at {} boundary commit(s), which count as adding every file they hold",
            shallow.len()
        ));
    }

    let walker = Walker {
        repo: &repository,
        path,
    };
    let walked = walker.walk(head_id, &shallow, options.max_commits)?;
    if walked.truncated {
        history.notes.push(format!(
            "history truncated to the newest {} commits",
            walked.commits.len()
        ));
    }
    if walked.missing_parents > 0 {
        history.notes.push(format!(
            "{} parent commit(s) missing from the object database; their children count as roots",
            walked.missing_parents
        ));
    }

    let index = walk::index_by_id(&walked.commits);
    let mut table = PathTable::default();
    let mut differ = TreeDiffer::new(&repository, path);
    let mut offsets = Vec::with_capacity(walked.commits.len() + 1);
    let mut changed = Vec::new();
    offsets.push(0u32);
    for (n, commit) in walked.commits.iter().enumerate() {
        if commit.parent_count <= 1 {
            let parent_tree = match commit.first_parent {
                None => None,
                Some(parent) => match index.get(&parent) {
                    Some(&i) => Some(walked.commits[i as usize].tree),
                    None => walker.tree_of(parent)?,
                },
            };
            differ.changed_paths(parent_tree, commit.tree, &mut table, &mut changed)?;
        }
        offsets.push(changed.len() as u32);
        if (n + 1) % 1024 == 0 {
            progress(n as u64 + 1);
        }
    }

    let head_tree = walked
        .commits
        .first()
        .map(|c| c.tree)
        .ok_or_else(|| repository_error("HEAD commit was not walked".into()))?;
    let head_files = changes::list_tree(&repository, path, head_tree, &mut table)?;

    aggregate::build(
        &aggregate::Inputs {
            commits: &walked.commits,
            authors: &walked.authors,
            offsets: &offsets,
            changed: &changed,
            table: &table,
            head_files: &head_files,
            recent_since,
            recent_days: options.recent_days,
        },
        &mut history,
    );
    progress(history.commits);
    Ok(history)
}
