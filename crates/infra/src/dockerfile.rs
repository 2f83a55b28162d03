//! Dockerfiles: stages and their base images (with `ARG` substitution,
//! `--platform`, digests), and what the shipped stage declares: `EXPOSE`,
//! `USER`, `HEALTHCHECK`, `CMD`/`ENTRYPOINT`.

use std::collections::HashMap;

use crate::error::{decode, InfraError};
use crate::fact::{Dockerfile, Fact, ImageUse};
use crate::image::image_fact;

/// One logical instruction: keyword, arguments, first line.
struct Instruction {
    keyword: String,
    args: String,
    line: u32,
}

#[derive(Default, Clone)]
struct Stage {
    name: Option<String>,
    base: String,
    user: Option<String>,
    expose: Vec<String>,
    healthcheck: bool,
    entrypoint: Option<String>,
    cmd: Option<String>,
    line: u32,
}

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let text = decode(label, bytes)?;
    let instructions = instructions(text);
    let mut global_args: HashMap<String, String> = HashMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut facts = Vec::new();
    let mut image_indexes: Vec<Option<usize>> = Vec::new();

    for ins in &instructions {
        match ins.keyword.as_str() {
            "ARG" if stages.is_empty() => {
                for (name, value) in arg_pairs(&ins.args) {
                    global_args.insert(name, value.unwrap_or_default());
                }
            }
            "FROM" => {
                let (platform, image, stage_name) = from_parts(&ins.args);
                let Some(image) = image else {
                    return Err(InfraError::Field {
                        file: label.to_string(),
                        line: crate::error::Line(Some(ins.line)),
                        field: "FROM".to_string(),
                        message: "no image named".to_string(),
                    });
                };
                let resolved = substitute(&image, &global_args);
                let parent = stages
                    .iter()
                    .rev()
                    .find(|s| {
                        s.name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(&resolved))
                    })
                    .cloned();
                let from_stage = parent.is_some();
                let mut stage = match parent {
                    // `FROM builder`: inherits that stage's settings.
                    Some(p) => Stage {
                        name: None,
                        line: ins.line,
                        ..p
                    },
                    None => Stage {
                        base: resolved.clone(),
                        line: ins.line,
                        ..Stage::default()
                    },
                };
                stage.name = stage_name.clone();
                if !from_stage && !resolved.eq_ignore_ascii_case("scratch") {
                    let mut img = image_fact(label, ins.line, ImageUse::DockerfileBase, &resolved);
                    img.stage = stage_name;
                    img.platform = platform.map(|p| substitute(&p, &global_args));
                    image_indexes.push(Some(facts.len()));
                    facts.push(Fact::Image(img));
                } else {
                    image_indexes.push(None);
                }
                stages.push(stage);
            }
            _ => {
                let Some(stage) = stages.last_mut() else {
                    continue; // only ARG and comments may precede FROM
                };
                match ins.keyword.as_str() {
                    "USER" => stage.user = Some(ins.args.trim().to_string()),
                    "EXPOSE" => stage
                        .expose
                        .extend(ins.args.split_whitespace().map(str::to_string)),
                    "HEALTHCHECK" => {
                        stage.healthcheck = !ins.args.trim().eq_ignore_ascii_case("NONE")
                    }
                    "CMD" => stage.cmd = Some(command_text(&ins.args)),
                    "ENTRYPOINT" => stage.entrypoint = Some(command_text(&ins.args)),
                    _ => {}
                }
            }
        }
    }
    let Some(last) = stages.last() else {
        return Err(InfraError::Field {
            file: label.to_string(),
            line: crate::error::Line(None),
            field: "FROM".to_string(),
            message: "no FROM instruction: not a Dockerfile".to_string(),
        });
    };
    if let Some(Some(i)) = image_indexes.last() {
        if let Some(Fact::Image(img)) = facts.get_mut(*i) {
            img.final_stage = true;
        }
    }
    facts.push(Fact::Dockerfile(Dockerfile {
        file: label.to_string(),
        line: last.line,
        stages: stages.len() as u32,
        base: Some(last.base.clone()),
        user: last.user.clone(),
        expose: last.expose.clone(),
        healthcheck: last.healthcheck,
        entrypoint: last.entrypoint.clone(),
        cmd: last.cmd.clone(),
    }));
    Ok(facts)
}

