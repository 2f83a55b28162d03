//! `fcto demo`: a separate workspace with the seed's clients and about a
//! month of records (more for the oldest engagement), dated relative to today
//! so every report has something to show.

use anyhow::{Context, Result};
use chrono::{Datelike, Duration, Months, NaiveDate};
use fcto_engage::*;
use fcto_store::{NewUser, OpenMode, Store};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Serialize;

use crate::cli::DemoArgs;
use crate::config;
use crate::output::Output;
use crate::Ctx;

#[derive(Serialize)]
pub struct DemoSummary {
    pub home: String,
    pub database: String,
    pub clients: Vec<String>,
    pub time_entries: usize,
    pub decisions: usize,
    pub systems: usize,
    pub spend: DemoSpend,
    pub audit: super::demo_audit::DemoAudit,
    pub mail: super::demo_mail::DemoMail,
    pub logins: Vec<DemoLogin>,
}

#[derive(Serialize, Clone)]
pub struct DemoLogin {
    pub email: String,
    pub password: String,
    pub sees: String,
}

fn password() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// Weekdays from `from` to `to` inclusive.
fn weekdays(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days()
        .take_while(move |d| *d <= to)
        .filter(|d| d.weekday().num_days_from_monday() < 5)
}

struct Plan {
    client: NewClient,
    /// Executor share at the start and at today; the log slides between them.
    executor_from: f64,
    executor_to: f64,
    /// Hours a week.
    weekly: f64,
}

