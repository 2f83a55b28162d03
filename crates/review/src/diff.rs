//! Unified diffs (`git diff --unified=0`) to the lines each file gained:
//! findings in source files are reported only there, and GitHub accepts
//! review comments only on lines of the diff.

use serde::Serialize;

/// What happened to a file between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

/// One file of a diff, by its path on the new side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    pub path: String,
    pub change: Change,
    pub binary: bool,
    /// Inclusive 1-based line ranges added or changed on the new side.
    pub added: Vec<(u32, u32)>,
}

impl ChangedFile {
    pub fn has_line(&self, line: u32) -> bool {
        if self.change == Change::Added && !self.binary {
            return true;
        }
        self.added
            .iter()
            .any(|&(start, end)| start <= line && line <= end)
    }

    pub fn added_line_count(&self) -> u64 {
        self.added
            .iter()
            .map(|&(start, end)| u64::from(end - start + 1))
            .sum()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("diff line {line}: {message}")]
pub struct DiffError {
    pub line: usize,
    pub message: String,
}

/// Parse `git diff --unified=0 --no-color --no-ext-diff` output (with
/// `core.quotePath=off`; quoted paths are unquoted all the same).
pub fn parse_unified(text: &str) -> Result<Vec<ChangedFile>, DiffError> {
    let mut files: Vec<ChangedFile> = Vec::new();
    let mut current: Option<ChangedFile> = None;
    let mut old_path: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(rest) = line.strip_prefix("diff --git ") {
            files.extend(current.take());
            old_path = None;
            // The new path is settled by `+++`; for binary files and
            // mode-only changes there is none, so guess from the header.
            let path = header_new_path(rest).unwrap_or_default();
            current = Some(ChangedFile {
                path,
                change: Change::Modified,
                binary: false,
                added: Vec::new(),
            });
            continue;
        }
        let Some(file) = current.as_mut() else {
            continue;
        };
        if line.starts_with("new file mode") {
            file.change = Change::Added;
        } else if line.starts_with("deleted file mode") {
            file.change = Change::Deleted;
        } else if line.starts_with("Binary files ") || line == "GIT binary patch" {
            file.binary = true;
        } else if let Some(rest) = line.strip_prefix("rename to ") {
            file.path = unquote(rest);
        } else if let Some(rest) = line.strip_prefix("--- ") {
            old_path = Some(rest.to_string());
        } else if let Some(rest) = line.strip_prefix("+++ ") {
            if rest != "/dev/null" {
                file.path = unquote(rest.strip_prefix("b/").unwrap_or(rest));
            }
            if old_path.as_deref() == Some("/dev/null") {
                file.change = Change::Added;
            }
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            let range = hunk_new_range(rest).ok_or_else(|| DiffError {
                line: number,
                message: format!("hunk header {line:?} has no +START[,COUNT]"),
            })?;
            if let Some(range) = range {
                file.added.push(range);
            }
        }
    }
    files.extend(current);
    Ok(files)
}

/// `a/x b/x` -> `x`, for headers of files with no `+++` line.
fn header_new_path(rest: &str) -> Option<String> {
    let at = rest.rfind(" b/")?;
    Some(unquote(&rest[at + 3..]))
}

/// The new-side range of a hunk header (`-1,2 +3,4 @@ ...`): `Some(None)`
/// for a pure deletion (`+3,0`), `None` when malformed.
fn hunk_new_range(rest: &str) -> Option<Option<(u32, u32)>> {
    let plus = rest.split_whitespace().find(|w| w.starts_with('+'))?;
    let plus = &plus[1..];
    let (start, count) = match plus.split_once(',') {
        Some((start, count)) => (start.parse::<u32>().ok()?, count.parse::<u32>().ok()?),
        None => (plus.parse::<u32>().ok()?, 1),
    };
    if count == 0 {
        return Some(None);
    }
    Some(Some((start, start.checked_add(count - 1)?)))
}

/// Git quotes paths with unusual bytes as C strings: `"a\tb"`.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let inner = inner.strip_prefix("b/").unwrap_or(inner);
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'"') => bytes.push(b'"'),
            Some(b'\\') => bytes.push(b'\\'),
            Some(d @ b'0'..=b'7') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&next @ b'0'..=b'7') = chars.peek() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "diff --git a/db/m1.sql b/db/m1.sql
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/db/m1.sql
@@ -0,0 +1,3 @@
+CREATE TABLE t (id int);
+CREATE INDEX i ON t (id);
+
diff --git a/app/pay.py b/app/pay.py
index 2222222..3333333 100644
--- a/app/pay.py
+++ b/app/pay.py
@@ -10,0 +11,2 @@ def pay():
+    requests.post(URL)
+    log()
@@ -20 +22 @@ def other():
-    x = 1
+    x = 2
@@ -30,2 +31,0 @@ def gone():
-    a
-    b
diff --git a/logo.png b/logo.png
index 4444444..5555555 100644
Binary files a/logo.png and b/logo.png differ
diff --git a/old.rb b/old.rb
deleted file mode 100644
--- a/old.rb
+++ /dev/null
@@ -1 +0,0 @@
-puts 1
diff --git \"a/caf\\303\\251.py\" \"b/caf\\303\\251.py\"
--- \"a/caf\\303\\251.py\"
+++ \"b/caf\\303\\251.py\"
@@ -1 +1 @@
-a
+b
";

    #[test]
    fn reads_added_lines_per_file() {
        let files = parse_unified(DIFF).expect("diff");
        assert_eq!(files.len(), 5);
        assert_eq!(files[0].path, "db/m1.sql");
        assert_eq!(files[0].change, Change::Added);
        assert!(files[0].has_line(2));
        assert_eq!(files[1].path, "app/pay.py");
        assert_eq!(files[1].added, vec![(11, 12), (22, 22)]);
        assert!(files[1].has_line(12) && !files[1].has_line(13) && !files[1].has_line(31));
        assert_eq!(files[1].added_line_count(), 3);
        assert!(files[2].binary);
        assert_eq!(files[2].path, "logo.png");
        assert_eq!(files[3].change, Change::Deleted);
        assert_eq!(files[3].path, "old.rb");
        assert_eq!(files[4].path, "café.py");
    }

    #[test]
    fn malformed_hunk_names_the_line() {
        let err = parse_unified("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +zz @@\n")
            .expect_err("bad hunk");
        assert_eq!(err.line, 4);
        assert!(err.message.contains("hunk header"));
    }

    #[test]
    fn garbage_and_huge_input_do_not_panic() {
        let garbage = "@@ +4294967295,2 @@\n".repeat(10) + &"\u{0}\u{ffff}+++ b/\n".repeat(1000);
        let _ = parse_unified(&garbage);
        let _ = parse_unified("diff --git a/x b/x\n@@ -1 +4294967295,4294967295 @@\n");
        let mut big = String::from("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,200000 @@\n");
        for i in 0..200_000 {
            big.push_str(&format!("+line {i}\n"));
        }
        let files = parse_unified(&big).expect("big diff");
        assert_eq!(files[0].added_line_count(), 200_000);
    }
}
