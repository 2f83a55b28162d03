//! OFX / QFX statements: version 1 (SGML, where leaf elements have no
//! closing tag and a `OFXHEADER:100` block comes first) and version 2
//! (XML), read by one tag scanner. Bank (`STMTRS`) and credit-card
//! (`CCSTMTRS`) statements, several per file. DTDs and entity declarations
//! are refused, never expanded; the scanner is not recursive, so nesting
//! depth costs nothing.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::values::{parse_amount, squash, DateError};
use super::{Format, ImportError, Statement, Transaction};

/// ASCII case-insensitive substring search.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The first `n` bytes of `text`, cut at a character boundary.
pub(crate) fn head(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub(crate) fn looks_like_ofx(text: &str) -> bool {
    let h = head(text, 4096).trim_start().as_bytes();
    (h.len() >= 9 && h[..9].eq_ignore_ascii_case(b"OFXHEADER"))
        || contains_ci(h, b"<?OFX")
        || contains_ci(head(text, 65536).as_bytes(), b"<OFX>")
}

#[derive(Default)]
struct Pending {
    line: usize,
    posted: Option<String>,
    user_date: Option<String>,
    amount: Option<String>,
    fitid: Option<String>,
    name: Option<String>,
    payee: Option<String>,
    memo: Option<String>,
    /// (CURRATE, CURSYM) of a CURRENCY aggregate: TRNAMT is in CURSYM.
    currency: (Option<String>, Option<String>),
    /// (CURRATE, CURSYM) of an ORIGCURRENCY aggregate: TRNAMT is in CURDEF.
    orig: (Option<String>, Option<String>),
}

#[derive(Clone, Copy, PartialEq)]
enum Agg {
    None,
    Currency,
    Orig,
    Payee,
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    counted: usize,
}

impl Scanner<'_> {
    /// 1-based line of byte offset `off` (offsets only move forward).
    fn line_at(&mut self, off: usize) -> usize {
        let off = off.min(self.text.len());
        if off > self.counted {
            self.line += self.text.as_bytes()[self.counted..off]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.counted = off;
        }
        self.line
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references;
/// anything else (a bare `&` as in "M&S", or an undeclared entity) is kept
/// as written: no entity is ever expanded from a declaration.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let semi = tail[..tail.len().min(12)].find(';');
        let replaced = semi.and_then(|semi| {
            let name = &tail[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match replaced {
            Some((c, semi)) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// OFX date-time: `YYYYMMDD[HHMMSS[.XXX]][[gmt offset[:tz name]]]`; the
/// date part is the bank's.
fn ofx_date(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.trim().as_bytes();
    if b.len() < 8
        || !b[..8].iter().all(u8::is_ascii_digit)
        || b.get(8)
            .is_some_and(|c| !(c.is_ascii_digit() || *c == b'[' || *c == b'.'))
    {
        return Err(DateError::NotADate);
    }
    let n = |r: std::ops::Range<usize>| -> u32 {
        b[r].iter().fold(0, |a, d| a * 10 + (d - b'0') as u32)
    };
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    if !(1900..=2200).contains(&y) {
        return Err(DateError::NotADate);
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NoSuchDay)
}

/// An exchange rate as a decimal and the currency it converts.
type Rate = ((i128, u32), String);

/// A decimal as (mantissa, scale): "1.2706" is (12706, 4).
fn decimal(s: &str) -> Option<(i128, u32)> {
    let t = s.trim().replace(',', ".");
    let (w, f) = t.split_once('.').unwrap_or((&t, ""));
    if w.is_empty() && f.is_empty() || f.len() > 12 || w.len() > 12 {
        return None;
    }
    if !w.bytes().all(|b| b.is_ascii_digit()) || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{w}{f}");
    Some((digits.parse().ok()?, f.len() as u32))
}

/// `a * num / den`, rounded half away from zero.
fn mul_div(a: i64, num: i128, den: i128) -> Option<i64> {
    if den == 0 {
        return None;
    }
    let p = (a as i128).checked_mul(num)?;
    let q = p / den;
    let r = p % den;
    let q = if r.abs() * 2 >= den.abs() {
        q + p.signum() * den.signum()
    } else {
        q
    };
    i64::try_from(q).ok()
}

/// TRNAMT: signed, `.` or `,` as the decimal mark.
fn ofx_amount(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.contains(',') && !t.contains('.') {
        return parse_amount(&t.replace(',', "."));
    }
    parse_amount(t)
}

pub(crate) fn parse(file: &str, text: &str) -> Result<Statement, ImportError> {
    let err = |line: Option<usize>, column: Option<&str>, message: String| ImportError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut sc = Scanner {
        text,
        pos: 0,
        line: 1,
        counted: 0,
    };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut curdef: Option<String> = None;
    let mut account: Option<String> = None;
    let mut in_acct_from = false;
    let mut trn: Option<Pending> = None;
    let mut agg = Agg::None;
    let (mut seen_open, mut seen_close) = (false, false);

    while let Some(rel) = text[sc.pos..].find('<') {
        let lt = sc.pos + rel;
        let rest = &text[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").ok_or_else(|| {
                err(
                    Some(sc.line_at(lt)),
                    None,
                    "truncated: a comment is never closed".into(),
                )
            })?;
            sc.pos = lt + end + 3;
            continue;
        }
        if rest.starts_with("<!") {
            return Err(err(
                Some(sc.line_at(lt)),
                None,
                "the file declares a DOCTYPE or entities; fcto refuses them rather than expand them".into(),
            ));
        }
        if rest.starts_with("<?") {
            let end = rest.find("?>").ok_or_else(|| {
                err(
                    Some(sc.line_at(lt)),
                    None,
                    "truncated: a processing instruction is never closed".into(),
                )
            })?;
            sc.pos = lt + end + 2;
            continue;
        }
        let gt = match rest[1..].find(['>', '<'].as_slice()) {
            Some(i) if bytes[lt + 1 + i] == b'>' => lt + 1 + i,
            _ => {
                return Err(err(
                    Some(sc.line_at(lt)),
                    None,
                    "truncated or malformed: a tag is never closed with '>'".into(),
                ))
            }
        };
        let inner = &text[lt + 1..gt];
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(n) => (true, n),
            None => (false, inner),
        };
        let self_closing = inner.ends_with('/');
        let name = inner
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if name.is_empty() || name.len() > 64 {
            return Err(err(
                Some(sc.line_at(lt)),
                None,
                format!("malformed tag <{}>", head(inner, 40)),
            ));
        }
        // The element's text: up to the next tag.
        let value_end = text[gt + 1..].find('<').map_or(text.len(), |i| gt + 1 + i);
        let raw_value = text[gt + 1..value_end].trim();
        sc.pos = gt + 1;
        let upper = name.to_ascii_uppercase();
        let tag = upper.as_str();
        if closing {
            match tag {
                "STMTTRN" => {
                    let p = trn.take().ok_or_else(|| {
                        err(
                            Some(sc.line_at(lt)),
                            None,
                            "</STMTTRN> without a <STMTTRN>".into(),
                        )
                    })?;
                    out.push(finish(file, p, curdef.as_deref(), account.as_deref())?);
                    agg = Agg::None;
                }
                "CURRENCY" | "ORIGCURRENCY" | "PAYEE" => agg = Agg::None,
                "BANKACCTFROM" | "CCACCTFROM" => in_acct_from = false,
                "OFX" => seen_close = true,
                _ => {}
            }
            continue;
        }
        let value = if self_closing {
            String::new()
        } else {
            squash(&unescape(raw_value)).into_owned()
        };
        let leaf = (!value.is_empty()).then_some(value);
        match tag {
            "OFX" => seen_open = true,
            "STMTRS" | "CCSTMTRS" => {
                curdef = None;
                account = None;
            }
            "CURDEF" if trn.is_none() => curdef = leaf,
            "BANKACCTFROM" | "CCACCTFROM" => in_acct_from = true,
            "ACCTID" if in_acct_from && trn.is_none() => account = leaf,
            "STMTTRN" => {
                let line = sc.line_at(lt);
                if let Some(open) = &trn {
                    return Err(err(
                        Some(line),
                        Some("STMTTRN"),
                        format!(
                            "a <STMTTRN> starts before the one at line {} is closed",
                            open.line
                        ),
                    ));
                }
                trn = Some(Pending {
                    line,
                    ..Pending::default()
                });
                agg = Agg::None;
            }
            _ => {
                if let Some(p) = trn.as_mut() {
                    match (tag, agg) {
                        ("CURRENCY", _) => agg = Agg::Currency,
                        ("ORIGCURRENCY", _) => agg = Agg::Orig,
                        ("PAYEE", _) => agg = Agg::Payee,
                        ("CURRATE", Agg::Currency) => p.currency.0 = leaf,
                        ("CURSYM", Agg::Currency) => p.currency.1 = leaf,
                        ("CURRATE", Agg::Orig) => p.orig.0 = leaf,
                        ("CURSYM", Agg::Orig) => p.orig.1 = leaf,
                        ("NAME", Agg::Payee) => p.payee = leaf,
                        ("DTPOSTED", _) => p.posted = leaf,
                        ("DTUSER", _) => p.user_date = leaf,
                        ("TRNAMT", _) => p.amount = leaf,
                        ("FITID", _) => p.fitid = leaf,
                        ("NAME", _) => p.name = leaf,
                        ("MEMO", _) => p.memo = leaf,
                        _ => {}
                    }
                }
            }
        }
    }
    let end_line = sc.line_at(text.len());
    if let Some(p) = trn {
        return Err(err(
            Some(p.line),
            Some("STMTTRN"),
            "truncated: the file ends before this <STMTTRN> is closed".into(),
        ));
    }
    if !seen_open {
        return Err(err(
            None,
            None,
            "not an OFX statement: no <OFX> element".into(),
        ));
    }
    if !seen_close {
        return Err(err(
            Some(end_line),
            None,
            "truncated: the file ends before </OFX>".into(),
        ));
    }
    if out.is_empty() && !contains_ci(text.as_bytes(), b"<BANKTRANLIST>") {
        return Err(err(
            None,
            None,
            "the OFX file holds no bank or credit-card statement (no <BANKTRANLIST>)".into(),
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
    curdef: Option<&str>,
    account: Option<&str>,
) -> Result<Transaction, ImportError> {
    let line = p.line;
    let err = |column: &str, message: String| ImportError {
        file: file.to_string(),
        line: Some(line),
        column: Some(column.to_string()),
        message,
    };
    let (date_col, date_text) = match (&p.posted, &p.user_date) {
        (Some(d), _) => ("DTPOSTED", d.as_str()),
        (None, Some(d)) => ("DTUSER", d.as_str()),
        (None, None) => {
            return Err(err(
                "DTPOSTED",
                "the transaction has no DTPOSTED date".into(),
            ))
        }
    };
    let date = ofx_date(date_text).map_err(|e| match e {
        DateError::NoSuchDay => err(
            date_col,
            format!("{date_text:?} is not a real date (no such day)"),
        ),
        DateError::NotADate => err(
            date_col,
            format!("{date_text:?} is not an OFX date (YYYYMMDD...)"),
        ),
    })?;
    let amount_text = p
        .amount
        .as_deref()
        .ok_or_else(|| err("TRNAMT", "the transaction has no TRNAMT amount".into()))?;
    let trnamt = ofx_amount(amount_text)
        .ok_or_else(|| err("TRNAMT", format!("{amount_text:?} is not an amount")))?;
    let currency = match curdef {
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            c.to_ascii_uppercase()
        }
        Some(c) => return Err(err("CURDEF", format!("{c:?} is not a currency code"))),
        None => "GBP".to_string(),
    };
    let rate = |pair: &(Option<String>, Option<String>),
                name: &str|
     -> Result<Option<Rate>, ImportError> {
        let (Some(r), Some(sym)) = pair else {
            return match pair {
                (None, None) => Ok(None),
                (None, _) => Err(err(
                    "CURRATE",
                    format!("the {name} aggregate has no CURRATE"),
                )),
                _ => Err(err("CURSYM", format!("the {name} aggregate has no CURSYM"))),
            };
        };
        let d = decimal(r)
            .filter(|d| d.0 > 0)
            .ok_or_else(|| err("CURRATE", format!("{r:?} is not an exchange rate")))?;
        if sym.len() != 3 || !sym.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(err("CURSYM", format!("{sym:?} is not a currency code")));
        }
        Ok(Some((d, sym.to_ascii_uppercase())))
    };
    let pow = |s: u32| 10i128.pow(s);
    let (amount, original_amount, original_currency) =
        if let Some(((m, s), sym)) = rate(&p.currency, "CURRENCY")? {
            // TRNAMT is in CURSYM; CURRATE converts it to CURDEF.
            let converted = mul_div(trnamt, m, pow(s))
                .ok_or_else(|| err("CURRATE", "the converted amount overflows".into()))?;
            if sym == currency {
                (trnamt, None, None)
            } else {
                (converted, Some(trnamt), Some(sym))
            }
        } else if let Some(((m, s), sym)) = rate(&p.orig, "ORIGCURRENCY")? {
            // TRNAMT is in CURDEF, converted from CURSYM at CURRATE.
            let original = mul_div(trnamt, pow(s), m)
                .ok_or_else(|| err("CURRATE", "the original amount overflows".into()))?;
            if sym == currency {
                (trnamt, None, None)
            } else {
                (trnamt, Some(original), Some(sym))
            }
        } else {
            (trnamt, None, None)
        };
    let counterparty = p.name.or(p.payee);
    let mut description = counterparty.clone().unwrap_or_default();
    if let Some(memo) = &p.memo {
        if !description.contains(memo.as_str()) {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(memo);
        }
    }
    Ok(Transaction {
        date,
        amount,
        currency,
        description,
        counterparty,
        original_amount,
        original_currency,
        bank_id: p.fitid,
        account: account.map(str::to_string),
        category: None,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            unescape("M&amp;S &lt;3 &#163;&#xA3; &bogus; A&B"),
            "M&S <3 ££ &bogus; A&B"
        );
        assert_eq!(
            ofx_date("20250112"),
            Ok(NaiveDate::from_ymd_opt(2025, 1, 12).unwrap())
        );
        assert_eq!(
            ofx_date("20250112120000.000[-5:EST]"),
            Ok(NaiveDate::from_ymd_opt(2025, 1, 12).unwrap())
        );
        assert_eq!(ofx_date("20250231"), Err(DateError::NoSuchDay));
        assert_eq!(ofx_date("2025-01-12"), Err(DateError::NotADate));
        assert_eq!(ofx_amount("-12,34"), Some(-1234));
        assert_eq!(ofx_amount("-12.3400"), Some(-1234));
        assert_eq!(decimal("1.2706"), Some((12706, 4)));
        assert_eq!(mul_div(-1000, 12706, 10000), Some(-1271));
        assert_eq!(mul_div(-1271, 10000, 12706), Some(-1000));
        assert!(looks_like_ofx("OFXHEADER:100\nDATA:OFXSGML"));
        assert!(looks_like_ofx(
            "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?>"
        ));
        assert!(!looks_like_ofx("Date,Amount\n"));
    }
}
