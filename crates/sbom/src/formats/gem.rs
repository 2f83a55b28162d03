//! Gemfile.lock (and gems.locked): sections `GEM`, `GIT` and `PATH` hold
//! `specs:` at four spaces (`name (version[-platform])`), their own
//! requirements at six; `DEPENDENCIES` lists what the Gemfile asks for.
//! `PATH` specs are the project's own gems and are not listed.

use std::collections::HashSet;

use crate::component::{Collector, ParseOutput};
use crate::{Component, Ecosystem, ParseError};

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut specs: Vec<(String, String)> = Vec::new();
    let mut declared: HashSet<String> = HashSet::new();
    let mut section = "";
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            section = line.trim();
            continue;
        }
        match section {
            "GEM" | "GIT" => {
                let Some(spec) = line.strip_prefix("    ").filter(|s| !s.starts_with(' ')) else {
                    continue;
                };
                let (name, version) = name_and_paren(spec).ok_or_else(|| {
                    ParseError::new(
                        label,
                        format!("expected `name (version)`, found `{}`", spec.trim()),
                    )
                    .at_line(number)
                    .field("specs")
                })?;
                // Bundler writes `1.15.4-x86_64-linux` for platform gems.
                let version = version.split_once('-').map_or(version, |(v, _)| v);
                specs.push((name.to_string(), version.to_string()));
            }
            "DEPENDENCIES" => {
                let Some(dep) = line.strip_prefix("  ").filter(|s| !s.starts_with(' ')) else {
                    continue;
                };
                let name = dep.split([' ', '!']).next().unwrap_or_default();
                declared.insert(name.to_string());
            }
            _ => {}
        }
    }
    let known = !declared.is_empty();
    let mut out = Collector::default();
    for (name, version) in specs {
        let direct = known.then(|| declared.contains(&name));
        out.push(Component::new(Ecosystem::RubyGems, &name, &version, label).direct(direct));
    }
    Ok(out.finish())
}

/// `name (text)` to (`name`, `text`).
fn name_and_paren(spec: &str) -> Option<(&str, &str)> {
    let (name, rest) = spec.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    (!name.is_empty() && !inner.is_empty()).then_some((name, inner))
}
