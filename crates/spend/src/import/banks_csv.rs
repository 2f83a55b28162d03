//! CSV exports of UK banks and cards, Xero and QuickBooks: one profile per
//! layout (which headers identify it, which columns hold what, and the sign
//! convention), and one strict row reader for all of them.

use chrono::NaiveDate;

use super::text::{parse_amount, parse_date};
use super::{Format, ImportError, Statement, Transaction};

/// How a profile's signed amount (negative = money out) is read.
#[derive(Clone, Copy)]
enum Amount {
    /// One signed column.
    Signed(&'static str),
    /// One column where a positive number is a charge (card statements).
    Inverted(&'static str),
    /// Separate paid-out and paid-in columns.
    DebitCredit {
        debit: &'static str,
        credit: &'static str,
    },
}

struct Profile {
    format: Format,
    /// Headers that must all be present (lower-case, `*` stripped).
    signature: &'static [&'static str],
    /// Match only when the header has exactly the signature's columns.
    exact: bool,
    date: &'static [&'static str],
    amount: Amount,
    /// Joined (non-empty, distinct) into the description.
    description: &'static [&'static str],
    counterparty: Option<&'static str>,
    currency: Option<&'static str>,
    original_amount: Option<&'static str>,
    original_currency: Option<&'static str>,
    bank_id: Option<&'static str>,
    account: &'static [&'static str],
    category: Option<&'static str>,
    /// Rows whose state column is not one of these are not money movements.
    state: Option<(&'static str, &'static [&'static str])>,
    /// Amex-style "Foreign Spend Amount: 20.00 USD" in this column.
    foreign_details: Option<&'static str>,
}

const fn base(
    format: Format,
    signature: &'static [&'static str],
    date: &'static [&'static str],
    amount: Amount,
    description: &'static [&'static str],
) -> Profile {
    Profile {
        format,
        signature,
        exact: false,
        date,
        amount,
        description,
        counterparty: None,
        currency: None,
        original_amount: None,
        original_currency: None,
        bank_id: None,
        account: &[],
        category: None,
        state: None,
        foreign_details: None,
    }
}

