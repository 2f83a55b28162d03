//! Inline suppressions: `fcto:allow RULE reason` in a comment on the line of
//! the finding or on the line above it (`--`, `#` or `//` comments alike).
//! A reason is required; a suppression without one does not suppress and is
//! itself reported, so "just silence it" leaves a trace in review.

use crate::finding::{Finding, Severity};

const MARKER: &str = "fcto:allow";

/// One `fcto:allow` marker found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub line: u32,
    pub rule: String,
    pub reason: String,
}

/// Every marker in `text`, with 1-based line numbers.
pub fn scan(text: &str) -> Vec<Allow> {
    let mut allows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let rest = line[at + MARKER.len()..].trim();
        let rest = rest.trim_end_matches("*/").trim_end_matches("-->").trim();
        let mut words = rest.splitn(2, char::is_whitespace);
        let rule = words.next().unwrap_or("").trim().to_string();
        let reason = words.next().unwrap_or("").trim().to_string();
        allows.push(Allow {
            line: index as u32 + 1,
            rule,
            reason,
        });
    }
    allows
}

/// Drop the findings an `fcto:allow` with a reason covers; add a finding
/// for each marker that lacks a rule or a reason.
pub fn apply(path: &str, text: &str, findings: Vec<Finding>) -> Vec<Finding> {
    let allows = scan(text);
    if allows.is_empty() {
        return findings;
    }
    let covers = |finding: &Finding| {
        allows.iter().any(|allow| {
            !allow.reason.is_empty()
                && (allow.rule == finding.rule || allow.rule == "all")
                && (allow.line == finding.line || allow.line + 1 == finding.line)
        })
    };
    let mut kept: Vec<Finding> = findings.into_iter().filter(|f| !covers(f)).collect();
    for allow in allows
        .iter()
        .filter(|a| a.rule.is_empty() || a.reason.is_empty())
    {
        kept.push(Finding {
            rule: "suppression-without-reason".to_string(),
            severity: Severity::Warning,
            path: path.to_string(),
            line: allow.line,
            column: 1,
            message: format!(
                "`fcto:allow {}` has no reason, so it suppresses nothing",
                allow.rule
            ),
            why: "A suppression is a decision; without its reason the next reader cannot tell \
                  whether it still holds when the table is ten times bigger."
                .to_string(),
            fix: "Write `fcto:allow RULE why this is safe here`.".to_string(),
            table: None,
            estimate: None,
        });
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, line: u32) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            path: "m.sql".to_string(),
            line,
            column: 1,
            message: String::new(),
            why: String::new(),
            fix: String::new(),
            table: None,
            estimate: None,
        }
    }

    #[test]
    fn allow_with_reason_on_the_line_above_suppresses_that_rule_only() {
        let text =
            "-- fcto:allow index-not-concurrent table has 40 rows\nCREATE INDEX i ON t (a);\n";
        let kept = apply(
            "m.sql",
            text,
            vec![finding("index-not-concurrent", 2), finding("other", 2)],
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].rule, "other");
    }

    #[test]
    fn allow_without_reason_suppresses_nothing_and_is_reported() {
        let text = "CREATE INDEX i ON t (a); -- fcto:allow index-not-concurrent\n";
        let kept = apply("m.sql", text, vec![finding("index-not-concurrent", 1)]);
        let rules: Vec<&str> = kept.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(
            rules,
            ["index-not-concurrent", "suppression-without-reason"]
        );
    }

    #[test]
    fn allow_two_lines_above_does_not_reach() {
        let text = "# fcto:allow rule-x fine\n\nx\n";
        let kept = apply("a.py", text, vec![finding("rule-x", 3)]);
        assert_eq!(kept.len(), 1);
    }
}
