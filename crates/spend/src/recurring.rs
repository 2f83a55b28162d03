//! Recurring-charge detection: which charges form a subscription, on what
//! cadence, since when, whether it still runs, and how sure we are.
//!
//! Charges are grouped by vendor (catalog match) or merchant key, then
//! chained in date order: a charge joins the open chain whose expected next
//! date and amount it fits best (a skipped month, billing-date drift, FX noise
//! and a price rise all still fit), otherwise it starts a chain. A chain
//! becomes a [`Series`] when it has enough regular charges for its cadence.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// One money-out charge, in the account currency (positive minor units).
#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    pub date: NaiveDate,
    pub amount: i64,
    pub currency: String,
    /// Amount in the merchant's currency for a foreign charge: stable across
    /// exchange-rate noise, so it is what amounts are compared by.
    pub original: Option<(i64, String)>,
    pub account: Option<String>,
    /// Grouping key: a catalog vendor id, or a merchant key.
    pub key: String,
    pub vendor_id: Option<String>,
    /// Index of the transaction this came from (for callers).
    pub source: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
    Annual,
}

impl Cadence {
    pub const ALL: [Cadence; 4] = [
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::Annual,
    ];

    pub fn period_days(self) -> f64 {
        match self {
            Cadence::Weekly => 7.0,
            Cadence::Monthly => 30.44,
            Cadence::Quarterly => 91.31,
            Cadence::Annual => 365.25,
        }
    }

    /// Allowed distance from the expected date, in days.
    fn tolerance_days(self) -> f64 {
        match self {
            Cadence::Weekly => 2.0,
            Cadence::Monthly => 5.0,
            Cadence::Quarterly => 10.0,
            Cadence::Annual => 20.0,
        }
    }

    /// How many periods may pass between two charges (skipped payments).
    fn max_skip(self) -> u32 {
        match self {
            Cadence::Weekly => 3,
            Cadence::Monthly => 3,
            Cadence::Quarterly => 2,
            Cadence::Annual => 1,
        }
    }

    /// Fewest charges that make a series of this cadence believable.
    fn min_charges(self) -> usize {
        match self {
            Cadence::Weekly => 4,
            Cadence::Monthly => 3,
            Cadence::Quarterly => 3,
            Cadence::Annual => 2,
        }
    }

