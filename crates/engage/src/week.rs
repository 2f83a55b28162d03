//! The week across clients, following the seed's cadence: Monday architecture
//! and urgent decisions, Tuesday build, Wednesday sessions and vendor calls,
//! Thursday AI systems and data, Friday write-up; each client's share sized
//! to the tier hours it has left this month.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use fcto_ical::{Calendar, Event, When};
use serde::Serialize;

use crate::model::{Activity, Client, Decision, Month, System, SystemStatus, WorkKind};
use crate::tier::TierBudget;

/// What the planner knows of one active client.
#[derive(Debug, Clone)]
pub struct ClientWeekInput {
    pub client: Client,
    pub budget: TierBudget,
    /// Hours already logged in the month the week starts in.
    pub used_this_month: f64,
    /// Proposed decisions due this week or already overdue.
    pub decisions_due: Vec<Decision>,
    pub systems: Vec<System>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekPlan {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: Vec<DayPlan>,
    pub clients: Vec<ClientWeek>,
    pub decisions_due: Vec<DueDecision>,
    pub total_hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayPlan {
    pub date: NaiveDate,
    pub weekday: String,
    pub theme: &'static str,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Block {
    pub client: String,
    pub client_name: String,
    pub title: String,
    pub activity: Activity,
    pub kind: WorkKind,
    pub hours: f64,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientWeek {
    pub client: String,
    pub name: String,
    pub tier: String,
    pub budget: String,
    pub used_this_month: f64,
    pub remaining_this_month: f64,
    pub planned_hours: f64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueDecision {
    pub client: String,
    pub number: i64,
    pub title: String,
    pub decide_by: NaiveDate,
    pub overdue: bool,
}

/// A day of the cadence: which part of a client's weekly hours it takes and
/// what that time is for.
struct Cadence {
    weekday: Weekday,
    theme: &'static str,
    weight: f64,
    activity: Activity,
    kind: WorkKind,
}

const CADENCE: [Cadence; 5] = [
    Cadence {
        weekday: Weekday::Mon,
        theme: "Architecture and urgent decisions",
        weight: 0.25,
        activity: Activity::Review,
        kind: WorkKind::Decide,
    },
    Cadence {
        weekday: Weekday::Tue,
        theme: "System build",
        weight: 0.35,
        activity: Activity::Build,
        kind: WorkKind::Execute,
    },
    Cadence {
        weekday: Weekday::Wed,
        theme: "Direction sessions and vendor calls",
        weight: 0.15,
        activity: Activity::Session,
        kind: WorkKind::Decide,
    },
    Cadence {
        weekday: Weekday::Thu,
        theme: "AI systems and data",
        weight: 0.15,
        activity: Activity::Build,
        kind: WorkKind::Execute,
    },
    Cadence {
        weekday: Weekday::Fri,
        theme: "Write-up: audit findings and handover notes",
        weight: 0.10,
        activity: Activity::Docs,
        kind: WorkKind::Execute,
    },
];

/// The Monday on or before `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn workdays_between(from: NaiveDate, to_inclusive: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d <= to_inclusive {
        if d.weekday().num_days_from_monday() < 5 {
            n += 1;
        }
        d += Duration::days(1);
    }
    n
}

/// Round to a quarter hour.
fn quarter(h: f64) -> f64 {
    (h * 4.0).round() / 4.0
}

/// Hours of this client's month plan that fall in the working days of this
/// week, given what is already used.
fn weekly_allocation(input: &ClientWeekInput, start: NaiveDate) -> (f64, f64) {
    let plan = input.budget.plan_hours();
    let remaining = (plan - input.used_this_month).max(0.0);
    let friday = start + Duration::days(4);
    let month = Month::of(start);
    let month_end = month.last_day();
    let days_left_in_month = workdays_between(start, month_end).max(1);
    let week_days_this_month = workdays_between(start, friday.min(month_end));
    let mut hours = remaining * week_days_this_month as f64 / days_left_in_month as f64;
    if friday > month_end {
        // The rest of the week belongs to next month's fresh budget.
        let next = month.next();
        let next_days = workdays_between(next.first_day(), next.last_day()).max(1);
        let in_next = workdays_between(next.first_day(), friday);
        hours += plan * in_next as f64 / next_days as f64;
    }
    (remaining, hours)
}

/// Lay out the week starting on the Monday of `start`.
pub fn plan_week(start: NaiveDate, inputs: &[ClientWeekInput], day_start: NaiveTime) -> WeekPlan {
    let start = monday_of(start);
    let end = start + Duration::days(4);
    let mut days: Vec<DayPlan> = CADENCE
        .iter()
        .enumerate()
        .map(|(i, c)| DayPlan {
            date: start + Duration::days(i as i64),
            weekday: format!("{:?}", c.weekday),
            theme: c.theme,
            blocks: Vec::new(),
        })
        .collect();
    let mut clients = Vec::new();
    let mut decisions_due = Vec::new();

    for input in inputs {
        let c = &input.client;
        let (remaining, weekly) = weekly_allocation(input, start);
        let mut planned = 0.0;
        let mut note = None;
        let building: Vec<&System> = input
            .systems
            .iter()
            .filter(|s| s.status != SystemStatus::Live)
            .collect();
        let session_week =
            first_wednesday(Month::of(start + Duration::days(2))) == start + Duration::days(2);

        for (i, cad) in CADENCE.iter().enumerate() {
            let mut hours = quarter(weekly * cad.weight);
            if weekly > 0.0 && hours < 0.25 {
                hours = 0.25;
            }
            let title = match cad.weekday {
                Weekday::Mon => format!(
                    "{}: review last week's pull requests and urgent decisions",
                    c.name
                ),
                Weekday::Tue => match building.first() {
                    Some(s) => format!("{}: build {}", c.name, s.name),
                    None => format!("{}: build the next system on the build list", c.name),
                },
                Weekday::Wed if session_week => format!("{}: monthly roadmap session", c.name),
                Weekday::Wed => format!("{}: vendor calls and technology direction", c.name),
                Weekday::Thu => format!("{}: AI systems and data plumbing", c.name),
                _ => format!("{}: write-up, audit findings and handover notes", c.name),
            };
            // The monthly session happens whatever the budget says.
            if cad.weekday == Weekday::Wed && session_week {
                hours = hours.max(1.0);
            }
            // Decisions due this week must be taken even on a spent budget.
            if cad.weekday == Weekday::Mon && hours == 0.0 && !input.decisions_due.is_empty() {
                hours = 0.5;
            }
            if hours > 0.0 {
                days[i].blocks.push(Block {
                    client: c.slug.clone(),
                    client_name: c.name.clone(),
                    title,
                    activity: cad.activity,
                    kind: cad.kind,
                    hours,
                    start: NaiveDateTime::MIN,
                    end: NaiveDateTime::MIN,
                });
                planned += hours;
            }
        }
        if remaining <= 0.0 {
            note = Some(format!(
                "this month's {} is used up ({} h logged)",
                input.budget.label(),
                input.used_this_month
            ));
        }
        for d in &input.decisions_due {
            if let Some(by) = d.decide_by {
                decisions_due.push(DueDecision {
                    client: c.slug.clone(),
                    number: d.number,
                    title: d.title.clone(),
                    decide_by: by,
                    overdue: by < start,
                });
            }
        }
        clients.push(ClientWeek {
            client: c.slug.clone(),
            name: c.name.clone(),
            tier: c.tier.to_string(),
            budget: input.budget.label(),
            used_this_month: input.used_this_month,
            remaining_this_month: remaining,
            planned_hours: planned,
            note,
        });
    }

    for day in &mut days {
        let mut at = day.date.and_time(day_start);
        for b in &mut day.blocks {
            b.start = at;
            at += Duration::minutes((b.hours * 60.0).round() as i64);
            b.end = at;
        }
    }
    decisions_due.sort_by(|a, b| {
        (a.decide_by, &a.client, a.number).cmp(&(b.decide_by, &b.client, b.number))
    });
    let total_hours = clients.iter().map(|c| c.planned_hours).sum();
    WeekPlan {
        start,
        end,
        days,
        clients,
        decisions_due,
        total_hours,
    }
}

fn first_wednesday(m: Month) -> NaiveDate {
    let first = m.first_day();
    let offset = (7 + 2 - first.weekday().num_days_from_monday() as i64) % 7;
    first + Duration::days(offset)
}

impl WeekPlan {
    /// The plan as an iCalendar: one event per block, and an all-day event
    /// for each decision due (on its decide-by date, or Monday if overdue).
    pub fn to_calendar(&self) -> Calendar {
        let mut cal = Calendar::new(format!("fcto week of {}", self.start));
        for day in &self.days {
            for (i, b) in day.blocks.iter().enumerate() {
                cal.events.push(Event {
                    uid: format!("{}-{}-{}@fcto", day.date, b.client, i),
                    when: When::Floating {
                        start: b.start,
                        end: b.end,
                    },
                    summary: b.title.clone(),
                    description: Some(format!(
                        "{} · {} · {} h ({})",
                        day.theme, b.activity, b.hours, b.kind
                    )),
                    categories: vec![b.client.clone(), b.activity.to_string()],
                    alarm_minutes_before: None,
                });
            }
        }
        for d in &self.decisions_due {
            let on = if d.overdue { self.start } else { d.decide_by };
            cal.events.push(Event {
                uid: format!("decision-{}-{}@fcto", d.client, d.number),
                when: When::AllDay(on),
                summary: format!(
                    "{}decide {:04}: {} ({})",
                    if d.overdue { "OVERDUE: " } else { "" },
                    d.number,
                    d.title,
                    d.client
                ),
                description: Some(format!("Decide by {}", d.decide_by)),
                categories: vec![d.client.clone(), "decision".into()],
                alarm_minutes_before: Some(60),
            });
        }
        cal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DecisionStatus, Tier};
    use crate::tier::TierTable;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn client(slug: &str, tier: Tier) -> Client {
        Client {
            id: 1,
            slug: slug.into(),
            name: slug.to_uppercase(),
            sector: None,
            currency: "GBP".into(),
            tier,
            owner_name: None,
            owner_email: None,
            start_date: d(2026, 10, 1),
            archived: false,
        }
    }

    fn input(slug: &str, tier: Tier, used: f64) -> ClientWeekInput {
        ClientWeekInput {
            client: client(slug, tier),
            budget: TierTable::default().budget(tier),
            used_this_month: used,
            decisions_due: vec![],
            systems: vec![],
        }
    }

    #[test]
    fn follows_the_cadence_and_sizes_to_remaining_hours() {
        // Week of Mon 2026-11-09; November has 21 workdays, 16 left from the 9th.
        let plan = plan_week(
            d(2026, 11, 11),
            &[input("growth", Tier::Growth, 4.0)],
            NaiveTime::from_hms_opt(9, 0, 0).expect("t"),
        );
        assert_eq!(plan.start, d(2026, 11, 9));
        assert_eq!(plan.days.len(), 5);
        assert_eq!(plan.days[0].theme, "Architecture and urgent decisions");
        assert_eq!(plan.days[1].blocks[0].activity, Activity::Build);
        // 16 h remaining * 5/16 = 5 h for the week
        assert!(
            (plan.clients[0].planned_hours - 5.0).abs() <= 0.5,
            "{:?}",
            plan.clients[0]
        );
        let b = &plan.days[0].blocks[0];
        assert_eq!(b.start.time(), NaiveTime::from_hms_opt(9, 0, 0).expect("t"));
        assert_eq!((b.end - b.start).num_minutes(), (b.hours * 60.0) as i64);
    }

    #[test]
    fn spent_budget_leaves_only_due_decisions_and_sessions() {
        let mut i = input("found", Tier::Foundation, 10.0);
        i.decisions_due.push(Decision {
            id: 1,
            client_slug: "found".into(),
            number: 2,
            title: "Pick a CRM".into(),
            context: String::new(),
            options: vec![],
            outcome: None,
            status: DecisionStatus::Proposed,
            decide_by: Some(d(2026, 11, 5)),
            decided_by: None,
            decided_on: None,
            superseded_by: None,
            created_on: d(2026, 11, 1),
        });
        let plan = plan_week(
            d(2026, 11, 9),
            &[i],
            NaiveTime::from_hms_opt(9, 0, 0).expect("t"),
        );
        let c = &plan.clients[0];
        assert_eq!(c.remaining_this_month, 0.0);
        assert!(c.note.as_deref().unwrap_or("").contains("used up"));
        assert_eq!(
            plan.days[0].blocks.len(),
            1,
            "only the decision slot on Monday"
        );
        assert!(plan.days[1].blocks.is_empty());
        assert!(plan.decisions_due[0].overdue);
        let ics = plan
            .to_calendar()
            .render_at(d(2026, 11, 8).and_hms_opt(0, 0, 0).expect("t"));
        assert!(ics.contains("SUMMARY:OVERDUE: decide 0002: Pick a CRM (found)"));
    }

    #[test]
    fn first_wednesday_week_holds_the_monthly_session() {
        // 2026-12-02 is the first Wednesday of December.
        let plan = plan_week(
            d(2026, 11, 30),
            &[input("g", Tier::Growth, 0.0)],
            NaiveTime::from_hms_opt(9, 0, 0).expect("t"),
        );
        let wed = &plan.days[2];
        assert!(wed.blocks[0].title.contains("monthly roadmap session"));
        assert!(wed.blocks[0].hours >= 1.0);
    }

    #[test]
    fn blocks_of_several_clients_do_not_overlap() {
        let plan = plan_week(
            d(2026, 11, 16),
            &[
                input("a", Tier::Growth, 0.0),
                input("b", Tier::Dominance, 0.0),
                input("c", Tier::Foundation, 2.0),
            ],
            NaiveTime::from_hms_opt(9, 0, 0).expect("t"),
        );
        for day in &plan.days {
            for w in day.blocks.windows(2) {
                assert!(w[0].end <= w[1].start);
            }
        }
        assert_eq!(plan.clients.len(), 3);
    }
}
