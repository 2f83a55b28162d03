//! A generated repository of a few hundred random commits (branches, merges,
//! renames, deletions, nested folders) must give the numbers `git` itself
//! reports: per-file change counts equal to `git log --no-merges --no-renames
//! --name-only`, commits and merges equal to `git rev-list`, commits per
//! author and per month equal to `git log`'s.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use common::{git, run};
use fcto_history::{analyse, Options};

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const AUTHORS: [&str; 7] = [
    "Ada <ada@example.com>",
    "Bo <bo@example.com>",
    "Cy <CY@example.com>",
    "Di <di@example.com>",
    "Ed <ed@example.com>",
    "Flo <flo@example.com>",
    "Gus <gus@example.com>",
];
const DIRS: [&str; 6] = ["api", "web", "lib/core", "lib/util", "docs", "ops/ci"];
const EXTENSIONS: [&str; 5] = ["rs", "ts", "md", "py", "yml"];

/// One branch's files (path -> content counter), as fast-import builds them.
type Tree = BTreeMap<String, u64>;

struct Generator {
    rng: Rng,
    stream: Vec<u8>,
    time: i64,
    mark: u64,
    content: u64,
}

impl Generator {
    fn random_path(&mut self) -> String {
        let ext = EXTENSIONS[self.rng.below(EXTENSIONS.len() as u64) as usize];
        let n = self.rng.below(12);
        match self.rng.below(8) {
            0 => format!("top{n}.{ext}"),
            _ => {
                let dir = DIRS[self.rng.below(DIRS.len() as u64) as usize];
                format!("{dir}/f{n}.{ext}")
            }
        }
    }

    /// Writes one commit on `branch` changing 1-5 paths of `tree`; returns its mark.
    fn commit(
        &mut self,
        branch: &str,
        tree: &mut Tree,
        from: Option<u64>,
        merge: Option<(u64, &Tree)>,
    ) -> u64 {
        self.mark += 1;
        self.time += 600 + self.rng.below(3 * 86_400) as i64;
        let author = AUTHORS[self.rng.below(AUTHORS.len() as u64) as usize];
        let mut ops = Vec::new();
        if let Some((_, side)) = merge {
            // Take the side branch's version of every path it has or lacks.
            for (path, content) in side {
                if tree.get(path) != Some(content) {
                    tree.insert(path.clone(), *content);
                    ops.push(format!(
                        "M 100644 inline {path}\ndata {}\n{content}\n",
                        content.to_string().len() + 1
                    ));
                }
            }
            let gone: Vec<String> = tree
                .keys()
                .filter(|p| !side.contains_key(*p))
                .cloned()
                .collect();
            for path in gone {
                tree.remove(&path);
                ops.push(format!("D {path}\n"));
            }
        } else {
            for _ in 0..1 + self.rng.below(5) {
                let roll = self.rng.below(10);
                let existing: Vec<String> = tree.keys().cloned().collect();
                if roll == 0 && !existing.is_empty() {
                    let path = existing[self.rng.below(existing.len() as u64) as usize].clone();
                    tree.remove(&path);
                    ops.push(format!("D {path}\n"));
                } else if roll == 1 && !existing.is_empty() {
                    let from_path =
                        existing[self.rng.below(existing.len() as u64) as usize].clone();
                    let to_path = self.random_path();
                    if tree.contains_key(&to_path) {
                        continue;
                    }
                    let content = tree.remove(&from_path).unwrap_or_default();
                    tree.insert(to_path.clone(), content);
                    ops.push(format!("R {from_path} {to_path}\n"));
                } else {
                    let path = self.random_path();
                    self.content += 1;
                    let content = self.content;
                    tree.insert(path.clone(), content);
                    ops.push(format!(
                        "M 100644 inline {path}\ndata {}\n{content}\n",
                        content.to_string().len() + 1
                    ));
                }
            }
        }
        let (name, email) = author.split_once(" <").unwrap_or((author, ""));
        let email = email.trim_end_matches('>');
        let mut text = format!(
            "commit refs/heads/{branch}\nmark :{}\nauthor {name} <{email}> {} +0000\ncommitter {name} <{email}> {} +0000\ndata 2\nc\n",
            self.mark, self.time, self.time
        );
        if let Some(from) = from {
            text.push_str(&format!("from :{from}\n"));
        }
        if let Some((side, _)) = merge {
            text.push_str(&format!("merge :{side}\n"));
        }
        for op in ops {
            text.push_str(&op);
        }
        text.push('\n');
        self.stream.extend_from_slice(text.as_bytes());
        self.mark
    }
}

