use anyhow::Result;
use fcto_engage::{validate, Client, ClientEdit, Month, NewClient, Tier};
use serde::Serialize;

use crate::cli::ClientCmd;
use crate::output::{hours, table, Output};
use crate::Ctx;

#[derive(Serialize)]
struct ClientView {
    #[serde(flatten)]
    client: Client,
    budget: String,
    hours_this_month: f64,
}

pub async fn run(ctx: &Ctx, cmd: ClientCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        ClientCmd::Add(a) => {
            let slug = a.slug.unwrap_or_else(|| validate::slugify(&a.name));
            let c = NewClient {
                slug,
                name: a.name,
                sector: a.sector,
                currency: a.currency.to_ascii_uppercase(),
                tier: a.tier.parse()?,
                owner_name: a.owner_name,
                owner_email: a.owner_email,
                start_date: ctx.date_or_today("start", a.start.as_deref())?,
            };
            let c = store.add_client(&c).await?;
            let text = format!(
                "Added {} ({}), {} tier ({}), starting {}.\n",
                c.name,
                c.slug,
                c.tier,
                ctx.cfg.tiers.budget(c.tier).label(),
                c.start_date
            );
            Output::new(&c, text)
        }
        ClientCmd::List { all } => {
            let clients = store.list_clients(all).await?;
            let rows: Vec<Vec<String>> = clients
                .iter()
                .map(|c| {
                    vec![
                        c.slug.clone(),
                        c.name.clone(),
                        c.tier.to_string(),
                        c.owner_name
                            .clone()
                            .unwrap_or_else(|| "– (no named owner)".into()),
                        c.start_date.to_string(),
                        if c.archived {
                            "archived".into()
                        } else {
                            "active".into()
                        },
                    ]
                })
                .collect();
            let text = if clients.is_empty() {
                "No clients yet: fcto client add \"Name\" --tier growth\n".to_string()
            } else {
                table(&["SLUG", "NAME", "TIER", "OWNER", "START", "STATE"], &rows)
            };
            Output::new(&clients, text)
        }
        ClientCmd::Show { client } => {
            let c = store.client(&client).await?;
            let used = store.hours_in_month(c.id, Month::of(ctx.today)).await?;
            let budget = ctx.cfg.tiers.budget(c.tier);
            let text = format!(
                "{} ({})\n  sector:   {}\n  tier:     {} ({} a month)\n  owner:    {}\n  started:  {}\n  currency: {}\n  {}:  {} h logged\n{}",
                c.name,
                c.slug,
                c.sector.clone().unwrap_or_else(|| "–".into()),
                c.tier,
                budget.label(),
                match (&c.owner_name, &c.owner_email) {
                    (Some(n), Some(e)) => format!("{n} <{e}>"),
                    (Some(n), None) => n.clone(),
                    (None, Some(e)) => e.clone(),
                    (None, None) => "none named: every engagement needs one".into(),
                },
                c.start_date,
                c.currency,
                Month::of(ctx.today),
                hours(used),
                if c.archived { "  (archived)\n" } else { "" },
            );
            let view = ClientView {
                budget: budget.label(),
                hours_this_month: used,
                client: c,
            };
            Output::new(&view, text)
        }
        ClientCmd::Edit(a) => {
            let edit = ClientEdit {
                name: a.name,
                sector: a.sector,
                currency: a.currency.map(|c| c.to_ascii_uppercase()),
                tier: a.tier.map(|t| t.parse::<Tier>()).transpose()?,
                owner_name: a.owner_name,
                owner_email: a.owner_email,
                start_date: a.start.map(|s| validate::date("start", &s)).transpose()?,
            };
            let mut c = store.edit_client(&a.client, &edit).await?;
            if a.restore {
                c = store.set_archived(&a.client, false).await?;
            }
            let text = format!("Updated {} ({}).\n", c.name, c.slug);
            Output::new(&c, text)
        }
        ClientCmd::Archive { client } => {
            let c = store.set_archived(&client, true).await?;
            let text = format!("Archived {} ({}); its records are kept.\n", c.name, c.slug);
            Output::new(&c, text)
        }
    }
}
