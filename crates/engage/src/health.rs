//! Engagement health: the seed's three measurements (built systems live and
//! their metric moving; the team deciding without the CTO; the executor share
//! falling month on month), plus hours against the tier budget and the
//! month-one rule (no live system inside the first month = wrong shape).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::model::{
    Client, DecidedBy, Decision, DecisionStatus, Month, MonthHours, System, SystemStatus,
};
use crate::tier::{BudgetStanding, TierBudget};

#[derive(Debug, Clone)]
pub struct HealthInput<'a> {
    pub client: &'a Client,
    pub budget: TierBudget,
    /// Logged hours per month (any order; months with none may be absent).
    pub hours: &'a [(Month, MonthHours)],
    pub decisions: &'a [Decision],
    pub systems: &'a [System],
    pub today: NaiveDate,
    /// How many months back from `today` to report.
    pub months: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Health {
    pub client: String,
    pub name: String,
    pub tier: String,
    pub budget: String,
    pub engagement_month: u32,
    pub months: Vec<MonthHealth>,
    pub executor_trend: Trend,
    pub decisions: DecisionHealth,
    pub first_system: FirstSystem,
    pub systems_live: usize,
    /// Plain-English warnings, most serious first.
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthHealth {
    pub month: Month,
    pub hours: f64,
    pub decide_hours: f64,
    pub execute_hours: f64,
    pub budget_min: f64,
    pub budget_max: Option<f64>,
    pub standing: BudgetStanding,
    pub executor_share: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrendDirection {
    Falling,
    Flat,
    Rising,
    /// Fewer than two months with hours.
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// Least-squares change in executor share per month (e.g. -0.05 = five
    /// points less executing each month).
    pub slope_per_month: Option<f64>,
    pub direction: TrendDirection,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionHealth {
    pub open: usize,
    pub decided: usize,
    pub decided_by_team: usize,
    /// Share of decided records made by the client's own people.
    pub team_share: Option<f64>,
    pub overdue: Vec<Overdue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overdue {
    pub number: i64,
    pub title: String,
    pub decide_by: NaiveDate,
    pub days_overdue: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FirstSystem {
    pub first_month_ends: NaiveDate,
    pub live_in_first_month: Option<String>,
    pub state: FirstSystemState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstSystemState {
    /// A system went live inside the first month.
    Live,
    /// Still in month one, nothing live yet.
    Pending,
    /// Month one is over and nothing went live in it.
    WrongShape,
}

/// Slope under which the executor share counts as falling (per month).
const TREND_EPSILON: f64 = 0.02;

pub fn assess(input: &HealthInput) -> Health {
    let c = input.client;
    let today_month = Month::of(input.today);
    let start_month = Month::of(c.start_date);
    let mut months = Vec::new();
    let mut m = today_month;
    for _ in 0..input.months.max(1) {
        if m < start_month {
            break;
        }
        months.push(m);
        m = m.prev();
    }
    months.reverse();

    let month_rows: Vec<MonthHealth> = months
        .iter()
        .map(|m| {
            let h = input.hours.iter().filter(|(hm, _)| hm == m).fold(
                MonthHours::default(),
                |acc, (_, h)| MonthHours {
                    decide: acc.decide + h.decide,
                    execute: acc.execute + h.execute,
                },
            );
            let budget = prorated(input.budget, *m, c.start_date);
            MonthHealth {
                month: *m,
                hours: h.total(),
                decide_hours: h.decide,
                execute_hours: h.execute,
                budget_min: budget.min_hours,
                budget_max: budget.max_hours,
                standing: budget.standing(h.total()),
                executor_share: h.executor_share(),
            }
        })
        .collect();

    let executor_trend = trend(&month_rows);
    let decisions = decision_health(input.decisions, input.today);
    let first_system = first_system(c, input.systems, input.today);
    let engagement_month = engagement_month(c.start_date, input.today);
    let systems_live = input
        .systems
        .iter()
        .filter(|s| s.status == SystemStatus::Live)
        .count();

    let mut flags = Vec::new();
    if first_system.state == FirstSystemState::WrongShape {
        flags.push(format!(
            "No system went live in the first month (ended {}): the engagement is in the wrong shape.",
            first_system.first_month_ends
        ));
    }
    if executor_trend.direction == TrendDirection::Rising {
        flags.push(
            "The executor share is rising: the engagement is drifting into senior-contractor work."
                .into(),
        );
    }
    for o in &decisions.overdue {
        flags.push(format!(
            "Decision {:04} \"{}\" is {} day(s) past its decide-by date ({}).",
            o.number, o.title, o.days_overdue, o.decide_by
        ));
    }
    // Completed months only: the current one is still filling up.
    for row in month_rows.iter().filter(|r| r.month < today_month) {
        match row.standing {
            BudgetStanding::Over => flags.push(format!(
                "{}: {} h logged, over the {} budget.",
                row.month,
                row.hours,
                budget_label(row)
            )),
            BudgetStanding::Under => flags.push(format!(
                "{}: {} h logged, under the {} budget.",
                row.month,
                row.hours,
                budget_label(row)
            )),
            _ => {}
        }
    }
    if first_system.state == FirstSystemState::Pending {
        flags.push(format!(
            "Month one: no system is live yet; one must be by {}.",
            first_system.first_month_ends
        ));
    }

    Health {
        client: c.slug.clone(),
        name: c.name.clone(),
        tier: c.tier.to_string(),
        budget: input.budget.label(),
        engagement_month,
        months: month_rows,
        executor_trend,
        decisions,
        first_system,
        systems_live,
        flags,
    }
}

fn budget_label(row: &MonthHealth) -> String {
    TierBudget {
        min_hours: row.budget_min,
        max_hours: row.budget_max,
        planning_hours: None,
    }
    .label()
}

/// The budget of a month, scaled down for the engagement's first calendar
/// month when it started after the 1st (a start on the 25th owes a week).
fn prorated(b: TierBudget, month: Month, start: NaiveDate) -> TierBudget {
    if month != Month::of(start) {
        return b;
    }
    let share = ((month.last_day() - start).num_days() + 1) as f64 / month.days() as f64;
    let round = |h: f64| (h * share * 4.0).round() / 4.0;
    TierBudget {
        min_hours: round(b.min_hours),
        max_hours: b.max_hours.map(round),
        planning_hours: b.planning_hours,
    }
}

/// 1-based month of the engagement that `today` falls in.
pub fn engagement_month(start: NaiveDate, today: NaiveDate) -> u32 {
    if today < start {
        return 0;
    }
    let mut n = 1;
    while let Some(next) = start.checked_add_months(Months::new(n)) {
        if next > today || n > 1200 {
            break;
        }
        n += 1;
    }
    n
}

fn trend(rows: &[MonthHealth]) -> Trend {
    let points: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.executor_share.map(|s| (i as f64, s)))
        .collect();
    if points.len() < 2 {
        return Trend {
            slope_per_month: None,
            direction: TrendDirection::Unknown,
        };
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let direction = if slope <= -TREND_EPSILON {
        TrendDirection::Falling
    } else if slope >= TREND_EPSILON {
        TrendDirection::Rising
    } else {
        TrendDirection::Flat
    };
    Trend {
        slope_per_month: Some((slope * 1000.0).round() / 1000.0),
        direction,
    }
}

fn decision_health(decisions: &[Decision], today: NaiveDate) -> DecisionHealth {
    let decided: Vec<&Decision> = decisions
        .iter()
        .filter(|d| {
            matches!(
                d.status,
                DecisionStatus::Accepted | DecisionStatus::Rejected | DecisionStatus::Superseded
            )
        })
        .filter(|d| d.decided_by.is_some())
        .collect();
    let by_team = decided
        .iter()
        .filter(|d| matches!(d.decided_by, Some(DecidedBy::Team(_))))
        .count();
    let overdue = decisions
        .iter()
        .filter(|d| d.status == DecisionStatus::Proposed)
        .filter_map(|d| {
            let by = d.decide_by?;
            (by < today).then(|| Overdue {
                number: d.number,
                title: d.title.clone(),
                decide_by: by,
                days_overdue: (today - by).num_days(),
            })
        })
        .collect();
    DecisionHealth {
        open: decisions
            .iter()
            .filter(|d| d.status == DecisionStatus::Proposed)
            .count(),
        decided: decided.len(),
        decided_by_team: by_team,
        team_share: (!decided.is_empty()).then(|| by_team as f64 / decided.len() as f64),
        overdue,
    }
}

fn first_system(c: &Client, systems: &[System], today: NaiveDate) -> FirstSystem {
    let ends = c
        .start_date
        .checked_add_months(Months::new(1))
        .unwrap_or(c.start_date);
    let live_in_first = systems
        .iter()
        .filter(|s| s.status == SystemStatus::Live)
        .filter(|s| s.live_date.is_some_and(|d| d < ends))
        .min_by_key(|s| s.live_date)
        .map(|s| s.name.clone());
    let state = match (&live_in_first, today < ends) {
        (Some(_), _) => FirstSystemState::Live,
        (None, true) => FirstSystemState::Pending,
        (None, false) => FirstSystemState::WrongShape,
    };
    FirstSystem {
        first_month_ends: ends,
        live_in_first_month: live_in_first,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;
    use crate::tier::TierTable;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn client(start: NaiveDate) -> Client {
        Client {
            id: 1,
            slug: "acme".into(),
            name: "Acme".into(),
            sector: None,
            currency: "GBP".into(),
            tier: Tier::Growth,
            owner_name: None,
            owner_email: None,
            start_date: start,
            archived: false,
        }
    }

    fn month(y: i32, m: u32) -> Month {
        Month { year: y, month: m }
    }

    fn decision(
        n: i64,
        status: DecisionStatus,
        by: Option<DecidedBy>,
        due: Option<NaiveDate>,
    ) -> Decision {
        Decision {
            id: n,
            client_slug: "acme".into(),
            number: n,
            title: format!("d{n}"),
            context: String::new(),
            options: vec![],
            outcome: None,
            status,
            decide_by: due,
            decided_by: by,
            decided_on: None,
            superseded_by: None,
            created_on: d(2026, 8, 1),
        }
    }

    #[test]
    fn falling_executor_share_and_team_decisions() {
        let c = client(d(2026, 8, 3));
        let hours = [
            (
                month(2026, 8),
                MonthHours {
                    decide: 4.0,
                    execute: 14.0,
                },
            ),
            (
                month(2026, 9),
                MonthHours {
                    decide: 7.0,
                    execute: 11.0,
                },
            ),
            (
                month(2026, 10),
                MonthHours {
                    decide: 10.0,
                    execute: 8.0,
                },
            ),
            (
                month(2026, 11),
                MonthHours {
                    decide: 6.0,
                    execute: 2.0,
                },
            ),
        ];
        let decisions = [
            decision(1, DecisionStatus::Accepted, Some(DecidedBy::Cto), None),
            decision(
                2,
                DecisionStatus::Accepted,
                Some(DecidedBy::Team("Priya".into())),
                None,
            ),
            decision(
                3,
                DecisionStatus::Rejected,
                Some(DecidedBy::Team("Priya".into())),
                None,
            ),
            decision(4, DecisionStatus::Proposed, None, Some(d(2026, 11, 20))),
        ];
        let systems = [System {
            id: 1,
            client_slug: "acme".into(),
            name: "WhatsApp qualifier".into(),
            status: SystemStatus::Live,
            live_date: Some(d(2026, 8, 25)),
            owner: Some("Priya".into()),
            metric: None,
        }];
        let h = assess(&HealthInput {
            client: &c,
            budget: TierTable::default().budget(Tier::Growth),
            hours: &hours,
            decisions: &decisions,
            systems: &systems,
            today: d(2026, 11, 25),
            months: 6,
        });
        assert_eq!(h.months.len(), 4, "starts at the engagement's first month");
        assert_eq!(h.executor_trend.direction, TrendDirection::Falling);
        assert!(h.executor_trend.slope_per_month.expect("slope") < -0.1);
        assert_eq!(h.decisions.decided, 3);
        assert_eq!(h.decisions.team_share, Some(2.0 / 3.0));
        assert_eq!(h.decisions.overdue.len(), 1);
        assert_eq!(h.decisions.overdue[0].days_overdue, 5);
        assert_eq!(h.first_system.state, FirstSystemState::Live);
        assert_eq!(h.engagement_month, 4);
        assert_eq!(h.months[3].standing, BudgetStanding::Under, "8 h of 15–20");
        // the running month is not flagged as under budget
        assert!(!h.flags.iter().any(|f| f.starts_with("2026-11")));
        assert!(h.flags.iter().any(|f| f.contains("past its decide-by")));
    }

    #[test]
    fn rising_share_and_no_system_is_flagged() {
        let c = client(d(2026, 9, 1));
        let hours = [
            (
                month(2026, 9),
                MonthHours {
                    decide: 10.0,
                    execute: 5.0,
                },
            ),
            (
                month(2026, 10),
                MonthHours {
                    decide: 5.0,
                    execute: 12.0,
                },
            ),
            (
                month(2026, 11),
                MonthHours {
                    decide: 2.0,
                    execute: 20.0,
                },
            ),
        ];
        let h = assess(&HealthInput {
            client: &c,
            budget: TierTable::default().budget(Tier::Growth),
            hours: &hours,
            decisions: &[],
            systems: &[],
            today: d(2026, 11, 25),
            months: 12,
        });
        assert_eq!(h.executor_trend.direction, TrendDirection::Rising);
        assert_eq!(h.first_system.state, FirstSystemState::WrongShape);
        assert!(h.flags[0].contains("wrong shape"));
        assert_eq!(h.decisions.team_share, None);
        assert_eq!(h.months[2].standing, BudgetStanding::Over);
    }

    #[test]
    fn a_partial_first_month_has_a_prorated_budget() {
        // Started on the 25th of a 30-day month: 6/30 of 15–20 h = 3–4 h.
        let c = client(d(2026, 9, 25));
        let hours = [(
            month(2026, 9),
            MonthHours {
                decide: 1.0,
                execute: 2.5,
            },
        )];
        let h = assess(&HealthInput {
            client: &c,
            budget: TierTable::default().budget(Tier::Growth),
            hours: &hours,
            decisions: &[],
            systems: &[],
            today: d(2026, 11, 25),
            months: 6,
        });
        assert_eq!(h.months[0].budget_min, 3.0);
        assert_eq!(h.months[0].budget_max, Some(4.0));
        assert_eq!(h.months[0].standing, BudgetStanding::Within);
        assert_eq!(h.months[1].budget_min, 15.0, "later months are whole");
    }

    #[test]
    fn month_one_without_a_live_system_is_pending() {
        let c = client(d(2026, 11, 10));
        let h = assess(&HealthInput {
            client: &c,
            budget: TierTable::default().budget(Tier::Growth),
            hours: &[],
            decisions: &[],
            systems: &[],
            today: d(2026, 11, 25),
            months: 3,
        });
        assert_eq!(h.engagement_month, 1);
        assert_eq!(h.first_system.state, FirstSystemState::Pending);
        assert_eq!(h.first_system.first_month_ends, d(2026, 12, 10));
        assert_eq!(h.executor_trend.direction, TrendDirection::Unknown);
    }
}
