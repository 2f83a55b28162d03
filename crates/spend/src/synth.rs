//! Synthetic but realistic ledgers with a known answer: a small business's
//! bank and card exports (in the banks' real formats) with planted
//! subscriptions, overlaps, duplicates, trials, price rises, FX charges,
//! stopped tools and unused seats among everyday spending, plus the ground
//! truth. Used to measure detection and savings, for the 1M-transaction
//! benchmark, and by `fcto demo`.
//!
//! The expected savings in [`Truth`] are worked out here from the planted
//! scenario (what a CTO would cut), not by calling the analysis code.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::recurring::Cadence;

/// Deterministic PRNG (SplitMix64): the same seed gives the same ledger.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo).max(1) as u64) as i64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() % 10_000) as f64 / 10_000.0 < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Account {
    Monzo,
    Amex,
    Barclays,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthSub {
    pub vendor_id: String,
    pub cadence: Cadence,
    pub account: Account,
    pub active: bool,
    /// Latest charge as a monthly cost, pence.
    pub monthly_cost: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    pub subscriptions: Vec<TruthSub>,
    /// What a CTO would save per month on this ledger (pence).
    pub expected_monthly_savings: i64,
    pub savings_breakdown: Vec<(String, i64)>,
    pub as_of: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FileKind {
    Statement,
    Seats { vendor_id: String },
}

#[derive(Debug, Clone)]
pub struct SynthFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Ledger {
    pub files: Vec<SynthFile>,
    pub truth: Truth,
    pub transactions: usize,
}

/// One generated transaction before it is written in a bank's format.
#[derive(Debug, Clone)]
struct Tx {
    date: NaiveDate,
    /// Pence, negative = out.
    amount: i64,
    descriptor: String,
    name: String,
    /// (amount in minor units, currency) of a foreign charge.
    foreign: Option<(i64, &'static str)>,
    category: &'static str,
    /// The bank's id (Monzo), unique in the ledger.
    id: u64,
}

/// A planted subscription.
struct Plan {
    vendor: &'static str,
    name: &'static str,
    descriptor: &'static str,
    account: Account,
    cadence: Cadence,
    /// Price per charge (pence, or cents when `usd`).
    price: i64,
    usd: bool,
    /// Month offset (from the ledger start) of the first charge.
    start: u32,
    /// Month offset after which it stops (None = still running).
    stop: Option<u32>,
    /// (month offset, new price) of a price rise.
    rise: Option<(u32, i64)>,
    /// A small first charge before the first full one.
    trial: bool,
    /// Day of the month it bills on.
    day: u32,
    note: &'static str,
}

#[allow(clippy::too_many_arguments)]
fn plan(
    vendor: &'static str,
    name: &'static str,
    descriptor: &'static str,
    account: Account,
    cadence: Cadence,
    price: i64,
    usd: bool,
    day: u32,
) -> Plan {
    Plan {
        vendor,
        name,
        descriptor,
        account,
        cadence,
        price,
        usd,
        start: 0,
        stop: None,
        rise: None,
        trial: false,
        day,
        note: "",
    }
}

fn usd_rate(rng: &mut Rng) -> f64 {
    0.79 * (1.0 + rng.range(-250, 250) as f64 / 10_000.0)
}

/// Generate a ledger of `months` months ending on `end`.
pub fn ledger(seed: u64, end: NaiveDate, months: u32) -> Ledger {
    let mut rng = Rng::new(seed);
    let start = end.checked_sub_months(Months::new(months)).unwrap_or(end);
    let months_i = months;
    let m = |offset: u32| {
        start
            .checked_add_months(Months::new(offset))
            .unwrap_or(start)
    };

    use Account::*;
    use Cadence::*;
    let mut plans = vec![
        plan(
            "google-workspace",
            "Google",
            "GOOGLE *GSUITE_HARBOURH",
            Monzo,
            Monthly,
            16_800,
            false,
            1,
        ),
        Plan {
            note: "a second workspace on the Amex: a duplicate",
            ..plan(
                "google-workspace",
                "Google",
                "GOOGLE *GSUITE_HHEVENTS",
                Amex,
                Monthly,
                2_800,
                false,
                14,
            )
        },
        plan(
            "microsoft-365",
            "Microsoft",
            "MSFT *<E0600ABC12>",
            Barclays,
            Monthly,
            2_450,
            false,
            6,
        ),
        plan(
            "slack",
            "Slack",
            "SLACK T02ABCD1 DUBLIN",
            Amex,
            Monthly,
            6_750,
            false,
            9,
        ),
        plan(
            "zoom",
            "Zoom",
            "ZOOM.US 888-799-9666",
            Amex,
            Monthly,
            1_599,
            true,
            17,
        ),
        Plan {
            rise: Some((9, 1_000 * 8)),
            note: "price rise from $8 to $10 a seat",
            ..plan(
                "notion",
                "Notion",
                "NOTION LABS, INC.",
                Amex,
                Monthly,
                800 * 8,
                true,
                3,
            )
        },
        plan(
            "hubspot",
            "HubSpot",
            "HUBSPOT UK",
            Monzo,
            Monthly,
            8_400,
            false,
            12,
        ),
        Plan {
            note: "a second CRM: an overlap",
            ..plan(
                "pipedrive",
                "Pipedrive",
                "PIPEDRIVE OU",
                Amex,
                Monthly,
                4_740,
                false,
                21,
            )
        },
        plan(
            "canva",
            "Canva",
            "CANVA* I04512398 SYDNEY",
            Monzo,
            Monthly,
            1_099,
            false,
            24,
        ),
        Plan {
            rise: Some((11, 4_200)),
            note: "price rise",
            ..plan(
                "xero",
                "Xero",
                "XERO UK LTD",
                Barclays,
                Monthly,
                3_300,
                false,
                2,
            )
        },
        plan(
            "calendly", "Calendly", "CALENDLY", Amex, Monthly, 1_200, true, 8,
        ),
        plan(
            "openai",
            "OpenAI",
            "OPENAI *CHATGPT SUBSCR",
            Amex,
            Monthly,
            2_000,
            true,
            19,
        ),
        Plan {
            start: 6,
            note: "a second AI assistant: an overlap",
            ..plan(
                "anthropic",
                "Anthropic",
                "CLAUDE.AI SUBSCRIPTION",
                Monzo,
                Monthly,
                1_800,
                false,
                27,
            )
        },
        Plan {
            stop: Some(9),
            note: "stopped after the move to Google Drive",
            ..plan(
                "dropbox",
                "Dropbox",
                "DROPBOX*7H2KD9 DUBLIN",
                Amex,
                Monthly,
                1_599,
                false,
                11,
            )
        },
        plan(
            "mailchimp",
            "Mailchimp",
            "INTUIT MAILCHIMP",
            Amex,
            Monthly,
            1_350,
            true,
            15,
        ),
        plan(
            "1password",
            "1Password",
            "1PASSWORD",
            Amex,
            Annual,
            23_880,
            true,
            5,
        ),
        plan(
            "adobe",
            "Adobe",
            "ADOBE *CREATIVE CLOUD",
            Monzo,
            Monthly,
            5_698,
            false,
            26,
        ),
        Plan {
            start: 3,
            trial: true,
            note: "trial that converted",
            ..plan(
                "loom",
                "Loom",
                "LOOM SUBSCRIPTION",
                Amex,
                Monthly,
                1_500,
                true,
                4,
            )
        },
        plan(
            "docusign",
            "DocuSign",
            "DOCUSIGN INC",
            Amex,
            Annual,
            30_000,
            false,
            20,
        ),
        plan(
            "typeform",
            "Typeform",
            "TYPEFORM SL",
            Amex,
            Quarterly,
            7_500,
            false,
            13,
        ),
        plan(
            "github",
            "GitHub",
            "GITHUB, INC.",
            Amex,
            Monthly,
            1_200,
            true,
            7,
        ),
        plan(
            "linkedin",
            "LinkedIn",
            "LINKEDIN PRE 7731 DUBLIN",
            Monzo,
            Weekly,
            1_499,
            false,
            0,
        ),
    ];
    // A weekly boost subscription starting mid-way.
    if let Some(p) = plans.last_mut() {
        p.start = months_i.saturating_sub(4);
        p.note = "weekly promoted job post";
    }

    let mut txs: Vec<(Account, Tx)> = Vec::new();
    let mut truth = Vec::new();
    for p in &plans {
        let mut dates = Vec::new();
        let first = m(p.start);
        let mut d = match p.cadence {
            Weekly => {
                first + Duration::days((7 - first.weekday().num_days_from_monday() as i64) % 7)
            }
            _ => {
                // The first charge falls inside the window.
                let d = NaiveDate::from_ymd_opt(first.year(), first.month(), p.day.clamp(2, 28))
                    .unwrap_or(first);
                if d <= first {
                    d.checked_add_months(Months::new(1)).unwrap_or(d)
                } else {
                    d
                }
            }
        };
        let stop_date = p.stop.map(m);
        while d <= end && stop_date.is_none_or(|s| d <= s) {
            // Billing dates drift by a day now and then.
            let drift = if p.cadence == Weekly {
                0
            } else {
                rng.range(0, 3) - 1
            };
            let actual = d + Duration::days(drift);
            if actual >= start && actual <= end {
                dates.push(actual);
            }
            d = match p.cadence {
                Weekly => d + Duration::days(7),
                Monthly => d.checked_add_months(Months::new(1)).unwrap_or(end),
                Quarterly => d.checked_add_months(Months::new(3)).unwrap_or(end),
                Annual => d.checked_add_months(Months::new(12)).unwrap_or(end),
            };
        }
        if p.trial {
            if let Some(&f) = dates.first() {
                txs.push((p.account, sub_tx(&mut rng, p, f - Duration::days(14), 100)));
            }
        }
        let mut last_price = p.price;
        for &date in &dates {
            let offset =
                (date.year() - start.year()) * 12 + date.month() as i32 - start.month() as i32;
            let price = match p.rise {
                Some((at, new)) if offset >= at as i32 => new,
                _ => p.price,
            };
            last_price = price;
            txs.push((p.account, sub_tx(&mut rng, p, date, price)));
        }
        let gbp_price = if p.usd {
            (last_price as f64 * 0.79).round() as i64
        } else {
            last_price
        };
        // A plan with too few charges inside the window cannot be seen, so
        // it is not in the truth either.
        let needed = match p.cadence {
            Weekly => 4,
            Monthly | Quarterly => 3,
            Annual => 2,
        };
        if dates.len() < needed {
            continue;
        }
        truth.push(TruthSub {
            vendor_id: p.vendor.to_string(),
            cadence: p.cadence,
            account: p.account,
            active: p.stop.is_none(),
            monthly_cost: (gbp_price as f64 * p.cadence.per_month()).round() as i64,
            note: p.note.to_string(),
        });
    }

    everyday_spending(&mut rng, start, end, &mut txs);

    // Expected savings, by the scenario's own rules (all planted in GBP):
    let mut breakdown = vec![
        ("cancel the duplicate Google Workspace".to_string(), 2_800),
        // Overlaps: keep the dearer tool of each pair.
        ("cancel Pipedrive (HubSpot kept)".to_string(), 4_740),
        ("cancel ChatGPT ($20; Claude, £18, kept)".to_string(), 1_580),
        // Google Workspace vs Microsoft 365: the office suites overlap too.
        (
            "cancel Microsoft 365 (Google Workspace kept)".to_string(),
            2_450,
        ),
        // Seats: 12 Google seats at £14, 3 unused; 10 Slack seats at £6.75, 2 leavers.
        ("3 unused Google Workspace seats".to_string(), 3 * 1_400),
        ("2 Slack seats of leavers".to_string(), 2 * 675),
    ];
    breakdown.sort_by_key(|b| std::cmp::Reverse(b.1));
    let expected = breakdown.iter().map(|(_, v)| v).sum();

    // Seat exports.
    let mut files = Vec::new();
    let mut gw = String::from("First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],Last Sign In [READ ONLY],Org Unit Path [Required]\n");
    let people = [
        "Priya Shah",
        "Tom Okafor",
        "Ana Silva",
        "Ben Hughes",
        "Chloe Martin",
        "Dev Patel",
        "Ella Brown",
        "Finn Walsh",
        "Grace Lee",
        "Harry Cole",
        "Isla Reid",
        "Jack Moss",
    ];
    for (i, p) in people.iter().enumerate() {
        let (first, last) = p.split_once(' ').unwrap_or((p, ""));
        let email = format!("{}@harbourhearth.example", first.to_lowercase());
        let (status, last_in) = match i {
            9 => (
                "Suspended",
                (end - Duration::days(200))
                    .format("%Y/%m/%d 09:12:44")
                    .to_string(),
            ),
            10 => (
                "Active",
                (end - Duration::days(150))
                    .format("%Y/%m/%d 17:40:03")
                    .to_string(),
            ),
            11 => ("Active", "Never logged in".to_string()),
            _ => (
                "Active",
                format!(
                    "{} {:02}:{:02}:07",
                    (end - Duration::days(rng.range(0, 20))).format("%Y/%m/%d"),
                    rng.range(7, 19),
                    rng.range(0, 60)
                ),
            ),
        };
        gw.push_str(&format!("{first},{last},{email},{status},{last_in},/\n"));
    }
    files.push(SynthFile {
        name: "google-workspace-users.csv".into(),
        kind: FileKind::Seats {
            vendor_id: "google-workspace".into(),
        },
        bytes: gw.into_bytes(),
    });
    let mut slack = String::from("username,email,status,billing-active,has-2fa,has-sso,userid,fullname,displayname,expiration-timestamp\n");
    for (i, p) in people.iter().take(10).enumerate() {
        let first = p.split(' ').next().unwrap_or(p).to_lowercase();
        // Two seats held by people suspended in, or missing from, the directory.
        let email = if i == 8 {
            "olivia@harbourhearth.example".to_string()
        } else {
            format!("{first}@harbourhearth.example")
        };
        let email = if i == 9 {
            "harry@harbourhearth.example".to_string()
        } else {
            email
        };
        slack.push_str(&format!(
            "{first},{email},Member,1,1,0,U0{i:04},{p},{first},\n"
        ));
    }
    files.push(SynthFile {
        name: "slack-members.csv".into(),
        kind: FileKind::Seats {
            vendor_id: "slack".into(),
        },
        bytes: slack.into_bytes(),
    });

    // Statements: Monzo split in two overlapping files, Amex, Barclays.
    let count = txs.len();
    let mut monzo: Vec<Tx> = txs
        .iter()
        .filter(|(a, _)| *a == Monzo)
        .map(|(_, t)| t.clone())
        .collect();
    monzo.sort_by_key(|t| t.date);
    // Monzo's ids belong to the transaction, so both overlapping files carry
    // the same id for the same payment.
    for (i, t) in monzo.iter_mut().enumerate() {
        t.id = i as u64;
    }
    let mid = m(months_i / 2);
    let first_half: Vec<&Tx> = monzo
        .iter()
        .filter(|t| t.date < mid + Duration::days(31))
        .collect();
    let second_half: Vec<&Tx> = monzo.iter().filter(|t| t.date >= mid).collect();
    files.push(SynthFile {
        name: "monzo-part1.csv".into(),
        kind: FileKind::Statement,
        bytes: write_monzo(&first_half),
    });
    files.push(SynthFile {
        name: "monzo-part2.csv".into(),
        kind: FileKind::Statement,
        bytes: write_monzo(&second_half),
    });
    let mut amex: Vec<&Tx> = txs
        .iter()
        .filter(|(a, _)| *a == Amex)
        .map(|(_, t)| t)
        .collect();
    amex.sort_by_key(|t| t.date);
    files.push(SynthFile {
        name: "amex.csv".into(),
        kind: FileKind::Statement,
        bytes: write_amex(&amex),
    });
    let mut barclays: Vec<&Tx> = txs
        .iter()
        .filter(|(a, _)| *a == Barclays)
        .map(|(_, t)| t)
        .collect();
    barclays.sort_by_key(|t| t.date);
    files.push(SynthFile {
        name: "barclays.csv".into(),
        kind: FileKind::Statement,
        bytes: write_barclays(&barclays),
    });

    Ledger {
        files,
        truth: Truth {
            subscriptions: truth,
            expected_monthly_savings: expected,
            savings_breakdown: breakdown,
            as_of: end,
        },
        transactions: count,
    }
}

fn sub_tx(rng: &mut Rng, p: &Plan, date: NaiveDate, price: i64) -> Tx {
    let (amount, foreign) = if p.usd {
        let gbp = (price as f64 * usd_rate(rng)).round() as i64;
        (-gbp, Some((-price, "USD")))
    } else {
        (-price, None)
    };
    Tx {
        date,
        amount,
        descriptor: p.descriptor.to_string(),
        name: p.name.to_string(),
        foreign,
        category: "bills",
        id: 0,
    }
}

/// Everyday business spending and income around the subscriptions:
/// suppliers, travel, meals, payroll, rent, tax, card repayments, sales.
fn everyday_spending(
    rng: &mut Rng,
    start: NaiveDate,
    end: NaiveDate,
    txs: &mut Vec<(Account, Tx)>,
) {
    const RANDOM: &[(&str, &str, i64, i64, &str)] = &[
        ("PRET A MANGER", "Pret A Manger", 350, 1_800, "eating_out"),
        ("TESCO STORES 2231", "Tesco", 800, 9_000, "groceries"),
        ("TRAINLINE.COM", "Trainline", 2_500, 18_000, "transport"),
        ("UBER *TRIP", "Uber", 900, 4_500, "transport"),
        ("AMZN MKTP UK*2K4L1", "Amazon", 600, 25_000, "shopping"),
        ("BOOKER WHOLESALE", "Booker", 15_000, 160_000, "general"),
        ("SCREWFIX DIRECT", "Screwfix", 1_200, 30_000, "general"),
        ("DELIVEROO", "Deliveroo", 1_500, 6_000, "eating_out"),
        ("SHELL FORECOURT", "Shell", 4_000, 9_000, "transport"),
        (
            "GOOGLE *ADS1234567",
            "Google Ads",
            2_000,
            40_000,
            "marketing",
        ),
        ("CANVA PRINT ORDER", "Canva", 2_500, 9_000, "shopping"),
        ("PREMIER INN", "Premier Inn", 6_500, 14_000, "holidays"),
    ];
    let mut d = start;
    while d <= end {
        let weekday = d.weekday().num_days_from_monday() < 5;
        let n = if weekday {
            rng.range(1, 5)
        } else {
            rng.range(0, 2)
        };
        for _ in 0..n {
            let (desc, name, lo, hi, cat) = *rng.pick(RANDOM);
            let acct = if rng.chance(0.4) {
                Account::Amex
            } else {
                Account::Monzo
            };
            txs.push((
                acct,
                Tx {
                    date: d,
                    amount: -rng.range(lo, hi),
                    descriptor: desc.into(),
                    name: name.into(),
                    foreign: None,
                    category: cat,
                    id: 0,
                },
            ));
        }
        if weekday && rng.chance(0.5) {
            let amt = rng.range(20_000, 450_000);
            let client = *rng.pick(&[
                "EVENTS CO LTD",
                "WEDDINGS BY ANNA",
                "NORTHERN TRUST EVT",
                "CONFERENCE GROUP",
            ]);
            txs.push((
                Account::Barclays,
                Tx {
                    date: d,
                    amount: amt,
                    descriptor: format!("{client} INV{}", rng.range(1000, 9999)),
                    name: client.into(),
                    foreign: None,
                    category: "income",
                    id: 0,
                },
            ));
        }
        if d.day() == 25 {
            for (who, pay) in [
                ("P SHAH", 285_000),
                ("T OKAFOR", 262_500),
                ("A SILVA", 231_000),
                ("B HUGHES", 210_000),
            ] {
                txs.push((
                    Account::Barclays,
                    Tx {
                        date: d,
                        amount: -pay,
                        descriptor: format!("{who} SALARY"),
                        name: who.into(),
                        foreign: None,
                        category: "general",
                        id: 0,
                    },
                ));
            }
        }
        if d.day() == 1 {
            txs.push((
                Account::Barclays,
                Tx {
                    date: d,
                    amount: -450_000,
                    descriptor: "QUAYSIDE PROPERTIES RENT".into(),
                    name: "Quayside Properties".into(),
                    foreign: None,
                    category: "bills",
                    id: 0,
                },
            ));
        }
        if d.day() == 28 {
            let bill = rng.range(150_000, 420_000);
            txs.push((
                Account::Barclays,
                Tx {
                    date: d,
                    amount: -bill,
                    descriptor: "AMERICAN EXPRESS PAYMENT".into(),
                    name: "Amex".into(),
                    foreign: None,
                    category: "general",
                    id: 0,
                },
            ));
        }
        if d.day() == 7 && matches!(d.month(), 1 | 4 | 7 | 10) {
            txs.push((
                Account::Barclays,
                Tx {
                    date: d,
                    amount: -rng.range(800_000, 1_600_000),
                    descriptor: "HMRC VAT".into(),
                    name: "HMRC".into(),
                    foreign: None,
                    category: "general",
                    id: 0,
                },
            ));
        }
        d += Duration::days(1);
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn dec(v: i64) -> String {
    format!(
        "{}{}.{:02}",
        if v < 0 { "-" } else { "" },
        v.abs() / 100,
        v.abs() % 100
    )
}

/// Monzo's CSV export.
fn write_monzo(txs: &[&Tx]) -> Vec<u8> {
    let mut out = String::from("Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In\n");
    for (i, t) in txs.iter().enumerate() {
        let (local_amt, local_cur) = match t.foreign {
            Some((a, c)) => (dec(a), c.to_string()),
            None => (dec(t.amount), "GBP".to_string()),
        };
        let (out_col, in_col) = if t.amount < 0 {
            (dec(t.amount), String::new())
        } else {
            (String::new(), dec(t.amount))
        };
        out.push_str(&format!(
            "tx_0000{:012X},{},{:02}:{:02}:00,{},{},,{},{},GBP,{},{},,,,{},,{},{}\n",
            (t.date.num_days_from_ce() as u64) * 1_000_000 + t.id,
            t.date.format("%d/%m/%Y"),
            8 + i % 10,
            (i * 7) % 60,
            if t.amount < 0 {
                "Card payment"
            } else {
                "Faster payment"
            },
            csv_field(&t.name),
            t.category,
            dec(t.amount),
            local_amt,
            local_cur,
            csv_field(&t.descriptor),
            out_col,
            in_col
        ));
    }
    out.into_bytes()
}

/// American Express UK CSV: a charge is a positive amount.
fn write_amex(txs: &[&Tx]) -> Vec<u8> {
    let mut out = String::from("Date,Description,Amount,Extended Details,Appears On Your Statement As,Address,Town/City,Postcode,Country,Reference,Category\n");
    for (i, t) in txs.iter().enumerate() {
        let extended = match t.foreign {
            Some((a, c)) => format!(
                "Foreign Spend Amount: {} {} Commission Amount: 0.00",
                dec(-a),
                c
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "{},{},{},{},{},,,,,'AT{:015}',{}\n",
            t.date.format("%d/%m/%Y"),
            csv_field(&t.descriptor),
            dec(-t.amount),
            csv_field(&extended),
            csv_field(&t.descriptor),
            i,
            "Business Services-Other Services"
        ));
    }
    out.into_bytes()
}

/// Barclays' CSV export.
fn write_barclays(txs: &[&Tx]) -> Vec<u8> {
    let mut out = String::from("Number,Date,Account,Amount,Subcategory,Memo\n");
    for t in txs {
        let sub = if t.amount < 0 {
            if t.descriptor.contains("SALARY") || t.descriptor.contains("RENT") {
                "Standing order"
            } else {
                "Debit"
            }
        } else {
            "Counter credit"
        };
        out.push_str(&format!(
            ",{},20-32-06 13705633,{},{},{}\n",
            t.date.format("%d/%m/%Y"),
            dec(t.amount),
            sub,
            csv_field(&format!("{}\t", t.descriptor))
        ));
    }
    out.into_bytes()
}

/// About `n` card transactions in Monzo's format, for the speed benchmark:
/// the ledger's subscriptions among random spending.
pub fn bulk_monzo_csv(seed: u64, n: usize, end: NaiveDate) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let merchants = [
        "PRET A MANGER",
        "TESCO STORES 2231",
        "TRAINLINE.COM",
        "UBER *TRIP",
        "AMZN MKTP UK*2K4L1",
        "ZOOM.US 888-799-9666",
        "SLACK T02ABCD1 DUBLIN",
        "GOOGLE *GSUITE_HARBOURH",
        "NOTION LABS, INC.",
        "CANVA* I04512398 SYDNEY",
        "HUBSPOT UK",
        "XERO UK LTD",
        "DROPBOX*7H2KD9 DUBLIN",
        "ADOBE *CREATIVE CLOUD",
    ];
    let days = 730;
    let start = end - Duration::days(days);
    let mut txs: Vec<Tx> = Vec::with_capacity(n);
    for i in 0..n {
        let desc = *rng.pick(&merchants);
        let date = start + Duration::days((i as i64 * days) / n as i64);
        txs.push(Tx {
            date,
            amount: -rng.range(100, 50_000),
            descriptor: format!("{desc} {}", rng.range(0, 500)),
            name: desc.into(),
            foreign: None,
            category: "general",
            id: 0,
        });
    }
    let refs: Vec<&Tx> = txs.iter().collect();
    write_monzo(&refs)
}

/// How the analysis did on a ledger against its truth.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub transactions: usize,
    pub detected: usize,
    pub planted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub false_positives: Vec<String>,
    pub missed: Vec<String>,
    pub savings_found: i64,
    pub savings_expected: i64,
    /// (found - expected) / expected.
    pub savings_error: f64,
}

/// Import every statement of `ledger` through the real parsers (the
/// overlapping ones de-duplicated by identity key, as the store does), run
/// the analysis and compare it with the truth.
pub fn evaluate(
    ledger: &Ledger,
    catalog: &crate::catalog::Catalog,
) -> Result<Evaluation, crate::import::ImportError> {
    use crate::opportunities::{Context, VendorSeats};
    use std::collections::HashSet;

    let mut seen = HashSet::new();
    let mut txs = Vec::new();
    let mut lists = Vec::new();
    for f in &ledger.files {
        match &f.kind {
            FileKind::Statement => {
                let st = crate::import::parse(&f.name, &f.bytes, None)?;
                let keys = crate::identity::transaction_keys(st.format, &st.transactions);
                for (t, k) in st.transactions.into_iter().zip(keys) {
                    if seen.insert(k) {
                        txs.push(t);
                    }
                }
            }
            FileKind::Seats { vendor_id } => lists.push((
                vendor_id.clone(),
                crate::seats::parse_seats(&f.name, &f.bytes)?,
            )),
        }
    }
    let directory = lists
        .iter()
        .find(|(v, _)| v == "google-workspace")
        .map(|(_, l)| l);
    let ctx = Context {
        seats: lists
            .iter()
            .map(|(v, l)| VendorSeats {
                vendor_id: v,
                list: l,
            })
            .collect(),
        directory,
        owned: Default::default(),
    };
    let a = crate::analysis::analyse(&txs, catalog, &ctx, ledger.truth.as_of);

    // Match detected software subscriptions to planted ones one to one, by
    // vendor and cadence.
    let mut unmatched: Vec<&TruthSub> = ledger.truth.subscriptions.iter().collect();
    let mut matched = 0;
    let mut false_positives = Vec::new();
    for s in &a.subscriptions {
        let vid = s.series.vendor_id.as_deref().unwrap_or("");
        match unmatched
            .iter()
            .position(|t| t.vendor_id == vid && t.cadence == s.series.cadence)
        {
            Some(i) => {
                unmatched.remove(i);
                matched += 1;
            }
            None => false_positives.push(format!(
                "{vid} {:?} {}",
                s.series.cadence, s.series.monthly_cost
            )),
        }
    }
    let detected = a.subscriptions.len();
    let planted = ledger.truth.subscriptions.len();
    let expected = ledger.truth.expected_monthly_savings;
    Ok(Evaluation {
        transactions: txs.len(),
        detected,
        planted,
        matched,
        precision: if detected == 0 {
            0.0
        } else {
            matched as f64 / detected as f64
        },
        recall: if planted == 0 {
            0.0
        } else {
            matched as f64 / planted as f64
        },
        false_positives,
        missed: unmatched
            .iter()
            .map(|t| format!("{} {:?}", t.vendor_id, t.cadence))
            .collect(),
        savings_found: a.savings.total_monthly,
        savings_expected: expected,
        savings_error: if expected == 0 {
            0.0
        } else {
            (a.savings.total_monthly - expected) as f64 / expected as f64
        },
    })
}
