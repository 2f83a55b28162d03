use anyhow::{Context as _, Result};
use fcto_spend::money::{format_money, parse_minor};
use fcto_spend::recurring::{Cadence, SeriesStatus};
use fcto_spend::register::{renewals_calendar, upcoming, Billing, DpaStatus, VendorRecord};

use crate::cli::{VendorCmd, VendorFields};
use crate::output::{table, Output};
use crate::{user_error, Ctx};

fn apply(rec: &mut VendorRecord, f: VendorFields) -> Result<()> {
    let date = |field: &'static str, s: Option<String>| -> Result<Option<chrono::NaiveDate>> {
        Ok(s.map(|s| fcto_engage::validate::date(field, &s))
            .transpose()?)
    };
    if let Some(c) = f.category {
        rec.category = Some(c);
    }
    if let Some(p) = f.plan {
        rec.plan = Some(p);
    }
    if let Some(s) = f.seats {
        rec.seats = Some(s);
    }
    if let Some(c) = f.cost {
        let v = parse_minor(&c)
            .ok_or_else(|| user_error(format!("invalid cost: {c:?} is not an amount")))?;
        rec.cost = Some(v);
    }
    if let Some(c) = f.currency {
        fcto_engage::validate::currency(&c.to_ascii_uppercase())?;
        rec.currency = c.to_ascii_uppercase();
    }
    if let Some(b) = f.billing {
        rec.billing = Some(
            b.parse::<Billing>()
                .map_err(|e| user_error(format!("invalid billing: {e}")))?,
        );
    }
    if let Some(d) = date("start", f.start)? {
        rec.contract_start = Some(d);
    }
    if let Some(d) = date("renewal", f.renewal)? {
        rec.renewal_date = Some(d);
    }
    if let Some(n) = f.notice_days {
        rec.notice_days = Some(n);
    }
    if let Some(a) = f.auto_renew {
        rec.auto_renew = Some(a);
    }
    if let Some(o) = f.owner {
        rec.owner = Some(o);
    }
    if let Some(c) = f.vendor_contact {
        rec.vendor_contact = Some(c);
    }
    if let Some(c) = f.our_contact {
        rec.our_contact = Some(c);
    }
    if let Some(l) = f.data_location {
        rec.data_location = Some(l);
    }
    if let Some(d) = f.dpa {
        rec.dpa = Some(
            d.parse::<DpaStatus>()
                .map_err(|e| user_error(format!("invalid dpa: {e}")))?,
        );
    }
    if let Some(n) = f.notes {
        rec.notes = Some(n);
    }
    Ok(())
}

fn describe(client: &str, r: &VendorRecord) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    format!(
        "{} ({}) for {client}\n  category:        {}\n  plan:            {}\n  seats:           {}\n  cost:            {}{}\n  contract start:  {}\n  renewal:         {}{}\n  auto-renew:      {}\n  owner:           {}\n  vendor contact:  {}\n  our contact:     {}\n  data location:   {}\n  DPA:             {}\n{}",
        r.name,
        r.vendor_id,
        opt(&r.category),
        opt(&r.plan),
        r.seats.map(|s| s.to_string()).unwrap_or_else(|| "–".into()),
        r.cost.map(|c| format_money(c, &r.currency)).unwrap_or_else(|| "–".into()),
        r.billing.map(|b| format!(" {b:?}").to_lowercase()).unwrap_or_default(),
        r.contract_start.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        r.renewal_date.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        r.notice_deadline().filter(|_| r.notice_days.is_some()).map(|d| format!(" (notice by {d})")).unwrap_or_default(),
        r.auto_renew.map(|a| if a { "yes" } else { "no" }).unwrap_or("–"),
        r.owner.clone().unwrap_or_else(|| "none: name one".into()),
        opt(&r.vendor_contact),
        opt(&r.our_contact),
        opt(&r.data_location),
        r.dpa.map(|d| format!("{d:?}")).unwrap_or_else(|| "–".into()),
        r.notes.as_ref().map(|n| format!("  notes: {n}\n")).unwrap_or_default(),
    )
}

