//! Dates and amounts as banks and accounting tools write them. No regex, no
//! allocation on the common paths: these run once per row of a
//! million-row file.

use std::borrow::Cow;

use chrono::NaiveDate;

/// Why a cell is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateError {
    /// Not shaped like any date format ("Total", "", "2025").
    NotADate,
    /// Shaped like a date, but the day does not exist (31/02/2025).
    NoSuchDay,
}

impl DateError {
    /// The message for the cell text `s`.
    pub(crate) fn message(self, s: &str) -> String {
        match self {
            DateError::NoSuchDay => format!("{s:?} is not a real date (no such day)"),
            DateError::NotADate if looks_like_summary(s) => {
                format!("{s:?} is not a date: a summary or total row, not a transaction")
            }
            DateError::NotADate if s.trim().is_empty() => "the date is empty".to_string(),
            DateError::NotADate => format!("{s:?} is not a date"),
        }
    }
}

/// Words that open the summary rows some exports append ("Total",
/// "Closing balance", ...).
pub(crate) fn looks_like_summary(s: &str) -> bool {
    let t = s.trim().trim_start_matches('\'').to_ascii_lowercase();
    [
        "total",
        "closing",
        "opening",
        "balance",
        "brought forward",
        "carried forward",
        "net ",
        "subtotal",
        "end of",
        "summary",
    ]
    .iter()
    .any(|w| t.starts_with(w))
}

/// A date as UK banks write it: `DD/MM/YYYY`, `DD/MM/YY`, `DD-MM-YYYY`,
/// `DD.MM.YYYY`, `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, `12 Jan 2025`,
/// `12-Jan-2025`, `12 January 25`, each optionally followed by a time
/// (`2025-01-12T10:22:33.123Z`, `12/01/2025 10:22`). Day before month:
/// US-style month-first dates are not accepted.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let mut t = s.trim();
    t = t.strip_prefix('\'').unwrap_or(t).trim();
    if t.is_empty() || t.len() > 48 {
        return Err(DateError::NotADate);
    }
    // Cut a time off at the last space or 'T' before the first colon.
    if let Some(colon) = t.find(':') {
        let cut = t[..colon].rfind([' ', 'T']).ok_or(DateError::NotADate)?;
        let time = &t[cut + 1..];
        if !time.starts_with(|c: char| c.is_ascii_digit())
            || !time
                .bytes()
                .all(|b| b.is_ascii_digit() || b":.+-Z ".contains(&b) || b.is_ascii_uppercase())
        {
            return Err(DateError::NotADate);
        }
        t = t[..cut].trim_end();
    }
    let b = t.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return ymd(num(&t[..4])?, num(&t[4..6])?, num(&t[6..])?);
    }
    let mut parts = t.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty());
    let (a, m, c) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(m), Some(c), None) => (a, m, c),
        _ => return Err(DateError::NotADate),
    };
    if a.len() == 4 {
        // Year first: numeric month only.
        let (y, mo, d) = (num(a)?, num(m)?, num(c)?);
        if m.len() > 2 || c.len() > 2 {
            return Err(DateError::NotADate);
        }
        return ymd(y, mo, d);
    }
    if a.len() > 2 || !(c.len() == 2 || c.len() == 4) {
        return Err(DateError::NotADate);
    }
    let d = num(a)?;
    let mo = if m.bytes().all(|b| b.is_ascii_digit()) {
        if m.len() > 2 {
            return Err(DateError::NotADate);
        }
        num(m)?
    } else {
        month_name(m).ok_or(DateError::NotADate)?
    };
    let mut y = num(c)?;
    if c.len() == 2 {
        y += if y < 70 { 2000 } else { 1900 };
    }
    ymd(y, mo, d)
}

fn num(s: &str) -> Result<u32, DateError> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::NotADate);
    }
    s.parse().map_err(|_| DateError::NotADate)
}

fn ymd(y: u32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    if !(1900..=2200).contains(&y) {
        return Err(DateError::NotADate);
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NoSuchDay)
}

fn month_name(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if s.len() < 3 || !s.is_ascii() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let lower = lower.trim_end_matches(',');
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(lower))
        .map(|i| i as u32 + 1)
}

