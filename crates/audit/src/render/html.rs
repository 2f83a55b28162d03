//! The report as one standalone HTML file (no scripts, no external assets)
//! with SVG charts, for a founder to open or forward.

use maud::{html as page, Markup, PreEscaped, DOCTYPE};
use serde_json::Value;

use super::{cost_text, key_facts, size, subject, thousands, TOP_RISKS};
use crate::model::{Audit, RootHistory};

const STYLE: &str = "
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;color:#1d2433;max-width:980px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #dde2ea;padding-bottom:.2rem}
.meta{color:#5b6475}table{border-collapse:collapse;width:100%;margin:.6rem 0 1.2rem;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff4;vertical-align:top}th{background:#f5f7fa}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.risk{border-left:4px solid #c0392b;padding:.4rem .8rem;margin:.8rem 0;background:#fdf6f5}
.risk.medium{border-color:#e67e22;background:#fef9f3}.risk.low{border-color:#7f8c8d;background:#f7f8f8}
.risk h3{margin:.1rem 0;font-size:1.05rem}.sev{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:#5b6475}
code{background:#f1f3f6;padding:0 .25rem;border-radius:3px}svg text{font:12px system-ui,sans-serif;fill:#1d2433}
";

pub fn html(audit: &Audit) -> String {
    let files: u64 = audit.roots.iter().map(|r| r.files).sum();
    let bytes: u64 = audit.roots.iter().map(|r| r.bytes).sum();
    let markup = page! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Technology audit: " (subject(audit)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Technology audit: " (subject(audit)) }
                p.meta { "Audited " (audit.started_at) " by " (audit.tool) ": " (thousands(files)) " files (" (size(bytes)) ")." }
                h2 { "Summary" }
                @if audit.risks.is_empty() {
                    p { "No urgent risks found in what could be scanned." }
                }
                @for risk in audit.risks.iter().take(TOP_RISKS) {
                    (risk_block(risk))
                }
                ul { @for fact in key_facts(audit) { li { (fact) } } }
                (languages(audit))
                (dependencies(audit))
                (vulnerabilities(audit))
                (secrets(audit))
                (infrastructure(audit))
                (data(audit))
                (history(audit))
                (notes(audit))
                @if audit.risks.len() > TOP_RISKS {
                    h2 { "Other risks" }
                    @for risk in audit.risks.iter().skip(TOP_RISKS) { (risk_block(risk)) }
                }
                @if !audit.risks.is_empty() {
                    h2 { "Evidence for each risk" }
                    @for risk in &audit.risks {
                        h3 { (risk.title) }
                        ul { @for e in risk.evidence.iter().take(50) { li { (e) } } }
                    }
                }
                @if !audit.warnings.is_empty() {
                    h2 { "Files the audit could not read" }
                    table { tr { th { "File" } th { "Problem" } }
                        @for w in &audit.warnings { tr { td { code { (w.path) } } td { (w.message) } } } }
                }
            }
        }
    };
    markup.into_string()
}

fn risk_block(risk: &crate::model::Risk) -> Markup {
    let class = match risk.severity {
        crate::model::Severity::Critical | crate::model::Severity::High => "risk",
        crate::model::Severity::Medium => "risk medium",
        crate::model::Severity::Low => "risk low",
    };
    page! {
        div class=(class) {
            span.sev { (risk.severity.as_str()) }
            h3 { (risk.title) }
            p { (risk.why) }
            p { strong { "Fix: " } (risk.fix) }
            p { strong { "Rough cost: " } (cost_text(&risk.cost)) }
        }
    }
}

/// Horizontal bars, one per (label, value), scaled to the largest.
fn bar_chart(rows: &[(String, u64)]) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let height = rows.len() * 22 + 4;
    page! {
        svg width="100%" height=(height) viewBox=(format!("0 0 700 {height}")) role="img" {
            @for (i, (label, value)) in rows.iter().enumerate() {
                @let y = i * 22 + 2;
                @let width = ((*value as f64 / max) * 480.0).max(1.0);
                text x="0" y=(y + 14) { (label) }
                rect x="150" y=(y + 2) width=(format!("{width:.1}")) height="16" fill="#3b6fb6" {}
                text x=(format!("{:.1}", 156.0 + width)) y=(y + 14) { (thousands(*value)) }
            }
        }
    }
}

fn languages(audit: &Audit) -> Markup {
    let l = &audit.languages;
    let chart: Vec<(String, u64)> = l
        .rows
        .iter()
        .take(12)
        .map(|r| (r.language.clone(), r.code))
        .collect();
    page! {
        @if !l.rows.is_empty() {
            h2 { "Languages and size" }
            (bar_chart(&chart))
            table {
                tr { th { "Language" } th.n { "Files" } th.n { "Code" } th.n { "Comments" } th.n { "Blank" } }
                @for r in &l.rows {
                    tr { td { (r.language) } td.n { (thousands(r.files)) } td.n { (thousands(r.code)) } td.n { (thousands(r.comments)) } td.n { (thousands(r.blanks)) } }
                }
                tr { th { "Total" } th.n { (thousands(l.total.files)) } th.n { (thousands(l.total.code)) } th.n { (thousands(l.total.comments)) } th.n { (thousands(l.total.blanks)) } }
            }
        }
    }
}

