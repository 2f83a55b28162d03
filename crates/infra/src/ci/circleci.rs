//! CircleCI: orbs (with their version pinning), executors, jobs with their
//! docker/machine images, and deploy targets from orb jobs and `run` steps.

use serde_norway::Value;

use super::{action_use, add_targets, ci_image, deploy_target_of_reuse, deploy_targets_of_command};
use crate::error::InfraError;
use crate::fact::{CiSystem, Fact, Job, Pin, Pipeline};
use crate::yaml::{entries, get, load_all, seq, str_at, KeyCursor, Lines};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let cfg = &doc.value;
    let top = doc.first_line.saturating_sub(1);

    let orbs_line = lines.find_path(top, None, &["orbs"]);
    let mut imports = Vec::new();
    let mut orb_names: Vec<(String, String)> = Vec::new();
    let mut orb_keys = KeyCursor::new(&lines, orbs_line, lines.key_indent(orbs_line));
    for (alias, orb) in entries(get(cfg, "orbs").unwrap_or(&Value::Null)) {
        let Some(orb) = crate::yaml::scalar(orb) else {
            continue;
        }; // inline orbs are maps
        let line = orb_keys.find(alias).unwrap_or(orbs_line);
        let pin = match orb.rsplit_once('@') {
            None => Pin::None,
            Some((_, "volatile")) => Pin::Branch,
            Some((_, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => Pin::Tag,
            Some(_) => Pin::Branch,
        };
        imports.push(action_use(&orb, line, pin, &["circleci"]));
        orb_names.push((alias.to_string(), orb));
    }
    let orb_of = |step: &str| -> Option<String> {
        let alias = step.split('/').next()?;
        orb_names.iter().find(|(a, _)| a == alias).map(|(_, o)| {
            let name = o.split('@').next().unwrap_or(o);
            format!("{name}/{}", step.split_once('/').map_or("", |(_, r)| r))
        })
    };

    let executors = get(cfg, "executors");
    let jobs_line = lines.find_path(top, None, &["jobs"]);
    let mut jobs = Vec::new();
    let mut job_keys = KeyCursor::new(&lines, jobs_line, lines.key_indent(jobs_line));
    for (name, job) in entries(get(cfg, "jobs").unwrap_or(&Value::Null)) {
        let line = job_keys.find(name).unwrap_or(jobs_line);
        let scope = lines.key_indent(line);
        let mut runs_on = Vec::new();
        // The job's own docker list, or its executor's.
        let executor_name = match get(job, "executor") {
            Some(Value::Mapping(m)) => m.get("name").and_then(crate::yaml::scalar),
            Some(v) => crate::yaml::scalar(v),
            None => None,
        };
        let exec_def = executor_name
            .as_deref()
            .and_then(|n| executors.and_then(|e| get(e, n)));
        if let Some(e) = &executor_name {
            runs_on.push(format!("executor {e}"));
        }
        let docker_src = if get(job, "docker").is_some() {
            Some(job)
        } else {
            exec_def
        };
        let mut image = None;
        if let Some(src) = docker_src {
            let docker_line = lines.find_path(line, scope, &["docker"]);
            for (i, d) in seq(get(src, "docker").unwrap_or(&Value::Null))
                .iter()
                .enumerate()
            {
                let Some(img) = str_at(d, "image") else {
                    continue;
                };
                let l = if std::ptr::eq(src, job) {
                    lines.find_item(docker_line, i)
                } else {
                    line
                };
                ci_image(label, l, &img, name, &mut facts);
                if image.is_none() {
                    runs_on.push("docker".to_string());
                    image = Some(img);
                }
            }
        }
        for src in [Some(job), exec_def].into_iter().flatten() {
            if let Some(m) = get(src, "machine") {
                let img = str_at(m, "image").unwrap_or_else(|| "default".to_string());
                runs_on.push(format!("machine {img}"));
            }
            if get(src, "macos").is_some() {
                runs_on.push("macos".to_string());
            }
            if let Some(rc) = str_at(src, "resource_class") {
                runs_on.push(rc);
            }
        }
        let mut deploys_to = Vec::new();
        for step in seq(get(job, "steps").unwrap_or(&Value::Null)) {
            let (key, body) = match step {
                Value::String(s) => (s.clone(), None),
                Value::Mapping(_) => match entries(step).next() {
                    Some((k, v)) => (k.to_string(), Some(v)),
                    None => continue,
                },
                _ => continue,
            };
            if key == "run" {
                let cmd =
                    body.and_then(|b| crate::yaml::scalar(b).or_else(|| str_at(b, "command")));
                if let Some(cmd) = cmd {
                    add_targets(&mut deploys_to, deploy_targets_of_command(&cmd));
                }
            } else if let Some(orb_step) = orb_of(&key) {
                add_targets(&mut deploys_to, deploy_target_of_reuse(&orb_step));
            }
        }
        jobs.push(Job {
            name: name.to_string(),
            line,
            runs_on,
            image,
            uses: Vec::new(),
            deploys_to,
        });
    }
    // Orb jobs called straight from workflows (`- heroku/deploy-via-git`).
    let wf_line = lines.find_path(top, None, &["workflows"]);
    for (_, wf) in entries(get(cfg, "workflows").unwrap_or(&Value::Null)) {
        for j in seq(get(wf, "jobs").unwrap_or(&Value::Null)) {
            let called = match j {
                Value::String(s) => Some(s.clone()),
                Value::Mapping(_) => entries(j).next().map(|(k, _)| k.to_string()),
                _ => None,
            };
            let Some(called) = called else { continue };
            let Some(orb_job) = orb_of(&called) else {
                continue;
            };
            if jobs.iter().any(|x: &Job| x.name == called) {
                continue;
            }
            let line = lines.find_text(&called, wf_line).unwrap_or(wf_line);
            jobs.push(Job {
                name: called,
                line,
                runs_on: Vec::new(),
                image: None,
                uses: Vec::new(),
                deploys_to: deploy_target_of_reuse(&orb_job)
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
            });
        }
    }
    facts.push(Fact::Pipeline(Pipeline {
        file: label.to_string(),
        line: doc.first_line,
        system: CiSystem::CircleCi,
        name: None,
        stages: Vec::new(),
        imports,
        jobs,
    }));
    Ok(facts)
}
