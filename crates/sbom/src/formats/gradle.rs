//! Gradle: `gradle.lockfile` (resolved, `group:name:version=configurations`)
//! and the `dependencies { }` blocks of build.gradle and build.gradle.kts
//! (declared: string notation `"g:n:v"`, map notation `group: 'g', name: 'n',
//! version: 'v'` or `group = "g", ...`, `platform(...)`, `kotlin("x")`).
//! `$var` and `${var}` in versions resolve from simple assignments in the
//! same file (`ext.x = '1'`, `val x = "1"`, `extra["x"] = "1"`).

use std::collections::HashMap;

use crate::component::{Collector, ParseOutput};
use crate::{Component, Ecosystem, ParseError};

fn is_dev_configuration(configuration: &str) -> bool {
    configuration.starts_with("test")
        || configuration.starts_with("androidTest")
        || configuration == "classpath"
}

pub(crate) fn parse_lockfile(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut out = Collector::default();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (coordinate, configurations) = line.split_once('=').ok_or_else(|| {
            ParseError::new(label, "expected `group:name:version=configurations`")
                .at_line(index + 1)
        })?;
        if coordinate == "empty" {
            continue;
        }
        let mut parts = coordinate.split(':');
        let (Some(group), Some(name), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseError::new(
                label,
                format!("`{coordinate}` is not `group:name:version`"),
            )
            .at_line(index + 1)
            .field("coordinate"));
        };
        let dev = configurations
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .all(is_dev_configuration);
        out.push(
            Component::new(Ecosystem::Maven, &format!("{group}:{name}"), version, label)
                .dev(Some(dev)),
        );
    }
    Ok(out.finish())
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Ident(&'a str),
    Str(&'a str),
    Punct(u8),
    Newline,
}

/// Tokens with their lines. Comments vanish; strings keep their raw text.
fn tokenize(text: &str) -> Vec<(Token<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                tokens.push((Token::Newline, line));
                line += 1;
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while let Some(&c) = bytes.get(i) {
                    if c == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        i += 2;
                        break;
                    }
                    if c == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                let triple = bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b);
                let start_line = line;
                let open = if triple { 3 } else { 1 };
                let start = i + open;
                let mut j = start;
                let mut end = None;
                while let Some(&c) = bytes.get(j) {
                    if c == b'\\' {
                        j += 2;
                        continue;
                    }
                    // Quotes inside `${...}` belong to the expression.
                    if b == b'"' && c == b'$' && bytes.get(j + 1) == Some(&b'{') {
                        j = interpolation_end(bytes, j + 2);
                        continue;
                    }
                    if c == b'\n' {
                        line += 1;
                        if !triple {
                            break;
                        }
                    }
                    if c == b
                        && (!triple
                            || (bytes.get(j + 1) == Some(&b) && bytes.get(j + 2) == Some(&b)))
                    {
                        end = Some(j);
                        break;
                    }
                    j += 1;
                }
                match end {
                    Some(end) => {
                        tokens.push((
                            Token::Str(text.get(start..end).unwrap_or_default()),
                            start_line,
                        ));
                        i = end + open;
                    }
                    // An unterminated string ends the useful input.
                    None => break,
                }
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
                {
                    i += 1;
                }
                tokens.push((Token::Ident(text.get(start..i).unwrap_or_default()), line));
            }
            b if b.is_ascii() => {
                tokens.push((Token::Punct(b), line));
                i += 1;
            }
            _ => i += 1,
        }
    }
    tokens
}

/// Index after the `}` closing an interpolation whose body starts at `start`.
fn interpolation_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 1usize;
    let mut j = start;
    while let Some(&c) = bytes.get(j) {
        j += 1;
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\n' => break,
            _ => {}
        }
    }
    j
}

/// `name = "value"` (also `ext.name`, `def`/`val name`) and
/// `extra["name"] = "value"` anywhere in the file.
fn variables<'a>(tokens: &[(Token<'a>, usize)]) -> HashMap<&'a str, &'a str> {
    let mut vars = HashMap::new();
    for window in tokens.windows(4) {
        match window {
            [_, (Token::Ident(name), _), (Token::Punct(b'='), _), (Token::Str(value), _)] => {
                vars.insert(*name, *value);
            }
            [(Token::Str(name), _), (Token::Punct(b']'), _), (Token::Punct(b'='), _), (Token::Str(value), _)] =>
            {
                vars.insert(*name, *value);
            }
            _ => {}
        }
    }
    vars
}