pub async fn run(ctx: &Ctx, cmd: VendorCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        VendorCmd::Add {
            client,
            name,
            id,
            fields,
        } => {
            let c = store.client(&client).await?;
            let catalog = store.client_catalog(&client).await?;
            let known = catalog
                .lookup(&name)
                .or_else(|| id.as_deref().and_then(|i| catalog.get(i)));
            let id = id
                .or_else(|| known.map(|v| v.id.clone()))
                .unwrap_or_else(|| fcto_engage::validate::slugify(&name));
            fcto_engage::validate::slug(&id)
                .map_err(|e| user_error(e.to_string().replace("slug", "id")))?;
            let mut rec = VendorRecord::new(&id, &name, &c.currency);
            rec.category = known.map(|v| v.category.clone());
            apply(&mut rec, fields)?;
            let rec = store.put_vendor(&client, &rec, true).await?;
            let text = format!(
                "Added {} ({}) to {client}'s register.\n",
                rec.name, rec.vendor_id
            );
            Output::new(&rec, text)
        }
        VendorCmd::Edit {
            client,
            id,
            name,
            fields,
        } => {
            let mut rec = store.vendor(&client, &id).await?;
            if let Some(n) = name {
                rec.name = n;
            }
            apply(&mut rec, fields)?;
            let rec = store.put_vendor(&client, &rec, false).await?;
            let text = describe(&client, &rec);
            Output::new(&rec, text)
        }
        VendorCmd::List { client } => {
            let recs = store.vendors(client.as_deref()).await?;
            let rows: Vec<Vec<String>> = recs
                .iter()
                .map(|(c, r)| {
                    vec![
                        c.clone(),
                        r.vendor_id.clone(),
                        r.name.clone(),
                        r.cost
                            .map(|v| format_money(v, &r.currency))
                            .unwrap_or_default(),
                        r.renewal_date.map(|d| d.to_string()).unwrap_or_default(),
                        r.owner.clone().unwrap_or_else(|| "– (no owner)".into()),
                    ]
                })
                .collect();
            let json: Vec<serde_json::Value> = recs
                .iter()
                .map(|(c, r)| serde_json::json!({ "client": c, "vendor": r, "notice_deadline": r.notice_deadline() }))
                .collect();
            Output::new(
                &json,
                table(&["CLIENT", "ID", "NAME", "COST", "RENEWAL", "OWNER"], &rows),
            )
        }
        VendorCmd::Show { client, id } => {
            let rec = store.vendor(&client, &id).await?;
            let text = describe(&client, &rec);
            Output::new(&rec, text)
        }
        VendorCmd::Promote { client, ids, all } => {
            if ids.is_empty() && !all {
                return Err(user_error(
                    "name the subscriptions to promote (catalog ids) or use --all",
                ));
            }
            let c = store.client(&client).await?;
            let a = super::spend::client_analysis(&store, &client, None).await?;
            let existing: Vec<String> = store
                .vendors(Some(&client))
                .await?
                .into_iter()
                .map(|(_, r)| r.vendor_id)
                .collect();
            let mut added = Vec::new();
            for id in &ids {
                if !a
                    .subscriptions
                    .iter()
                    .any(|s| s.series.vendor_id.as_deref() == Some(id.as_str()))
                {
                    return Err(user_error(format!("no detected subscription {id:?} for {client} (see fcto spend report {client})")));
                }
            }
            for s in &a.subscriptions {
                let Some(vid) = s.series.vendor_id.as_deref() else {
                    continue;
                };
                let wanted = if all {
                    s.series.status == SeriesStatus::Active
                } else {
                    ids.iter().any(|i| i == vid)
                };
                if !wanted
                    || existing.iter().any(|e| e == vid)
                    || added.iter().any(|r: &VendorRecord| r.vendor_id == vid)
                {
                    continue;
                }
                let mut rec = VendorRecord::new(vid, &s.name, &c.currency);
                rec.category = s.category.clone();
                rec.cost = Some(s.series.latest_amount);
                rec.billing = Some(match s.series.cadence {
                    Cadence::Monthly => Billing::Monthly,
                    Cadence::Quarterly => Billing::Quarterly,
                    Cadence::Annual => Billing::Annual,
                    Cadence::Weekly => Billing::Other,
                });
                rec.contract_start = Some(s.series.first_date);
                rec.renewal_date = Some(s.series.next_expected);
                rec.notes = Some(format!(
                    "Promoted from detected charges ({} seen, confidence {:.0}%).",
                    s.series.charges,
                    s.series.confidence * 100.0
                ));
                added.push(store.put_vendor(&client, &rec, true).await?);
            }
            let text = format!(
                "Added {} vendor(s) to {client}'s register: {}\n",
                added.len(),
                added
                    .iter()
                    .map(|r| r.vendor_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Output::new(&added, text)
        }
        VendorCmd::Renewals {
            client,
            within,
            ics,
        } => {
            let days: i64 = within
                .trim()
                .trim_end_matches('d')
                .parse()
                .ok()
                .filter(|d| (0..=3650).contains(d))
                .ok_or_else(|| user_error(format!("invalid within: {within:?} (use e.g. 60d)")))?;
            let recs = store.vendors(client.as_deref()).await?;
            let list = upcoming(&recs, ctx.today, days);
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|r| {
                    vec![
                        r.notice_deadline.to_string(),
                        format!("{} d", r.days_to_deadline),
                        r.client.clone(),
                        r.name.clone(),
                        r.renewal_date.to_string(),
                        r.cost
                            .map(|c| format_money(c, &r.currency))
                            .unwrap_or_default(),
                        r.owner.clone().unwrap_or_else(|| "–".into()),
                    ]
                })
                .collect();
            let mut text = table(
                &[
                    "NOTICE BY",
                    "IN",
                    "CLIENT",
                    "VENDOR",
                    "RENEWS",
                    "COST",
                    "OWNER",
                ],
                &rows,
            );
            if let Some(path) = &ics {
                std::fs::write(path, renewals_calendar(&list).render())
                    .with_context(|| format!("writing {}", path.display()))?;
                text.push_str(&format!("Wrote {}\n", path.display()));
            }
            Output::new(&list, text)
        }
    }
}
