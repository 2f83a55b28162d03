//! Blocks in token streams: a Python suite by indentation, a Ruby
//! `def`/`do` ... `end` by the column of its `end` (what every formatter
//! produces), and sets of token ranges to skip (down migrations).
//!
//! Block ends are precomputed in one pass so that a hostile file with
//! 100k unclosed blocks costs O(n log n), not O(n²).

use std::collections::BTreeMap;

use super::token::{Kind, Tokens};

/// Token index ranges `[start, end)`, sorted and merged for lookup.
#[derive(Debug, Default, Clone)]
pub struct Ranges(Vec<(usize, usize)>);

impl Ranges {
    /// Sort and merge `ranges` so `contains` is a binary search.
    pub fn new(mut ranges: Vec<(usize, usize)>) -> Ranges {
        ranges.retain(|&(start, end)| start < end);
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Ranges(merged)
    }

    pub fn contains(&self, index: usize) -> bool {
        let after = self.0.partition_point(|&(start, _)| start <= index);
        after > 0 && self.0[after - 1].1 > index
    }
}

/// Whether token `index` is the first on its line.
pub fn starts_line(tokens: &Tokens, index: usize) -> bool {
    let Some(token) = tokens.get(index) else {
        return false;
    };
    match index.checked_sub(1).and_then(|prev| tokens.get(prev)) {
        None => true,
        Some(prev) => prev.kind == Kind::Newline || prev.line < token.line,
    }
}

/// Python suites: for each token that starts a logical line (outside
/// brackets), the index of the next such token at or left of its column.
pub struct PythonBlocks {
    next_dedent: Vec<usize>,
}

impl PythonBlocks {
    pub fn new(tokens: &Tokens) -> PythonBlocks {
        let mut next_dedent = vec![tokens.len(); tokens.len()];
        let mut stack: Vec<(u32, usize)> = Vec::new();
        let mut depth = 0usize;
        for (index, token) in tokens.tokens.iter().enumerate() {
            if depth == 0 && starts_line(tokens, index) {
                while let Some(&(column, top)) = stack.last() {
                    if column < token.column {
                        break;
                    }
                    next_dedent[top] = index;
                    stack.pop();
                }
                stack.push((token.column, index));
            }
            match token.kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        PythonBlocks { next_dedent }
    }

    /// The end (exclusive) of the suite whose header starts at `header`.
    pub fn end_of(&self, header: usize) -> usize {
        self.next_dedent
            .get(header)
            .copied()
            .unwrap_or(self.next_dedent.len())
    }
}

/// Ruby `end` keywords that start a line, by column.
pub struct RubyEnds {
    by_column: BTreeMap<u32, Vec<usize>>,
    len: usize,
}

impl RubyEnds {
    pub fn new(tokens: &Tokens) -> RubyEnds {
        let mut by_column: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (index, token) in tokens.tokens.iter().enumerate() {
            if token.kind == Kind::Ident && token.text == "end" && starts_line(tokens, index) {
                by_column.entry(token.column).or_default().push(index);
            }
        }
        RubyEnds {
            by_column,
            len: tokens.len(),
        }
    }

    /// The end (exclusive, past `end`) of the block opened by the
    /// statement starting at token `start`: the first later `end` that
    /// begins a line at that statement's column.
    pub fn end_of(&self, tokens: &Tokens, start: usize) -> usize {
        let Some(column) = tokens.get(start).map(|t| t.column) else {
            return self.len;
        };
        let Some(ends) = self.by_column.get(&column) else {
            return self.len;
        };
        let at = ends.partition_point(|&end| end <= start);
        ends.get(at).map_or(self.len, |&end| end + 1)
    }
}

/// The first token on the line of token `index`, i.e. the statement's
/// indentation. Looks back a bounded distance so a hostile one-line file
/// cannot make this quadratic.
pub fn line_start(tokens: &Tokens, index: usize) -> usize {
    let mut first = index;
    let floor = index.saturating_sub(256);
    while first > floor && !starts_line(tokens, first) {
        first -= 1;
    }
    first
}

/// Clip each `(start, end)` block so it ends where the next one starts:
/// these blocks never nest in real migrations, and clipping keeps a file of
/// 100k unclosed blocks linear.
pub fn clip_nested<T>(blocks: &mut [(usize, usize, T)]) {
    blocks.sort_by_key(|block| block.0);
    for index in 1..blocks.len() {
        let next_start = blocks[index].0;
        let previous = &mut blocks[index - 1];
        previous.1 = previous.1.min(next_start);
    }
}
