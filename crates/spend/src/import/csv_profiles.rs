//! CSV exports of UK banks and cards, Xero and QuickBooks. Each layout is a
//! [`Profile`]: the headers that identify it, the columns that hold each
//! field and the sign convention. One strict reader serves them all: every
//! row must parse, so a shifted column, a summary row or a bad date stops
//! the import with the line and column named.
//!
//! HSBC's export has no header (`date,description,amount`); it is read by
//! [`parse_headerless`] and recognised by the shape of its first row.

use chrono::NaiveDate;

use super::values::{has_marker, looks_like_summary, parse_amount, parse_date, squash, DateError};
use super::{Format, ImportError, Statement, Transaction};

/// Report-style exports (Xero, QuickBooks) may put a title block above the
/// header; this many records are searched for it.
const MAX_PREAMBLE: usize = 12;

/// How the signed amount (negative = money out) is read.
#[derive(Clone, Copy)]
enum Amount {
    /// One signed column.
    Signed(&'static str),
    /// One column where a positive number is a charge (card statements).
    Charge(&'static str),
    /// A money-out and a money-in column, each holding a magnitude.
    OutIn {
        out: &'static str,
        inn: &'static str,
    },
}

/// Where the account currency comes from.
#[derive(Clone, Copy)]
enum Currency {
    /// The account currency is sterling (the export does not say).
    Gbp,
    /// A column per row.
    Column(&'static str),
    /// The parenthesised code in the amount column's header ("Amount (EUR)").
    FromAmountHeader,
}

struct Profile {
    format: Format,
    /// Headers that must all be present (case-insensitive; a trailing `*`
    /// matches any ending, as in "Amount (*" for "Amount (GBP)").
    signature: &'static [&'static str],
    /// When not empty, at least one of these must be present too.
    any_of: &'static [&'static str],
    /// The header must have exactly the signature's columns.
    exact: bool,
    /// An accounting report: a title block may precede the header, and
    /// section headings, opening/closing balances and totals are part of
    /// the layout (skipped, not errors).
    report: bool,
    /// Date columns, in order of preference (first non-empty wins).
    date: &'static [&'static str],
    amount: Amount,
    /// Joined (non-empty, without repeats) into the description.
    description: &'static [&'static str],
    counterparty: Option<&'static str>,
    currency: Currency,
    /// Columns for the amount and currency of a foreign charge.
    original: Option<(&'static str, &'static str)>,
    bank_id: Option<&'static str>,
    /// Joined with a space ("30-94-57 12345678").
    account: &'static [&'static str],
    category: Option<&'static str>,
    /// Revolut: the row's state; only COMPLETED rows are money movements.
    state: Option<&'static str>,
    /// Amex: text holding "Foreign Spend Amount: 20.00 UNITED STATES DOLLAR".
    foreign_text: &'static [&'static str],
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
        any_of: &[],
        exact: false,
        report: false,
        date,
        amount,
        description,
        counterparty: None,
        currency: Currency::Gbp,
        original: None,
        bank_id: None,
        account: &[],
        category: None,
        state: None,
        foreign_text: &[],
    }
}

