//! Bank and card statement import: detect the format from the content,
//! decode the text, parse each row into a [`Transaction`].
//!
//! Every failure is an [`ImportError`] naming the file, the line (or XML
//! entry) and the column or field; a statement either parses whole or not at
//! all, so a caller never stores half an import.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest file accepted, so a mistaken 2 GB upload is refused up front
/// rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The formats fcto reads. CSV profiles are named after the bank or app
/// whose export they match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Monzo,
    Starling,
    RevolutBusiness,
    Barclays,
    Hsbc,
    Lloyds,
    Natwest,
    Amex,
    Xero,
    Quickbooks,
    Ofx,
    Camt053,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Monzo,
        Format::Starling,
        Format::RevolutBusiness,
        Format::Barclays,
        Format::Hsbc,
        Format::Lloyds,
        Format::Natwest,
        Format::Amex,
        Format::Xero,
        Format::Quickbooks,
        Format::Ofx,
        Format::Camt053,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Monzo => "monzo",
            Format::Starling => "starling",
            Format::RevolutBusiness => "revolut-business",
            Format::Barclays => "barclays",
            Format::Hsbc => "hsbc",
            Format::Lloyds => "lloyds",
            Format::Natwest => "natwest",
            Format::Amex => "amex",
            Format::Xero => "xero",
            Format::Quickbooks => "quickbooks",
            Format::Ofx => "ofx",
            Format::Camt053 => "camt053",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Format::ALL
            .iter()
            .copied()
            .find(|f| {
                f.as_str() == t
                    || (t == "qfx" && *f == Format::Ofx)
                    || (t == "camt.053" && *f == Format::Camt053)
            })
            .ok_or_else(|| {
                format!(
                    "unknown format {s:?}; use auto or one of {}",
                    Format::ALL
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

/// One money movement as the bank reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub date: NaiveDate,
    /// Minor units of `currency`; negative is money out of the account.
    pub amount: i64,
    /// ISO 4217 code of the account's currency.
    pub currency: String,
    /// The descriptor as the bank shows it ("PADDLE.NET* NOTION", ...),
    /// with payee and reference joined when the export splits them.
    pub description: String,
    /// The payee or merchant when the export has its own column for it.
    pub counterparty: Option<String>,
    /// For a foreign charge: the amount in the merchant's currency (minor
    /// units, negative for money out) and that currency.
    pub original_amount: Option<i64>,
    pub original_currency: Option<String>,
    /// The bank's own id for the transaction (Monzo id, OFX FITID, CAMT
    /// AcctSvcrRef), when it gives one.
    pub bank_id: Option<String>,
    /// Account or card the line belongs to, when the export says.
    pub account: Option<String>,
    /// The bank's own category, when it gives one.
    pub category: Option<String>,
    /// 1-based line in the file (for XML: the line where the entry starts).
    pub line: usize,
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub format: Format,
    pub transactions: Vec<Transaction>,
}

/// Why a file could not be imported; `Display` reads
/// `file:line: column "Amount": "12,34.5" is not an amount`.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
pub struct ImportError {
    pub file: String,
    pub line: Option<usize>,
    /// Column header (CSV) or element/field name (OFX, CAMT).
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        write!(f, ": ")?;
        if let Some(c) = &self.column {
            write!(f, "column {c:?}: ")?;
        }
        f.write_str(&self.message)
    }
}

mod banks_csv;
mod camt053;
mod ofx_reader;
mod text;

pub use text::decode;

/// Detect the format from the content (never from the file name).
pub fn detect(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let text = decode(bytes);
    detect_text(file, &text)
}

fn detect_text(file: &str, text: &str) -> Result<Format, ImportError> {
    let err = |message: String| ImportError {
        file: file.into(),
        line: None,
        column: None,
        message,
    };
    if text.trim().is_empty() {
        return Err(err("the file is empty".into()));
    }
    if text.contains('\0') {
        return Err(err("this is a binary file, not a statement export".into()));
    }
    if ofx_reader::looks_like_ofx(text) {
        return Ok(Format::Ofx);
    }
    if camt053::looks_like_camt(text) {
        return Ok(Format::Camt053);
    }
    banks_csv::detect(text).ok_or_else(|| {
        err(format!(
            "unknown format: not a CSV export fcto knows, OFX/QFX or CAMT.053 (known: {}); pass --format to say which it is",
            Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// Parse a whole file; `format: None` detects it. All or nothing.
pub fn parse(file: &str, bytes: &[u8], format: Option<Format>) -> Result<Statement, ImportError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError {
            file: file.into(),
            line: None,
            column: None,
            message: format!(
                "the file is larger than the {} MiB limit",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        });
    }
    let text = decode(bytes);
    let format = match format {
        Some(f) => f,
        None => detect_text(file, &text)?,
    };
    match format {
        Format::Ofx => ofx_reader::parse(file, &text),
        Format::Camt053 => camt053::parse(file, &text),
        f => banks_csv::parse(file, &text, f),
    }
}
