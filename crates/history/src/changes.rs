//! Which paths a commit changed: a tree-to-tree diff that never reads a blob,
//! and the table that gives each path a small number.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::diff::tree::{self, visit};
use gix::objs::{Find, Kind, TreeRefIter};
use gix::ObjectId;

use crate::HistoryError;

/// Every path seen in a diff or at HEAD, numbered in order of first sight.
#[derive(Default)]
pub struct PathTable {
    index: HashMap<Box<[u8]>, u32>,
    pub paths: Vec<Box<[u8]>>,
}

impl PathTable {
    pub fn intern(&mut self, path: &[u8]) -> u32 {
        if let Some(&n) = self.index.get(path) {
            return n;
        }
        let n = self.paths.len() as u32;
        let owned: Box<[u8]> = path.into();
        self.paths.push(owned.clone());
        self.index.insert(owned, n);
        n
    }
}

/// Diff delegate: tracks the current path as gix-diff walks both trees and
/// numbers every changed non-tree entry (file, symlink or submodule).
struct Collector<'t> {
    path: BString,
    queued: VecDeque<BString>,
    table: &'t mut PathTable,
    out: &'t mut Vec<u32>,
}

impl Collector<'_> {
    fn push_element(&mut self, name: &BStr) {
        if name.is_empty() {
            return;
        }
        if !self.path.is_empty() {
            self.path.push(b'/');
        }
        self.path.push_str(name);
    }
}

impl tree::Visit for Collector<'_> {
    fn pop_front_tracked_path_and_set_current(&mut self) {
        // gix-diff queues one path per scheduled subtree and pops each once.
        self.path = self.queued.pop_front().unwrap_or_default();
    }

    fn push_back_tracked_path_component(&mut self, component: &BStr) {
        self.push_element(component);
        self.queued.push_back(self.path.clone());
    }

    fn push_path_component(&mut self, component: &BStr) {
        self.push_element(component);
    }

    fn pop_path_component(&mut self) {
        match self.path.rfind_byte(b'/') {
            Some(pos) => self.path.truncate(pos),
            None => self.path.clear(),
        }
    }

    fn visit(&mut self, change: visit::Change) -> visit::Action {
        let is_file = match &change {
            visit::Change::Addition { entry_mode, .. }
            | visit::Change::Deletion { entry_mode, .. } => !entry_mode.is_tree(),
            // A tree replaced by a file shows up as a deletion of the tree's
            // contents plus this; count the file side only.
            visit::Change::Modification {
                entry_mode,
                previous_entry_mode,
                ..
            } => !entry_mode.is_tree() || !previous_entry_mode.is_tree(),
        };
        if is_file {
            let n = self.table.intern(self.path.as_slice());
            self.out.push(n);
        }
        std::ops::ControlFlow::Continue(())
    }
}

/// Reusable buffers for diffing many commits with one repository handle.
pub struct TreeDiffer<'r> {
    repo: &'r gix::Repository,
    path: &'r Path,
    state: tree::State,
    lhs: Vec<u8>,
    rhs: Vec<u8>,
}

impl<'r> TreeDiffer<'r> {
    pub fn new(repo: &'r gix::Repository, path: &'r Path) -> Self {
        TreeDiffer {
            repo,
            path,
            state: Default::default(),
            lhs: Vec::new(),
            rhs: Vec::new(),
        }
    }

    /// Appends to `out` the numbers of the paths that differ between
    /// `parent` (the empty tree when `None`) and `tree`.
    pub fn changed_paths(
        &mut self,
        parent: Option<ObjectId>,
        tree: ObjectId,
        table: &mut PathTable,
        out: &mut Vec<u32>,
    ) -> Result<(), HistoryError> {
        let hash = self.repo.object_hash();
        let lhs = match parent {
            Some(id) => load_tree(self.repo, self.path, &id, &mut self.lhs)?,
            None => TreeRefIter::from_bytes(&[], hash),
        };
        let rhs = load_tree(self.repo, self.path, &tree, &mut self.rhs)?;
        let mut collector = Collector {
            path: BString::default(),
            queued: VecDeque::new(),
            table,
            out,
        };
        gix::diff::tree(
            lhs,
            rhs,
            &mut self.state,
            &self.repo.objects,
            &mut collector,
        )
        .map_err(|e| HistoryError::Object {
            path: self.path.to_path_buf(),
            what: "tree",
            id: tree.to_string(),
            reason: e.to_string(),
        })
    }
}

fn load_tree<'b>(
    repo: &gix::Repository,
    path: &Path,
    id: &ObjectId,
    buf: &'b mut Vec<u8>,
) -> Result<TreeRefIter<'b>, HistoryError> {
    let error = |reason: String| HistoryError::Object {
        path: path.to_path_buf(),
        what: "tree",
        id: id.to_string(),
        reason,
    };
    match repo.objects.try_find(id, buf) {
        Ok(Some(data)) if data.kind == Kind::Tree => {
            Ok(TreeRefIter::from_bytes(data.data, data.object_hash))
        }
        Ok(Some(data)) => Err(error(format!("is a {}", data.kind))),
        Ok(None) => Err(error("missing".into())),
        Err(e) => Err(error(e.to_string())),
    }
}

/// Every non-tree path in `tree`, recursively (what `git ls-tree -r` lists).
pub fn list_tree(
    repo: &gix::Repository,
    path: &Path,
    tree: ObjectId,
    table: &mut PathTable,
) -> Result<Vec<u32>, HistoryError> {
    let mut out = Vec::new();
    let mut pending: Vec<(BString, ObjectId)> = vec![(BString::default(), tree)];
    let mut buf = Vec::new();
    let mut full = BString::default();
    while let Some((prefix, id)) = pending.pop() {
        let entries = load_tree(repo, path, &id, &mut buf)?;
        for entry in entries {
            let entry = entry.map_err(|e| HistoryError::Object {
                path: path.to_path_buf(),
                what: "tree",
                id: id.to_string(),
                reason: e.to_string(),
            })?;
            full.clear();
            full.push_str(&prefix);
            if !full.is_empty() {
                full.push(b'/');
            }
            full.push_str(entry.filename);
            if entry.mode.is_tree() {
                pending.push((full.clone(), entry.oid.to_owned()));
            } else {
                out.push(table.intern(full.as_slice()));
            }
        }
    }
    Ok(out)
}
