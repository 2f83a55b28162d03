//! Packagist: Composer's `VersionParser::normalize` (a `v` prefix, up to four
//! numeric parts padded to four, a stability suffix `-beta1`, `-RC`,
//! `-patch2`, `-dev`, `.x-dev` branches, date versions), then PHP's
//! `version_compare` over the normalised text: parts compare as numbers,
//! and words by dev < alpha < beta < RC < (a number, i.e. stable) < patch.
//! Named branches (`dev-main`) have no order and do not parse.

use std::cmp::Ordering;

use super::{number, ord_by_cmp};

#[derive(Debug, Clone)]
pub struct ComposerVersion {
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Number(u64),
    /// PHP's special-form rank: dev 0, alpha 1, beta 2, RC 3, patch 5 (a
    /// number counts as 4).
    Word(u8),
}

const DEV: u8 = 0;
const NUMBER_RANK: u8 = 4;

/// Stability words in the order Composer's regex tries them.
const STABILITIES: [(&str, Option<u8>); 9] = [
    ("stable", None),
    ("beta", Some(2)),
    ("b", Some(2)),
    ("rc", Some(3)),
    ("alpha", Some(1)),
    ("a", Some(1)),
    ("patch", Some(5)),
    ("pl", Some(5)),
    ("p", Some(5)),
];

impl ComposerVersion {
    pub fn parse(s: &str) -> Option<ComposerVersion> {
        let mut v = s.trim().to_ascii_lowercase();
        // A stability flag ("1.0.0@beta") is a constraint hint, not version.
        if let Some((head, _)) = v.split_once('@') {
            v = head.to_string();
        }
        if v.starts_with("dev-") || matches!(v.as_str(), "master" | "trunk" | "default") {
            return None;
        }
        let v = v.strip_prefix('v').unwrap_or(&v);
        if let Some(branch) = v.strip_suffix("-dev").or_else(|| v.strip_suffix(".dev")) {
            if let Some(tokens) = numbered_branch(branch) {
                return Some(ComposerVersion { tokens });
            }
        }
        let (mut tokens, rest) = numeric_head(v)?;
        tokens.extend(modifier(rest)?);
        Some(ComposerVersion { tokens })
    }
}

/// `1.2.3`, padded to four parts; or a date version (`2010.01.02`,
/// `20100102`) kept as its numbers. Returns the rest of the text.
fn numeric_head(v: &str) -> Option<(Vec<Token>, &str)> {
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let mut head = v.get(..end)?;
    let mut rest = v.get(end..)?;
    // A trailing dot belongs to the modifier (`1.0.0.beta1`).
    while let Some(h) = head.strip_suffix('.') {
        head = h;
        rest = v.get(head.len()..)?;
    }
    let parts: Vec<&str> = head.split('.').collect();
    let first = parts.first()?;
    let is_date = first.len() >= 4 && (first.len() > 5 || parts.len() > 4);
    if !is_date && (first.len() > 5 || parts.len() > 4) {
        return None;
    }
    let mut tokens = parts
        .iter()
        .map(|p| number(p).map(Token::Number))
        .collect::<Option<Vec<_>>>()?;
    if !is_date {
        while tokens.len() < 4 {
            tokens.push(Token::Number(0));
        }
    }
    Some((tokens, rest))
}

/// `[._-]?(stability((?:[.-]?\d+)*)?)?([.-]?dev)?` to the end.
fn modifier(rest: &str) -> Option<Vec<Token>> {
    let rest = rest.strip_prefix(['.', '_', '-']).unwrap_or(rest);
    if rest.is_empty() {
        return Some(Vec::new());
    }
    if let Some(t) = dev_suffix(rest) {
        return Some(t);
    }
    for (word, rank) in STABILITIES {
        let Some(after) = rest.strip_prefix(word) else {
            continue;
        };
        let mut tokens = Vec::new();
        if let Some(r) = rank {
            tokens.push(Token::Word(r));
        }
        let mut tail = after;
        loop {
            let t = tail.strip_prefix(['.', '-']).unwrap_or(tail);
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                break;
            }
            tokens.push(Token::Number(number(t.get(..digits)?)?));
            tail = t.get(digits..)?;
        }
        if tail.is_empty() {
            return Some(tokens);
        }
        if let Some(dev) = dev_suffix(tail) {
            tokens.extend(dev);
            return Some(tokens);
        }
    }
    None
}