/// Most specific first: detection takes the first profile that matches.
const PROFILES: &[Profile] = &[
    // Monzo personal and business.
    Profile {
        counterparty: Some("Name"),
        currency: Currency::Column("Currency"),
        original: Some(("Local amount", "Local currency")),
        bank_id: Some("Transaction ID"),
        category: Some("Category"),
        ..base(
            Format::Monzo,
            &["Transaction ID", "Date", "Name", "Amount", "Currency"],
            &["Date"],
            Amount::Signed("Amount"),
            &["Description"],
        )
    },
    Profile {
        counterparty: Some("Counter Party"),
        currency: Currency::FromAmountHeader,
        category: Some("Spending Category"),
        ..base(
            Format::Starling,
            &["Date", "Counter Party", "Reference", "Amount (*"],
            &["Date"],
            Amount::Signed("Amount (*"),
            &["Counter Party", "Reference"],
        )
    },
    Profile {
        currency: Currency::Column("Payment currency"),
        original: Some(("Orig amount", "Orig currency")),
        bank_id: Some("ID"),
        account: &["Account"],
        state: Some("State"),
        ..base(
            Format::RevolutBusiness,
            &[
                "Date started (UTC)",
                "ID",
                "Type",
                "State",
                "Description",
                "Amount",
            ],
            &["Date completed (UTC)", "Date started (UTC)"],
            Amount::Signed("Amount"),
            &["Description", "Reference"],
        )
    },
    Profile {
        account: &["Sort Code", "Account Number"],
        ..base(
            Format::Lloyds,
            &[
                "Transaction Date",
                "Transaction Type",
                "Transaction Description",
                "Debit Amount",
                "Credit Amount",
            ],
            &["Transaction Date"],
            Amount::OutIn {
                out: "Debit Amount",
                inn: "Credit Amount",
            },
            &["Transaction Description"],
        )
    },
    Profile {
        account: &["Account Number"],
        ..base(
            Format::Natwest,
            &["Date", "Type", "Description", "Value", "Balance"],
            &["Date"],
            Amount::Signed("Value"),
            &["Description"],
        )
    },
    Profile {
        account: &["Account"],
        category: Some("Subcategory"),
        ..base(
            Format::Barclays,
            &["Number", "Date", "Account", "Amount", "Subcategory", "Memo"],
            &["Date"],
            Amount::Signed("Amount"),
            &["Memo"],
        )
    },
    // American Express UK: a charge is a positive amount.
    Profile {
        any_of: &[
            "Extended Details",
            "Appears On Your Statement As",
            "Card Member",
            "Account #",
            "Foreign Spend Amount",
            "Town/City",
        ],
        bank_id: Some("Reference"),
        account: &["Account #"],
        category: Some("Category"),
        foreign_text: &[
            "Extended Details",
            "Foreign Spend Amount",
            "Additional Information",
        ],
        ..base(
            Format::Amex,
            &["Date", "Description", "Amount"],
            &["Date"],
            Amount::Charge("Amount"),
            &["Description"],
        )
    },
    // Xero bank statement import/export layout.
    Profile {
        counterparty: Some("Payee"),
        ..base(
            Format::Xero,
            &["Date", "Amount", "Payee", "Description", "Reference"],
            &["Date"],
            Amount::Signed("Amount"),
            &["Payee", "Description", "Reference"],
        )
    },
    // Xero "Account Transactions" report: for a bank account a debit is
    // money in and a credit money out.
    Profile {
        report: true,
        counterparty: Some("Contact"),
        ..base(
            Format::Xero,
            &[
                "Date",
                "Source",
                "Description",
                "Reference",
                "Debit",
                "Credit",
            ],
            &["Date"],
            Amount::OutIn {
                out: "Credit",
                inn: "Debit",
            },
            &["Contact", "Description", "Reference"],
        )
    },
    // QuickBooks "Transaction Detail by Account" report.
    Profile {
        report: true,
        any_of: &["Memo/Description", "Memo", "Split"],
        counterparty: Some("Name"),
        category: Some("Split"),
        ..base(
            Format::Quickbooks,
            &["Date", "Transaction Type", "Name", "Amount"],
            &["Date"],
            Amount::Signed("Amount"),
            &["Name", "Memo/Description", "Memo"],
        )
    },
    // QuickBooks bank upload, 4 columns.
    Profile {
        exact: true,
        ..base(
            Format::Quickbooks,
            &["Date", "Description", "Credit", "Debit"],
            &["Date"],
            Amount::OutIn {
                out: "Debit",
                inn: "Credit",
            },
            &["Description"],
        )
    },
    // QuickBooks bank upload, 3 columns.
    Profile {
        exact: true,
        ..base(
            Format::Quickbooks,
            &["Date", "Description", "Amount"],
            &["Date"],
            Amount::Signed("Amount"),
            &["Description"],
        )
    },
];