/// Expands `$name`, `${name}` and `${a.b.name}` (by its last part).
fn interpolate(value: &str, vars: &HashMap<&str, &str>) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let (expr, skip) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (inner.get(..end).unwrap_or_default(), end + 2),
                None => (after, after.len()),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(after.len());
            (after.get(..end).unwrap_or_default(), end)
        };
        // `${property("x")}`, `${extra["x"]}` name the variable in quotes;
        // `${versions.x}` by its last part.
        let quoted = expr
            .split('"')
            .nth(1)
            .filter(|_| expr.matches('"').count() >= 2);
        let key = quoted.unwrap_or_else(|| expr.rsplit('.').next().unwrap_or(expr));
        match vars.get(key).or_else(|| vars.get(expr)) {
            Some(v) => out.push_str(v),
            None => {
                out.push('$');
                out.push_str(after.get(..skip).unwrap_or_default());
            }
        }
        rest = after.get(skip..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

pub(crate) fn parse_build(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let tokens = tokenize(text);
    let vars = variables(&tokens);
    let mut out = Collector::default();
    let mut i = 0;
    while let Some((token, _)) = tokens.get(i) {
        i += 1;
        if *token != Token::Ident("dependencies") {
            continue;
        }
        let mut j = i;
        while matches!(tokens.get(j), Some((Token::Newline, _))) {
            j += 1;
        }
        if !matches!(tokens.get(j), Some((Token::Punct(b'{'), _))) {
            continue;
        }
        i = block(label, &tokens, j + 1, &vars, &mut out);
    }
    Ok(out.finish())
}

/// Reads the statements of a `dependencies {` block whose body starts at
/// `start`; returns the index after its closing brace.
fn block(
    label: &str,
    tokens: &[(Token<'_>, usize)],
    start: usize,
    vars: &HashMap<&str, &str>,
    out: &mut Collector,
) -> usize {
    let mut depth = 1usize;
    let mut parens = 0usize;
    let mut at_statement_start = true;
    let mut i = start;
    while let Some((token, line)) = tokens.get(i) {
        match token {
            Token::Punct(b'{') => depth += 1,
            Token::Punct(b'}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            Token::Punct(b'(') => parens += 1,
            Token::Punct(b')') => parens = parens.saturating_sub(1),
            Token::Ident(configuration) if depth == 1 && parens == 0 && at_statement_start => {
                if let Some(found) = statement(tokens, i + 1) {
                    record(label, *line, configuration, found, vars, out);
                }
            }
            _ => {}
        }
        at_statement_start = matches!(token, Token::Newline | Token::Punct(b'{' | b'}' | b';'));
        i += 1;
    }
    i
}

enum Declared<'a> {
    Coordinates(Vec<&'a str>),
    Map(Vec<(&'a str, &'a str)>),
    Kotlin(&'a str, Option<&'a str>),
    Catalog(String),
}

/// What follows a configuration name, if it declares a dependency.
fn statement<'a>(tokens: &[(Token<'a>, usize)], mut i: usize) -> Option<Declared<'a>> {
    let token = |i: usize| tokens.get(i).map(|(t, _)| t);
    if token(i) == Some(&Token::Punct(b'(')) {
        i += 1;
    }
    match token(i)? {
        Token::Str(first) => {
            // Groovy allows `testImplementation 'a:b:1', 'c:d:2'`.
            let mut all = vec![*first];
            let mut j = i + 1;
            while let (Some(Token::Punct(b',')), Some(Token::Str(next))) = (token(j), token(j + 1))
            {
                all.push(next);
                j += 2;
            }
            Some(Declared::Coordinates(all))
        }
        Token::Ident(wrapper @ ("platform" | "enforcedPlatform" | "testFixtures" | "kotlin"))
            if token(i + 1) == Some(&Token::Punct(b'(')) =>
        {
            let Some(Token::Str(first)) = token(i + 2) else {
                return None;
            };
            if *wrapper != "kotlin" {
                return Some(Declared::Coordinates(vec![first]));
            }
            let version = match (token(i + 3), token(i + 4)) {
                (Some(Token::Punct(b',')), Some(Token::Str(v))) => Some(*v),
                _ => None,
            };
            Some(Declared::Kotlin(first, version))
        }
        Token::Ident("group") => {
            let mut pairs = Vec::new();
            let mut j = i;
            while let (
                Some(Token::Ident(key)),
                Some(Token::Punct(b':' | b'=')),
                Some(Token::Str(value)),
            ) = (token(j), token(j + 1), token(j + 2))
            {
                pairs.push((*key, *value));
                j += 3;
                if token(j) == Some(&Token::Punct(b',')) {
                    j += 1;
                    while token(j) == Some(&Token::Newline) {
                        j += 1;
                    }
                } else {
                    break;
                }
            }
            Some(Declared::Map(pairs))
        }
        Token::Ident(first @ ("libs" | "deps")) => {
            let mut path = (*first).to_string();
            let mut j = i + 1;
            while let (Some(Token::Punct(b'.')), Some(Token::Ident(part))) =
                (token(j), token(j + 1))
            {
                path.push('.');
                path.push_str(part);
                j += 2;
            }
            Some(Declared::Catalog(path))
        }
        _ => None,
    }
}

fn record(
    label: &str,
    line: usize,
    configuration: &str,
    declared: Declared<'_>,
    vars: &HashMap<&str, &str>,
    out: &mut Collector,
) {
    let (group, name, version) = match declared {
        Declared::Coordinates(texts) => {
            for text in texts {
                let text = interpolate(text, vars);
                let text = text.split('@').next().unwrap_or_default();
                let mut parts = text.split(':');
                let (Some(group), Some(name)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let version = parts.next().unwrap_or_default();
                push_declared(label, line, configuration, group, name, version, out);
            }
            return;
        }
        Declared::Map(pairs) => {
            let get = |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| interpolate(v, vars))
                    .unwrap_or_default()
            };
            (get("group"), get("name"), get("version"))
        }
        Declared::Kotlin(module, version) => (
            "org.jetbrains.kotlin".to_string(),
            format!("kotlin-{module}"),
            version.map(|v| interpolate(v, vars)).unwrap_or_default(),
        ),
        Declared::Catalog(path) => {
            out.note(
                Some(line),
                format!("`{path}` comes from a version catalog; not resolved from this file"),
            );
            return;
        }
    };
    push_declared(label, line, configuration, &group, &name, &version, out);
}

