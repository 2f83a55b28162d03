//! A small HCL reader: enough structure for Terraform's top-level blocks and
//! literal attributes, no evaluation.
//!
//! The lexer knows strings with escapes and `${}`/`%{}` templates (which may
//! nest strings), heredocs (`<<EOF`, `<<-EOF`), numbers, and the three
//! comment forms (`#`, `//`, `/* */`). The parser builds blocks and
//! attributes; an attribute keeps its value only when it is a literal
//! string, a list or an object of them — anything computed is `Other`.
//! Both are linear, and nesting is capped so hostile input fails fast.

use crate::error::{InfraError, Line};

const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// A quoted string; `template` when it holds `${`/`%{` interpolation.
    Str {
        text: String,
        template: bool,
    },
    Heredoc,
    Number,
    Punct(u8),
    Newline,
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Str(String),
    /// A string with interpolation, as written between the quotes.
    Template(String),
    List(Vec<Expr>),
    Object(Vec<(String, u32, Expr)>),
    Other,
}

impl Expr {
    /// A literal string's value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn field(&self, key: &str) -> Option<&Expr> {
        match self {
            Expr::Object(items) => items.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub name: String,
    pub line: u32,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Expr> {
        self.attrs.iter().find(|a| a.name == name).map(|a| &a.value)
    }
    pub fn str(&self, name: &str) -> Option<String> {
        self.attr(name).and_then(Expr::as_str).map(str::to_string)
    }
    pub fn blocks<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ty == ty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ty: String,
    pub labels: Vec<String>,
    pub line: u32,
    pub body: Body,
}

pub fn parse(label: &str, text: &str) -> Result<Body, InfraError> {
    let tokens = Lexer::new(label, text).run()?;
    let mut p = Parser {
        label,
        tokens,
        pos: 0,
    };
    p.body(false, 0)
}

struct Lexer<'t> {
    label: &'t str,
    src: &'t [u8],
    text: &'t str,
    pos: usize,
    line: u32,
    out: Vec<Token>,
}

impl<'t> Lexer<'t> {
    fn new(label: &'t str, text: &'t str) -> Self {
        Lexer {
            label,
            src: text.as_bytes(),
            text,
            pos: 0,
            line: 1,
            out: Vec::new(),
        }
    }

    fn err(&self, line: u32, message: &str) -> InfraError {
        InfraError::Hcl {
            file: self.label.to_string(),
            line: Line(Some(line)),
            message: message.to_string(),
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos + ahead).copied()
    }

    fn push(&mut self, tok: Tok, line: u32) {
        self.out.push(Token { tok, line });
    }

