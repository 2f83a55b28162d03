//! OFX / QFX statements, version 1 (SGML: leaf tags without closing tags)
//! and version 2 (XML), read by one tag scanner. Bank and credit-card
//! statements. DTDs and entities are refused, not expanded.

use super::text::parse_amount;
use super::{Format, ImportError, Statement, Transaction};

pub fn looks_like_ofx(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_uppercase();
    head.contains("OFXHEADER") || head.contains("<OFX>") || head.contains("<?OFX")
}

#[derive(Default)]
struct Pending {
    line: usize,
    trntype: String,
    posted: String,
    amount: String,
    fitid: String,
    name: String,
    memo: String,
    /// (CURRATE, CURSYM, is ORIGCURRENCY)
    currency: Option<(String, String, bool)>,
}

pub fn parse(file: &str, text: &str) -> Result<Statement, ImportError> {
    let err = |line: Option<usize>, column: Option<&str>, message: String| ImportError {
        file: file.into(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let upper_head: String = text
        .chars()
        .take(65536)
        .collect::<String>()
        .to_ascii_uppercase();
    if upper_head.contains("<!DOCTYPE") || upper_head.contains("<!ENTITY") {
        return Err(err(
            None,
            None,
            "the OFX file declares a DTD or entities, which fcto does not expand".into(),
        ));
    }
    let start = upper_head
        .find("<OFX>")
        .ok_or_else(|| err(None, None, "no <OFX> element".into()))?;
    let mut line = super::text::line_of(text, start);
    let bytes = text.as_bytes();
    let mut i = start;
    let mut curdef = String::from("GBP");
    let mut account: Option<String> = None;
    let mut current: Option<Pending> = None;
    let mut in_cur: Option<(String, String, bool)> = None;
    let mut out = Vec::new();
    let mut depth: i64 = 0;
    let mut saw_end = false;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            if bytes[i] == b'\n' {
                line += 1;
            }
            i += 1;
            continue;
        }
        let close = text[i..].find('>').map(|o| i + o).ok_or_else(|| {
            err(
                Some(line),
                None,
                "a tag is not closed: the file is truncated".into(),
            )
        })?;
        let tag_raw = &text[i + 1..close];
        if tag_raw.contains('\n') || tag_raw.len() > 64 {
            return Err(err(
                Some(line),
                None,
                format!(
                    "malformed tag <{}>",
                    tag_raw.chars().take(30).collect::<String>()
                ),
            ));
        }
        let tag = tag_raw.trim().to_ascii_uppercase();
        // The value runs to the next tag.
        let next = text[close + 1..]
            .find('<')
            .map(|o| close + 1 + o)
            .unwrap_or(text.len());
        let value = text[close + 1..next].trim().to_string();
        line += text[i..close].matches('\n').count();
        i = close + 1;
        if let Some(name) = tag.strip_prefix('/') {
            depth -= 1;
            match name {
                "STMTTRN" => {
                    let p = current.take().ok_or_else(|| {
                        err(
                            Some(line),
                            Some("STMTTRN"),
                            "closing tag without an opening one".into(),
                        )
                    })?;
                    out.push(finish(file, p, &curdef, account.as_deref())?);
                }
                "CURRENCY" | "ORIGCURRENCY" => {
                    if let (Some(p), Some(c)) = (current.as_mut(), in_cur.take()) {
                        p.currency = Some(c);
                    }
                }
                "OFX" => saw_end = true,
                _ => {}
            }
            continue;
        }
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if value.is_empty() {
            depth += 1;
            if depth > 64 {
                return Err(err(
                    Some(line),
                    None,
                    "elements nested deeper than 64 levels".into(),
                ));
            }
        }
        match tag.as_str() {
            "STMTTRN" => {
                if let Some(p) = current.take() {
                    // SGML files sometimes omit </STMTTRN>: the next one closes it.
                    out.push(finish(file, p, &curdef, account.as_deref())?);
                }
                current = Some(Pending {
                    line,
                    ..Default::default()
                });
            }
            "CURDEF" => curdef = value.to_ascii_uppercase(),
            "ACCTID" => account = Some(value.clone()),
            "CURRENCY" | "ORIGCURRENCY" => {
                in_cur = Some((String::new(), String::new(), tag == "ORIGCURRENCY"))
            }
            "CURRATE" => {
                if let Some(c) = in_cur.as_mut() {
                    c.0 = value.clone();
                }
            }
            "CURSYM" => {
                if let Some(c) = in_cur.as_mut() {
                    c.1 = value.to_ascii_uppercase();
                }
            }
            _ => {
                if let Some(p) = current.as_mut() {
                    match tag.as_str() {
                        "TRNTYPE" => p.trntype = value.clone(),
                        "DTPOSTED" => p.posted = value.clone(),
                        "TRNAMT" => p.amount = value.clone(),
                        "FITID" => p.fitid = value.clone(),
                        "NAME" => p.name = value.clone(),
                        "MEMO" => p.memo = value.clone(),
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(p) = current.take() {
        if !saw_end {
            return Err(err(
                Some(p.line),
                Some("STMTTRN"),
                "the file ends inside a transaction: it is truncated".into(),
            ));
        }
        out.push(finish(file, p, &curdef, account.as_deref())?);
    }
    if out.is_empty() {
        return Err(err(
            None,
            None,
            "no transactions (STMTTRN) in the OFX file".into(),
        ));
    }
    Ok(Statement {
        format: Format::Ofx,
        transactions: out,
    })
}

fn finish(
    file: &str,
    p: Pending,
    curdef: &str,
    account: Option<&str>,
) -> Result<Transaction, ImportError> {
    let err = |column: &str, message: String| ImportError {
        file: file.into(),
        line: Some(p.line),
        column: Some(column.into()),
        message,
    };
    let digits: String = p.posted.chars().take(8).collect();
    let date = chrono::NaiveDate::parse_from_str(&digits, "%Y%m%d")
        .map_err(|_| err("DTPOSTED", format!("{:?} is not a date", p.posted)))?;
    let mut amount = parse_amount(&p.amount)
        .ok_or_else(|| err("TRNAMT", format!("{:?} is not an amount", p.amount)))?;
    let mut currency = curdef.to_string();
    let (mut original_amount, mut original_currency) = (None, None);
    if let Some((rate, sym, orig)) = &p.currency {
        let rate: f64 = rate
            .trim()
            .parse()
            .map_err(|_| err("CURRATE", format!("{rate:?} is not a rate")))?;
        if rate <= 0.0 || !rate.is_finite() || sym.len() != 3 {
            return Err(err(
                "CURRATE",
                format!("{rate} {sym} is not a currency rate"),
            ));
        }
        if *orig {
            // TRNAMT is in CURDEF; the merchant charged CURSYM.
            original_amount = Some((amount as f64 / rate).round() as i64);
            original_currency = Some(sym.clone());
        } else {
            // TRNAMT is in CURSYM; convert to the account currency.
            original_amount = Some(amount);
            original_currency = Some(sym.clone());
            amount = (amount as f64 * rate).round() as i64;
            currency = curdef.to_string();
        }
    }
    let description = match (p.name.is_empty(), p.memo.is_empty()) {
        (false, false) if !p.memo.contains(&p.name) => format!("{} {}", p.name, p.memo),
        (false, _) => p.name.clone(),
        (true, false) => p.memo.clone(),
        (true, true) => p.trntype.clone(),
    };
    Ok(Transaction {
        date,
        amount,
        currency,
        description: unescape(&description),
        counterparty: Some(unescape(&p.name)).filter(|n| !n.is_empty()),
        original_amount,
        original_currency,
        bank_id: Some(p.fitid.clone()).filter(|f| !f.is_empty()),
        account: account.map(str::to_string),
        category: Some(p.trntype.clone()).filter(|t| !t.is_empty()),
        line: p.line,
    })
}

/// The five predefined XML entities (OFX 2 files use them; nothing else is expanded).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
