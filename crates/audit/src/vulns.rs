//! Known vulnerabilities: the components matched against OSV advisories
//! with each ecosystem's own version rules (fcto-osv). The caller fetches
//! the advisories (fcto keeps them in its store) for the packages
//! [`lookups`] names.

use fcto_osv::{normalise_name, Ecosystem, Matcher};

use crate::model::{Audit, Severity, Vulnerability};

/// (OSV ecosystem, normalised name) of every component with a version: the
/// keys advisories are stored under.
pub fn lookups(audit: &Audit) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = audit
        .dependencies
        .components
        .iter()
        .filter(|c| !c.version.is_empty())
        .filter_map(|c| {
            let ecosystem = Ecosystem::from_osv(&c.ecosystem)?;
            Some((c.ecosystem.clone(), normalise_name(ecosystem, &c.name)))
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Match every component against `advisories` (OSV JSON texts) and record
/// how many advisories were known in all, so "none found" can be told from
/// "nothing checked".
pub fn attach(audit: &mut Audit, advisories_known: u64, advisories: &[String]) {
    let parsed = advisories
        .iter()
        .filter_map(|json| fcto_osv::parse_advisory("store", json.as_bytes()).ok())
        .collect();
    let matcher = Matcher::new(parsed);
    let mut findings = Vec::new();
    for c in &audit.dependencies.components {
        if c.version.is_empty() {
            continue;
        }
        for m in matcher.matches(&c.ecosystem, &c.name, &c.version) {
            let advisory = m.advisory;
            findings.push(Vulnerability {
                id: advisory.id.clone(),
                aliases: advisory.aliases.clone(),
                summary: if advisory.summary.is_empty() {
                    advisory
                        .details
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string()
                } else {
                    advisory.summary.clone()
                },
                severity: severity(
                    advisory.severity_label.as_deref(),
                    advisory.severity.as_deref(),
                ),
                severity_source: advisory.severity.clone(),
                ecosystem: c.ecosystem.clone(),
                package: c.name.clone(),
                version: c.version.clone(),
                purl: c.purl.clone(),
                fixed_in: m.fixed_in.clone(),
                sources: c.sources.clone(),
                lines: c.lines.clone(),
            });
        }
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| (&a.package, &a.id).cmp(&(&b.package, &b.id)))
    });
    audit.vulnerabilities.advisories_known = advisories_known;
    audit.vulnerabilities.findings = findings;
}

/// A database's label (GHSA's LOW/MODERATE/HIGH/CRITICAL) when given, else
/// the CVSS v3 base score of the vector, else medium: unknown is not low.
fn severity(label: Option<&str>, vector: Option<&str>) -> Severity {
    match label.map(|l| l.to_ascii_uppercase()) {
        Some(l) if l == "CRITICAL" => return Severity::Critical,
        Some(l) if l == "HIGH" => return Severity::High,
        Some(l) if l == "MODERATE" || l == "MEDIUM" => return Severity::Medium,
        Some(l) if l == "LOW" => return Severity::Low,
        _ => {}
    }
    match vector.and_then(cvss3_base_score) {
        Some(score) if score >= 9.0 => Severity::Critical,
        Some(score) if score >= 7.0 => Severity::High,
        Some(score) if score >= 4.0 => Severity::Medium,
        Some(_) => Severity::Low,
        None => Severity::Medium,
    }
}

/// The CVSS 3.0/3.1 base score of a vector string (FIRST's specification,
/// section 7.1), or None for anything else (CVSS 2 or 4, garbage).
pub fn cvss3_base_score(vector: &str) -> Option<f64> {
    let rest = vector
        .strip_prefix("CVSS:3.1/")
        .or_else(|| vector.strip_prefix("CVSS:3.0/"))?;
    let metric = |name: &str| -> Option<&str> {
        rest.split('/')
            .find_map(|part| part.strip_prefix(name)?.strip_prefix(':'))
    };
    let scope_changed = match metric("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match metric("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match metric("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (metric("PR")?, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match metric("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |v: &str| -> Option<f64> {
        match v {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia(metric("C")?)?, cia(metric("I")?)?, cia(metric("A")?)?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if scope_changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02f64).powi(15)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return Some(0.0);
    }
    let exploitability = 8.22 * av * ac * pr * ui;
    let raw = if scope_changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    Some(round_up(raw))
}

/// CVSS 3.1's Roundup: the smallest one-decimal number >= the input,
/// computed on integers so 4.0000001 does not become 4.1 by float noise.
fn round_up(x: f64) -> f64 {
    let scaled = (x * 100_000.0).round() as i64;
    if scaled % 10_000 == 0 {
        scaled as f64 / 100_000.0
    } else {
        ((scaled / 10_000) + 1) as f64 / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss3_scores_match_first_calculator() {
        // Reference scores from FIRST's CVSS 3.1 calculator.
        let cases = [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N", 5.4),
            ("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ];
        for (vector, expected) in cases {
            assert_eq!(cvss3_base_score(vector), Some(expected), "{vector}");
        }
        assert_eq!(cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None);
        assert_eq!(cvss3_base_score("CVSS:3.1/AV:X/AC:L"), None);
        assert_eq!(cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N"), None);
    }

    #[test]
    fn labels_win_and_unknown_is_medium() {
        assert_eq!(severity(Some("MODERATE"), None), Severity::Medium);
        assert_eq!(
            severity(
                Some("CRITICAL"),
                Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")
            ),
            Severity::Critical
        );
        assert_eq!(
            severity(None, Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
            Severity::Critical
        );
        assert_eq!(severity(None, None), Severity::Medium);
    }
}
