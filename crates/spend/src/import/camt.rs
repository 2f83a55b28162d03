//! ISO 20022 camt.053 bank-to-customer statements, any version (.001.02 to
//! .001.13): elements are matched by local name, so the namespace does not
//! matter. One transaction per booked `Ntry`. A DOCTYPE (and with it any
//! entity declaration) is refused before anything is expanded; nesting is
//! capped; a document that ends early is an error, not a short statement.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::ofx::{contains_ci, head};
use super::values::{parse_amount, parse_date, squash, DateError};
use super::{Format, ImportError, Statement, Transaction};

/// Deeper than any real camt.053 (about 12 levels).
const MAX_DEPTH: usize = 64;

pub(crate) fn looks_like_camt(text: &str) -> bool {
    let h = head(text, 8192).as_bytes();
    h.trim_ascii_start().starts_with(b"<")
        && (contains_ci(h, b"camt.053") || contains_ci(h, b"BkToCstmrStmt"))
}

/// The elements the reader cares about; everything else is `Other`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    BkToCstmrStmt,
    Stmt,
    Acct,
    Id,
    Iban,
    Othr,
    Ccy,
    Ntry,
    Amt,
    CdtDbtInd,
    Sts,
    Cd,
    BookgDt,
    ValDt,
    Dt,
    DtTm,
    NtryRef,
    AcctSvcrRef,
    AddtlNtryInf,
    NtryDtls,
    TxDtls,
    Refs,
    AmtDtls,
    InstdAmt,
    RltdPties,
    Cdtr,
    Dbtr,
    Pty,
    Nm,
    RmtInf,
    Ustrd,
    Strd,
    CdtrRefInf,
    Ref,
    AddtlTxInf,
    Other,
}

fn tag(local: &[u8]) -> Tag {
    match local {
        b"BkToCstmrStmt" => Tag::BkToCstmrStmt,
        b"Stmt" => Tag::Stmt,
        b"Acct" => Tag::Acct,
        b"Id" => Tag::Id,
        b"IBAN" => Tag::Iban,
        b"Othr" => Tag::Othr,
        b"Ccy" => Tag::Ccy,
        b"Ntry" => Tag::Ntry,
        b"Amt" => Tag::Amt,
        b"CdtDbtInd" => Tag::CdtDbtInd,
        b"Sts" => Tag::Sts,
        b"Cd" => Tag::Cd,
        b"BookgDt" => Tag::BookgDt,
        b"ValDt" => Tag::ValDt,
        b"Dt" => Tag::Dt,
        b"DtTm" => Tag::DtTm,
        b"NtryRef" => Tag::NtryRef,
        b"AcctSvcrRef" => Tag::AcctSvcrRef,
        b"AddtlNtryInf" => Tag::AddtlNtryInf,
        b"NtryDtls" => Tag::NtryDtls,
        b"TxDtls" => Tag::TxDtls,
        b"Refs" => Tag::Refs,
        b"AmtDtls" => Tag::AmtDtls,
        b"InstdAmt" => Tag::InstdAmt,
        b"RltdPties" => Tag::RltdPties,
        b"Cdtr" => Tag::Cdtr,
        b"Dbtr" => Tag::Dbtr,
        b"Pty" => Tag::Pty,
        b"Nm" => Tag::Nm,
        b"RmtInf" => Tag::RmtInf,
        b"Ustrd" => Tag::Ustrd,
        b"Strd" => Tag::Strd,
        b"CdtrRefInf" => Tag::CdtrRefInf,
        b"Ref" => Tag::Ref,
        b"AddtlTxInf" => Tag::AddtlTxInf,
        _ => Tag::Other,
    }
}

#[derive(Default)]
struct Entry {
    line: usize,
    amount: Option<String>,
    currency: Option<String>,
    indicator: Option<String>,
    status: Option<String>,
    booking: Option<String>,
    value_date: Option<String>,
    entry_ref: Option<String>,
    servicer_ref: Option<String>,
    tx_servicer_ref: Option<String>,
    info: Option<String>,
    tx_info: Option<String>,
    creditor: Option<String>,
    debtor: Option<String>,
    remittance: String,
    structured_ref: Option<String>,
    /// InstdAmt (amount, currency).
    instructed: Option<(String, Option<String>)>,
    /// Currency attribute of the Amt element being read.
    pending_ccy: Option<String>,
}

