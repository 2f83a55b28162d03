//! Code, comment and blank lines of a file, exactly as `tokei` counts them
//! (its language table, rules and quirks), counted by our own loop.
//!
//! tokei's engine tests every byte of a line with important syntax against
//! every token of the language (a dozen `starts_with` calls per byte) and
//! hands each file to `rayon::join` and `par_bridge`. This counter runs the
//! same state machine (same tokens, from tokei's own language table; same
//! order of checks; same quirks) but jumps straight to the next byte that
//! can start a token, and keeps each file on one thread. The figures must be
//! tokei's, file for file: the tests compare the two on generated text for
//! every language, `fuzz/fuzz_targets/line_counts.rs` on fuzzed text, and
//! `scripts/bench-audit` on whole public trees.
//!
//! Embedded code is counted as tokei counts it: Markdown code fences and
//! `<script>`, `<style>` and `<template>` blocks of HTML, Vue, Svelte and
//! the like (by tokei's own patterns), and Rust doc blocks (as Markdown).
//! Lingua Franca blocks and Jupyter notebooks are left to tokei: see
//! [`Syntax::for_language`].

use std::collections::HashMap;

use regex::bytes::Regex;
use tokei::{Config, LanguageType};

/// Lines of one file, by class, with embedded blocks folded in (as tokei's
/// `CodeStats::summarise` does).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LineCounts {
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
}

impl LineCounts {
    fn add(&mut self, other: LineCounts) {
        self.code += other.code;
        self.comments += other.comments;
        self.blanks += other.blanks;
    }
}

type Token = &'static [u8];
type Pair = (Token, Token);

/// One language's tokens, as tokei's language table gives them.
#[derive(Debug)]
struct Syntax {
    /// Markdown: code fences hold other languages.
    markdown: bool,
    /// HTML and its kin: `<script>`, `<style>` and `<template>` blocks hold
    /// other languages.
    html: bool,
    fortran: bool,
    literate: bool,
    allows_nested: bool,
    /// Rust: `///` and `//!` doc blocks are Markdown, counted as tokei does.
    rust_docs: bool,
    line_comments: Vec<Token>,
    /// Comments that nest whatever the language's rule.
    nested: Vec<Pair>,
    /// Multi-line comments then nested ones, the order tokei tries them in.
    any_multi_line: Vec<Pair>,
    doc_quotes: Vec<Pair>,
    verbatim_quotes: Vec<Pair>,
    quotes: Vec<Pair>,
    /// What sends a line (or the rest of a file) to the full analysis.
    important: Vec<Token>,
    important_first: [bool; 256],
    /// Bytes at which some check of the full analysis can fire.
    token_first: [bool; 256],
}

/// tokei's whitespace: space and \t \n \v \f \r (not `u8::is_ascii_whitespace`,
/// which leaves out \v).
fn is_space(byte: u8) -> bool {
    byte == b' ' || (b'\x09'..=b'\x0d').contains(&byte)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| !is_space(b)) {
        Some(start) => &bytes[start..],
        None => &[],
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let bytes = trim_start(bytes);
    match bytes.iter().rposition(|&b| !is_space(b)) {
        Some(end) => &bytes[..=end],
        None => bytes,
    }
}

fn bytes_of(tokens: &'static [&'static str]) -> Vec<Token> {
    tokens.iter().map(|t| t.as_bytes()).collect()
}

fn pairs_of(pairs: &'static [(&'static str, &'static str)]) -> Vec<Pair> {
    pairs
        .iter()
        .map(|(start, end)| (start.as_bytes(), end.as_bytes()))
        .collect()
}

fn mark_first(table: &mut [bool; 256], tokens: impl IntoIterator<Item = Token>) {
    for token in tokens {
        if let Some(&first) = token.first() {
            table[first as usize] = true;
        }
    }
}