fn generate(repo: &Path, seed: u64) {
    let mut generator = Generator {
        rng: Rng(seed),
        stream: Vec::new(),
        time: 1_640_995_200,
        mark: 0,
        content: 0,
    };
    let mut main = Tree::new();
    let mut head = generator.commit("main", &mut main, None, None);
    for _ in 0..240 {
        if generator.rng.below(12) == 0 {
            let mut side = main.clone();
            let mut tip = head;
            for _ in 0..1 + generator.rng.below(4) {
                tip = generator.commit("side", &mut side, Some(tip), None);
                if generator.rng.below(2) == 0 {
                    head = generator.commit("main", &mut main, Some(head), None);
                }
            }
            head = generator.commit("main", &mut main, Some(head), Some((tip, &side)));
        } else {
            head = generator.commit("main", &mut main, Some(head), None);
        }
    }
    run(git(repo).args(["init", "-q", "--bare", "-b", "main"]));
    let mut child = git(repo)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&generator.stream)
        .expect("stream written");
    assert!(child.wait().expect("fast-import ends").success());
}

fn count_lines(text: &str) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        *counts.entry(line.to_string()).or_default() += 1;
    }
    counts
}

#[test]
fn generated_history_matches_git_log() {
    for seed in [0x5eed_u64, 0xfc70_2026] {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path();
        generate(repo, seed);

        let history = analyse(repo, &Options::at(1_700_000_000), &mut |_| {}).expect("analyses");

        let commits: u64 = run(git(repo).args(["rev-list", "--count", "HEAD"]))
            .trim()
            .parse()
            .expect("count");
        let merges: u64 = run(git(repo).args(["rev-list", "--merges", "--count", "HEAD"]))
            .trim()
            .parse()
            .expect("count");
        assert!(
            commits > 250 && merges > 5,
            "generator too small: {commits} commits, {merges} merges"
        );
        assert_eq!(history.commits, commits);
        assert_eq!(history.merges, merges);

        let changes = count_lines(&run(git(repo).args([
            "log",
            "--no-merges",
            "--no-renames",
            "--name-only",
            "--format=",
            "HEAD",
        ])));
        let at_head = run(git(repo).args(["ls-tree", "-r", "--name-only", "HEAD"]));
        let at_head: Vec<&str> = at_head.lines().collect();
        assert_eq!(history.files.len(), at_head.len());
        let ours: HashMap<&str, u64> = history
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.changes))
            .collect();
        for path in at_head {
            assert_eq!(
                ours.get(path),
                changes.get(path),
                "changes of {path} (seed {seed:#x})"
            );
        }
        let total: u64 = changes.values().sum();
        assert_eq!(
            history.authors.iter().map(|a| a.changes).sum::<u64>(),
            total
        );

        let per_author =
            count_lines(&run(git(repo).args(["log", "--format=%ae", "HEAD"])).to_lowercase());
        let ours: HashMap<String, u64> = history
            .authors
            .iter()
            .map(|a| (a.email.clone(), a.commits))
            .collect();
        assert_eq!(ours, per_author.into_iter().collect());

        let per_month = count_lines(&run(git(repo).env("TZ", "UTC").args([
            "log",
            "--date=format-local:%Y-%m",
            "--format=%ad",
            "HEAD",
        ])));
        let ours: HashMap<String, u64> = history
            .months
            .iter()
            .map(|m| (m.month.clone(), m.commits))
            .collect();
        assert_eq!(ours, per_month.into_iter().collect());
    }
}