    fn run(mut self) -> Result<Vec<Token>, InfraError> {
        while let Some(c) = self.peek(0) {
            let line = self.line;
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.push(Tok::Newline, line);
                }
                b'#' => self.skip_line(),
                b'/' if self.peek(1) == Some(b'/') => self.skip_line(),
                b'/' if self.peek(1) == Some(b'*') => self.skip_block_comment()?,
                b'"' => {
                    self.pos += 1;
                    let (text, template) = self.string(0)?;
                    self.push(Tok::Str { text, template }, line);
                }
                b'<' if self.peek(1) == Some(b'<') && self.heredoc_start() => self.heredoc()?,
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let start = self.pos;
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                    {
                        self.pos += 1;
                    }
                    let word = self.text[start..self.pos].to_string();
                    self.push(Tok::Ident(word), line);
                }
                b'0'..=b'9' => {
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.')
                    {
                        self.pos += 1;
                    }
                    self.push(Tok::Number, line);
                }
                c if c.is_ascii_punctuation() => {
                    self.pos += 1;
                    self.push(Tok::Punct(c), line);
                }
                _ => {
                    // Any other byte (non-ASCII outside a string): skip the
                    // whole UTF-8 sequence.
                    self.pos += 1;
                    while self.peek(0).is_some_and(|b| (0x80..0xC0).contains(&b)) {
                        self.pos += 1;
                    }
                    self.push(Tok::Other, line);
                }
            }
        }
        Ok(self.out)
    }

    fn skip_line(&mut self) {
        while self.peek(0).is_some_and(|c| c != b'\n') {
            self.pos += 1;
        }
    }

    fn skip_block_comment(&mut self) -> Result<(), InfraError> {
        let start = self.line;
        self.pos += 2;
        loop {
            match self.peek(0) {
                None => return Err(self.err(start, "unclosed /* comment")),
                Some(b'*') if self.peek(1) == Some(b'/') => {
                    self.pos += 2;
                    return Ok(());
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// After the opening quote: reads to the closing quote. `depth` counts
    /// strings nested inside interpolations.
    fn string(&mut self, depth: usize) -> Result<(String, bool), InfraError> {
        if depth > MAX_DEPTH {
            return Err(self.err(self.line, "string templates nested too deep"));
        }
        let start_line = self.line;
        let mut text = String::new();
        let mut template = false;
        let mut seg_start = self.pos;
        loop {
            match self.peek(0) {
                None | Some(b'\n') => return Err(self.err(start_line, "unterminated string")),
                Some(b'"') => {
                    text.push_str(&self.text[seg_start..self.pos]);
                    self.pos += 1;
                    return Ok((text, template));
                }
                Some(b'\\') => {
                    text.push_str(&self.text[seg_start..self.pos]);
                    match self.peek(1) {
                        Some(b'n') => text.push('\n'),
                        Some(b't') => text.push('\t'),
                        Some(b'r') => text.push('\r'),
                        Some(b'"') => text.push('"'),
                        Some(b'\\') => text.push('\\'),
                        Some(b'\n') | None => {
                            return Err(self.err(start_line, "unterminated string"))
                        }
                        // `\uNNNN` and others: kept as written.
                        Some(_) => text.push('\\'),
                    }
                    self.pos += if matches!(self.peek(1), Some(b'n' | b't' | b'r' | b'"' | b'\\')) {
                        2
                    } else {
                        1
                    };
                    seg_start = self.pos;
                }
                Some(b'$' | b'%') if self.peek(1) == Some(b'{') => {
                    let escaped = self.pos > seg_start
                        && matches!(self.src.get(self.pos - 1), Some(b'$' | b'%'))
                        && self.src.get(self.pos - 1) == self.peek(0).as_ref();
                    if escaped {
                        // `$${` is a literal `${`.
                        self.pos += 2;
                        continue;
                    }
                    template = true;
                    self.pos += 2;
                    self.interpolation(depth)?;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// After `${`: to the matching `}`, stepping over nested strings.
    fn interpolation(&mut self, depth: usize) -> Result<(), InfraError> {
        let start_line = self.line;
        let mut braces = 1usize;
        loop {
            match self.peek(0) {
                None => return Err(self.err(start_line, "unterminated ${ interpolation")),
                Some(b'{') => {
                    braces += 1;
                    self.pos += 1;
                }
                Some(b'}') => {
                    self.pos += 1;
                    braces -= 1;
                    if braces == 0 {
                        return Ok(());
                    }
                }
                Some(b'"') => {
                    self.pos += 1;
                    self.string(depth + 1)?;
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn heredoc_start(&self) -> bool {
        let mut i = self.pos + 2;
        if self.src.get(i) == Some(&b'-') {
            i += 1;
        }
        self.src
            .get(i)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    }

    fn heredoc(&mut self) -> Result<(), InfraError> {
        let start_line = self.line;
        self.pos += 2;
        if self.peek(0) == Some(b'-') {
            self.pos += 1;
        }
        let start = self.pos;
        while self
            .peek(0)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.pos += 1;
        }
        let marker = self.text[start..self.pos].to_string();
        self.skip_line();
        // Body lines until one that is the marker alone.
        loop {
            match self.peek(0) {
                None => {
                    return Err(self.err(start_line, &format!("heredoc <<{marker} never closed")))
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    let line_end = self.text[self.pos..]
                        .find('\n')
                        .map_or(self.text.len(), |i| self.pos + i);
                    if self.text[self.pos..line_end].trim() == marker {
                        self.pos = line_end;
                        self.push(Tok::Heredoc, start_line);
                        return Ok(());
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

struct Parser<'l> {
    label: &'l str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }
    fn line(&self) -> u32 {
        self.tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .map_or(1, |t| t.line)
    }
    fn err(&self, message: &str) -> InfraError {
        InfraError::Hcl {
            file: self.label.to_string(),
            line: Line(Some(self.line())),
            message: message.to_string(),
        }
    }
    fn too_deep(&self) -> InfraError {
        InfraError::TooDeep {
            file: self.label.to_string(),
            line: Line(Some(self.line())),
            limit: MAX_DEPTH,
        }
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn body(&mut self, nested: bool, depth: usize) -> Result<Body, InfraError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        let mut body = Body::default();
        loop {
            self.skip_newlines();
            let line = self.line();
            let name = match self.peek() {
                None if nested => return Err(self.err("block never closed with `}`")),
                None => return Ok(body),
                Some(Tok::Punct(b'}')) if nested => {
                    self.pos += 1;
                    return Ok(body);
                }
                Some(Tok::Ident(n)) => n.clone(),
                Some(_) => return Err(self.err("expected an attribute or block name")),
            };
            self.pos += 1;
            match self.peek() {
                Some(Tok::Punct(b'=')) => {
                    self.pos += 1;
                    let value = self.expr(depth + 1)?;
                    body.attrs.push(Attr { name, line, value });
                    match self.peek() {
                        None | Some(Tok::Newline) => {}
                        Some(Tok::Punct(b'}')) if nested => {}
                        Some(_) => return Err(self.err("expected a new line after the attribute")),
                    }
                }
                _ => {
                    let mut labels = Vec::new();
                    loop {
                        match self.peek() {
                            Some(Tok::Str { text, .. }) => labels.push(text.clone()),
                            Some(Tok::Ident(i)) => labels.push(i.clone()),
                            Some(Tok::Punct(b'{')) => break,
                            _ => {
                                return Err(
                                    self.err(&format!("expected `=` or `{{` after `{name}`"))
                                )
                            }
                        }
                        self.pos += 1;
                    }
                    self.pos += 1;
                    let inner = self.body(true, depth + 1)?;
                    body.blocks.push(Block {
                        ty: name,
                        labels,
                        line,
                        body: inner,
                    });
                }
            }
        }
    }

    fn at_expr_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(Tok::Newline) | Some(Tok::Punct(b',' | b'}' | b']' | b')'))
        )
    }

    fn expr(&mut self, depth: usize) -> Result<Expr, InfraError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        let primary = match self.peek() {
            Some(Tok::Str { text, template }) => {
                let e = if *template {
                    Expr::Template(text.clone())
                } else {
                    Expr::Str(text.clone())
                };
                self.pos += 1;
                e
            }
            Some(Tok::Punct(b'[')) => {
                self.pos += 1;
                self.list(depth)?
            }
            Some(Tok::Punct(b'{')) => {
                self.pos += 1;
                self.object(depth)?
            }
            None => return Err(self.err("expected a value")),
            _ => {
                self.skip_rest()?;
                return Ok(Expr::Other);
            }
        };
        if self.at_expr_end() {
            Ok(primary)
        } else {
            self.skip_rest()?;
            Ok(Expr::Other)
        }
    }

    fn list(&mut self, depth: usize) -> Result<Expr, InfraError> {
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Some(Tok::Newline | Tok::Punct(b','))) {
                self.pos += 1;
            }
            match self.peek() {
                None => return Err(self.err("list never closed with `]`")),
                Some(Tok::Punct(b']')) => {
                    self.pos += 1;
                    return Ok(Expr::List(items));
                }
                Some(Tok::Punct(b'}' | b')')) => {
                    return Err(self.err("unbalanced brackets in a list"))
                }
                _ => items.push(self.expr(depth + 1)?),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Expr, InfraError> {
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Some(Tok::Newline | Tok::Punct(b','))) {
                self.pos += 1;
            }
            let line = self.line();
            let key = match self.peek() {
                None => return Err(self.err("object never closed with `}`")),
                Some(Tok::Punct(b'}')) => {
                    self.pos += 1;
                    return Ok(Expr::Object(items));
                }
                Some(Tok::Ident(k)) => k.clone(),
                Some(Tok::Str { text, .. }) => text.clone(),
                _ => {
                    self.skip_to_close(b'}')?;
                    return Ok(Expr::Other);
                }
            };
            self.pos += 1;
            match self.peek() {
                Some(Tok::Punct(b'=' | b':')) => {
                    self.pos += 1;
                    let value = self.expr(depth + 1)?;
                    items.push((key, line, value));
                }
                // `{ for k, v in x : k => v }` and the like.
                _ => {
                    self.skip_to_close(b'}')?;
                    return Ok(Expr::Other);
                }
            }
        }
    }

    /// Skips a computed expression: to a newline, comma or closer at the
    /// current bracket level. Iterative, so deep brackets cost no stack.
    fn skip_rest(&mut self) -> Result<(), InfraError> {
        let mut open: usize = 0;
        loop {
            match self.peek() {
                None if open == 0 => return Ok(()),
                None => return Err(self.err("brackets never closed")),
                Some(Tok::Newline | Tok::Punct(b',')) if open == 0 => return Ok(()),
                Some(Tok::Punct(b'}' | b']' | b')')) if open == 0 => return Ok(()),
                Some(Tok::Punct(b'{' | b'[' | b'(')) => open += 1,
                Some(Tok::Punct(b'}' | b']' | b')')) => open -= 1,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Inside an opened bracket: skips to just after its closer.
    fn skip_to_close(&mut self, _closer: u8) -> Result<(), InfraError> {
        let mut open: usize = 1;
        loop {
            match self.peek() {
                None => return Err(self.err("brackets never closed")),
                Some(Tok::Punct(b'{' | b'[' | b'(')) => open += 1,
                Some(Tok::Punct(b'}' | b']' | b')')) => {
                    open -= 1;
                    if open == 0 {
                        self.pos += 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_attributes_and_literals() {
        let src = r#"
# comment
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws" // trailing
      version = "~> 5.0"
    }
  }
}
/* a
   block comment with "quotes" { */
resource "aws_db_instance" "main" {
  engine         = "postgres"
  identifier     = "${var.env}-db"
  tags           = merge(local.tags, { Name = "x" })
  name           = var.enabled ? "a" : "b"
  policy         = <<-EOT
    { "not": "parsed" }
  EOT
  nested         = "${lookup(var.m, "k}ey", "d")}"
  list           = ["a", "b",
    "c"]
  escaped        = "say \"hi\" $${literal}"
}
"#;
        let body = parse("main.tf", src).unwrap();
        let tf = body.blocks("terraform").next().unwrap();
        let rp = tf.body.blocks("required_providers").next().unwrap();
        let aws = rp.body.attr("aws").unwrap();
        assert_eq!(
            aws.field("source").and_then(Expr::as_str),
            Some("hashicorp/aws")
        );
        let db = body.blocks("resource").next().unwrap();
        assert_eq!(db.labels, vec!["aws_db_instance", "main"]);
        assert_eq!(db.line, 13);
        assert_eq!(db.body.str("engine").as_deref(), Some("postgres"));
        assert!(matches!(
            db.body.attr("identifier"),
            Some(Expr::Template(_))
        ));
        assert_eq!(db.body.attr("tags"), Some(&Expr::Other));
        assert_eq!(db.body.attr("name"), Some(&Expr::Other));
        assert!(matches!(db.body.attr("nested"), Some(Expr::Template(_))));
        assert_eq!(
            db.body
                .attr("list")
                .map(|l| matches!(l, Expr::List(v) if v.len() == 3)),
            Some(true)
        );
        assert_eq!(
            db.body.str("escaped").as_deref(),
            Some("say \"hi\" $${literal}")
        );
    }

    #[test]
    fn errors_name_the_line() {
        for (src, line) in [
            ("resource \"a\" \"b\" {\n  x = \"open\n}\n", 2),
            ("resource \"a\" \"b\" {\n  x = 1\n", 2),
            ("a = <<EOF\nbody\n", 1),
            ("/* never closed\n", 1),
            ("x = [1, 2\n", 1),
        ] {
            let e = parse("t.tf", src).unwrap_err();
            assert_eq!(e.line(), Some(line), "{src:?}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let src = format!("a = {}", "[".repeat(100_000));
        assert!(matches!(
            parse("t.tf", &src),
            Err(InfraError::TooDeep { .. })
        ));
        let src = "b {\n".repeat(100_000);
        assert!(matches!(
            parse("t.tf", &src),
            Err(InfraError::TooDeep { .. })
        ));
        let src = format!("a = \"{}\"", "${\"".repeat(100_000));
        assert!(parse("t.tf", &src).is_err());
    }
}
