use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::EngageError;

/// Declares a closed set of lower-case words, with `FromStr`, `Display` and
/// serde as those same words, so CLI flags, database text and JSON agree.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = EngageError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($word => Ok($name::$variant),)+
                    other => Err(EngageError::invalid(
                        $field,
                        format!(
                            "{other:?} is not one of {}",
                            [$($word),+].join(", ")
                        ),
                    )),
                }
            }
        }
    };
}

word_enum!(
    /// The engagement tier, which sets the monthly hour budget.
    Tier, "tier" { Foundation => "foundation", Growth => "growth", Dominance => "dominance" }
);
word_enum!(
    /// Was the hour spent deciding (architecture, direction, review) or
    /// executing (building, writing)? The seed's health test: the executor
    /// share must fall as an engagement matures.
    WorkKind, "kind" { Decide => "decide", Execute => "execute" }
);
word_enum!(
    Activity, "activity" {
        Review => "review", Build => "build", Session => "session", Vendor => "vendor",
        Audit => "audit", Docs => "docs", Support => "support",
    }
);
word_enum!(
    DecisionStatus, "status" {
        Proposed => "proposed", Accepted => "accepted", Rejected => "rejected",
        Superseded => "superseded",
    }
);
word_enum!(
    SystemStatus, "status" { Planned => "planned", Building => "building", Live => "live" }
);
word_enum!(
    /// A web user either runs engagements (sees every client) or belongs to
    /// one client (sees that client only).
    Role, "role" { Cto => "cto", Client => "client" }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub sector: Option<String>,
    pub currency: String,
    pub tier: Tier,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub start_date: NaiveDate,
    pub archived: bool,
}

/// Fields of a new client, validated by [`crate::validate::new_client`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewClient {
    pub slug: String,
    pub name: String,
    pub sector: Option<String>,
    pub currency: String,
    pub tier: Tier,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub start_date: NaiveDate,
}

/// A partial update of a client; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientEdit {
    pub name: Option<String>,
    pub sector: Option<String>,
    pub currency: Option<String>,
    pub tier: Option<Tier>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub start_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub id: i64,
    pub client_slug: String,
    pub date: NaiveDate,
    pub hours: f64,
    pub kind: WorkKind,
    pub activity: Activity,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTimeEntry {
    pub date: NaiveDate,
    pub hours: f64,
    pub kind: WorkKind,
    pub activity: Activity,
    pub note: Option<String>,
}

/// Who made a decision: the CTO, or a named person of the client's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "name", rename_all = "lowercase")]
pub enum DecidedBy {
    Cto,
    Team(String),
}

impl DecidedBy {
    /// Parse a CLI value: `cto` or a person's name.
    pub fn parse(s: &str) -> Result<Self, EngageError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(EngageError::invalid(
                "decided-by",
                "must be `cto` or a person's name",
            ));
        }
        if t.eq_ignore_ascii_case("cto") {
            Ok(DecidedBy::Cto)
        } else {
            crate::validate::text("decided-by", t, 120)?;
            Ok(DecidedBy::Team(t.to_string()))
        }
    }

    pub fn label(&self) -> &str {
        match self {
            DecidedBy::Cto => "CTO",
            DecidedBy::Team(name) => name,
        }
    }
}

/// A decision record in the shape of MADR: context, the options considered,
/// the outcome, with a date by which it must be decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub id: i64,
    pub client_slug: String,
    /// Per-client sequence number, as in `0007-use-postgres.md`.
    pub number: i64,
    pub title: String,
    pub context: String,
    pub options: Vec<String>,
    pub outcome: Option<String>,
    pub status: DecisionStatus,
    pub decide_by: Option<NaiveDate>,
    pub decided_by: Option<DecidedBy>,
    pub decided_on: Option<NaiveDate>,
    /// Number of the decision that replaced this one.
    pub superseded_by: Option<i64>,
    pub created_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDecision {
    pub title: String,
    pub context: String,
    pub options: Vec<String>,
    pub decide_by: Option<NaiveDate>,
    pub created_on: NaiveDate,
}

/// A system the CTO built (or is building) for a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct System {
    pub id: i64,
    pub client_slug: String,
    pub name: String,
    pub status: SystemStatus,
    pub live_date: Option<NaiveDate>,
    pub owner: Option<String>,
    pub metric: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSystem {
    pub name: String,
    pub status: SystemStatus,
    pub owner: Option<String>,
    pub metric: Option<String>,
}

/// Hours logged in one calendar month, split by kind.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MonthHours {
    pub decide: f64,
    pub execute: f64,
}

impl MonthHours {
    pub fn total(&self) -> f64 {
        self.decide + self.execute
    }

    /// Executor share in 0..=1, or `None` for a month with no hours.
    pub fn executor_share(&self) -> Option<f64> {
        let t = self.total();
        (t > 0.0).then(|| self.execute / t)
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        use chrono::Datelike;
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn days(self) -> i64 {
        (self.last_day() - self.first_day()).num_days() + 1
    }

    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        let year = y.parse().ok()?;
        let month = m.get(..2)?.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Month::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not YYYY-MM")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_reject_unknown() {
        for a in Activity::ALL {
            assert_eq!(a.as_str().parse::<Activity>(), Ok(*a));
        }
        assert_eq!("DECIDE".parse::<WorkKind>(), Ok(WorkKind::Decide));
        let err = "planning".parse::<WorkKind>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid kind: \"planning\" is not one of decide, execute"
        );
    }

    #[test]
    fn months_step_across_years() {
        let dec = Month {
            year: 2026,
            month: 12,
        };
        assert_eq!(
            dec.next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(
            Month {
                year: 2028,
                month: 2
            }
            .days(),
            29
        );
        assert_eq!(
            Month::parse("2026-11"),
            Some(Month {
                year: 2026,
                month: 11
            })
        );
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(dec.to_string(), "2026-12");
    }
}
