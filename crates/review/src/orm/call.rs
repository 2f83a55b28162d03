//! Call shapes over a token stream: `name(args)` or, in Ruby, `name args`
//! up to the end of the line; arguments split at top-level commas into
//! positional and keyword arguments (`key: v`, `:key => v`, `key=v`).

use super::token::{Kind, Lang, Token, Tokens};

/// One argument: an optional keyword and the token range of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub key: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// One call found at a name token.
#[derive(Debug, Clone)]
pub struct Call {
    /// Index of the name token (where findings point).
    pub name: usize,
    pub args: Vec<Arg>,
    /// Index just past the call (past `)` or the end of the Ruby line).
    pub end: usize,
}

impl Call {
    pub fn positional(&self, n: usize) -> Option<&Arg> {
        self.args.iter().filter(|arg| arg.key.is_none()).nth(n)
    }

    pub fn keyword(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|arg| arg.key.as_deref() == Some(key))
    }

    pub fn has_keyword(&self, key: &str) -> bool {
        self.keyword(key).is_some()
    }
}

/// The receiver name in `receiver.name`, when token `name` has one.
pub fn receiver(tokens: &Tokens, name: usize) -> Option<&str> {
    if name < 2 || !tokens.is_punct(name - 1, ".") {
        return None;
    }
    tokens
        .get(name - 2)
        .filter(|token| token.kind == Kind::Ident)
        .map(|token| token.text.as_str())
}

/// Whether token `name` is preceded by a `.` (it is a method on something).
pub fn has_dot_before(tokens: &Tokens, name: usize) -> bool {
    name > 0 && tokens.is_punct(name - 1, ".")
}

/// Parse the call whose name is token `name`. With parentheses right after
/// the name the arguments are inside them; in Ruby without parentheses they
/// run to the end of the statement.
pub fn parse(tokens: &Tokens, name: usize, lang: Lang) -> Call {
    let next = name + 1;
    if tokens.is(next, Kind::Open, "(") {
        let end = tokens.skip_group(next);
        let close = if tokens.is(end.saturating_sub(1), Kind::Close, ")") {
            end - 1
        } else {
            end
        };
        let args = split_args(tokens, next + 1, close, lang);
        return Call { name, args, end };
    }
    if lang != Lang::Ruby {
        return Call {
            name,
            args: Vec::new(),
            end: next,
        };
    }
    let stop = ruby_statement_end(tokens, next);
    let args = split_args(tokens, next, stop, lang);
    Call {
        name,
        args,
        end: stop,
    }
}

/// Where a Ruby paren-less call's arguments end: a newline not after a
/// comma or operator, `;`, `do`, a block `{`, or an unmatched closer.
/// Bounded: no real migration call has hundreds of top-level argument
/// tokens, and the bound keeps a hostile one-line file linear.
fn ruby_statement_end(tokens: &Tokens, start: usize) -> usize {
    const MAX_ARGUMENT_TOKENS: usize = 512;
    let mut index = start;
    let mut seen = 0usize;
    while let Some(token) = tokens.get(index) {
        seen += 1;
        if seen > MAX_ARGUMENT_TOKENS {
            return index;
        }
        match token.kind {
            Kind::Newline => {
                let continues = index > start
                    && tokens.get(index - 1).is_some_and(|prev| {
                        prev.kind == Kind::Punct
                            && matches!(prev.text.as_str(), "," | "=>" | ":" | "\\" | "+")
                    });
                if !continues {
                    return index;
                }
                index += 1;
            }
            Kind::Punct if token.text == ";" => return index,
            Kind::Ident if token.text == "do" => return index,
            Kind::Close => return index,
            Kind::Open => {
                let is_block = token.text == "{"
                    && !tokens.get(index.wrapping_sub(1)).is_some_and(|prev| {
                        prev.kind == Kind::Punct
                            && matches!(prev.text.as_str(), "," | ":" | "=>" | "(" | "->")
                    });
                if is_block && index > start {
                    return index;
                }
                index = tokens.skip_group(index);
            }
            _ => index += 1,
        }
    }
    tokens.len()
}

fn split_args(tokens: &Tokens, start: usize, end: usize, lang: Lang) -> Vec<Arg> {
    let mut args = Vec::new();
    let mut arg_start = start;
    let mut index = start;
    while index < end {
        let Some(token) = tokens.get(index) else {
            break;
        };
        if token.kind == Kind::Open {
            index = tokens.skip_group(index);
            continue;
        }
        if token.kind == Kind::Punct && token.text == "," {
            push_arg(tokens, arg_start, index, lang, &mut args);
            arg_start = index + 1;
        }
        index += 1;
    }
    push_arg(tokens, arg_start, end.min(tokens.len()), lang, &mut args);
    args
}

fn push_arg(tokens: &Tokens, start: usize, end: usize, lang: Lang, args: &mut Vec<Arg>) {
    let mut start = start;
    while start < end && tokens.get(start).is_some_and(|t| t.kind == Kind::Newline) {
        start += 1;
    }
    if start >= end {
        return;
    }
    let Some(first) = tokens.get(start) else {
        return;
    };
    let key_with = |sep: &str| tokens.is_punct(start + 1, sep);
    let key = match (lang, first.kind) {
        (Lang::Ruby, Kind::Ident | Kind::Str) if key_with(":") => Some(first.text.clone()),
        (Lang::Ruby, Kind::Symbol) if key_with("=>") => Some(first.text.clone()),
        (Lang::Python, Kind::Ident) if key_with("=") => Some(first.text.clone()),
        _ => None,
    };
    let value_start = if key.is_some() { start + 2 } else { start };
    args.push(Arg {
        key,
        start: value_start,
        end,
    });
}

