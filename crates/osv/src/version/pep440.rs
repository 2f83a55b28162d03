//! PEP 440 versions (PyPI): `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`,
//! read with the normalisations PEP 440 allows (case, `v` prefix, `alpha`/
//! `beta`/`c`/`pre`/`preview`, `-N` and `rev`/`r` for post releases,
//! optional separators and implicit zero numbers), and ordered as
//! PEP 440's "Summary of permitted suffixes and relative ordering" says.

use std::cmp::Ordering;

use super::ord_by_cmp;

#[derive(Debug, Clone)]
pub struct Pep440Version {
    epoch: u64,
    /// Trailing zeros dropped: 1.0 and 1.0.0 are the same release.
    release: Vec<u64>,
    pre: Option<(PreKind, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Vec<LocalPart>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// Local version parts: strings sort below numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum LocalPart {
    Text(Box<str>),
    Number(u64),
}

/// Where the pre-release part puts a version among its release's family.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey {
    /// A dev release with no pre or post part (1.0.dev0) precedes 1.0a0.
    DevOnly,
    Pre(PreKind, u64),
    /// No pre-release: after every pre-release of the same release.
    Release,
}

/// A cursor over lowercase ASCII text.
struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }
    fn eat(&mut self, word: &str) -> bool {
        let w = word.as_bytes();
        if self.s.get(self.at..self.at + w.len()) == Some(w) {
            self.at += w.len();
            true
        } else {
            false
        }
    }
    fn eat_separator(&mut self) -> bool {
        if matches!(self.peek(), Some(b'-' | b'_' | b'.')) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    /// Digits as a number; `Some(None)` on overflow, `None` when absent.
    fn number(&mut self) -> Option<Option<u64>> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        if self.at == start {
            return None;
        }
        let digits = std::str::from_utf8(self.s.get(start..self.at)?).ok()?;
        Some(digits.parse().ok())
    }
    fn done(&self) -> bool {
        self.at >= self.s.len()
    }
}

impl Pep440Version {
    pub fn parse(s: &str) -> Option<Pep440Version> {
        let lower = s.trim().to_ascii_lowercase();
        let mut c = Cursor {
            s: lower.as_bytes(),
            at: 0,
        };
        c.eat("v");
        let mut first = c.number()??;
        let epoch = if c.eat("!") {
            let e = first;
            first = c.number()??;
            e
        } else {
            0
        };
        let mut release = vec![first];
        loop {
            let save = c.at;
            if c.eat(".") {
                if let Some(n) = c.number() {
                    release.push(n?);
                    continue;
                }
            }
            c.at = save;
            break;
        }
        while release.len() > 1 && release.last() == Some(&0) {
            release.pop();
        }

        let pre = {
            let save = c.at;
            c.eat_separator();
            // Longer spellings first: "preview" before "pre", "alpha" before "a".
            let kind = [
                ("alpha", PreKind::Alpha),
                ("a", PreKind::Alpha),
                ("beta", PreKind::Beta),
                ("b", PreKind::Beta),
                ("preview", PreKind::Rc),
                ("pre", PreKind::Rc),
                ("rc", PreKind::Rc),
                ("c", PreKind::Rc),
            ]
            .into_iter()
            .find(|(word, _)| c.eat(word))
            .map(|(_, k)| k);
            match kind {
                Some(k) => Some((k, implicit_number(&mut c)?)),
                None => {
                    c.at = save;
                    None
                }
            }
        };

        let post = {
            let save = c.at;
            if c.eat("-") && matches!(c.peek(), Some(b'0'..=b'9')) {
                Some(c.number()??)
            } else {
                c.at = save;
                c.eat_separator();
                if c.eat("post") || c.eat("rev") || c.eat("r") {
                    Some(implicit_number(&mut c)?)
                } else {
                    c.at = save;
                    None
                }
            }
        };

        let dev = {
            let save = c.at;
            c.eat_separator();
            if c.eat("dev") {
                Some(implicit_number(&mut c)?)
            } else {
                c.at = save;
                None
            }
        };

        let mut local = Vec::new();
        if c.eat("+") {
            let rest = std::str::from_utf8(c.s.get(c.at..)?).ok()?;
            for part in rest.split(['-', '_', '.']) {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return None;
                }
                local.push(match super::number(part) {
                    Some(n) => LocalPart::Number(n),
                    None if part.bytes().all(|b| b.is_ascii_digit()) => return None,
                    None => LocalPart::Text(part.into()),
                });
            }
            c.at = c.s.len();
        }
        if !c.done() {
            return None;
        }
        Some(Pep440Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    fn pre_key(&self) -> PreKey {
        match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => PreKey::DevOnly,
            (Some((k, n)), _, _) => PreKey::Pre(k, n),
            (None, _, _) => PreKey::Release,
        }
    }
}