/// Client, title, context, options, decide-by in days from today, and the
/// outcome if it was decided.
type DemoDecision = (
    &'static str,
    &'static str,
    &'static str,
    Vec<&'static str>,
    i64,
    Option<(DecisionStatus, DecidedBy, &'static str)>,
);

/// Build the demo database at `home/fcto.db`, replacing an older demo.
pub async fn build(home: &std::path::Path, today: NaiveDate) -> Result<DemoSummary> {
    std::fs::create_dir_all(home).with_context(|| format!("creating {}", home.display()))?;
    for suffix in ["fcto.db", "fcto.db-wal", "fcto.db-shm"] {
        let p = home.join(suffix);
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing old demo {}", p.display()))?;
        }
    }
    let url = config::sqlite_url(&home.join("fcto.db"));
    config::write_config_file(home, None)?;
    let store = Store::open(&url, OpenMode::Create).await?;

    let months_ago = |n: u32| today.checked_sub_months(Months::new(n)).unwrap_or(today);
    let days_ago = |n: i64| today - Duration::days(n);
    let plans = [
        Plan {
            client: NewClient {
                slug: "straits-freight".into(),
                name: "Straits Freight".into(),
                sector: Some("Logistics, Singapore".into()),
                currency: "SGD".into(),
                tier: Tier::Foundation,
                owner_name: Some("Wei Ling Tan".into()),
                owner_email: Some("weiling@straitsfreight.example".into()),
                start_date: months_ago(4),
            },
            executor_from: 0.7,
            executor_to: 0.3,
            weekly: 2.25,
        },
        Plan {
            client: NewClient {
                slug: "marlow-finch".into(),
                name: "Marlow & Finch".into(),
                sector: Some("Professional services, London".into()),
                currency: "GBP".into(),
                tier: Tier::Growth,
                owner_name: Some("Tom Okafor".into()),
                owner_email: Some("tom@marlowfinch.example".into()),
                start_date: months_ago(2),
            },
            executor_from: 0.75,
            executor_to: 0.55,
            weekly: 4.25,
        },
        Plan {
            client: NewClient {
                slug: "harbour-hearth".into(),
                name: "Harbour & Hearth Hospitality".into(),
                sector: Some("Hospitality, North West".into()),
                currency: "GBP".into(),
                tier: Tier::Growth,
                owner_name: Some("Priya Shah".into()),
                owner_email: Some("priya@harbourhearth.example".into()),
                start_date: days_ago(24),
            },
            executor_from: 0.7,
            executor_to: 0.65,
            weekly: 4.5,
        },
        Plan {
            client: NewClient {
                slug: "pennine-ledger".into(),
                name: "Pennine Ledger".into(),
                sector: Some("B2B SaaS, Manchester".into()),
                currency: "GBP".into(),
                tier: Tier::Growth,
                owner_name: Some("Sam Whitaker".into()),
                owner_email: Some("sam@pennineledger.example".into()),
                start_date: days_ago(17),
            },
            executor_from: 0.5,
            executor_to: 0.5,
            weekly: 4.0,
        },
    ];

    let mut entries = 0;
    for p in &plans {
        store.add_client(&p.client).await?;
        let span = (today - p.client.start_date).num_days().max(1) as f64;
        // The cadence: Monday review, Tuesday build, Wednesday session or
        // vendor call, Thursday AI and data, Friday write-up.
        for day in weekdays(p.client.start_date, today - Duration::days(1)) {
            let progress = (day - p.client.start_date).num_days() as f64 / span;
            let exec_share = p.executor_from + (p.executor_to - p.executor_from) * progress;
            let (activity, weight, decide_bias) = match day.weekday().num_days_from_monday() {
                0 => (Activity::Review, 0.25, 0.9),
                1 => (Activity::Build, 0.35, 0.0),
                2 => (
                    if day.day() <= 7 {
                        Activity::Session
                    } else {
                        Activity::Vendor
                    },
                    0.15,
                    0.9,
                ),
                3 => (Activity::Build, 0.15, 0.1),
                _ => (Activity::Docs, 0.10, 0.3),
            };
            let hours = ((p.weekly * weight * 4.0).round() / 4.0).max(0.25);
            // Split the day into deciding and executing so the month's share
            // follows exec_share; the day's own nature biases it.
            let exec_part =
                ((hours * (exec_share * 1.6 - decide_bias * 0.6).clamp(0.0, 1.0)) * 4.0).round()
                    / 4.0;
            let decide_part = hours - exec_part;
            let note = format!("{} — {}", activity, p.client.name);
            for (kind, h) in [
                (WorkKind::Execute, exec_part),
                (WorkKind::Decide, decide_part),
            ] {
                if h > 0.0 {
                    store
                        .log_time(
                            &p.client.slug,
                            &NewTimeEntry {
                                date: day,
                                hours: h,
                                kind,
                                activity,
                                note: Some(note.clone()),
                            },
                        )
                        .await?;
                    entries += 1;
                }
            }
        }
    }

    // Decisions, in the shape the seed describes: vendor calls, schema
    // safety, integrations that should be explicit.
    let decisions: [DemoDecision; 7] = [
        ("straits-freight", "Replace the spreadsheet rate card with the TMS pricing module",
         "Quotes are built by hand from a shared spreadsheet; two customers were quoted stale rates last month.",
         vec!["Keep the spreadsheet", "TMS pricing module", "Custom quoting service"], -40,
         Some((DecisionStatus::Accepted, DecidedBy::Team("Wei Ling Tan".into()), "Chosen option: \"TMS pricing module\", because it is already licensed and the ops team can maintain the rates."))),
        ("straits-freight", "Move customs documents to the carrier's API",
         "Customs forms are emailed as PDFs; the carrier offers an API with status callbacks.",
         vec!["Stay on email", "Carrier API", "Third-party customs broker"], -12,
         Some((DecisionStatus::Accepted, DecidedBy::Team("Wei Ling Tan".into()), "Chosen option: \"Carrier API\", because status callbacks remove the daily chase."))),
        ("marlow-finch", "Draft client replies with AI, approved by a partner",
         "Inquiries wait two days for a reply; partners write every reply from scratch.",
         vec!["Hire a junior", "AI drafts with human approval", "Shared templates only"], -30,
         Some((DecisionStatus::Accepted, DecidedBy::Cto, "Chosen option: \"AI drafts with human approval\", because nothing goes out unapproved and reply time falls to hours."))),
        ("marlow-finch", "Renew the practice-management suite for three years?",
         "The vendor offers 18% off for a three-year term; notice period is 90 days.",
         vec!["Renew for 3 years", "Renew yearly", "Migrate"], 5, None),
        ("harbour-hearth", "Qualify WhatsApp leads before they reach the events team",
         "Event inquiries arrive by WhatsApp with no budget or date; the team spends hours on tyre-kickers.",
         vec!["Manual triage", "WhatsApp qualifier with scoring", "Web form only"], -14,
         Some((DecisionStatus::Accepted, DecidedBy::Team("Priya Shah".into()), "Chosen option: \"WhatsApp qualifier with scoring\", because it keeps the channel customers already use."))),
        ("pennine-ledger", "Add a NOT NULL tenant_id to invoices before the 10x customer",
         "The invoices table has 4M rows; last week's pull request adds tenant_id NOT NULL with no default.",
         vec!["Add nullable, backfill, then validate a CHECK", "Add with a default", "Leave as is"], 2, None),
        ("pennine-ledger", "Make the Stripe integration explicit behind a billing adapter",
         "Stripe calls are spread across six controllers with the secret key read in each.",
         vec!["Billing adapter module", "Leave as is"], -3, None),
    ];
    let mut n_decisions = 0;
    for (slug, title, context, options, due_offset, outcome) in decisions {
        let c = store.client(slug).await?;
        let created = (today + Duration::days(due_offset.min(0) - 10)).max(c.start_date);
        let d = store
            .new_decision(
                slug,
                &NewDecision {
                    title: title.into(),
                    context: context.into(),
                    options: options.into_iter().map(String::from).collect(),
                    decide_by: Some(today + Duration::days(due_offset)),
                    created_on: created,
                },
            )
            .await?;
        if let Some((status, by, text)) = outcome {
            let on = (today + Duration::days(due_offset - 1)).max(created);
            store
                .decide(slug, d.number, status, Some(text), &by, on)
                .await?;
        }
        n_decisions += 1;
    }

    let systems = [
        (
            "straits-freight",
            "Quote builder on the TMS pricing module",
            "Wei Ling Tan",
            "quote turnaround (hours)",
            Some(months_ago(4) + Duration::days(20)),
        ),
        (
            "straits-freight",
            "Customs API integration",
            "Wei Ling Tan",
            "documents chased per week",
            None,
        ),
        (
            "marlow-finch",
            "SaaS rationalisation",
            "Tom Okafor",
            "software spend (£/month)",
            Some(months_ago(2) + Duration::days(19)),
        ),
        (
            "marlow-finch",
            "AI email responder",
            "Tom Okafor",
            "first-reply time (hours)",
            Some(days_ago(
                ((today.weekday().num_days_from_monday() + 6) % 7) as i64 + 1,
            )),
        ),
        (
            "harbour-hearth",
            "WhatsApp lead qualifier",
            "Priya Shah",
            "event inquiry conversion",
            None,
        ),
        (
            "pennine-ledger",
            "Billing adapter",
            "Sam Whitaker",
            "billing incidents per month",
            None,
        ),
    ];
    for (slug, name, owner, metric, live) in systems {
        store
            .add_system(
                slug,
                &NewSystem {
                    name: name.into(),
                    status: SystemStatus::Building,
                    owner: Some(owner.into()),
                    metric: Some(metric.into()),
                },
            )
            .await?;
        if let Some(on) = live {
            store
                .set_system_status(slug, name, SystemStatus::Live, Some(on.min(today)))
                .await?;
        }
    }

    let spend = demo_spend(&store, home, today).await?;

    let cto = DemoLogin {
        email: "cto@fcto.demo".into(),
        password: password(),
        sees: "every client".into(),
    };
    let owner = DemoLogin {
        email: "priya@harbourhearth.example".into(),
        password: password(),
        sees: "harbour-hearth only".into(),
    };
    store
        .add_user(&NewUser {
            email: &cto.email,
            display_name: "Demo CTO",
            password: &cto.password,
            role: Role::Cto,
            client: None,
        })
        .await?;
    store
        .add_user(&NewUser {
            email: &owner.email,
            display_name: "Priya Shah",
            password: &owner.password,
            role: Role::Client,
            client: Some("harbour-hearth"),
        })
        .await?;
    let audit = super::demo_audit::build(&store, home, today).await?;
    let mail = super::demo_mail::build(&store, "harbour-hearth").await?;
    store.close().await;

    Ok(DemoSummary {
        home: home.display().to_string(),
        database: url,
        clients: plans.iter().map(|p| p.client.slug.clone()).collect(),
        time_entries: entries,
        decisions: n_decisions,
        systems: systems.len(),
        spend,
        audit,
        mail,
        logins: vec![cto, owner],
    })
}

