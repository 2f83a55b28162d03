//! Spend and vendor pages of a client: subscriptions, savings, contracts.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use fcto_spend::analysis::Analysis;
use fcto_spend::money::format_money;
use fcto_spend::recurring::SeriesStatus;
use fcto_spend::report::{opportunity_amount, PALETTE};
use maud::{html, Markup};

use crate::auth::{visible_client, CurrentUser};
use crate::error::PageResult;
use crate::pages::layout;
use crate::AppState;

/// Monthly software spend by category, the last 12 months, as stacked bars.
fn category_chart(a: &Analysis) -> Markup {
    let months: std::collections::BTreeSet<&String> = a
        .spend_by_category_month
        .iter()
        .filter(|(c, _)| c.as_str() != "not software")
        .flat_map(|(_, m)| m.keys())
        .collect();
    let months: Vec<&String> = months
        .into_iter()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let cats: Vec<_> = a
        .spend_by_category_month
        .iter()
        .filter(|(c, _)| c.as_str() != "not software")
        .collect();
    let max = months
        .iter()
        .map(|m| {
            cats.iter()
                .map(|(_, by)| by.get(*m).copied().unwrap_or(0))
                .sum::<i64>()
        })
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (w, h, left, bottom) = (660.0, 220.0, 10.0, 24.0);
    let slot = (w - left) / months.len().max(1) as f64;
    // Bars worked out before rendering: (x, y, height, colour, label).
    let mut bars = Vec::new();
    for (i, m) in months.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.2;
        let mut y = h - bottom;
        for (ci, (cat, by)) in cats.iter().enumerate() {
            let v = by.get(*m).copied().unwrap_or(0);
            if v > 0 {
                let bh = v as f64 / max * (h - bottom - 8.0);
                y -= bh;
                bars.push((
                    x,
                    y,
                    bh,
                    PALETTE[ci % PALETTE.len()],
                    format!("{m} {cat}: {}", format_money(v, &a.currency)),
                ));
            }
        }
    }
    html! {
        svg width="100%" viewBox={"0 0 " (w) " " (h)} role="img" aria-label="Software spend by category per month" {
            title { "Software spend by category per month" }
            @for (x, y, bh, colour, label) in &bars {
                rect x=(format!("{x:.1}")) y=(format!("{y:.1}")) width=(format!("{:.1}", slot * 0.6)) height=(format!("{bh:.1}")) fill=(colour) {
                    title { (label) }
                }
            }
            @for (i, m) in months.iter().enumerate() {
                text x=(format!("{:.1}", left + slot * i as f64 + slot * 0.5)) y=(h - 8.0) text-anchor="middle" fill="#5c6675" { (m.get(2..).unwrap_or(m)) }
            }
        }
        p.muted {
            @for (ci, (cat, _)) in cats.iter().enumerate() {
                svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" { rect width="10" height="10" fill=(PALETTE[ci % PALETTE.len()]) {} }
                " " (cat) "  "
            }
        }
    }
}

pub async fn spend_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> PageResult {
    let c = visible_client(&state, &user, &slug).await?;
    let analysis = state.store().spend_analysis(&c.slug, None).await?;
    let body = html! {
        p.muted { a href={"/clients/" (c.slug)} { (c.name) } " · software spend" }
        h1 { "Software spend" }
        @match &analysis {
            None => { div.card { p { "No bank exports imported yet: " code { "fcto spend import " (c.slug) " FILE..." } } } }
            Some(a) => {
                @let m = |v: i64| format_money(v, &a.currency);
                div.grid {
                    div.card { p.muted { "Software a month" } h2 { (m(a.software_monthly)) } }
                    div.card { p.muted { "Savings found a month" } h2 { (m(a.savings.total_monthly)) } }
                    div.card { p.muted { "Actionable in 30 days" } h2 { (m(a.savings.total_30_days)) } }
                }
                p.muted { (a.transactions) " transactions up to " (a.as_of) }
                h2 { "Opportunities" }
                table {
                    thead { tr { th.num { "Per month" } th { "What" } th { "Why" } } }
                    tbody {
                        @for op in &a.savings.opportunities {
                            tr {
                                td.num { (opportunity_amount(op, &a.currency)) }
                                td { (op.title) }
                                td { (op.why) }
                            }
                        }
                    }
                }
                p.muted { "Amounts in brackets need a conversation and are not in the total." }
                h2 { "By category" }
                div.card { (category_chart(a)) }
                h2 { "Subscriptions" }
                table {
                    thead { tr { th { "Vendor" } th { "Category" } th { "Cadence" } th.num { "Per month" } th { "Since" } th { "Status" } th.num { "Confidence" } } }
                    tbody {
                        @for s in &a.subscriptions {
                            tr {
                                td { (s.name) }
                                td { (s.category.as_deref().unwrap_or("–")) }
                                td { (format!("{:?}", s.series.cadence).to_lowercase()) }
                                td.num { (m(s.series.monthly_cost)) }
                                td { (s.series.first_date) }
                                td { @if s.series.status == SeriesStatus::Active { "active" } @else { span.muted { "stopped " (s.series.last_date) } } }
                                td.num { (format!("{:.0}%", s.series.confidence * 100.0)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Software spend", &user, body).into_response())
}

pub async fn vendors_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> PageResult {
    let c = visible_client(&state, &user, &slug).await?;
    let records = state.store().vendors(Some(&c.slug)).await?;
    let today = state.today();
    let body = html! {
        p.muted { a href={"/clients/" (c.slug)} { (c.name) } " · vendors" }
        h1 { "Vendor register" }
        table {
            thead { tr { th { "Vendor" } th.num { "Cost" } th { "Renews" } th { "Notice by" } th { "Owner" } th { "Escalation" } th { "Data / DPA" } } }
            tbody {
                @for (_, r) in &records {
                    @let deadline = r.notice_deadline().filter(|_| r.renewal_date.is_some());
                    tr {
                        td { (r.name) br; span.muted { (r.plan.as_deref().unwrap_or("")) } }
                        td.num { (r.cost.map(|v| format_money(v, &r.currency)).unwrap_or_default()) }
                        td { (r.renewal_date.map(|d| d.to_string()).unwrap_or_default()) }
                        td {
                            @if let Some(d) = deadline {
                                @if (d - today).num_days() <= 30 && d >= today { span.over { (d) } } @else { (d) }
                            }
                        }
                        td { @if let Some(o) = &r.owner { (o) } @else { span.under { "none" } } }
                        td { (r.vendor_contact.as_deref().unwrap_or("")) br; span.muted { (r.our_contact.as_deref().unwrap_or("")) } }
                        td { (r.data_location.as_deref().unwrap_or("")) " " span.muted { (r.dpa.map(|d| format!("{d:?}")).unwrap_or_default()) } }
                    }
                }
                @if records.is_empty() { tr { td colspan="7" .muted { "No vendors recorded." } } }
            }
        }
    };
    Ok(layout("Vendors", &user, body).into_response())
}