/// Most specific first.
const PROFILES: &[Profile] = &[
    Profile {
        counterparty: Some("name"),
        currency: Some("currency"),
        original_amount: Some("local amount"),
        original_currency: Some("local currency"),
        bank_id: Some("transaction id"),
        category: Some("category"),
        ..base(
            Format::Monzo,
            &[
                "transaction id",
                "date",
                "name",
                "amount",
                "currency",
                "local amount",
                "local currency",
            ],
            &["date"],
            Amount::Signed("amount"),
            &["description"],
        )
    },
    Profile {
        counterparty: Some("counter party"),
        category: Some("spending category"),
        ..base(
            Format::Starling,
            &["date", "counter party", "reference", "amount (gbp)"],
            &["date"],
            Amount::Signed("amount (gbp)"),
            &["counter party", "reference"],
        )
    },
    Profile {
        currency: Some("payment currency"),
        original_amount: Some("orig amount"),
        original_currency: Some("orig currency"),
        bank_id: Some("id"),
        account: &["account"],
        state: Some(("state", &["completed"])),
        ..base(
            Format::RevolutBusiness,
            &[
                "date started (utc)",
                "id",
                "type",
                "state",
                "description",
                "amount",
            ],
            &["date completed (utc)", "date started (utc)"],
            Amount::Signed("amount"),
            &["description", "reference"],
        )
    },
    Profile {
        account: &["sort code", "account number"],
        category: Some("transaction type"),
        ..base(
            Format::Lloyds,
            &[
                "transaction date",
                "transaction type",
                "sort code",
                "account number",
                "transaction description",
                "debit amount",
                "credit amount",
            ],
            &["transaction date"],
            Amount::DebitCredit {
                debit: "debit amount",
                credit: "credit amount",
            },
            &["transaction description"],
        )
    },
    Profile {
        account: &["account number"],
        category: Some("type"),
        ..base(
            Format::Natwest,
            &[
                "date",
                "type",
                "description",
                "value",
                "balance",
                "account number",
            ],
            &["date"],
            Amount::Signed("value"),
            &["description"],
        )
    },
    Profile {
        account: &["account"],
        category: Some("subcategory"),
        ..base(
            Format::Barclays,
            &["number", "date", "account", "amount", "subcategory", "memo"],
            &["date"],
            Amount::Signed("amount"),
            &["memo"],
        )
    },
    Profile {
        bank_id: Some("reference"),
        category: Some("category"),
        foreign_details: Some("extended details"),
        ..base(
            Format::Amex,
            &[
                "date",
                "description",
                "amount",
                "appears on your statement as",
            ],
            &["date"],
            Amount::Inverted("amount"),
            &["description"],
        )
    },
    Profile {
        account: &["account #"],
        ..base(
            Format::Amex,
            &["date", "description", "card member", "account #", "amount"],
            &["date"],
            Amount::Inverted("amount"),
            &["description"],
        )
    },
    Profile {
        counterparty: Some("payee"),
        ..base(
            Format::Xero,
            &["date", "amount", "payee", "description", "reference"],
            &["date"],
            Amount::Signed("amount"),
            &["payee", "description", "reference"],
        )
    },
    Profile {
        ..base(
            Format::Xero,
            &[
                "date",
                "source",
                "description",
                "reference",
                "debit",
                "credit",
            ],
            &["date"],
            Amount::DebitCredit {
                debit: "debit",
                credit: "credit",
            },
            &["description", "reference"],
        )
    },
    Profile {
        counterparty: Some("name"),
        ..base(
            Format::Quickbooks,
            &[
                "date",
                "transaction type",
                "name",
                "memo/description",
                "amount",
            ],
            &["date"],
            Amount::Signed("amount"),
            &["name", "memo/description"],
        )
    },
    Profile {
        exact: true,
        ..base(
            Format::Quickbooks,
            &["date", "description", "credit", "debit"],
            &["date"],
            Amount::DebitCredit {
                debit: "debit",
                credit: "credit",
            },
            &["description"],
        )
    },
    Profile {
        exact: true,
        ..base(
            Format::Quickbooks,
            &["date", "description", "amount"],
            &["date"],
            Amount::Signed("amount"),
            &["description"],
        )
    },
];

fn norm(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .trim_start_matches('*')
        .trim()
        .to_ascii_lowercase()
}

fn first_record(text: &str) -> Option<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => Some(rec.iter().map(str::to_string).collect()),
        _ => None,
    }
}

fn profile_for(headers: &[String], want: Option<Format>) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| {
        want.is_none_or(|f| f == p.format)
            && p.signature.iter().all(|s| headers.iter().any(|h| h == s))
            && (!p.exact || headers.len() == p.signature.len())
    })
}

/// HSBC's export has no header: date, description, amount.
fn looks_like_hsbc(first: &[String]) -> bool {
    first.len() == 3 && parse_date(&first[0]).is_some() && parse_amount(&first[2]).is_some()
}

/// Which CSV layout this is, if any.
pub fn detect(text: &str) -> Option<Format> {
    let first = first_record(text)?;
    let headers: Vec<String> = first.iter().map(|h| norm(h)).collect();
    if let Some(p) = profile_for(&headers, None) {
        return Some(p.format);
    }
    // Most of a known layout's headers, but not all: say which layout, so
    // the parser can name the missing column.
    let closest = PROFILES
        .iter()
        .map(|p| {
            (
                p.signature
                    .iter()
                    .filter(|s| headers.iter().any(|h| h == *s))
                    .count(),
                p,
            )
        })
        .filter(|(n, p)| *n >= 3 && *n * 10 >= p.signature.len() * 7)
        .max_by_key(|(n, _)| *n);
    if let Some((_, p)) = closest {
        return Some(p.format);
    }
    looks_like_hsbc(&first).then_some(Format::Hsbc)
}

struct Columns {
    /// Normalised names, for matching.
    headers: Vec<String>,
    /// Names as the file writes them, for messages.
    names: Vec<String>,
}

