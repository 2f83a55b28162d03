//! go.mod (`require` lines and blocks, `// indirect`, `replace`) and go.sum.

use crate::component::{Collector, ParseOutput};
use crate::{Component, Ecosystem, ParseError};

struct Require {
    path: String,
    version: String,
    indirect: bool,
}

struct Replace {
    line: usize,
    old_path: String,
    old_version: Option<String>,
    /// `None` when the replacement is a folder on disk.
    new: Option<(String, String)>,
    new_text: String,
}

pub(crate) fn parse_mod(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut requires: Vec<Require> = Vec::new();
    let mut replaces: Vec<Replace> = Vec::new();
    // The verb of the `verb (` block being read.
    let mut block: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let (code, comment) = match raw.find("//") {
            Some(at) => (
                raw.get(..at).unwrap_or_default(),
                raw.get(at + 2..).unwrap_or_default(),
            ),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (verb, args) = match &block {
            Some(_) if code == ")" => {
                block = None;
                continue;
            }
            Some(verb) => (verb.clone(), code),
            None => {
                let (verb, args) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let args = args.trim();
                if args == "(" {
                    block = Some(verb.to_string());
                    continue;
                }
                (verb.to_string(), args)
            }
        };
        match verb.as_str() {
            "require" => {
                let words = words(args);
                let [path, version] = words.as_slice() else {
                    return Err(ParseError::new(
                        label,
                        format!("expected `module version`, found `{args}`"),
                    )
                    .at_line(number)
                    .field("require"));
                };
                let indirect = comment.split(';').any(|part| part.trim() == "indirect");
                requires.push(Require {
                    path: path.clone(),
                    version: version.clone(),
                    indirect,
                });
            }
            "replace" => replaces.push(parse_replace(label, number, args)?),
            "module" | "go" | "toolchain" | "exclude" | "retract" | "godebug" | "tool"
            | "ignore" => {}
            other => {
                return Err(
                    ParseError::new(label, format!("unknown directive `{other}`")).at_line(number),
                )
            }
        }
    }
    if block.is_some() {
        return Err(ParseError::new(label, "unclosed `(` block at end of file"));
    }
    let mut out = Collector::default();
    for require in requires {
        let replace = replaces.iter().rev().find(|r| {
            r.old_path == require.path
                && r.old_version.as_ref().is_none_or(|v| *v == require.version)
        });
        let (path, version) = match replace {
            Some(Replace {
                new: Some((path, version)),
                ..
            }) => (path.clone(), version.clone()),
            Some(Replace {
                new: None,
                line,
                new_text,
                ..
            }) => {
                out.note(
                    Some(*line),
                    format!(
                        "`{}` is replaced by the folder `{new_text}`; not listed",
                        require.path
                    ),
                );
                continue;
            }
            None => (require.path, require.version),
        };
        out.push(
            Component::new(Ecosystem::Go, &path, &version, label).direct(Some(!require.indirect)),
        );
    }
    Ok(out.finish())
}

fn parse_replace(label: &str, number: usize, args: &str) -> Result<Replace, ParseError> {
    let bad = || {
        ParseError::new(
            label,
            format!("expected `module [version] => target [version]`, found `{args}`"),
        )
        .at_line(number)
        .field("replace")
    };
    let (old, new) = args.split_once("=>").ok_or_else(bad)?;
    let old = words(old);
    let new = words(new);
    let (old_path, old_version) = match old.as_slice() {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return Err(bad()),
    };
    let (new, new_text) = match new.as_slice() {
        [path] => (None, path.clone()),
        [path, version] => (
            Some((path.clone(), version.clone())),
            format!("{path} {version}"),
        ),
        _ => return Err(bad()),
    };
    Ok(Replace {
        line: number,
        old_path,
        old_version,
        new,
        new_text,
    })
}

/// Words of a go.mod line; a word may be a quoted string.
fn words(args: &str) -> Vec<String> {
    args.split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '`').to_string())
        .collect()
}

/// go.sum: `module version[/go.mod] h1:hash`. Modules whose code was
/// downloaded have a line without `/go.mod`; the rest were only consulted for
/// their requirements, so they are not listed.
pub(crate) fn parse_sum(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut out = Collector::default();
    for (index, line) in text.lines().enumerate() {
        let mut parts = line.split_whitespace();
        let (Some(path), Some(version), Some(hash), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(ParseError::new(label, "expected `module version hash`").at_line(index + 1));
        };
        if !hash.contains(':') {
            return Err(ParseError::new(label, format!("`{hash}` is not a hash"))
                .at_line(index + 1)
                .field("hash"));
        }
        if version.ends_with("/go.mod") {
            continue;
        }
        out.push(Component::new(Ecosystem::Go, path, version, label));
    }
    Ok(out.finish())
}