fn dev_suffix(s: &str) -> Option<Vec<Token>> {
    let s = s.strip_prefix(['.', '-']).unwrap_or(s);
    (s == "dev").then(|| vec![Token::Word(DEV)])
}

/// Composer's `normalizeBranch`: `1.x-dev` is 1.9999999.9999999.9999999-dev.
fn numbered_branch(branch: &str) -> Option<Vec<Token>> {
    let parts: Vec<&str> = branch.split('.').collect();
    if parts.is_empty() || parts.len() > 4 || !parts.iter().any(|p| matches!(*p, "x" | "*")) {
        return None;
    }
    let mut tokens = Vec::with_capacity(5);
    for i in 0..4 {
        tokens.push(Token::Number(match parts.get(i) {
            Some(&("x" | "*")) | None => 9_999_999,
            Some(p) => number(p)?,
        }));
    }
    tokens.push(Token::Word(DEV));
    Some(tokens)
}

fn rank(t: Token) -> u8 {
    match t {
        Token::Number(_) => NUMBER_RANK,
        Token::Word(r) => r,
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.tokens, &other.tokens);
        for (x, y) in a.iter().zip(b) {
            let ord = match (x, y) {
                (Token::Number(m), Token::Number(n)) => m.cmp(n),
                _ => rank(*x).cmp(&rank(*y)),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        // PHP: when one runs out, a further number makes the longer one
        // newer; a further word is ranked against a number.
        let common = a.len().min(b.len());
        match (a.get(common), b.get(common)) {
            (Some(Token::Number(_)), _) => Ordering::Greater,
            (_, Some(Token::Number(_))) => Ordering::Less,
            (Some(Token::Word(r)), _) => r.cmp(&NUMBER_RANK),
            (_, Some(Token::Word(r))) => NUMBER_RANK.cmp(r),
            (None, None) => Ordering::Equal,
        }
    }
}
ord_by_cmp!(ComposerVersion);

#[cfg(test)]
mod tests {
    use crate::version::testutil::{ascending, equal, unparseable};
    use crate::version::Scheme;

    #[test]
    fn composer_stability_order() {
        ascending(
            Scheme::Packagist,
            &[
                "1.0.0-dev",
                "1.0.0-alpha1",
                "1.0.0-alpha2",
                "1.0.0-beta1-dev",
                "1.0.0-beta1",
                "1.0.0-beta2",
                "1.0.0-RC1",
                "1.0.0-RC2",
                "1.0.0",
                "1.0.0-patch1",
                "1.0.1",
                "1.0.x-dev",
                "1.1.0",
                "2.0.0",
            ],
        );
        ascending(
            Scheme::Packagist,
            &["5.4.3", "v5.4.20", "v6.0.0-BETA1", "6.0.0"],
        );
    }

    #[test]
    fn composer_normalisation_examples() {
        // composer/semver's VersionParserTest "successfulNormalizedVersions".
        equal(
            Scheme::Packagist,
            &[
                ("1.0.0", "1.0.0.0"),
                ("1.2.3.4", "1.2.3.4"),
                ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
                ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
                ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"),
                ("1.0.0-rc1", "1.0.0.0-RC1"),
                ("1.0.0.pl3-dev", "1.0.0.0-patch3-dev"),
                ("1.0-dev", "1.0.0.0-dev"),
                ("0", "0.0.0.0"),
                ("10.4.13-beta", "10.4.13.0-beta"),
                ("10.4.13beta2", "10.4.13.0-beta2"),
                ("10.4.13beta.2", "10.4.13.0-beta2"),
                ("10.4.13-b", "10.4.13.0-beta"),
                ("10.4.13-b5", "10.4.13.0-beta5"),
                ("v1.0.0", "1.0.0.0"),
                ("v20100102", "20100102"),
                ("2010.01.02", "2010.1.2"),
                ("1.0.0-stable", "1.0.0.0"),
                ("1.0.0-p1", "1.0.0.0-patch1"),
                ("1.x-dev", "1.9999999.9999999.9999999-dev"),
                ("1.0.0@beta", "1.0.0"),
            ],
        );
        unparseable(
            Scheme::Packagist,
            &[
                "dev-master",
                "dev-feature/x",
                "master",
                "1.0.0-gamma",
                "",
                "1.0.0+build",
                "a",
            ],
        );
    }
}