fn dependencies(audit: &Audit) -> Markup {
    let d = &audit.dependencies;
    page! {
        @if !d.manifests.is_empty() {
            h2 { "Dependencies" }
            p { (thousands(d.components.len() as u64)) " components from " (d.manifests.len()) " files. The full list is in the CycloneDX SBOM." }
            table {
                tr { th { "File" } th { "Format" } th.n { "Components" } }
                @for m in &d.manifests { tr { td { code { (m.path) } } td { (m.kind) } td.n { (m.components) } } }
            }
        }
    }
}

fn vulnerabilities(audit: &Audit) -> Markup {
    let v = &audit.vulnerabilities;
    page! {
        h2 { "Known vulnerabilities" }
        @if v.advisories_known == 0 {
            p { "Not checked: no advisories in the store (" code { "fcto osv import" } ")." }
        } @else if v.findings.is_empty() {
            p { "None of the components matches any of the " (thousands(v.advisories_known)) " advisories known." }
        } @else {
            table {
                tr { th { "Severity" } th { "Advisory" } th { "Package" } th { "Fixed in" } th { "Summary" } }
                @for f in &v.findings {
                    tr { td { (f.severity.as_str()) } td { (f.id) } td { (f.package) " " (f.version) } td { (f.fixed_in.join(", ")) } td { (f.summary) } }
                }
            }
        }
    }
}

fn secrets(audit: &Audit) -> Markup {
    let s = &audit.secrets;
    page! {
        h2 { "Secrets" }
        @if s.findings.is_empty() { p { "No secrets found." } }
        @else {
            table {
                tr { th { "Where" } th { "What" } th { "Severity" } th { "Value (redacted)" } }
                @for f in &s.findings {
                    tr { td { code { (f.path) ":" (f.line) } } td { (f.title) } td { (f.severity.as_str()) } td { code { (f.redacted) } } }
                }
            }
        }
        @if !s.allowed.is_empty() {
            p { "Accepted by the allowlist: " (s.allowed.len()) "." }
        }
    }
}

/// Walk fcto-infra's landscape JSON: (service, where it runs, what it
/// talks to), each as display text.
pub(crate) fn landscape_rows(landscape: &Value, mut each: impl FnMut(&str, &str, &str)) {
    let Some(services) = landscape.get("services").and_then(Value::as_array) else {
        return;
    };
    let list = |v: Option<&Value>| -> String {
        let items: Vec<String> = v
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| {
                        x.as_str()
                            .or_else(|| x.get("display").and_then(Value::as_str))
                            .or_else(|| x.get("target").and_then(Value::as_str))
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        if items.is_empty() {
            "nothing recorded".into()
        } else {
            items.join(", ")
        }
    };
    for service in services {
        let name = service.get("name").and_then(Value::as_str).unwrap_or("?");
        each(
            name,
            &list(service.get("runs_on")),
            &list(service.get("talks_to")),
        );
    }
}

fn infrastructure(audit: &Audit) -> Markup {
    let i = &audit.infrastructure;
    let mut rows = Vec::new();
    landscape_rows(&i.landscape, |s, r, t| {
        rows.push((s.to_string(), r.to_string(), t.to_string()))
    });
    page! {
        @if !i.files.is_empty() {
            h2 { "What runs where" }
            @if !rows.is_empty() {
                table {
                    tr { th { "Service" } th { "Runs on" } th { "Talks to" } }
                    @for (s, r, t) in &rows { tr { td { (s) } td { (r) } td { (t) } } }
                }
            }
            table {
                tr { th { "File" } th { "Kind" } }
                @for f in &i.files { tr { td { code { (f.path) } } td { (f.kind) } } }
            }
            @if !i.warnings.is_empty() {
                table {
                    tr { th { "Where" } th { "Problem" } th { "Why it matters" } }
                    @for w in &i.warnings { tr { td { code { (w.path) ":" (w.line) } } td { (w.message) } td { (w.why) } } }
                }
            }
        }
    }
}

fn data(audit: &Audit) -> Markup {
    let d = &audit.data;
    page! {
        @if !d.databases.is_empty() || !d.migrations.is_empty() {
            h2 { "Data" }
            @if !d.databases.is_empty() {
                table { tr { th { "Database" } th { "Seen in" } }
                    @for db in &d.databases { tr { td { (db.engine) } td { (db.evidence.join("; ")) } } } }
            }
            @if !d.migrations.is_empty() {
                table { tr { th { "Schema and migrations" } th.n { "Files" } th { "For example" } }
                    @for m in &d.migrations { tr { td { (m.framework) } td.n { (m.files) } td { (m.examples.join(", ")) } } } }
            }
            @if !d.migration_findings.is_empty() {
                table { tr { th { "Where" } th { "Rule" } th { "Risk" } }
                    @for f in &d.migration_findings { tr { td { code { (f.path) ":" (f.line) } } td { (f.rule) } td { (f.message) } } } }
            }
        }
    }
}

/// Headline figures of one root's history as (label, value) pairs.
pub(crate) fn history_facts(root: &RootHistory, mut each: impl FnMut(&str, String)) {
    let Some(summary) = &root.summary else {
        return;
    };
    let number = |key: &str| summary.get(key).and_then(Value::as_u64);
    if let Some(commits) = number("commits") {
        each("Commits", thousands(commits));
    }
    if let Some(authors) = summary.get("authors").and_then(Value::as_array) {
        each("Authors", authors.len().to_string());
    }
    if let Some(share) = summary.get("top_author_share").and_then(Value::as_f64) {
        each(
            "Top author's share of recent changes",
            format!("{:.0}%", share * 100.0),
        );
    }
    if let Some(share) = summary
        .get("single_author_file_share")
        .and_then(Value::as_f64)
    {
        each(
            "Files only one person has ever touched",
            format!("{:.0}%", share * 100.0),
        );
    }
}

fn facts_of(root: &RootHistory) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    history_facts(root, |label, value| facts.push((label.to_string(), value)));
    facts
}