/// `[-_.]?N`, where a missing N means 0 (`1.0a` is `1.0a0`). `None` on
/// overflow.
fn implicit_number(c: &mut Cursor<'_>) -> Option<u64> {
    let save = c.at;
    c.eat_separator();
    match c.number() {
        Some(n) => n,
        None => {
            c.at = save;
            Some(0)
        }
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release.cmp(&other.release))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            // No post release sorts before any post release.
            .then_with(|| self.post.cmp(&other.post))
            // No dev release sorts after every dev release.
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}
ord_by_cmp!(Pep440Version);

#[cfg(test)]
mod tests {
    use crate::version::testutil::{ascending, equal, unparseable};
    use crate::version::Scheme;

    #[test]
    fn pep_440_summary_ordering() {
        // PEP 440, "Summary of permitted suffixes and relative ordering".
        ascending(
            Scheme::Pep440,
            &[
                "1.dev0",
                "1.0.dev456",
                "1.0a1",
                "1.0a2.dev456",
                "1.0a12.dev456",
                "1.0a12",
                "1.0b1.dev456",
                "1.0b2",
                "1.0b2.post345.dev456",
                "1.0b2.post345",
                "1.0rc1.dev456",
                "1.0rc1",
                "1.0",
                "1.0+abc.5",
                "1.0+abc.7",
                "1.0+5",
                "1.0.post456.dev34",
                "1.0.post456",
                "1.0.15",
                "1.1.dev1",
            ],
        );
        // The brief's chain, and epochs.
        ascending(
            Scheme::Pep440,
            &[
                "1.0.dev0",
                "1.0a1",
                "1.0b2.post3",
                "1.0rc1",
                "1.0",
                "1.0.post1",
                "1.1.dev1",
            ],
        );
        ascending(
            Scheme::Pep440,
            &["2013.10", "2014.04", "1!1.0", "1!1.1", "2!0.1"],
        );
    }

    #[test]
    fn normalisation_examples() {
        // PEP 440, "Normalization".
        equal(
            Scheme::Pep440,
            &[
                ("1.1RC1", "1.1rc1"),
                ("1.0a", "1.0a0"),
                ("1.1.a1", "1.1a1"),
                ("1.1-a1", "1.1a1"),
                ("1.0alpha1", "1.0a1"),
                ("1.0beta2", "1.0b2"),
                ("1.0c1", "1.0rc1"),
                ("1.0pre1", "1.0rc1"),
                ("1.0preview1", "1.0rc1"),
                ("1.0a.1", "1.0a1"),
                ("1.2.post", "1.2.post0"),
                ("1.2-post-2", "1.2.post2"),
                ("1.2post2", "1.2.post2"),
                ("1.0-r4", "1.0.post4"),
                ("1.0rev4", "1.0.post4"),
                ("1.0-1", "1.0.post1"),
                ("1.2.dev", "1.2.dev0"),
                ("1.2-dev2", "1.2.dev2"),
                ("1.2dev2", "1.2.dev2"),
                ("1.0+ubuntu-1", "1.0+ubuntu.1"),
                ("1.0+ubuntu_1", "1.0+ubuntu.1"),
                ("v1.0", "1.0"),
                ("  1.0\n", "1.0"),
                ("00", "0"),
                ("09000", "9000"),
                ("1.0", "1.0.0"),
                ("0!1.0", "1.0"),
            ],
        );
        unparseable(
            Scheme::Pep440,
            &[
                "",
                "1.0+",
                "1.0+ubuntu..1",
                "french toast",
                "1.0-",
                "1.0a1b1",
                "dev",
                "1.0.dev1.post1",
            ],
        );
    }
}
