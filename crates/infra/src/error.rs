//! One error type for every parser; each variant names the file and, where
//! the format lets us know it, the line and the field.

use std::fmt;

/// Where in a file an error was found; `None` when the format does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line(pub Option<u32>);

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, ":{n}"),
            None => Ok(()),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InfraError {
    #[error("{file}: not UTF-8 text (first bad byte at offset {offset})")]
    NotUtf8 { file: String, offset: usize },
    #[error("{file}{line}: binary content (NUL byte)")]
    Binary { file: String, line: Line },
    #[error("{file}: {size} bytes is more than the {limit}-byte limit for infrastructure files")]
    TooLarge {
        file: String,
        size: usize,
        limit: usize,
    },
    #[error("{file}{line}: YAML: {message}")]
    Yaml {
        file: String,
        line: Line,
        message: String,
    },
    #[error("{file}: YAML expands to more than {limit} nodes (an alias bomb?)")]
    YamlExpansion { file: String, limit: usize },
    #[error("{file}{line}: nested more than {limit} levels deep")]
    TooDeep {
        file: String,
        line: Line,
        limit: usize,
    },
    #[error("{file}{line}: TOML: {message}")]
    Toml {
        file: String,
        line: Line,
        message: String,
    },
    #[error("{file}{line}: JSON: {message}")]
    Json {
        file: String,
        line: Line,
        message: String,
    },
    #[error("{file}{line}: HCL: {message}")]
    Hcl {
        file: String,
        line: Line,
        message: String,
    },
    #[error("{file}{line}: field `{field}`: {message}")]
    Field {
        file: String,
        line: Line,
        field: String,
        message: String,
    },
}

impl InfraError {
    /// The file the error is about, as the caller labelled it.
    pub fn file(&self) -> &str {
        match self {
            InfraError::NotUtf8 { file, .. }
            | InfraError::Binary { file, .. }
            | InfraError::TooLarge { file, .. }
            | InfraError::Yaml { file, .. }
            | InfraError::YamlExpansion { file, .. }
            | InfraError::TooDeep { file, .. }
            | InfraError::Toml { file, .. }
            | InfraError::Json { file, .. }
            | InfraError::Hcl { file, .. }
            | InfraError::Field { file, .. } => file,
        }
    }

    /// The line the error is about, when known.
    pub fn line(&self) -> Option<u32> {
        match self {
            InfraError::Binary { line, .. }
            | InfraError::Yaml { line, .. }
            | InfraError::TooDeep { line, .. }
            | InfraError::Toml { line, .. }
            | InfraError::Json { line, .. }
            | InfraError::Hcl { line, .. }
            | InfraError::Field { line, .. } => line.0,
            _ => None,
        }
    }
}

/// Largest file any parser accepts; infrastructure files are small, and a
/// bigger one is generated output or an attack.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The checks every parser makes before reading: size, NUL bytes, UTF-8.
pub fn decode<'a>(label: &str, bytes: &'a [u8]) -> Result<&'a str, InfraError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(InfraError::TooLarge {
            file: label.to_string(),
            size: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        return Err(InfraError::Binary {
            file: label.to_string(),
            line: Line(Some(line)),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| InfraError::NotUtf8 {
        file: label.to_string(),
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}