impl Columns {
    fn idx(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// Parse `text` with the layout of `format`.
pub fn parse(file: &str, text: &str, format: Format) -> Result<Statement, ImportError> {
    let err = |line: Option<usize>, column: Option<&str>, message: String| ImportError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    if format == Format::Hsbc {
        return parse_hsbc(file, text);
    }
    let first = first_record(text).ok_or_else(|| err(None, None, "the file is empty".into()))?;
    let cols = Columns {
        headers: first.iter().map(|h| norm(h)).collect(),
        names: first
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
    };
    let p = profile_for(&cols.headers, Some(format)).ok_or_else(|| {
        // Name the first expected header that is missing.
        let want = PROFILES.iter().find(|p| p.format == format);
        let missing = want
            .and_then(|p| {
                p.signature
                    .iter()
                    .find(|s| !cols.headers.iter().any(|h| h == *s))
            })
            .copied()
            .unwrap_or("?");
        err(
            Some(1),
            Some(missing),
            format!("missing column {missing:?} for a {format} export"),
        )
    })?;
    let need = |name: &'static str| {
        cols.idx(name)
            .ok_or_else(|| err(Some(1), Some(name), format!("missing column {name:?}")))
    };
    let date_cols: Vec<usize> = p.date.iter().filter_map(|d| cols.idx(d)).collect();
    if date_cols.is_empty() {
        return Err(err(
            Some(1),
            Some(p.date[0]),
            format!("missing column {:?}", p.date[0]),
        ));
    }
    let (amount_a, amount_b) = match p.amount {
        Amount::Signed(c) | Amount::Inverted(c) => (need(c)?, None),
        Amount::DebitCredit { debit, credit } => (need(debit)?, Some(need(credit)?)),
    };
    let desc_cols: Vec<usize> = p.description.iter().filter_map(|d| cols.idx(d)).collect();
    let opt = |c: Option<&str>| c.and_then(|c| cols.idx(c));
    let (cp, cur, oa, oc, id, cat) = (
        opt(p.counterparty),
        opt(p.currency),
        opt(p.original_amount),
        opt(p.original_currency),
        opt(p.bank_id),
        opt(p.category),
    );
    let acct: Vec<usize> = p.account.iter().filter_map(|a| cols.idx(a)).collect();
    let state = p.state.and_then(|(c, ok)| cols.idx(c).map(|i| (i, ok)));
    let foreign = opt(p.foreign_details);
    let width = cols.headers.len();

    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut out = Vec::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(err(line, None, format!("not valid CSV: {e}")));
            }
        }
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != width {
            return Err(err(
                Some(line),
                None,
                format!(
                    "{} fields where the header has {width} (a shifted column or a summary row?)",
                    rec.len()
                ),
            ));
        }
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        if let Some((i, ok)) = state {
            if !ok.iter().any(|s| get(i).eq_ignore_ascii_case(s)) {
                continue;
            }
        }
        let date_text = date_cols
            .iter()
            .map(|&i| get(i))
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let date: NaiveDate = parse_date(date_text).ok_or_else(|| {
            err(
                Some(line),
                Some(&cols.names[date_cols[0]]),
                format!("{date_text:?} is not a date (or does not exist)"),
            )
        })?;
        let amount = match p.amount {
            Amount::Signed(_) | Amount::Inverted(_) => {
                let t = get(amount_a);
                let v = parse_amount(t).ok_or_else(|| {
                    err(
                        Some(line),
                        Some(&cols.names[amount_a]),
                        format!("{t:?} is not an amount"),
                    )
                })?;
                if matches!(p.amount, Amount::Inverted(_)) {
                    -v
                } else {
                    v
                }
            }
            Amount::DebitCredit { .. } => {
                let (d, c) = (get(amount_a), get(amount_b.unwrap_or(amount_a)));
                let dv = if d.is_empty() {
                    0
                } else {
                    parse_amount(d).ok_or_else(|| {
                        err(
                            Some(line),
                            Some(&cols.names[amount_a]),
                            format!("{d:?} is not an amount"),
                        )
                    })?
                };
                let cb = amount_b.unwrap_or(amount_a);
                let cv = if c.is_empty() {
                    0
                } else {
                    parse_amount(c).ok_or_else(|| {
                        err(
                            Some(line),
                            Some(&cols.names[cb]),
                            format!("{c:?} is not an amount"),
                        )
                    })?
                };
                cv.abs() - dv.abs()
            }
        };
        let mut description = String::new();
        for &i in &desc_cols {
            let v = get(i);
            if !v.is_empty() && !description.contains(v) {
                if !description.is_empty() {
                    description.push(' ');
                }
                description.push_str(v);
            }
        }
        // Banks pad and tab-separate descriptors: one space between words.
        let description_spaced = description.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut description = description_spaced;
        let counterparty = cp.map(get).filter(|s| !s.is_empty()).map(str::to_string);
        if description.is_empty() {
            description = counterparty.clone().unwrap_or_default();
        }
        let currency = cur
            .map(get)
            .filter(|s| s.len() == 3)
            .unwrap_or("GBP")
            .to_ascii_uppercase();
        let (mut original_amount, mut original_currency) = (None, None);
        if let (Some(a), Some(c)) = (oa, oc) {
            let code = get(c).to_ascii_uppercase();
            if code.len() == 3 && code != currency {
                let t = get(a);
                let v = parse_amount(t).ok_or_else(|| {
                    err(
                        Some(line),
                        Some(&cols.names[a]),
                        format!("{t:?} is not an amount"),
                    )
                })?;
                original_amount = Some(if amount < 0 { -v.abs() } else { v.abs() });
                original_currency = Some(code);
            }
        }
        if let Some(f) = foreign {
            if let Some(rest) = get(f).split("Foreign Spend Amount:").nth(1) {
                let mut parts = rest.split_whitespace();
                if let (Some(v), Some(code)) = (parts.next().and_then(parse_amount), parts.next()) {
                    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                        original_amount = Some(if amount < 0 { -v.abs() } else { v.abs() });
                        original_currency = Some(code.to_string());
                    }
                }
            }
        }
        let account = acct
            .iter()
            .map(|&i| get(i).trim_start_matches('\''))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Transaction {
            date,
            amount,
            currency,
            description,
            counterparty,
            original_amount,
            original_currency,
            bank_id: id
                .map(get)
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_matches('\'').to_string()),
            account: Some(account).filter(|a| !a.is_empty()),
            category: cat.map(get).filter(|s| !s.is_empty()).map(str::to_string),
            line,
        });
    }
    if out.is_empty() && rdr.position().line() <= 2 {
        return Err(err(None, None, "no transactions in the file".into()));
    }
    Ok(Statement {
        format: p.format,
        transactions: out,
    })
}

