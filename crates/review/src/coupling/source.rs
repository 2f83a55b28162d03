//! The shape of one source file above tokens: matching brackets (and Ruby
//! `do`/`def`/... `end`), loop bodies, and function scopes with their
//! decorators. Everything is computed in one or two linear passes so that
//! rules can ask "is this call inside a loop?" or "which function holds
//! this call?" in constant time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use super::lex::{self, Kind, Token};
use super::Language;

const NONE: u32 = u32::MAX;

/// A function (or route handler) body and what names it.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Function name, or the route path for `app.post("/x", ...)` handlers.
    pub name: String,
    /// Token to report at.
    pub name_token: usize,
    /// First token of the declaration, decorators and annotations included.
    pub header_start: usize,
    /// Body tokens: `body_start..body_end`.
    pub body_start: usize,
    pub body_end: usize,
    /// Declared as an HTTP route (decorator, annotation or route call).
    pub route: bool,
}

pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub language: Language,
    pub tokens: Vec<Token>,
    pub comments: Vec<Token>,
    partner: Vec<u32>,
    parent: Vec<u32>,
    loop_depth: Vec<u32>,
    pub scopes: Vec<Scope>,
    scope_of: Vec<u32>,
    /// (scope index or NONE for the file, needle list address) -> answer,
    /// so that many calls in one scope scan it once.
    mention_cache: RefCell<HashMap<(u32, usize), bool>>,
    /// Every identifier and string, squashed (see [`squash`]) and joined by
    /// newlines; `squashed_at[t]` is where token `t` starts in it. A range of
    /// tokens is then one slice to search instead of a token walk.
    squashed: String,
    squashed_at: Vec<u32>,
}