/// A header cell as compared: trimmed, without Xero's `*` marks or a
/// leading apostrophe.
fn clean_header(h: &str) -> &str {
    let t = h
        .trim()
        .trim_start_matches(['*', '\''])
        .trim_end_matches('*')
        .trim();
    t.strip_prefix('\u{feff}').unwrap_or(t)
}

fn header_matches(header: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => {
            header.len() >= prefix.len()
                && header.is_char_boundary(prefix.len())
                && header[..prefix.len()].eq_ignore_ascii_case(prefix)
        }
        None => header.eq_ignore_ascii_case(pattern),
    }
}

fn find(headers: &[String], pattern: &str) -> Option<usize> {
    headers.iter().position(|h| header_matches(h, pattern))
}

/// The header cells with trailing empty cells (a trailing comma) dropped.
fn header_cells(rec: &csv::StringRecord) -> Vec<String> {
    let mut cells: Vec<String> = rec.iter().map(|h| clean_header(h).to_string()).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

impl Profile {
    fn matches(&self, headers: &[String]) -> bool {
        self.signature.iter().all(|s| find(headers, s).is_some())
            && (self.any_of.is_empty() || self.any_of.iter().any(|s| find(headers, s).is_some()))
            && (!self.exact || headers.len() == self.signature.len())
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The profile and the 0-based record index of its header.
fn find_header(text: &str, want: Option<Format>) -> Option<(&'static Profile, usize, Vec<String>)> {
    let mut rdr = reader(text);
    let mut rec = csv::StringRecord::new();
    for index in 0..MAX_PREAMBLE {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            _ => return None,
        }
        let headers = header_cells(&rec);
        let found = PROFILES.iter().find(|p| {
            want.is_none_or(|f| f == p.format) && (index == 0 || p.report) && p.matches(&headers)
        });
        if let Some(p) = found {
            return Some((p, index, headers));
        }
    }
    None
}

/// The first record, for shape checks.
fn first_record(text: &str) -> Option<csv::StringRecord> {
    let mut rec = csv::StringRecord::new();
    match reader(text).read_record(&mut rec) {
        Ok(true) => Some(rec),
        _ => None,
    }
}

/// Fields without the empty ones a trailing comma adds.
fn effective_len(rec: &csv::StringRecord, min: usize) -> usize {
    let mut n = rec.len();
    while n > min && rec.get(n - 1).is_some_and(|f| f.trim().is_empty()) {
        n -= 1;
    }
    n
}

/// HSBC's headerless `date,description,amount`.
fn looks_headerless(rec: &csv::StringRecord) -> bool {
    effective_len(rec, 3) == 3
        && parse_date(&rec[0]) != Err(DateError::NotADate)
        && !rec[1].trim().is_empty()
        && parse_amount(&rec[2]).is_some()
}

/// Which CSV layout `text` has, if any.
pub(crate) fn detect(text: &str) -> Option<Format> {
    if let Some((p, _, _)) = find_header(text, None) {
        return Some(p.format);
    }
    first_record(text)
        .filter(looks_headerless)
        .map(|_| Format::Hsbc)
}

/// Physical 1-based lines of records. The csv crate's own line count
/// skips blank lines, and its byte position of a record points at the blank
/// lines before it; this counts newlines up to the record's first byte.
struct Lines<'a> {
    text: &'a [u8],
    counted: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            counted: 0,
            line: 1,
        }
    }

    /// The line where the record at byte `pos` starts.
    fn at(&mut self, pos: Option<&csv::Position>) -> usize {
        let Some(pos) = pos else {
            return self.line;
        };
        let mut off = (pos.byte() as usize).min(self.text.len());
        while off < self.text.len() && matches!(self.text[off], b'\r' | b'\n') {
            off += 1;
        }
        if off < self.counted {
            // Never expected (records move forward), but stay correct.
            self.counted = 0;
            self.line = 1;
        }
        self.line += self.text[self.counted..off]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = off;
        self.line
    }
}

