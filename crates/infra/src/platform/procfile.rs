//! Procfile: one process type per line (`web: bundle exec puma`), as Heroku,
//! Dokku and buildpack platforms read it.

use crate::error::{decode, InfraError, Line};
use crate::fact::{Fact, Platform, Service};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let text = decode(label, bytes)?;
    let mut facts = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, cmd)) = line.split_once(':') else {
            return Err(InfraError::Field {
                file: label.to_string(),
                line: Line(Some(i as u32 + 1)),
                field: "process type".to_string(),
                message: "expected `type: command`".to_string(),
            });
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(InfraError::Field {
                file: label.to_string(),
                line: Line(Some(i as u32 + 1)),
                field: "process type".to_string(),
                message: format!("`{name}` is not a process type name"),
            });
        }
        let mut svc = Service::new(label, i as u32 + 1, name, Platform::Heroku);
        svc.role = Some(
            if name == "web" {
                "web"
            } else if name == "release" {
                "release task"
            } else {
                "worker"
            }
            .to_string(),
        );
        svc.command = Some(cmd.trim().to_string());
        facts.push(Fact::Service(svc));
    }
    Ok(facts)
}
