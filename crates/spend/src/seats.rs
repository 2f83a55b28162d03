//! Seat and user exports: who holds a licence, and who has not used it.
//!
//! Reads a Google Workspace user export, a Microsoft 365 active-users
//! report, a Slack member export, or any CSV with an email column and a
//! last-active/last-sign-in column. People are matched across tools by
//! email (lower-cased), so a leaver suspended in the directory but still
//! holding a seat elsewhere is found.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::import::{decode, ImportError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seat {
    pub email: String,
    pub name: Option<String>,
    /// Suspended, disabled, deactivated or blocked in the tool.
    pub suspended: bool,
    pub last_active: Option<NaiveDate>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeatFormat {
    GoogleWorkspace,
    Microsoft365,
    Slack,
    Generic,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatList {
    pub format: SeatFormat,
    pub seats: Vec<Seat>,
    /// Whether the export says when people last signed in; without it,
    /// a missing date means "unknown", not "never".
    #[serde(default)]
    pub activity_known: bool,
}

fn err(
    file: &str,
    line: Option<usize>,
    column: Option<&str>,
    message: impl Into<String>,
) -> ImportError {
    ImportError {
        file: file.into(),
        line,
        column: column.map(str::to_string),
        message: message.into(),
    }
}

/// Find a column whose header contains any of `needles` (case-insensitive).
fn column(headers: &[String], needles: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.to_ascii_lowercase();
        needles.iter().any(|n| h.contains(n))
    })
}

/// Dates as exports write them: ISO (with or without time), "2025/03/01
/// 10:22:01", DD/MM/YYYY, "Never"/empty for none.
fn parse_date(s: &str) -> Result<Option<NaiveDate>, ()> {
    let t = s.trim();
    if t.is_empty()
        || t.eq_ignore_ascii_case("never")
        || t == "-"
        || t.eq_ignore_ascii_case("never logged in")
    {
        return Ok(None);
    }
    let head: String = t.chars().take(10).collect();
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&head, f) {
            return Ok(Some(d));
        }
    }
    // Unix seconds (Slack's "last active" in some exports).
    if let Ok(secs) = t.parse::<i64>() {
        if let Some(dt) = chrono::DateTime::from_timestamp(secs, 0) {
            return Ok(Some(dt.date_naive()));
        }
    }
    Err(())
}

