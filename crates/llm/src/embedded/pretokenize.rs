//! The GPT-2 pre-tokenizer split, hand-coded so the build needs no regex
//! engine with look-ahead. It cuts text into the pieces BPE then works on
//! one by one, exactly where the GPT-2 pattern
//!
//! ```text
//! 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//! ```
//!
//! would, with Rust's `char::is_alphabetic`, `is_numeric` and
//! `is_whitespace` standing in for `\p{L}`, `\p{N}` and `\s` (they differ
//! only on rare combining marks). SmolLM2's pre-tokenizer ("smollm" in
//! llama.cpp) first isolates every digit (`\p{N}`), then applies the
//! pattern to the rest: `digits_alone` does that.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Space,
    Other,
}

fn class(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if c.is_alphabetic() {
        Class::Letter
    } else if c.is_numeric() {
        Class::Digit
    } else {
        Class::Other
    }
}

/// The length in chars of an English contraction suffix starting right
/// after an apostrophe (`'s`, `'re`, ...), case-sensitive as in GPT-2.
fn contraction(after: &[(usize, char)]) -> Option<usize> {
    let c = |i: usize| after.get(i).map(|&(_, c)| c);
    match (c(0), c(1)) {
        (Some('r'), Some('e')) | (Some('v'), Some('e')) | (Some('l'), Some('l')) => Some(2),
        (Some('s' | 't' | 'm' | 'd'), _) => Some(1),
        _ => None,
    }
}

/// The pieces of `text`, in order; their concatenation is `text`.
pub(super) fn split(text: &str, digits_alone: bool) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c == '\'' {
            if let Some(len) = contraction(&chars[i + 1..]) {
                pieces.push(&text[at(i)..at(i + 1 + len)]);
                i += 1 + len;
                continue;
            }
        }
        // ` ?X+`: one literal space may lead a run of letters, digits or
        // other symbols (not a lone digit when digits stand alone: the
        // digit was cut off from the space before the pattern ran).
        let lead = if c == ' ' && i + 1 < n {
            let next = class(chars[i + 1].1);
            next != Class::Space && !(digits_alone && next == Class::Digit)
        } else {
            false
        };
        let j = if lead { i + 1 } else { i };
        let kind = class(chars[j].1);
        if kind != Class::Space {
            let mut k = j + 1;
            if !(digits_alone && kind == Class::Digit) {
                while k < n && class(chars[k].1) == kind {
                    k += 1;
                }
            }
            pieces.push(&text[at(i)..at(k)]);
            i = k;
            continue;
        }
        // `\s+(?!\S)|\s+`: a run of whitespace gives its last char to the
        // word that follows (as that word's leading space), unless it is a
        // single char or the run ends the text (or, with digits alone, ends
        // before a digit, which is where the text was cut).
        let mut k = i;
        while k < n && class(chars[k].1) == Class::Space {
            k += 1;
        }
        let before_digit = digits_alone && k < n && class(chars[k].1) == Class::Digit;
        if k < n && k - i >= 2 && !before_digit {
            k -= 1;
        }
        pieces.push(&text[at(i)..at(k)]);
        i = k;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn words_keep_their_leading_space() {
        assert_eq!(
            split("Hello world, it's 2024!", false),
            ["Hello", " world", ",", " it", "'s", " 2024", "!"]
        );
    }

    #[test]
    fn digits_stand_alone_for_smollm() {
        assert_eq!(
            split("at 10:30 ok", true),
            ["at", " ", "1", "0", ":", "3", "0", " ok"]
        );
    }

    #[test]
    fn whitespace_runs_give_their_last_space_to_the_next_word() {
        assert_eq!(
            split("a   b\n\nc  ", false),
            ["a", "  ", " b", "\n", "\n", "c", "  "]
        );
        assert_eq!(split("x\n\n\ny", false), ["x", "\n\n", "\n", "y"]);
    }

    #[test]
    fn symbols_and_accents() {
        assert_eq!(
            split("Café ☕☕ --ok?!", false),
            ["Café", " ☕☕", " --", "ok", "?!"]
        );
    }

    #[test]
    fn pieces_cover_the_text() {
        for text in ["", " ", "  x", "'re 'x", "é\u{301}\t\tz", "😀 a1b2 \n"] {
            assert_eq!(split(text, true).concat(), text);
            assert_eq!(split(text, false).concat(), text);
        }
    }
}