/// Strip a spreadsheet's text-forcing apostrophe and surrounding space.
/// Amex wraps references in apostrophes at both ends ('AT2503...').
fn cell(s: &str) -> &str {
    let t = s.trim();
    match t.strip_prefix('\'') {
        Some(rest) => rest.strip_suffix('\'').unwrap_or(rest).trim(),
        None => t,
    }
}

fn some_text(s: &str) -> Option<String> {
    let t = squash(cell(s));
    (!t.is_empty()).then(|| t.into_owned())
}

/// Append `part` to `out` with a space, unless empty or already there.
fn join_into(out: &mut String, part: &str) {
    let part = squash(part);
    if part.is_empty() || out.contains(part.as_ref()) {
        return;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&part);
}

/// Column indices resolved against the header.
struct Layout {
    headers: Vec<String>,
    width: usize,
    date: Vec<usize>,
    amount: (usize, Option<usize>),
    description: Vec<usize>,
    counterparty: Option<usize>,
    currency_col: Option<usize>,
    fixed_currency: String,
    original: Option<(usize, usize)>,
    bank_id: Option<usize>,
    account: Vec<usize>,
    category: Option<usize>,
    state: Option<usize>,
    foreign_text: Vec<usize>,
}

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(
        &self,
        line: Option<usize>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> ImportError {
        ImportError {
            file: self.file.to_string(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

fn layout(p: &Profile, headers: Vec<String>) -> Layout {
    let idx = |name: &str| find(&headers, name);
    let many = |names: &[&str]| names.iter().filter_map(|n| idx(n)).collect::<Vec<_>>();
    let amount = match p.amount {
        Amount::Signed(c) | Amount::Charge(c) => (idx(c).unwrap_or(0), None),
        Amount::OutIn { out, inn } => (idx(out).unwrap_or(0), idx(inn)),
    };
    let fixed_currency = match p.currency {
        Currency::FromAmountHeader => headers
            .get(amount.0)
            .and_then(|h| h.split_once('('))
            .and_then(|(_, r)| r.split_once(')'))
            .map(|(code, _)| code.trim().to_ascii_uppercase())
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
            .unwrap_or_else(|| "GBP".into()),
        _ => "GBP".into(),
    };
    let mut description = many(p.description);
    description.dedup();
    Layout {
        width: headers.len(),
        date: many(p.date),
        amount,
        description,
        counterparty: p.counterparty.and_then(idx),
        currency_col: match p.currency {
            Currency::Column(c) => idx(c),
            _ => None,
        },
        fixed_currency,
        original: p.original.and_then(|(a, c)| Some((idx(a)?, idx(c)?))),
        bank_id: p.bank_id.and_then(idx),
        account: many(p.account),
        category: p.category.and_then(idx),
        state: p.state.and_then(idx),
        foreign_text: many(p.foreign_text),
        headers,
    }
}

/// A header that is nearly a known layout (at least two and half of its
/// identifying columns): that format and the first column it lacks, so a
/// file with a column deleted is reported as such, not as unknown.
pub(crate) fn near_miss(text: &str) -> Option<(Format, String)> {
    let headers = header_cells(&first_record(text)?);
    let mut best: Option<(usize, &Profile, &str)> = None;
    for p in PROFILES {
        let matched = p
            .signature
            .iter()
            .filter(|s| find(&headers, s).is_some())
            .count();
        let Some(missing) = p.signature.iter().find(|s| find(&headers, s).is_none()) else {
            continue;
        };
        if matched >= 2 && matched * 2 >= p.signature.len() && best.is_none_or(|b| matched > b.0) {
            best = Some((matched, p, missing));
        }
    }
    best.map(|(_, p, missing)| (p.format, display_name(missing)))
}

fn display_name(pattern: &str) -> String {
    pattern
        .trim_end_matches('*')
        .trim_end_matches(" (")
        .to_string()
}

/// The first signature column of `format`'s closest profile that the
/// header lacks.
fn missing_column(text: &str, format: Format) -> String {
    let headers = first_record(text)
        .map(|r| header_cells(&r))
        .unwrap_or_default();
    let best = PROFILES
        .iter()
        .filter(|p| p.format == format)
        .max_by_key(|p| {
            p.signature
                .iter()
                .filter(|s| find(&headers, s).is_some())
                .count()
        });
    let Some(p) = best else {
        return "?".into();
    };
    if let Some(s) = p.signature.iter().find(|s| find(&headers, s).is_none()) {
        return display_name(s);
    }
    if !p.any_of.is_empty() {
        return p.any_of[0].to_string();
    }
    "?".into()
}

/// Parse `text` as the CSV layout of `format` (not HSBC).
pub(crate) fn parse(file: &str, text: &str, format: Format) -> Result<Statement, ImportError> {
    if format == Format::Hsbc {
        return parse_headerless(file, text);
    }
    let ctx = Ctx { file };
    let Some((p, header_index, headers)) = find_header(text, Some(format)) else {
        let missing = missing_column(text, format);
        return Err(ctx.err(
            Some(1),
            Some(&missing),
            format!("missing from the header (a {format} export has this column)"),
        ));
    };
    let lay = layout(p, headers);
    let mut rdr = reader(text);
    let mut rec = csv::StringRecord::new();
    let mut lines = Lines::new(text);
    let mut out = Vec::new();
    let mut rows = 0usize;
    let mut section: Option<String> = None;
    let mut index = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = Some(lines.at(e.position()));
                return Err(ctx.err(line, None, format!("not valid CSV: {e}")));
            }
        }
        index += 1;
        if index <= header_index + 1 {
            continue;
        }
        let line = lines.at(rec.position());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows += 1;
        if p.report {
            if let Some(heading) = report_structure(&rec, &lay) {
                if let Some(h) = heading {
                    section = Some(h);
                }
                continue;
            }
        }
        if let Some(t) = row(&ctx, p, &lay, &rec, line, section.as_deref())? {
            out.push(t);
        }
    }
    if rows == 0 {
        return Err(ctx.err(
            None,
            None,
            "no transactions: the file has a header but no rows",
        ));
    }
    Ok(Statement {
        format: p.format,
        transactions: out,
    })
}

/// For a report: `Some(Some(heading))` for a section heading, `Some(None)`
/// for a balance, total or footer row, `None` for a transaction row.
fn report_structure(rec: &csv::StringRecord, lay: &Layout) -> Option<Option<String>> {
    let mut filled = rec.iter().map(str::trim).filter(|f| !f.is_empty());
    let first = filled.next()?;
    let lower = first.to_ascii_lowercase();
    if looks_like_summary(first)
        || lower.starts_with("accrual basis")
        || lower.starts_with("cash basis")
    {
        return Some(None);
    }
    let date_text = lay.date.first().and_then(|&i| rec.get(i)).unwrap_or("");
    if !date_text.trim().is_empty() && parse_date(date_text) != Err(DateError::NotADate) {
        return None;
    }
    if filled.next().is_none() {
        return Some(Some(cell(first).to_string()));
    }
    None
}

fn row(
    ctx: &Ctx,
    p: &Profile,
    lay: &Layout,
    rec: &csv::StringRecord,
    line: usize,
    section: Option<&str>,
) -> Result<Option<Transaction>, ImportError> {
    let n = effective_len(rec, lay.width);
    if n != lay.width {
        let first = rec
            .iter()
            .map(str::trim)
            .find(|f| !f.is_empty())
            .unwrap_or("");
        let msg = if looks_like_summary(first) {
            format!("a summary or total row ({first:?}), not a transaction")
        } else {
            format!(
                "{n} fields where the header has {}: a shifted column or a stray comma",
                lay.width
            )
        };
        return Err(ctx.err(Some(line), None, msg));
    }
    let get = |i: usize| rec.get(i).unwrap_or("").trim();
    let col = |i: usize| lay.headers[i].as_str();
    let date_col = lay
        .date
        .iter()
        .copied()
        .find(|&i| !get(i).is_empty())
        .unwrap_or(lay.date[0]);
    let date_text = get(date_col);
    let date = parse_date(date_text);
    if date.is_err() {
        if let Some(first) = rec
            .iter()
            .map(str::trim)
            .find(|f| !f.is_empty())
            .filter(|f| looks_like_summary(f))
        {
            return Err(ctx.err(
                Some(line),
                None,
                format!("a summary or total row ({first:?}), not a transaction"),
            ));
        }
    }
    if let Some(i) = lay.state {
        let state = get(i);
        if !state.eq_ignore_ascii_case("completed") {
            const NOT_MONEY: [&str; 6] = [
                "pending",
                "declined",
                "reverted",
                "failed",
                "cancelled",
                "canceled",
            ];
            if NOT_MONEY.iter().any(|s| state.eq_ignore_ascii_case(s)) {
                return Ok(None);
            }
            return Err(ctx.err(
                Some(line),
                Some(col(i)),
                format!("{state:?} is not a transaction state (COMPLETED, PENDING, DECLINED, REVERTED, FAILED)"),
            ));
        }
    }
    let date: NaiveDate =
        date.map_err(|e| ctx.err(Some(line), Some(col(date_col)), e.message(date_text)))?;
    let amount_of = |i: usize| -> Result<i64, ImportError> {
        let t = get(i);
        parse_amount(t).ok_or_else(|| {
            let msg = if t.is_empty() {
                "the amount is empty".to_string()
            } else if looks_like_summary(t) {
                format!("{t:?} is not an amount: a summary or total row, not a transaction")
            } else {
                format!("{t:?} is not an amount")
            };
            ctx.err(Some(line), Some(col(i)), msg)
        })
    };
    let amount = match p.amount {
        Amount::Signed(_) => amount_of(lay.amount.0)?,
        Amount::Charge(_) => {
            let v = amount_of(lay.amount.0)?;
            if has_marker(get(lay.amount.0)) {
                v
            } else {
                -v
            }
        }
        Amount::OutIn { .. } => {
            let (o, i) = (lay.amount.0, lay.amount.1);
            let out_v = if get(o).is_empty() {
                0
            } else {
                amount_of(o)?.abs()
            };
            let in_v = match i {
                Some(i) if !get(i).is_empty() => amount_of(i)?.abs(),
                _ => 0,
            };
            if out_v == 0 && in_v == 0 && get(o).is_empty() && i.is_none_or(|i| get(i).is_empty()) {
                let name = col(o).to_string();
                return Err(ctx.err(
                    Some(line),
                    Some(&name),
                    "no amount in either the money-out or the money-in column",
                ));
            }
            in_v - out_v
        }
    };
    let counterparty = lay.counterparty.and_then(|i| some_text(get(i)));
    let mut description = String::new();
    for &i in &lay.description {
        join_into(&mut description, cell(get(i)));
    }
    let currency = match lay.currency_col {
        Some(i) => {
            let c = get(i);
            if c.is_empty() {
                lay.fixed_currency.clone()
            } else if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                c.to_ascii_uppercase()
            } else {
                return Err(ctx.err(
                    Some(line),
                    Some(col(i)),
                    format!("{c:?} is not a currency code"),
                ));
            }
        }
        None => lay.fixed_currency.clone(),
    };
    let mut original_amount = None;
    let mut original_currency = None;
    if let Some((a, c)) = lay.original {
        let code = get(c);
        if !code.is_empty() && !code.eq_ignore_ascii_case(&currency) {
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(ctx.err(
                    Some(line),
                    Some(col(c)),
                    format!("{code:?} is not a currency code"),
                ));
            }
            let v = amount_of(a)?;
            original_amount = Some(with_sign_of(amount, v));
            original_currency = Some(code.to_ascii_uppercase());
        }
    }
    for &i in &lay.foreign_text {
        if original_amount.is_none() {
            if let Some((v, code)) = foreign_spend(get(i)) {
                original_amount = Some(with_sign_of(amount, v));
                original_currency = Some(code);
            }
        }
    }
    if description.is_empty() {
        if let Some(c) = &counterparty {
            description.push_str(c);
        }
    }
    let mut account = String::new();
    for &i in &lay.account {
        join_into(&mut account, cell(get(i)));
    }
    if account.is_empty() {
        if let Some(s) = section {
            account.push_str(s);
        }
    }
    Ok(Some(Transaction {
        date,
        amount,
        currency,
        description,
        counterparty,
        original_amount,
        original_currency,
        bank_id: lay.bank_id.and_then(|i| some_text(get(i))),
        account: (!account.is_empty()).then_some(account),
        category: lay.category.and_then(|i| some_text(get(i))),
        line,
    }))
}

