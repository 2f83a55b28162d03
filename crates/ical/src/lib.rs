//! Minimal RFC 5545 (iCalendar) writer.
//!
//! fcto only ever *writes* calendars (the week plan, renewal deadlines), so this
//! crate is a writer: events with floating or all-day times, text escaping and
//! 75-octet line folding, CRLF line ends. It deliberately does no parsing.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use std::fmt::Write as _;

/// When an event happens.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// A whole day (`DTSTART;VALUE=DATE`), e.g. a "decide by" deadline.
    AllDay(NaiveDate),
    /// Local ("floating") start and end times: the calendar app shows them in
    /// the user's own zone, which is what a plan for one person's week wants.
    Floating {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Globally unique and stable across exports, so re-importing updates
    /// events instead of duplicating them.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: Option<String>,
    pub categories: Vec<String>,
    /// Minutes before the start at which to remind; `None` for no alarm.
    pub alarm_minutes_before: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    pub name: String,
    pub events: Vec<Event>,
}

impl Calendar {
    pub fn new(name: impl Into<String>) -> Self {
        Calendar {
            name: name.into(),
            events: Vec::new(),
        }
    }

    /// Render with `DTSTAMP` set to now.
    pub fn render(&self) -> String {
        self.render_at(Utc::now().naive_utc())
    }

    /// Render with a fixed `DTSTAMP` (for reproducible output and tests).
    pub fn render_at(&self, stamp: NaiveDateTime) -> String {
        let mut out = String::new();
        let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
        line(&mut out, "BEGIN:VCALENDAR");
        line(&mut out, "VERSION:2.0");
        line(&mut out, "PRODID:-//fcto//fractional CTO workbench//EN");
        line(&mut out, "CALSCALE:GREGORIAN");
        line(&mut out, "METHOD:PUBLISH");
        line(
            &mut out,
            &format!("X-WR-CALNAME:{}", escape_text(&self.name)),
        );
        for ev in &self.events {
            line(&mut out, "BEGIN:VEVENT");
            line(&mut out, &format!("UID:{}", escape_text(&ev.uid)));
            line(&mut out, &format!("DTSTAMP:{stamp}"));
            match &ev.when {
                When::AllDay(d) => {
                    line(
                        &mut out,
                        &format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")),
                    );
                    let next = d.succ_opt().unwrap_or(*d);
                    line(
                        &mut out,
                        &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
                    );
                    line(&mut out, "TRANSP:TRANSPARENT");
                }
                When::Floating { start, end } => {
                    line(
                        &mut out,
                        &format!("DTSTART:{}", start.format("%Y%m%dT%H%M%S")),
                    );
                    line(&mut out, &format!("DTEND:{}", end.format("%Y%m%dT%H%M%S")));
                }
            }
            line(&mut out, &format!("SUMMARY:{}", escape_text(&ev.summary)));
            if let Some(d) = &ev.description {
                line(&mut out, &format!("DESCRIPTION:{}", escape_text(d)));
            }
            if !ev.categories.is_empty() {
                let cats: Vec<String> = ev.categories.iter().map(|c| escape_text(c)).collect();
                line(&mut out, &format!("CATEGORIES:{}", cats.join(",")));
            }
            if let Some(mins) = ev.alarm_minutes_before {
                line(&mut out, "BEGIN:VALARM");
                line(&mut out, "ACTION:DISPLAY");
                line(
                    &mut out,
                    &format!("DESCRIPTION:{}", escape_text(&ev.summary)),
                );
                line(&mut out, &format!("TRIGGER:-PT{mins}M"));
                line(&mut out, "END:VALARM");
            }
            line(&mut out, "END:VEVENT");
        }
        line(&mut out, "END:VCALENDAR");
        out
    }
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // Other control characters are not allowed in TEXT.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded at 75 octets without splitting a UTF-8
/// character (RFC 5545 §3.1), ended with CRLF.
fn line(out: &mut String, content: &str) {
    let mut octets_on_line = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if octets_on_line + len > 75 {
            out.push_str("\r\n ");
            octets_on_line = 1; // the leading space counts
        }
        out.push(c);
        octets_on_line += len;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test datetime")
    }

    #[test]
    fn every_line_is_crlf_and_at_most_75_octets() {
        let mut cal = Calendar::new("week");
        cal.events.push(Event {
            uid: "a@fcto".into(),
            when: When::Floating {
                start: dt("2026-11-23 09:00"),
                end: dt("2026-11-23 10:30"),
            },
            summary: "Review pull requests — Manchester SaaS ".repeat(6),
            description: Some("line one\nline two; with, specials \\".into()),
            categories: vec!["review".into()],
            alarm_minutes_before: Some(10),
        });
        let text = cal.render_at(dt("2026-11-20 12:00"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "line too long: {l:?}");
            assert!(!l.contains('\n'));
        }
        // unfolding restores the escaped summary
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("DESCRIPTION:line one\\nline two\\; with\\, specials \\\\"));
        assert!(unfolded.contains(&format!(
            "SUMMARY:{}",
            "Review pull requests — Manchester SaaS ".repeat(6)
        )));
        assert!(unfolded.contains("DTSTART:20261123T090000"));
        assert!(unfolded.contains("DTSTAMP:20261120T120000Z"));
    }

    #[test]
    fn all_day_event_ends_next_day() {
        let mut cal = Calendar::new("d");
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).expect("date");
        cal.events.push(Event {
            uid: "x".into(),
            when: When::AllDay(d),
            summary: "Decide".into(),
            description: None,
            categories: vec![],
            alarm_minutes_before: None,
        });
        let text = cal.render_at(dt("2026-11-20 12:00"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(escape_text("a\u{7}b\rc"), "abc");
    }
}