struct Lines<'a> {
    text: &'a [u8],
    counted: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, off: usize) -> usize {
        let off = off.min(self.text.len());
        if off >= self.counted {
            self.line += self.text[self.counted..off]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.counted = off;
            self.line
        } else {
            1 + self.text[..off].iter().filter(|&&b| b == b'\n').count()
        }
    }
}

fn ends_with(stack: &[(Tag, usize)], path: &[Tag]) -> bool {
    stack.len() >= path.len()
        && stack[stack.len() - path.len()..]
            .iter()
            .map(|s| s.0)
            .eq(path.iter().copied())
}

fn ccy_attr(e: &BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"Ccy")
        .and_then(|a| a.unescape_value().ok().map(|v| v.trim().to_string()))
}

pub(crate) fn parse(file: &str, text: &str) -> Result<Statement, ImportError> {
    let err = |line: Option<usize>, column: Option<&str>, message: String| ImportError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut lines = Lines {
        text: text.as_bytes(),
        counted: 0,
        line: 1,
    };
    let mut stack: Vec<(Tag, usize)> = Vec::with_capacity(32);
    let mut out = Vec::new();
    let mut account: Option<String> = None;
    let mut other_id: Option<String> = None;
    let mut entry: Option<Entry> = None;
    let mut seen_statement = false;
    let mut seen_root = false;

    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                let line = lines.at(at.max(before));
                let msg = match &e {
                    quick_xml::Error::Syntax(_) => format!("truncated or malformed XML: {e}"),
                    _ => format!("malformed XML: {e}"),
                };
                return Err(err(Some(line), None, msg));
            }
        };
        let after = reader.buffer_position() as usize;
        // Where the event's markup starts (trimmed whitespace skipped).
        let before = before
            + text.as_bytes()[before.min(text.len())..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        match event {
            Event::DocType(_) => {
                return Err(err(
                    Some(lines.at(before)),
                    None,
                    "the XML declares a DOCTYPE (and with it possibly entities); fcto refuses it rather than expand it".into(),
                ))
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let t = tag(e.local_name().as_ref());
                let start = after.saturating_sub(e.len() + if empty { 3 } else { 2 });
                if !seen_root {
                    seen_root = true;
                    if e.local_name().as_ref() != b"Document" {
                        return Err(err(
                            Some(lines.at(start)),
                            None,
                            format!(
                                "the XML root is <{}>, not a camt.053 <Document>",
                                String::from_utf8_lossy(head_bytes(e.local_name().as_ref(), 40))
                            ),
                        ));
                    }
                }
                if t == Tag::Stmt && ends_with(&stack, &[Tag::BkToCstmrStmt]) {
                    seen_statement = true;
                    account = None;
                    other_id = None;
                }
                if t == Tag::Ntry && ends_with(&stack, &[Tag::Stmt]) {
                    entry = Some(Entry { line: lines.at(start), ..Entry::default() });
                }
                if t == Tag::Amt {
                    if let Some(en) = entry.as_mut() {
                        en.pending_ccy = ccy_attr(e);
                    }
                }
                if !empty {
                    if stack.len() >= MAX_DEPTH {
                        return Err(err(
                            Some(lines.at(start)),
                            None,
                            format!("the XML is nested deeper than {MAX_DEPTH} elements"),
                        ));
                    }
                    stack.push((t, start));
                }
            }
            Event::End(_) => {
                let Some((t, _)) = stack.pop() else {
                    return Err(err(Some(lines.at(before)), None, "malformed XML: an end tag without a start".into()));
                };
                if t == Tag::Ntry && ends_with(&stack, &[Tag::Stmt]) {
                    if let Some(en) = entry.take() {
                        let acct = account.as_deref().or(other_id.as_deref());
                        if let Some(tx) = finish(file, en, acct)? {
                            out.push(tx);
                        }
                    }
                }
            }
            Event::Text(ref t) => {
                let value = t.unescape().map_err(|e| {
                    err(
                        Some(lines.at(before)),
                        None,
                        format!("the XML uses an entity fcto does not expand ({e})"),
                    )
                })?;
                text_event(&stack, &squash(&value), &mut entry, &mut account, &mut other_id);
            }
            Event::CData(ref t) => {
                let value = String::from_utf8_lossy(t.as_ref()).into_owned();
                text_event(&stack, &squash(&value), &mut entry, &mut account, &mut other_id);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(en) = &entry {
        return Err(err(
            Some(en.line),
            Some("Ntry"),
            "truncated: the file ends before this <Ntry> is closed".into(),
        ));
    }
    if let Some((t, start)) = stack.last() {
        let line = lines.at(*start);
        return Err(err(
            Some(line),
            None,
            format!("truncated: the file ends inside an element opened here ({t:?})"),
        ));
    }
    if !seen_root {
        return Err(err(None, None, "not XML: no root element".into()));
    }
    if !seen_statement {
        let what = if contains_ci(text.as_bytes(), b"BkToCstmrAcctRpt") {
            "a camt.052 account report"
        } else if contains_ci(text.as_bytes(), b"BkToCstmrDbtCdtNtfctn") {
            "a camt.054 notification"
        } else {
            "a document"
        };
        return Err(err(
            None,
            None,
            format!("{what} without a camt.053 statement (BkToCstmrStmt/Stmt)"),
        ));
    }
    Ok(Statement {
        format: Format::Camt053,
        transactions: out,
    })
}

fn head_bytes(b: &[u8], n: usize) -> &[u8] {
    &b[..b.len().min(n)]
}

/// Keep the first value seen for a field.
fn first(slot: &mut Option<String>, v: &str) {
    if slot.is_none() && !v.is_empty() {
        *slot = Some(v.to_string());
    }
}

fn text_event(
    stack: &[(Tag, usize)],
    v: &str,
    entry: &mut Option<Entry>,
    account: &mut Option<String>,
    other_id: &mut Option<String>,
) {
    use Tag::*;
    if v.is_empty() {
        return;
    }
    let Some(en) = entry.as_mut() else {
        if ends_with(stack, &[Stmt, Acct, Id, Iban]) {
            first(account, v);
        } else if ends_with(stack, &[Stmt, Acct, Id, Othr, Id]) {
            first(other_id, v);
        }
        return;
    };
    // Position of the entry in the stack: paths below are relative to it.
    let Some(n) = stack.iter().rposition(|s| s.0 == Ntry) else {
        return;
    };
    let rel: Vec<Tag> = stack[n + 1..].iter().map(|s| s.0).collect();
    match rel.as_slice() {
        [Amt] => {
            en.amount = Some(v.to_string());
            en.currency = en.pending_ccy.take();
        }
        [CdtDbtInd] => first(&mut en.indicator, v),
        [Sts] | [Sts, Cd] => first(&mut en.status, v),
        [BookgDt, Dt] | [BookgDt, DtTm] => first(&mut en.booking, v),
        [ValDt, Dt] | [ValDt, DtTm] => first(&mut en.value_date, v),
        [NtryRef] => first(&mut en.entry_ref, v),
        [AcctSvcrRef] => first(&mut en.servicer_ref, v),
        [AddtlNtryInf] => first(&mut en.info, v),
        [NtryDtls, TxDtls, Refs, AcctSvcrRef] => first(&mut en.tx_servicer_ref, v),
        [NtryDtls, TxDtls, AddtlTxInf] => first(&mut en.tx_info, v),
        [NtryDtls, TxDtls, RltdPties, Cdtr, Nm] | [NtryDtls, TxDtls, RltdPties, Cdtr, Pty, Nm] => {
            first(&mut en.creditor, v)
        }
        [NtryDtls, TxDtls, RltdPties, Dbtr, Nm] | [NtryDtls, TxDtls, RltdPties, Dbtr, Pty, Nm] => {
            first(&mut en.debtor, v)
        }
        [NtryDtls, TxDtls, RmtInf, Ustrd]
            if en.remittance.len() < 1024 && !en.remittance.contains(v) =>
        {
            if !en.remittance.is_empty() {
                en.remittance.push(' ');
            }
            en.remittance.push_str(v);
        }
        [NtryDtls, TxDtls, RmtInf, Strd, CdtrRefInf, Ref] => first(&mut en.structured_ref, v),
        [NtryDtls, TxDtls, AmtDtls, InstdAmt, Amt] | [AmtDtls, InstdAmt, Amt]
            if en.instructed.is_none() =>
        {
            en.instructed = Some((v.to_string(), en.pending_ccy.take()));
        }
        _ => {}
    }
}

fn finish(
    file: &str,
    en: Entry,
    account: Option<&str>,
) -> Result<Option<Transaction>, ImportError> {
    let line = en.line;
    let err = |column: &str, message: String| ImportError {
        file: file.to_string(),
        line: Some(line),
        column: Some(column.to_string()),
        message,
    };
    // Booked entries only: pending and informational ones are not (yet)
    // money movements.
    if let Some(s) = &en.status {
        if !s.eq_ignore_ascii_case("BOOK") {
            if ["PDNG", "INFO", "FUTR"]
                .iter()
                .any(|k| s.eq_ignore_ascii_case(k))
            {
                return Ok(None);
            }
            return Err(err(
                "Sts",
                format!("{s:?} is not an entry status (BOOK, PDNG, INFO)"),
            ));
        }
    }
    let amount_text = en
        .amount
        .as_deref()
        .ok_or_else(|| err("Amt", "the entry has no amount".into()))?;
    let magnitude = parse_amount(amount_text)
        .filter(|v| *v >= 0)
        .ok_or_else(|| err("Amt", format!("{amount_text:?} is not an amount")))?;
    let currency = match en.currency.as_deref() {
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            c.to_ascii_uppercase()
        }
        Some(c) => return Err(err("Amt", format!("Ccy {c:?} is not a currency code"))),
        None => return Err(err("Amt", "the amount has no Ccy currency".into())),
    };
    let debit = match en.indicator.as_deref() {
        Some("DBIT") => true,
        Some("CRDT") => false,
        Some(other) => {
            return Err(err(
                "CdtDbtInd",
                format!("{other:?} is neither DBIT nor CRDT"),
            ))
        }
        None => {
            return Err(err(
                "CdtDbtInd",
                "the entry has no CdtDbtInd (DBIT or CRDT)".into(),
            ))
        }
    };
    let amount = if debit { -magnitude } else { magnitude };
    let (date_col, date_text) = match (&en.booking, &en.value_date) {
        (Some(d), _) => ("BookgDt", d.as_str()),
        (None, Some(d)) => ("ValDt", d.as_str()),
        (None, None) => return Err(err("BookgDt", "the entry has no booking date".into())),
    };
    let date = parse_date(date_text).map_err(|e| match e {
        DateError::NoSuchDay => err(
            date_col,
            format!("{date_text:?} is not a real date (no such day)"),
        ),
        DateError::NotADate => err(date_col, format!("{date_text:?} is not a date")),
    })?;
    let (mut original_amount, mut original_currency) = (None, None);
    if let Some((a, c)) = &en.instructed {
        if let Some(c) = c.as_deref().filter(|c| !c.eq_ignore_ascii_case(&currency)) {
            let v = parse_amount(a)
                .ok_or_else(|| err("InstdAmt", format!("{a:?} is not an amount")))?;
            original_amount = Some(if debit { -v.abs() } else { v.abs() });
            original_currency = Some(c.to_ascii_uppercase());
        }
    }
    let counterparty = if debit { en.creditor } else { en.debtor };
    let mut description = counterparty.clone().unwrap_or_default();
    let reference = [
        Some(en.remittance).filter(|r| !r.is_empty()),
        en.structured_ref,
        en.tx_info,
        en.info.clone(),
    ]
    .into_iter()
    .flatten()
    .next();
    if let Some(r) = reference {
        if !description.contains(r.as_str()) {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(&r);
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
        bank_id: en.servicer_ref.or(en.entry_ref).or(en.tx_servicer_ref),
        account: account.map(str::to_string),
        category: None,
        line,
    }))
}
