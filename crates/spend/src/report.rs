//! The spend report a founder can act on: Markdown (also the terminal
//! view) and a standalone HTML page with a chart. Every descriptor is bank
//! text and so untrusted: HTML output escapes it, Markdown output defuses
//! table and formula characters.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::analysis::{Analysis, SubscriptionView};
use crate::money::format_money;
use crate::opportunities::Kind;
use crate::recurring::SeriesStatus;

/// Escape text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Make bank text safe in a Markdown table cell, and keep a spreadsheet
/// that opens it from evaluating a formula (`=HYPERLINK(...)`).
pub fn md_cell(s: &str) -> String {
    let mut t = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    if t.starts_with(['=', '+', '-', '@']) {
        t.insert(0, '\'');
    }
    t
}

/// An opportunity's £/month as shown: plain when in the total, in brackets
/// when it needs a conversation, a dash when there is no figure.
pub fn opportunity_amount(op: &crate::opportunities::Opportunity, currency: &str) -> String {
    let m = format_money(op.monthly_saving, currency);
    if op.counted {
        m
    } else if op.monthly_saving > 0 {
        format!("({m})")
    } else {
        "–".into()
    }
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Duplicate => "duplicate",
        Kind::Overlap => "overlap",
        Kind::BundledOverlap => "in a suite",
        Kind::UnusedSeats => "unused seats",
        Kind::AnnualPlan => "yearly plan",
        Kind::PriceIncrease => "price rise",
        Kind::NoOwner => "no owner",
    }
}

fn flags(s: &SubscriptionView) -> String {
    let mut f = Vec::new();
    if let Some(d) = s.series.trial_converted {
        f.push(format!("trial converted {d}"));
    }
    if let Some(p) = &s.series.price_increase {
        f.push(format!("+{:.0}% since {}", p.percent, p.since));
    }
    if s.series.missed > 0 {
        f.push(format!("{} missed", s.series.missed));
    }
    f.join(", ")
}

pub fn markdown(client_name: &str, a: &Analysis) -> String {
    let cur = &a.currency;
    let m = |v: i64| format_money(v, cur);
    let mut o = String::new();
    let _ = writeln!(o, "# Software spend: {}\n", md_cell(client_name));
    let _ = writeln!(
        o,
        "{} transactions from {} to {}.\n",
        a.transactions,
        a.first_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "–".into()),
        a.as_of
    );
    let active = a
        .subscriptions
        .iter()
        .filter(|s| s.series.status == SeriesStatus::Active)
        .count();
    let _ = writeln!(
        o,
        "- **Software subscriptions running:** {active}, costing **{} a month**",
        m(a.software_monthly)
    );
    let _ = writeln!(
        o,
        "- **Savings found:** **{} a month** ({} a year)",
        m(a.savings.total_monthly),
        m(a.savings.total_monthly * 12)
    );
    let _ = writeln!(
        o,
        "- **Actionable in 30 days** (cancellations and seats): {} a month",
        m(a.savings.total_30_days)
    );
    let _ = writeln!(
        o,
        "- **With yearly plans** for the tools kept: {} a month\n",
        m(a.savings.total_with_yearly_plans)
    );

    let _ = writeln!(o, "## Opportunities\n");
    if a.savings.opportunities.is_empty() {
        let _ = writeln!(o, "None found.\n");
    } else {
        let _ = writeln!(o, "| £/month | Kind | What | Why |\n|---:|---|---|---|");
        for op in &a.savings.opportunities {
            let amount = opportunity_amount(op, cur);
            let _ = writeln!(
                o,
                "| {amount} | {} | {} | {} |",
                kind_label(op.kind),
                md_cell(&op.title),
                md_cell(&op.why)
            );
        }
        let _ = writeln!(
            o,
            "\nAmounts in brackets need a conversation and are not in the total.\n"
        );
    }

    let _ = writeln!(o, "## Subscriptions\n");
    sub_table(&mut o, &a.subscriptions, cur);
    if !a.other_recurring.is_empty() {
        let _ = writeln!(o, "## Other recurring payments\n\nNot in the software catalog: rent, salaries, and any tool the catalog does not know yet.\n");
        sub_table(&mut o, &a.other_recurring, cur);
    }

    let _ = writeln!(o, "## Spend by category and month\n");
    let months: BTreeSet<&String> = a
        .spend_by_category_month
        .values()
        .flat_map(|m| m.keys())
        .collect();
    let recent: Vec<&&String> = months
        .iter()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let _ = write!(o, "| Category |");
    for mth in &recent {
        let _ = write!(o, " {mth} |");
    }
    let _ = write!(o, "\n|---|");
    for _ in &recent {
        let _ = write!(o, "---:|");
    }
    let _ = writeln!(o);
    for (cat, by_month) in &a.spend_by_category_month {
        let _ = write!(o, "| {} |", md_cell(cat));
        for mth in &recent {
            let _ = write!(
                o,
                " {} |",
                by_month.get(**mth).map(|v| m(*v)).unwrap_or_default()
            );
        }
        let _ = writeln!(o);
    }
    o
}

