//! Savings: what to cancel, shrink or re-plan, each with £/month and why,
//! and a total that never counts a pound twice.
//!
//! Order of decisions: duplicates of one vendor are consolidated first, then
//! overlapping tools in a category (keeping the one the business spends most
//! on), then unused seats of what is kept, then yearly plans on what is left.
//! Yearly plans, price rises and tools without an owner are reported with
//! their £/month but not counted in the headline total: they need a year's
//! commitment or a conversation, not a cancellation.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Pricing};
use crate::recurring::{Cadence, Series, SeriesStatus};
use crate::seats::{unused_reason, SeatList};

/// Categories where a business needs one tool, so two are an overlap.
pub const ONE_TOOL_CATEGORIES: &[&str] = &[
    "video-conferencing",
    "team-chat",
    "email-and-office-suite",
    "crm",
    "project-management",
    "docs-and-wiki",
    "e-signature",
    "email-marketing",
    "social-media-management",
    "customer-support",
    "password-management",
    "file-storage-and-sharing",
    "forms-and-surveys",
    "scheduling",
    "ai-assistants",
    "website-builder",
    "automation",
    "accounting",
    "payroll-and-hr",
];

/// Suites that include a tool of another category.
const BUNDLES: &[(&str, &[(&str, &str)])] = &[
    (
        "google-workspace",
        &[
            ("video-conferencing", "Google Meet"),
            ("file-storage-and-sharing", "Google Drive"),
            ("forms-and-surveys", "Google Forms"),
        ],
    ),
    (
        "microsoft-365",
        &[
            ("video-conferencing", "Microsoft Teams"),
            ("team-chat", "Microsoft Teams"),
            ("file-storage-and-sharing", "OneDrive"),
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Duplicate,
    Overlap,
    BundledOverlap,
    UnusedSeats,
    AnnualPlan,
    PriceIncrease,
    NoOwner,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub kind: Kind,
    pub vendors: Vec<String>,
    pub title: String,
    pub why: String,
    /// Saving per month in the account currency's minor units.
    pub monthly_saving: i64,
    /// Whether `monthly_saving` is in the total (see the module notes).
    pub counted: bool,
}

/// Seats of one vendor, from its export.
#[derive(Debug, Clone)]
pub struct VendorSeats<'a> {
    pub vendor_id: &'a str,
    pub list: &'a SeatList,
}

#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    pub seats: Vec<VendorSeats<'a>>,
    /// The company directory (a Google Workspace or Microsoft 365 user list).
    pub directory: Option<&'a SeatList>,
    /// Vendor ids with a named owner in the register.
    pub owned: HashSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Savings {
    pub opportunities: Vec<Opportunity>,
    /// Sum of counted savings per month.
    pub total_monthly: i64,
    /// The part a founder can act on inside 30 days (cancellations and seats).
    pub total_30_days: i64,
    /// The total if the kept monthly tools also moved to yearly plans.
    pub total_with_yearly_plans: i64,
    pub currency: String,
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "crm" -> "CRM", "ai-assistants" -> "AI assistants".
fn category_label(cat: &str) -> String {
    cat.split('-')
        .map(|w| match w {
            "crm" | "ai" | "hr" | "seo" | "sms" | "dns" | "it" => w.to_uppercase(),
            w => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn find(series: &[Series], catalog: &Catalog, ctx: &Context, as_of: NaiveDate) -> Savings {
    let currency = series
        .first()
        .map(|s| s.currency.clone())
        .unwrap_or_else(|| "GBP".into());
    let active: Vec<&Series> = series
        .iter()
        .filter(|s| {
            s.status == SeriesStatus::Active && s.vendor_id.is_some() && s.currency == currency
        })
        .collect();
    let name = |id: &str| {
        catalog
            .get(id)
            .map(|v| v.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut ops = Vec::new();
    // Monthly cost still running per vendor after each decision.
    let mut kept: BTreeMap<String, i64> = BTreeMap::new();
    let mut kept_series: HashMap<String, Vec<&Series>> = HashMap::new();

    // 1. Two or more live subscriptions of one vendor.
    let mut by_vendor: BTreeMap<&str, Vec<&Series>> = BTreeMap::new();
    for s in &active {
        by_vendor
            .entry(s.vendor_id.as_deref().unwrap_or(""))
            .or_default()
            .push(s);
    }
    for (vid, mut list) in by_vendor {
        list.sort_by_key(|s| std::cmp::Reverse(s.monthly_cost));
        if list.len() > 1 {
            let extra: i64 = list[1..].iter().map(|s| s.monthly_cost).sum();
            ops.push(Opportunity {
                kind: Kind::Duplicate,
                vendors: vec![vid.to_string()],
                title: format!("Consolidate {} subscriptions of {}", list.len(), name(vid)),
                why: format!(
                    "{} is billed as {} separate subscriptions{}; merge them into the largest and cancel the rest.",
                    name(vid),
                    list.len(),
                    if list.iter().map(|s| &s.account).collect::<HashSet<_>>().len() > 1 { " on different cards or accounts" } else { "" }
                ),
                monthly_saving: extra,
                counted: true,
            });
        }
        kept.insert(vid.to_string(), list[0].monthly_cost);
        kept_series.insert(vid.to_string(), vec![list[0]]);
    }

    // 2. Overlapping tools in one category: keep the biggest, cancel the rest.
    let mut by_category: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for vid in kept.keys() {
        if let Some(v) = catalog.get(vid) {
            by_category
                .entry(v.category.clone())
                .or_default()
                .push(vid.clone());
        }
    }
    let mut cancelled: HashSet<String> = HashSet::new();
    for (cat, mut vids) in by_category.clone() {
        if vids.len() < 2 || !ONE_TOOL_CATEGORIES.contains(&cat.as_str()) {
            continue;
        }
        vids.sort_by(|a, b| kept[b].cmp(&kept[a]).then(a.cmp(b)));
        let keep = &vids[0];
        let cut: i64 = vids[1..].iter().map(|v| kept[v]).sum();
        ops.push(Opportunity {
            kind: Kind::Overlap,
            vendors: vids.clone(),
            title: format!("{} {} tools: keep {}", vids.len(), category_label(&cat), name(keep)),
            why: format!(
                "{} do the same job. Keeping {} (the most used by spend) and moving the team off {} saves the rest.",
                and_list(&vids.iter().map(|v| name(v)).collect::<Vec<_>>()),
                name(keep),
                vids[1..].iter().map(|v| name(v)).collect::<Vec<_>>().join(" and ")
            ),
            monthly_saving: cut,
            counted: true,
        });
        for v in &vids[1..] {
            cancelled.insert(v.clone());
        }
    }
    // A tool the business already has inside a suite it pays for.
    for (suite, parts) in BUNDLES {
        if !kept.contains_key(*suite) || cancelled.contains(*suite) {
            continue;
        }
        for (cat, included) in parts.iter() {
            for vid in by_category.get(*cat).into_iter().flatten() {
                if vid != suite && !cancelled.contains(vid) {
                    ops.push(Opportunity {
                        kind: Kind::BundledOverlap,
                        vendors: vec![vid.clone(), suite.to_string()],
                        title: format!("{} duplicates {} in {}", name(vid), included, name(suite)),
                        why: format!(
                            "{} is already paid for inside {}; check whether the team needs {} at all.",
                            included,
                            name(suite),
                            name(vid)
                        ),
                        monthly_saving: kept[vid],
                        counted: false,
                    });
                }
            }
        }
    }
    for v in &cancelled {
        kept.remove(v);
    }

    // 3. Unused seats of what is kept.
    for vs in &ctx.seats {
        let Some(cost) = kept.get(vs.vendor_id).copied() else {
            continue;
        };
        let per_seat_priced = catalog
            .get(vs.vendor_id)
            .is_none_or(|v| v.pricing == Pricing::PerSeat);
        if !per_seat_priced || vs.list.seats.is_empty() {
            continue;
        }
        let directory = ctx.directory.filter(|d| !std::ptr::eq(*d, vs.list));
        let unused: Vec<(String, String)> = vs
            .list
            .seats
            .iter()
            .filter_map(|s| {
                unused_reason(s, vs.list.activity_known, as_of, directory)
                    .map(|r| (s.email.clone(), r))
            })
            .collect();
        if unused.is_empty() {
            continue;
        }
        let per_seat = cost as f64 / vs.list.seats.len() as f64;
        let saving = (per_seat * unused.len() as f64).round() as i64;
        ops.push(Opportunity {
            kind: Kind::UnusedSeats,
            vendors: vec![vs.vendor_id.to_string()],
            title: format!(
                "{} unused {} seat(s) of {}",
                unused.len(),
                name(vs.vendor_id),
                vs.list.seats.len()
            ),
            why: unused
                .iter()
                .map(|(e, r)| format!("{e}: {r}"))
                .collect::<Vec<_>>()
                .join("; "),
            monthly_saving: saving,
            counted: true,
        });
        kept.insert(vs.vendor_id.to_string(), cost - saving);
    }

    // 4. Monthly plans of kept tools that are cheaper yearly.
    for (vid, cost) in &kept {
        let Some(v) = catalog.get(vid) else { continue };
        let Some(pct) = v.annual_discount_pct.filter(|p| *p > 0.0) else {
            continue;
        };
        let monthly_plans: Vec<&&Series> = kept_series[vid]
            .iter()
            .filter(|s| s.cadence == Cadence::Monthly)
            .collect();
        // Only a tool that has stuck for a quarter is worth committing to.
        if monthly_plans.is_empty()
            || monthly_plans
                .iter()
                .any(|s| (as_of - s.first_date).num_days() < 90)
        {
            continue;
        }
        let saving = (*cost as f64 * pct / 100.0).round() as i64;
        if saving <= 0 {
            continue;
        }
        ops.push(Opportunity {
            kind: Kind::AnnualPlan,
            vendors: vec![vid.clone()],
            title: format!("Pay {} yearly", v.name),
            why: format!("{} is paid monthly; its yearly plan is about {pct:.0}% cheaper (a year's commitment).", v.name),
            monthly_saving: saving,
            counted: false,
        });
    }

    // 5. Price rises and 6. tools nobody owns: reported, not counted.
    for (vid, list) in &kept_series {
        if !kept.contains_key(vid) {
            continue;
        }
        for s in list {
            if let Some(p) = &s.price_increase {
                let monthly = ((p.to - p.from) as f64 * s.cadence.per_month()).round() as i64;
                ops.push(Opportunity {
                    kind: Kind::PriceIncrease,
                    vendors: vec![vid.clone()],
                    title: format!("{} costs {:.0}% more than at first", name(vid), p.percent),
                    why: format!(
                        "Up from {} to {} a charge since {}; ask for the old price or a smaller plan.",
                        crate::money::format_minor(p.from),
                        crate::money::format_minor(p.to),
                        p.since
                    ),
                    monthly_saving: monthly.max(0),
                    counted: false,
                });
            }
        }
        if !ctx.owned.contains(vid) {
            ops.push(Opportunity {
                kind: Kind::NoOwner,
                vendors: vec![vid.clone()],
                title: format!("{} has no owner", name(vid)),
                why: "Nobody is named as its owner in the vendor register: no one checks its seats, renewals or use.".into(),
                monthly_saving: 0,
                counted: false,
            });
        }
    }

    ops.sort_by(|a, b| {
        b.counted
            .cmp(&a.counted)
            .then(b.monthly_saving.cmp(&a.monthly_saving))
            .then(a.title.cmp(&b.title))
    });
    let total_monthly = ops
        .iter()
        .filter(|o| o.counted)
        .map(|o| o.monthly_saving)
        .sum();
    let total_30_days = ops
        .iter()
        .filter(|o| {
            o.counted && matches!(o.kind, Kind::Duplicate | Kind::Overlap | Kind::UnusedSeats)
        })
        .map(|o| o.monthly_saving)
        .sum();
    let total_with_yearly_plans = total_monthly
        + ops
            .iter()
            .filter(|o| o.kind == Kind::AnnualPlan)
            .map(|o| o.monthly_saving)
            .sum::<i64>();
    Savings {
        opportunities: ops,
        total_monthly,
        total_30_days,
        total_with_yearly_plans,
        currency,
    }
}
