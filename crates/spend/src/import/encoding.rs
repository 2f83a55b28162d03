//! Bytes to text, and the checks made before any parsing: size, emptiness,
//! binary content.

use std::borrow::Cow;

use super::{ImportError, MAX_FILE_BYTES};

/// Decode bytes as text: UTF-8 with or without BOM, UTF-16 LE/BE with BOM,
/// otherwise Windows-1252 (a superset of Latin-1's printable range: `£` is
/// byte 0xA3 in both). Never fails; valid UTF-8 is borrowed, not copied.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(String::from_utf8_lossy(rest).into_owned()),
        };
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
        return Cow::Owned(text.into_owned());
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(&bytes[2..]);
        return Cow::Owned(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Cow::Owned(text.into_owned())
        }
    }
}

/// Refuse a file by its length alone, before reading or decoding it.
pub(crate) fn check_size(file: &str, len: u64) -> Result<(), ImportError> {
    if len > MAX_FILE_BYTES {
        return Err(ImportError {
            file: file.to_string(),
            line: None,
            column: None,
            message: format!(
                "the file is {} MiB, larger than the {} MiB limit",
                len.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / 1024 / 1024
            ),
        });
    }
    Ok(())
}

/// The reasons a decoded text is not worth handing to any parser.
pub(crate) fn check_text(file: &str, text: &str) -> Result<(), ImportError> {
    let err = |message: &str| ImportError {
        file: file.to_string(),
        line: None,
        column: None,
        message: message.to_string(),
    };
    if text.trim().is_empty() {
        return Err(err("the file is empty"));
    }
    if looks_binary(text) {
        return Err(err(
            "the file holds binary data, not a text statement export (CSV, OFX/QFX or camt.053 XML)",
        ));
    }
    Ok(())
}

/// NUL bytes, or many control characters, in the first 8 KiB.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        match c {
            '\0' => return true,
            '\t' | '\n' | '\r' | '\u{c}' => {}
            c if c.is_control() || c == '\u{fffd}' => control += 1,
            _ => {}
        }
    }
    control * 20 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_encoding() {
        assert_eq!(decode(b"a,b"), "a,b");
        assert!(matches!(decode(b"a,b"), Cow::Borrowed(_)));
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF, b'a']), "a");
        assert_eq!(decode(&[0xA3, b'5']), "£5");
        assert_eq!(decode(&[0x80]), "€");
        assert_eq!(decode(&[0xFF, 0xFE, 0xA3, 0, b'1', 0]), "£1");
        assert_eq!(decode(&[0xFE, 0xFF, 0, 0xA3, 0, b'1']), "£1");
        assert_eq!(decode(&[]), "");
    }

    #[test]
    fn size_and_binary_checks() {
        assert!(check_size("f", MAX_FILE_BYTES).is_ok());
        let e = check_size("f", MAX_FILE_BYTES + 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: the file is 513 MiB, larger than the 512 MiB limit"
        );
        assert!(check_size("f", u64::MAX).is_err());
        assert!(check_text("f", " \n ").is_err());
        assert!(check_text("f", "a\0b").is_err());
        assert!(check_text("f", "Date,Amount\n01/01/2025,1.00\n").is_ok());
    }
}