const MEMBER: [&str; 4] = [".", "?.", "->", "::"];

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str, language: Language) -> Source<'a> {
        let lexed = lex::lex(language, text);
        let n = lexed.tokens.len();
        let mut source = Source {
            path,
            text,
            language,
            tokens: lexed.tokens,
            comments: lexed.comments,
            partner: vec![NONE; n],
            parent: vec![NONE; n],
            loop_depth: vec![0; n],
            scopes: Vec::new(),
            scope_of: vec![NONE; n],
            mention_cache: RefCell::new(HashMap::new()),
            squashed: String::new(),
            squashed_at: Vec::with_capacity(n + 1),
        };
        source.index_words();
        source.match_groups();
        source.mark_loops();
        source.find_scopes();
        source
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Full text of token `t` (quotes included for strings).
    pub fn text(&self, t: usize) -> &'a str {
        self.tokens.get(t).map_or("", |tok| {
            self.text
                .get(tok.start as usize..tok.end as usize)
                .unwrap_or("")
        })
    }

    /// Content of a string token (between the quotes).
    pub fn inner(&self, t: usize) -> &'a str {
        self.tokens.get(t).map_or("", |tok| {
            self.text
                .get(tok.inner_start as usize..tok.inner_end as usize)
                .unwrap_or("")
        })
    }

    pub fn kind(&self, t: usize) -> Option<Kind> {
        self.tokens.get(t).map(|tok| tok.kind)
    }

    /// Token `t` is an identifier or punctuation spelled `word`.
    pub fn is(&self, t: usize, word: &str) -> bool {
        matches!(self.kind(t), Some(Kind::Ident | Kind::Punct)) && self.text(t) == word
    }

    pub fn is_ident(&self, t: usize) -> bool {
        self.kind(t) == Some(Kind::Ident)
    }

    pub fn is_str(&self, t: usize) -> bool {
        self.kind(t) == Some(Kind::Str)
    }

    pub fn partner(&self, t: usize) -> Option<usize> {
        self.partner
            .get(t)
            .copied()
            .filter(|&p| p != NONE)
            .map(|p| p as usize)
    }

    /// The innermost open bracket containing `t`.
    pub fn parent(&self, t: usize) -> Option<usize> {
        self.parent
            .get(t)
            .copied()
            .filter(|&p| p != NONE)
            .map(|p| p as usize)
    }

    pub fn in_loop(&self, t: usize) -> bool {
        self.loop_depth.get(t).is_some_and(|&d| d > 0)
    }

    pub fn scope_at(&self, t: usize) -> Option<&Scope> {
        let index = *self.scope_of.get(t)?;
        self.scopes.get(index as usize)
    }

    /// Whether `t` is preceded by `.`, `?.`, `->` or `::`.
    pub fn after_member(&self, t: usize) -> bool {
        t > 0 && MEMBER.iter().any(|m| self.is(t - 1, m))
    }

    /// The name a member call hangs off: `requests` in `requests.post`,
    /// `objects` in `User.objects.get`, the callee of `f(x).get`.
    pub fn receiver(&self, t: usize) -> Option<usize> {
        if !self.after_member(t) || t < 2 {
            return None;
        }
        let before = t - 2;
        if self.is(before, ")") || self.is(before, "]") {
            let open = self.partner(before)?;
            return (open > 0 && self.is_ident(open - 1)).then(|| open - 1);
        }
        self.is_ident(before).then_some(before)
    }

    /// Whether the receiver of `t`, split into words (`dbPool` gives
    /// `db`, `pool`), has one of `words` as a whole word.
    pub fn receiver_has_word(&self, t: usize, words: &[&str]) -> bool {
        split_words(self.receiver_text(t))
            .iter()
            .any(|w| words.contains(&w.as_str()))
    }

    /// `receiver.name` spelled out, e.g. `requests` for `requests.post`.
    pub fn receiver_text(&self, t: usize) -> &'a str {
        self.receiver(t).map_or("", |r| self.text(r))
    }

    /// Argument tokens of the call whose name is `t`: inside the parens, or
    /// for Ruby calls without parens, the rest of the line.
    pub fn args(&self, t: usize) -> Option<Range<usize>> {
        if self.is(t + 1, "(") {
            let close = self.partner(t + 1)?;
            return Some(t + 2..close);
        }
        if self.language == Language::Ruby {
            let first = t + 1;
            let tok = self.tokens.get(first)?;
            if tok.first_on_line || self.is(first, ".") || self.is(first, "=") {
                return None;
            }
            let mut j = first;
            while j < self.len() && !self.tokens[j].first_on_line {
                if self.is(j, "do") {
                    break;
                }
                j = self.skip_group(j);
            }
            return Some(first..j);
        }
        None
    }

    /// Step over token `j`, jumping over a whole bracket group when `j`
    /// opens one.
    pub fn skip_group(&self, j: usize) -> usize {
        if matches!(self.text(j), "(" | "[" | "{") && self.kind(j) == Some(Kind::Punct) {
            if let Some(p) = self.partner(j) {
                return p + 1;
            }
        }
        j + 1
    }

    /// Split an argument range at top-level commas.
    pub fn split_args(&self, range: Range<usize>) -> Vec<Range<usize>> {
        let mut parts = Vec::new();
        let mut start = range.start;
        let mut j = range.start;
        while j < range.end {
            if self.is(j, ",") {
                parts.push(start..j);
                start = j + 1;
                j += 1;
                continue;
            }
            j = self.skip_group(j);
        }
        if start < range.end {
            parts.push(start..range.end.min(self.len()));
        }
        parts
    }

    /// Any identifier or string in `range` whose lower-cased text contains
    /// one of `needles` (underscores and dashes ignored).
    pub fn mentions(&self, range: Range<usize>, needles: &[&str]) -> bool {
        let end = range.end.min(self.len());
        if range.start >= end {
            return false;
        }
        let from = self.squashed_at[range.start] as usize;
        let to = self.squashed_at[end] as usize;
        let slice = self.squashed.get(from..to).unwrap_or("");
        needles.iter().any(|n| slice.contains(n))
    }

    fn index_words(&mut self) {
        let mut squashed = String::with_capacity(self.text.len() / 2);
        let mut at = Vec::with_capacity(self.len() + 1);
        for t in 0..self.len() {
            at.push(squashed.len() as u32);
            if matches!(self.kind(t), Some(Kind::Ident | Kind::Str)) {
                squashed.extend(
                    self.text(t)
                        .chars()
                        .filter(|c| *c != '_' && *c != '-' && *c != '\n')
                        .flat_map(char::to_lowercase),
                );
                squashed.push('\n');
            }
        }
        at.push(squashed.len() as u32);
        self.squashed = squashed;
        self.squashed_at = at;
    }

    /// Any identifier in `range` whose squashed text contains one of
    /// `needles`; strings do not count (`"X-Timeout"` is not a timeout).
    pub fn mentions_ident(&self, range: Range<usize>, needles: &[&str]) -> bool {
        let end = range.end.min(self.len());
        (range.start..end).any(|j| {
            self.kind(j) == Some(Kind::Ident) && {
                let word = squash(self.text(j));
                needles.iter().any(|n| word.contains(n))
            }
        })
    }

    /// Whole-file version of [`Source::mentions`], computed once per
    /// needle list.
    pub fn file_mentions(&self, needles: &'static [&'static str]) -> bool {
        self.cached_mentions(NONE, needles)
    }

    /// Whether the function holding `t` (header and decorators included),
    /// or the whole file outside any function, mentions one of `needles`.
    pub fn scope_mentions(&self, t: usize, needles: &'static [&'static str]) -> bool {
        let index = self.scope_of.get(t).copied().unwrap_or(NONE);
        self.cached_mentions(index, needles)
    }

    fn cached_mentions(&self, index: u32, needles: &'static [&'static str]) -> bool {
        let key = (index, needles.as_ptr() as usize);
        if let Some(&known) = self.mention_cache.borrow().get(&key) {
            return known;
        }
        let range = self
            .scopes
            .get(index as usize)
            .map_or(0..self.len(), |s| s.header_start..s.body_end);
        let answer = self.mentions(range, needles);
        self.mention_cache.borrow_mut().insert(key, answer);
        answer
    }

    /// Whether code outside every function (module or class level, where
    /// `before_action`, `app.use(...)` and decorators on classes live)
    /// mentions one of `needles`.
    pub fn outside_functions_mentions(&self, needles: &[&str]) -> bool {
        let mut t = 0;
        while t < self.len() {
            if self.scope_of[t] != NONE {
                t += 1;
                continue;
            }
            let start = t;
            while t < self.len() && self.scope_of[t] == NONE {
                t += 1;
            }
            if self.mentions(start..t, needles) {
                return true;
            }
        }
        false
    }

    /// Cheap test for "a call with arguments": `(` follows, or in Ruby an
    /// argument follows on the same line.
    pub fn has_args(&self, t: usize) -> bool {
        if self.is(t + 1, "(") {
            return true;
        }
        self.language == Language::Ruby
            && self.tokens.get(t + 1).is_some_and(|next| {
                !next.first_on_line
                    && !matches!(
                        self.text(t + 1),
                        "." | "=" | ")" | "]" | "}" | "," | "&&" | "||" | "?" | ":"
                    )
            })
    }

    /// The extent of a member chain around `t`: `User.objects.filter(x).all()`.
    pub fn chain(&self, t: usize) -> Range<usize> {
        let mut start = t;
        let mut steps = 0;
        while start >= 2 && self.after_member(start) && steps < 64 {
            steps += 1;
            let before = start - 2;
            if self.is(before, ")") || self.is(before, "]") {
                match self.partner(before) {
                    Some(open) if open > 0 && self.is_ident(open - 1) => start = open - 1,
                    Some(open) if open > 0 && self.is(open - 1, ">") => {
                        match self.turbofish_start(open - 1) {
                            Some(ident) => start = ident,
                            None => {
                                start = open;
                                break;
                            }
                        }
                    }
                    Some(open) => {
                        start = open;
                        break;
                    }
                    None => break,
                }
            } else if self.is_ident(before) {
                start = before;
            } else {
                break;
            }
        }
        let mut end = t + 1;
        steps = 0;
        while end < self.len() && steps < 64 {
            steps += 1;
            if self.is(end, "(") || self.is(end, "[") {
                end = self.skip_group(end);
            } else if self.is(end, "?") && self.language == Language::Rust {
                end += 1;
            } else if MEMBER.iter().any(|m| self.is(end, m)) && self.is_ident(end + 1) {
                end += 2;
            } else {
                break;
            }
        }
        start..end.min(self.len())
    }

    /// `query_as::<_, User>` ending at `>` (token `close`): the identifier
    /// before `::<`.
    fn turbofish_start(&self, close: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut j = close;
        for _ in 0..64 {
            match self.text(j) {
                ">" => depth += 1,
                "<" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return (j >= 2 && self.is(j - 1, "::") && self.is_ident(j - 2))
                            .then(|| j - 2);
                    }
                }
                _ => {}
            }
            j = j.checked_sub(1)?;
        }
        None
    }

    /// The call as written, groups elided: `User.objects.get`,
    /// `sqlx::query_as::<_, User>(...).bind(...).fetch_one`.
    pub fn call_path(&self, t: usize) -> String {
        let chain = self.chain(t);
        let mut out = String::new();
        let mut j = chain.start;
        while j <= t && j < self.len() && out.len() < 80 {
            if self.is(j, "(") || self.is(j, "[") {
                out.push_str(if self.is(j, "(") { "(...)" } else { "[...]" });
                j = self.skip_group(j);
                continue;
            }
            out.push_str(self.text(j));
            if self.is(j, ",") {
                out.push(' ');
            }
            j += 1;
        }
        out
    }

    /// From `t` to the end of its statement: `;`, an enclosing closing
    /// bracket, or (in languages without semicolons) a new line that does
    /// not continue a chain. Bounded, so hostile input stays linear.
    pub fn statement_end(&self, t: usize) -> usize {
        let newline_ends = matches!(
            self.language,
            Language::Python | Language::Ruby | Language::Go
        );
        let mut j = t;
        let mut steps = 0;
        while j < self.len() && steps < 4096 {
            steps += 1;
            let text = self.text(j);
            if self.kind(j) == Some(Kind::Punct) {
                match text {
                    "(" | "[" | "{" => {
                        j = self.skip_group(j);
                        continue;
                    }
                    ")" | "]" | "}" | ";" => return j,
                    _ => {}
                }
            }
            if j > t && newline_ends && self.tokens[j].first_on_line && !self.is(j, ".") {
                return j;
            }
            j += 1;
        }
        j.min(self.len())
    }

    fn match_groups(&mut self) {
        let ruby = self.language == Language::Ruby;
        let mut stack: Vec<(usize, u8)> = Vec::new();
        let mut loop_line: u32 = 0;
        for t in 0..self.len() {
            if let Some(&(top, _)) = stack.last() {
                self.parent[t] = top as u32;
            }
            let tok = self.tokens[t];
            let text = self.text(t);
            let opener = match (tok.kind, text) {
                (Kind::Punct, "(") => Some(b'('),
                (Kind::Punct, "[") => Some(b'['),
                (Kind::Punct, "{") => Some(b'{'),
                (Kind::Ident, _) if ruby && self.ruby_opens(t) => {
                    if matches!(text, "while" | "until" | "for") {
                        loop_line = tok.line;
                    }
                    if text == "do" && loop_line == tok.line {
                        None
                    } else {
                        Some(b'k')
                    }
                }
                _ => None,
            };
            if let Some(kind) = opener {
                stack.push((t, kind));
                continue;
            }
            let closer = match (tok.kind, text) {
                (Kind::Punct, ")") => Some(b'('),
                (Kind::Punct, "]") => Some(b'['),
                (Kind::Punct, "}") => Some(b'{'),
                (Kind::Ident, "end") if ruby && !self.after_member(t) && !self.is(t + 1, ":") => {
                    Some(b'k')
                }
                _ => None,
            };
            if let Some(kind) = closer {
                if let Some(&(open, open_kind)) = stack.last() {
                    if open_kind == kind {
                        stack.pop();
                        self.partner[open] = t as u32;
                        self.partner[t] = open as u32;
                        self.parent[t] = stack.last().map_or(NONE, |&(p, _)| p as u32);
                    }
                }
            }
        }
    }

    fn ruby_opens(&self, t: usize) -> bool {
        if self.after_member(t) || self.is(t + 1, ":") {
            return false;
        }
        match self.text(t) {
            "def" | "module" | "do" | "begin" | "case" => true,
            "class" => true,
            "if" | "unless" | "while" | "until" | "for" => {
                let tok = self.tokens[t];
                tok.first_on_line
                    || (t > 0
                        && matches!(self.text(t - 1), "=" | "(" | ";" | "||=" | "return" | "<<"))
            }
            _ => false,
        }
    }

    fn mark_loops(&mut self) {
        let mut diff = vec![0i64; self.len() + 1];
        for t in 0..self.len() {
            if let Some(body) = self.loop_body(t) {
                if self.repeats_a_fixed_or_batched_count(self.loop_header(t, &body)) {
                    continue;
                }
                if body.start < body.end && body.end <= self.len() {
                    diff[body.start] += 1;
                    diff[body.end] -= 1;
                }
            }
        }
        let mut depth = 0i64;
        for (t, slot) in self.loop_depth.iter_mut().enumerate() {
            depth += diff[t];
            *slot = depth.max(0) as u32;
        }
    }

    /// What a loop iterates over: `x in y` of `for x in y:`, the receiver
    /// chain of `items.each`, the parens of `for (...)`.
    fn loop_header(&self, t: usize, body: &Range<usize>) -> Range<usize> {
        if self.after_member(t) {
            return self.chain(t).start.min(t.saturating_sub(2))..t;
        }
        if body.start <= t {
            // Python comprehension: from `for` to the closing bracket.
            let close = self.parent(t).and_then(|open| self.partner(open));
            return t + 1..close.unwrap_or(t + 1);
        }
        t + 1..body.start
    }

    /// Retry loops (`for _ in 0..5`, `for attempt in range(3)`), loops
    /// over literal lists (`for p in ["a", "b"]`) and batched loops
    /// (`for chunk in rows.chunks(500)`) repeat a fixed or deliberately
    /// small number of times; a query in them is not an N+1.
    fn repeats_a_fixed_or_batched_count(&self, header: Range<usize>) -> bool {
        const COUNTED: [&str; 9] = [
            "retry", "retries", "attempt", "tries", "chunk", "batch", "slice", "page", "backoff",
        ];
        if header.is_empty() {
            return false;
        }
        let header = header.start..header.end.min(header.start + 256).min(self.len());
        if self.mentions(header.clone(), &COUNTED) {
            return true;
        }
        const SCAFFOLD: [&str; 21] = [
            "for", "in", "of", "range", "let", "var", "const", "mut", "_", "i", "j", "k", "n",
            "int", "auto", "times", "upto", "step", "each", "as", "foreach",
        ];
        let mut has_number = false;
        let mut names_data = false;
        let mut j = header.start;
        while j < header.end {
            match self.kind(j) {
                Some(Kind::Num) => has_number = true,
                Some(Kind::Ident) if !SCAFFOLD.contains(&self.text(j)) => {
                    // The loop variable itself (`for x in`) is not data.
                    let loop_variable =
                        self.is(j + 1, "in") || self.is(j + 1, "of") || self.is(j + 1, ":=");
                    names_data |= !loop_variable;
                }
                Some(Kind::Punct) if self.is(j, "[") => {
                    // A literal list: only strings, numbers and commas inside.
                    let close = self.partner(j).unwrap_or(j);
                    let literal = (j + 1..close).all(|k| {
                        matches!(self.kind(k), Some(Kind::Str | Kind::Num)) || self.is(k, ",")
                    });
                    if literal && close > j + 1 {
                        return true;
                    }
                    j = close.max(j) + 1;
                    continue;
                }
                _ => {}
            }
            j += 1;
        }
        has_number && !names_data
    }

    /// The body of a loop that starts at token `t`, if one does.
    fn loop_body(&self, t: usize) -> Option<Range<usize>> {
        if !self.is_ident(t) {
            return None;
        }
        let word = self.text(t);
        let member = self.after_member(t);
        match self.language {
            Language::Python => {
                if member {
                    return None;
                }
                match word {
                    "for" | "while" if self.statement_start(t) => {
                        let colon = self.find_at_level(t + 1, ":", 4096)?;
                        Some(colon + 1..self.python_block_end(colon))
                    }
                    "for" => {
                        // Comprehension: the element expression repeats.
                        let open = self.parent(t)?;
                        Some(open + 1..t)
                    }
                    "map" | "filter" => self.args(t),
                    _ => None,
                }
            }
            Language::Ruby => {
                if member {
                    if !RUBY_LOOP_METHODS.contains(&word) {
                        return None;
                    }
                    let mut j = t + 1;
                    if self.is(j, "(") {
                        j = self.skip_group(j);
                    }
                    if self.is(j, "do") || self.is(j, "{") {
                        let end = self.partner(j)?;
                        return Some(j + 1..end);
                    }
                    return None;
                }
                match word {
                    "for" | "while" | "until" if self.partner(t).is_some() => {
                        let end = self.partner(t)?;
                        let mut start = t + 1;
                        while start < end && !self.tokens[start].first_on_line {
                            start = self.skip_group(start);
                        }
                        Some(start..end)
                    }
                    "loop" if self.is(t + 1, "do") || self.is(t + 1, "{") => {
                        Some(t + 2..self.partner(t + 1)?)
                    }
                    _ => None,
                }
            }
            Language::JavaScript | Language::TypeScript | Language::Java | Language::Php => {
                if member {
                    return BRACE_LOOP_METHODS
                        .contains(&word)
                        .then(|| self.args(t))
                        .flatten();
                }
                match word {
                    "for" | "while" | "foreach" => {
                        let mut open = t + 1;
                        if self.is(open, "await") || self.is(open, "each") {
                            open += 1;
                        }
                        if !self.is(open, "(") {
                            return None;
                        }
                        let close = self.partner(open)?;
                        if self.is(close + 1, "{") {
                            Some(close + 2..self.partner(close + 1)?)
                        } else {
                            Some(close + 1..self.statement_end(close + 1))
                        }
                    }
                    "do" if self.is(t + 1, "{") => Some(t + 2..self.partner(t + 1)?),
                    "array_map" | "array_walk" | "array_filter" => self.args(t),
                    _ => None,
                }
            }
            Language::Go => {
                if word != "for" || member {
                    return None;
                }
                let open = self.find_at_level(t + 1, "{", 512)?;
                Some(open + 1..self.partner(open)?)
            }
            Language::Rust => {
                if member {
                    return RUST_LOOP_METHODS
                        .contains(&word)
                        .then(|| self.args(t))
                        .flatten();
                }
                match word {
                    "for" if !self.is(t + 1, "<") && !self.rust_impl_for(t) => {
                        let open = self.find_at_level(t + 1, "{", 512)?;
                        Some(open + 1..self.partner(open)?)
                    }
                    "while" | "loop" => {
                        let open = self.find_at_level(t + 1, "{", 512)?;
                        Some(open + 1..self.partner(open)?)
                    }
                    _ => None,
                }
            }
        }
    }

    fn rust_impl_for(&self, t: usize) -> bool {
        let mut j = t;
        let mut steps = 0;
        while j > 0 && steps < 64 {
            j -= 1;
            steps += 1;
            match self.text(j) {
                "impl" => return true,
                ";" | "{" | "}" => return false,
                _ => {}
            }
        }
        false
    }

    /// First token at the same bracket level as `from` spelled `word`,
    /// stopping at a closing bracket or `;`.
    pub fn find_at_level(&self, from: usize, word: &str, limit: usize) -> Option<usize> {
        let mut j = from;
        let mut steps = 0;
        while j < self.len() && steps < limit {
            steps += 1;
            if self.is(j, word) {
                return Some(j);
            }
            if matches!(self.text(j), ")" | "]" | "}" | ";") && self.kind(j) == Some(Kind::Punct) {
                return None;
            }
            j = self.skip_group(j);
        }
        None
    }

    fn statement_start(&self, t: usize) -> bool {
        self.tokens[t].first_on_line || (t > 0 && self.is(t - 1, "async"))
    }

    /// End of the Python block whose header ends with the colon `colon`.
    fn python_block_end(&self, colon: usize) -> usize {
        let header_line = self.tokens[colon].line;
        let header_indent = self.tokens[colon].indent;
        let mut j = colon + 1;
        let same_line = self
            .tokens
            .get(j)
            .is_some_and(|tok| tok.line == header_line);
        while j < self.len() {
            let tok = self.tokens[j];
            if tok.first_on_line && (same_line || tok.indent <= header_indent) {
                return j;
            }
            j = self.skip_group(j);
        }
        self.len()
    }

    fn find_scopes(&mut self) {
        let mut scopes = Vec::new();
        for t in 0..self.len() {
            if let Some(scope) = self.scope_at_token(t) {
                if scope.body_start <= scope.body_end && scope.body_end <= self.len() {
                    scopes.push(scope);
                }
            }
        }
        scopes.sort_by(|a, b| {
            a.body_start
                .cmp(&b.body_start)
                .then(b.body_end.cmp(&a.body_end))
        });
        // Sweep: the innermost scope containing each token.
        let mut stack: Vec<usize> = Vec::new();
        let mut next = 0;
        for t in 0..self.len() {
            while stack.last().is_some_and(|&s| scopes[s].body_end <= t) {
                stack.pop();
            }
            while next < scopes.len() && scopes[next].body_start <= t {
                if scopes[next].body_end > t {
                    while stack
                        .last()
                        .is_some_and(|&s| scopes[s].body_end < scopes[next].body_end)
                    {
                        stack.pop();
                    }
                    stack.push(next);
                }
                next += 1;
            }
            if let Some(&s) = stack.last() {
                self.scope_of[t] = s as u32;
            }
        }
        self.scopes = scopes;
    }

    fn scope_at_token(&self, t: usize) -> Option<Scope> {
        let word = self.text(t);
        let kind = self.kind(t)?;
        match self.language {
            Language::Python if kind == Kind::Ident && word == "def" => {
                if !self.statement_start(t) {
                    return None;
                }
                let name = t + 1;
                let colon = self.find_at_level(self.skip_group(name + 1), ":", 256)?;
                let header_start = self.python_decorators_start(t);
                Some(self.make_scope(name, header_start, colon + 1, self.python_block_end(colon)))
            }
            Language::Ruby if kind == Kind::Ident => match word {
                "def" => {
                    let end = self.partner(t)?;
                    let mut name = t + 1;
                    if self.is(name, "self") && self.is(name + 1, ".") {
                        name += 2;
                    }
                    Some(self.make_scope(name, t, name + 1, end))
                }
                "get" | "post" | "put" | "patch" | "delete"
                    if self.tokens[t].first_on_line && self.is_str(t + 1) =>
                {
                    let open = self.find_at_level(t + 1, "do", 64)?;
                    let end = self.partner(open)?;
                    let mut scope = self.make_scope(t + 1, t, open + 1, end);
                    scope.route = true;
                    Some(scope)
                }
                _ => None,
            },
            Language::Go if kind == Kind::Ident && word == "func" => {
                let mut j = t + 1;
                if self.is(j, "(") && self.is_ident(self.skip_group(j)) {
                    j = self.skip_group(j);
                }
                let name = if self.is_ident(j) { j } else { t };
                let open = self.find_at_level(j, "{", 256)?;
                Some(self.make_scope(name, self.header_start(t), open + 1, self.partner(open)?))
            }
            Language::Rust if kind == Kind::Ident && word == "fn" => {
                let open = self.find_at_level(t + 1, "{", 512)?;
                Some(self.make_scope(t + 1, self.header_start(t), open + 1, self.partner(open)?))
            }
            Language::JavaScript | Language::TypeScript | Language::Php | Language::Java => {
                self.brace_scope(t)
            }
            _ => None,
        }
    }

    fn brace_scope(&self, t: usize) -> Option<Scope> {
        let word = self.text(t);
        let kind = self.kind(t)?;
        // Route registration: app.post('/webhook', handler) / Route::post(...).
        if kind == Kind::Ident
            && self.after_member(t)
            && ROUTE_METHODS.contains(&word)
            && self.is(t + 1, "(")
            && self.is_str(t + 2)
            && self.inner(t + 2).starts_with('/')
        {
            let close = self.partner(t + 1)?;
            let start = self.chain(t).start;
            let mut scope = self.make_scope(t + 2, start, t + 2, close);
            scope.route = true;
            return Some(scope);
        }
        if kind == Kind::Ident && word == "function" {
            let (name, params) = if self.is_ident(t + 1) {
                (t + 1, t + 2)
            } else {
                (self.assigned_name(t).unwrap_or(t), t + 1)
            };
            if !self.is(params, "(") {
                return None;
            }
            let open = self.find_at_level(self.skip_group(params), "{", 64)?;
            return Some(self.make_scope(
                name,
                self.header_start(t),
                open + 1,
                self.partner(open)?,
            ));
        }
        if kind == Kind::Punct && (word == "=>" || word == "->") && self.is(t + 1, "{") {
            if word == "->" && self.language == Language::Php {
                return None;
            }
            let end = self.partner(t + 1)?;
            let params = if t > 0 && self.is(t - 1, ")") {
                self.partner(t - 1)?
            } else {
                t.checked_sub(1)?
            };
            let mut before = params;
            if before > 0 && self.is(before - 1, "async") {
                before -= 1;
            }
            let name = self.assigned_name(before).unwrap_or(t);
            return Some(self.make_scope(name, self.header_start(before), t + 2, end));
        }
        // Method definition: name(params) [: Type | throws X] {
        if kind == Kind::Ident
            && self.is(t + 1, "(")
            && !self.after_member(t)
            && !CONTROL_WORDS.contains(&word)
            && self.language != Language::Php
        {
            let after = self.skip_group(t + 1);
            let open = if self.is(after, "{") {
                after
            } else if self.is(after, ":") || self.is(after, "throws") {
                let open = self.find_at_level(after, "{", 48)?;
                if (after..open).any(|j| matches!(self.text(j), "=>" | "=" | ";")) {
                    return None;
                }
                open
            } else {
                return None;
            };
            return Some(self.make_scope(t, self.header_start(t), open + 1, self.partner(open)?));
        }
        None
    }

    /// `name` in `const name = function` / `name: async (req) =>`.
    fn assigned_name(&self, t: usize) -> Option<usize> {
        if t < 2 {
            return None;
        }
        let op = t - 1;
        ((self.is(op, "=") || self.is(op, ":")) && self.is_ident(op - 1)).then(|| op - 1)
    }

    /// Walk back from a declaration over modifiers, annotations and
    /// attributes to the previous statement boundary.
    fn header_start(&self, t: usize) -> usize {
        let mut j = t;
        let mut steps = 0;
        while j > 0 && steps < 96 {
            steps += 1;
            let prev = j - 1;
            if matches!(self.text(prev), ";" | "{" | "}" | "=>")
                && self.kind(prev) == Some(Kind::Punct)
            {
                break;
            }
            if self.is(prev, ")") || self.is(prev, "]") {
                match self.partner(prev) {
                    Some(open) => j = open,
                    None => break,
                }
                continue;
            }
            j = prev;
        }
        j
    }

    fn python_decorators_start(&self, def: usize) -> usize {
        let mut start = if def > 0 && self.is(def - 1, "async") {
            def - 1
        } else {
            def
        };
        let indent = self.tokens[start].indent;
        let mut guard = 0;
        while start > 0 && guard < 64 {
            guard += 1;
            let mut p = start - 1;
            let mut steps = 0;
            while p > 0 && !self.tokens[p].first_on_line && steps < 256 {
                steps += 1;
                p = match self.parent(p) {
                    Some(open) if open < p => open,
                    _ => p - 1,
                };
            }
            if self.is(p, "@") && self.tokens[p].indent == indent {
                start = p;
            } else {
                break;
            }
        }
        start
    }

    fn make_scope(
        &self,
        name: usize,
        header_start: usize,
        body_start: usize,
        body_end: usize,
    ) -> Scope {
        let name_text = if self.is_str(name) {
            self.inner(name)
        } else {
            self.text(name)
        };
        let route = self.header_is_route(header_start..body_start.min(self.len()));
        Scope {
            name: name_text.to_string(),
            name_token: name,
            header_start,
            body_start,
            body_end,
            route,
        }
    }

    fn header_is_route(&self, header: Range<usize>) -> bool {
        let header = header.start..header.end.min(header.start + 512);
        let mut j = header.start;
        while j < header.end {
            if self.is(j, "@") || (self.is(j, "#") && self.is(j + 1, "[")) {
                let mut k = j + 1;
                if self.is(k, "[") {
                    k += 1;
                }
                let mut last = "";
                while k < header.end && (self.is_ident(k) || self.is(k, ".")) {
                    if self.is_ident(k) {
                        last = self.text(k);
                    }
                    k += 1;
                }
                let last = last.to_ascii_lowercase();
                if ROUTE_DECORATORS.contains(&last.as_str()) || last.ends_with("mapping") {
                    return true;
                }
            }
            j += 1;
        }
        false
    }
}