/// Text with runs of whitespace (tabs, newlines, repeated spaces) made one
/// space and the ends trimmed: Barclays pads memos with tabs, HSBC with
/// spaces, and a quoted CSV cell may span lines. Borrowed when already clean.
pub(crate) fn squash(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    let b = t.as_bytes();
    let clean = !b.iter().enumerate().any(|(i, &c)| {
        c == b'\t' || c == b'\n' || c == b'\r' || (c == b' ' && b.get(i + 1) == Some(&b' '))
    }) && !t.contains('\u{a0}');
    if clean {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    for word in t
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// Whether the cell ends in a credit/debit marker ("12.00 CR", "5.00DR").
pub(crate) fn has_marker(s: &str) -> bool {
    let t = s.trim().as_bytes();
    t.len() > 2 && {
        let end = [
            t[t.len() - 2].to_ascii_uppercase(),
            t[t.len() - 1].to_ascii_uppercase(),
        ];
        end == *b"CR" || end == *b"DR"
    }
}

/// An amount in minor units (two decimals), negative for money out.
/// Accepts `-12.5`, `+3`, `1,234.56`, `£1,234.56`, `-£7.99`, `£-7.99`,
/// `(12.00)`, `12.00-`, `12.00 CR` (money in), `12.00 DR` (money out),
/// `GBP 12.00`, `12.00 GBP`, `'12.00`, and extra decimals when they are
/// zeros (`12.3400`). Anything else (`1e5`, `12,34.5`, `=SUM(A1)`) is
/// `None`.
pub(crate) fn parse_amount(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    // Fast path: [-]digits[.d[d]]
    if let Some(v) = fast_amount(b) {
        return Some(v);
    }
    let mut t = s.trim();
    t = t.strip_prefix('\'').unwrap_or(t).trim();
    let mut sign: i64 = 1;
    let mut forced: Option<i64> = None;
    if has_marker(t) {
        let upper = t[t.len() - 2..].to_ascii_uppercase();
        forced = Some(if upper == "CR" { 1 } else { -1 });
        t = t[..t.len() - 2].trim_end();
    }
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        sign = -sign;
        t = inner.trim();
    }
    if let Some(rest) = t.strip_suffix('-') {
        sign = -sign;
        t = rest.trim_end();
    }
    // A currency code before or after: "GBP 12.00", "12.00 GBP", "GBP12.00".
    if t.len() > 3 && t.as_bytes()[..3].iter().all(u8::is_ascii_uppercase) {
        t = t[3..].trim_start();
    } else if t.len() > 3
        && t.as_bytes()[t.len() - 3..]
            .iter()
            .all(u8::is_ascii_uppercase)
    {
        t = t[..t.len() - 3].trim_end();
    }
    let mut chars = t.char_indices().peekable();
    // Signs and currency symbols, in any order, before the digits.
    let mut start = t.len();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            '-' | '\u{2212}' => sign = -sign,
            '+' | '£' | '$' | '€' | ' ' | '\u{a0}' => {}
            _ => {
                start = i;
                break;
            }
        }
        chars.next();
    }
    let number = t[start..].trim_end();
    let v = plain_number(number)?;
    Some(match forced {
        Some(f) => f * v,
        None => sign * v,
    })
}