#[derive(Serialize)]
pub struct DemoSpend {
    pub client: String,
    pub exports: String,
    pub transactions: usize,
}

/// A year of Harbour & Hearth's bank and card exports, written as real files
/// (so they can be re-imported by hand) and imported as `fcto spend import`
/// would; seat exports; a few vendor contracts with renewal dates.
async fn demo_spend(store: &Store, home: &std::path::Path, today: NaiveDate) -> Result<DemoSpend> {
    use fcto_spend::register::{Billing, DpaStatus, VendorRecord};
    let slug = "harbour-hearth";
    let dir = home.join("bank-exports");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let ledger = fcto_spend::synth::ledger(42, today - Duration::days(1), 13);
    let mut parsed = Vec::new();
    for f in &ledger.files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes).with_context(|| format!("writing {}", path.display()))?;
        let name = path.display().to_string();
        match &f.kind {
            fcto_spend::synth::FileKind::Statement => {
                let st = fcto_spend::import::parse(&name, &f.bytes, None)?;
                let keys = fcto_spend::identity::transaction_keys(st.format, &st.transactions);
                parsed.push(fcto_store::spend::ParsedFile {
                    file_name: name,
                    sha256: String::new(),
                    format: st.format,
                    transactions: st.transactions,
                    keys,
                });
            }
            fcto_spend::synth::FileKind::Seats { vendor_id } => {
                let list = fcto_spend::seats::parse_seats(&name, &f.bytes)?;
                store.save_seat_list(slug, vendor_id, &name, &list).await?;
            }
        }
    }
    let summary = store.import_transactions(slug, &parsed).await?;
    let contracts = [
        (
            "hubspot",
            "HubSpot",
            "Starter CRM",
            8_400,
            Billing::Monthly,
            40,
            30,
            Some("Priya Shah"),
        ),
        (
            "xero",
            "Xero",
            "Standard",
            4_200,
            Billing::Monthly,
            75,
            30,
            Some("Priya Shah"),
        ),
        (
            "docusign",
            "DocuSign",
            "Standard, annual",
            30_000,
            Billing::Annual,
            50,
            60,
            None,
        ),
        (
            "1password",
            "1Password",
            "Business, annual",
            18_900,
            Billing::Annual,
            120,
            30,
            Some("Tom Okafor"),
        ),
    ];
    for (id, name, plan, cost, billing, renews_in, notice, owner) in contracts {
        let mut r = VendorRecord::new(id, name, "GBP");
        r.plan = Some(plan.into());
        r.cost = Some(cost);
        r.billing = Some(billing);
        r.renewal_date = Some(today + Duration::days(renews_in));
        r.notice_days = Some(notice);
        r.auto_renew = Some(true);
        r.owner = owner.map(str::to_string);
        r.vendor_contact = Some(format!("accounts@{id}.example"));
        r.our_contact = Some("priya@harbourhearth.example".into());
        r.data_location = Some(if id == "xero" {
            "UK/EU".into()
        } else {
            "US (SCCs)".into()
        });
        r.dpa = Some(if owner.is_some() {
            DpaStatus::Signed
        } else {
            DpaStatus::Pending
        });
        store.put_vendor(slug, &r, true).await?;
    }
    Ok(DemoSpend {
        client: slug.into(),
        exports: dir.display().to_string(),
        transactions: summary.new,
    })
}