/// One row per top-level component: name, bus factor, main authors, last
/// change, recent changes.
pub(crate) fn component_rows(root: &RootHistory) -> Vec<Vec<String>> {
    let Some(components) = root
        .summary
        .as_ref()
        .and_then(|s| s.get("components"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    components
        .iter()
        .map(|c| {
            let text = |key: &str| {
                c.get(key)
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .unwrap_or_default()
            };
            let owners: Vec<String> = c
                .get("authors")
                .and_then(Value::as_array)
                .map(|o| {
                    o.iter()
                        .take(3)
                        .map(|owner| {
                            let name = owner
                                .get("name")
                                .or_else(|| owner.get("author"))
                                .and_then(Value::as_str)
                                .unwrap_or("?");
                            let share = owner.get("share").and_then(Value::as_f64).unwrap_or(0.0);
                            format!("{name} {:.0}%", share * 100.0)
                        })
                        .collect()
                })
                .unwrap_or_default();
            vec![
                text("name"),
                text("bus_factor"),
                owners.join(", "),
                c.get("last_activity")
                    .and_then(Value::as_i64)
                    .map(date)
                    .unwrap_or_default(),
                format!(
                    "{}{}",
                    text("changes"),
                    if c.get("window").and_then(Value::as_str) == Some("all") {
                        " (all time)"
                    } else {
                        ""
                    }
                ),
            ]
        })
        .collect()
}

fn history(audit: &Audit) -> Markup {
    page! {
        @if !audit.history.is_empty() {
            h2 { "Git history" }
            @for root in &audit.history {
                @if !root.root.is_empty() { h3 { (root.root) } }
                @if let Some(note) = &root.note { p { (note) } }
                @let facts = facts_of(root);
                ul { @for (l, v) in &facts { li { (l) ": " (v) } } }
                @let months = monthly(root);
                @if !months.is_empty() { (bar_chart(&months)) }
                @let rows = component_rows(root);
                @if !rows.is_empty() {
                    table {
                        tr { th { "Component" } th.n { "Bus factor" } th { "Main authors" } th { "Last change" } th.n { "Recent changes" } }
                        @for r in &rows { tr { @for (i, c) in r.iter().enumerate() { @if i == 1 || i == 4 { td.n { (c) } } @else { td { (c) } } } } }
                    }
                }
                @if !root.hotspots.is_empty() {
                    table { tr { th { "Hotspot" } th.n { "Changes" } th.n { "Lines" } }
                        @for h in &root.hotspots { tr { td { code { (h.path) } } td.n { (h.changes) } td.n { (thousands(h.lines)) } } } }
                }
            }
        }
    }
}

/// Commits per month for the last 24 months of a root's history.
fn monthly(root: &RootHistory) -> Vec<(String, u64)> {
    let Some(months) = root
        .summary
        .as_ref()
        .and_then(|s| s.get("months"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let rows: Vec<(String, u64)> = months
        .iter()
        .filter_map(|m| {
            Some((
                m.get("month")?.as_str()?.to_string(),
                m.get("commits")?.as_u64()?,
            ))
        })
        .collect();
    rows[rows.len().saturating_sub(24)..].to_vec()
}

fn notes(audit: &Audit) -> Markup {
    page! {
        @if !audit.notes.is_empty() {
            h2 { "From the CTO" }
            @for section in crate::model::NOTE_SECTIONS {
                @let notes: Vec<_> = audit.notes.iter().filter(|n| n.section == *section).collect();
                @if !notes.is_empty() {
                    h3 { (crate::model::note_title(section)) }
                    ul { @for n in notes { li { (n.text) } } }
                }
            }
        }
    }
}

/// Unix seconds as a calendar date (UTC), without a date crate.
pub(crate) fn date(unix: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
