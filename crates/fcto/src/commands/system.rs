use anyhow::Result;
use fcto_engage::{NewSystem, SystemStatus};

use crate::cli::SystemCmd;
use crate::output::{table, Output};
use crate::Ctx;

pub async fn run(ctx: &Ctx, cmd: SystemCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        SystemCmd::Add {
            client,
            name,
            status,
            owner,
            metric,
        } => {
            let s = store
                .add_system(
                    &client,
                    &NewSystem {
                        name,
                        status: status.parse()?,
                        owner,
                        metric,
                    },
                )
                .await?;
            let text = format!(
                "Recorded system {:?} for {} ({}).\n",
                s.name, s.client_slug, s.status
            );
            Output::new(&s, text)
        }
        SystemCmd::List { client } => {
            let systems = store.systems(client.as_deref()).await?;
            let rows: Vec<Vec<String>> = systems
                .iter()
                .map(|s| {
                    vec![
                        s.client_slug.clone(),
                        s.name.clone(),
                        s.status.to_string(),
                        s.live_date.map(|d| d.to_string()).unwrap_or_default(),
                        s.owner.clone().unwrap_or_else(|| "– (no owner)".into()),
                        s.metric.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            let text = table(
                &["CLIENT", "SYSTEM", "STATUS", "LIVE", "OWNER", "METRIC"],
                &rows,
            );
            Output::new(&systems, text)
        }
        SystemCmd::Live { client, name, date } => {
            let on = ctx.date_or_today("date", date.as_deref())?;
            let s = store
                .set_system_status(&client, &name, SystemStatus::Live, Some(on))
                .await?;
            let text = format!("{:?} of {} is live since {}.\n", s.name, s.client_slug, on);
            Output::new(&s, text)
        }
    }
}
