//! The founder's page: every section's findings turned into a few risks in
//! plain English, each with why it matters and a rough cost of fixing,
//! ranked by severity then by how much evidence there is.

use crate::model::{Audit, Cost, Risk, Severity};

/// Hours of a developer's time, low and high, priced at the day rate.
fn cost(hours_low: f64, hours_high: f64, day_rate_gbp: u64) -> Cost {
    let price = |hours: f64| ((hours / 8.0) * day_rate_gbp as f64 / 50.0).round() as u64 * 50;
    Cost {
        hours_low,
        hours_high,
        gbp_low: price(hours_low),
        gbp_high: price(hours_high),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn rank(audit: &Audit, day_rate_gbp: u64) -> Vec<Risk> {
    let mut risks = Vec::new();
    secrets(audit, day_rate_gbp, &mut risks);
    vulnerabilities(audit, day_rate_gbp, &mut risks);
    migrations(audit, day_rate_gbp, &mut risks);
    bus_factor(audit, day_rate_gbp, &mut risks);
    infrastructure(audit, day_rate_gbp, &mut risks);
    risks.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.evidence.len().cmp(&a.evidence.len()))
            .then_with(|| a.key.cmp(&b.key))
    });
    risks
}

/// Whether a path is test, fixture, example or documentation material,
/// where keys are usually throwaway ones made for the purpose.
fn is_test_material(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split('/');
    let file = parts.next_back().unwrap_or("");
    let folder_hit = lower.split('/').rev().skip(1).any(|part| {
        matches!(
            part,
            "test"
                | "tests"
                | "__tests__"
                | "spec"
                | "specs"
                | "fixtures"
                | "fixture"
                | "testdata"
                | "test-data"
                | "examples"
                | "example"
                | "samples"
                | "docs"
                | "doc"
        )
    });
    folder_hit
        || file.contains("_test.")
        || file.contains(".test.")
        || file.contains(".spec.")
        || file.starts_with("test_")
}

fn secrets(audit: &Audit, rate: u64, risks: &mut Vec<Risk>) {
    let (in_tests, live): (Vec<_>, Vec<_>) = audit
        .secrets
        .findings
        .iter()
        .partition(|s| is_test_material(&s.path));
    let evidence = |found: &[&crate::model::SecretRecord]| -> Vec<String> {
        found
            .iter()
            .map(|s| format!("{}:{} {} ({})", s.path, s.line, s.title, s.redacted))
            .collect()
    };
    if !live.is_empty() {
        let severe = live.iter().filter(|s| s.severity >= Severity::High).count();
        let n = live.len() as f64;
        risks.push(Risk {
            key: "secrets-in-code".into(),
            category: "secrets".into(),
            severity: if severe > 0 {
                Severity::Critical
            } else {
                Severity::Medium
            },
            title: format!(
                "{} in the code, readable by anyone with access to it",
                plural(live.len(), "password or key is", "passwords and keys are")
            ),
            why: "Anyone who has ever had a copy of the code (a past contractor, a leaked laptop, a \
                  public fork) can use these to reach live systems and customer data. Removing them \
                  from the code is not enough: they stay in the history, so each must be changed."
                .into(),
            fix: "Rotate each key at its provider, move it to a secret store or the host's \
                  environment settings, and add a pre-commit secret scan."
                .into(),
            cost: cost(1.0 + 0.5 * n, 4.0 + n, rate),
            evidence: evidence(&live),
        });
    }
    if !in_tests.is_empty() {
        let n = in_tests.len() as f64;
        risks.push(Risk {
            key: "secrets-in-tests".into(),
            category: "secrets".into(),
            severity: Severity::Low,
            title: format!(
                "{} in tests, fixtures or docs",
                plural(in_tests.len(), "key sits", "keys sit")
            ),
            why: "These are usually throwaway keys made for tests or examples, but a real one \
                  copied into a fixture looks exactly the same, and a scanner that keeps flagging \
                  them trains everyone to ignore it."
                .into(),
            fix: "Confirm each is a test key, then accept it in .fcto/secrets-allow.toml so that \
                  any new one stands out; rotate any that turns out to be real."
                .into(),
            cost: cost(0.25 + 0.05 * n, 1.0 + 0.1 * n, rate),
            evidence: evidence(&in_tests),
        });
    }
}