/// Split `STRIPE_SECRET_KEY` / `stripeSecretKey` / `api-key` into words.
pub fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Lower-case with `_` and `-` removed, so `api_key`, `apiKey` and
/// `API-KEY` compare equal.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

// Batch iterators (`find_in_batches`, `each_slice`, `in_batches`) are the
// fix for N+1, so they are not loops here.
const RUBY_LOOP_METHODS: [&str; 20] = [
    "each",
    "each_with_index",
    "each_with_object",
    "map",
    "flat_map",
    "collect",
    "select",
    "reject",
    "times",
    "find_each",
    "upto",
    "downto",
    "step",
    "filter_map",
    "sum",
    "group_by",
    "sort_by",
    "inject",
    "reduce",
    "each_pair",
];

const BRACE_LOOP_METHODS: [&str; 10] = [
    "forEach", "map", "flatMap", "filter", "reduce", "some", "every", "each", "for_each",
    "mapToObj",
];

const RUST_LOOP_METHODS: [&str; 6] = [
    "for_each",
    "map",
    "filter_map",
    "flat_map",
    "try_for_each",
    "fold",
];

const ROUTE_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "all", "route", "any",
];

const ROUTE_DECORATORS: [&str; 14] = [
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "route",
    "api_view",
    "path",
    "view_config",
    "websocket",
    "head",
    "options",
    "action",
    "endpoint",
];

