//! Checks on user-supplied values, shared by the CLI and web forms.

use chrono::NaiveDate;

use crate::error::{EngageError, Result};
use crate::model::{NewClient, NewDecision, NewSystem, NewTimeEntry};

/// Most hours one entry may hold: a day.
pub const MAX_HOURS_PER_ENTRY: f64 = 24.0;

pub fn slug(s: &str) -> Result<()> {
    let ok_chars = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if s.is_empty() || s.len() > 40 || !ok_chars || s.starts_with('-') || s.ends_with('-') {
        return Err(EngageError::invalid(
            "slug",
            format!("{s:?} must be 1–40 characters of a-z, 0-9 and inner hyphens"),
        ));
    }
    Ok(())
}

/// Derive a slug from a name: "Acme Hotels Ltd" -> "acme-hotels-ltd".
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s: String = out.trim_end_matches('-').chars().take(40).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// Non-empty single-paragraph text up to `max` characters, no control characters
/// other than newlines and tabs.
pub fn text(field: &'static str, s: &str, max: usize) -> Result<()> {
    if s.trim().is_empty() {
        return Err(EngageError::invalid(field, "must not be empty"));
    }
    if s.chars().count() > max {
        return Err(EngageError::invalid(
            field,
            format!("longer than {max} characters"),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(EngageError::invalid(field, "contains control characters"));
    }
    Ok(())
}

pub fn email(field: &'static str, s: &str) -> Result<()> {
    let bad = || EngageError::invalid(field, format!("{s:?} is not an email address"));
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.is_empty()
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || s.len() > 254
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
    {
        return Err(bad());
    }
    Ok(())
}

pub fn currency(s: &str) -> Result<()> {
    if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(EngageError::invalid(
            "currency",
            format!("{s:?} must be an ISO 4217 code such as GBP"),
        ));
    }
    Ok(())
}

pub fn hours(h: f64) -> Result<()> {
    if !h.is_finite() || h <= 0.0 || h > MAX_HOURS_PER_ENTRY {
        return Err(EngageError::invalid(
            "hours",
            format!("{h} must be more than 0 and at most {MAX_HOURS_PER_ENTRY}"),
        ));
    }
    // Quarter-hour granularity is what people log; finer is a typo.
    if ((h * 100.0).round() - h * 100.0).abs() > 1e-6 {
        return Err(EngageError::invalid(
            "hours",
            format!("{h} has more than two decimals"),
        ));
    }
    Ok(())
}

/// Parse `YYYY-MM-DD`, naming the field on failure.
pub fn date(field: &'static str, s: &str) -> Result<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        EngageError::invalid(
            field,
            format!("{s:?} is not a real date in the form YYYY-MM-DD"),
        )
    })?;
    reasonable_date(field, d)
}

/// Dates outside 2000–2100 are typos, and keep arithmetic far from overflow.
pub fn reasonable_date(field: &'static str, d: NaiveDate) -> Result<NaiveDate> {
    use chrono::Datelike;
    if !(2000..=2100).contains(&d.year()) {
        return Err(EngageError::invalid(
            field,
            format!("{d} is outside 2000–2100"),
        ));
    }
    Ok(d)
}

pub fn new_client(c: &NewClient) -> Result<()> {
    slug(&c.slug)?;
    text("name", &c.name, 200)?;
    if let Some(s) = &c.sector {
        text("sector", s, 200)?;
    }
    currency(&c.currency)?;
    if let Some(n) = &c.owner_name {
        text("owner-name", n, 200)?;
    }
    if let Some(e) = &c.owner_email {
        email("owner-email", e)?;
    }
    reasonable_date("start", c.start_date)?;
    Ok(())
}

pub fn new_time_entry(t: &NewTimeEntry) -> Result<()> {
    hours(t.hours)?;
    reasonable_date("date", t.date)?;
    if let Some(n) = &t.note {
        text("note", n, 2000)?;
    }
    Ok(())
}

pub fn new_decision(d: &NewDecision) -> Result<()> {
    text("title", &d.title, 200)?;
    if !d.context.is_empty() {
        text("context", &d.context, 20_000)?;
    }
    for o in &d.options {
        text("option", o, 2000)?;
    }
    if let Some(by) = d.decide_by {
        reasonable_date("decide-by", by)?;
    }
    Ok(())
}

pub fn new_system(s: &NewSystem) -> Result<()> {
    text("name", &s.name, 200)?;
    if let Some(o) = &s.owner {
        text("owner", o, 200)?;
    }
    if let Some(m) = &s.metric {
        text("metric", m, 200)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(slug("acme-hotels").is_ok());
        for bad in ["", "Acme", "a b", "-a", "a-", "a/../b", &"x".repeat(41)] {
            assert!(slug(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(slugify("  Acme Hotels & Spa Ltd. "), "acme-hotels-spa-ltd");
        assert_eq!(slugify("Ünïcode Café"), "n-code-caf");
    }

    #[test]
    fn hours_reject_negative_absurd_and_nan() {
        assert!(hours(1.5).is_ok());
        assert!(hours(24.0).is_ok());
        for bad in [0.0, -1.0, 24.25, 1e9, f64::NAN, f64::INFINITY, 1.333] {
            assert!(hours(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn dates_must_exist() {
        assert!(date("date", "2026-02-28").is_ok());
        let e = date("date", "2026-02-30").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid date: \"2026-02-30\" is not a real date in the form YYYY-MM-DD"
        );
        assert!(date("date", "30/01/2026").is_err());
        assert!(date("date", "1066-10-14").is_err());
    }

    #[test]
    fn emails() {
        assert!(email("e", "sam@acme.co.uk").is_ok());
        for bad in [
            "sam",
            "sam@",
            "@acme.com",
            "sam@acme",
            "sam @acme.com",
            "a@b.c<script>",
        ] {
            assert!(email("e", bad).is_err(), "{bad:?} accepted");
        }
    }
}
