//! Git signals per root (fcto-history, via gix) and what the audit derives
//! from them with the scan's figures: hotspots (churn x size) and skills
//! (changes by language, from authorship).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::model::{Audit, Hotspot, RootHistory, Skill};
use crate::walk::Root;

/// Hotspots and skills listed per root.
const TOP_HOTSPOTS: usize = 10;
const TOP_SKILLS_PER_AUTHOR: usize = 3;
const TOP_AUTHORS: usize = 15;

/// Add the history of every root that is a git work tree (its own `.git`
/// here, not a parent's: a folder inside a repository is not audited as
/// the whole repository). `now` is unix seconds.
pub fn attach(audit: &mut Audit, roots: &[Root], now: i64) {
    let lines: HashMap<&str, u64> = audit
        .file_lines
        .iter()
        .map(|(path, n)| (path.as_str(), *n))
        .collect();
    let mut histories = Vec::new();
    for root in roots {
        if !root.path.join(".git").exists() {
            histories.push(RootHistory {
                root: root.label.clone(),
                note: Some("not a git repository: no history to read".into()),
                ..RootHistory::default()
            });
            continue;
        }
        let options = fcto_history::Options::at(now);
        match fcto_history::analyse(&root.path, &options, &mut |_| {}) {
            Ok(history) => histories.push(summarise(&root.label, history, &lines)),
            Err(error) => histories.push(RootHistory {
                root: root.label.clone(),
                note: Some(format!("history not read: {error}")),
                ..RootHistory::default()
            }),
        }
    }
    audit.history = histories;
}

fn summarise(
    label: &str,
    history: fcto_history::History,
    lines: &HashMap<&str, u64>,
) -> RootHistory {
    let prefixed = |path: &str| crate::walk::labelled(label, path);
    let mut hotspots: Vec<Hotspot> = history
        .files
        .iter()
        .filter_map(|f| {
            let path = prefixed(&f.path);
            let size = *lines.get(path.as_str())?;
            Some(Hotspot {
                score: (f.changes as f64) * (size as f64),
                changes: f.changes,
                lines: size,
                path,
            })
        })
        .filter(|h| h.changes > 1)
        .collect();
    hotspots.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.path.cmp(&b.path))
    });
    hotspots.truncate(TOP_HOTSPOTS);

    let names: HashMap<&str, &str> = history
        .authors
        .iter()
        .map(|a| (a.email.as_str(), a.name.as_str()))
        .collect();
    let mut by_author: BTreeMap<(String, String), u64> = BTreeMap::new();
    for e in &history.author_extensions {
        let Some(language) = crate::languages::language_of_extension(&e.extension) else {
            continue;
        };
        let author = names
            .get(e.email.as_str())
            .copied()
            .unwrap_or(e.email.as_str());
        *by_author
            .entry((author.to_string(), language.to_string()))
            .or_default() += e.changes;
    }
    let mut authors: Vec<&fcto_history::AuthorStats> = history.authors.iter().collect();
    authors.sort_by(|a, b| b.changes.cmp(&a.changes).then_with(|| a.name.cmp(&b.name)));
    let mut skills = Vec::new();
    for author in authors.iter().take(TOP_AUTHORS) {
        let mut mine: Vec<Skill> = by_author
            .iter()
            .filter(|((name, _), _)| name == &author.name)
            .map(|((name, language), changes)| Skill {
                author: name.clone(),
                language: language.clone(),
                changes: *changes,
            })
            .collect();
        mine.sort_by(|a, b| {
            b.changes
                .cmp(&a.changes)
                .then_with(|| a.language.cmp(&b.language))
        });
        mine.truncate(TOP_SKILLS_PER_AUTHOR);
        skills.extend(mine);
    }

    // The per-file list and per-extension counts are summarised above; the
    // rest goes into the report as fcto-history wrote it.
    let mut summary = serde_json::to_value(&history).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut summary {
        map.remove("files");
        map.remove("author_extensions");
    }
    let note = (!history.notes.is_empty()).then(|| history.notes.join("; "));
    RootHistory {
        root: label.to_string(),
        summary: Some(summary),
        hotspots,
        skills,
        note,
    }
}