impl Syntax {
    /// The syntax of a language this counter handles, or `None` for the
    /// ones tokei must count itself (Lingua Franca's target blocks, Jupyter
    /// notebooks' JSON).
    fn for_language(language: LanguageType) -> Option<Syntax> {
        use LanguageType as L;
        if matches!(language, L::LinguaFranca | L::Jupyter) {
            return None;
        }
        let multi_line = pairs_of(language.multi_line_comments());
        let nested = pairs_of(language.nested_comments());
        let any_multi_line: Vec<Pair> = multi_line.iter().chain(&nested).copied().collect();
        let markdown = matches!(language, L::Markdown | L::UnrealDeveloperMarkdown);
        let syntax = Syntax {
            markdown,
            html: matches!(
                language,
                L::Html | L::RubyHtml | L::Svelte | L::Vue | L::GlimmerJs | L::GlimmerTs
            ),
            fortran: matches!(language, L::FortranModern | L::FortranLegacy),
            literate: language.is_literate(),
            allows_nested: language.allows_nested(),
            rust_docs: language == L::Rust,
            line_comments: bytes_of(language.line_comments()),
            doc_quotes: pairs_of(language.doc_quotes()),
            verbatim_quotes: pairs_of(language.verbatim_quotes()),
            quotes: pairs_of(language.quotes()),
            important: bytes_of(language.important_syntax()),
            nested,
            any_multi_line,
            important_first: [false; 256],
            token_first: [false; 256],
        };
        // A fence is the only thing that changes a Markdown line's class;
        // were tokei to give Markdown strings or comments, the order of
        // checks would matter and tokei would have to count it.
        if markdown
            && !(syntax.quotes.is_empty()
                && syntax.doc_quotes.is_empty()
                && syntax.verbatim_quotes.is_empty()
                && syntax.any_multi_line.is_empty()
                && syntax.line_comments.is_empty())
        {
            return None;
        }
        Some(syntax.with_tables())
    }

    fn with_tables(mut self) -> Syntax {
        mark_first(&mut self.important_first, self.important.iter().copied());
        let table = &mut self.token_first;
        for pairs in [
            &self.doc_quotes,
            &self.verbatim_quotes,
            &self.quotes,
            &self.any_multi_line,
        ] {
            mark_first(table, pairs.iter().map(|p| p.0));
            mark_first(table, pairs.iter().map(|p| p.1));
        }
        mark_first(table, self.line_comments.iter().copied());
        // Escapes are looked for in every mode.
        table[b'\\' as usize] = true;
        if self.rust_docs {
            // A doc block is looked for past any run of whitespace.
            table[b'/' as usize] = true;
            for byte in 0..=255u8 {
                if is_space(byte) {
                    table[byte as usize] = true;
                }
            }
        }
        self
    }

    /// Where the first important token starts, if any.
    fn first_important(&self, text: &[u8]) -> Option<usize> {
        (0..text.len()).find(|&at| {
            self.important_first[text[at] as usize]
                && self.important.iter().any(|t| text[at..].starts_with(t))
        })
    }

    fn starts_line_comment(&self, line: &[u8]) -> bool {
        self.line_comments.iter().any(|c| line.starts_with(c))
    }
}

/// Every language's syntax, built once, and tokei's Markdown fence patterns.
#[derive(Debug)]
pub struct Syntaxes {
    by_language: HashMap<LanguageType, Option<Syntax>>,
    /// An opening fence with a language: ```` ```rust ````.
    fence_open: Regex,
    /// A closing fence.
    fence_close: Regex,
    /// tokei's opening and closing tags of embedded blocks.
    tags: [BlockTag; 3],
}

/// `<script>`, `<style>` or `<template>`: the opening tag (its one group,
/// the `type` or `lang` attribute, names the language), the closing tag,
/// and how the name is read.
#[derive(Debug)]
struct BlockTag {
    open: Regex,
    /// tokei's closing pattern is this literal text.
    close: &'static [u8],
    /// The language when the tag does not name one.
    default: LanguageType,
    /// Named by MIME type (`text/babel`), not by language name.
    by_mime: bool,
}

