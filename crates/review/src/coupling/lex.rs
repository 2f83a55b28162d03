//! A small per-language tokenizer: identifiers, strings, numbers,
//! punctuation and comments, with 1-based line and character column.
//!
//! It exists so that rules never match text inside comments or strings by
//! accident, and so that calls spread over many lines are seen as one call.
//! It is linear in the input and never fails: unterminated strings and
//! comments end at the end of the line (or of the file), unknown bytes are
//! skipped.

use super::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ident,
    Str,
    Num,
    Punct,
    Regex,
    Comment,
}

/// One token. Offsets are byte offsets into the reviewed text.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
    /// For strings: the content between the quotes (interpolations kept).
    pub inner_start: u32,
    pub inner_end: u32,
    pub line: u32,
    pub column: u32,
    /// First code token on its line (comments do not count).
    pub first_on_line: bool,
    /// Column of the first code token of this token's line; Python blocks
    /// end where the indentation drops back.
    pub indent: u32,
}

/// Which lexical features a language has.
#[derive(Debug, Clone, Copy, Default)]
struct Flavor {
    hash_comments: bool,
    slash_comments: bool,
    nested_block_comments: bool,
    triple_quotes: bool,
    template_backtick: bool,
    raw_backtick: bool,
    python_prefixes: bool,
    rust_strings: bool,
    regex_literals: bool,
    dollar_in_ident: bool,
    at_in_ident: bool,
    ruby_suffix: bool,
    ruby_heredoc: bool,
    php_heredoc: bool,
    /// Whether a `"`/`'` string may run over several lines.
    multiline_quotes: bool,
}

fn flavor(language: Language) -> Flavor {
    let base = Flavor::default();
    match language {
        Language::Python => Flavor {
            hash_comments: true,
            triple_quotes: true,
            python_prefixes: true,
            ..base
        },
        Language::JavaScript | Language::TypeScript => Flavor {
            slash_comments: true,
            template_backtick: true,
            regex_literals: true,
            dollar_in_ident: true,
            ..base
        },
        Language::Ruby => Flavor {
            hash_comments: true,
            at_in_ident: true,
            dollar_in_ident: true,
            ruby_suffix: true,
            ruby_heredoc: true,
            multiline_quotes: true,
            ..base
        },
        Language::Go => Flavor {
            slash_comments: true,
            raw_backtick: true,
            ..base
        },
        Language::Java => Flavor {
            slash_comments: true,
            triple_quotes: true,
            ..base
        },
        Language::Php => Flavor {
            hash_comments: true,
            slash_comments: true,
            dollar_in_ident: true,
            php_heredoc: true,
            multiline_quotes: true,
            ..base
        },
        Language::Rust => Flavor {
            slash_comments: true,
            nested_block_comments: true,
            rust_strings: true,
            multiline_quotes: true,
            ..base
        },
    }
}

/// Code tokens and comment tokens, each in text order.
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Token>,
}

/// Tracks line and column as the lexer moves forward, so that computing a
/// position never rescans the line (a 5 MB one-line file stays linear).
struct Position {
    byte: usize,
    line: u32,
    column: u32,
}

impl Position {
    fn advance(&mut self, text: &str, to: usize) {
        if to <= self.byte {
            return;
        }
        let slice = text.get(self.byte..to).unwrap_or("");
        for ch in slice.chars() {
            if ch == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.byte = to;
    }
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    flavor: Flavor,
    position: Position,
    tokens: Vec<Token>,
    comments: Vec<Token>,
    last_code_line: u32,
    line_indent: u32,
    /// A heredoc body to jump over once the lexer reaches it.
    skip: Option<(usize, usize)>,
}

pub fn lex(language: Language, text: &str) -> Lexed {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        flavor: flavor(language),
        position: Position {
            byte: 0,
            line: 1,
            column: 1,
        },
        tokens: Vec::with_capacity(text.len() / 4),
        comments: Vec::new(),
        last_code_line: 0,
        line_indent: 1,
        skip: None,
    };
    lexer.run();
    let mut lexed = Lexed {
        tokens: lexer.tokens,
        comments: lexer.comments,
    };
    if language == Language::Python {
        move_docstrings_to_comments(text, &mut lexed);
    }
    lexed
}