pub async fn run(ctx: &Ctx, a: DemoArgs) -> Result<Output> {
    let home = ctx.cfg.home.join("demo");
    let summary = build(&home, ctx.today).await?;
    let h = summary.home.clone();
    let mut text = format!(
        "Demo workspace in {h}\n  clients: {}\n  {} time entries, {} decisions, {} systems\n  {} bank transactions of {} (exports in {})\n\nLook at it:\n  fcto --home {h} client list\n  fcto --home {h} week\n  fcto --home {h} health\n  fcto --home {h} decision list\n  fcto --home {h} spend report {}\n  fcto --home {h} vendor renewals --within 90d\n  fcto --home {h} audit show {} --format html --out audit.html\n  fcto demo --serve            (the dashboard)\n",
        summary.clients.join(", "),
        summary.time_entries,
        summary.decisions,
        summary.systems,
        summary.spend.transactions,
        summary.spend.client,
        summary.spend.exports,
        summary.spend.client,
        summary.audit.client,
    );
    text.push_str(&format!(
        "\nAudit of the sample repository {} for {}: {}\n",
        summary.audit.repository, summary.audit.client, summary.audit.headline
    ));
    text.push_str(&format!(
        "Inbox of {}: {} messages, {} inquiries ({} for a person): fcto --home {h} mail inbox {} --all\n",
        summary.mail.client,
        summary.mail.messages,
        summary.mail.inquiries,
        summary.mail.for_a_person,
        summary.mail.client,
    ));
    text.push_str(&format!(
        "Replies waiting for approval: {} drafts: fcto --home {h} mail queue {} (or the client's Replies page)\n",
        summary.mail.drafts, summary.mail.client,
    ));
    if let Some(note) = &summary.audit.history_note {
        text.push_str(&format!("  ({note})\n"));
    }
    text.push_str("\nLogins for the dashboard:\n");
    for l in &summary.logins {
        text.push_str(&format!(
            "  {}  password {}  (sees {})\n",
            l.email, l.password, l.sees
        ));
    }
    if a.serve {
        print!("{text}");
        let store = Store::open(&summary.database, OpenMode::Existing).await?;
        let demo_ctx = Ctx {
            cfg: config::Config {
                home: home.clone(),
                database_url: summary.database.clone(),
                tiers: ctx.cfg.tiers.clone(),
            },
            json: ctx.json,
            today: ctx.today,
            today_override: ctx.today_override,
        };
        super::serve::serve(&demo_ctx, store, a.addr, true).await?;
        return Output::new(&summary, "");
    }
    Output::new(&summary, text)
}
