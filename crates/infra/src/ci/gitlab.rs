//! GitLab CI: stages, jobs (hidden `.templates` skipped), images and
//! services, runner tags, includes, and deploy targets from scripts.

use serde_norway::Value;

use super::{action_use, add_targets, ci_image, deploy_targets_of_command, ref_pin};
use crate::error::InfraError;
use crate::fact::{ActionUse, CiSystem, Fact, Job, Pin, Pipeline};
use crate::yaml::{entries, get, load_all, scalar, seq, str_at, strings, KeyCursor, Lines};

const RESERVED: &[&str] = &[
    "image",
    "services",
    "stages",
    "variables",
    "include",
    "default",
    "workflow",
    "before_script",
    "after_script",
    "cache",
    "types",
    "spec",
];

fn image_name(v: &Value) -> Option<String> {
    match v {
        Value::Mapping(_) => str_at(v, "name"),
        other => scalar(other),
    }
}

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    // GitLab CI/CD components put a `spec:` header in its own document.
    let Some(doc) = docs
        .iter()
        .find(|d| get(&d.value, "spec").is_none())
        .or(docs.first())
    else {
        return Ok(facts);
    };
    let ci = &doc.value;
    let top = doc.first_line.saturating_sub(1);
    let default = get(ci, "default");
    let default_image = get(ci, "image")
        .or_else(|| default.and_then(|d| get(d, "image")))
        .and_then(image_name);
    let default_tags = default
        .and_then(|d| get(d, "tags"))
        .map(strings)
        .unwrap_or_default();
    if let Some(image) = &default_image {
        let l = lines.find_path(top, None, &["image"]);
        ci_image(label, l, image, "default", &mut facts);
    }
    let mut imports = Vec::new();
    let include_line = lines.find_path(top, None, &["include"]);
    let includes: Vec<&Value> = match get(ci, "include") {
        Some(Value::Sequence(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    for (i, inc) in includes.into_iter().enumerate() {
        let line = lines.find_item(include_line, i);
        if let Some(u) = include_use(inc, line) {
            imports.push(u);
        }
    }
    let mut jobs = Vec::new();
    let mut job_keys = KeyCursor::new(&lines, top, None);
    for (name, job) in entries(ci) {
        if RESERVED.contains(&name) || name.starts_with('.') || !matches!(job, Value::Mapping(_)) {
            continue;
        }
        let line = job_keys.find(name).unwrap_or(doc.first_line);
        let scope = lines.key_indent(line);
        let image = get(job, "image").and_then(image_name);
        if let Some(img) = &image {
            ci_image(
                label,
                lines.find_path(line, scope, &["image"]),
                img,
                name,
                &mut facts,
            );
        }
        // Services merged in from a template (`<<: *rails`) are not written
        // under the job: they get the job's line.
        let services_line = lines.find_key("services", line, scope);
        for (i, s) in seq(get(job, "services").unwrap_or(&Value::Null))
            .iter()
            .enumerate()
        {
            if let Some(svc) = image_name(s) {
                let l = services_line.map_or(line, |sl| lines.find_item(sl, i));
                ci_image(label, l, &svc, name, &mut facts);
            }
        }
        let mut deploys_to = Vec::new();
        for key in ["before_script", "script", "after_script"] {
            for cmd in strings(get(job, key).unwrap_or(&Value::Null)) {
                add_targets(&mut deploys_to, deploy_targets_of_command(&cmd));
            }
        }
        let tags = get(job, "tags")
            .map(strings)
            .unwrap_or_else(|| default_tags.clone());
        jobs.push(Job {
            name: name.to_string(),
            line,
            runs_on: tags,
            image: image.or_else(|| default_image.clone()),
            uses: Vec::new(),
            deploys_to,
        });
    }
    facts.push(Fact::Pipeline(Pipeline {
        file: label.to_string(),
        line: doc.first_line,
        system: CiSystem::GitlabCi,
        name: None,
        stages: strings(get(ci, "stages").unwrap_or(&Value::Null)),
        imports,
        jobs,
    }));
    Ok(facts)
}

/// One `include:` entry as a reuse with its pinning.
fn include_use(inc: &Value, line: u32) -> Option<ActionUse> {
    const FIRST: &[&str] = &["gitlab.com/gitlab-org", "template"];
    match inc {
        Value::String(s) if s.contains("://") => Some(action_use(s, line, Pin::None, &[])),
        Value::String(_) => None, // a local file
        Value::Mapping(_) => {
            if let Some(t) = str_at(inc, "template") {
                return Some(action_use(&format!("template/{t}"), line, Pin::Tag, FIRST));
            }
            if let Some(c) = str_at(inc, "component") {
                let pin = c.rsplit_once('@').map_or(Pin::None, |(_, r)| ref_pin(r));
                let first = c.starts_with("gitlab.com/gitlab-org/")
                    || c.starts_with("gitlab.com/components/");
                let mut u = action_use(&c, line, pin, &[]);
                u.first_party = first;
                return Some(u);
            }
            if let Some(p) = str_at(inc, "project") {
                let pin = str_at(inc, "ref").map_or(Pin::None, |r| ref_pin(&r));
                return Some(action_use(&p, line, pin, &[]));
            }
            str_at(inc, "remote").map(|r| action_use(&r, line, Pin::None, &[]))
        }
        _ => None,
    }
}
