//! Maven's `ComparableVersion` (maven-artifact): the version is split at
//! `.`, at `-` (which opens a sub-list) and at each change between digits
//! and letters (which also opens a sub-list); trailing "null" items (0, the
//! empty qualifier, `ga`, `final`, `release`, empty lists) are dropped; then
//! numbers compare as numbers, qualifiers by alpha < beta < milestone <
//! rc = cr < snapshot < "" = ga = final = release < sp < other text
//! (lexically), and a number beats a list, which beats a qualifier.

use std::cmp::Ordering;

use super::ord_by_cmp;

#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
}

#[derive(Debug, Clone)]
enum Item {
    /// Digits without leading zeros (any length: Maven uses BigInteger).
    Number(Box<str>),
    Qualifier(Qualifier),
    List(Vec<Item>),
}

/// A qualifier's rank; unknown text ranks after every known one and among
/// them lexically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Qualifier {
    Alpha,
    Beta,
    Milestone,
    Rc,
    Snapshot,
    Release,
    Sp,
    Other(Box<str>),
}

impl Qualifier {
    fn new(text: &str, followed_by_digit: bool) -> Qualifier {
        match text {
            "a" if followed_by_digit => Qualifier::Alpha,
            "b" if followed_by_digit => Qualifier::Beta,
            "m" if followed_by_digit => Qualifier::Milestone,
            "alpha" => Qualifier::Alpha,
            "beta" => Qualifier::Beta,
            "milestone" => Qualifier::Milestone,
            "rc" | "cr" => Qualifier::Rc,
            "snapshot" => Qualifier::Snapshot,
            "" | "ga" | "final" | "release" => Qualifier::Release,
            "sp" => Qualifier::Sp,
            other => Qualifier::Other(other.into()),
        }
    }
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Number(n) => n.is_empty(),
            Item::Qualifier(q) => *q == Qualifier::Release,
            Item::List(l) => l.is_empty(),
        }
    }

    fn number(digits: &str) -> Item {
        Item::Number(digits.trim_start_matches('0').into())
    }

    fn parsed(is_digit: bool, text: &str) -> Item {
        if is_digit {
            Item::number(text)
        } else {
            Item::Qualifier(Qualifier::new(text, false))
        }
    }
}

/// Drop trailing null items, stepping over non-null sub-lists (as Maven's
/// `ListItem.normalize` does).
fn normalise(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        let Some(item) = list.get(i) else { break };
        if item.is_null() {
            list.remove(i);
        } else if !matches!(item, Item::List(_)) {
            break;
        }
    }
}

impl MavenVersion {
    pub fn parse(s: &str) -> Option<MavenVersion> {
        let v = s.trim().to_lowercase();
        if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        // Each new sub-list is the last item of the list before it, so a
        // stack of open lists is the whole structure; it folds at the end.
        let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
        let mut is_digit = false;
        let mut start = 0;
        for (i, c) in v.char_indices() {
            let list = stack.last_mut()?;
            match c {
                '.' | '-' => {
                    if i == start {
                        list.push(Item::Number("".into()));
                    } else {
                        list.push(Item::parsed(is_digit, v.get(start..i)?));
                    }
                    start = i + 1;
                    if c == '-' {
                        stack.push(Vec::new());
                    }
                }
                '0'..='9' => {
                    if !is_digit && i > start {
                        list.push(Item::Qualifier(Qualifier::new(v.get(start..i)?, true)));
                        start = i;
                        stack.push(Vec::new());
                    }
                    is_digit = true;
                }
                _ => {
                    if is_digit && i > start {
                        list.push(Item::number(v.get(start..i)?));
                        start = i;
                        stack.push(Vec::new());
                    }
                    is_digit = false;
                }
            }
        }
        if v.len() > start {
            stack
                .last_mut()?
                .push(Item::parsed(is_digit, v.get(start..)?));
        }
        while stack.len() > 1 {
            let mut inner = stack.pop()?;
            normalise(&mut inner);
            stack.last_mut()?.push(Item::List(inner));
        }
        let mut items = stack.pop()?;
        normalise(&mut items);
        Some(MavenVersion { items })
    }
}

