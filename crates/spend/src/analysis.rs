//! The whole analysis of one client's transactions: vendors, subscriptions,
//! spend by category and month, and savings.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::import::Transaction;
use crate::normalise::merchant_key;
use crate::opportunities::{self, Context, Savings};
use crate::recurring::{self, Charge, Series, SeriesStatus};

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub as_of: NaiveDate,
    pub currency: String,
    pub transactions: usize,
    pub first_date: Option<NaiveDate>,
    /// Money out per category per month (`YYYY-MM`), minor units.
    pub spend_by_category_month: BTreeMap<String, BTreeMap<String, i64>>,
    /// Software subscriptions (catalog vendors), most expensive first.
    pub subscriptions: Vec<SubscriptionView>,
    /// Other recurring payments (merchants not in the catalog: rent,
    /// salaries, tools the catalog lacks).
    pub other_recurring: Vec<SubscriptionView>,
    pub software_monthly: i64,
    pub savings: Savings,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionView {
    pub name: String,
    pub category: Option<String>,
    #[serde(flatten)]
    pub series: Series,
}

/// Analyse `txs` (any accounts; those in other currencies than the main one
/// are kept apart by the recurring detector) as of `as_of`.
pub fn analyse(
    txs: &[Transaction],
    catalog: &Catalog,
    ctx: &Context,
    as_of: NaiveDate,
) -> Analysis {
    let currency = main_currency(txs);
    // Many transactions share a descriptor: look each one up once.
    let mut seen: HashMap<&str, (String, Option<String>)> = HashMap::new();
    let mut charges = Vec::with_capacity(txs.len());
    let mut by_cat: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for (i, t) in txs.iter().enumerate() {
        let (key, vendor) = seen
            .entry(t.description.as_str())
            .or_insert_with(|| match catalog.lookup(&t.description) {
                Some(v) => (v.id.clone(), Some(v.id.clone())),
                None => match t.counterparty.as_deref().and_then(|c| catalog.lookup(c)) {
                    Some(v) => (v.id.clone(), Some(v.id.clone())),
                    None => (
                        merchant_key(t.counterparty.as_deref().unwrap_or(&t.description)),
                        None,
                    ),
                },
            })
            .clone();
        if t.amount < 0 {
            let category = vendor
                .as_deref()
                .and_then(|v| catalog.get(v))
                .map(|v| v.category.clone())
                .unwrap_or_else(|| "not software".into());
            *by_cat
                .entry(category)
                .or_default()
                .entry(t.date.format("%Y-%m").to_string())
                .or_default() += -t.amount;
        }
        charges.push(Charge {
            date: t.date,
            amount: -t.amount,
            currency: t.currency.clone(),
            original: match (t.original_amount, &t.original_currency) {
                (Some(a), Some(c)) => Some((-a, c.clone())),
                _ => None,
            },
            account: t.account.clone(),
            key,
            vendor_id: vendor,
            source: i,
        });
    }
    let series = recurring::detect(&charges, as_of);
    let view = |s: &Series| SubscriptionView {
        name: s
            .vendor_id
            .as_deref()
            .and_then(|v| catalog.get(v))
            .map(|v| v.name.clone())
            .unwrap_or_else(|| s.key.clone()),
        category: s
            .vendor_id
            .as_deref()
            .and_then(|v| catalog.get(v))
            .map(|v| v.category.clone()),
        series: s.clone(),
    };
    let subscriptions: Vec<SubscriptionView> = series
        .iter()
        .filter(|s| s.vendor_id.is_some())
        .map(view)
        .collect();
    let other_recurring: Vec<SubscriptionView> = series
        .iter()
        .filter(|s| s.vendor_id.is_none())
        .map(view)
        .collect();
    let software_monthly = subscriptions
        .iter()
        .filter(|s| s.series.status == SeriesStatus::Active && s.series.currency == currency)
        .map(|s| s.series.monthly_cost)
        .sum();
    let savings = opportunities::find(&series, catalog, ctx, as_of);
    Analysis {
        as_of,
        currency,
        transactions: txs.len(),
        first_date: txs.iter().map(|t| t.date).min(),
        spend_by_category_month: by_cat,
        subscriptions,
        other_recurring,
        software_monthly,
        savings,
    }
}

/// The currency most transactions are in.
fn main_currency(txs: &[Transaction]) -> String {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in txs {
        *counts.entry(t.currency.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string())
        .unwrap_or_else(|| "GBP".into())
}
