use std::fmt;

/// Why a file could not be read as the format it was named for.
///
/// Displays as `file:line: field: message`, leaving out what is unknown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub file: String,
    /// One-based line of the offending text, where known.
    pub line: Option<usize>,
    /// Dotted path of the offending field (`packages.node_modules/a.version`),
    /// where known.
    pub field: Option<String>,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        ParseError {
            file: file.to_string(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    pub(crate) fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub(crate) fn line_opt(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = if field.is_empty() || field == "." {
            None
        } else {
            Some(field)
        };
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_leaves_out_unknown_parts() {
        let full = ParseError::new("a/Cargo.lock", "expected a string")
            .at_line(7)
            .field("package.version");
        assert_eq!(
            full.to_string(),
            "a/Cargo.lock:7: package.version: expected a string"
        );
        let bare = ParseError::new("go.mod", "not UTF-8");
        assert_eq!(bare.to_string(), "go.mod: not UTF-8");
        let root = ParseError::new("x.json", "m").field(".");
        assert_eq!(root.field, None);
    }
}