fn push_declared(
    label: &str,
    line: usize,
    configuration: &str,
    group: &str,
    name: &str,
    version: &str,
    out: &mut Collector,
) {
    if group.is_empty() || name.is_empty() || group.contains(char::is_whitespace) {
        return;
    }
    let mut version = version.to_string();
    if version.contains('$') {
        out.note(
            Some(line),
            format!("`{group}:{name}` version `{version}` has an unresolved variable"),
        );
        version.clear();
    }
    let mut constraint = None;
    if version.contains('+') || version.starts_with(['[', '(']) || version.starts_with("latest.") {
        constraint = Some(std::mem::take(&mut version));
    }
    out.push(
        Component::new(
            Ecosystem::Maven,
            &format!("{group}:{name}"),
            &version,
            label,
        )
        .direct(Some(true))
        .dev(Some(is_dev_configuration(configuration)))
        .constraint(constraint),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_uses_the_last_part_and_keeps_unknowns() {
        let vars: HashMap<&str, &str> = [("junitVersion", "5.10.1")].into_iter().collect();
        assert_eq!(
            interpolate("org.junit:junit:$junitVersion", &vars),
            "org.junit:junit:5.10.1"
        );
        assert_eq!(
            interpolate("x:y:${versions.junitVersion}", &vars),
            "x:y:5.10.1"
        );
        assert_eq!(interpolate("x:y:${nope}", &vars), "x:y:${nope}");
        assert_eq!(interpolate("x:y:${open", &vars), "x:y:${open");
        assert_eq!(interpolate("$", &vars), "$");
        assert_eq!(
            interpolate("x:y:${property(\"junitVersion\")}", &vars),
            "x:y:5.10.1"
        );
    }
}
