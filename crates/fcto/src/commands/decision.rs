use anyhow::{Context, Result};
use chrono::Duration;
use fcto_engage::{madr, validate, DecidedBy, Decision, DecisionStatus, NewDecision};
use fcto_store::decisions::DecisionFilter;
use serde::Serialize;

use crate::cli::{DecideArgs, DecisionCmd};
use crate::output::{table, Output};
use crate::{user_error, Ctx};

fn summary(d: &Decision) -> String {
    let mut s = format!(
        "{} #{:04} {} [{}]",
        d.client_slug, d.number, d.title, d.status
    );
    if let (DecisionStatus::Proposed, Some(by)) = (d.status, d.decide_by) {
        s.push_str(&format!(", decide by {by}"));
    }
    if let Some(by) = &d.decided_by {
        s.push_str(&format!(", decided by {}", by.label()));
    }
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Exported {
    dir: String,
    files: Vec<String>,
}

async fn decide(ctx: &Ctx, a: DecideArgs, status: DecisionStatus) -> Result<Output> {
    let store = ctx.store().await?;
    let by = DecidedBy::parse(&a.by)?;
    let on = ctx.date_or_today("date", a.date.as_deref())?;
    let d = store
        .decide(&a.client, a.number, status, a.outcome.as_deref(), &by, on)
        .await?;
    let text = summary(&d);
    Output::new(&d, text)
}

pub async fn run(ctx: &Ctx, cmd: DecisionCmd) -> Result<Output> {
    match cmd {
        DecisionCmd::New(a) => {
            let store = ctx.store().await?;
            let nd = NewDecision {
                title: a.title,
                context: a.context,
                options: a.options,
                decide_by: a
                    .decide_by
                    .map(|s| validate::date("decide-by", &s))
                    .transpose()?,
                created_on: ctx.today,
            };
            let d = store.new_decision(&a.client, &nd).await?;
            let text = format!("Proposed {}", summary(&d));
            Output::new(&d, text)
        }
        DecisionCmd::List(a) => {
            let store = ctx.store().await?;
            if a.due_within.is_some_and(|n| !(0..=3650).contains(&n)) {
                return Err(user_error("invalid due-within: must be 0 to 3650 days"));
            }
            let f = DecisionFilter {
                client: a.client,
                status: a.status.map(|s| s.parse()).transpose()?,
                due_by: a.due_within.map(|n| ctx.today + Duration::days(n)),
                only_clients: None,
            };
            let ds = store.decisions(&f).await?;
            let rows: Vec<Vec<String>> = ds
                .iter()
                .map(|d| {
                    let overdue = d.status == DecisionStatus::Proposed
                        && d.decide_by.is_some_and(|b| b < ctx.today);
                    vec![
                        d.client_slug.clone(),
                        format!("{:04}", d.number),
                        d.title.clone(),
                        d.status.to_string(),
                        d.decide_by
                            .map(|b| format!("{b}{}", if overdue { " OVERDUE" } else { "" }))
                            .unwrap_or_default(),
                        d.decided_by
                            .as_ref()
                            .map(|b| b.label().to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            let text = table(
                &["CLIENT", "NO", "TITLE", "STATUS", "DECIDE BY", "DECIDED BY"],
                &rows,
            );
            Output::new(&ds, text)
        }
        DecisionCmd::Show {
            client,
            number,
            madr: as_madr,
        } => {
            let store = ctx.store().await?;
            let d = store.decision(&client, number).await?;
            let text = if as_madr {
                madr::render(&d)
            } else {
                let mut t = summary(&d);
                if !d.context.is_empty() {
                    t.push_str(&format!("\nContext:\n  {}\n", d.context));
                }
                if !d.options.is_empty() {
                    t.push_str("\nOptions:\n");
                    for o in &d.options {
                        t.push_str(&format!("  - {o}\n"));
                    }
                }
                if let Some(o) = &d.outcome {
                    t.push_str(&format!("\nOutcome:\n  {o}\n"));
                }
                t
            };
            Output::new(&d, text)
        }
        DecisionCmd::Accept(a) => decide(ctx, a, DecisionStatus::Accepted).await,
        DecisionCmd::Reject(a) => decide(ctx, a, DecisionStatus::Rejected).await,
        DecisionCmd::Supersede {
            client,
            number,
            by_decision,
        } => {
            let store = ctx.store().await?;
            let d = store.supersede(&client, number, by_decision).await?;
            let text = summary(&d);
            Output::new(&d, text)
        }
        DecisionCmd::Export { client, dir } => {
            let store = ctx.store().await?;
            let ds = store
                .decisions(&DecisionFilter {
                    client: client.clone(),
                    ..Default::default()
                })
                .await?;
            let mut files = Vec::new();
            for d in &ds {
                // One folder per client, so numbers of different clients never clash.
                let folder = dir.join(&d.client_slug);
                std::fs::create_dir_all(&folder)
                    .with_context(|| format!("creating {}", folder.display()))?;
                let path = folder.join(madr::file_name(d));
                std::fs::write(&path, madr::render(d))
                    .with_context(|| format!("writing {}", path.display()))?;
                files.push(path.display().to_string());
            }
            let text = format!(
                "Wrote {} MADR file(s) under {}\n",
                files.len(),
                dir.display()
            );
            Output::new(
                &Exported {
                    dir: dir.display().to_string(),
                    files,
                },
                text,
            )
        }
    }
}