    /// Factor from one charge to a monthly cost.
    pub fn per_month(self) -> f64 {
        30.44 / self.period_days()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesStatus {
    Active,
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceChange {
    pub from: i64,
    pub to: i64,
    pub since: NaiveDate,
    pub percent: f64,
    /// Whether the amounts compared are in the merchant's own currency.
    pub in_original_currency: bool,
}

/// A detected subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub key: String,
    pub vendor_id: Option<String>,
    pub account: Option<String>,
    pub cadence: Cadence,
    pub currency: String,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub charges: usize,
    /// Payments that were expected but not made inside the series.
    pub missed: usize,
    pub first_amount: i64,
    pub latest_amount: i64,
    /// Latest amount as a monthly cost, in the account currency.
    pub monthly_cost: i64,
    pub status: SeriesStatus,
    pub next_expected: NaiveDate,
    /// 0..=1: regularity of dates and amounts, count of charges, vendor known.
    pub confidence: f64,
    /// Date of the first full charge when the series began with a trial
    /// (a much smaller or zero first charge).
    pub trial_converted: Option<NaiveDate>,
    pub price_increase: Option<PriceChange>,
    /// Source indexes of the charges, in date order.
    pub sources: Vec<usize>,
}

/// Amount used to compare charges of one series (merchant currency if known).
fn comparable(c: &Charge) -> (i64, bool) {
    match &c.original {
        Some((amt, cur)) if *cur != c.currency => (*amt, true),
        _ => (c.amount, false),
    }
}

#[derive(Debug)]
struct Chain {
    charges: Vec<usize>,
    cadence: Option<Cadence>,
    last_date: NaiveDate,
    last_amount: i64,
}

/// How well charge `c` (date, amount) continues `chain`: lower is better;
/// `None` when it does not fit at all.
fn fit(chain: &Chain, date: NaiveDate, amount: i64, price_rise_ok: bool) -> Option<(f64, Cadence)> {
    let gap = (date - chain.last_date).num_days() as f64;
    if gap <= 0.0 {
        return None;
    }
    let ratio = amount as f64 / chain.last_amount.max(1) as f64;
    // FX and usage noise within ±12%; a price change (either way) up to 2x
    // is still the same subscription, at a cost.
    let amount_cost = if (0.88..=1.12).contains(&ratio) {
        (ratio - 1.0).abs()
    } else if price_rise_ok && (0.5..=2.0).contains(&ratio) {
        0.6
    } else {
        return None;
    };
    let cadences: &[Cadence] = match chain.cadence {
        Some(c) => match c {
            Cadence::Weekly => &[Cadence::Weekly],
            Cadence::Monthly => &[Cadence::Monthly],
            Cadence::Quarterly => &[Cadence::Quarterly],
            Cadence::Annual => &[Cadence::Annual],
        },
        None => &Cadence::ALL,
    };
    let mut best: Option<(f64, Cadence)> = None;
    for &cad in cadences {
        // A new chain's second charge must be one period on (a skip is only
        // recognised once the cadence is known).
        let max_k = if chain.cadence.is_some() {
            cad.max_skip()
        } else {
            1
        };
        for k in 1..=max_k {
            let expected = cad.period_days() * k as f64;
            let off = (gap - expected).abs();
            if off <= cad.tolerance_days() * (1.0 + 0.3 * (k - 1) as f64) {
                let score = off / cad.period_days() + 0.35 * (k - 1) as f64 + amount_cost;
                if best.is_none_or(|(s, _)| score < s) {
                    best = Some((score, cad));
                }
            }
        }
    }
    best
}

/// Find the subscriptions among `charges` (any order). `as_of` is the date
/// the data runs to: a series with no charge since its next expected date
/// (plus tolerance) by then has stopped.
pub fn detect(charges: &[Charge], as_of: NaiveDate) -> Vec<Series> {
    let mut groups: HashMap<(&str, Option<&str>, &str), Vec<usize>> = HashMap::new();
    for (i, c) in charges.iter().enumerate() {
        if c.amount > 0 {
            groups
                .entry((c.key.as_str(), c.account.as_deref(), c.currency.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort();
    for k in keys {
        let mut idx = groups.remove(&k).unwrap_or_default();
        idx.sort_by_key(|&i| (charges[i].date, charges[i].amount));
        if idx.len() > BUSY_GROUP {
            // One chain per exact amount: quadratic chaining is avoided, and
            // at such a merchant only identical amounts are believable.
            let mut by_amount: HashMap<i64, Vec<usize>> = HashMap::new();
            for &i in &idx {
                by_amount
                    .entry(comparable(&charges[i]).0)
                    .or_default()
                    .push(i);
            }
            let mut amounts: Vec<i64> = by_amount.keys().copied().collect();
            amounts.sort_unstable();
            for a in amounts {
                let sub = &by_amount[&a];
                if sub.len() >= 4 {
                    out.extend(detect_group(charges, sub, as_of, true));
                }
            }
        } else {
            out.extend(detect_group(charges, &idx, as_of, false));
        }
    }
    out.sort_by(|a, b| b.monthly_cost.cmp(&a.monthly_cost).then(a.key.cmp(&b.key)));
    out
}

/// Above this many charges a group is a merchant bought from at random (ad
/// spend, a marketplace, a café): chaining every charge against every open
/// chain would be quadratic, and a subscription there shows itself by an
/// identical amount.
const BUSY_GROUP: usize = 400;

/// `strict`: the group is one amount split out of a busy merchant, so the
/// strict evidence rule applies.
fn detect_group(charges: &[Charge], idx: &[usize], as_of: NaiveDate, strict: bool) -> Vec<Series> {
    let known_vendor = charges[idx[0]].vendor_id.is_some();
    let mut chains: Vec<Chain> = Vec::new();
    for &i in idx {
        let c = &charges[i];
        let (amount, _) = comparable(c);
        let mut best: Option<(f64, usize, Cadence)> = None;
        for (ci, ch) in chains.iter().enumerate() {
            // Chains idle for more than a year and a half cannot continue.
            if (c.date - ch.last_date).num_days() > 550 {
                continue;
            }
            let rise_ok = ch.charges.len() >= 2;
            if let Some((score, cad)) = fit(ch, c.date, amount, rise_ok) {
                if best.is_none_or(|(s, _, _)| score < s) {
                    best = Some((score, ci, cad));
                }
            }
        }
        match best {
            Some((_, ci, cad)) => {
                let ch = &mut chains[ci];
                ch.charges.push(i);
                ch.cadence.get_or_insert(cad);
                ch.last_date = c.date;
                ch.last_amount = amount;
            }
            None => chains.push(Chain {
                charges: vec![i],
                cadence: None,
                last_date: c.date,
                last_amount: amount,
            }),
        }
    }

    // Single charges left over: candidates for a trial before a series.
    let singles: Vec<usize> = chains
        .iter()
        .filter(|c| c.charges.len() == 1)
        .map(|c| c.charges[0])
        .collect();
    let mut used_singles: Vec<usize> = Vec::new();

    // Charges of long chains (twice the fewest charges a series needs) with
    // near-identical amounts are explained, not noise: two same-price
    // subscriptions of one vendor must not veto each other, while chance
    // chains among random purchases still count as noise.
    let explained: std::collections::HashSet<usize> = chains
        .iter()
        .filter(|c| {
            c.cadence
                .is_some_and(|cad| c.charges.len() >= 2 * cad.min_charges())
        })
        .filter(|c| tight(charges, &c.charges))
        .flat_map(|c| c.charges.iter().copied())
        .collect();

    let mut out = Vec::new();
    for ch in &chains {
        let Some(cad) = ch.cadence else { continue };
        let body: &[usize] = &ch.charges;
        if body.len() < cad.min_charges() {
            continue;
        }
        // Charges of this merchant inside the series' span that are not part
        // of it: a merchant bought from at random makes chance regularity
        // likely, so such a series must come from a known vendor.
        // Only charges of a similar amount could be mistaken for the series,
        // so one-off purchases at a subscription vendor (a print order at
        // Canva) do not count against it.
        let (span_from, span_to) = (charges[body[0]].date, charges[body[body.len() - 1]].date);
        let typical = comparable(&charges[body[body.len() / 2]]).0 as f64;
        let others = idx
            .iter()
            .filter(|i| !body.contains(i) && !explained.contains(i))
            .filter(|&&i| charges[i].date >= span_from && charges[i].date <= span_to)
            .filter(|&&i| {
                ((comparable(&charges[i]).0 as f64 / typical.max(1.0)) - 1.0).abs() <= 0.25
            })
            .count();
        let busy = others as f64 / body.len() as f64;
        if busy > 0.5 {
            continue;
        }
        // At a vendor with many other charges around the series (ad spend,
        // marketplace orders), only near-identical amounts are believable...
        // The vendor's rate of unexplained charges per period of this
        // cadence, over its whole history: at one every other period or
        // more, chance regularity is likely.
        let unexplained = idx
            .iter()
            .filter(|i| !body.contains(i) && !explained.contains(i))
            .count();
        let history_days = ((charges[idx[idx.len() - 1]].date - charges[idx[0]].date).num_days()
            as f64)
            .max(cad.period_days());
        let busy_vendor = strict || unexplained as f64 / history_days * cad.period_days() >= 0.5;
        let max_dev = body
            .iter()
            .map(|&i| ((comparable(&charges[i]).0 as f64 / typical.max(1.0)) - 1.0).abs())
            .fold(0.0, f64::max);
        // ...and twice the usual evidence.
        if busy_vendor && (max_dev > 0.05 || body.len() < 2 * cad.min_charges()) {
            continue;
        }
        // A trial: a much smaller charge up to a period (plus a little)
        // before the first full one.
        let first_full = &charges[body[0]];
        let trial = singles
            .iter()
            .copied()
            .filter(|i| !used_singles.contains(i))
            .find(|&i| {
                let t = &charges[i];
                let before = (first_full.date - t.date).num_days() as f64;
                comparable(t).0 * 3 < comparable(first_full).0
                    && before >= 1.0
                    && before <= cad.period_days().min(31.0) + cad.tolerance_days()
            });
        if let Some(t) = trial {
            used_singles.push(t);
        }
        let trial_converted = trial.map(|_| first_full.date);
        let mut members: Vec<usize> = trial.into_iter().collect();
        members.extend_from_slice(body);
        let stats = regularity(charges, body, cad);
        let mut confidence = stats.score;
        if known_vendor {
            confidence = (confidence + 0.15).min(1.0);
            if busy > 0.25 {
                confidence *= 0.9;
            }
        }
        if confidence < 0.5 {
            continue;
        }
        let first = &charges[body[0]];
        let last = &charges[*body.last().unwrap_or(&body[0])];
        let period = Duration::days(cad.period_days().round() as i64);
        let next_expected = last.date + period;
        let grace = Duration::days(
            cad.tolerance_days().ceil() as i64 + if cad == Cadence::Monthly { 7 } else { 0 },
        );
        let status = if next_expected + grace >= as_of {
            SeriesStatus::Active
        } else {
            SeriesStatus::Stopped
        };
        let price_increase = price_change(charges, body);
        let latest_amount = last.amount;
        // Monthly cost from the latest charges in the account currency: the
        // median of the last three smooths FX noise.
        let mut recent: Vec<i64> = body
            .iter()
            .rev()
            .take(3)
            .map(|&i| charges[i].amount)
            .collect();
        recent.sort_unstable();
        let typical = recent[recent.len() / 2];
        let monthly_cost = (typical as f64 * cad.per_month()).round() as i64;
        out.push(Series {
            key: first.key.clone(),
            vendor_id: first.vendor_id.clone(),
            account: first.account.clone(),
            cadence: cad,
            currency: first.currency.clone(),
            first_date: charges[members[0]].date,
            last_date: last.date,
            charges: body.len(),
            missed: stats.missed,
            first_amount: first.amount,
            latest_amount,
            monthly_cost,
            status,
            next_expected,
            confidence: (confidence * 100.0).round() / 100.0,
            trial_converted,
            price_increase,
            sources: members.iter().map(|&i| charges[i].source).collect(),
        });
    }
    out
}

/// Every charge within 5% of the chain's median amount (in the merchant's
/// currency), allowing one lasting price step.
fn tight(charges: &[Charge], chain: &[usize]) -> bool {
    let amounts: Vec<i64> = chain.iter().map(|&i| comparable(&charges[i]).0).collect();
    let near = |a: i64, b: i64| ((a as f64 / b.max(1) as f64) - 1.0).abs() <= 0.05;
    // Split at the largest step; each side must be flat.
    let step = (1..amounts.len())
        .max_by_key(|&i| (amounts[i] - amounts[i - 1]).abs())
        .unwrap_or(0);
    let flat = |xs: &[i64]| xs.iter().all(|&a| near(a, xs[xs.len() / 2]));
    flat(&amounts) || (step > 0 && flat(&amounts[..step]) && flat(&amounts[step..]))
}

struct Regularity {
    score: f64,
    missed: usize,
}

fn regularity(charges: &[Charge], body: &[usize], cad: Cadence) -> Regularity {
    let period = cad.period_days();
    let mut missed = 0;
    let mut date_err = 0.0;
    for w in body.windows(2) {
        let gap = (charges[w[1]].date - charges[w[0]].date).num_days() as f64;
        let k = (gap / period).round().max(1.0);
        missed += (k as usize).saturating_sub(1);
        date_err += ((gap - k * period).abs() / cad.tolerance_days()).min(1.0);
    }
    let n = body.len().max(2) as f64 - 1.0;
    let date_score = 1.0 - date_err / n;
    let amounts: Vec<f64> = body
        .iter()
        .map(|&i| comparable(&charges[i]).0 as f64)
        .collect();
    let mean = amounts.iter().sum::<f64>() / amounts.len() as f64;
    let spread = amounts
        .iter()
        .map(|a| ((a - mean) / mean.max(1.0)).abs())
        .sum::<f64>()
        / amounts.len() as f64;
    let amount_score = (1.0 - spread * 2.0).clamp(0.0, 1.0);
    let count_score = (body.len() as f64 / (cad.min_charges() as f64 + 2.0)).min(1.0);
    let miss_penalty = missed as f64 / (body.len() + missed) as f64;
    let score =
        (0.35 * date_score + 0.25 * amount_score + 0.4 * count_score) * (1.0 - miss_penalty);
    Regularity { score, missed }
}

/// A lasting price change: the latest amount differs from the first by more
/// than noise, and the change held for the charges after it.
fn price_change(charges: &[Charge], body: &[usize]) -> Option<PriceChange> {
    let (first, in_orig) = comparable(&charges[body[0]]);
    let (last, _) = comparable(&charges[*body.last()?]);
    // Exchange-rate noise is not a price change: compare in the merchant's
    // currency, and ask for more than 3%.
    let pct = (last - first) as f64 / first.max(1) as f64 * 100.0;
    if pct <= 3.0 {
        return None;
    }
    let since = body
        .iter()
        .find(|&&i| comparable(&charges[i]).0 as f64 > first as f64 * 1.03)
        .map(|&i| charges[i].date)?;
    Some(PriceChange {
        from: charges[body[0]].amount,
        to: charges[*body.last()?].amount,
        since,
        percent: (pct * 10.0).round() / 10.0,
        in_original_currency: in_orig,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn charge(date: NaiveDate, pence: i64, key: &str) -> Charge {
        Charge {
            date,
            amount: pence,
            currency: "GBP".into(),
            original: None,
            account: None,
            key: key.into(),
            vendor_id: Some(key.into()),
            source: 0,
        }
    }

    fn monthly(key: &str, start: NaiveDate, n: u32, pence: i64) -> Vec<Charge> {
        (0..n)
            .map(|i| {
                charge(
                    start
                        .checked_add_months(chrono::Months::new(i))
                        .expect("date"),
                    pence,
                    key,
                )
            })
            .collect()
    }

    #[test]
    fn monthly_with_drift_skip_and_price_rise() {
        let mut cs = Vec::new();
        for i in 0..14u32 {
            if i == 5 {
                continue; // a skipped month
            }
            let day = 10 + (i % 3); // billing date drifts by a day or two
            let base = d(2025, 1, 1)
                .checked_add_months(chrono::Months::new(i))
                .expect("m");
            let date = NaiveDate::from_ymd_opt(base.year(), base.month(), day).expect("d");
            cs.push(charge(date, if i >= 9 { 1440 } else { 1200 }, "notion"));
        }
        let s = detect(&cs, d(2026, 2, 20));
        assert_eq!(s.len(), 1, "{s:#?}");
        let s = &s[0];
        assert_eq!(s.cadence, Cadence::Monthly);
        assert_eq!(s.charges, 13);
        assert!(s.missed >= 1);
        assert_eq!(s.status, SeriesStatus::Active);
        let pi = s.price_increase.as_ref().expect("price rise");
        assert_eq!((pi.from, pi.to), (1200, 1440));
        assert_eq!(s.monthly_cost, 1440);
    }

    #[test]
    fn annual_weekly_quarterly_and_stopped() {
        let mut cs = monthly("slack", d(2024, 1, 10), 6, 2000);
        cs.extend(
            [d(2023, 3, 1), d(2024, 3, 3), d(2025, 2, 27)].map(|x| charge(x, 48000, "github")),
        );
        cs.extend(
            (0..10).map(|i| charge(d(2025, 6, 2) + Duration::days(7 * i), 500, "weekly-box")),
        );
        cs.extend(
            [
                d(2024, 1, 15),
                d(2024, 4, 15),
                d(2024, 7, 16),
                d(2024, 10, 14),
                d(2025, 1, 15),
            ]
            .map(|x| charge(x, 9000, "xero")),
        );
        let s = detect(&cs, d(2025, 8, 15));
        let by = |k: &str| {
            s.iter()
                .find(|x| x.key == k)
                .unwrap_or_else(|| panic!("{k} not found in {s:#?}"))
        };
        assert_eq!(by("slack").status, SeriesStatus::Stopped);
        assert_eq!(by("github").cadence, Cadence::Annual);
        assert_eq!(by("github").monthly_cost, 4000);
        assert_eq!(by("weekly-box").cadence, Cadence::Weekly);
        assert_eq!(by("xero").cadence, Cadence::Quarterly);
        assert_eq!(by("xero").status, SeriesStatus::Stopped);
    }

    #[test]
    fn two_workspaces_of_one_vendor_are_two_series() {
        let mut cs = monthly("google-workspace", d(2025, 1, 3), 12, 1380);
        cs.extend(monthly("google-workspace", d(2025, 1, 17), 12, 2760));
        let s = detect(&cs, d(2025, 12, 20));
        assert_eq!(s.len(), 2, "{s:#?}");
        assert!(s.iter().all(|x| x.charges == 12));
    }

    #[test]
    fn fx_noise_is_not_a_price_rise_and_trials_are_seen() {
        let mut cs = Vec::new();
        for i in 0..8u32 {
            let date = d(2025, 1, 5)
                .checked_add_months(chrono::Months::new(i))
                .expect("m");
            let mut c = charge(date, 1580 + (i as i64 % 3) * 40 - 40, "openai");
            c.original = Some((2000, "USD".into()));
            if i == 0 {
                c.amount = 0;
                c.original = Some((0, "USD".into()));
            }
            cs.push(c);
        }
        // A £1 verification charge a week before the first full one.
        cs[0].amount = 100;
        cs[0].original = Some((100, "USD".into()));
        cs[0].date = d(2025, 1, 29);
        let s = detect(&cs, d(2025, 8, 20));
        assert_eq!(s.len(), 1, "{s:#?}");
        assert!(s[0].price_increase.is_none());
        assert_eq!(s[0].trial_converted, Some(d(2025, 2, 5)));
        assert_eq!(s[0].first_date, d(2025, 1, 29));
        assert_eq!(s[0].sources.len(), 8);
    }

    #[test]
    fn a_subscription_inside_a_busy_merchant_is_found_by_its_amount() {
        let mut cs = Vec::new();
        let mut seed = 11u64;
        for day in 0..600 {
            for _ in 0..2 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                cs.push(charge(
                    d(2025, 1, 1) + Duration::days(day),
                    500 + ((seed >> 33) % 20_000) as i64,
                    "amazon",
                ));
            }
        }
        cs.extend(monthly("amazon", d(2025, 1, 20), 19, 899));
        let s = detect(&cs, d(2026, 8, 20));
        assert_eq!(s.len(), 1, "{s:#?}");
        assert_eq!(
            (s[0].cadence, s[0].latest_amount, s[0].charges),
            (Cadence::Monthly, 899, 19)
        );
    }

    #[test]
    fn random_purchases_are_not_subscriptions() {
        // A café visited on irregular days with varying bills.
        let mut cs = Vec::new();
        let mut seed = 7u64;
        let mut day = d(2025, 1, 1);
        for _ in 0..150 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            day += Duration::days(1 + (seed >> 60) as i64 % 5);
            let mut c = charge(day, 300 + ((seed >> 40) % 900) as i64, "cafe");
            c.vendor_id = None;
            cs.push(c);
        }
        let s = detect(&cs, d(2026, 1, 1));
        assert!(s.is_empty(), "{s:#?}");
    }
}
