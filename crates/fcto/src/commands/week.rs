use anyhow::{Context, Result};
use fcto_engage::week::WeekPlan;

use crate::cli::WeekArgs;
use crate::output::{hours, Output};
use crate::Ctx;

pub fn render_text(plan: &WeekPlan) -> String {
    let mut t = format!(
        "Week of {} to {}: {} h planned\n",
        plan.start,
        plan.end,
        hours(plan.total_hours)
    );
    for day in &plan.days {
        t.push_str(&format!("\n{} {} — {}\n", day.weekday, day.date, day.theme));
        if day.blocks.is_empty() {
            t.push_str("  (nothing planned)\n");
        }
        for b in &day.blocks {
            t.push_str(&format!(
                "  {}–{}  {:>5} h  {}\n",
                b.start.format("%H:%M"),
                b.end.format("%H:%M"),
                hours(b.hours),
                b.title
            ));
        }
    }
    if !plan.decisions_due.is_empty() {
        t.push_str("\nDecisions due:\n");
        for d in &plan.decisions_due {
            t.push_str(&format!(
                "  {} {} #{:04} {}{}\n",
                d.decide_by,
                d.client,
                d.number,
                d.title,
                if d.overdue { " (OVERDUE)" } else { "" }
            ));
        }
    }
    t.push_str("\nBudgets this month:\n");
    for c in &plan.clients {
        t.push_str(&format!(
            "  {:<24} {:<10} {} used, {} left, {} planned this week{}\n",
            c.client,
            c.tier,
            hours(c.used_this_month),
            hours(c.remaining_this_month),
            hours(c.planned_hours),
            c.note
                .as_ref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        ));
    }
    t
}

pub async fn run(ctx: &Ctx, a: WeekArgs) -> Result<Output> {
    let store = ctx.store().await?;
    let day = ctx.date_or_today("start", a.start.as_deref())?;
    let plan = store.week_plan(day, &ctx.cfg.tiers).await?;
    let mut text = render_text(&plan);
    if let Some(path) = &a.ics {
        std::fs::write(path, plan.to_calendar().render())
            .with_context(|| format!("writing {}", path.display()))?;
        text.push_str(&format!("\nWrote {}\n", path.display()));
    }
    Output::new(&plan, text)
}
