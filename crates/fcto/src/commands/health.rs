use anyhow::Result;
use fcto_engage::health::Health;

use crate::cli::HealthArgs;
use crate::output::{hours, percent, table, Output};
use crate::Ctx;

fn render(h: &Health) -> String {
    let mut t = format!(
        "{} ({}) — {} tier, {} a month, engagement month {}\n",
        h.name, h.client, h.tier, h.budget, h.engagement_month
    );
    let rows: Vec<Vec<String>> = h
        .months
        .iter()
        .map(|m| {
            vec![
                m.month.to_string(),
                hours(m.hours),
                format!("{:?}", m.standing).to_lowercase(),
                hours(m.decide_hours),
                hours(m.execute_hours),
                percent(m.executor_share),
            ]
        })
        .collect();
    for line in table(
        &["MONTH", "HOURS", "BUDGET", "DECIDE", "EXECUTE", "EXECUTOR"],
        &rows,
    )
    .lines()
    {
        t.push_str(&format!("  {line}\n"));
    }
    t.push_str(&format!(
        "  executor share trend: {:?}{}\n",
        h.executor_trend.direction,
        h.executor_trend
            .slope_per_month
            .map(|s| format!(" ({:+.1} points a month)", s * 100.0))
            .unwrap_or_default()
    ));
    t.push_str(&format!(
        "  decisions: {} decided, {} by the client's team ({}), {} open, {} overdue\n",
        h.decisions.decided,
        h.decisions.decided_by_team,
        percent(h.decisions.team_share),
        h.decisions.open,
        h.decisions.overdue.len()
    ));
    t.push_str(&format!(
        "  first system: {}\n",
        match (&h.first_system.live_in_first_month, h.first_system.state) {
            (Some(name), _) => format!("{name} went live in month one"),
            (None, fcto_engage::health::FirstSystemState::Pending) =>
                format!("none live yet (due by {})", h.first_system.first_month_ends),
            (None, _) => "none went live in month one".to_string(),
        }
    ));
    t.push_str(&format!("  systems live: {}\n", h.systems_live));
    for f in &h.flags {
        t.push_str(&format!("  ! {f}\n"));
    }
    t
}

pub async fn run(ctx: &Ctx, a: HealthArgs) -> Result<Output> {
    let store = ctx.store().await?;
    let clients = match &a.client {
        Some(slug) => vec![store.client(slug).await?],
        None => store.list_clients(false).await?,
    };
    let mut reports = Vec::new();
    for c in &clients {
        reports.push(
            store
                .client_health(c, &ctx.cfg.tiers, ctx.today, a.months as usize)
                .await?,
        );
    }
    let text = if reports.is_empty() {
        "No active clients.\n".to_string()
    } else {
        reports.iter().map(render).collect::<Vec<_>>().join("\n")
    };
    if a.client.is_some() {
        Output::new(&reports[0], text)
    } else {
        Output::new(&reports, text)
    }
}
