//! A small tokenizer for Ruby, Python and JavaScript migration files.
//!
//! It knows just enough of each language to tell code from comments and
//! strings (including Ruby heredocs, Python triple quotes and JS template
//! literals) and to pair brackets, so the rule modules can match call shapes
//! instead of grepping raw text: a call inside a comment or a string never
//! fires, and a call spread over several lines is one call.
//!
//! Everything is a single forward pass over bytes; unterminated strings run
//! to the end of the file, unmatched brackets stay unmatched. No recursion,
//! so 100k nested brackets cost the same as 100k flat ones.

/// Which language's comment and string syntax to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ruby,
    Python,
    JavaScript,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword: `add_column`, `def`, `True`.
    Ident,
    /// A Ruby symbol (`:users`); `text` is the name without the colon.
    Symbol,
    /// A string literal; `text` is its body (escapes left as written).
    Str,
    Number,
    /// Operators and separators: `,` `:` `=` `.` `=>` `->` `::` ...
    Punct,
    /// `(`, `[` or `{`; `text` is the bracket.
    Open,
    /// `)`, `]` or `}`.
    Close,
    /// End of a line outside brackets-agnostic: emitted for Ruby only,
    /// where a newline ends a call written without parentheses.
    Newline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    /// 1-based line and character column where the token starts.
    pub line: u32,
    pub column: u32,
    /// For strings: the line where the body starts (a heredoc's body starts
    /// on the line after its opener). Equal to `line` otherwise.
    pub body_line: u32,
    /// Whether string contents were interpolated (`#{}` / `${}` / f-string),
    /// so the text is not the literal SQL that will run.
    pub interpolated: bool,
}

/// A tokenized file plus, for each bracket token, the index of its partner.
#[derive(Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    /// `partner[i]` is the index of the bracket matching token `i`.
    pub partner: Vec<Option<usize>>,
}

impl Tokens {
    pub fn get(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether token `index` is `kind` with exactly `text`.
    pub fn is(&self, index: usize, kind: Kind, text: &str) -> bool {
        self.get(index)
            .is_some_and(|token| token.kind == kind && token.text == text)
    }

    pub fn is_punct(&self, index: usize, text: &str) -> bool {
        self.is(index, Kind::Punct, text)
    }

    pub fn is_ident(&self, index: usize, text: &str) -> bool {
        self.is(index, Kind::Ident, text)
    }

    /// The index just past the bracket group opened at `open`, or the end of
    /// the file when it never closes.
    pub fn skip_group(&self, open: usize) -> usize {
        match self.partner.get(open).copied().flatten() {
            Some(close) if close > open => close + 1,
            _ => self.tokens.len(),
        }
    }
}

/// Tokenize `text` as `lang`.
pub fn tokenize(text: &str, lang: Lang) -> Tokens {
    let mut lexer = Lexer {
        src: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        column: 1,
        lang,
        tokens: Vec::new(),
        pending_heredocs: Vec::new(),
    };
    lexer.run();
    let partner = pair_brackets(&lexer.tokens);
    Tokens {
        tokens: lexer.tokens,
        partner,
    }
}

/// Pair brackets with one stack; a closer that does not match the top is
/// left unpaired rather than unwinding, so garbage cannot cost more than
/// one pass.
fn pair_brackets(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut partner = vec![None; tokens.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::Open => stack.push(index),
            Kind::Close => {
                let Some(&top) = stack.last() else { continue };
                let matches = matches!(
                    (tokens[top].text.as_str(), token.text.as_str()),
                    ("(", ")") | ("[", "]") | ("{", "}")
                );
                if matches {
                    stack.pop();
                    partner[top] = Some(index);
                    partner[index] = Some(top);
                }
            }
            _ => {}
        }
    }
    partner
}

struct PendingHeredoc {
    token: usize,
    terminator: String,
    /// `<<~` and `<<-` allow an indented terminator.
    indented: bool,
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    column: u32,
    lang: Lang,
    tokens: Vec<Token>,
    pending_heredocs: Vec<PendingHeredoc>,
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte == b'$' || byte >= 0x80
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80
}

impl<'a> Lexer<'a> {
    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// Advance one byte, keeping line and character column.
    fn bump(&mut self) {
        let Some(&byte) = self.src.get(self.pos) else {
            return;
        };
        self.pos += 1;
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if byte & 0xC0 != 0x80 {
            // Count a character at its first byte only.
            self.column += 1;
        }
    }

    fn bump_n(&mut self, count: usize) {
        for _ in 0..count {
            self.bump();
        }
    }

    fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.src.len());
        let start = start.min(end);
        match self.text.get(start..end) {
            Some(text) => text.to_string(),
            None => String::from_utf8_lossy(&self.src[start..end]).into_owned(),
        }
    }

    fn push(&mut self, kind: Kind, text: String, line: u32, column: u32) -> usize {
        self.tokens.push(Token {
            kind,
            text,
            line,
            column,
            body_line: line,
            interpolated: false,
        });
        self.tokens.len() - 1
    }

    /// Whether the previous token ends a value, so what follows is an
    /// operator (`a % b`, `a << b`) rather than the start of a literal.
    fn after_value(&self) -> bool {
        match self.tokens.last() {
            Some(token) => match token.kind {
                Kind::Ident => !matches!(
                    token.text.as_str(),
                    "return" | "if" | "unless" | "and" | "or" | "not" | "when" | "in"
                ),
                Kind::Number | Kind::Str | Kind::Symbol | Kind::Close => true,
                _ => false,
            },
            None => false,
        }
    }

    /// Whether a `%` or `<<` here opens a literal: in operator position
    /// never, except `name %w[..]` / `execute <<~SQL` (a space before and
    /// none after, which Ruby reads as a method argument too).
    fn literal_position(&self) -> bool {
        if !self.after_value() {
            return true;
        }
        let before = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.src.get(i))
            .copied();
        let after = self.peek(if self.peek(0) == b'<' { 2 } else { 1 });
        let is_name = self.tokens.last().is_some_and(|t| t.kind == Kind::Ident);
        is_name
            && matches!(before, Some(b' ' | b'\t'))
            && !matches!(after, b' ' | b'\t' | b'\n' | b'\r' | b'=' | 0)
    }

    fn run(&mut self) {
        while !self.at_end() {
            let byte = self.peek(0);
            let (line, column) = (self.line, self.column);
            match byte {
                b'\n' => {
                    self.bump();
                    if self.lang == Lang::Ruby {
                        self.push(Kind::Newline, String::new(), line, column);
                        if !self.pending_heredocs.is_empty() {
                            self.read_heredoc_bodies();
                        }
                    }
                }
                b' ' | b'\t' | b'\r' | 0x0c => self.bump(),
                b'\\' => {
                    // Line continuation (Python, Ruby): the newline is not an end.
                    self.bump();
                    if self.peek(0) == b'\r' {
                        self.bump();
                    }
                    if self.peek(0) == b'\n' {
                        self.bump();
                    }
                }
                b'#' if self.lang != Lang::JavaScript => self.skip_line(),
                b'/' if self.lang == Lang::JavaScript && self.peek(1) == b'/' => self.skip_line(),
                b'/' if self.lang == Lang::JavaScript && self.peek(1) == b'*' => {
                    self.bump_n(2);
                    while !(self.at_end() || self.peek(0) == b'*' && self.peek(1) == b'/') {
                        self.bump();
                    }
                    self.bump_n(2);
                }
                b'=' if self.lang == Lang::Ruby
                    && column == 1
                    && self.src[self.pos..].starts_with(b"=begin") =>
                {
                    self.skip_ruby_block_comment()
                }
                b'"' | b'\'' => self.read_quoted(line, column),
                b'`' if self.lang == Lang::JavaScript => self.read_template(line, column),
                b'(' | b'[' | b'{' => {
                    self.bump();
                    self.push(Kind::Open, (byte as char).to_string(), line, column);
                }
                b')' | b']' | b'}' => {
                    self.bump();
                    self.push(Kind::Close, (byte as char).to_string(), line, column);
                }
                b':' if self.lang == Lang::Ruby => self.read_colon(line, column),
                b'%' if self.lang == Lang::Ruby && self.literal_position() => {
                    if !self.read_percent_literal(line, column) {
                        self.bump();
                        self.push(Kind::Punct, "%".to_string(), line, column);
                    }
                }
                b'<' if self.lang == Lang::Ruby
                    && self.peek(1) == b'<'
                    && self.literal_position() =>
                {
                    if !self.read_heredoc_opener(line, column) {
                        self.bump_n(2);
                        self.push(Kind::Punct, "<<".to_string(), line, column);
                    }
                }
                _ if byte.is_ascii_digit() => {
                    let start = self.pos;
                    while is_ident_byte(self.peek(0))
                        || self.peek(0) == b'.' && self.peek(1).is_ascii_digit()
                    {
                        self.bump();
                    }
                    let text = self.slice(start, self.pos);
                    self.push(Kind::Number, text, line, column);
                }
                _ if is_ident_start(byte) => self.read_ident(line, column),
                _ => self.read_punct(line, column),
            }
        }
        // A heredoc opened on the last line has no body.
        self.pending_heredocs.clear();
    }

    fn skip_line(&mut self) {
        while !self.at_end() && self.peek(0) != b'\n' {
            self.bump();
        }
    }

    fn skip_ruby_block_comment(&mut self) {
        loop {
            self.skip_line();
            if self.at_end() {
                return;
            }
            self.bump();
            if self.src[self.pos..].starts_with(b"=end") {
                self.skip_line();
                return;
            }
        }
    }

    fn read_ident(&mut self, line: u32, column: u32) {
        let start = self.pos;
        while is_ident_byte(self.peek(0)) {
            self.bump();
        }
        // Ruby method names may end in ? or ! (`disable_ddl_transaction!`).
        if self.lang == Lang::Ruby && matches!(self.peek(0), b'?' | b'!') && self.peek(1) != b'=' {
            self.bump();
        }
        let text = self.slice(start, self.pos);
        // Python string prefixes: r"", b'', f"", rb"" ...
        if self.lang == Lang::Python
            && text.len() <= 2
            && text.bytes().all(|b| b"rRbBuUfF".contains(&b))
            && matches!(self.peek(0), b'"' | b'\'')
        {
            let formatted = text.bytes().any(|b| b == b'f' || b == b'F');
            self.read_quoted(line, column);
            if formatted {
                if let Some(last) = self.tokens.last_mut() {
                    last.interpolated = true;
                }
            }
            return;
        }
        self.push(Kind::Ident, text, line, column);
    }

    fn read_punct(&mut self, line: u32, column: u32) {
        const PAIRS: [&[u8; 2]; 10] = [
            b"=>", b"->", b"::", b"==", b"!=", b"<=", b">=", b"**", b"&&", b"||",
        ];
        let two = [self.peek(0), self.peek(1)];
        if PAIRS.iter().any(|pair| **pair == two) {
            self.bump_n(2);
            let text = String::from_utf8_lossy(&two).into_owned();
            self.push(Kind::Punct, text, line, column);
            return;
        }
        let start = self.pos;
        self.bump();
        // Keep a multi-byte character whole.
        while !self.at_end() && self.peek(0) & 0xC0 == 0x80 {
            self.bump();
        }
        let text = self.slice(start, self.pos);
        self.push(Kind::Punct, text, line, column);
    }

    /// Ruby `:` starts a symbol (`:users`, `:"odd name"`), is `::`, or is
    /// the colon of a hash label (`null: false`, lexed as Ident + `:`).
    fn read_colon(&mut self, line: u32, column: u32) {
        let next = self.peek(1);
        if next == b':' {
            self.bump_n(2);
            self.push(Kind::Punct, "::".to_string(), line, column);
            return;
        }
        let glued_to_value = self.pos > 0 && is_ident_byte(self.src[self.pos - 1]);
        if !glued_to_value && is_ident_start(next) {
            self.bump();
            let start = self.pos;
            while is_ident_byte(self.peek(0)) {
                self.bump();
            }
            if matches!(self.peek(0), b'?' | b'!' | b'=') && self.peek(1) != b'>' {
                self.bump();
            }
            let text = self.slice(start, self.pos);
            self.push(Kind::Symbol, text, line, column);
            return;
        }
        if !glued_to_value && matches!(next, b'"' | b'\'') {
            self.bump();
            self.read_quoted(line, column);
            if let Some(last) = self.tokens.last_mut() {
                last.kind = Kind::Symbol;
            }
            return;
        }
        self.bump();
        self.push(Kind::Punct, ":".to_string(), line, column);
    }

    /// A quoted string starting at the current quote. Python triple quotes
    /// span lines; other Python and JS strings end at a newline (an
    /// unterminated string must not swallow the file); Ruby strings span
    /// lines.
    fn read_quoted(&mut self, line: u32, column: u32) {
        let quote = self.peek(0);
        let triple = self.lang == Lang::Python && self.peek(1) == quote && self.peek(2) == quote;
        let opener = if triple { 3 } else { 1 };
        self.bump_n(opener);
        let body_line = self.line;
        let start = self.pos;
        let mut end = self.src.len();
        let mut interpolated = false;
        let mut brace_depth = 0usize;
        while !self.at_end() {
            let byte = self.peek(0);
            if byte == b'\\' {
                self.bump_n(2);
                continue;
            }
            if self.lang == Lang::Ruby && quote == b'"' {
                if byte == b'#' && self.peek(1) == b'{' {
                    interpolated = true;
                    brace_depth += 1;
                    self.bump_n(2);
                    continue;
                }
                if brace_depth > 0 {
                    match byte {
                        b'{' => brace_depth += 1,
                        b'}' => brace_depth -= 1,
                        _ => {}
                    }
                    self.bump();
                    continue;
                }
            }
            if byte == b'\n' && !triple && self.lang != Lang::Ruby {
                end = self.pos;
                break;
            }
            if byte == quote && (!triple || (self.peek(1) == quote && self.peek(2) == quote)) {
                end = self.pos;
                self.bump_n(opener);
                break;
            }
            self.bump();
        }
        let body = self.slice(start, end);
        let index = self.push(Kind::Str, body, line, column);
        self.tokens[index].body_line = body_line;
        self.tokens[index].interpolated = interpolated;
    }

    /// JS template literal; `${...}` marks it interpolated.
    fn read_template(&mut self, line: u32, column: u32) {
        self.bump();
        let body_line = self.line;
        let start = self.pos;
        let mut end = self.src.len();
        let mut interpolated = false;
        let mut brace_depth = 0usize;
        while !self.at_end() {
            let byte = self.peek(0);
            if byte == b'\\' {
                self.bump_n(2);
                continue;
            }
            if byte == b'$' && self.peek(1) == b'{' {
                interpolated = true;
                brace_depth += 1;
                self.bump_n(2);
                continue;
            }
            if brace_depth > 0 {
                match byte {
                    b'{' => brace_depth += 1,
                    b'}' => brace_depth -= 1,
                    _ => {}
                }
                self.bump();
                continue;
            }
            if byte == b'`' {
                end = self.pos;
                self.bump();
                break;
            }
            self.bump();
        }
        let body = self.slice(start, end);
        let index = self.push(Kind::Str, body, line, column);
        self.tokens[index].body_line = body_line;
        self.tokens[index].interpolated = interpolated;
    }

    /// Ruby `%q(...)`, `%w[...]`, `%(...)` and friends. Returns false when
    /// the `%` is not a literal opener.
    fn read_percent_literal(&mut self, line: u32, column: u32) -> bool {
        let (type_len, delimiter) = match self.peek(1) {
            b'q' | b'Q' | b'w' | b'W' | b'i' | b'I' | b's' | b'r' | b'x' => (1, self.peek(2)),
            other => (0, other),
        };
        let closer = match delimiter {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            b'|' | b'!' | b'/' | b'^' => delimiter,
            _ => return false,
        };
        let interpolating =
            type_len == 0 || matches!(self.peek(1), b'Q' | b'W' | b'I' | b'r' | b'x');
        self.bump_n(2 + type_len);
        let body_line = self.line;
        let start = self.pos;
        let mut end = self.src.len();
        let mut depth = 0usize;
        let mut interpolated = false;
        while !self.at_end() {
            let byte = self.peek(0);
            if byte == b'\\' {
                self.bump_n(2);
                continue;
            }
            if interpolating && byte == b'#' && self.peek(1) == b'{' {
                interpolated = true;
            }
            if byte == delimiter && closer != delimiter {
                depth += 1;
            } else if byte == closer {
                if depth == 0 {
                    end = self.pos;
                    self.bump();
                    break;
                }
                depth -= 1;
            }
            self.bump();
        }
        let body = self.slice(start, end);
        let index = self.push(Kind::Str, body, line, column);
        self.tokens[index].body_line = body_line;
        self.tokens[index].interpolated = interpolated;
        true
    }

    /// `<<~SQL`, `<<-SQL`, `<<SQL`, `<<~'SQL'`: emit an empty string token
    /// now and fill its body when the line ends.
    fn read_heredoc_opener(&mut self, line: u32, column: u32) -> bool {
        let mut offset = 2;
        let indented = matches!(self.peek(offset), b'~' | b'-');
        if indented {
            offset += 1;
        }
        let quote = match self.peek(offset) {
            q @ (b'\'' | b'"' | b'`') => {
                offset += 1;
                Some(q)
            }
            _ => None,
        };
        let name_start = offset;
        while is_ident_byte(self.peek(offset)) {
            offset += 1;
        }
        if offset == name_start {
            return false;
        }
        // Plain `<<NAME` needs an upper-case name; otherwise it is a shift.
        if !indented && quote.is_none() && !self.peek(name_start).is_ascii_uppercase() {
            return false;
        }
        let name_end = offset;
        if let Some(q) = quote {
            if self.peek(offset) != q {
                return false;
            }
            offset += 1;
        }
        let terminator =
            String::from_utf8_lossy(&self.src[self.pos + name_start..self.pos + name_end])
                .into_owned();
        self.bump_n(offset);
        let index = self.push(Kind::Str, String::new(), line, column);
        self.tokens[index].interpolated = quote != Some(b'\'');
        self.pending_heredocs.push(PendingHeredoc {
            token: index,
            terminator,
            indented,
        });
        true
    }

    /// Right after a newline: read each pending heredoc's body, in order.
    fn read_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.pending_heredocs);
        for heredoc in pending {
            let body_line = self.line;
            let start = self.pos;
            let mut end = self.src.len();
            let mut interpolated = false;
            while !self.at_end() {
                let line_start = self.pos;
                self.skip_line();
                let raw = &self.src[line_start..self.pos];
                let trimmed = if heredoc.indented {
                    raw.trim_ascii()
                } else {
                    raw.trim_ascii_end()
                };
                if trimmed == heredoc.terminator.as_bytes() {
                    end = line_start;
                    self.bump();
                    break;
                }
                if raw.windows(2).any(|w| w == b"#{") {
                    interpolated = true;
                }
                self.bump();
            }
            let body = self.slice(start, end);
            if let Some(token) = self.tokens.get_mut(heredoc.token) {
                token.text = body;
                token.body_line = body_line;
                token.interpolated &= interpolated;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(tokens: &Tokens) -> Vec<(Kind, &str)> {
        tokens
            .tokens
            .iter()
            .filter(|t| t.kind != Kind::Newline)
            .map(|t| (t.kind, t.text.as_str()))
            .collect()
    }

    #[test]
    fn ruby_labels_symbols_and_comments() {
        let tokens = tokenize(
            "add_index :users, :email, algorithm: :concurrently # add_column\n",
            Lang::Ruby,
        );
        assert_eq!(
            kinds(&tokens),
            [
                (Kind::Ident, "add_index"),
                (Kind::Symbol, "users"),
                (Kind::Punct, ","),
                (Kind::Symbol, "email"),
                (Kind::Punct, ","),
                (Kind::Ident, "algorithm"),
                (Kind::Punct, ":"),
                (Kind::Symbol, "concurrently"),
            ]
        );
    }

    #[test]
    fn ruby_heredoc_body_and_line() {
        let text = "execute <<~SQL\n  CREATE INDEX x ON t (a);\nSQL\nfoo\n";
        let tokens = tokenize(text, Lang::Ruby);
        let string = tokens
            .tokens
            .iter()
            .find(|t| t.kind == Kind::Str)
            .expect("heredoc");
        assert_eq!(string.text, "  CREATE INDEX x ON t (a);\n");
        assert_eq!((string.line, string.body_line), (1, 2));
        assert!(tokens.tokens.iter().any(|t| t.text == "foo" && t.line == 4));
    }

    #[test]
    fn python_triple_quotes_prefixes_and_columns() {
        let text = "x = '''a\nb''' # c\nop.drop_column(rb'\\'t', \"é\")  ";
        let tokens = tokenize(text, Lang::Python);
        let drop = tokens
            .tokens
            .iter()
            .find(|t| t.text == "drop_column")
            .expect("call");
        assert_eq!((drop.line, drop.column), (3, 4));
        assert_eq!(kinds(&tokens)[2..3], [(Kind::Str, "a\nb")]);
        let last = tokens.tokens.last().expect("tokens");
        assert_eq!((last.kind, last.column), (Kind::Close, 28));
    }

    #[test]
    fn js_template_and_comments() {
        let text = "// table.dropColumn('a')\n/* x */ knex.raw(`CREATE ${x}`)";
        let tokens = tokenize(text, Lang::JavaScript);
        assert!(!tokens.tokens.iter().any(|t| t.text == "dropColumn"));
        let raw = tokens
            .tokens
            .iter()
            .find(|t| t.kind == Kind::Str)
            .expect("template");
        assert!(raw.interpolated);
    }

    #[test]
    fn brackets_pair_and_mismatches_stay_unpaired() {
        let tokens = tokenize("f(a[1], {b: 2}) )", Lang::JavaScript);
        assert_eq!(tokens.partner[1], Some(12));
        assert_eq!(tokens.partner[13], None);
    }
}
