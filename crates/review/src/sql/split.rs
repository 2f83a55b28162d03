//! Split a migration file into statements without parsing them, so one bad
//! statement costs one warning instead of the whole file.
//!
//! The splitter is a single forward pass (linear in the input, no
//! backtracking) that knows just enough lexical structure to find the
//! semicolons that end statements: single-quoted strings (with `''` and, for
//! `E'...'` and MySQL, backslash escapes), double-quoted and backquoted
//! identifiers, PostgreSQL dollar quotes (`$$` and `$tag$`), `--` and `#`
//! (MySQL) line comments, and block comments, which nest in PostgreSQL.
//! An unterminated quote or comment runs to the end of the file and becomes
//! the last statement, which the parser will then reject with a warning.

use crate::config::Dialect;

/// One statement's text and where it starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement<'a> {
    /// The statement without its terminating semicolon, leading comments
    /// and surrounding whitespace.
    pub text: &'a str,
    /// 1-based line of the statement's first character.
    pub line: u32,
    /// 1-based column (in characters) of the statement's first character.
    pub column: u32,
    /// Byte offset of the statement in the file.
    pub offset: usize,
}

/// Tracks line and column as the splitter walks bytes, counting columns in
/// characters (UTF-8 continuation bytes do not advance the column).
#[derive(Debug, Clone, Copy)]
struct Cursor {
    line: u32,
    column: u32,
}

impl Cursor {
    fn advance(&mut self, byte: u8) {
        if byte == b'\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else if byte & 0xC0 != 0x80 {
            self.column = self.column.saturating_add(1);
        }
    }
}

/// Split `text` into statements for `dialect`.
pub fn split_statements(text: &str, dialect: Dialect) -> Vec<RawStatement<'_>> {
    let bytes = text.as_bytes();
    let mut statements = Vec::new();
    let mut cursor = Cursor { line: 1, column: 1 };
    // Start of the current statement's first significant byte, if any.
    let mut start: Option<(usize, Cursor)> = None;
    let mut i = 0;
    let backslash_strings = dialect == Dialect::Mysql;
    let hash_comments = dialect == Dialect::Mysql;
    let nested_comments = dialect == Dialect::Postgres;

    // Advance the cursor over bytes[from..to].
    let walk = |cursor: &mut Cursor, from: usize, to: usize| {
        for &byte in &bytes[from..to.min(bytes.len())] {
            cursor.advance(byte);
        }
    };

    while i < bytes.len() {
        let byte = bytes[i];
        // Comments and whitespace do not start a statement.
        let is_line_comment =
            (byte == b'-' && bytes.get(i + 1) == Some(&b'-')) || (hash_comments && byte == b'#');
        if is_line_comment {
            let end = find_byte(bytes, i, b'\n').unwrap_or(bytes.len());
            walk(&mut cursor, i, end);
            i = end;
            continue;
        }
        if byte == b'/' && bytes.get(i + 1) == Some(&b'*') {
            let end = block_comment_end(bytes, i, nested_comments);
            walk(&mut cursor, i, end);
            i = end;
            continue;
        }
        if byte == b';' {
            if let Some((from, at)) = start.take() {
                push(&mut statements, text, from, i, at);
            }
            cursor.advance(byte);
            i += 1;
            continue;
        }
        if byte.is_ascii_whitespace() {
            cursor.advance(byte);
            i += 1;
            continue;
        }
        if start.is_none() {
            start = Some((i, cursor));
        }
        let end = match byte {
            b'\'' => {
                let escapes = backslash_strings || is_escape_string_prefix(bytes, i);
                quoted_end(bytes, i, b'\'', escapes)
            }
            b'"' => quoted_end(bytes, i, b'"', backslash_strings),
            b'`' if dialect == Dialect::Mysql => quoted_end(bytes, i, b'`', false),
            b'$' if dialect == Dialect::Postgres => dollar_quote_end(bytes, i).unwrap_or(i + 1),
            _ => i + 1,
        };
        walk(&mut cursor, i, end);
        i = end;
    }
    if let Some((from, at)) = start {
        push(&mut statements, text, from, bytes.len(), at);
    }
    statements
}

fn push<'a>(
    statements: &mut Vec<RawStatement<'a>>,
    text: &'a str,
    from: usize,
    to: usize,
    at: Cursor,
) {
    // `from` and `to` always sit on ASCII bytes or the ends, so these are
    // char boundaries; `get` keeps that an invariant rather than a panic.
    let Some(slice) = text.get(from..to) else {
        return;
    };
    let trimmed = slice.trim_end();
    if trimmed.is_empty() {
        return;
    }
    statements.push(RawStatement {
        text: trimmed,
        line: at.line,
        column: at.column,
        offset: from,
    });
}

fn find_byte(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == needle)
        .map(|p| from + p)
}

