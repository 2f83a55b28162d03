//! Amounts are integers of the currency's minor unit (pence, cents): no
//! floating-point drift in sums of a million transactions.

/// Parse a decimal amount as a bank writes it ("1,234.56", "-£12.00",
/// "(12.00)", "12.5", "£ 3,000") into minor units (two decimals).
/// Returns `None` when it is not an amount.
pub fn parse_minor(s: &str) -> Option<i64> {
    let mut t = s.trim();
    let mut negative = false;
    if t.starts_with('(') && t.ends_with(')') {
        negative = true;
        t = &t[1..t.len() - 1];
    }
    let mut cleaned = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '£' | '$' | '€' | ' ' | '\u{a0}' | ',' => {}
            '-' | '−' if cleaned.is_empty() => negative = !negative,
            '+' if cleaned.is_empty() => {}
            c if c.is_ascii_digit() || c == '.' => cleaned.push(c),
            _ => return None,
        }
    }
    // A trailing currency code ("12.00 GBP") is handled by callers.
    let (whole, frac) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if frac.len() > 2 || frac.contains('.') || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_val: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let v = whole.checked_mul(100)?.checked_add(frac_val)?;
    Some(if negative { -v } else { v })
}

/// Format minor units as "1,234.56" (no currency symbol).
pub fn format_minor(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

/// "£1,234.56" for GBP, "USD 12.00" otherwise.
pub fn format_money(v: i64, currency: &str) -> String {
    match currency {
        "GBP" => format!("{}£{}", if v < 0 { "-" } else { "" }, format_minor(v.abs())),
        "EUR" => format!("{}€{}", if v < 0 { "-" } else { "" }, format_minor(v.abs())),
        "USD" => format!("{}${}", if v < 0 { "-" } else { "" }, format_minor(v.abs())),
        c => format!("{c} {}", format_minor(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bank_amounts() {
        for (s, v) in [
            ("12.00", 1200),
            ("-12.5", -1250),
            ("1,234.56", 123456),
            ("£3,000", 300000),
            ("-£7.99", -799),
            ("(45.10)", -4510),
            ("+0.01", 1),
            (" 99 ", 9900),
            (".5", 50),
        ] {
            assert_eq!(parse_minor(s), Some(v), "{s}");
        }
        for s in [
            "",
            "-",
            "abc",
            "1.234",
            "12,34.5.6",
            "1e5",
            "=HYPERLINK(1)",
            "99999999999999999999",
        ] {
            assert_eq!(parse_minor(s), None, "{s}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_minor(123456789), "1,234,567.89");
        assert_eq!(format_minor(-5), "-0.05");
        assert_eq!(format_money(-123456, "GBP"), "-£1,234.56");
        assert_eq!(format_money(100, "SGD"), "SGD 1.00");
    }
}
