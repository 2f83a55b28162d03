//! What [`analyse`](crate::analyse) returns. Every struct serialises to the
//! JSON the audit report embeds; times are unix seconds (UTC), shares are
//! fractions in `0.0..=1.0`.

use serde::Serialize;

/// How far back the signals reach.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// The last `recent_days` before `now`.
    #[default]
    Recent,
    /// The whole (walked) history: used where the recent window has no changes.
    All,
}

/// The git signals of one repository.
#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    /// The commit HEAD points at (hex), `None` for a repository without commits.
    pub head: Option<String>,
    /// Commits walked, merges included.
    pub commits: u64,
    /// Of `commits`, those with more than one parent.
    pub merges: u64,
    /// Author time of the oldest and newest walked commit.
    pub first_commit: Option<i64>,
    pub last_commit: Option<i64>,
    /// Start of the recent window (`now - recent_days` days).
    pub recent_since: i64,
    /// Everyone who authored a walked commit, most commits first.
    pub authors: Vec<AuthorStats>,
    /// Months with at least one commit, oldest first.
    pub months: Vec<MonthStats>,
    /// Top-level components present at HEAD, by name.
    pub components: Vec<ComponentStats>,
    /// Share of the recent file changes made by the most active author
    /// (whole history when nothing changed recently: see `concentration_window`).
    pub top_author_share: f64,
    /// The author behind `top_author_share`.
    pub top_author: Option<String>,
    pub concentration_window: Window,
    /// Share of the files present at HEAD (with at least one walked change)
    /// that only one author ever changed.
    pub single_author_file_share: f64,
    /// Every file present at HEAD, most changed first.
    pub files: Vec<FileChurn>,
    /// File changes per author and file extension, by author then extension.
    pub author_extensions: Vec<AuthorExtension>,
    /// What limited the analysis: shallow clone, no commits, truncation, ...
    pub notes: Vec<String>,
}

/// One author, identified by lowercased email after `.mailmap`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AuthorStats {
    pub email: String,
    /// The name on the newest commit (after `.mailmap`).
    pub name: String,
    pub commits: u64,
    pub merges: u64,
    /// File changes in non-merge commits, whole history.
    pub changes: u64,
    pub recent_commits: u64,
    pub recent_changes: u64,
    pub first_commit: i64,
    pub last_commit: i64,
}

/// Activity of one calendar month (UTC, by author time).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MonthStats {
    /// `YYYY-MM`.
    pub month: String,
    pub commits: u64,
    /// Distinct authors with a commit in the month.
    pub authors: u64,
    /// File changes in the month's non-merge commits.
    pub changes: u64,
}

/// One top-level component: the first path segment, `(root)` for files at the root.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ComponentStats {
    pub name: String,
    /// `recent` normally; `all` when the component had no recent change.
    pub window: Window,
    /// Non-merge commits that changed a file of the component, in the window.
    pub commits: u64,
    /// File changes in the window.
    pub changes: u64,
    /// Authors of those changes, most changes first.
    pub authors: Vec<AuthorShare>,
    /// The fewest authors whose changes add up to more than half of `changes`.
    pub bus_factor: u32,
    /// Author time of the newest change to the component, whole history.
    pub last_activity: i64,
    /// Files of the component present at HEAD.
    pub files: u64,
}

/// An author's part of a component's changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AuthorShare {
    pub email: String,
    pub name: String,
    pub changes: u64,
    pub share: f64,
}

/// How often a path present at HEAD changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileChurn {
    pub path: String,
    /// Non-merge commits that added, modified or deleted this exact path.
    pub changes: u64,
    /// Distinct authors of those commits.
    pub authors: u32,
    /// Author time of the newest such commit (`None` when the walk was cut
    /// short before reaching any).
    pub last_changed: Option<i64>,
}

/// File changes of one author in files of one extension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthorExtension {
    pub email: String,
    /// Lowercased text after the last dot of the file name; a name without a
    /// dot (or a dotfile) gives the whole file name, e.g. `Makefile`.
    pub extension: String,
    pub changes: u64,
}
