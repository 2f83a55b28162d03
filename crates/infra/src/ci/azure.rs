//! Azure Pipelines: stages, jobs (and deployment jobs), pools, container
//! images, tasks (`Name@version`, pinned to a major version at best) and
//! deploy targets.

use serde_norway::Value;

use super::{action_use, add_targets, ci_image, deploy_target_of_reuse, deploy_targets_of_command};
use crate::error::InfraError;
use crate::fact::{CiSystem, Fact, Job, Pin, Pipeline};
use crate::yaml::{get, load_all, scalar, seq, str_at, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let cfg = &doc.value;
    let top_pool = pool(get(cfg, "pool"));
    let mut stages = Vec::new();
    let mut jobs = Vec::new();
    let mut cursor = doc.first_line;
    let mut add_jobs =
        |list: &[Value], stage_pool: &[String], jobs: &mut Vec<Job>, facts: &mut Vec<Fact>| {
            for job in list {
                let name = str_at(job, "job")
                    .or_else(|| str_at(job, "deployment"))
                    .or_else(|| str_at(job, "displayName"))
                    .unwrap_or_else(|| "job".to_string());
                let line = lines.find_text(&name, cursor).unwrap_or(cursor);
                cursor = line;
                let mut runs_on = pool(get(job, "pool"));
                if runs_on.is_empty() {
                    runs_on = stage_pool.to_vec();
                }
                let image =
                    get(job, "container").and_then(|c| scalar(c).or_else(|| str_at(c, "image")));
                if let Some(img) = &image {
                    ci_image(label, line, img, &name, facts);
                }
                let mut uses = Vec::new();
                let mut deploys_to = Vec::new();
                // Deployment jobs keep their steps under strategy.<kind>.deploy.
                let mut step_lists: Vec<&[Value]> =
                    vec![seq(get(job, "steps").unwrap_or(&Value::Null))];
                if let Some(strategy) = get(job, "strategy") {
                    for kind in ["runOnce", "rolling", "canary"] {
                        if let Some(k) = get(strategy, kind) {
                            for phase in ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"]
                            {
                                if let Some(p) = get(k, phase) {
                                    step_lists.push(seq(get(p, "steps").unwrap_or(&Value::Null)));
                                }
                            }
                        }
                    }
                }
                for step in step_lists.into_iter().flatten() {
                    if let Some(task) = str_at(step, "task") {
                        let l = lines.find_text(&task, line).unwrap_or(line);
                        let pin = if task.contains('@') {
                            Pin::Tag
                        } else {
                            Pin::None
                        };
                        add_targets(&mut deploys_to, deploy_target_of_reuse(&task));
                        uses.push(action_use(&task, l, pin, &[]));
                    }
                    for key in ["script", "bash", "pwsh", "powershell"] {
                        if let Some(cmd) = str_at(step, key) {
                            add_targets(&mut deploys_to, deploy_targets_of_command(&cmd));
                        }
                    }
                }
                // Azure's own tasks are first party; marketplace ones carry a
                // publisher prefix (`publisher.extension.Task@1`).
                for u in &mut uses {
                    u.first_party = !u.uses.contains('.');
                }
                jobs.push(Job {
                    name,
                    line,
                    runs_on,
                    image,
                    uses,
                    deploys_to,
                });
            }
        };
    if let Some(list) = get(cfg, "stages") {
        for stage in seq(list) {
            if let Some(s) = str_at(stage, "stage") {
                stages.push(s);
            }
            let mut p = pool(get(stage, "pool"));
            if p.is_empty() {
                p = top_pool.clone();
            }
            add_jobs(
                seq(get(stage, "jobs").unwrap_or(&Value::Null)),
                &p,
                &mut jobs,
                &mut facts,
            );
        }
    } else if let Some(list) = get(cfg, "jobs") {
        add_jobs(seq(list), &top_pool, &mut jobs, &mut facts);
    } else if get(cfg, "steps").is_some() {
        add_jobs(std::slice::from_ref(cfg), &top_pool, &mut jobs, &mut facts);
    }
    facts.push(Fact::Pipeline(Pipeline {
        file: label.to_string(),
        line: doc.first_line,
        system: CiSystem::AzurePipelines,
        name: str_at(cfg, "name"),
        stages,
        imports: Vec::new(),
        jobs,
    }));
    Ok(facts)
}

fn pool(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(m @ Value::Mapping(_)) => str_at(m, "vmImage")
            .or_else(|| str_at(m, "name"))
            .into_iter()
            .collect(),
        Some(other) => scalar(other).into_iter().collect(),
        None => Vec::new(),
    }
}