const CONTROL_WORDS: [&str; 14] = [
    "if",
    "for",
    "while",
    "switch",
    "catch",
    "with",
    "synchronized",
    "return",
    "function",
    "foreach",
    "elseif",
    "typeof",
    "await",
    "new",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(language: Language, text: &str) -> Vec<(String, bool)> {
        let source = Source::new("x", text, language);
        source
            .scopes
            .iter()
            .map(|s| (s.name.clone(), s.route))
            .collect()
    }

    #[test]
    fn route_calls_and_closures_are_scopes() {
        let php =
            "<?php\nRoute::post('/webhooks/paddle', function (Request $request) {\n    x();\n});\n";
        assert_eq!(
            scopes(Language::Php, php),
            [
                ("/webhooks/paddle".to_string(), true),
                ("function".to_string(), false)
            ]
        );
        let py = "@app.post('/x')\nasync def create(req):\n    return 1\n";
        assert_eq!(scopes(Language::Python, py), [("create".to_string(), true)]);
    }

    #[test]
    fn loops_by_indentation_braces_and_end() {
        let py = "for x in xs:\n    a(x)\nb()\n";
        let source = Source::new("x.py", py, Language::Python);
        let a = (0..source.len())
            .find(|&t| source.text(t) == "a")
            .unwrap_or(0);
        let b = (0..source.len())
            .find(|&t| source.text(t) == "b")
            .unwrap_or(0);
        assert!(source.in_loop(a) && !source.in_loop(b));
        let rb = "items.each do |i|\n  a(i)\nend\nb\n";
        let source = Source::new("x.rb", rb, Language::Ruby);
        let a = (0..source.len())
            .find(|&t| source.text(t) == "a")
            .unwrap_or(0);
        let b = (0..source.len())
            .find(|&t| source.text(t) == "b")
            .unwrap_or(0);
        assert!(source.in_loop(a) && !source.in_loop(b));
    }

    #[test]
    fn call_path_spells_the_chain() {
        let rs = "let u = sqlx::query_as::<_, User>(\"SELECT 1\").bind(id).fetch_one(pool);";
        let source = Source::new("x.rs", rs, Language::Rust);
        let fetch = (0..source.len())
            .find(|&t| source.text(t) == "fetch_one")
            .unwrap_or(0);
        assert_eq!(
            source.call_path(fetch),
            "sqlx::query_as::<_, User>(...).bind(...).fetch_one"
        );
    }
}
