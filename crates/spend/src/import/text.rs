//! Text-level helpers shared by the parsers: decoding, dates, amounts.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

/// UTF-8 (with or without BOM), UTF-16 with BOM, otherwise Windows-1252
/// (a superset of Latin-1 for printable text: `£` is 0xA3 in both).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Cow::Owned(
            encoding_rs::UTF_16LE
                .decode_with_bom_removal(bytes)
                .0
                .into_owned(),
        );
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Cow::Owned(
            encoding_rs::UTF_16BE
                .decode_with_bom_removal(bytes)
                .0
                .into_owned(),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
    }
}

const DATE_FORMATS: &[&str] = &[
    "%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%d-%b-%Y", "%d %B %Y", "%Y/%m/%d", "%d.%m.%Y", "%d-%m-%Y",
    "%d/%m/%y", "%d %b %y", "%d-%b-%y",
];

/// A date as UK banks and accounting tools write it, with or without a time.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim().trim_matches('\'');
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    for f in DATE_FORMATS {
        // "12-Jan-25" parses as year 25 with %Y: keep trying (%y follows).
        if let Some(d) = NaiveDate::parse_from_str(t, f).ok().and_then(sane) {
            return Some(d);
        }
    }
    // With a time: "2026-03-01 10:22:33", "2026-03-01T10:22:33Z", "01/03/2026 10:22".
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ] {
        let cut = t.trim_end_matches('Z');
        let cut = cut.split('.').next().unwrap_or(cut);
        if let Ok(dt) = NaiveDateTime::parse_from_str(cut, f) {
            return sane(dt.date());
        }
    }
    None
}

fn sane(d: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    (1970..=2100).contains(&d.year()).then_some(d)
}

/// An amount in minor units, accepting a trailing CR/DR marker or a
/// currency code ("12.00 CR", "-3.50 GBP").
pub fn parse_amount(s: &str) -> Option<i64> {
    let t = s.trim().trim_matches('\'');
    let upper = t.to_ascii_uppercase();
    if let Some(v) = upper.strip_suffix("CR") {
        return crate::money::parse_minor(v).map(i64::abs);
    }
    if let Some(v) = upper.strip_suffix("DR") {
        return crate::money::parse_minor(v).map(|a| -a.abs());
    }
    if upper.len() > 4
        && upper.as_bytes()[upper.len() - 4] == b' '
        && upper[upper.len() - 3..]
            .bytes()
            .all(|b| b.is_ascii_uppercase())
    {
        return crate::money::parse_minor(&t[..t.len() - 4]);
    }
    crate::money::parse_minor(t)
}

/// Count the newlines before `offset` (1-based line of a byte offset).
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date("01/03/2026"), d(2026, 3, 1));
        assert_eq!(parse_date("2026-03-01 10:22:33"), d(2026, 3, 1));
        assert_eq!(parse_date("2026-03-01T10:22:33.123Z"), d(2026, 3, 1));
        assert_eq!(parse_date("12 Jan 2025"), d(2025, 1, 12));
        assert_eq!(parse_date("12-Jan-25"), d(2025, 1, 12));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("Total"), None);
    }

    #[test]
    fn amounts_and_decoding() {
        assert_eq!(parse_amount("12.00 CR"), Some(1200));
        assert_eq!(parse_amount("12.00 DR"), Some(-1200));
        assert_eq!(parse_amount("-3.50 GBP"), Some(-350));
        assert_eq!(decode(&[0xA3, b'5']), "£5");
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF, b'a']), "a");
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0, b'b', 0]), "ab");
    }
}