/// `v` with the sign of `amount` (money out stays negative in both).
fn with_sign_of(amount: i64, v: i64) -> i64 {
    if amount < 0 {
        -v.abs()
    } else if amount > 0 {
        v.abs()
    } else {
        v
    }
}

/// Amex's "Foreign Spend Amount: 7.18 UNITED STATES DOLLAR Commission
/// Amount: 0.16 ..." (or a bare "7.18 USD" in its own column).
fn foreign_spend(text: &str) -> Option<(i64, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let rest = match t.find("Foreign Spend Amount:") {
        Some(at) => &t[at + "Foreign Spend Amount:".len()..],
        None if t.starts_with(|c: char| c.is_ascii_digit()) => t,
        None => return None,
    };
    let rest = rest.trim_start();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let value = parse_amount(&rest[..end])?;
    let after = rest[end..].trim_start();
    let name_end = ["Commission", "Currency Exchange", "Exchange Rate"]
        .iter()
        .filter_map(|w| after.find(w))
        .min()
        .unwrap_or(after.len());
    let code = currency_code(after[..name_end].trim())?;
    Some((value, code))
}

/// An ISO code, or the English name Amex prints ("UNITED STATES DOLLAR",
/// "US Dollars", "Euro").
fn currency_code(name: &str) -> Option<String> {
    if name.len() == 3 && name.bytes().all(|b| b.is_ascii_uppercase()) {
        return Some(name.to_string());
    }
    let upper = name.to_ascii_uppercase();
    let n = upper.trim_end_matches('S').trim();
    const NAMES: &[(&str, &str)] = &[
        ("UNITED STATES DOLLAR", "USD"),
        ("US DOLLAR", "USD"),
        ("U.S. DOLLAR", "USD"),
        ("EURO", "EUR"),
        ("CANADIAN DOLLAR", "CAD"),
        ("AUSTRALIAN DOLLAR", "AUD"),
        ("NEW ZEALAND DOLLAR", "NZD"),
        ("SINGAPORE DOLLAR", "SGD"),
        ("HONG KONG DOLLAR", "HKD"),
        ("SWISS FRANC", "CHF"),
        ("JAPANESE YEN", "JPY"),
        ("YEN", "JPY"),
        ("SWEDISH KRONA", "SEK"),
        ("SWEDISH KRONOR", "SEK"),
        ("NORWEGIAN KRONE", "NOK"),
        ("NORWEGIAN KRONER", "NOK"),
        ("DANISH KRONE", "DKK"),
        ("DANISH KRONER", "DKK"),
        ("POLISH ZLOTY", "PLN"),
        ("INDIAN RUPEE", "INR"),
        ("SOUTH AFRICAN RAND", "ZAR"),
        ("UAE DIRHAM", "AED"),
        ("UNITED ARAB EMIRATES DIRHAM", "AED"),
        ("MEXICAN PESO", "MXN"),
        ("CZECH KORUNA", "CZK"),
        ("HUNGARIAN FORINT", "HUF"),
        ("TURKISH LIRA", "TRY"),
        ("ISRAELI NEW SHEKEL", "ILS"),
        ("CHINESE YUAN RENMINBI", "CNY"),
        ("CHINESE YUAN", "CNY"),
        ("POUND STERLING", "GBP"),
        ("STERLING", "GBP"),
    ];
    NAMES
        .iter()
        .find(|(full, _)| *full == n || *full == upper)
        .map(|(_, c)| c.to_string())
}

