//! Paths relative to the scanned root, `/`-separated, as the caller labels
//! files: joining a file's folder with a relative path found inside it.

/// The folder of a label (`a/b/c.yml` -> `a/b`, `c.yml` -> ``).
pub fn dir(label: &str) -> &str {
    label.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins and normalises `.` and `..`; `None` when the path is absolute, a
/// URL, or climbs above the root.
pub fn join(base_dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains("://") || rel.starts_with("git@") {
        return None;
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins() {
        assert_eq!(
            join("deploy", "../api/Dockerfile").as_deref(),
            Some("api/Dockerfile")
        );
        assert_eq!(join("", "./Dockerfile").as_deref(), Some("Dockerfile"));
        assert_eq!(join("", "../x"), None);
        assert_eq!(join("a", "https://github.com/x/y.git"), None);
        assert_eq!(dir("a/b/c.yml"), "a/b");
    }
}