/// Token indices in `start..end` at most one bracket level deep: enough
/// for `-> { "sql" }`, `sa.text("sql")`, `["a", "b"]` and
/// `{ algorithm: :concurrently }`, while nested groups are jumped over so
/// scanning a call nested 50k deep stays linear overall.
pub fn shallow(tokens: &Tokens, start: usize, end: usize) -> Shallow<'_> {
    Shallow {
        tokens,
        index: start,
        end: end.min(tokens.len()),
        depth: 0,
    }
}

pub struct Shallow<'t> {
    tokens: &'t Tokens,
    index: usize,
    end: usize,
    depth: usize,
}

impl Iterator for Shallow<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.index < self.end {
            let index = self.index;
            let token = self.tokens.get(index)?;
            match token.kind {
                Kind::Open if self.depth >= 1 => {
                    self.index = self.tokens.skip_group(index);
                    continue;
                }
                Kind::Open => self.depth += 1,
                Kind::Close => self.depth = self.depth.saturating_sub(1),
                Kind::Newline => {
                    self.index += 1;
                    continue;
                }
                _ => {}
            }
            self.index += 1;
            return Some(index);
        }
        None
    }
}

/// The value tokens of `arg` (one bracket level deep), newlines dropped.
pub fn value<'t>(tokens: &'t Tokens, arg: &Arg) -> impl Iterator<Item = &'t Token> + 't {
    shallow(tokens, arg.start, arg.end).filter_map(move |index| tokens.get(index))
}

/// The value of `arg` when it is a single literal: a symbol, string, name
/// or number, as its text.
pub fn literal<'t>(tokens: &'t Tokens, arg: &Arg) -> Option<&'t str> {
    let mut values = value(tokens, arg);
    let first = values.next()?;
    if values.next().is_some() {
        return None;
    }
    match first.kind {
        Kind::Symbol | Kind::Str | Kind::Ident | Kind::Number => Some(first.text.as_str()),
        _ => None,
    }
}

/// The text of the first string or symbol in `arg`'s value, so
/// `"users"`, `:users`, `sa.text("now()")` and `op.f("ix")` all name
/// something.
pub fn first_name<'t>(tokens: &'t Tokens, arg: &Arg) -> Option<&'t str> {
    value(tokens, arg)
        .take(8)
        .find(|token| matches!(token.kind, Kind::Str | Kind::Symbol))
        .map(|token| token.text.as_str())
}

/// Whether `arg` is the single literal `text`.
pub fn literal_is(tokens: &Tokens, arg: Option<&Arg>, text: &str) -> bool {
    arg.and_then(|arg| literal(tokens, arg)) == Some(text)
}

/// The call that forms `arg`'s value (`models.CharField(...)`,
/// `sa.Column(...)`): the name right before the first top-level `(`.
pub fn inner_call(tokens: &Tokens, arg: &Arg, lang: Lang) -> Option<Call> {
    let end = arg.end.min(tokens.len());
    let mut index = arg.start;
    while index < end {
        let token = tokens.get(index)?;
        if token.kind == Kind::Open {
            if token.text == "(" && index > arg.start {
                let name = index - 1;
                if tokens.get(name)?.kind == Kind::Ident {
                    return Some(parse(tokens, name, lang));
                }
            }
            return None;
        }
        index += 1;
    }
    None
}

/// Whether any token in `start..end` is the keyword `key` given the value
/// `value` (`validate: false`, `validate=False`), one bracket level deep.
pub fn any_keyword_value(
    tokens: &Tokens,
    start: usize,
    end: usize,
    key: &str,
    value: &str,
) -> bool {
    shallow(tokens, start, end).any(|index| {
        tokens.is_ident(index, key)
            && (tokens.is_punct(index + 1, ":") || tokens.is_punct(index + 1, "="))
            && tokens.get(index + 2).is_some_and(|token| {
                matches!(token.kind, Kind::Ident | Kind::Symbol | Kind::Str) && token.text == value
            })
    })
}

#[cfg(test)]
mod tests {
    use super::super::token::tokenize;
    use super::*;

    #[test]
    fn ruby_call_without_parens_spans_continued_lines() {
        let tokens = tokenize(
            "add_index :users, :email,\n  algorithm: :concurrently\nfoo 1\n",
            Lang::Ruby,
        );
        let call = parse(&tokens, 0, Lang::Ruby);
        assert_eq!(call.args.len(), 3);
        assert!(literal_is(
            &tokens,
            call.keyword("algorithm"),
            "concurrently"
        ));
        assert_eq!(literal(&tokens, &call.args[0]), Some("users"));
    }

    #[test]
    fn python_keywords_and_inner_call() {
        let tokens = tokenize(
            "AddField(model_name='user', name='age', field=models.IntegerField(null=True))",
            Lang::Python,
        );
        let call = parse(&tokens, 0, Lang::Python);
        assert_eq!(call.args.len(), 3);
        let field = call.keyword("field").expect("field");
        let inner = inner_call(&tokens, field, Lang::Python).expect("inner");
        assert_eq!(tokens.tokens[inner.name].text, "IntegerField");
        assert!(literal_is(&tokens, inner.keyword("null"), "True"));
    }

    #[test]
    fn ruby_block_ends_arguments() {
        let tokens = tokenize(
            "change_table :users do |t|\n t.remove :a\nend\n",
            Lang::Ruby,
        );
        let call = parse(&tokens, 0, Lang::Ruby);
        assert_eq!(call.args.len(), 1);
        assert!(tokens.is_ident(call.end, "do"));
    }
}
