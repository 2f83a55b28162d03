//! The printers: text for a terminal, Markdown for a pull-request comment,
//! SARIF 2.1.0 for code-scanning tools, and the JSON body of a GitHub pull
//! request review. All take the same findings; none decides anything.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::diff::ChangedFile;
use crate::finding::{Finding, Severity};
use crate::route::Warning;

/// Findings sorted the way every printer shows them: by file, line, rule.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.path.as_str(), a.line, a.column, a.rule.as_str()).cmp(&(
            b.path.as_str(),
            b.line,
            b.column,
            b.rule.as_str(),
        ))
    });
}

/// "1 error", "2 errors".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "2 errors, 1 warning, 0 notes": the one summary every printer uses.
fn tally(findings: &[Finding]) -> String {
    let of = |s| findings.iter().filter(|f| f.severity == s).count();
    format!(
        "{}, {}, {}",
        plural(of(Severity::Error), "error"),
        plural(of(Severity::Warning), "warning"),
        plural(of(Severity::Note), "note")
    )
}

fn estimate_line(finding: &Finding) -> Option<String> {
    let e = finding.estimate.as_ref()?;
    Some(format!(
        "{}: {} rows; {} lock (blocks {}) ~{} today, ~{} at 10x",
        finding.table.as_deref().unwrap_or("table"),
        e.rows,
        e.lock,
        e.blocks,
        crate::scale::human_seconds(e.seconds_today),
        crate::scale::human_seconds(e.seconds_at_10x)
    ))
}

/// `path:line:col: severity[rule]: message`, then why and the fix.
pub fn text(findings: &[Finding], warnings: &[Warning], files_reviewed: usize) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            f.path,
            f.line,
            f.column,
            f.severity.as_str(),
            f.rule,
            f.message
        );
        if let Some(line) = estimate_line(f) {
            let _ = writeln!(out, "    at 10x: {line}");
        }
        let _ = writeln!(out, "    why: {}", f.why);
        for (i, line) in f.fix.lines().enumerate() {
            let lead = if i == 0 { "    fix: " } else { "         " };
            let _ = writeln!(out, "{lead}{line}");
        }
    }
    for w in warnings {
        let _ = writeln!(
            out,
            "{}:{}:{}: warning: {}",
            w.path, w.line, w.column, w.message
        );
    }
    let _ = writeln!(
        out,
        "{} reviewed: {}{}",
        plural(files_reviewed, "file"),
        tally(findings),
        if warnings.is_empty() {
            String::new()
        } else {
            format!(", {} could not be read fully", warnings.len())
        }
    );
    out
}

