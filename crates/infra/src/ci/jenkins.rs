//! Jenkinsfiles are Groovy; read textually: `stage('...')` names, agent
//! labels and docker images, and deploy commands in `sh` steps.

use super::{add_targets, ci_image, deploy_targets_of_command};
use crate::error::{decode, InfraError};
use crate::fact::{CiSystem, Fact, Job, Pipeline};

/// The first quoted argument after `key` on a line: `stage('Build')`,
/// `image 'node:20'`, `label "linux"`.
fn quoted_after<'t>(line: &'t str, key: &str) -> Option<&'t str> {
    let at = line.find(key)?;
    let rest = &line[at + key.len()..];
    let q = rest.find(['\'', '"'])?;
    let between = &rest[..q];
    if !between.chars().all(|c| c.is_whitespace() || c == '(') {
        return None;
    }
    let quote = rest[q..].chars().next()?;
    let inner = &rest[q + 1..];
    inner.find(quote).map(|end| &inner[..end])
}

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let text = decode(label, bytes)?;
    let mut facts = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let mut runs_on: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = raw.trim();
        if line.starts_with("//") {
            continue;
        }
        if let Some(name) = quoted_after(line, "stage") {
            jobs.push(Job {
                name: name.to_string(),
                line: line_no,
                runs_on: Vec::new(),
                image: None,
                uses: Vec::new(),
                deploys_to: Vec::new(),
            });
            continue;
        }
        let image = quoted_after(line, "docker.image")
            .or_else(|| {
                line.starts_with("image")
                    .then(|| quoted_after(line, "image"))
                    .flatten()
            })
            .or_else(|| {
                line.starts_with("docker ")
                    .then(|| quoted_after(line, "docker"))
                    .flatten()
            });
        if let Some(image) = image {
            let owner = jobs
                .last()
                .map_or("pipeline", |j| j.name.as_str())
                .to_string();
            ci_image(label, line_no, image, &owner, &mut facts);
            match jobs.last_mut() {
                Some(j) => j.image = Some(image.to_string()),
                None => runs_on.push(format!("docker {image}")),
            }
        }
        if let Some(l) = line
            .starts_with("label")
            .then(|| quoted_after(line, "label"))
            .flatten()
        {
            match jobs.last_mut() {
                Some(j) => j.runs_on.push(l.to_string()),
                None => runs_on.push(l.to_string()),
            }
        }
        if line.starts_with("sh ") || line.starts_with("sh(") || line.starts_with("bat ") {
            if let Some(j) = jobs.last_mut() {
                add_targets(&mut j.deploys_to, deploy_targets_of_command(line));
            }
        }
    }
    for j in &mut jobs {
        if j.runs_on.is_empty() {
            j.runs_on = runs_on.clone();
        }
    }
    if jobs.is_empty() && runs_on.is_empty() && !text.contains("pipeline") && !text.contains("node")
    {
        return Err(InfraError::Field {
            file: label.to_string(),
            line: crate::error::Line(None),
            field: "pipeline".to_string(),
            message: "no pipeline, node or stage found: not a Jenkinsfile".to_string(),
        });
    }
    facts.push(Fact::Pipeline(Pipeline {
        file: label.to_string(),
        line: 1,
        system: CiSystem::Jenkins,
        name: None,
        stages: jobs.iter().map(|j| j.name.clone()).collect(),
        imports: Vec::new(),
        jobs,
    }));
    Ok(facts)
}