fn parse_hsbc(file: &str, text: &str) -> Result<Statement, ImportError> {
    let err = |line: usize, column: &str, message: String| ImportError {
        file: file.into(),
        line: Some(line),
        column: Some(column.into()),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut out = Vec::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(ImportError {
                    file: file.into(),
                    line: e.position().map(|p| p.line() as usize),
                    column: None,
                    message: format!("not valid CSV: {e}"),
                })
            }
        }
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != 3 {
            return Err(ImportError {
                file: file.into(),
                line: Some(line),
                column: None,
                message: format!(
                    "{} fields where HSBC exports have 3 (date, description, amount)",
                    rec.len()
                ),
            });
        }
        let (d, desc, a) = (rec[0].trim(), rec[1].trim(), rec[2].trim());
        let date = parse_date(d).ok_or_else(|| {
            err(
                line,
                "date",
                format!("{d:?} is not a date (or does not exist)"),
            )
        })?;
        let amount = parse_amount(a)
            .ok_or_else(|| err(line, "amount", format!("{a:?} is not an amount")))?;
        out.push(Transaction {
            date,
            amount,
            currency: "GBP".into(),
            description: desc.split_whitespace().collect::<Vec<_>>().join(" "),
            counterparty: None,
            original_amount: None,
            original_currency: None,
            bank_id: None,
            account: None,
            category: None,
            line,
        });
    }
    if out.is_empty() {
        return Err(ImportError {
            file: file.into(),
            line: None,
            column: None,
            message: "no transactions in the file".into(),
        });
    }
    Ok(Statement {
        format: Format::Hsbc,
        transactions: out,
    })
}