/// A pull-request summary comment.
pub fn markdown(findings: &[Finding], warnings: &[Warning], files_reviewed: usize) -> String {
    let mut out = String::from("## fcto review\n\n");
    if findings.is_empty() {
        let _ = writeln!(
            out,
            "No findings in {}: nothing here should hurt at 10x data.\n",
            plural(files_reviewed, "file")
        );
    } else {
        let _ = writeln!(
            out,
            "{} reviewed: {}.\n",
            plural(files_reviewed, "file"),
            tally(findings)
        );
        out.push_str("| Severity | Rule | Where | What |\n|---|---|---|---|\n");
        for f in findings {
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}:{}` | {} |",
                f.severity.as_str(),
                f.rule,
                escape_cell(&f.path),
                f.line,
                escape_cell(&f.message)
            );
        }
        out.push('\n');
        for f in findings {
            let _ = writeln!(
                out,
                "<details><summary><code>{}:{}</code> {}</summary>\n",
                escape_html(&f.path),
                f.line,
                escape_html(&f.message)
            );
            if let Some(line) = estimate_line(f) {
                let _ = writeln!(out, "**At 10x:** {}\n", escape_html(&line));
            }
            let _ = writeln!(out, "**Why:** {}\n", escape_html(&f.why));
            let _ = writeln!(
                out,
                "**Instead:**\n\n```\n{}\n```\n\n</details>\n",
                f.fix.replace("```", "'''")
            );
        }
    }
    if !warnings.is_empty() {
        out.push_str("Not fully reviewed:\n\n");
        for w in warnings {
            let _ = writeln!(
                out,
                "- `{}:{}`: {}",
                escape_cell(&w.path),
                w.line,
                escape_html(&w.message)
            );
        }
    }
    out
}

fn escape_cell(text: &str) -> String {
    escape_html(text).replace('|', "\\|").replace('\n', " ")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// SARIF 2.1.0: one run, the rules that fired, one result per finding.
pub fn sarif(findings: &[Finding], tool_version: &str) -> Value {
    let mut rules: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in findings {
        rules.entry(f.rule.as_str()).or_insert(f);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rule_objects: Vec<Value> = rules
        .values()
        .map(|f| {
            let summary = crate::sql::rule(&f.rule)
                .map(|r| r.summary)
                .or_else(|| crate::coupling::Rule::from_id(&f.rule).map(|r| r.summary()))
                .map(str::to_string)
                .unwrap_or_else(|| f.message.clone());
            json!({
                "id": f.rule,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": f.why },
                "help": { "text": f.fix },
                "defaultConfiguration": { "level": sarif_level(f.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": index.get(f.rule.as_str()).copied().unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": { "text": match estimate_line(f) {
                    Some(line) => format!("{} At 10x: {line}. {}", f.message, f.why),
                    None => format!("{} {}", f.message, f.why),
                } },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.path) },
                        "region": { "startLine": f.line.max(1), "startColumn": f.column.max(1) },
                    }
                }],
            });
            if let Some(e) = &f.estimate {
                result["properties"] = json!({ "table": f.table, "estimate": e });
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "fcto-review",
                "version": tool_version,
                "informationUri": "https://github.com/fcto/fcto",
                "rules": rule_objects,
            }},
            "results": results,
        }],
    })
}

/// A relative path as a URI reference: `/`-separated, spaces and other
/// reserved bytes percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The JSON body of `POST /repos/{owner}/{repo}/pulls/{n}/reviews`: a
/// comment on each finding whose line is in the diff (GitHub rejects the
/// others), the rest listed in the review body.
pub fn github_review(findings: &[Finding], changed: &[ChangedFile], commit_id: &str) -> Value {
    let mut comments = Vec::new();
    let mut elsewhere = Vec::new();
    for f in findings {
        let on_diff = changed
            .iter()
            .any(|c| c.path == f.path && !c.binary && c.has_line(f.line));
        if on_diff {
            let mut body = format!(
                "**{}** `{}`: {}\n\n{}",
                f.severity.as_str(),
                f.rule,
                f.message,
                f.why
            );
            if let Some(line) = estimate_line(f) {
                let _ = write!(body, "\n\nAt 10x: {line}");
            }
            let _ = write!(
                body,
                "\n\nInstead:\n```\n{}\n```",
                f.fix.replace("```", "'''")
            );
            comments.push(json!({
                "path": f.path,
                "line": f.line.max(1),
                "side": "RIGHT",
                "body": body,
            }));
        } else {
            elsewhere.push(f.clone());
        }
    }
    let mut body = format!(
        "## fcto review\n\n{} changed: {}; {} commented on their lines.\n",
        plural(changed.len(), "file"),
        tally(findings),
        comments.len()
    );
    if !elsewhere.is_empty() {
        body.push_str("\nOn lines outside this diff:\n\n");
        for f in &elsewhere {
            let _ = writeln!(
                body,
                "- **{}** `{}` `{}:{}`: {}",
                f.severity.as_str(),
                f.rule,
                escape_cell(&f.path),
                f.line,
                escape_html(&f.message)
            );
        }
    }
    let event = if findings.iter().any(|f| f.severity == Severity::Error) {
        "REQUEST_CHANGES"
    } else {
        "COMMENT"
    };
    json!({
        "commit_id": commit_id,
        "body": body,
        "event": event,
        "comments": comments,
    })
}
