//! Bitbucket Pipelines: pipelines (default, branches, pull requests, tags,
//! custom), their steps, images, service containers, runner labels, pipes
//! (with pinning) and deploy targets.

use serde_norway::Value;

use super::{action_use, add_targets, ci_image, deploy_target_of_reuse, deploy_targets_of_command};
use crate::error::InfraError;
use crate::fact::{CiSystem, Fact, Job, Pin, Pipeline};
use crate::image::parse_ref;
use crate::yaml::{entries, get, load_all, scalar, seq, str_at, strings, Lines};

fn image_name(v: &Value) -> Option<String> {
    match v {
        Value::Mapping(_) => str_at(v, "name"),
        other => scalar(other),
    }
}

struct Ctx<'a> {
    label: &'a str,
    lines: Lines<'a>,
    default_image: Option<String>,
    facts: Vec<Fact>,
    jobs: Vec<Job>,
    cursor: u32,
}

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    let cfg = &doc.value;
    let top = doc.first_line.saturating_sub(1);
    let mut ctx = Ctx {
        label,
        lines: Lines::new(&text),
        default_image: get(cfg, "image").and_then(image_name),
        facts: Vec::new(),
        jobs: Vec::new(),
        cursor: top,
    };
    if let Some(image) = ctx.default_image.clone() {
        let l = ctx.lines.find_path(top, None, &["image"]);
        ci_image(label, l, &image, "default", &mut ctx.facts);
    }
    let defs = get(cfg, "definitions");
    for (name, svc) in entries(
        defs.and_then(|d| get(d, "services"))
            .unwrap_or(&Value::Null),
    ) {
        if let Some(image) = get(svc, "image").and_then(image_name) {
            let l = ctx
                .lines
                .find_path(top, None, &["definitions", "services", name]);
            ci_image(label, l, &image, name, &mut ctx.facts);
        }
    }
    let pipelines = get(cfg, "pipelines").unwrap_or(&Value::Null);
    ctx.cursor = ctx.lines.find_path(top, None, &["pipelines"]);
    for (group, body) in entries(pipelines) {
        match body {
            Value::Sequence(items) => walk_items(&mut ctx, group, items),
            Value::Mapping(_) => {
                for (name, items) in entries(body) {
                    walk_items(&mut ctx, &format!("{group} {name}"), seq(items));
                }
            }
            _ => {}
        }
    }
    let Ctx {
        mut facts, jobs, ..
    } = ctx;
    facts.push(Fact::Pipeline(Pipeline {
        file: label.to_string(),
        line: doc.first_line,
        system: CiSystem::Bitbucket,
        name: None,
        stages: Vec::new(),
        imports: Vec::new(),
        jobs,
    }));
    Ok(facts)
}

fn walk_items(ctx: &mut Ctx, pipeline: &str, items: &[Value]) {
    for item in items {
        if let Some(step) = get(item, "step") {
            add_step(ctx, pipeline, step);
        }
        if let Some(par) = get(item, "parallel") {
            let inner = get(par, "steps").map(seq).unwrap_or_else(|| seq(par));
            walk_items(ctx, pipeline, inner);
        }
        if let Some(stage) = get(item, "stage") {
            let name = str_at(stage, "name").unwrap_or_else(|| pipeline.to_string());
            walk_items(ctx, &name, seq(get(stage, "steps").unwrap_or(&Value::Null)));
        }
    }
}

fn add_step(ctx: &mut Ctx, pipeline: &str, step: &Value) {
    let n = ctx
        .jobs
        .iter()
        .filter(|j| j.name.starts_with(pipeline))
        .count()
        + 1;
    let name = str_at(step, "name").map_or_else(
        || format!("{pipeline} step {n}"),
        |s| format!("{pipeline}: {s}"),
    );
    let line = ctx
        .lines
        .find_text("step:", ctx.cursor + 1)
        .unwrap_or(ctx.cursor.max(1));
    ctx.cursor = line;
    let image = get(step, "image").and_then(image_name);
    if let Some(img) = &image {
        let l = ctx.lines.find_text("image:", line).unwrap_or(line);
        ci_image(ctx.label, l, img, &name, &mut ctx.facts);
    }
    let mut uses = Vec::new();
    let mut deploys_to = Vec::new();
    for entry in seq(get(step, "script").unwrap_or(&Value::Null)) {
        match entry {
            Value::Mapping(_) => {
                if let Some(pipe) = str_at(entry, "pipe") {
                    let l = ctx.lines.find_text(&pipe, line).unwrap_or(line);
                    let r = parse_ref(&pipe);
                    let pin = if r.digest.is_some() {
                        Pin::Sha
                    } else if r.tag.is_some() {
                        Pin::Tag
                    } else {
                        Pin::None
                    };
                    add_targets(&mut deploys_to, deploy_target_of_reuse(&pipe));
                    uses.push(action_use(&pipe, l, pin, &["atlassian", "docker.io"]));
                }
            }
            other => {
                if let Some(cmd) = scalar(other) {
                    add_targets(&mut deploys_to, deploy_targets_of_command(&cmd));
                }
            }
        }
    }
    let mut runs_on = strings(get(step, "runs-on").unwrap_or(&Value::Null));
    if let Some(size) = str_at(step, "size") {
        runs_on.push(format!("size {size}"));
    }
    ctx.jobs.push(Job {
        name,
        line,
        runs_on,
        image: image.or_else(|| ctx.default_image.clone()),
        uses,
        deploys_to,
    });
}