/// `-12.34`, `12`, `0.5` with no other characters.
fn fast_amount(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    let mut whole: i64 = 0;
    let mut i = 0;
    while i < digits.len() && digits[i].is_ascii_digit() {
        whole = whole * 10 + (digits[i] - b'0') as i64;
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let frac = match &digits[i..] {
        [] => 0,
        [b'.', d] if d.is_ascii_digit() => (d - b'0') as i64 * 10,
        [b'.', d1, d2] if d1.is_ascii_digit() && d2.is_ascii_digit() => {
            ((d1 - b'0') * 10 + (d2 - b'0')) as i64
        }
        _ => return None,
    };
    let v = whole * 100 + frac;
    Some(if neg { -v } else { v })
}

/// Digits with optional thousands separators (groups of three) and up to
/// two decimals (more only if zeros): `1,234.56`, `.5`, `3`.
pub(crate) fn plain_number(s: &str) -> Option<i64> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 2 && !frac.as_bytes()[2..].iter().all(|&b| b == b'0') {
        return None;
    }
    let mut value: i64 = 0;
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let grouped = whole.contains(',');
    if grouped && (first.is_empty() || first.len() > 3) {
        return None;
    }
    for (i, g) in std::iter::once(first).chain(groups).enumerate() {
        if i > 0 && g.len() != 3 {
            return None;
        }
        for b in g.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value.checked_mul(10)?.checked_add((b - b'0') as i64)?;
        }
    }
    let fb = frac.as_bytes();
    let f = match fb.len() {
        0 => 0,
        1 => (fb[0] - b'0') as i64 * 10,
        _ => ((fb[0] - b'0') * 10 + (fb[1] - b'0')) as i64,
    };
    value.checked_mul(100)?.checked_add(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate, DateError> {
        Ok(NaiveDate::from_ymd_opt(y, m, day).unwrap())
    }

    #[test]
    fn dates() {
        for s in [
            "12/01/2025",
            "12/1/2025",
            "12/01/25",
            "12-01-2025",
            "12.01.2025",
            "2025-01-12",
            "2025/01/12",
            "20250112",
            "12 Jan 2025",
            "12-Jan-2025",
            "12 JAN 25",
            "12 January 2025",
            "'12/01/2025",
            " 12/01/2025 ",
            "2025-01-12 10:22:33",
            "2025-01-12T10:22:33.123Z",
            "2025-01-12T10:22:33+01:00",
            "12/01/2025 10:22",
            "12 Jan 2025 10:22:00",
        ] {
            assert_eq!(parse_date(s), d(2025, 1, 12), "{s}");
        }
        assert_eq!(parse_date("1 Sept 2025"), d(2025, 9, 1));
        assert_eq!(parse_date("31/12/99"), d(1999, 12, 31));
        for s in [
            "31/02/2025",
            "29/02/2025",
            "00/01/2025",
            "12/13/2025",
            "2025-02-30",
        ] {
            assert_eq!(parse_date(s), Err(DateError::NoSuchDay), "{s}");
        }
        assert_eq!(parse_date("29/02/2024"), d(2024, 2, 29));
        for s in [
            "",
            "Total",
            "Closing balance",
            "2025",
            "12/01",
            "12/01/2025/1",
            "12 Foo 2025",
            "12/01/202",
            "1e5",
            "12:30",
            "12/01/2025 x:y",
            "=HYPERLINK(\"x\")",
            "١٢/٠١/٢٠٢٥",
        ] {
            assert_eq!(parse_date(s), Err(DateError::NotADate), "{s}");
        }
        assert!(DateError::NotADate.message("Total").contains("summary"));
    }

    #[test]
    fn amounts() {
        for (s, v) in [
            ("12.00", 1200),
            ("-12.5", -1250),
            ("0", 0),
            ("1,234.56", 123456),
            ("-1,234,567.89", -123456789),
            ("£3,000", 300000),
            ("-£7.99", -799),
            ("£-7.99", -799),
            ("(45.10)", -4510),
            ("(£45.10)", -4510),
            ("45.10-", -4510),
            ("+0.01", 1),
            (" 99 ", 9900),
            (".5", 50),
            ("12.3400", 1234),
            ("12.00 CR", 1200),
            ("12.00CR", 1200),
            ("12.00 DR", -1200),
            ("-12.00 cr", 1200),
            ("GBP 12.00", 1200),
            ("-3.50 GBP", -350),
            ("'12.00", 1200),
            ("\u{2212}4.00", -400),
        ] {
            assert_eq!(parse_amount(s), Some(v), "{s}");
        }
        for s in [
            "",
            "-",
            "abc",
            "1.234",
            "12,34.5",
            "1,2345",
            "1e5",
            "=HYPERLINK(1)",
            "99999999999999999999",
            "12.00.00",
            "--",
            "£",
            "1 2",
            "0x10",
        ] {
            assert_eq!(parse_amount(s), None, "{s}");
        }
        assert!(has_marker("1.00 CR"));
        assert_eq!(
            squash(" MSFT *ABC\tON 30 SEP  CPM \r\n"),
            "MSFT *ABC ON 30 SEP CPM"
        );
        assert!(matches!(squash(" A B "), Cow::Borrowed("A B")));
        assert!(!has_marker("CR"));
    }
}