fn cmp_numbers(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `Item.compareTo`, where `None` is Maven's `null` (the padding of a
/// shorter list).
fn cmp_item(a: Option<&Item>, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(b)) => cmp_item(Some(b), None).reverse(),
        (Some(Item::Number(n)), None) => {
            if n.is_empty() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Some(Item::Qualifier(q)), None) => q.cmp(&Qualifier::Release),
        (Some(Item::List(l)), None) => match l.first() {
            None => Ordering::Equal,
            Some(first) => cmp_item(Some(first), None),
        },
        (Some(Item::Number(x)), Some(Item::Number(y))) => cmp_numbers(x, y),
        (Some(Item::Number(_)), Some(_)) => Ordering::Greater,
        (Some(Item::Qualifier(x)), Some(Item::Qualifier(y))) => x.cmp(y),
        (Some(Item::Qualifier(_)), Some(_)) => Ordering::Less,
        (Some(Item::List(_)), Some(Item::Number(_))) => Ordering::Less,
        (Some(Item::List(_)), Some(Item::Qualifier(_))) => Ordering::Greater,
        (Some(Item::List(x)), Some(Item::List(y))) => cmp_lists(x, y),
    }
}

fn cmp_lists(x: &[Item], y: &[Item]) -> Ordering {
    for i in 0..x.len().max(y.len()) {
        let ord = cmp_item(x.get(i), y.get(i));
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}
ord_by_cmp!(MavenVersion);

#[cfg(test)]
mod tests {
    use crate::version::testutil::{ascending, equal, unparseable};
    use crate::version::Scheme;

    #[test]
    fn comparable_version_test_orderings() {
        // The qualifier and number sequences of maven-artifact's
        // ComparableVersionTest.
        ascending(
            Scheme::Maven,
            &[
                "1-alpha2snapshot",
                "1-alpha2",
                "1-alpha-123",
                "1-beta-2",
                "1-beta123",
                "1-m2",
                "1-m11",
                "1-rc",
                "1-cr2",
                "1-rc123",
                "1-SNAPSHOT",
                "1",
                "1-sp",
                "1-sp2",
                "1-sp123",
                "1-abc",
                "1-def",
                "1-pom-1",
                "1-1-snapshot",
                "1-1",
                "1-2",
                "1-123",
            ],
        );
        ascending(
            Scheme::Maven,
            &[
                "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
                "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11",
                "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
            ],
        );
        // Log4Shell's fixed versions, as Maven orders them.
        ascending(
            Scheme::Maven,
            &[
                "2.0-beta9",
                "2.0-rc1",
                "2.0",
                "2.3.1",
                "2.12.2",
                "2.12.4",
                "2.15.0",
                "2.16.0",
                "2.17.1",
            ],
        );
    }

    #[test]
    fn comparable_version_test_equalities() {
        equal(
            Scheme::Maven,
            &[
                ("1", "1.0"),
                ("1", "1.0.0"),
                ("1.0", "1.0.0"),
                ("1", "1-0"),
                ("1", "1.0-0"),
                ("1.0", "1.0-0"),
                ("1a", "1-a"),
                ("1a", "1.0-a"),
                ("1a", "1.0.0-a"),
                ("1.0a", "1-a"),
                ("1.0.0a", "1-a"),
                ("1x", "1-x"),
                ("1x", "1.0-x"),
                ("1.0x", "1.0.0-x"),
                ("1ga", "1"),
                ("1release", "1"),
                ("1final", "1"),
                ("1cr", "1rc"),
                ("1a1", "1-alpha-1"),
                ("1b2", "1-beta-2"),
                ("1m3", "1-milestone-3"),
                ("1X", "1x"),
                ("1A", "1a"),
                ("1SNAPSHOT", "1-snapshot"),
                ("1.0.0-RELEASE", "1.0.0.Final"),
                ("007", "7"),
            ],
        );
        unparseable(Scheme::Maven, &["", "1 0", "1\t0"]);
    }
}
