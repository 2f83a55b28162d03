//! The git plumbing `fcto review` needs, through the `git` program: the
//! repository root, revisions, a unified diff and file contents at a
//! revision. Every failure is a user error naming what was asked for.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result};

use crate::user_error;

/// git's empty tree: the base for a repository's first commit.
pub const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

pub struct Repo {
    pub root: PathBuf,
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=off", "-c", "color.ui=never"])
        .stdin(Stdio::null());
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Result<std::process::Output> {
    git(dir)
        .args(args)
        .output()
        .with_context(|| "running git (is it installed and on PATH?)".to_string())
}

impl Repo {
    pub fn open(dir: &Path) -> Result<Repo> {
        if !dir.is_dir() {
            return Err(user_error(format!("{}: no such directory", dir.display())));
        }
        let out = run(dir, &["rev-parse", "--show-toplevel"])?;
        if !out.status.success() {
            return Err(user_error(format!(
                "{} is not a git repository (review files directly: fcto review FILE..., or a tree with --all)",
                dir.display()
            )));
        }
        let root = String::from_utf8_lossy(&out.stdout).trim().to_string();
        Ok(Repo {
            root: PathBuf::from(root),
        })
    }

    /// The commit id a revision names, or a user error.
    pub fn commit(&self, rev: &str) -> Result<String> {
        if rev.starts_with('-') {
            return Err(user_error(format!("invalid revision {rev:?}")));
        }
        let out = run(
            &self.root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )?;
        if !out.status.success() {
            return Err(user_error(format!(
                "invalid revision {rev:?}: no such commit in {}",
                self.root.display()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn try_commit(&self, rev: &str) -> Option<String> {
        self.commit(rev).ok()
    }

    /// The default base: where HEAD left the default branch (origin's HEAD,
    /// else main, else master); on the default branch itself, HEAD's parent.
    pub fn default_base(&self, head: &str) -> Result<String> {
        let out = run(
            &self.root,
            &["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"],
        )?;
        let mut candidates = Vec::new();
        if out.status.success() {
            candidates.push(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        candidates.extend(["main", "master", "origin/main", "origin/master"].map(String::from));
        let head_id = self.commit(head)?;
        for branch in candidates {
            let Some(branch_id) = self.try_commit(&branch) else {
                continue;
            };
            let out = run(&self.root, &["merge-base", &branch_id, &head_id])?;
            if !out.status.success() {
                continue;
            }
            let base = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if base != head_id {
                return Ok(base);
            }
            break;
        }
        Ok(self
            .try_commit(&format!("{head_id}^"))
            .unwrap_or_else(|| EMPTY_TREE.to_string()))
    }

    /// `git diff --unified=0` between `base` and `head`, or between `base`
    /// and the work tree when `head` is `None`.
    pub fn diff(&self, base: &str, head: Option<&str>) -> Result<String> {
        let mut args = vec![
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--find-renames",
            base,
        ];
        if let Some(head) = head {
            args.push(head);
        }
        let out = run(&self.root, &args)?;
        if !out.status.success() {
            return Err(user_error(format!(
                "git diff {base} {}: {}",
                head.unwrap_or("(work tree)"),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Files git does not track yet but would not ignore.
    pub fn untracked(&self) -> Result<Vec<String>> {
        let out = run(
            &self.root,
            &["ls-files", "--others", "--exclude-standard", "-z"],
        )?;
        Ok(out
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect())
    }

    /// The contents of `paths` at commit `rev`, in one `git cat-file
    /// --batch` process; `None` for a path missing there.
    pub fn contents_at(&self, rev: &str, paths: &[String]) -> Result<Vec<Option<Vec<u8>>>> {
        let mut child = git(&self.root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("running git cat-file")?;
        let mut stdin = child.stdin.take().context("git cat-file stdin")?;
        let requests: Vec<String> = paths
            .iter()
            .filter(|p| !p.contains('\n'))
            .map(|p| format!("{rev}:{p}\n"))
            .collect();
        // Write from a thread: git's output can fill its pipe before it has
        // read all the requests.
        let writer = std::thread::spawn(move || -> std::io::Result<()> {
            for request in requests {
                stdin.write_all(request.as_bytes())?;
            }
            Ok(())
        });
        let mut reader = BufReader::new(child.stdout.take().context("git cat-file stdout")?);
        let mut out = Vec::with_capacity(paths.len());
        for path in paths {
            if path.contains('\n') {
                out.push(None);
                continue;
            }
            let mut header = String::new();
            reader.read_line(&mut header)?;
            let fields: Vec<&str> = header.split_whitespace().collect();
            match fields.as_slice() {
                [_, "blob", size] => {
                    let size: usize = size.parse().context("git cat-file size")?;
                    let mut body = vec![0u8; size];
                    reader.read_exact(&mut body)?;
                    let mut newline = [0u8; 1];
                    reader.read_exact(&mut newline)?;
                    out.push(Some(body));
                }
                [_, _, size] => {
                    // A tree or submodule at that path: skip its bytes.
                    let size: u64 = size.parse().context("git cat-file size")?;
                    std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink())?;
                    out.push(None);
                }
                _ => out.push(None),
            }
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(out)
    }
}
