//! SARIF 2.1.0: secrets, vulnerable dependencies and migration risks with
//! their locations, for GitHub code scanning and other SARIF viewers.

use serde_json::{json, Value};

use crate::model::{Audit, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn location(path: &str, line: u32, column: u32) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": path },
            "region": { "startLine": line.max(1), "startColumn": column.max(1) }
        }
    })
}

struct Rules(Vec<(String, String, String)>);

impl Rules {
    fn add(&mut self, id: &str, short: &str, help: &str) {
        if !self.0.iter().any(|(i, _, _)| i == id) {
            self.0
                .push((id.to_string(), short.to_string(), help.to_string()));
        }
    }
}

pub fn sarif(audit: &Audit) -> Value {
    let mut rules = Rules(Vec::new());
    let mut results = Vec::new();

    for s in &audit.secrets.findings {
        let id = format!("secret/{}", s.rule);
        rules.add(
            &id,
            &s.title,
            "Rotate the credential at its provider and move it out of the code.",
        );
        results.push(json!({
            "ruleId": id,
            "level": level(s.severity),
            "message": { "text": format!("{} in the code: {}", s.title, s.redacted) },
            "locations": [location(&s.path, s.line, s.column)],
            "partialFingerprints": { "fctoSecret/v1": s.fingerprint },
        }));
    }

    for v in &audit.vulnerabilities.findings {
        let id = format!("vulnerability/{}", v.id);
        rules.add(&id, &v.summary, "Upgrade the package to a fixed version.");
        let fixed = if v.fixed_in.is_empty() {
            "no fixed version yet".to_string()
        } else {
            format!("fixed in {}", v.fixed_in.join(", "))
        };
        let locations: Vec<Value> = v
            .sources
            .iter()
            .enumerate()
            .map(|(k, p)| {
                location(
                    p,
                    v.lines.get(k).copied().filter(|&l| l > 0).unwrap_or(1),
                    1,
                )
            })
            .collect();
        results.push(json!({
            "ruleId": id,
            "level": level(v.severity),
            "message": { "text": format!("{} {} ({}) is affected by {}: {} ({fixed})", v.package, v.version, v.ecosystem, v.id, v.summary) },
            "locations": locations,
        }));
    }

    for f in &audit.data.migration_findings {
        let id = format!("migration/{}", f.rule);
        rules.add(&id, &f.message, &f.fix);
        let level = match f.severity {
            fcto_review::Severity::Error => "error",
            fcto_review::Severity::Warning => "warning",
            _ => "note",
        };
        results.push(json!({
            "ruleId": id,
            "level": level,
            "message": { "text": format!("{} {}", f.message, f.why) },
            "locations": [location(&f.path, f.line, f.column)],
        }));
    }

    let rules: Vec<Value> = rules
        .0
        .iter()
        .map(|(id, short, help)| {
            json!({
                "id": id,
                "shortDescription": { "text": if short.is_empty() { id.as_str() } else { short.as_str() } },
                "help": { "text": help },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "fcto-audit",
                "version": audit.tool.trim_start_matches("fcto ").to_string(),
                "informationUri": "https://github.com/fcto/fcto",
                "rules": rules,
            } },
            "results": results,
        }]
    })
}
