//! requirements*.txt (pip's format): PEP 508 lines with pins or ranges,
//! extras and markers, `\` continuations, `#` comments and pip options.
//! Includes (`-r`, `-c`) and editable or unnamed installs are noted, not
//! followed. pip-compile and `uv pip compile` write `# via` comments under
//! each pin: where they appear, a pin is direct when its `via` names an
//! input file rather than another package.

use crate::component::{Collector, ParseOutput};
use crate::{Component, Ecosystem, ParseError};

struct Requirement {
    name: String,
    version: String,
    constraint: Option<String>,
    via: String,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut out = Collector::default();
    let mut requirements: Vec<Requirement> = Vec::new();
    let mut logical = String::new();
    let mut logical_start = 0;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        if logical.is_empty() {
            logical_start = number;
            let trimmed = raw.trim_start();
            if let Some(comment) = trimmed.strip_prefix('#') {
                if let Some(last) = requirements.last_mut() {
                    last.via.push_str(comment);
                    last.via.push('\n');
                }
                continue;
            }
        }
        match raw.strip_suffix('\\') {
            Some(head) => {
                logical.push_str(head);
                logical.push(' ');
                continue;
            }
            None => logical.push_str(raw),
        }
        let line = std::mem::take(&mut logical);
        if let Some(req) = parse_line(label, logical_start, &line, &mut out)? {
            requirements.push(req);
        }
    }
    if !logical.is_empty() {
        let line = std::mem::take(&mut logical);
        if let Some(req) = parse_line(label, logical_start, &line, &mut out)? {
            requirements.push(req);
        }
    }
    let compiled = requirements.iter().any(|r| r.via.contains("via"));
    for req in requirements {
        let direct = compiled.then(|| {
            ["-r ", "(pyproject.toml)", "(setup.py)", "(setup.cfg)"]
                .iter()
                .any(|marker| req.via.contains(marker))
        });
        out.push(
            Component::new(Ecosystem::PyPI, &req.name, &req.version, label)
                .direct(direct)
                .constraint(req.constraint),
        );
    }
    Ok(out.finish())
}

/// Removes a comment: `#` at the start or after whitespace.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            return line.get(..i).unwrap_or(line);
        }
    }
    line
}

fn parse_line(
    label: &str,
    number: usize,
    raw: &str,
    out: &mut Collector,
) -> Result<Option<Requirement>, ParseError> {
    let line = strip_comment(raw).trim();
    if line.is_empty() {
        return Ok(None);
    }
    if line.starts_with('-') {
        note_option(number, line, out);
        return Ok(None);
    }
    if is_unnamed(line) {
        out.note(
            Some(number),
            format!("unnamed requirement `{line}` not listed (no package name)"),
        );
        return Ok(None);
    }
    // Options such as `--hash=...` follow the requirement.
    let spec = match line.find(" --").or_else(|| line.find("\t--")) {
        Some(at) => line.get(..at).unwrap_or(line),
        None => line,
    };
    let spec = match spec.find(';') {
        Some(at) => spec.get(..at).unwrap_or(spec),
        None => spec,
    }
    .trim();
    let name_len = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(spec.len());
    let (name, mut rest) = spec.split_at(name_len);
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(
            ParseError::new(label, format!("expected a requirement, found `{line}`"))
                .at_line(number)
                .field("name"),
        );
    }
    rest = rest.trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let close = extras.find(']').ok_or_else(|| {
            ParseError::new(label, "unclosed `[` in extras")
                .at_line(number)
                .field("extras")
        })?;
        rest = extras.get(close + 1..).unwrap_or_default().trim_start();
    }
    let mut req = Requirement {
        name: name.to_string(),
        version: String::new(),
        constraint: None,
        via: String::new(),
    };
    if rest.starts_with('@') {
        // A direct reference (`name @ https://...`): no version to read.
        return Ok(Some(req));
    }
    let specifiers = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest)
        .trim();
    if specifiers.is_empty() {
        return Ok(Some(req));
    }
    let mut parts = Vec::new();
    for part in specifiers.split(',') {
        let part = part.trim();
        let op_len = part
            .find(|c: char| !matches!(c, '=' | '!' | '<' | '>' | '~'))
            .unwrap_or(part.len());
        let (op, version) = part.split_at(op_len);
        let version = version.trim();
        if !matches!(op, "==" | "===" | "!=" | "<=" | ">=" | "~=" | "<" | ">") || version.is_empty()
        {
            return Err(
                ParseError::new(label, format!("`{part}` is not a version specifier"))
                    .at_line(number)
                    .field("version"),
            );
        }
        parts.push((op, version));
    }
    match parts.as_slice() {
        [("==" | "===", version)] if !version.contains('*') => {
            req.version = (*version).to_string();
        }
        _ => {
            let joined: Vec<String> = parts.iter().map(|(op, v)| format!("{op}{v}")).collect();
            req.constraint = Some(joined.join(","));
        }
    }
    Ok(Some(req))
}

fn is_unnamed(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or_default();
    first.contains("://")
        || first.starts_with('.')
        || first.starts_with('/')
        || first.starts_with('~')
        || [".whl", ".tar.gz", ".zip", ".tar.bz2"]
            .iter()
            .any(|ext| first.ends_with(ext))
}

fn note_option(number: usize, line: &str, out: &mut Collector) {
    let (flag, value) = match line.split_once(|c: char| c == '=' || c.is_whitespace()) {
        Some((flag, value)) => (flag, value.trim()),
        None => (line, ""),
    };
    // `-rfile` is `-r file`.
    let (flag, value) = match (flag.get(..2), flag.get(2..)) {
        (Some(short @ ("-r" | "-c" | "-e")), Some(attached)) if !attached.is_empty() => {
            (short, attached)
        }
        _ => (flag, value),
    };
    let message = match flag {
        "-r" | "--requirement" => format!("includes `{value}` (not followed)"),
        "-c" | "--constraint" => format!("constraints from `{value}` (not followed)"),
        "-e" | "--editable" => format!("editable install `{value}` not listed"),
        _ => return,
    };
    out.note(Some(number), message);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Result<Option<(String, String, Option<String>)>, ParseError> {
        let mut out = Collector::default();
        parse_line("r.txt", 1, line, &mut out).map(|r| r.map(|r| (r.name, r.version, r.constraint)))
    }

    #[test]
    fn requirement_lines() {
        let some = |n: &str, v: &str, c: Option<&str>| {
            Ok(Some((n.to_string(), v.to_string(), c.map(str::to_string))))
        };
        assert_eq!(one("Django==4.2.7"), some("Django", "4.2.7", None));
        assert_eq!(
            one("requests[socks,security] >= 2.8.1, == 2.8.*"),
            some("requests", "", Some(">=2.8.1,==2.8.*"))
        );
        assert_eq!(
            one("pywin32 >=1.0 ; sys_platform == 'win32'"),
            some("pywin32", "", Some(">=1.0"))
        );
        assert_eq!(one("foo (==1.0)"), some("foo", "1.0", None));
        assert_eq!(
            one("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee"),
            some("pip", "", None)
        );
        assert_eq!(
            one("attrs==23.1.0 --hash=sha256:1f28b4522cdc2fb4256ac1a020c78acf9cba2c6b"),
            some("attrs", "23.1.0", None)
        );
        assert_eq!(one("flask"), some("flask", "", None));
        assert_eq!(one("# only a comment"), Ok(None));
        assert!(one("foo=1.0").is_err());
        assert!(one("[extra]").is_err());
        assert!(one("foo[bar").is_err());
    }
}
