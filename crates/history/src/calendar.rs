//! Unix seconds to UTC calendar months, without a date library.

/// `(year, month)` of a unix time in UTC.
pub fn year_month(unix_seconds: i64) -> (i64, u32) {
    let days = unix_seconds.div_euclid(86_400);
    civil_from_days(days)
}

/// `YYYY-MM` of a `(year, month)`.
pub fn month_label((year, month): (i64, u32)) -> String {
    format!("{year:04}-{month:02}")
}

// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian, era-based so
// it is exact for any i64 day count the signatures can carry).
fn civil_from_days(days: i64) -> (i64, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_match_known_dates() {
        assert_eq!(year_month(0), (1970, 1));
        // 2000-02-29T23:59:59Z and the second after it.
        assert_eq!(year_month(951_868_799), (2000, 2));
        assert_eq!(year_month(951_868_800), (2000, 3));
        // 2024-12-31T23:59:59Z, 2025-01-01T00:00:00Z.
        assert_eq!(year_month(1_735_689_599), (2024, 12));
        assert_eq!(year_month(1_735_689_600), (2025, 1));
        // 1969-12-31T23:59:59Z.
        assert_eq!(year_month(-1), (1969, 12));
        assert_eq!(month_label((2024, 3)), "2024-03");
        // Extreme inputs do not panic.
        let _ = year_month(i64::MAX);
        let _ = year_month(i64::MIN);
    }
}
