//! Walks every commit reachable from HEAD, newest first by committer time
//! (like `git log`), and keeps what the signals need: author, author time,
//! tree and parents. Commit messages are never parsed.

use std::collections::{BinaryHeap, HashMap};
use std::path::Path;

use gix::hashtable::{HashMap as OidMap, HashSet as OidSet};
use gix::objs::commit::ref_iter::Token;
use gix::objs::{CommitRefIter, Find, Kind};
use gix::ObjectId;

use crate::HistoryError;

/// One walked commit.
pub struct CommitRecord {
    pub id: ObjectId,
    /// Author time, unix seconds.
    pub time: i64,
    /// Index into [`Walk::authors`].
    pub author: u32,
    pub tree: ObjectId,
    /// Parents as written in the commit (shallow boundaries included).
    pub parent_count: u32,
    /// The parent a non-merge commit is diffed against; `None` for a root
    /// commit or one whose parent is cut off (shallow clone, missing object).
    pub first_parent: Option<ObjectId>,
}

/// An author after `.mailmap`, keyed by lowercased email.
pub struct Author {
    pub email: String,
    pub name: String,
}

pub struct Walk {
    /// Newest first.
    pub commits: Vec<CommitRecord>,
    pub authors: Vec<Author>,
    /// The walk stopped at `max_commits` with commits left.
    pub truncated: bool,
    /// Parents named in a commit but absent, outside a shallow boundary.
    pub missing_parents: u64,
}

struct Pending {
    committer_time: i64,
    // Older entries first among equal times, so the order is deterministic.
    order: std::cmp::Reverse<u64>,
    id: ObjectId,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.committer_time == other.committer_time && self.order == other.order
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.committer_time, self.order).cmp(&(other.committer_time, other.order))
    }
}

/// A commit's header fields, borrowed from the object buffer.
struct Header<'a> {
    tree: Option<ObjectId>,
    parents: smallvec_free::Parents,
    author: Option<gix::actor::SignatureRef<'a>>,
    committer_time: i64,
}

mod smallvec_free {
    use gix::ObjectId;

    /// Parents without a heap allocation for the common one- and two-parent cases.
    #[derive(Default)]
    pub struct Parents {
        inline: [Option<ObjectId>; 2],
        more: Vec<ObjectId>,
    }

    impl Parents {
        pub fn push(&mut self, id: ObjectId) {
            match self.inline.iter_mut().find(|slot| slot.is_none()) {
                Some(slot) => *slot = Some(id),
                None => self.more.push(id),
            }
        }

        pub fn iter(&self) -> impl Iterator<Item = ObjectId> + '_ {
            self.inline
                .iter()
                .flatten()
                .copied()
                .chain(self.more.iter().copied())
        }

        pub fn len(&self) -> usize {
            self.inline.iter().flatten().count() + self.more.len()
        }
    }
}

fn parse_header(data: &[u8], hash: gix::hash::Kind) -> Result<Header<'_>, String> {
    let mut header = Header {
        tree: None,
        parents: Default::default(),
        author: None,
        committer_time: 0,
    };
    for token in CommitRefIter::from_bytes(data, hash) {
        match token.map_err(|e| e.to_string())? {
            Token::Tree { id } => header.tree = Some(id),
            Token::Parent { id } => header.parents.push(id),
            Token::Author { signature } => header.author = Some(signature),
            Token::Committer { signature } => {
                header.committer_time = signature.seconds();
                break;
            }
            _ => break,
        }
    }
    Ok(header)
}

pub struct Walker<'r> {
    pub repo: &'r gix::Repository,
    pub path: &'r Path,
}