fn vulnerabilities(audit: &Audit, rate: u64, risks: &mut Vec<Risk>) {
    let found = &audit.vulnerabilities.findings;
    if found.is_empty() {
        return;
    }
    let mut packages: Vec<(&str, &str)> = found
        .iter()
        .map(|v| (v.package.as_str(), v.version.as_str()))
        .collect();
    packages.sort();
    packages.dedup();
    let worst = found.iter().map(|v| v.severity).max().unwrap_or_default();
    let n = packages.len() as f64;
    risks.push(Risk {
        key: "vulnerable-dependencies".into(),
        category: "dependencies".into(),
        severity: worst,
        title: format!(
            "{} with publicly known security holes ({})",
            plural(packages.len(), "library is in use", "libraries are in use"),
            plural(found.len(), "advisory", "advisories")
        ),
        why: "Known holes are the ones attackers scan for first: the advisory tells them exactly \
              what to try. Most have a fixed version already; staying behind is the risk."
            .into(),
        fix: "Upgrade each to its fixed version (listed in the detail), run the tests, and turn \
              on automated dependency updates."
            .into(),
        cost: cost(0.5 * n + 1.0, 2.0 * n + 2.0, rate),
        evidence: found
            .iter()
            .map(|v| {
                let fixed = if v.fixed_in.is_empty() {
                    "no fixed version yet".to_string()
                } else {
                    format!("fixed in {}", v.fixed_in.join(", "))
                };
                format!(
                    "{} {} {}: {} ({fixed})",
                    v.package, v.version, v.id, v.summary
                )
            })
            .collect(),
    });
}

fn migrations(audit: &Audit, rate: u64, risks: &mut Vec<Risk>) {
    let found: Vec<_> = audit
        .data
        .migration_findings
        .iter()
        .filter(|f| f.severity >= fcto_review::Severity::Warning)
        .collect();
    if found.is_empty() {
        return;
    }
    let errors = found
        .iter()
        .filter(|f| f.severity == fcto_review::Severity::Error)
        .count();
    risks.push(Risk {
        key: "risky-migrations".into(),
        category: "data".into(),
        severity: if errors > 0 {
            Severity::High
        } else {
            Severity::Medium
        },
        title: format!(
            "{} would lock or rewrite tables as data grows",
            plural(found.len(), "database change", "database changes")
        ),
        why: "Written this way, schema changes block the app's reads or writes while they run. \
              On today's data that may be seconds; at ten times the customers it is an outage \
              during every release."
            .into(),
        fix: "Adopt the safe patterns in the detail (indexes built concurrently, constraints \
              added NOT VALID then validated, columns backfilled in batches) and check new \
              migrations with `fcto review` in CI."
            .into(),
        cost: cost(
            2.0 + found.len() as f64 * 0.5,
            4.0 + found.len() as f64 * 1.5,
            rate,
        ),
        evidence: found
            .iter()
            .map(|f| format!("{}:{} {}", f.path, f.line, f.message))
            .collect(),
    });
}

fn bus_factor(audit: &Audit, rate: u64, risks: &mut Vec<Risk>) {
    let mut single = Vec::new();
    for root in &audit.history {
        let Some(summary) = &root.summary else {
            continue;
        };
        let Some(components) = summary.get("components").and_then(|c| c.as_array()) else {
            continue;
        };
        for component in components {
            let bus = component.get("bus_factor").and_then(|b| b.as_u64());
            let name = component
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("?");
            let owner = component
                .get("authors")
                .and_then(|o| o.as_array())
                .and_then(|o| o.first())
                .and_then(|o| o.get("name").or_else(|| o.get("author")))
                .and_then(|n| n.as_str())
                .unwrap_or("one person");
            let changes = component
                .get("changes")
                .and_then(|c| c.as_u64())
                .unwrap_or(0);
            let recent = component.get("window").and_then(|w| w.as_str()) == Some("recent");
            // A component nobody touched this year, or touched twice, is
            // not where a single owner hurts.
            if bus == Some(1) && recent && changes >= 10 {
                let prefix = if root.root.is_empty() {
                    String::new()
                } else {
                    format!("{}/", root.root)
                };
                single.push(format!("{prefix}{name}: {owner}"));
            }
        }
    }
    if single.is_empty() {
        return;
    }
    let n = single.len() as f64;
    risks.push(Risk {
        key: "bus-factor-one".into(),
        category: "people".into(),
        severity: Severity::High,
        title: format!(
            "{} depend on a single person",
            plural(
                single.len(),
                "part of the system is understood by one person and could",
                "parts of the system"
            )
        ),
        why: "If that person leaves, falls ill or is simply busy, nobody else can safely change \
              that part; fixes slow down or stop, and handover costs multiply."
            .into(),
        fix: "Pair a second developer on the next changes there, write a short runbook, and \
              require a second reviewer on its pull requests."
            .into(),
        cost: cost(8.0 * n, 24.0 * n, rate),
        evidence: single,
    });
}

