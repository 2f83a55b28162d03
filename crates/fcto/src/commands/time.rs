use anyhow::Result;
use fcto_engage::{validate, NewTimeEntry};
use fcto_store::time::TimeFilter;

use crate::cli::TimeCmd;
use crate::output::{hours, table, Output};
use crate::{user_error, Ctx};

pub async fn run(ctx: &Ctx, cmd: TimeCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        TimeCmd::Log(a) => {
            let h: f64 =
                a.hours.trim().parse().map_err(|_| {
                    user_error(format!("invalid hours: {:?} is not a number", a.hours))
                })?;
            let e = NewTimeEntry {
                date: ctx.date_or_today("date", a.date.as_deref())?,
                hours: h,
                kind: a.kind.parse()?,
                activity: a.activity.parse()?,
                note: a.note,
            };
            let entry = store.log_time(&a.client, &e).await?;
            let text = format!(
                "Logged {} h {} ({}) for {} on {}.\n",
                hours(entry.hours),
                entry.kind,
                entry.activity,
                entry.client_slug,
                entry.date
            );
            Output::new(&entry, text)
        }
        TimeCmd::List(a) => {
            if a.limit < 1 {
                return Err(user_error("invalid limit: must be at least 1"));
            }
            let f = TimeFilter {
                client: a.client,
                from: a.from.map(|s| validate::date("from", &s)).transpose()?,
                to: a.to.map(|s| validate::date("to", &s)).transpose()?,
                limit: Some(a.limit),
            };
            let entries = store.time_entries(&f).await?;
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        e.client_slug.clone(),
                        hours(e.hours),
                        e.kind.to_string(),
                        e.activity.to_string(),
                        e.note.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            let total: f64 = entries.iter().map(|e| e.hours).sum();
            let mut text = table(
                &["DATE", "CLIENT", "HOURS", "KIND", "ACTIVITY", "NOTE"],
                &rows,
            );
            text.push_str(&format!("{} entries, {} h\n", entries.len(), hours(total)));
            Output::new(&entries, text)
        }
    }
}