impl BlockTag {
    fn new(open: &str, close: &'static str, default: LanguageType, by_mime: bool) -> BlockTag {
        BlockTag {
            open: Regex::new(open).expect("a valid constant pattern"),
            close: close.as_bytes(),
            default,
            by_mime,
        }
    }

    /// tokei keeps the first match of the opening tag in a line: the whole
    /// match and its group, as (start, end) in `text`.
    fn in_line(&self, text: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
        self.open
            .captures(&text[start..end])
            .map(|c| {
                c.iter()
                    .flatten()
                    .map(|m| (start + m.start(), start + m.end()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn language(&self, name: &[u8]) -> Option<LanguageType> {
        let name = String::from_utf8_lossy(trim(name));
        if self.by_mime {
            LanguageType::from_mime(&name)
        } else {
            name.to_lowercase().parse().ok()
        }
    }
}

/// tokei's `trim_first_and_last_line_of_whitespace`, quirks and all: it
/// drops everything up to and including the first newline or other
/// non-space byte, and trailing whitespace after the last one.
fn trim_first_and_last_line(bytes: &[u8]) -> &[u8] {
    let marks = |b: &u8| *b == b'\n' || !is_space(*b);
    let start = bytes
        .iter()
        .position(marks)
        .map_or(0, |i| (i + 1).min(bytes.len().saturating_sub(1)));
    let end = match bytes.iter().rposition(marks) {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' && bytes[i] == b'\n' => i - 1,
        Some(i) => i,
        None => bytes.len().saturating_sub(1),
    };
    bytes.get(start..=end).unwrap_or_default()
}

/// Embedded code inside embedded code (a fence in a Rust doc block in a
/// fence...) is followed this deep; deeper, fences and doc blocks count as
/// plain lines, so hostile nesting cannot exhaust the stack.
const MAX_DEPTH: u8 = 12;

impl Default for Syntaxes {
    fn default() -> Self {
        Syntaxes::new()
    }
}

impl Syntaxes {
    pub fn new() -> Syntaxes {
        let by_language = LanguageType::list()
            .iter()
            .map(|(language, _)| (*language, Syntax::for_language(*language)))
            .collect();
        Syntaxes {
            by_language,
            fence_open: Regex::new(r"```\S+\s").expect("a valid constant pattern"),
            fence_close: Regex::new(r"```\s?").expect("a valid constant pattern"),
            tags: [
                BlockTag::new(
                    r#"<script(?:.*type="(.*)")?.*?>"#,
                    "</script>",
                    LanguageType::JavaScript,
                    true,
                ),
                BlockTag::new(
                    r#"<style(?:.*lang="(.*)")?.*?>"#,
                    "</style>",
                    LanguageType::Css,
                    false,
                ),
                BlockTag::new(
                    r#"<template(?:.*lang="(.*)")?.*?>"#,
                    "</template>",
                    LanguageType::Html,
                    false,
                ),
            ],
        }
    }

    /// Count `text` as tokei's `parse_from_slice(text).summarise()` would.
    pub fn count(&self, language: LanguageType, text: &[u8], config: &Config) -> LineCounts {
        self.count_at(language, text, config, 0)
    }

    fn count_at(
        &self,
        language: LanguageType,
        text: &[u8],
        config: &Config,
        depth: u8,
    ) -> LineCounts {
        let Some(syntax) = self.by_language.get(&language).and_then(Option::as_ref) else {
            let stats = language.parse_from_slice(text, config).summarise();
            return LineCounts {
                code: stats.code as u64,
                comments: stats.comments as u64,
                blanks: stats.blanks as u64,
            };
        };
        let state = || State::new(self, syntax, config, depth);
        // tokei counts the lines before the line holding the first
        // important token the simple way, the rest with the state machine.
        let split = syntax.first_important(text).and_then(|at| {
            let newline = text[..=at].iter().rposition(|&b| b == b'\n')?;
            (newline != at).then_some(newline)
        });
        match split {
            Some(newline) => {
                let mut counts = simple(syntax, &text[..=newline]);
                counts.add(state().lines(&text[newline + 1..]));
                counts
            }
            None => state().lines(text),
        }
    }
}

/// Lines with no important token: blank, a line comment, or code.
fn simple(syntax: &Syntax, text: &[u8]) -> LineCounts {
    let mut counts = LineCounts::default();
    for line in text.split_inclusive(|&b| b == b'\n') {
        // Fortran's comments count only from the first column.
        let line = if syntax.fortran { line } else { trim(line) };
        if trim(line).is_empty() {
            counts.blanks += 1;
        } else if syntax.literate || syntax.starts_line_comment(line) {
            counts.comments += 1;
        } else {
            counts.code += 1;
        }
    }
    counts
}

/// What the analysis of one line found.
enum Analysis {
    Normal,
    /// Embedded code (a Markdown fence, an HTML block, a Rust doc block): its lines
    /// counted, and where counting goes on.
    Embedded {
        resume_at: usize,
        counts: LineCounts,
    },
}

/// The state machine: inside a string (`quote`, its closing token), inside
/// comments (`stack` of closing tokens), or plain.
struct State<'a> {
    syntaxes: &'a Syntaxes,
    syntax: &'a Syntax,
    config: &'a Config,
    /// How deep in embedded code this text is; at [`MAX_DEPTH`] nothing
    /// more is embedded.
    depth: u8,
    quote: Option<Token>,
    quote_is_doc: bool,
    quote_is_verbatim: bool,
    stack: Vec<Token>,
    /// Per block tag, the last search for its closing tag: from where, and
    /// what it found. A file of opening tags that never close would
    /// otherwise search the rest of the file once per line.
    closes: [Option<(usize, Option<usize>)>; 3],
}

impl<'a> State<'a> {
    fn new(syntaxes: &'a Syntaxes, syntax: &'a Syntax, config: &'a Config, depth: u8) -> State<'a> {
        State {
            syntaxes,
            syntax,
            config,
            depth,
            quote: None,
            quote_is_doc: false,
            quote_is_verbatim: false,
            stack: Vec::new(),
            closes: [None; 3],
        }
    }

    fn plain(&self) -> bool {
        self.quote.is_none() && self.stack.is_empty()
    }

    fn lines(&mut self, text: &[u8]) -> LineCounts {
        let mut counts = LineCounts::default();
        // tokei stops looking at a line once the rest of the *file* is
        // whitespace.
        let content_end = text
            .iter()
            .rposition(|&b| !is_space(b))
            .map_or(0, |i| i + 1);
        let mut start = 0;
        while start < text.len() {
            let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |n| start + n + 1);
            let raw = &text[start..end];
            let line = if self.syntax.fortran { raw } else { trim(raw) };
            if self.plain() {
                if trim(line).is_empty() {
                    counts.blanks += 1;
                    start = end;
                    continue;
                }
                if !self.important_in(line) {
                    if self.syntax.literate || self.syntax.starts_line_comment(line) {
                        counts.comments += 1;
                    } else {
                        counts.code += 1;
                    }
                    start = end;
                    continue;
                }
            }
            let started_in_comments = !self.stack.is_empty()
                || (self.config.treat_doc_strings_as_comments == Some(true)
                    && self.quote.is_some()
                    && self.quote_is_doc);
            match self.analyse(text, start, end, content_end) {
                Analysis::Normal => {}
                Analysis::Embedded {
                    resume_at,
                    counts: embedded,
                } => {
                    counts.add(embedded);
                    start = resume_at;
                    continue;
                }
            }
            if self.syntax.literate || self.line_is_comment(line, started_in_comments) {
                counts.comments += 1;
            } else {
                counts.code += 1;
            }
            start = end;
        }
        counts
    }

    fn important_in(&self, line: &[u8]) -> bool {
        let syntax = self.syntax;
        line.iter().enumerate().any(|(at, &b)| {
            syntax.important_first[b as usize]
                && syntax.important.iter().any(|t| line[at..].starts_with(t))
        })
    }

    /// tokei's `perform_multi_line_analysis` for `text[start..end]`; a
    /// window is the rest of the file from a position, so tokens may run
    /// past the line's end.
    fn analyse(&mut self, text: &[u8], start: usize, end: usize, content_end: usize) -> Analysis {
        let syntax = self.syntax;
        let embeds = self.depth < MAX_DEPTH;
        if syntax.markdown {
            // Nothing but a fence changes anything in Markdown (checked in
            // `Syntax::for_language`).
            return if embeds {
                self.fence(text, start, end)
            } else {
                Analysis::Normal
            };
        }
        let stop = end.min(content_end);
        // Where a tag's match (or its group) starts, a block may begin.
        let tags: Vec<Vec<(usize, usize)>> = if syntax.html && embeds {
            let tags = &self.syntaxes.tags;
            tags.iter().map(|t| t.in_line(text, start, end)).collect()
        } else {
            Vec::new()
        };
        let tag_at = |at: usize| tags.iter().flatten().any(|&(s, _)| s == at);
        let mut at = start;
        'bytes: while at < stop {
            let may_start =
                syntax.token_first[text[at] as usize] || (!tags.is_empty() && tag_at(at));
            if !may_start {
                at += 1;
                continue;
            }
            let window = &text[at..];
            // The end of a string, an escape, or the end of a comment.
            if let Some(quote) = self.quote {
                if window.starts_with(quote) {
                    self.quote = None;
                    at += quote.len();
                    continue;
                }
            }
            if !self.quote_is_verbatim && window.starts_with(b"\\") {
                let escaped = &window[1..];
                if escaped.starts_with(b"\\")
                    || syntax
                        .quotes
                        .iter()
                        .any(|(open, _)| escaped.starts_with(open))
                {
                    at += 2;
                    continue;
                }
            }
            if let Some(&close) = self.stack.last() {
                if window.starts_with(close) {
                    self.stack.pop();
                    at += close.len();
                    continue;
                }
            }
            if self.quote.is_some() {
                at += 1;
                continue;
            }
            if !tags.is_empty() && self.stack.is_empty() && tag_at(at) {
                if let Some(block) = self.block(text, at, &tags) {
                    return block;
                }
            }
            if syntax.rust_docs && embeds && self.stack.is_empty() {
                let next = at
                    + text[at..]
                        .iter()
                        .position(|&b| !is_space(b))
                        .unwrap_or(text.len() - at);
                let rest = &text[next..];
                if rest.starts_with(b"///") || rest.starts_with(b"//!") {
                    return self.rust_docs(text, at, &rest[..3]);
                }
                if next > at {
                    // Whitespace starts no other token.
                    at = next;
                    continue;
                }
            }
            if self.stack.is_empty() {
                let kinds = [
                    (&syntax.doc_quotes, true, false),
                    (&syntax.verbatim_quotes, false, true),
                    (&syntax.quotes, false, false),
                ];
                for (pairs, doc, verbatim) in kinds {
                    if let Some((open, close)) =
                        pairs.iter().find(|(open, _)| window.starts_with(open))
                    {
                        self.quote = Some(close);
                        self.quote_is_doc = doc;
                        self.quote_is_verbatim = verbatim;
                        at += open.len();
                        continue 'bytes;
                    }
                }
            }
            for &(open, close) in &syntax.any_multi_line {
                if window.starts_with(open) {
                    if self.stack.is_empty()
                        || syntax.allows_nested
                        || syntax.nested.contains(&(open, close))
                    {
                        self.stack.push(close);
                    }
                    at += open.len();
                    continue 'bytes;
                }
            }
            if self.stack.is_empty() && syntax.starts_line_comment(window) {
                break;
            }
            at += 1;
        }
        Analysis::Normal
    }

    /// A Rust doc block from `from`: every following line that (after
    /// whitespace, across lines) starts with the same marker, as Markdown.
    /// The line the block was found on is not counted (tokei's way).
    fn rust_docs(&self, text: &[u8], from: usize, marker: &[u8]) -> Analysis {
        let mut markdown = Vec::new();
        let mut resume_at = text.len();
        let mut start = from;
        while start < text.len() {
            let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |n| start + n + 1);
            if trim_start(&text[start..]).starts_with(marker) {
                let line = trim_start(&text[start..end]);
                markdown.extend_from_slice(&line[line.len().min(3)..]);
                resume_at = end;
            } else {
                resume_at = start;
                break;
            }
            start = end;
        }
        let counts = self.syntaxes.count_at(
            LanguageType::Markdown,
            trim(&markdown),
            self.config,
            self.depth + 1,
        );
        Analysis::Embedded { resume_at, counts }
    }

    /// A `<script>`, `<style>` or `<template>` block whose tag (or the
    /// tag's group) starts at `at`, as tokei finds it: the first of the
    /// three tags matching there decides, and its block must close and
    /// hold something. The tag's line counts as one line of code.
    fn block(&mut self, text: &[u8], at: usize, tags: &[Vec<(usize, usize)>]) -> Option<Analysis> {
        let syntaxes = self.syntaxes;
        let (which, captures) = tags
            .iter()
            .enumerate()
            .find(|(_, captures)| captures.iter().any(|&(s, _)| s == at))?;
        let tag = &syntaxes.tags[which];
        let index = captures.iter().position(|&(s, _)| s == at)?;
        let code_start = captures[index].1;
        let code_end = self.closing(which, text, code_start)?;
        let language = captures
            .get(index + 1)
            .and_then(|&(s, e)| tag.language(&text[s..e]))
            .unwrap_or(tag.default);
        let code = &text[code_start..code_end];
        if trim(code).is_empty() {
            return None;
        }
        let mut counts = self.syntaxes.count_at(
            language,
            trim_first_and_last_line(code),
            self.config,
            self.depth + 1,
        );
        counts.code += 1;
        Some(Analysis::Embedded {
            resume_at: code_end,
            counts,
        })
    }

    /// Where tag `which` next closes at or after `from`. A search from an
    /// earlier place answers a later one: nothing found then, nothing now;
    /// found at or past `from`, the same place.
    fn closing(&mut self, which: usize, text: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.closes[which] {
            if from >= searched_from {
                match found {
                    None => return None,
                    Some(at) if at >= from => return Some(at),
                    Some(_) => {}
                }
            }
        }
        let close = self.syntaxes.tags[which].close;
        let found = memchr::memmem::find(&text[from..], close).map(|i| from + i);
        self.closes[which] = Some((from, found));
        found
    }

    /// A Markdown line holding an opening fence with a language tokei
    /// knows: the fenced code counted as that language, the fence lines as
    /// comments. tokei takes the first fence-like text of the line and the
    /// next closing fence anywhere after it (even mid-line).
    fn fence(&self, text: &[u8], start: usize, end: usize) -> Analysis {
        let Some(open) = self.syntaxes.fence_open.find(&text[start..end]) else {
            return Analysis::Normal;
        };
        let identifier = &trim(open.as_bytes())[3..];
        let Some(language) = identifier
            .split(|&b| b == b',')
            .find_map(|name| String::from_utf8_lossy(name).parse::<LanguageType>().ok())
        else {
            return Analysis::Normal;
        };
        let code_start = start + open.end();
        let close = self.syntaxes.fence_close.find(&text[code_start..]);
        let (code_end, resume_at) = match &close {
            Some(close) => (code_start + close.start(), code_start + close.end()),
            None => (text.len(), text.len()),
        };
        let mut counts = self.syntaxes.count_at(
            language,
            trim(&text[code_start..code_end]),
            self.config,
            self.depth + 1,
        );
        counts.comments += if close.is_some() { 2 } else { 1 };
        Analysis::Embedded { resume_at, counts }
    }

    /// tokei's `line_is_comment`, for a line the full analysis looked at.
    fn line_is_comment(&self, line: &[u8], started_in_comments: bool) -> bool {
        let syntax = self.syntax;
        if self.quote.is_some() {
            return self.quote_is_doc && self.config.treat_doc_strings_as_comments == Some(true);
        }
        if started_in_comments
            && syntax
                .doc_quotes
                .iter()
                .any(|(_, close)| !close.is_empty() && memchr::memmem::find(line, close).is_some())
        {
            return true;
        }
        let trimmed = trim(line);
        if syntax.starts_line_comment(trimmed)
            || syntax
                .any_multi_line
                .iter()
                .any(|(open, close)| trimmed.starts_with(open) && trimmed.ends_with(close))
        {
            return true;
        }
        if started_in_comments {
            return true;
        }
        self.stack.last().is_some_and(|top| {
            syntax
                .any_multi_line
                .iter()
                .any(|(open, close)| close == top && trimmed.starts_with(open))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator: the same documents every run, so a
    /// failure reproduces.
    struct Xorshift(u64);

    impl Xorshift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Pieces a document is made of: the language's own tokens (so strings,
    /// comments, escapes and nesting all happen, and straddle lines) and
    /// plain text, whitespace and newlines.
    fn alphabet(language: LanguageType) -> Vec<Vec<u8>> {
        let mut pieces: Vec<Vec<u8>> = [
            "x",
            "let a = 1;",
            " ",
            "  ",
            "\t",
            "\n",
            "\n",
            "\n",
            "\r\n",
            "\n\n",
            "\\",
            "\\\\",
            "///",
            "//!",
            " /// doc",
            "\x0b",
            "é",
            "```rust\n",
            "```\n",
            "```",
            "``` ",
            "```py,thon\n",
            "```python\n",
            "```yaml\n",
            "```nosuch\n",
            "```c\n",
            "a ```rust\n",
            "```markdown\n",
            "<script>",
            "<script type=\"text/babel\">",
            "<style lang=\"scss\">",
            "<template lang=\"pug\">",
            "</script>",
            "</style>\n",
            "</template>",
        ]
        .iter()
        .map(|p| p.as_bytes().to_vec())
        .collect();
        let mut add = |token: &str| pieces.push(token.as_bytes().to_vec());
        language.line_comments().iter().for_each(|t| add(t));
        language.important_syntax().iter().for_each(|t| add(t));
        for pairs in [
            language.multi_line_comments(),
            language.nested_comments(),
            language.quotes(),
            language.doc_quotes(),
            language.verbatim_quotes(),
        ] {
            for (open, close) in pairs {
                add(open);
                add(close);
                add(&format!("\\{open}"));
            }
        }
        pieces
    }

    fn tokei_counts(language: LanguageType, text: &[u8], config: &Config) -> LineCounts {
        let stats = language.parse_from_slice(text, config).summarise();
        LineCounts {
            code: stats.code as u64,
            comments: stats.comments as u64,
            blanks: stats.blanks as u64,
        }
    }

    fn compare(syntaxes: &Syntaxes, language: LanguageType, documents: usize, seed: u64) {
        let config = Config::default();
        let pieces = alphabet(language);
        let mut random = Xorshift(seed);
        for _ in 0..documents {
            let mut text = Vec::new();
            for _ in 0..random.below(60) {
                text.extend_from_slice(&pieces[random.below(pieces.len())]);
            }
            let ours = syntaxes.count(language, &text, &config);
            let theirs = tokei_counts(language, &text, &config);
            assert_eq!(
                ours,
                theirs,
                "{} disagrees with tokei on {:?}",
                language.name(),
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn every_language_counts_as_tokei_does() {
        let syntaxes = Syntaxes::new();
        for (language, _) in LanguageType::list() {
            compare(
                &syntaxes,
                *language,
                60,
                0x9e37_79b9_7f4a_7c15 ^ *language as u64,
            );
        }
    }

    #[test]
    fn the_main_languages_count_as_tokei_does_on_many_documents() {
        use LanguageType as L;
        let syntaxes = Syntaxes::new();
        for language in [
            L::Rust,
            L::Python,
            L::Go,
            L::JavaScript,
            L::TypeScript,
            L::C,
            L::Cpp,
            L::CSharp,
            L::Java,
            L::Ruby,
            L::Php,
            L::Sh,
            L::Yaml,
            L::Sql,
            L::D,
            L::Haskell,
            L::FortranModern,
            L::FortranLegacy,
            L::Text,
            L::Markdown,
            L::Html,
            L::Vue,
            L::Svelte,
        ] {
            compare(&syntaxes, language, 1500, 7 + language as u64);
        }
    }

    #[test]
    fn tokei_quirks_are_kept() {
        let config = Config::default();
        let syntaxes = Syntaxes::new();
        let rust = |text: &[u8]| syntaxes.count(LanguageType::Rust, text, &config);
        // A line with a string, followed by a doc block: tokei drops the line.
        let text = b"let s = \"a\";\n/// doc\nfn f() {}\n";
        assert_eq!(rust(text), tokei_counts(LanguageType::Rust, text, &config));
        // A comment opened inside a string is not a comment.
        let text = b"fn main() {\n    let s = \"/*\";\n    f();\n}\n";
        assert_eq!(
            rust(text),
            LineCounts {
                code: 4,
                comments: 0,
                blanks: 0
            }
        );
        // Nested comments in Rust close one level at a time.
        let text = b"x();\n/* a /* b */ still\n*/\ny();\n";
        assert_eq!(
            rust(text),
            LineCounts {
                code: 2,
                comments: 2,
                blanks: 0
            }
        );
        assert!(Syntax::for_language(LanguageType::Jupyter).is_none());
    }

    #[test]
    fn markdown_fences_count_as_tokei_counts_them() {
        let config = Config::default();
        let syntaxes = Syntaxes::new();
        for text in [
            // A fence closed mid-line: counting goes on after it.
            "# Title\n\n```rust\nfn main() {}\n// note\n``` and more\ntext\n",
            // An unknown language, a fence without one, an unclosed fence.
            "a\n```nosuchlanguage\nx = 1\n```\n```\nplain\n```\n```python\nx = 1\n",
            // Several names, the first known one wins; a fence in a list.
            "- item\n  ```foo,yaml\n  a: 1\n  ```\n\n```toml\n[a]\nb = \"c\"\n```\n",
        ] {
            assert_eq!(
                syntaxes.count(LanguageType::Markdown, text.as_bytes(), &config),
                tokei_counts(LanguageType::Markdown, text.as_bytes(), &config),
                "{text:?}"
            );
        }
        // A Rust doc block holding a fenced example.
        let text = b"/// Adds.\n///\n/// ```rust\n/// assert_eq!(add(1, 2), 3);\n/// ```\nfn add(a: u8, b: u8) -> u8 { a + b }\n";
        assert_eq!(
            syntaxes.count(LanguageType::Rust, text, &config),
            tokei_counts(LanguageType::Rust, text, &config)
        );
    }

    #[test]
    fn blocks_that_never_close_are_searched_for_once() {
        // 100,000 lines that each open a script block: searching the rest
        // of the file from every line would read 50 GB.
        let text = "<script>var a = 1;\n".repeat(100_000);
        let config = Config::default();
        let syntaxes = Syntaxes::new();
        let counts = syntaxes.count(LanguageType::Html, text.as_bytes(), &config);
        assert_eq!(
            counts,
            LineCounts {
                code: 100_000,
                comments: 0,
                blanks: 0
            }
        );
        let small = "<p>\n<script>var a = 1;\n<style>\n</script>\n<script type=\"x\">\n";
        assert_eq!(
            syntaxes.count(LanguageType::Html, small.as_bytes(), &config),
            tokei_counts(LanguageType::Html, small.as_bytes(), &config)
        );
    }

    #[test]
    fn hostile_nesting_does_not_exhaust_the_stack() {
        // Fences within doc blocks within fences, 20,000 deep.
        let mut text = Vec::new();
        for _ in 0..20_000 {
            text.extend_from_slice(b"```rust\n/// ");
        }
        let counts = Syntaxes::new().count(LanguageType::Markdown, &text, &Config::default());
        assert!(counts.comments > 0);
    }
}
