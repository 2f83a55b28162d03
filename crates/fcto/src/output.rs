//! One printer for every command: a serialisable value for `--json`, and the
//! same result rendered as text for a person.

use serde::Serialize;

pub struct Output {
    pub json: serde_json::Value,
    pub text: String,
    /// Exit code after printing: 0, or a command's own verdict (`review
    /// --fail-on`), distinct from the error codes.
    pub exit_code: i32,
}

impl Output {
    pub fn new<T: Serialize>(value: &T, text: impl Into<String>) -> anyhow::Result<Output> {
        Ok(Output {
            json: serde_json::to_value(value)?,
            text: text.into(),
            exit_code: 0,
        })
    }

    /// Two results as one: JSON `{"first": .., "then": ..}`, texts in turn.
    pub fn and(self, then: Output) -> Output {
        Output {
            json: serde_json::json!({"first": self.json, "then": then.json}),
            text: format!("{}{}", self.text, then.text),
            exit_code: self.exit_code.max(then.exit_code),
        }
    }

    pub fn print(&self, json: bool) -> anyhow::Result<()> {
        if json {
            println!("{}", serde_json::to_string_pretty(&self.json)?);
        } else if !self.text.is_empty() {
            print!("{}", self.text);
            if !self.text.ends_with('\n') {
                println!();
            }
        }
        Ok(())
    }
}

/// A plain text table with left-aligned columns.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(headers.to_vec(), &mut out);
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

pub fn hours(h: f64) -> String {
    if (h - h.round()).abs() < 1e-9 {
        format!("{h:.0}")
    } else {
        format!("{h:.2}").trim_end_matches('0').to_string()
    }
}

pub fn percent(share: Option<f64>) -> String {
    share
        .map(|s| format!("{:.0}%", s * 100.0))
        .unwrap_or_else(|| "–".into())
}
