//! mix.lock: an Elixir map literal, `%{"app": {:hex, :package, "version",
//! "hash", [build tools], [deps], "repo", "outer hash"}, ...}`; git deps are
//! `{:git, "url", "rev", opts}`. Read with a small term parser.

use crate::component::{Collector, ParseOutput};
use crate::{Component, Ecosystem, ParseError};

/// Real locks nest four deep; bounds recursion on hostile input.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Str(String),
    Atom(String),
    Tuple(Vec<Term>),
    List(Vec<Term>),
    Map(Vec<(Term, Term)>),
    Other,
}

struct Parser<'a> {
    label: &'a str,
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(self.label, message).at_line(self.line)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b'#' => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                b if b.is_ascii_whitespace() => self.pos += 1,
                _ => break,
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), ParseError> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected `{}`", char::from(byte))))
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        // At the opening quote.
        self.pos += 1;
        let mut out = String::new();
        let mut start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    out.push_str(self.text.get(start..self.pos).unwrap_or_default());
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.text.get(start..self.pos).unwrap_or_default());
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        if c.is_ascii() {
                            out.push(char::from(c));
                            self.pos += 1;
                        }
                    }
                    start = self.pos;
                }
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        Err(self.error("unterminated string"))
    }

    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'?' | b'!' | b'@' | b'-' | b'+')
        }) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or_default()
    }

    fn term(&mut self, depth: usize) -> Result<Term, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("terms nested deeper than {MAX_DEPTH}")));
        }
        self.skip_space();
        match self.peek() {
            Some(b'"') => Ok(Term::Str(self.string()?)),
            Some(b':') => {
                self.pos += 1;
                if self.peek() == Some(b'"') {
                    Ok(Term::Atom(self.string()?))
                } else {
                    let word = self.word();
                    if word.is_empty() {
                        return Err(self.error("expected an atom after `:`"));
                    }
                    Ok(Term::Atom(word.to_string()))
                }
            }
            Some(b'{') => {
                self.pos += 1;
                Ok(Term::Tuple(self.items(b'}', depth)?))
            }
            Some(b'[') => {
                self.pos += 1;
                Ok(Term::List(self.items(b']', depth)?))
            }
            Some(b'%') => {
                self.pos += 1;
                self.expect(b'{')?;
                self.map(depth)
            }
            Some(c) if c.is_ascii_alphanumeric() || c == b'-' => {
                let word = self.word();
                // `key: value` inside a keyword list.
                if self.peek() == Some(b':') {
                    self.pos += 1;
                    let value = self.term(depth + 1)?;
                    return Ok(Term::Tuple(vec![Term::Atom(word.to_string()), value]));
                }
                Ok(Term::Other)
            }
            Some(_) => Err(self.error("unexpected character")),
            None => Err(self.error("unexpected end of file")),
        }
    }

    /// Comma-separated terms up to `close` (a trailing comma is allowed).
    fn items(&mut self, close: u8, depth: usize) -> Result<Vec<Term>, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.term(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                _ => return Err(self.error(format!("expected `,` or `{}`", char::from(close)))),
            }
        }
    }

    /// Map entries after `%{`: `"key": value` or `key => value`.
    fn map(&mut self, depth: usize) -> Result<Term, ParseError> {
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(Term::Map(entries));
            }
            let key = self.term(depth + 1)?;
            self.skip_space();
            if self.peek() == Some(b':') {
                self.pos += 1;
            } else if self.bytes.get(self.pos..self.pos + 2) == Some(b"=>".as_slice()) {
                self.pos += 2;
            } else {
                return Err(self.error("expected `:` or `=>` after a map key"));
            }
            let value = self.term(depth + 1)?;
            entries.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut parser = Parser {
        label,
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
    };
    let Term::Map(entries) = parser.term(0)? else {
        return Err(parser.error("expected a map `%{...}`"));
    };
    parser.skip_space();
    if parser.peek().is_some() {
        return Err(parser.error("unexpected text after the map"));
    }
    let mut out = Collector::default();
    for (key, value) in entries {
        let Term::Str(app) = key else { continue };
        let Term::Tuple(items) = value else {
            return Err(ParseError::new(label, "expected a tuple").field(app));
        };
        match items.as_slice() {
            [Term::Atom(kind), Term::Atom(package), Term::Str(version), ..] if kind == "hex" => {
                out.push(Component::new(Ecosystem::Hex, package, version, label));
            }
            [Term::Atom(kind), Term::Str(url), Term::Str(rev), ..] if kind == "git" => {
                out.note(
                    None,
                    format!("`{app}` comes from git {url} at {rev}; no Hex version"),
                );
                out.push(Component::new(Ecosystem::Hex, &app, "", label));
            }
            [Term::Atom(kind), ..] => {
                out.note(
                    None,
                    format!("`{app}` is a `{kind}` dependency; not listed"),
                );
            }
            _ => {
                return Err(
                    ParseError::new(label, "expected `{:hex, ...}` or `{:git, ...}`").field(app),
                )
            }
        }
    }
    Ok(out.finish())
}