/// HSBC: no header, `date,description,amount` on every line.
pub(crate) fn parse_headerless(file: &str, text: &str) -> Result<Statement, ImportError> {
    let ctx = Ctx { file };
    let mut rdr = reader(text);
    let mut rec = csv::StringRecord::new();
    let mut lines = Lines::new(text);
    let mut out = Vec::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = Some(lines.at(e.position()));
                return Err(ctx.err(line, None, format!("not valid CSV: {e}")));
            }
        }
        let line = lines.at(rec.position());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let n = effective_len(&rec, 3);
        if n != 3 {
            let first = rec
                .iter()
                .map(str::trim)
                .find(|f| !f.is_empty())
                .unwrap_or("");
            let msg = if looks_like_summary(first) {
                format!("a summary or total row ({first:?}), not a transaction")
            } else {
                format!("{n} fields where an HSBC export has 3 (date, description, amount)")
            };
            return Err(ctx.err(Some(line), None, msg));
        }
        let (d, desc, a) = (rec[0].trim(), cell(&rec[1]), rec[2].trim());
        if out.is_empty()
            && parse_date(d) == Err(DateError::NotADate)
            && parse_amount(a).is_none()
            && line == 1
        {
            return Err(ctx.err(
                Some(1),
                None,
                format!("the first line ({d:?}, {desc:?}, {a:?}) is a header; an HSBC export has none (date, description, amount)"),
            ));
        }
        if parse_date(d).is_err() && looks_like_summary(d) {
            return Err(ctx.err(
                Some(line),
                None,
                format!("a summary or total row ({d:?}), not a transaction"),
            ));
        }
        let date = parse_date(d).map_err(|e| ctx.err(Some(line), Some("date"), e.message(d)))?;
        let amount = parse_amount(a).ok_or_else(|| {
            let msg = if a.is_empty() {
                "the amount is empty".into()
            } else {
                format!("{a:?} is not an amount")
            };
            ctx.err(Some(line), Some("amount"), msg)
        })?;
        out.push(Transaction {
            date,
            amount,
            currency: "GBP".into(),
            description: squash(desc).into_owned(),
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
        return Err(ctx.err(None, None, "no transactions in the file"));
    }
    Ok(Statement {
        format: Format::Hsbc,
        transactions: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_spend_text() {
        assert_eq!(
            foreign_spend("Foreign Spend Amount: 7.18 UNITED STATES DOLLAR Commission Amount: 0.16 Currency Exchange Rate: 1.3345"),
            Some((718, "USD".into()))
        );
        assert_eq!(
            foreign_spend("Foreign Spend Amount: 5.95 US Dollars Commission Amount: 0.1"),
            Some((595, "USD".into()))
        );
        assert_eq!(
            foreign_spend("Foreign Spend Amount: 20.00 USD Commission Amount: 0.00"),
            Some((2000, "USD".into()))
        );
        assert_eq!(foreign_spend("12.00 EUR"), Some((1200, "EUR".into())));
        assert_eq!(
            foreign_spend("Foreign Spend Amount: 5.00 KLINGON DARSEK"),
            None
        );
        assert_eq!(foreign_spend(""), None);
    }

    #[test]
    fn headers() {
        assert_eq!(clean_header(" *Date "), "Date");
        assert!(header_matches("Amount (EUR)", "Amount (*"));
        assert!(!header_matches("Amount", "Amount (*"));
        assert!(header_matches("AMOUNT", "Amount"));
    }
}
