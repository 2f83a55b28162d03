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

mod camt;
mod csv_profiles;
mod encoding;
mod ofx;
mod values;

pub(crate) use encoding::check_size;
pub use encoding::decode;

/// Detect the format from the content (never from the file name alone).
pub fn detect(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    check_size(file, bytes.len() as u64)?;
    let text = decode(bytes);
    detect_text(file, &text)
}

fn detect_text(file: &str, text: &str) -> Result<Format, ImportError> {
    encoding::check_text(file, text)?;
    if ofx::looks_like_ofx(text) {
        return Ok(Format::Ofx);
    }
    if camt::looks_like_camt(text) {
        return Ok(Format::Camt053);
    }
    if let Some(format) = csv_profiles::detect(text) {
        return Ok(format);
    }
    if let Some((format, missing)) = csv_profiles::near_miss(text) {
        return Err(ImportError {
            file: file.to_string(),
            line: Some(1),
            message: format!("missing from the header (a {format} export has this column)"),
            column: Some(missing),
        });
    }
    let known = Format::ALL
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let first_line = text.trim_start().lines().next().unwrap_or("").trim();
    let shown: String = first_line.chars().take(60).collect();
    let ellipsis = if first_line.chars().count() > 60 {
        "..."
    } else {
        ""
    };
    let what = if first_line.starts_with('<') {
        "XML that is neither OFX nor camt.053"
    } else {
        "no known export"
    };
    Err(ImportError {
        file: file.to_string(),
        line: Some(1),
        column: None,
        message: format!(
            "unknown format ({what}; the file starts {shown:?}{ellipsis}); fcto reads: {known}"
        ),
    })
}

/// Parse a whole file; `format: None` means detect. All or nothing: the
/// first bad row (or element) is the error and nothing is returned.
pub fn parse(file: &str, bytes: &[u8], format: Option<Format>) -> Result<Statement, ImportError> {
    check_size(file, bytes.len() as u64)?;
    let text = decode(bytes);
    let format = match format {
        Some(f) => {
            encoding::check_text(file, &text)?;
            f
        }
        None => detect_text(file, &text)?,
    };
    match format {
        Format::Ofx => ofx::parse(file, &text),
        Format::Camt053 => camt::parse(file, &text),
        Format::Hsbc => csv_profiles::parse_headerless(file, &text),
        csv => csv_profiles::parse(file, &text, csv),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size limit is decided on the length alone, before decoding, so
    /// it is tested with synthetic lengths rather than a 512 MiB buffer.
    #[test]
    fn oversize_files_are_refused_by_length() {
        assert!(check_size("big.csv", MAX_FILE_BYTES).is_ok());
        for len in [MAX_FILE_BYTES + 1, 2 * 1024 * 1024 * 1024, u64::MAX] {
            let e = check_size("big.csv", len).unwrap_err();
            assert_eq!(e.file, "big.csv");
            assert_eq!(e.line, None);
            assert!(e.message.contains("larger than the 512 MiB limit"), "{e}");
        }
    }

    #[test]
    fn decode_is_public_and_borrows_utf8() {
        assert!(matches!(
            decode(b"Date,Amount"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0]), "a");
    }
}
