//! The report as Markdown: a founder's page first, then the detail.

use std::fmt::Write;

use super::{cost_text, key_facts, size, subject, thousands, TOP_RISKS};
use crate::model::{Audit, Risk};

/// A table cell: no pipes or line breaks from the data may end the cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        headers.iter().map(|_| "---|").collect::<String>()
    );
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn risk(out: &mut String, n: usize, risk: &Risk) {
    let _ = writeln!(
        out,
        "{n}. **{}** ({}).\n   {}\n   *Fix:* {}\n   *Rough cost:* {}.",
        risk.title,
        risk.severity.as_str(),
        risk.why,
        risk.fix,
        cost_text(&risk.cost)
    );
}

pub fn markdown(audit: &Audit) -> String {
    let mut out = String::new();
    let files: u64 = audit.roots.iter().map(|r| r.files).sum();
    let bytes: u64 = audit.roots.iter().map(|r| r.bytes).sum();
    let _ = writeln!(out, "# Technology audit: {}\n", subject(audit));
    let _ = writeln!(
        out,
        "Audited {} by {}: {} files ({}) in {}.\n",
        audit.started_at,
        audit.tool,
        thousands(files),
        size(bytes),
        audit
            .roots
            .iter()
            .map(|r| format!("`{}`", r.path))
            .collect::<Vec<_>>()
            .join(", ")
    );

    out.push_str("## Summary\n\n");
    if audit.risks.is_empty() {
        out.push_str("No urgent risks found in what could be scanned.\n\n");
    } else {
        let _ = writeln!(
            out,
            "The {} that matter most, in order:\n",
            if audit.risks.len() == 1 {
                "risk"
            } else {
                "risks"
            }
        );
        for (i, r) in audit.risks.iter().take(TOP_RISKS).enumerate() {
            risk(&mut out, i + 1, r);
        }
        out.push('\n');
    }
    out.push_str("In figures:\n\n");
    for fact in key_facts(audit) {
        let _ = writeln!(out, "- {fact}");
    }
    out.push('\n');

    languages(&mut out, audit);
    dependencies(&mut out, audit);
    vulnerabilities(&mut out, audit);
    secrets(&mut out, audit);
    infrastructure(&mut out, audit);
    data(&mut out, audit);
    history(&mut out, audit);
    notes(&mut out, audit);

    if audit.risks.len() > TOP_RISKS {
        out.push_str("## Other risks\n\n");
        for (i, r) in audit.risks.iter().enumerate().skip(TOP_RISKS) {
            risk(&mut out, i + 1, r);
        }
        out.push('\n');
    }
    if !audit.risks.is_empty() {
        out.push_str("## Evidence for each risk\n\n");
        for r in &audit.risks {
            let _ = writeln!(out, "### {}\n", r.title);
            for e in r.evidence.iter().take(50) {
                let _ = writeln!(out, "- {}", e.replace('\n', " "));
            }
            if r.evidence.len() > 50 {
                let _ = writeln!(
                    out,
                    "- … and {} more (see the JSON report)",
                    r.evidence.len() - 50
                );
            }
            out.push('\n');
        }
    }
    if !audit.warnings.is_empty() {
        out.push_str("## Files the audit could not read\n\n");
        let rows: Vec<Vec<String>> = audit
            .warnings
            .iter()
            .map(|w| vec![w.path.clone(), w.message.clone()])
            .collect();
        table(&mut out, &["File", "Problem"], &rows);
    }
    out
}

fn languages(out: &mut String, audit: &Audit) {
    let l = &audit.languages;
    if l.rows.is_empty() {
        return;
    }
    out.push_str("## Languages and size\n\n");
    let mut rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|r| {
            vec![
                r.language.clone(),
                thousands(r.files),
                thousands(r.code),
                thousands(r.comments),
                thousands(r.blanks),
            ]
        })
        .collect();
    rows.push(vec![
        "**Total**".into(),
        thousands(l.total.files),
        thousands(l.total.code),
        thousands(l.total.comments),
        thousands(l.total.blanks),
    ]);
    table(
        out,
        &["Language", "Files", "Code", "Comments", "Blank"],
        &rows,
    );
}