/// A triple-quoted string standing alone on its lines is a docstring: it
/// documents, it is never sent anywhere, so rules treat it as a comment.
fn move_docstrings_to_comments(text: &str, lexed: &mut Lexed) {
    let tokens = std::mem::take(&mut lexed.tokens);
    let mut kept = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let body = text
            .get(token.start as usize..token.end as usize)
            .unwrap_or("")
            .trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let alone = token.kind == Kind::Str
            && token.first_on_line
            && (body.starts_with("\"\"\"") || body.starts_with("'''"))
            && !matches!(tokens.get(i + 1), Some(next) if !next.first_on_line);
        if alone {
            lexed.comments.push(*token);
        } else {
            kept.push(*token);
        }
    }
    lexed.comments.sort_by_key(|t| t.start);
    lexed.tokens = kept;
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn starts(&self, i: usize, pattern: &str) -> bool {
        self.bytes
            .get(i..i + pattern.len())
            .is_some_and(|s| s == pattern.as_bytes())
    }

    fn line_end(&self, i: usize) -> usize {
        self.bytes[i.min(self.bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| i + p)
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize, inner: (usize, usize)) {
        self.position.advance(self.text, start);
        let line = self.position.line;
        let column = self.position.column;
        let token_end = end.min(self.bytes.len());
        let mut token = Token {
            kind,
            start: start as u32,
            end: token_end as u32,
            inner_start: inner.0.min(token_end) as u32,
            inner_end: inner.1.min(token_end) as u32,
            line,
            column,
            first_on_line: false,
            indent: 0,
        };
        if kind == Kind::Comment {
            token.indent = column;
            self.comments.push(token);
            return;
        }
        if line != self.last_code_line {
            token.first_on_line = true;
            self.last_code_line = line;
            self.line_indent = column;
        }
        token.indent = self.line_indent;
        self.tokens.push(token);
    }

    fn previous_allows_regex(&self) -> bool {
        let Some(prev) = self.tokens.last() else {
            return true;
        };
        let text = &self.text[prev.start as usize..prev.end as usize];
        match prev.kind {
            Kind::Ident => matches!(
                text,
                "return"
                    | "typeof"
                    | "case"
                    | "in"
                    | "of"
                    | "new"
                    | "delete"
                    | "void"
                    | "throw"
                    | "yield"
                    | "await"
                    | "else"
                    | "do"
            ),
            Kind::Punct => !matches!(text, ")" | "]" | "}"),
            Kind::Num | Kind::Str | Kind::Regex => false,
            Kind::Comment => true,
        }
    }

    fn run(&mut self) {
        let len = self.bytes.len();
        let mut i = 0;
        while i < len {
            if let Some((from, to)) = self.skip {
                if i >= from {
                    self.skip = None;
                    i = to.max(i);
                    continue;
                }
            }
            let b = self.bytes[i];
            let f = self.flavor;
            if b.is_ascii_whitespace() || b == 0 {
                i += 1;
                continue;
            }
            // Comments.
            if f.hash_comments && b == b'#' && !(f.php_heredoc && self.at(i + 1) == b'[') {
                let end = self.line_end(i);
                self.push(Kind::Comment, i, end, (i, end));
                i = end;
                continue;
            }
            if f.ruby_suffix && b == b'=' && self.starts(i, "=begin") && self.at_line_start(i) {
                let end = self
                    .find_from(i, "\n=end")
                    .map_or(len, |p| self.line_end(p + 1));
                self.push(Kind::Comment, i, end, (i, end));
                i = end;
                continue;
            }
            if f.slash_comments && b == b'/' && self.at(i + 1) == b'/' {
                let end = self.line_end(i);
                self.push(Kind::Comment, i, end, (i, end));
                i = end;
                continue;
            }
            if f.slash_comments && b == b'/' && self.at(i + 1) == b'*' {
                let end = self.block_comment_end(i);
                self.push(Kind::Comment, i, end, (i, end));
                i = end;
                continue;
            }
            // Strings.
            if b == b'"' || b == b'\'' || b == b'`' {
                if let Some(end) = self.string(i, i) {
                    i = end;
                    continue;
                }
            }
            if f.ruby_heredoc && b == b'<' && self.starts(i, "<<") {
                if let Some(end) = self.heredoc(i, false) {
                    i = end;
                    continue;
                }
            }
            if f.php_heredoc && self.starts(i, "<<<") {
                if let Some(end) = self.heredoc(i, true) {
                    i = end;
                    continue;
                }
            }
            if f.regex_literals && b == b'/' && self.previous_allows_regex() {
                let end = self.regex_end(i);
                self.push(Kind::Regex, i, end, (i, end));
                i = end;
                continue;
            }
            // Identifiers (with string prefixes such as f"" or r#"").
            let ident_start = is_ident_start(b)
                || (f.dollar_in_ident && b == b'$')
                || (f.at_in_ident && b == b'@' && is_ident_start(self.at(i + 1)))
                || b >= 0x80;
            if ident_start {
                let start = i;
                let mut j = i + 1;
                if b >= 0x80 {
                    let ch = self
                        .text
                        .get(i..)
                        .and_then(|r| r.chars().next())
                        .unwrap_or(' ');
                    if !ch.is_alphabetic() {
                        i += ch.len_utf8().max(1);
                        continue;
                    }
                    j = i + ch.len_utf8();
                }
                if b == b'@' && self.at(j) == b'@' {
                    j += 1;
                }
                while j < len {
                    let c = self.bytes[j];
                    if is_ident_byte(c) || (f.dollar_in_ident && c == b'$') {
                        j += 1;
                    } else if c >= 0x80 {
                        let ch = self
                            .text
                            .get(j..)
                            .and_then(|r| r.chars().next())
                            .unwrap_or(' ');
                        if ch.is_alphanumeric() {
                            j += ch.len_utf8();
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                if f.ruby_suffix
                    && matches!(self.at(j), b'?' | b'!')
                    && self.at(j + 1) != b'='
                    && self.at(j + 1) != b':'
                {
                    j += 1;
                }
                let word = &self.bytes[start..j];
                let next = self.at(j);
                if (next == b'"' || next == b'\'' || (f.rust_strings && next == b'#'))
                    && self.is_string_prefix(word)
                {
                    if let Some(end) = self.string(j, start) {
                        i = end;
                        continue;
                    }
                }
                self.push(Kind::Ident, start, j, (start, j));
                i = j;
                continue;
            }
            if b.is_ascii_digit() {
                let mut j = i + 1;
                while j < len && (is_ident_byte(self.bytes[j]) || self.bytes[j] == b'.') {
                    if self.bytes[j] == b'.' && !self.at(j + 1).is_ascii_digit() {
                        break;
                    }
                    j += 1;
                }
                self.push(Kind::Num, i, j, (i, j));
                i = j;
                continue;
            }
            if b.is_ascii_punctuation() {
                let width = self.punct_width(i);
                self.push(Kind::Punct, i, i + width, (i, i + width));
                i += width;
                continue;
            }
            i += 1;
        }
        self.position.advance(self.text, len);
    }

    fn at_line_start(&self, i: usize) -> bool {
        i == 0 || self.at(i - 1) == b'\n'
    }

    fn find_from(&self, i: usize, needle: &str) -> Option<usize> {
        self.text.get(i..)?.find(needle).map(|p| p + i)
    }

    fn is_string_prefix(&self, word: &[u8]) -> bool {
        let f = self.flavor;
        if f.python_prefixes {
            return word.len() <= 2
                && word
                    .iter()
                    .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f'));
        }
        if f.rust_strings {
            return matches!(word, b"r" | b"b" | b"br" | b"c" | b"cr");
        }
        false
    }

    fn punct_width(&self, i: usize) -> usize {
        const THREE: [&str; 5] = ["===", "!==", "||=", "&&=", "**="];
        const TWO: [&str; 14] = [
            "::", "->", "=>", "==", "!=", "<=", ">=", ":=", "&&", "||", "?.", "+=", "-=", "<<",
        ];
        if THREE.iter().any(|p| self.starts(i, p)) {
            return 3;
        }
        if TWO.iter().any(|p| self.starts(i, p)) {
            // `?.` followed by a digit is a ternary with a decimal.
            if self.starts(i, "?.") && self.at(i + 2).is_ascii_digit() {
                return 1;
            }
            return 2;
        }
        1
    }

    fn block_comment_end(&self, i: usize) -> usize {
        let len = self.bytes.len();
        let mut depth = 0usize;
        let mut j = i;
        while j < len {
            if self.starts(j, "/*") {
                depth += 1;
                j += 2;
                if !self.flavor.nested_block_comments {
                    depth = 1;
                }
            } else if self.starts(j, "*/") {
                depth = depth.saturating_sub(1);
                j += 2;
                if depth == 0 {
                    return j;
                }
            } else {
                j += 1;
            }
        }
        len
    }

    fn regex_end(&self, i: usize) -> usize {
        let len = self.bytes.len();
        let mut j = i + 1;
        let mut in_class = false;
        while j < len {
            match self.bytes[j] {
                b'\\' => j += 2,
                b'\n' => return j,
                b'[' => {
                    in_class = true;
                    j += 1
                }
                b']' => {
                    in_class = false;
                    j += 1
                }
                b'/' if !in_class => {
                    j += 1;
                    while j < len && is_ident_byte(self.bytes[j]) {
                        j += 1;
                    }
                    return j;
                }
                _ => j += 1,
            }
        }
        len
    }

    /// Lex a string whose opening quote (or Rust `#`) is at `q`; `start` is
    /// where the token starts (before any prefix). Returns the end offset,
    /// or None when `q` does not open a string in this language.
    fn string(&mut self, q: usize, start: usize) -> Option<usize> {
        let f = self.flavor;
        let len = self.bytes.len();
        let quote = self.at(q);
        let prefix = &self.bytes[start..q];
        // Rust: raw strings r#"..."#, char literals vs lifetimes.
        if f.rust_strings {
            let raw = prefix.contains(&b'r');
            if raw {
                let mut hashes = 0;
                let mut j = q;
                while self.at(j) == b'#' {
                    hashes += 1;
                    j += 1;
                }
                if self.at(j) != b'"' {
                    return None;
                }
                let mut closing = String::from("\"");
                closing.push_str(&"#".repeat(hashes));
                let inner_start = j + 1;
                let inner_end = self.find_from(inner_start, &closing).unwrap_or(len);
                let end = (inner_end + closing.len()).min(len);
                self.push(Kind::Str, start, end, (inner_start, inner_end));
                return Some(end);
            }
            if quote == b'#' {
                return None;
            }
            if quote == b'\'' {
                // A char literal is 'x', '\n', '\u{..}'; otherwise a lifetime.
                let end = if self.at(q + 1) == b'\\' {
                    self.bytes[q + 2..len.max(q + 2)]
                        .iter()
                        .take(12)
                        .position(|&b| b == b'\'')
                        .map(|p| q + 2 + p + 1)
                } else {
                    let ch_len = self.text.get(q + 1..)?.chars().next()?.len_utf8();
                    (self.at(q + 1 + ch_len) == b'\'').then_some(q + 2 + ch_len)
                };
                let end = end?;
                self.push(Kind::Str, start, end, (q + 1, end - 1));
                return Some(end);
            }
        }
        if quote == b'`' && !(f.template_backtick || f.raw_backtick) {
            return None;
        }
        // Triple quotes (Python strings, Java text blocks).
        if f.triple_quotes && (quote == b'"' || quote == b'\'') {
            let triple = if quote == b'"' { "\"\"\"" } else { "'''" };
            if self.starts(q, triple) && (quote == b'"' || f.python_prefixes) {
                let inner_start = q + 3;
                let mut j = inner_start;
                while j < len && !self.starts(j, triple) {
                    j += if self.bytes[j] == b'\\' { 2 } else { 1 };
                }
                let inner_end = j.min(len);
                let end = (j + 3).min(len);
                self.push(Kind::Str, start, end, (inner_start, inner_end));
                return Some(end);
            }
        }
        let raw = quote == b'`' && f.raw_backtick;
        let template = quote == b'`' && f.template_backtick;
        let multiline = raw || template || f.multiline_quotes;
        let interpolates = template || (f.ruby_suffix && quote == b'"');
        let mut j = q + 1;
        while j < len {
            let c = self.bytes[j];
            if c == quote {
                self.push(Kind::Str, start, j + 1, (q + 1, j));
                return Some(j + 1);
            }
            if c == b'\\' && !raw {
                j += 2;
                continue;
            }
            if c == b'\n' && !multiline {
                // Unterminated: the string ends with its line.
                self.push(Kind::Str, start, j, (q + 1, j));
                return Some(j);
            }
            if interpolates
                && (c == b'$' || c == b'#')
                && self.at(j + 1) == b'{'
                && (template == (c == b'$'))
            {
                j = self.skip_interpolation(j + 2);
                continue;
            }
            j += 1;
        }
        self.push(Kind::Str, start, len, (q + 1, len));
        Some(len)
    }

    /// Skip `${ ... }` / `#{ ... }` whose body starts at `i`, counting braces
    /// and stepping over simple quoted strings inside it.
    fn skip_interpolation(&self, mut i: usize) -> usize {
        let len = self.bytes.len();
        let mut depth = 1usize;
        while i < len {
            match self.bytes[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                q @ (b'"' | b'\'' | b'`') => {
                    i += 1;
                    while i < len && self.bytes[i] != q && self.bytes[i] != b'\n' {
                        i += if self.bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
                _ => {}
            }
            i += 1;
        }
        len
    }

    /// Ruby `<<~ID` / `<<-ID` / `<<ID` (upper-case ID) and PHP `<<<ID`.
    fn heredoc(&mut self, i: usize, php: bool) -> Option<usize> {
        let mut j = i + if php { 3 } else { 2 };
        if !php && matches!(self.at(j), b'~' | b'-') {
            j += 1;
        }
        let quoted = matches!(self.at(j), b'\'' | b'"');
        if quoted {
            j += 1;
        }
        let id_start = j;
        while is_ident_byte(self.at(j)) {
            j += 1;
        }
        let id = self.text.get(id_start..j)?;
        if id.is_empty() {
            return None;
        }
        if !php && !id.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            return None;
        }
        if quoted {
            j += 1;
        }
        let body_start = (self.line_end(j) + 1).min(self.bytes.len());
        let mut line = body_start;
        let len = self.bytes.len();
        while line < len {
            let end = self.line_end(line);
            let trimmed = self.text.get(line..end).unwrap_or("").trim_start();
            let terminated = if php {
                trimmed.starts_with(id)
                    && !trimmed
                        .as_bytes()
                        .get(id.len())
                        .is_some_and(|&b| is_ident_byte(b))
            } else {
                trimmed.trim_end() == id
            };
            if terminated {
                let id_at = end - trimmed.len();
                let after = if php { id_at + id.len() } else { end };
                self.push(Kind::Str, i, j, (body_start, line));
                self.skip = Some((body_start, after));
                return Some(j);
            }
            line = end + 1;
        }
        self.push(Kind::Str, i, j, (body_start, len));
        self.skip = Some((body_start, len));
        Some(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(language: Language, text: &str) -> Vec<(Kind, String)> {
        lex(language, text)
            .tokens
            .iter()
            .map(|t| (t.kind, text[t.start as usize..t.end as usize].to_string()))
            .collect()
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let toks = kinds(Language::Python, "x = 'a # b'  # requests.get(u)\n");
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[2].0, Kind::Str);
    }

    #[test]
    fn js_regex_and_template_literals() {
        let toks = kinds(
            Language::JavaScript,
            "a = /it's/g; b = `x ${ \"}\" } y`; c = a / 2",
        );
        assert!(toks.iter().any(|t| t.0 == Kind::Regex && t.1 == "/it's/g"));
        assert!(toks
            .iter()
            .any(|t| t.0 == Kind::Str && t.1.starts_with('`')));
        assert_eq!(toks.last().map(|t| t.1.as_str()), Some("2"));
    }

    #[test]
    fn rust_lifetimes_raw_strings_and_chars() {
        let toks = kinds(
            Language::Rust,
            "fn f<'a>(x: &'a str) { let s = r#\"a\"b\"#; let c = '\"'; }",
        );
        assert!(toks
            .iter()
            .any(|t| t.0 == Kind::Str && t.1 == "r#\"a\"b\"#"));
        assert!(toks.iter().any(|t| t.0 == Kind::Str && t.1 == "'\"'"));
    }

    #[test]
    fn heredoc_body_is_one_string() {
        let text = "sql = <<~SQL\n  SELECT * FROM t\nSQL\nfoo(1)\n";
        let toks = kinds(Language::Ruby, text);
        assert_eq!(toks[2].0, Kind::Str);
        assert_eq!(toks[3].1, "foo");
    }

    #[test]
    fn columns_count_characters() {
        let lexed = lex(Language::Python, "é = 1\n  x\n");
        assert_eq!(lexed.tokens[1].column, 3);
        assert_eq!((lexed.tokens[3].line, lexed.tokens[3].column), (2, 3));
    }
}
