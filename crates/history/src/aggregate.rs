//! Turns walked commits and their changed paths into the signals.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::calendar;
use crate::changes::PathTable;
use crate::model::{
    AuthorExtension, AuthorShare, AuthorStats, ComponentStats, FileChurn, History, MonthStats,
    Window,
};
use crate::walk::{Author, CommitRecord};

/// The component of files at the top level.
pub const ROOT_COMPONENT: &str = "(root)";

/// What the walk and the diffs produced.
pub struct Inputs<'a> {
    /// Newest first.
    pub commits: &'a [CommitRecord],
    pub authors: &'a [Author],
    /// `changed[offsets[i]..offsets[i + 1]]` are the paths commit `i` changed
    /// (empty for merges).
    pub offsets: &'a [u32],
    pub changed: &'a [u32],
    pub table: &'a PathTable,
    /// Paths present in HEAD's tree.
    pub head_files: &'a [u32],
    pub recent_since: i64,
    pub recent_days: u32,
}

#[derive(Default)]
struct FileAcc {
    changes: u64,
    last_changed: Option<i64>,
    first_author: Option<u32>,
    authors: u32,
    // Only ever compared with the next author, so it stays small: the set of
    // authors is kept per file only once a second author appears.
    others: Option<HashSet<u32>>,
}

impl FileAcc {
    fn add(&mut self, author: u32, time: i64) {
        self.changes += 1;
        self.last_changed = Some(self.last_changed.map_or(time, |t| t.max(time)));
        match self.first_author {
            None => {
                self.first_author = Some(author);
                self.authors = 1;
            }
            Some(first) if first == author => {}
            Some(first) => {
                let set = self.others.get_or_insert_with(|| HashSet::from([first]));
                if set.insert(author) {
                    self.authors += 1;
                }
            }
        }
    }
}

#[derive(Default)]
struct Span {
    commits: u64,
    changes: u64,
    by_author: HashMap<u32, u64>,
}

impl Span {
    fn add(&mut self, author: u32, first_in_commit: bool) {
        self.changes += 1;
        *self.by_author.entry(author).or_default() += 1;
        if first_in_commit {
            self.commits += 1;
        }
    }
}

#[derive(Default)]
struct ComponentAcc {
    recent: Span,
    all: Span,
    last_activity: Option<i64>,
}

#[derive(Default)]
struct MonthAcc {
    commits: u64,
    changes: u64,
    authors: HashSet<u32>,
}

fn component_of(path: &[u8]) -> &[u8] {
    match path.iter().position(|&b| b == b'/') {
        Some(pos) => &path[..pos],
        None => ROOT_COMPONENT.as_bytes(),
    }
}

