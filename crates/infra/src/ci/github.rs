//! GitHub Actions workflows: jobs, `runs-on`, container and service images,
//! `uses:` with their pinning (steps and reusable workflows), and deploy
//! targets from well-known actions and `run:` commands.

use serde_norway::Value;

use super::{
    action_use, add_targets, ci_image, deploy_target_of_reuse, deploy_targets_of_command,
    github_pin,
};
use crate::error::InfraError;
use crate::fact::{CiSystem, Fact, Job, Pipeline};
use crate::yaml::{entries, get, load_all, scalar, seq, str_at, strings, KeyCursor, Lines};

const FIRST_PARTY: &[&str] = &["actions", "github"];

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let wf = &doc.value;
    let top = doc.first_line.saturating_sub(1);
    let jobs_line = lines.find_path(top, None, &["jobs"]);
    let jobs_scope = lines.key_indent(jobs_line);
    let mut jobs = Vec::new();
    let mut job_keys = KeyCursor::new(&lines, jobs_line, jobs_scope);
    for (id, job) in entries(get(wf, "jobs").unwrap_or(&Value::Null)) {
        let line = job_keys.find(id).unwrap_or(jobs_line);
        let scope = lines.key_indent(line);
        let mut j = Job {
            name: str_at(job, "name").unwrap_or_else(|| id.to_string()),
            line,
            runs_on: runs_on(get(job, "runs-on")),
            image: None,
            uses: Vec::new(),
            deploys_to: Vec::new(),
        };
        if let Some(c) = get(job, "container") {
            let image = match c {
                Value::Mapping(_) => str_at(c, "image"),
                other => scalar(other),
            };
            if let Some(image) = image {
                let l = lines.find_path(line, scope, &["container"]);
                ci_image(label, l, &image, &j.name, &mut facts);
                j.image = Some(image);
            }
        }
        let services_line = lines.find_path(line, scope, &["services"]);
        for (svc, def) in entries(get(job, "services").unwrap_or(&Value::Null)) {
            if let Some(image) = str_at(def, "image") {
                let l = lines
                    .find_key(svc, services_line, lines.key_indent(services_line))
                    .unwrap_or(services_line);
                ci_image(label, l, &image, &j.name, &mut facts);
            }
        }
        // A job that calls a reusable workflow.
        if let Some(uses) = str_at(job, "uses") {
            let l = lines.find_path(line, scope, &["uses"]);
            j.uses
                .push(action_use(&uses, l, github_pin(&uses), FIRST_PARTY));
        }
        let steps_line = lines.find_path(line, scope, &["steps"]);
        for (i, step) in seq(get(job, "steps").unwrap_or(&Value::Null))
            .iter()
            .enumerate()
        {
            let item = lines.find_item(steps_line, i);
            if let Some(uses) = str_at(step, "uses") {
                let l = lines.find_path(item, lines.item_scope(item), &["uses"]);
                j.uses
                    .push(action_use(&uses, l, github_pin(&uses), FIRST_PARTY));
                add_targets(&mut j.deploys_to, deploy_target_of_reuse(&uses));
            }
            if let Some(run) = str_at(step, "run") {
                add_targets(&mut j.deploys_to, deploy_targets_of_command(&run));
            }
        }
        jobs.push(j);
    }
    facts.push(Fact::Pipeline(Pipeline {
        file: label.to_string(),
        line: doc.first_line,
        system: CiSystem::GithubActions,
        name: str_at(wf, "name"),
        stages: Vec::new(),
        imports: Vec::new(),
        jobs,
    }));
    Ok(facts)
}

/// `runs-on` as a label, a list of labels, or `{group, labels}`.
fn runs_on(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(m @ Value::Mapping(_)) => {
            let mut out: Vec<String> = str_at(m, "group").into_iter().collect();
            out.extend(strings(get(m, "labels").unwrap_or(&Value::Null)));
            out
        }
        Some(other) => strings(other),
        None => Vec::new(),
    }
}