fn infrastructure(audit: &Audit, rate: u64, risks: &mut Vec<Risk>) {
    let warnings = &audit.infrastructure.warnings;
    let group = |needles: &[&str]| -> Vec<String> {
        warnings
            .iter()
            .filter(|w| needles.iter().any(|n| w.rule.contains(n)))
            .map(|w| format!("{}:{} {}", w.path, w.line, w.message))
            .collect()
    };
    let end_of_life = group(&["end_of_life"]);
    if !end_of_life.is_empty() {
        risks.push(Risk {
            key: "end-of-life-runtime".into(),
            category: "infrastructure".into(),
            severity: Severity::High,
            title: format!(
                "{} on software that no longer gets security fixes",
                plural(end_of_life.len(), "service runs", "services run")
            ),
            why: "End-of-life runtimes and base images get no patches: every hole found from now \
                  on stays open, and upgrading later means jumping several versions at once."
                .into(),
            fix: "Move each to a supported version, one service at a time, behind the tests."
                .into(),
            cost: cost(
                4.0 * end_of_life.len() as f64,
                16.0 * end_of_life.len() as f64,
                rate,
            ),
            evidence: end_of_life,
        });
    }
    let supply = group(&["latest", "untagged", "not_pinned"]);
    if !supply.is_empty() {
        risks.push(Risk {
            key: "unpinned-build-inputs".into(),
            category: "infrastructure".into(),
            severity: Severity::Medium,
            title: format!(
                "{} can change under the business without anyone deciding to",
                plural(supply.len(), "build input", "build inputs")
            ),
            why: "Images tagged `latest` and CI actions referenced by a movable tag are replaced \
                  upstream without notice: a build that worked yesterday can break or, if the \
                  upstream is compromised, ship someone else's code."
                .into(),
            fix: "Pin images to a version (and digest in production) and third-party CI actions \
                  to a commit SHA; let a bot propose updates."
                .into(),
            cost: cost(1.0, 2.0 + supply.len() as f64 * 0.25, rate),
            evidence: supply,
        });
    }
    let privilege = group(&["root", "privileged", "host_network"]);
    if !privilege.is_empty() {
        risks.push(Risk {
            key: "containers-run-as-root".into(),
            category: "infrastructure".into(),
            severity: Severity::Medium,
            title: format!(
                "{} with more power than it needs",
                plural(privilege.len(), "container runs", "containers run")
            ),
            why: "A container running as root (or privileged) turns any bug in the app into \
                  control of the machine it runs on."
                .into(),
            fix: "Add a non-root USER to each image and drop privileged/host-network settings."
                .into(),
            cost: cost(
                1.0 * privilege.len() as f64,
                3.0 * privilege.len() as f64,
                rate,
            ),
            evidence: privilege,
        });
    }
    let has_code = audit.languages.total.code > 0;
    let has_ci = audit.infrastructure.files.iter().any(|f| {
        matches!(
            f.kind.as_str(),
            "github_actions"
                | "gitlab_ci"
                | "circle_ci"
                | "bitbucket"
                | "azure_pipelines"
                | "jenkins"
        )
    });
    if has_code && !has_ci && audit.roots.iter().all(|r| r.files > 0) {
        risks.push(Risk {
            key: "no-ci".into(),
            category: "infrastructure".into(),
            severity: Severity::Medium,
            title: "Nothing checks a change automatically before it goes live".into(),
            why: "With no CI pipeline, tests only run when someone remembers, and a broken change \
                  is found by customers."
                .into(),
            fix: "Add a pipeline that builds, tests and scans every pull request.".into(),
            cost: cost(4.0, 12.0, rate),
            evidence: vec![
                "no GitHub Actions, GitLab CI, CircleCI or Bitbucket Pipelines file found".into(),
            ],
        });
    }
}

#[cfg(test)]
mod secret_risk_tests {
    use super::*;
    use crate::model::SecretRecord;

    fn found(path: &str) -> SecretRecord {
        SecretRecord {
            path: path.into(),
            line: 1,
            rule: "private-key".into(),
            title: "Private key".into(),
            severity: Severity::High,
            ..SecretRecord::default()
        }
    }

    #[test]
    fn keys_in_tests_are_a_low_risk_apart_from_live_ones() {
        assert!(is_test_material("pkg/tls/tlsmanager_test.go"));
        assert!(is_test_material("integration/fixtures/https/ca1.key"));
        assert!(is_test_material("docs/content/jwt.md"));
        assert!(is_test_material("tests/test_api.py") && is_test_material("src/app.spec.ts"));
        assert!(!is_test_material(".env.production"));
        assert!(!is_test_material("config/settings.py"));
        assert!(
            !is_test_material("contest/app.py"),
            "a folder named like test is not one"
        );

        let mut audit = Audit::default();
        audit.secrets.findings = vec![found("tests/certs/server.key"), found("docs/example.md")];
        let risks = rank(&audit, 800);
        let keys: Vec<(&str, Severity)> =
            risks.iter().map(|r| (r.key.as_str(), r.severity)).collect();
        assert_eq!(keys, vec![("secrets-in-tests", Severity::Low)]);

        audit.secrets.findings.push(found(".env.production"));
        let risks = rank(&audit, 800);
        let keys: Vec<(&str, Severity)> =
            risks.iter().map(|r| (r.key.as_str(), r.severity)).collect();
        assert_eq!(
            keys,
            vec![
                ("secrets-in-code", Severity::Critical),
                ("secrets-in-tests", Severity::Low)
            ]
        );
        assert_eq!(risks[0].evidence.len(), 1);
    }
}