impl Walker<'_> {
    fn object_error(&self, what: &'static str, id: &ObjectId, reason: String) -> HistoryError {
        HistoryError::Object {
            path: self.path.to_path_buf(),
            what,
            id: id.to_string(),
            reason,
        }
    }

    /// Walks from `head`; `shallow` lists the commits whose parents were cut off.
    pub fn walk(
        &self,
        head: ObjectId,
        shallow: &OidSet,
        max_commits: Option<usize>,
    ) -> Result<Walk, HistoryError> {
        let mailmap = self.repo.open_mailmap();
        let hash = self.repo.object_hash();
        let mut buf = Vec::new();
        let mut parent_buf = Vec::new();
        let mut queue = BinaryHeap::new();
        let mut seen = OidSet::default();
        let mut authors: Vec<Author> = Vec::new();
        let mut author_index: HashMap<String, u32> = HashMap::new();
        let mut email = String::new();
        let mut out = Walk {
            commits: Vec::new(),
            authors: Vec::new(),
            truncated: false,
            missing_parents: 0,
        };
        let mut order = 0u64;
        seen.insert(head);
        queue.push(Pending {
            committer_time: i64::MAX,
            order: std::cmp::Reverse(order),
            id: head,
        });
        let limit = max_commits.unwrap_or(usize::MAX);

        while let Some(Pending { id, .. }) = queue.pop() {
            if out.commits.len() >= limit {
                out.truncated = true;
                break;
            }
            let data = match self.repo.objects.try_find(&id, &mut buf) {
                Ok(Some(data)) if data.kind == Kind::Commit => data,
                Ok(Some(data)) => {
                    return Err(self.object_error("commit", &id, format!("is a {}", data.kind)))
                }
                Ok(None) => return Err(self.object_error("commit", &id, "missing".into())),
                Err(e) => return Err(self.object_error("commit", &id, e.to_string())),
            };
            let header =
                parse_header(data.data, hash).map_err(|e| self.object_error("commit", &id, e))?;
            let tree = header
                .tree
                .ok_or_else(|| self.object_error("commit", &id, "has no tree".into()))?;
            let author_ref = header
                .author
                .ok_or_else(|| self.object_error("commit", &id, "has no author".into()))?;
            let time = author_ref.seconds();
            let resolved = mailmap.resolve_cow(author_ref.trim());
            email.clear();
            email.push_str(&String::from_utf8_lossy(resolved.email.as_ref()).to_lowercase());
            let author = match author_index.get(email.as_str()) {
                Some(&index) => index,
                None => {
                    let index = authors.len() as u32;
                    authors.push(Author {
                        email: email.clone(),
                        name: String::from_utf8_lossy(resolved.name.as_ref()).into_owned(),
                    });
                    author_index.insert(email.clone(), index);
                    index
                }
            };

            let cut_off = shallow.contains(&id);
            let parent_count = header.parents.len() as u32;
            let mut first_parent = None;
            if !cut_off {
                for (n, parent) in header.parents.iter().enumerate() {
                    if !seen.insert(parent) {
                        if n == 0 {
                            first_parent = Some(parent);
                        }
                        continue;
                    }
                    // The parent's committer time orders the queue; read only its header.
                    match self.repo.objects.try_find(&parent, &mut parent_buf) {
                        Ok(Some(data)) if data.kind == Kind::Commit => {
                            let parent_time = parse_header(data.data, hash)
                                .map_err(|e| self.object_error("commit", &parent, e))?
                                .committer_time;
                            order += 1;
                            queue.push(Pending {
                                committer_time: parent_time,
                                order: std::cmp::Reverse(order),
                                id: parent,
                            });
                            if n == 0 {
                                first_parent = Some(parent);
                            }
                        }
                        Ok(_) => out.missing_parents += 1,
                        Err(e) => return Err(self.object_error("commit", &parent, e.to_string())),
                    }
                }
            }
            out.commits.push(CommitRecord {
                id,
                time,
                author,
                tree,
                parent_count,
                first_parent,
            });
        }
        out.authors = authors;
        Ok(out)
    }

    /// The tree of a commit outside the walk (the parent of the oldest walked
    /// commit when the walk was truncated); `None` if it is not in the repository.
    pub fn tree_of(&self, id: ObjectId) -> Result<Option<ObjectId>, HistoryError> {
        let mut buf = Vec::new();
        match self.repo.objects.try_find(&id, &mut buf) {
            Ok(Some(data)) if data.kind == Kind::Commit => {
                let header = parse_header(data.data, self.repo.object_hash())
                    .map_err(|e| self.object_error("commit", &id, e))?;
                Ok(header.tree)
            }
            Ok(_) => Ok(None),
            Err(e) => Err(self.object_error("commit", &id, e.to_string())),
        }
    }
}

/// Maps each commit id to its position in the walk, for parent-tree lookups.
pub fn index_by_id(commits: &[CommitRecord]) -> OidMap<ObjectId, u32> {
    let mut map = OidMap::default();
    map.reserve(commits.len());
    for (n, commit) in commits.iter().enumerate() {
        map.insert(commit.id, n as u32);
    }
    map
}