fn sub_table(o: &mut String, subs: &[SubscriptionView], cur: &str) {
    if subs.is_empty() {
        let _ = writeln!(o, "None found.\n");
        return;
    }
    let _ = writeln!(o, "| Vendor | Category | Cadence | Per month | Since | Last | Status | Confidence | Notes |\n|---|---|---|---:|---|---|---|---:|---|");
    for s in subs {
        let _ = writeln!(
            o,
            "| {} | {} | {:?} | {} | {} | {} | {:?} | {:.0}% | {} |",
            md_cell(&s.name),
            s.category.as_deref().unwrap_or("–"),
            s.series.cadence,
            format_money(s.series.monthly_cost, cur),
            s.series.first_date,
            s.series.last_date,
            s.series.status,
            s.series.confidence * 100.0,
            md_cell(&flags(s))
        );
    }
    let _ = writeln!(o);
}

/// A standalone HTML page: the same content, with a stacked bar chart of
/// monthly spend by category.
pub fn html(client_name: &str, a: &Analysis) -> String {
    let cur = &a.currency;
    let m = |v: i64| html_escape(&format_money(v, cur));
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Software spend: {}</title>\
         <style>body{{font:15px/1.45 system-ui,sans-serif;color:#1d2430;max-width:1100px;margin:2rem auto;padding:0 1rem}}\
         table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}th,td{{border-bottom:1px solid #dde2ea;padding:.35rem .5rem;text-align:left;vertical-align:top}}\
         td.n{{text-align:right;font-variant-numeric:tabular-nums}}.big{{font-size:1.6rem;font-weight:700}}.muted{{color:#5c6675}}\
         .cards{{display:flex;gap:1rem;flex-wrap:wrap}}.card{{border:1px solid #dde2ea;padding:.8rem 1rem;min-width:220px}}</style></head><body>",
        html_escape(client_name)
    );
    let _ = write!(o, "<h1>Software spend: {}</h1>", html_escape(client_name));
    let _ = write!(
        o,
        "<p class=\"muted\">{} transactions from {} to {}.</p><div class=\"cards\">\
         <div class=\"card\"><div class=\"muted\">Software a month</div><div class=\"big\">{}</div></div>\
         <div class=\"card\"><div class=\"muted\">Savings found a month</div><div class=\"big\">{}</div></div>\
         <div class=\"card\"><div class=\"muted\">Actionable in 30 days</div><div class=\"big\">{}</div></div></div>",
        a.transactions,
        a.first_date.map(|d| d.to_string()).unwrap_or_default(),
        a.as_of,
        m(a.software_monthly),
        m(a.savings.total_monthly),
        m(a.savings.total_30_days)
    );
    let _ = write!(o, "<h2>Opportunities</h2><table><tr><th>£/month</th><th>Kind</th><th>What</th><th>Why</th></tr>");
    for op in &a.savings.opportunities {
        let amount = html_escape(&opportunity_amount(op, cur));
        let _ = write!(
            o,
            "<tr><td class=\"n\">{amount}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            kind_label(op.kind),
            html_escape(&op.title),
            html_escape(&op.why)
        );
    }
    let _ = write!(
        o,
        "</table><h2>Spend by category and month</h2>{}",
        chart(a)
    );
    for (title, subs) in [
        ("Subscriptions", &a.subscriptions),
        ("Other recurring payments", &a.other_recurring),
    ] {
        let _ = write!(o, "<h2>{title}</h2><table><tr><th>Vendor</th><th>Category</th><th>Cadence</th><th>Per month</th><th>Since</th><th>Last</th><th>Status</th><th>Confidence</th><th>Notes</th></tr>");
        for s in subs.iter() {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{:?}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{:?}</td><td class=\"n\">{:.0}%</td><td>{}</td></tr>",
                html_escape(&s.name),
                html_escape(s.category.as_deref().unwrap_or("–")),
                s.series.cadence,
                m(s.series.monthly_cost),
                s.series.first_date,
                s.series.last_date,
                s.series.status,
                s.series.confidence * 100.0,
                html_escape(&flags(s))
            );
        }
        let _ = write!(o, "</table>");
    }
    o.push_str("</body></html>\n");
    o
}

/// Category colours, shared with the web pages.
pub const PALETTE: &[&str] = &[
    "#2f6fde", "#e0a03a", "#2e7d4f", "#b3261e", "#7b4fc9", "#1b9aaa", "#d1495b", "#8d6e63",
    "#5c6675", "#9bb53a",
];

/// Stacked bars: software categories per month (the last 12), other spend
/// left out so the software picture is readable.
fn chart(a: &Analysis) -> String {
    let months: BTreeSet<&String> = a
        .spend_by_category_month
        .values()
        .flat_map(|m| m.keys())
        .collect();
    let months: Vec<&String> = months
        .into_iter()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let cats: Vec<(&String, &std::collections::BTreeMap<String, i64>)> = a
        .spend_by_category_month
        .iter()
        .filter(|(c, _)| c.as_str() != "not software")
        .collect();
    let totals: Vec<i64> = months
        .iter()
        .map(|mth| {
            cats.iter()
                .map(|(_, by)| by.get(*mth).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (w, h, left, bottom) = (900.0, 280.0, 70.0, 30.0);
    let slot = (w - left) / months.len().max(1) as f64;
    let mut s = format!("<svg viewBox=\"0 0 {w} {}\" width=\"100%\" role=\"img\" aria-label=\"Software spend by category per month\">", h + 10.0);
    for i in 0..=4 {
        let v = max * i as f64 / 4.0;
        let y = h - bottom - (h - bottom - 10.0) * i as f64 / 4.0;
        let _ = write!(s, "<line x1=\"{left}\" x2=\"{w}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#dde2ea\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5c6675\">{}</text>", left - 6.0, y + 4.0, html_escape(&format_money((v as i64 / 100) * 100, &a.currency)));
    }
    for (i, mth) in months.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.2;
        let mut y = h - bottom;
        for (ci, (cat, by)) in cats.iter().enumerate() {
            let v = by.get(*mth).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            let bh = v as f64 / max * (h - bottom - 10.0);
            y -= bh;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                slot * 0.6,
                PALETTE[ci % PALETTE.len()],
                html_escape(mth),
                html_escape(cat),
                html_escape(&format_money(v, &a.currency))
            );
        }
        let _ = write!(s, "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5c6675\">{}</text>", x + slot * 0.3, h - 10.0, html_escape(mth));
    }
    s.push_str("</svg><p>");
    for (ci, (cat, _)) in cats.iter().enumerate() {
        let _ = write!(s, "<span style=\"display:inline-block;width:10px;height:10px;background:{}\"></span> {} &nbsp; ", PALETTE[ci % PALETTE.len()], html_escape(cat));
    }
    s.push_str("</p>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_defused() {
        assert_eq!(
            html_escape("<script>\"x\"&'"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;"
        );
        assert_eq!(
            md_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }
}