fn dependencies(out: &mut String, audit: &Audit) {
    let d = &audit.dependencies;
    if d.manifests.is_empty() {
        return;
    }
    out.push_str("## Dependencies\n\n");
    let mut by_ecosystem: std::collections::BTreeMap<&str, (u64, u64)> = Default::default();
    for c in &d.components {
        let entry = by_ecosystem.entry(c.ecosystem.as_str()).or_default();
        entry.0 += 1;
        if c.direct == Some(true) {
            entry.1 += 1;
        }
    }
    let rows: Vec<Vec<String>> = by_ecosystem
        .iter()
        .map(|(eco, (all, direct))| vec![eco.to_string(), thousands(*all), thousands(*direct)])
        .collect();
    table(out, &["Ecosystem", "Components", "Direct"], &rows);
    let rows: Vec<Vec<String>> = d
        .manifests
        .iter()
        .map(|m| vec![m.path.clone(), m.kind.clone(), thousands(m.components)])
        .collect();
    table(out, &["File", "Format", "Components"], &rows);
    let direct: Vec<String> = d
        .components
        .iter()
        .filter(|c| c.direct == Some(true))
        .map(|c| {
            if c.version.is_empty() {
                format!("`{}`", c.name)
            } else {
                format!("`{}` {}", c.name, c.version)
            }
        })
        .collect();
    if !direct.is_empty() {
        let _ = writeln!(out, "Chosen directly: {}.\n", direct.join(", "));
    }
    out.push_str("The full list is in the CycloneDX SBOM (`--format cyclonedx`).\n\n");
}