fn extension_of(path: &[u8]) -> String {
    let name = match path.iter().rposition(|&b| b == b'/') {
        Some(pos) => &path[pos + 1..],
        None => path,
    };
    match name.iter().rposition(|&b| b == b'.') {
        Some(pos) if pos > 0 => String::from_utf8_lossy(&name[pos + 1..]).to_lowercase(),
        _ => String::from_utf8_lossy(name).into_owned(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The fewest authors whose changes add up to more than half of the total.
pub fn bus_factor(changes_desc: &[u64]) -> u32 {
    let total: u64 = changes_desc.iter().sum();
    let mut sum = 0u64;
    for (n, changes) in changes_desc.iter().enumerate() {
        sum += changes;
        if sum * 2 > total {
            return n as u32 + 1;
        }
    }
    0
}

pub fn build(inputs: &Inputs<'_>, history: &mut History) {
    let Inputs {
        commits,
        authors,
        offsets,
        changed,
        table,
        head_files,
        recent_since,
        recent_days,
    } = *inputs;

    // Per path: its component and extension, numbered once.
    let mut component_index: HashMap<&[u8], u32> = HashMap::new();
    let mut component_names: Vec<&[u8]> = Vec::new();
    let mut extension_index: HashMap<String, u32> = HashMap::new();
    let mut extension_names: Vec<String> = Vec::new();
    let mut path_component = Vec::with_capacity(table.paths.len());
    let mut path_extension = Vec::with_capacity(table.paths.len());
    for path in &table.paths {
        let component = component_of(path);
        let next = component_names.len() as u32;
        let c = *component_index.entry(component).or_insert(next);
        if c == next {
            component_names.push(component);
        }
        path_component.push(c);
        let extension = extension_of(path);
        let next = extension_names.len() as u32;
        let e = *extension_index.entry(extension.clone()).or_insert(next);
        if e == next {
            extension_names.push(extension);
        }
        path_extension.push(e);
    }

    let mut files: Vec<FileAcc> = (0..table.paths.len()).map(|_| FileAcc::default()).collect();
    let mut components: Vec<ComponentAcc> = (0..component_names.len())
        .map(|_| ComponentAcc::default())
        .collect();
    let mut author_stats: Vec<AuthorStats> = authors
        .iter()
        .map(|a| AuthorStats {
            email: a.email.clone(),
            name: a.name.clone(),
            first_commit: i64::MAX,
            last_commit: i64::MIN,
            ..Default::default()
        })
        .collect();
    let mut author_extension: HashMap<(u32, u32), u64> = HashMap::new();
    let mut months: BTreeMap<(i64, u32), MonthAcc> = BTreeMap::new();
    let mut touched: Vec<u32> = Vec::new();

    for (i, commit) in commits.iter().enumerate() {
        let recent = commit.time >= recent_since;
        let month = months.entry(calendar::year_month(commit.time)).or_default();
        month.commits += 1;
        month.authors.insert(commit.author);
        history.first_commit = Some(
            history
                .first_commit
                .map_or(commit.time, |t| t.min(commit.time)),
        );
        history.last_commit = Some(
            history
                .last_commit
                .map_or(commit.time, |t| t.max(commit.time)),
        );
        let author = &mut author_stats[commit.author as usize];
        author.commits += 1;
        author.first_commit = author.first_commit.min(commit.time);
        author.last_commit = author.last_commit.max(commit.time);
        if recent {
            author.recent_commits += 1;
        }
        if commit.parent_count > 1 {
            author.merges += 1;
            history.merges += 1;
            continue;
        }
        let start = offsets[i] as usize;
        let end = offsets[i + 1] as usize;
        let paths = &changed[start..end];
        let n = paths.len() as u64;
        month.changes += n;
        author.changes += n;
        if recent {
            author.recent_changes += n;
        }
        touched.clear();
        for &path in paths {
            let path = path as usize;
            files[path].add(commit.author, commit.time);
            *author_extension
                .entry((commit.author, path_extension[path]))
                .or_default() += 1;
            let c = path_component[path];
            let component = &mut components[c as usize];
            component.last_activity = Some(
                component
                    .last_activity
                    .map_or(commit.time, |t| t.max(commit.time)),
            );
            let first_in_commit = !touched.contains(&c);
            if first_in_commit {
                touched.push(c);
            }
            component.all.add(commit.author, first_in_commit);
            if recent {
                component.recent.add(commit.author, first_in_commit);
            }
        }
    }

    history.commits = commits.len() as u64;
    history.months = months
        .into_iter()
        .map(|(ym, acc)| MonthStats {
            month: calendar::month_label(ym),
            commits: acc.commits,
            authors: acc.authors.len() as u64,
            changes: acc.changes,
        })
        .collect();

    // Files present at HEAD.
    let mut head_components: Vec<u32> = Vec::new();
    let mut component_files: HashMap<u32, u64> = HashMap::new();
    let mut single_author = 0u64;
    let mut with_changes = 0u64;
    history.files = head_files
        .iter()
        .map(|&path| {
            let acc = &files[path as usize];
            let c = path_component[path as usize];
            let count = component_files.entry(c).or_default();
            if *count == 0 {
                head_components.push(c);
            }
            *count += 1;
            if acc.changes > 0 {
                with_changes += 1;
                if acc.authors == 1 {
                    single_author += 1;
                }
            }
            FileChurn {
                path: text(&table.paths[path as usize]),
                changes: acc.changes,
                authors: acc.authors,
                last_changed: acc.last_changed,
            }
        })
        .collect();
    history
        .files
        .sort_by(|a, b| b.changes.cmp(&a.changes).then_with(|| a.path.cmp(&b.path)));
    history.single_author_file_share = share(single_author, with_changes);

    // Components present at HEAD.
    let author_share = |by_author: &HashMap<u32, u64>, total: u64| {
        let mut shares: Vec<AuthorShare> = by_author
            .iter()
            .map(|(&a, &changes)| AuthorShare {
                email: authors[a as usize].email.clone(),
                name: authors[a as usize].name.clone(),
                changes,
                share: share(changes, total),
            })
            .collect();
        shares.sort_by(|a, b| {
            b.changes
                .cmp(&a.changes)
                .then_with(|| a.email.cmp(&b.email))
        });
        shares
    };
    head_components.sort_by(|&a, &b| component_names[a as usize].cmp(component_names[b as usize]));
    let mut component_stats = Vec::new();
    for &c in &head_components {
        let acc = &components[c as usize];
        let name = text(component_names[c as usize]);
        let (window, span) = if acc.recent.changes > 0 {
            (Window::Recent, &acc.recent)
        } else {
            if acc.all.changes > 0 {
                history.notes.push(format!(
                    "component {name}: no change in the last {recent_days} days; its whole history is used"
                ));
            }
            (Window::All, &acc.all)
        };
        let shares = author_share(&span.by_author, span.changes);
        let counts: Vec<u64> = shares.iter().map(|s| s.changes).collect();
        component_stats.push(ComponentStats {
            name,
            window,
            commits: span.commits,
            changes: span.changes,
            bus_factor: bus_factor(&counts),
            authors: shares,
            last_activity: acc.last_activity.unwrap_or_default(),
            files: component_files.get(&c).copied().unwrap_or_default(),
        });
    }
    history.components = component_stats;

    // Knowledge concentration over the whole repository.
    let recent_total: u64 = author_stats.iter().map(|a| a.recent_changes).sum();
    let (window, pick): (Window, fn(&AuthorStats) -> u64) = if recent_total > 0 {
        (Window::Recent, |a| a.recent_changes)
    } else {
        (Window::All, |a| a.changes)
    };
    let total: u64 = author_stats.iter().map(pick).sum();
    if window == Window::All && total > 0 {
        history.notes.push(format!(
            "no file change in the last {recent_days} days; knowledge concentration uses the whole history"
        ));
    }
    let top = author_stats
        .iter()
        .filter(|a| pick(a) > 0)
        .max_by(|a, b| pick(a).cmp(&pick(b)).then_with(|| b.email.cmp(&a.email)));
    history.concentration_window = window;
    history.top_author_share = top.map_or(0.0, |a| share(pick(a), total));
    history.top_author = top.map(|a| a.email.clone());

    let mut extensions: Vec<AuthorExtension> = author_extension
        .into_iter()
        .map(|((a, e), changes)| AuthorExtension {
            email: authors[a as usize].email.clone(),
            extension: extension_names[e as usize].clone(),
            changes,
        })
        .collect();
    extensions.sort_by(|a, b| {
        a.email
            .cmp(&b.email)
            .then_with(|| a.extension.cmp(&b.extension))
    });
    history.author_extensions = extensions;

    author_stats.sort_by(|a, b| {
        b.commits
            .cmp(&a.commits)
            .then_with(|| a.email.cmp(&b.email))
    });
    history.authors = author_stats;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_factor_needs_more_than_half() {
        assert_eq!(bus_factor(&[]), 0);
        assert_eq!(bus_factor(&[1]), 1);
        assert_eq!(bus_factor(&[6, 4]), 1);
        // Exactly half is not more than half.
        assert_eq!(bus_factor(&[5, 5]), 2);
        assert_eq!(bus_factor(&[2, 2, 2, 2]), 3);
        assert_eq!(bus_factor(&[4, 3, 3]), 2);
    }

    #[test]
    fn components_and_extensions_of_paths() {
        assert_eq!(component_of(b"src/a/b.rs"), b"src");
        assert_eq!(component_of(b"README.md"), ROOT_COMPONENT.as_bytes());
        assert_eq!(extension_of(b"src/Main.RS"), "rs");
        assert_eq!(extension_of(b"Makefile"), "Makefile");
        assert_eq!(extension_of(b"a/.gitignore"), ".gitignore");
        assert_eq!(extension_of(b"a/b.tar.gz"), "gz");
        assert_eq!(extension_of(b"weird/\xff.\xfe"), "\u{fffd}");
    }
}
