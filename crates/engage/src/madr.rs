//! Decision records as MADR (Markdown Architectural Decision Records) files.

use crate::model::{Decision, DecisionStatus};
use crate::validate::slugify;

/// `0007-use-postgresql.md`
pub fn file_name(d: &Decision) -> String {
    let slug = slugify(&d.title);
    let slug = if slug.is_empty() {
        "decision".to_string()
    } else {
        slug
    };
    format!("{:04}-{slug}.md", d.number)
}

/// Render one decision in MADR 4 layout, with YAML front matter carrying
/// status, dates and the decision makers.
pub fn render(d: &Decision) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("status: {}\n", d.status));
    out.push_str(&format!("date: {}\n", d.decided_on.unwrap_or(d.created_on)));
    if let Some(by) = &d.decided_by {
        out.push_str(&format!("decision-makers: {}\n", yaml_scalar(by.label())));
    }
    if let Some(by) = d.decide_by {
        out.push_str(&format!("decide-by: {by}\n"));
    }
    if let Some(n) = d.superseded_by {
        out.push_str(&format!("superseded-by: {:04}\n", n));
    }
    out.push_str("---\n\n");
    out.push_str(&format!("# {}\n\n", one_line(&d.title)));
    out.push_str("## Context and Problem Statement\n\n");
    if d.context.trim().is_empty() {
        out.push_str("_No context recorded._\n\n");
    } else {
        out.push_str(d.context.trim());
        out.push_str("\n\n");
    }
    if !d.options.is_empty() {
        out.push_str("## Considered Options\n\n");
        for o in &d.options {
            out.push_str(&format!("* {}\n", one_line(o)));
        }
        out.push('\n');
    }
    out.push_str("## Decision Outcome\n\n");
    match (&d.status, &d.outcome) {
        (DecisionStatus::Proposed, _) => {
            out.push_str("Not decided yet");
            if let Some(by) = d.decide_by {
                out.push_str(&format!(" (decide by {by})"));
            }
            out.push_str(".\n");
        }
        (_, Some(outcome)) => {
            out.push_str(outcome.trim());
            out.push('\n');
        }
        (status, None) => out.push_str(&format!("{}.\n", capitalise(status.as_str()))),
    }
    if let Some(n) = d.superseded_by {
        out.push_str(&format!("\nSuperseded by decision {n:04}.\n"));
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Quote a YAML scalar when it could be misread (colons, quotes, leading
/// symbols); names are user text.
fn yaml_scalar(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '.' || c == '\'');
    if plain && !s.is_empty() && !s.starts_with(' ') {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DecidedBy;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn sample() -> Decision {
        Decision {
            id: 1,
            client_slug: "acme".into(),
            number: 3,
            title: "Move lead capture off Typeform".into(),
            context: "Typeform costs £83/month and loses UTM source.".into(),
            options: vec!["Keep Typeform".into(), "Build a WhatsApp qualifier".into()],
            outcome: Some("Chosen option: \"Build a WhatsApp qualifier\", because it records the lead source.".into()),
            status: DecisionStatus::Accepted,
            decide_by: Some(d(2026, 11, 20)),
            decided_by: Some(DecidedBy::Team("Priya: Ops".into())),
            decided_on: Some(d(2026, 11, 18)),
            superseded_by: None,
            created_on: d(2026, 11, 9),
        }
    }

    #[test]
    fn renders_madr() {
        insta::assert_snapshot!(render(&sample()));
        assert_eq!(
            file_name(&sample()),
            "0003-move-lead-capture-off-typeform.md"
        );
    }

    #[test]
    fn proposed_decision_says_when_it_is_due() {
        let mut p = sample();
        p.status = DecisionStatus::Proposed;
        p.decided_by = None;
        p.decided_on = None;
        let text = render(&p);
        assert!(text.contains("Not decided yet (decide by 2026-11-20)."));
        assert!(!text.contains("decision-makers"));
    }
}