fn vulnerabilities(out: &mut String, audit: &Audit) {
    let v = &audit.vulnerabilities;
    out.push_str("## Known vulnerabilities\n\n");
    if v.advisories_known == 0 {
        out.push_str("Not checked: no advisories in the store. Import osv.dev data with `fcto osv import` and audit again.\n\n");
        return;
    }
    if v.findings.is_empty() {
        let _ = writeln!(
            out,
            "None of the components matches any of the {} advisories known.\n",
            thousands(v.advisories_known)
        );
        return;
    }
    let rows: Vec<Vec<String>> = v
        .findings
        .iter()
        .map(|f| {
            vec![
                f.severity.as_str().into(),
                f.id.clone(),
                format!("{} {}", f.package, f.version),
                f.ecosystem.clone(),
                if f.fixed_in.is_empty() {
                    "no fix yet".into()
                } else {
                    f.fixed_in.join(", ")
                },
                f.summary.clone(),
                f.sources.join(", "),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Severity",
            "Advisory",
            "Package",
            "Ecosystem",
            "Fixed in",
            "Summary",
            "Found in",
        ],
        &rows,
    );
}

fn secrets(out: &mut String, audit: &Audit) {
    let s = &audit.secrets;
    out.push_str("## Secrets\n\n");
    if s.findings.is_empty() {
        out.push_str("No secrets found.\n\n");
    } else {
        out.push_str(
            "Values are redacted; the fingerprint identifies a secret in the allowlist.\n\n",
        );
        let rows: Vec<Vec<String>> = s
            .findings
            .iter()
            .map(|f| {
                vec![
                    format!("{}:{}", f.path, f.line),
                    f.title.clone(),
                    f.severity.as_str().into(),
                    format!("`{}`", f.redacted),
                    f.fingerprint.clone(),
                ]
            })
            .collect();
        table(
            out,
            &["Where", "What", "Severity", "Value", "Fingerprint"],
            &rows,
        );
    }
    if !s.allowed.is_empty() {
        out.push_str("Accepted by the allowlist:\n\n");
        let rows: Vec<Vec<String>> = s
            .allowed
            .iter()
            .map(|f| {
                vec![
                    format!("{}:{}", f.path, f.line),
                    f.title.clone(),
                    f.allowed_because.clone().unwrap_or_default(),
                ]
            })
            .collect();
        table(out, &["Where", "What", "Reason"], &rows);
    }
}

fn infrastructure(out: &mut String, audit: &Audit) {
    let i = &audit.infrastructure;
    if i.files.is_empty() {
        return;
    }
    out.push_str("## What runs where\n\n");
    crate::render::html::landscape_rows(&i.landscape, |service, runs, talks| {
        let _ = writeln!(out, "- **{service}** runs on {runs}; talks to {talks}");
    });
    out.push('\n');
    let rows: Vec<Vec<String>> = i
        .files
        .iter()
        .map(|f| vec![f.path.clone(), f.kind.clone()])
        .collect();
    table(out, &["File", "Kind"], &rows);
    if !i.warnings.is_empty() {
        let rows: Vec<Vec<String>> = i
            .warnings
            .iter()
            .map(|w| {
                vec![
                    format!("{}:{}", w.path, w.line),
                    w.message.clone(),
                    w.why.clone(),
                ]
            })
            .collect();
        table(out, &["Where", "Problem", "Why it matters"], &rows);
    }
}

fn data(out: &mut String, audit: &Audit) {
    let d = &audit.data;
    if d.databases.is_empty() && d.migrations.is_empty() {
        return;
    }
    out.push_str("## Data\n\n");
    if !d.databases.is_empty() {
        let rows: Vec<Vec<String>> = d
            .databases
            .iter()
            .map(|db| vec![db.engine.clone(), db.evidence.join("; ")])
            .collect();
        table(out, &["Database", "Seen in"], &rows);
    }
    if !d.migrations.is_empty() {
        let rows: Vec<Vec<String>> = d
            .migrations
            .iter()
            .map(|m| {
                vec![
                    m.framework.clone(),
                    thousands(m.files),
                    m.examples.join(", "),
                ]
            })
            .collect();
        table(
            out,
            &["Schema and migrations", "Files", "For example"],
            &rows,
        );
    }
    if !d.migration_findings.is_empty() {
        let rows: Vec<Vec<String>> = d
            .migration_findings
            .iter()
            .map(|f| {
                vec![
                    format!("{}:{}", f.path, f.line),
                    f.rule.clone(),
                    f.message.clone(),
                ]
            })
            .collect();
        table(out, &["Where", "Rule", "Risk"], &rows);
    }
}

/// The last twelve months with commits: month, commits, distinct authors.
fn recent_months(root: &crate::model::RootHistory) -> Vec<Vec<String>> {
    let Some(months) = root
        .summary
        .as_ref()
        .and_then(|s| s.get("months"))
        .and_then(serde_json::Value::as_array)
    else {
        return Vec::new();
    };
    let rows: Vec<Vec<String>> = months
        .iter()
        .filter_map(|m| {
            Some(vec![
                m.get("month")?.as_str()?.to_string(),
                thousands(m.get("commits")?.as_u64()?),
                thousands(m.get("authors")?.as_u64()?),
            ])
        })
        .collect();
    rows[rows.len().saturating_sub(12)..].to_vec()
}

fn history(out: &mut String, audit: &Audit) {
    if audit.history.is_empty() {
        return;
    }
    out.push_str("## Git history\n\n");
    for root in &audit.history {
        if !root.root.is_empty() {
            let _ = writeln!(out, "### {}\n", root.root);
        }
        if let Some(note) = &root.note {
            let _ = writeln!(out, "{note}\n");
        }
        crate::render::html::history_facts(root, |label, value| {
            let _ = writeln!(out, "- {label}: {value}");
        });
        out.push('\n');
        let months = recent_months(root);
        if !months.is_empty() {
            out.push_str("Commits and authors by month (the last 12 with commits):\n\n");
            table(out, &["Month", "Commits", "Authors"], &months);
        }
        let components = crate::render::html::component_rows(root);
        if !components.is_empty() {
            table(
                out,
                &[
                    "Component",
                    "Bus factor",
                    "Main authors",
                    "Last change",
                    "Recent changes",
                ],
                &components,
            );
        }
        if !root.hotspots.is_empty() {
            let rows: Vec<Vec<String>> = root
                .hotspots
                .iter()
                .map(|h| vec![h.path.clone(), thousands(h.changes), thousands(h.lines)])
                .collect();
            out.push_str("Hotspots (changed most, and large):\n\n");
            table(out, &["File", "Changes", "Lines"], &rows);
        }
        if !root.skills.is_empty() {
            let rows: Vec<Vec<String>> = root
                .skills
                .iter()
                .map(|s| vec![s.author.clone(), s.language.clone(), thousands(s.changes)])
                .collect();
            out.push_str("Skills by authorship:\n\n");
            table(out, &["Author", "Language", "Changes"], &rows);
        }
    }
}

fn notes(out: &mut String, audit: &Audit) {
    if audit.notes.is_empty() {
        return;
    }
    out.push_str("## From the CTO\n\n");
    for section in crate::model::NOTE_SECTIONS {
        let notes: Vec<_> = audit
            .notes
            .iter()
            .filter(|n| n.section == *section)
            .collect();
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", crate::model::note_title(section));
        for n in notes {
            let _ = writeln!(out, "- {}", n.text.replace('\n', "\n  "));
        }
        out.push('\n');
    }
}