/// Joins continuation lines, drops comments and heredoc bodies.
fn instructions(text: &str) -> Vec<Instruction> {
    let mut escape = '\\';
    let mut out = Vec::new();
    let mut current: Option<(String, u32)> = None;
    let mut heredoc: Option<String> = None;
    let mut seen_instruction = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        if let Some(end) = &heredoc {
            if raw.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let trimmed = raw.trim();
        if !seen_instruction && current.is_none() {
            if let Some(d) = trimmed.strip_prefix('#') {
                let d = d.trim().to_ascii_lowercase();
                if let Some(e) = d.strip_prefix("escape=") {
                    if e.trim() == "`" {
                        escape = '`';
                    }
                }
                continue;
            }
        }
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_none()) {
            continue;
        }
        let (body, continues) = match trimmed.strip_suffix(escape) {
            Some(b) => (b, true),
            None => (trimmed, false),
        };
        let (mut acc, start) = current.take().unwrap_or((String::new(), line_no));
        if !acc.is_empty() {
            acc.push(' ');
        }
        acc.push_str(body.trim());
        if continues {
            current = Some((acc, start));
            continue;
        }
        seen_instruction = true;
        if let Some(tag) = heredoc_tag(&acc) {
            heredoc = Some(tag);
        }
        let (kw, args) = acc.split_once(char::is_whitespace).unwrap_or((&acc, ""));
        out.push(Instruction {
            keyword: kw.to_ascii_uppercase(),
            args: args.trim().to_string(),
            line: start,
        });
    }
    if let Some((acc, start)) = current {
        let (kw, args) = acc.split_once(char::is_whitespace).unwrap_or((&acc, ""));
        out.push(Instruction {
            keyword: kw.to_ascii_uppercase(),
            args: args.trim().to_string(),
            line: start,
        });
    }
    out
}

/// `RUN <<EOF` / `<<-"EOF"`: the terminator of a heredoc body.
fn heredoc_tag(instruction: &str) -> Option<String> {
    let at = instruction.find("<<")?;
    let rest = instruction[at + 2..].trim_start_matches('-');
    let tag: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!tag.is_empty()
        && tag
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
    .then_some(tag)
}

fn arg_pairs(args: &str) -> Vec<(String, Option<String>)> {
    args.split_whitespace()
        .map(|a| match a.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.trim_matches(['"', '\'']).to_string())),
            None => (a.to_string(), None),
        })
        .collect()
}

/// `FROM [--platform=P] image [AS name]`.
fn from_parts(args: &str) -> (Option<String>, Option<String>, Option<String>) {
    let mut platform = None;
    let mut words = Vec::new();
    for w in args.split_whitespace() {
        if let Some(p) = w.strip_prefix("--platform=") {
            platform = Some(p.to_string());
        } else if !w.starts_with("--") {
            words.push(w);
        }
    }
    let image = words.first().map(|s| s.to_string());
    let stage = match words.as_slice() {
        [_, kw, name, ..] if kw.eq_ignore_ascii_case("as") => Some(name.to_string()),
        _ => None,
    };
    (platform, image, stage)
}

/// Replaces `$X`, `${X}`, `${X:-d}`, `${X-d}` with global `ARG` values (or
/// the default); leaves unknown variables as written.
pub fn substitute(s: &str, args: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                out.push_str(&rest[at..]);
                return out;
            };
            let expr = &inner[..close];
            let (name, default) = match expr.split_once(":-").or_else(|| expr.split_once('-')) {
                Some((n, d)) => (n, Some(d)),
                None => (expr, None),
            };
            match (args.get(name).filter(|v| !v.is_empty()), default) {
                (Some(v), _) => out.push_str(v),
                (None, Some(d)) => out.push_str(d),
                (None, None) => out.push_str(&rest[at..at + 2 + close + 1]),
            }
            rest = &inner[close + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            match args.get(&after[..len]).filter(|v| !v.is_empty()) {
                Some(v) => out.push_str(v),
                None => out.push_str(&rest[at..at + 1 + len]),
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    out
}

/// `["node", "server.js"]` -> `node server.js`; shell form kept as written.
fn command_text(args: &str) -> String {
    let t = args.trim();
    if t.starts_with('[') {
        if let Ok(parts) = serde_json::from_str::<Vec<String>>(t) {
            return parts.join(" ");
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_substitute_with_defaults() {
        let mut a = HashMap::new();
        a.insert("V".to_string(), "3.12".to_string());
        a.insert("EMPTY".to_string(), String::new());
        assert_eq!(substitute("python:${V}-slim", &a), "python:3.12-slim");
        assert_eq!(substitute("python:$V", &a), "python:3.12");
        assert_eq!(substitute("node:${N:-20}", &a), "node:20");
        assert_eq!(substitute("node:${EMPTY:-22}", &a), "node:22");
        assert_eq!(substitute("x:${UNKNOWN}", &a), "x:${UNKNOWN}");
        assert_eq!(substitute("x:${broken", &a), "x:${broken");
    }
}