/// `E'...'` (or `e'...'`) strings take backslash escapes in PostgreSQL;
/// the `E` must not be the tail of an identifier (`cafE'` is not one).
fn is_escape_string_prefix(bytes: &[u8], quote: usize) -> bool {
    if quote == 0 || !matches!(bytes[quote - 1], b'E' | b'e') {
        return false;
    }
    quote < 2 || !(bytes[quote - 2].is_ascii_alphanumeric() || bytes[quote - 2] == b'_')
}

/// End (exclusive) of a quoted run starting at `start`; a doubled quote is
/// an escaped quote. Unterminated runs end at the end of input.
fn quoted_end(bytes: &[u8], start: usize, quote: u8, backslash: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        let byte = bytes[i];
        if backslash && byte == b'\\' {
            i += 2;
            continue;
        }
        if byte == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// End (exclusive) of a block comment starting at `start` (`/*`).
fn block_comment_end(bytes: &[u8], start: usize, nested: bool) -> usize {
    let mut depth = 1usize;
    let mut i = start + 2;
    while i < bytes.len() {
        if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
            continue;
        }
        if nested && bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
            continue;
        }
        i += 1;
    }
    bytes.len()
}

/// If a dollar-quote opener (`$$` or `$tag$`) starts at `start`, the end
/// (exclusive) of the quoted body and its closing tag. `$1` parameters and
/// identifiers with a `$` inside are not openers.
fn dollar_quote_end(bytes: &[u8], start: usize) -> Option<usize> {
    if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        return None;
    }
    let mut j = start + 1;
    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'$') {
        return None;
    }
    let tag = &bytes[start..=j];
    if tag.len() > 2 && bytes[start + 1].is_ascii_digit() {
        return None;
    }
    let body = j + 1;
    let end = find_subslice(&bytes[body..], tag)
        .map(|p| body + p + tag.len())
        .unwrap_or(bytes.len());
    Some(end)
}

/// First position of `needle` in `haystack`; linear for the short tags a
/// dollar quote uses (memchr on the first byte, then compare).
fn find_subslice(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(p) = find_byte(haystack, from, first) {
        if haystack[p..].starts_with(needle) {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str, dialect: Dialect) -> Vec<&str> {
        split_statements(sql, dialect)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn splits_on_semicolons_and_skips_empty_statements() {
        assert_eq!(
            texts("SELECT 1;; SELECT 2;\n;", Dialect::Postgres),
            ["SELECT 1", "SELECT 2"]
        );
    }

    #[test]
    fn semicolons_inside_quotes_do_not_split() {
        let sql = "INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"x;y\" FROM t";
        assert_eq!(
            texts(sql, Dialect::Postgres),
            [
                "INSERT INTO t VALUES ('a;b', 'it''s;')",
                "SELECT \"x;y\" FROM t"
            ]
        );
    }

    #[test]
    fn escape_strings_and_mysql_backslashes() {
        assert_eq!(
            texts("SELECT E'a\\';b'; SELECT 2", Dialect::Postgres),
            ["SELECT E'a\\';b'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT 'a\\';b'; SELECT `c;d`", Dialect::Mysql),
            ["SELECT 'a\\';b'", "SELECT `c;d`"]
        );
    }

    #[test]
    fn dollar_quotes_with_and_without_tags() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                   DO $body$ BEGIN PERFORM 1; $x$ ; $x$ END $body$;\nSELECT $1";
        let got = texts(sql, Dialect::Postgres);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].ends_with("LANGUAGE sql"));
        assert!(got[1].starts_with("DO $body$") && got[1].ends_with("END $body$"));
        assert_eq!(got[2], "SELECT $1");
    }

    #[test]
    fn comments_line_block_and_nested() {
        let sql = "-- a; b\n/* c; /* nested; */ still; */ SELECT 1; # not a comment in pg\n";
        assert_eq!(
            texts(sql, Dialect::Postgres),
            ["SELECT 1", "# not a comment in pg"]
        );
        assert_eq!(
            texts("SELECT 1; # c; d\nSELECT 2", Dialect::Mysql),
            ["SELECT 1", "SELECT 2"]
        );
    }

    #[test]
    fn positions_are_the_first_significant_character() {
        let sql = "-- header\n\n  CREATE INDEX i ON t (a);\n/* x */ DROP TABLE t;";
        let got = split_statements(sql, Dialect::Postgres);
        assert_eq!((got[0].line, got[0].column), (3, 3));
        assert_eq!((got[1].line, got[1].column), (4, 9));
        assert_eq!(&sql[got[1].offset..got[1].offset + 4], "DROP");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let got = split_statements("SELECT 'é'; SELECT 2", Dialect::Postgres);
        assert_eq!((got[1].line, got[1].column), (1, 13));
    }

    #[test]
    fn unterminated_runs_become_the_last_statement() {
        for sql in ["SELECT 'abc; SELECT 2", "SELECT $$ x; y", "SELECT 1 /* ; x"] {
            let got = texts(sql, Dialect::Postgres);
            assert_eq!(got.len(), 1, "{sql}: {got:?}");
        }
    }
}
