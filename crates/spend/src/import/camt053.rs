//! ISO 20022 camt.053 bank-to-customer statements (any version: elements
//! are matched by local name). Entries become transactions; DTDs are refused.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::text::{line_of, parse_amount};
use super::{Format, ImportError, Statement, Transaction};

pub fn looks_like_camt(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("camt.053") || (head.contains("<Document") && head.contains("BkToCstmrStmt"))
}

#[derive(Default)]
struct Entry {
    line: usize,
    amount: String,
    currency: String,
    debit: Option<bool>,
    date: String,
    id: String,
    refs: Vec<String>,
    creditor: String,
    debtor: String,
    original: Option<(String, String)>,
    info: String,
}

pub fn parse(file: &str, text: &str) -> Result<Statement, ImportError> {
    let err = |line: Option<usize>, column: Option<&str>, message: String| ImportError {
        file: file.into(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut out = Vec::new();
    let mut iban: Option<String> = None;
    let mut stmt_currency = String::from("GBP");
    let mut attr_ccy: Option<String> = None;
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            err(
                Some(line_of(text, pos)),
                None,
                format!("not valid XML: {e}"),
            )
        })?;
        match ev {
            Event::DocType(_) => {
                // The position after the event is on the declaration's line.
                return Err(err(
                    Some(line_of(text, reader.buffer_position() as usize)),
                    None,
                    "the XML declares a DTD, which fcto does not process".into(),
                ));
            }
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                attr_ccy = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"Ccy")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                if name == "Ntry" {
                    entry = Some(Entry {
                        // After the start tag: the tag's own line.
                        line: line_of(text, reader.buffer_position() as usize),
                        ..Default::default()
                    });
                }
                path.push(name);
                if path.len() > 64 {
                    return Err(err(
                        Some(line_of(text, pos)),
                        None,
                        "elements nested deeper than 64 levels".into(),
                    ));
                }
            }
            Event::End(_) => {
                if path.last().map(String::as_str) == Some("Ntry") {
                    if let Some(e) = entry.take() {
                        out.push(finish(file, e, &stmt_currency, iban.as_deref())?);
                    }
                }
                path.pop();
            }
            Event::Text(t) => {
                let value = t
                    .unescape()
                    .map_err(|e| {
                        err(
                            Some(line_of(text, pos)),
                            path.last().map(String::as_str),
                            format!("bad text: {e}"),
                        )
                    })?
                    .into_owned();
                let leaf = path.last().map(String::as_str).unwrap_or("");
                let parent = path
                    .len()
                    .checked_sub(2)
                    .map(|i| path[i].as_str())
                    .unwrap_or("");
                let has = |n: &str| path.iter().any(|p| p == n);
                match entry.as_mut() {
                    Some(e) => match (parent, leaf) {
                        ("Ntry", "Amt") => {
                            e.amount = value;
                            e.currency = attr_ccy.clone().unwrap_or_default();
                        }
                        ("Ntry", "CdtDbtInd") => e.debit = Some(value.eq_ignore_ascii_case("DBIT")),
                        ("BookgDt", "Dt") | ("BookgDt", "DtTm") => e.date = value,
                        ("ValDt", "Dt") | ("ValDt", "DtTm") if e.date.is_empty() => e.date = value,
                        ("Ntry", "AcctSvcrRef") => e.id = value,
                        ("Ntry", "NtryRef") if e.id.is_empty() => e.id = value,
                        ("RmtInf", "Ustrd") => e.refs.push(value),
                        ("InstdAmt", "Amt") => {
                            e.original = Some((value, attr_ccy.clone().unwrap_or_default()))
                        }
                        ("Ntry", "AddtlNtryInf") => e.info = value,
                        (_, "Nm") if has("Cdtr") && e.creditor.is_empty() => e.creditor = value,
                        (_, "Nm") if has("Dbtr") && e.debtor.is_empty() => e.debtor = value,
                        _ => {}
                    },
                    None => match (parent, leaf) {
                        ("Id", "IBAN") if has("Acct") => iban = Some(value),
                        ("Acct", "Ccy") => stmt_currency = value.to_ascii_uppercase(),
                        _ => {}
                    },
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !path.is_empty() {
        return Err(err(
            Some(line_of(text, text.len())),
            None,
            "the XML ends early: it is truncated".into(),
        ));
    }
    if out.is_empty() {
        return Err(err(
            None,
            None,
            "no entries (Ntry) in the camt.053 statement".into(),
        ));
    }
    Ok(Statement {
        format: Format::Camt053,
        transactions: out,
    })
}

fn finish(
    file: &str,
    e: Entry,
    stmt_currency: &str,
    iban: Option<&str>,
) -> Result<Transaction, ImportError> {
    let err = |column: &str, message: String| ImportError {
        file: file.into(),
        line: Some(e.line),
        column: Some(column.into()),
        message,
    };
    let date = super::text::parse_date(&e.date)
        .ok_or_else(|| err("BookgDt", format!("{:?} is not a date", e.date)))?;
    let v = parse_amount(&e.amount)
        .ok_or_else(|| err("Amt", format!("{:?} is not an amount", e.amount)))?;
    let debit = e
        .debit
        .ok_or_else(|| err("CdtDbtInd", "missing credit/debit indicator".into()))?;
    let amount = if debit { -v.abs() } else { v.abs() };
    let currency = if e.currency.len() == 3 {
        e.currency.to_ascii_uppercase()
    } else {
        stmt_currency.to_string()
    };
    let counterparty = if debit {
        e.creditor.clone()
    } else {
        e.debtor.clone()
    };
    let mut parts = Vec::new();
    if !counterparty.is_empty() {
        parts.push(counterparty.clone());
    }
    parts.extend(e.refs.iter().cloned());
    if parts.is_empty() && !e.info.is_empty() {
        parts.push(e.info.clone());
    }
    let (original_amount, original_currency) = match &e.original {
        Some((a, c)) if c.len() == 3 && !c.eq_ignore_ascii_case(&currency) => {
            let ov = parse_amount(a)
                .ok_or_else(|| err("InstdAmt", format!("{a:?} is not an amount")))?;
            (
                Some(if debit { -ov.abs() } else { ov.abs() }),
                Some(c.to_ascii_uppercase()),
            )
        }
        _ => (None, None),
    };
    Ok(Transaction {
        date,
        amount,
        currency,
        description: parts.join(" "),
        counterparty: Some(counterparty).filter(|c| !c.is_empty()),
        original_amount,
        original_currency,
        bank_id: Some(e.id.clone()).filter(|i| !i.is_empty()),
        account: iban.map(str::to_string),
        category: None,
        line: e.line,
    })
}