pub fn parse_seats(file: &str, bytes: &[u8]) -> Result<SeatList, ImportError> {
    if bytes.len() as u64 > crate::import::MAX_FILE_BYTES {
        return Err(err(
            file,
            None,
            None,
            "file is larger than the 512 MiB limit",
        ));
    }
    let text = decode(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err(file, Some(1), None, format!("not a CSV file: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let joined = headers.join(",").to_ascii_lowercase();
    let format = if joined.contains("email address [required]") {
        SeatFormat::GoogleWorkspace
    } else if joined.contains("user principal name") {
        SeatFormat::Microsoft365
    } else if joined.contains("billing-active")
        || (joined.contains("username") && joined.contains("account-type"))
    {
        SeatFormat::Slack
    } else {
        SeatFormat::Generic
    };
    let email_col = match format {
        SeatFormat::Microsoft365 => column(&headers, &["user principal name"]),
        _ => column(&headers, &["email"]),
    }
    .ok_or_else(|| {
        err(
            file,
            Some(1),
            Some("email"),
            "no email column (need e.g. \"Email Address\" or \"User Principal Name\")",
        )
    })?;
    let last_col = column(
        &headers,
        &[
            "last sign in",
            "last sign-in",
            "last activity",
            "last active",
            "last login",
            "last seen",
        ],
    );
    let status_col = column(
        &headers,
        &["status", "block credential", "account-type", "deactivated"],
    );
    let billing_col = column(&headers, &["billing-active"]);
    let first_col = column(&headers, &["first name"]);
    let last_name_col = column(&headers, &["last name"]);
    let name_col = column(&headers, &["display name", "full name", "fullname", "name"]);

    let mut seats = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(err(file, Some(line), None, format!("{e}"))),
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(line);
        let get = |c: Option<usize>| c.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let email = get(Some(email_col)).to_ascii_lowercase();
        if email.is_empty() {
            continue;
        }
        if !email.contains('@') {
            return Err(err(
                file,
                Some(line),
                Some(&headers[email_col]),
                format!("{email:?} is not an email address"),
            ));
        }
        let last_active = parse_date(get(last_col)).map_err(|_| {
            err(
                file,
                Some(line),
                last_col.map(|c| headers[c].as_str()),
                format!("{:?} is not a date", get(last_col)),
            )
        })?;
        let status = get(status_col).to_ascii_lowercase();
        let suspended = matches!(
            status.as_str(),
            "suspended" | "archived" | "deleted" | "true" | "blocked" | "deactivated" | "disabled"
        ) || (format == SeatFormat::Slack
            && (status == "deactivated"
                || get(billing_col) == "0"
                || get(billing_col).eq_ignore_ascii_case("false")));
        let name = match (get(first_col), get(last_name_col)) {
            (f, l) if !f.is_empty() || !l.is_empty() => Some(format!("{f} {l}").trim().to_string()),
            _ => Some(get(name_col).to_string()).filter(|n| !n.is_empty()),
        };
        seats.push(Seat {
            email,
            name,
            suspended,
            last_active,
            line,
        });
    }
    if seats.is_empty() {
        return Err(err(file, None, None, "no users in the file"));
    }
    Ok(SeatList {
        format,
        seats,
        activity_known: last_col.is_some(),
    })
}

/// Days without sign-in after which a seat counts as unused.
pub const UNUSED_AFTER_DAYS: i64 = 60;

/// Is this seat unused as of `as_of`: suspended, never signed in, inactive
/// for [`UNUSED_AFTER_DAYS`], or held by someone the directory has
/// suspended or does not know (a leaver)?
pub fn unused_reason(
    seat: &Seat,
    activity_known: bool,
    as_of: NaiveDate,
    directory: Option<&SeatList>,
) -> Option<String> {
    if seat.suspended {
        return Some("suspended but still billed".into());
    }
    if let Some(dir) = directory {
        match dir.seats.iter().find(|p| p.email == seat.email) {
            Some(p) if p.suspended => return Some("a leaver: suspended in the directory".into()),
            None => return Some("not in the company directory".into()),
            _ => {}
        }
    }
    match seat.last_active {
        None if !activity_known => None,
        None => Some("never signed in".into()),
        Some(d) if (as_of - d).num_days() > UNUSED_AFTER_DAYS => {
            Some(format!("no sign-in for {} days", (as_of - d).num_days()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_workspace_export() {
        let csv = "First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],Last Sign In [READ ONLY]\n\
                   Priya,Shah,priya@hh.example,Active,2026/11/20 09:01:02\n\
                   Tom,Old,tom@hh.example,Suspended,2026/03/01 10:00:00\n\
                   New,Hire,new@hh.example,Active,Never logged in\n";
        let l = parse_seats("gw.csv", csv.as_bytes()).expect("parse");
        assert_eq!(l.format, SeatFormat::GoogleWorkspace);
        assert_eq!(l.seats.len(), 3);
        assert_eq!(l.seats[0].name.as_deref(), Some("Priya Shah"));
        assert!(l.seats[1].suspended);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).expect("d");
        assert_eq!(
            unused_reason(&l.seats[0], l.activity_known, as_of, None),
            None
        );
        assert!(unused_reason(&l.seats[2], l.activity_known, as_of, None).is_some());
    }

    #[test]
    fn leavers_are_matched_across_tools() {
        let dir = parse_seats("gw.csv", b"Email Address [Required],Status [READ ONLY],Last Sign In [READ ONLY]\na@x.io,Active,2026-11-01\nb@x.io,Suspended,2026-01-01\n").expect("dir");
        let slack = parse_seats("slack.csv", b"username,email,status,billing-active\na,A@x.io,Member,1\nb,b@x.io,Member,1\nc,c@x.io,Member,1\n").expect("slack");
        assert!(!slack.activity_known);
        assert_eq!(slack.format, SeatFormat::Slack);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).expect("d");
        let reasons: Vec<Option<String>> = slack
            .seats
            .iter()
            .map(|s| unused_reason(s, slack.activity_known, as_of, Some(&dir)))
            .collect();
        assert_eq!(reasons[0], None);
        assert!(reasons[1].as_deref().unwrap_or("").contains("leaver"));
        assert!(reasons[2]
            .as_deref()
            .unwrap_or("")
            .contains("not in the company directory"));
    }

    #[test]
    fn bad_seat_files_name_the_line() {
        let e = parse_seats(
            "s.csv",
            b"email,last active\na@x.io,2026-01-01\nb@x.io,yesterday\n",
        )
        .expect_err("bad date");
        assert_eq!(
            e.to_string(),
            "s.csv:3: column \"last active\": \"yesterday\" is not a date"
        );
        let e = parse_seats("s.csv", b"name,team\nann,ops\n").expect_err("no email");
        assert!(e.to_string().contains("no email column"));
        assert!(parse_seats("s.csv", b"").is_err());
        assert!(parse_seats("s.csv", b"email\nnot-an-email\n").is_err());
    }
}
