//! Platform configs: one app (or a few) per file, where it runs, how it is
//! built, and what its settings say it talks to.

pub mod appengine;
pub mod fly;
pub mod heroku;
pub mod netlify;
pub mod procfile;
pub mod railway;
pub mod render;
pub mod serverless;
pub mod vercel;

use crate::endpoint::{database_from_setting, link_from_setting};
use crate::error::{decode, InfraError, Line};
use crate::fact::{Fact, Service};

/// A name for a single-app config: its folder's name, or `app` at the root.
pub fn default_name(label: &str) -> String {
    let dir = crate::relpath::dir(label);
    match dir.rsplit('/').next() {
        Some(d) if !d.is_empty() => d.to_string(),
        _ => "app".to_string(),
    }
}

fn line_of_offset(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

pub fn load_toml(label: &str, bytes: &[u8]) -> Result<(String, toml::Table), InfraError> {
    let text = decode(label, bytes)?;
    match text.parse::<toml::Table>() {
        Ok(t) => Ok((text.to_string(), t)),
        Err(e) => Err(InfraError::Toml {
            file: label.to_string(),
            line: Line(e.span().map(|s| line_of_offset(text, s.start))),
            message: e.message().to_string(),
        }),
    }
}

pub fn load_json(label: &str, bytes: &[u8]) -> Result<(String, serde_json::Value), InfraError> {
    let text = decode(label, bytes)?;
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => Ok((text.to_string(), v)),
        Err(e) => {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            Err(InfraError::Json {
                file: label.to_string(),
                line: Line((e.line() > 0).then_some(e.line() as u32)),
                message,
            })
        }
    }
}

/// Links and databases from one setting of a service with no siblings in
/// its file.
pub fn apply_setting(
    label: &str,
    line: u32,
    key: &str,
    value: &str,
    svc: &mut Service,
    facts: &mut Vec<Fact>,
    siblings: &dyn Fn(&str) -> bool,
) {
    let (link, engine) = link_from_setting(key, value, siblings);
    let is_service_link = link
        .as_ref()
        .is_some_and(|l| l.kind == crate::fact::LinkKind::Service);
    if let Some(link) = link {
        svc.link(link);
    }
    if let (Some(engine), false) = (engine, is_service_link) {
        let name = svc.name.clone();
        facts.push(Fact::Database(database_from_setting(
            label,
            line,
            key,
            engine,
            Some(&name),
        )));
    }
}

/// First line (1-based) where `key` starts a TOML/YAML setting (`key =`,
/// `key:`, `[key]`), else 1.
pub fn find_key_line(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| {
            let t = l
                .trim_start()
                .trim_start_matches('[')
                .trim_start_matches(['"', '\'']);
            t.strip_prefix(key).is_some_and(|r| {
                let r = r.trim_start_matches(['"', '\'']).trim_start();
                r.starts_with('=') || r.starts_with(':') || r.starts_with(']')
            })
        })
        .map_or(1, |i| i as u32 + 1)
}

/// First line (1-based) containing `needle`, else 1.
pub fn find_line(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i as u32 + 1)
}

pub fn no_siblings(_: &str) -> bool {
    false
}
