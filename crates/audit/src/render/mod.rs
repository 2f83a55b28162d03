//! The audit as a report: Markdown and a standalone HTML page for people,
//! JSON for programs, SARIF for code-scanning tools.

mod html;
mod markdown;
mod sarif;

pub use html::html;
pub use markdown::markdown;
pub use sarif::sarif;

use crate::model::Audit;

/// How many risks the founder's page shows before "the rest".
pub const TOP_RISKS: usize = 5;

/// "12.3 MB", "4.0 KB": sizes a founder reads.
pub(crate) fn size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

/// 1234567 -> "1,234,567".
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn hours(h: f64) -> String {
    if (h - h.round()).abs() < 1e-9 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

/// "2–6 hours (£200–£600)", or days once it is more than two days' work.
pub(crate) fn cost_text(cost: &crate::model::Cost) -> String {
    let span = if cost.hours_high > 16.0 {
        format!(
            "{}–{} days",
            hours(cost.hours_low / 8.0),
            hours(cost.hours_high / 8.0)
        )
    } else {
        format!("{}–{} hours", hours(cost.hours_low), hours(cost.hours_high))
    };
    format!(
        "{span} (£{}–£{})",
        thousands(cost.gbp_low),
        thousands(cost.gbp_high)
    )
}

/// Who the report is about: the client, else the folders.
pub(crate) fn subject(audit: &Audit) -> String {
    match &audit.client {
        Some(client) => client.clone(),
        None => audit
            .roots
            .iter()
            .map(|r| r.path.clone())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The one-paragraph facts line under the founder's risks.
pub(crate) fn key_facts(audit: &Audit) -> Vec<String> {
    let mut facts = Vec::new();
    let langs = &audit.languages;
    if langs.total.code > 0 {
        let top: Vec<&str> = langs
            .rows
            .iter()
            .take(3)
            .map(|r| r.language.as_str())
            .collect();
        facts.push(format!(
            "{} lines of code in {} languages (mostly {})",
            thousands(langs.total.code),
            langs.rows.len(),
            top.join(", ")
        ));
    }
    let deps = &audit.dependencies.components;
    if !deps.is_empty() {
        let direct = deps.iter().filter(|c| c.direct == Some(true)).count();
        facts.push(format!(
            "{} third-party libraries ({} chosen directly) from {} lockfiles and manifests",
            thousands(deps.len() as u64),
            direct,
            audit.dependencies.manifests.len()
        ));
    }
    if audit.vulnerabilities.advisories_known == 0 {
        facts.push(
            "known vulnerabilities were not checked: no advisories imported (`fcto osv import`)"
                .into(),
        );
    } else {
        facts.push(format!(
            "{} known vulnerabilities (checked against {} advisories)",
            audit.vulnerabilities.findings.len(),
            thousands(audit.vulnerabilities.advisories_known)
        ));
    }
    facts.push(format!(
        "{} secrets in the code",
        audit.secrets.findings.len()
    ));
    if !audit.data.databases.is_empty() {
        let engines: Vec<&str> = audit
            .data
            .databases
            .iter()
            .map(|d| d.engine.as_str())
            .collect();
        facts.push(format!("databases: {}", engines.join(", ")));
    }
    facts
}

/// `fcto audit diff` as text.
pub fn diff_text(diff: &crate::diff::AuditDiff, from: i64, to: i64) -> String {
    use std::fmt::Write;
    let mut out = format!("Audit {from} ({}) -> audit {to} ({})\n", diff.from, diff.to);
    if diff.is_empty() {
        out.push_str("Nothing changed.\n");
        return out;
    }
    let mut list = |title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(out, "\n{title}:");
            for item in items {
                let _ = writeln!(out, "  {item}");
            }
        }
    };
    list("New risks", &diff.risks_new);
    list("Risks gone", &diff.risks_gone);
    let secrets = |s: &[crate::model::SecretRecord]| -> Vec<String> {
        s.iter()
            .map(|s| format!("{}:{} {} ({})", s.path, s.line, s.title, s.redacted))
            .collect()
    };
    list("New secrets", &secrets(&diff.secrets_new));
    list("Secrets removed", &secrets(&diff.secrets_removed));
    list("New vulnerabilities", &diff.vulnerabilities_new);
    list("Vulnerabilities fixed", &diff.vulnerabilities_fixed);
    let changed: Vec<String> = diff
        .components_changed
        .iter()
        .map(|c| {
            format!(
                "{} {}: {} -> {}",
                c.ecosystem,
                c.name,
                c.before.join(", "),
                c.after.join(", ")
            )
        })
        .collect();
    list("Dependencies upgraded or downgraded", &changed);
    list("Dependencies added", &diff.components_added);
    list("Dependencies removed", &diff.components_removed);
    list("Infrastructure files added", &diff.infrastructure_added);
    list("Infrastructure files removed", &diff.infrastructure_removed);
    let languages: Vec<String> = diff
        .languages
        .iter()
        .map(|l| {
            format!(
                "{}: {} -> {} lines of code",
                l.language,
                thousands(l.code_before),
                thousands(l.code_after)
            )
        })
        .collect();
    list("Code", &languages);
    let migrations: Vec<String> = diff
        .migrations
        .iter()
        .map(|m| format!("{}: {} -> {} files", m.name, m.before, m.after))
        .collect();
    list("Migrations", &migrations);
    out
}

/// The dependencies as a CycloneDX 1.5 SBOM, with the vulnerabilities
/// found; `serial` is the BOM's UUID (the caller makes it, so the library
/// stays free of randomness).
pub fn cyclonedx(audit: &Audit, serial: &str) -> serde_json::Value {
    let components: Vec<fcto_sbom::Component> = audit
        .dependencies
        .components
        .iter()
        .filter_map(|c| {
            let ecosystem = fcto_sbom::Ecosystem::ALL
                .into_iter()
                .find(|e| e.osv_name() == c.ecosystem)?;
            let mut component =
                fcto_sbom::Component::new(ecosystem, &c.name, &c.version, &c.sources.join(", "));
            component.purl = c.purl.clone();
            component.direct = c.direct;
            component.dev = c.dev;
            Some(component)
        })
        .collect();
    let vulnerabilities: Vec<fcto_sbom::cyclonedx::BomVulnerability> = audit
        .vulnerabilities
        .findings
        .iter()
        .map(|v| fcto_sbom::cyclonedx::BomVulnerability {
            id: v.id.clone(),
            source_url: Some(format!("https://osv.dev/vulnerability/{}", v.id)),
            summary: v.summary.clone(),
            severity: Some(v.severity.as_str().to_string()),
            affects_purl: v.purl.clone(),
            fixed_in: v.fixed_in.clone(),
        })
        .collect();
    let meta = fcto_sbom::cyclonedx::BomMeta {
        serial_number: format!("urn:uuid:{serial}"),
        timestamp: audit.started_at.clone(),
        tool_version: audit.tool.trim_start_matches("fcto ").to_string(),
        subject: subject(audit),
    };
    fcto_sbom::cyclonedx::to_json(&meta, &components, &vulnerabilities)
}
