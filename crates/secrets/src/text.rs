//! Byte helpers shared by the validators. Every helper is total: positions
//! past the end read as 0 and runs stop at the end, so a validator can look
//! around a hit without bounds arithmetic that could panic.

/// The byte at `i`, or 0 past either end.
#[inline]
pub(crate) fn at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

/// The byte before `i`, or 0 at the start.
#[inline]
pub(crate) fn before(bytes: &[u8], i: usize) -> u8 {
    if i == 0 {
        0
    } else {
        at(bytes, i - 1)
    }
}

/// How many bytes from `from` satisfy `pred`, counting at most `limit`.
#[inline]
pub(crate) fn run(bytes: &[u8], from: usize, limit: usize, pred: impl Fn(u8) -> bool) -> usize {
    let rest = bytes.get(from..).unwrap_or(&[]);
    rest.iter().take(limit).take_while(|&&b| pred(b)).count()
}

/// `bytes[start..end]` or empty when the range is not inside.
#[inline]
pub(crate) fn slice(bytes: &[u8], start: usize, end: usize) -> &[u8] {
    bytes.get(start..end).unwrap_or(&[])
}

/// A token starts here if the byte before it cannot continue a word (so
/// `AKIA` inside a base64 blob or an identifier is not a key id).
#[inline]
pub(crate) fn starts_token(bytes: &[u8], i: usize) -> bool {
    !before(bytes, i).is_ascii_alphanumeric()
}

pub(crate) fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

pub(crate) fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

pub(crate) fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

pub(crate) fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Bounds of the line around `pos`, looking at most `limit` bytes each way.
/// The flag is true when the line was cut (longer than the window), which
/// marks minified code and hostile single-line files.
pub(crate) fn line_around(bytes: &[u8], pos: usize, limit: usize) -> (usize, usize, bool) {
    let pos = pos.min(bytes.len());
    let lo = pos.saturating_sub(limit);
    let hi = pos.saturating_add(limit).min(bytes.len());
    let (start, cut_start) = match memchr::memrchr2(b'\n', b'\r', slice(bytes, lo, pos)) {
        Some(i) => (lo + i + 1, false),
        None => (lo, lo > 0),
    };
    let (end, cut_end) = match memchr::memchr2(b'\n', b'\r', slice(bytes, pos, hi)) {
        Some(i) => (pos + i, false),
        None => (hi, hi < bytes.len()),
    };
    (start, end, cut_start || cut_end)
}

/// Case-insensitive ASCII substring test.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(crate) fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Shannon entropy in bits per byte.
pub(crate) fn entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[b as usize] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words and marks that make a value a stand-in rather than a credential.
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"example",
    b"sample",
    b"placeholder",
    b"changeme",
    b"change_me",
    b"change-me",
    b"changeit",
    b"your_",
    b"your-",
    b"yourpass",
    b"yoursecret",
    b"yourtoken",
    b"yourkey",
    b"xxxx",
    b"****",
    b"....",
    b"\xe2\x80\xa6",
    b"redacted",
    b"dummy",
    b"fake",
    b"notreal",
    b"not_real",
    b"not-a-real",
    b"replace",
    b"insert",
    b"todo",
    b"fixme",
    b"${",
    b"{{",
    b"}}",
    b"%(",
    b"$(",
    b"#{",
    b"<",
    b">",
];

/// True for values that stand in for a secret: template references,
/// documentation words, masks, one repeated character or a short repeated
/// pattern, and counting sequences.
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    if value.is_empty() {
        return true;
    }
    if value.first() == Some(&b'$') || is_printf_or_env(value) {
        return true;
    }
    stand_in_words().is_match(value) || is_periodic(value)
}

/// One case-insensitive automaton over every stand-in word, built once:
/// a value is checked in one pass however many words there are.
fn stand_in_words() -> &'static aho_corasick::AhoCorasick {
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(
                PLACEHOLDER_WORDS
                    .iter()
                    .chain([&b"123456"[..], b"abcdef", b"qwerty"].iter()),
            )
            .expect("the stand-in word list is static and small")
    })
}

/// `%VAR%` (Windows environment), or a printf verb `%s`/`%v`/`%d` (which
/// URL encoding, always two hex digits after `%`, never produces).
fn is_printf_or_env(value: &[u8]) -> bool {
    if value.len() >= 3 && value.first() == Some(&b'%') && value.last() == Some(&b'%') {
        return true;
    }
    value.windows(2).enumerate().any(|(i, w)| {
        w[0] == b'%'
            && (matches!(w[1], b's' | b'v' | b'q')
                || (w[1] == b'd' && !at(value, i + 2).is_ascii_hexdigit()))
    })
}

/// The value is one short unit repeated (`aaaa`, `abab`, `0000-0000`).
pub(crate) fn is_periodic(value: &[u8]) -> bool {
    let n = value.len();
    (1..=4usize).any(|period| {
        n >= period * 3
            && value
                .iter()
                .enumerate()
                .skip(period)
                .all(|(i, &b)| value.get(i - period) == Some(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_around_handles_crlf_cr_and_cut_lines() {
        let text = b"one\r\ntwo\rthree\nfour";
        assert_eq!(line_around(text, 6, 100), (5, 8, false));
        assert_eq!(line_around(text, 10, 100), (9, 14, false));
        assert_eq!(line_around(text, 17, 100), (15, 19, false));
        let long = vec![b'a'; 1000];
        let (s, e, cut) = line_around(&long, 500, 10);
        assert_eq!((s, e, cut), (490, 510, true));
    }

    #[test]
    fn placeholders_and_periodic_values() {
        for v in [
            &b"changeme"[..],
            b"${DB_PASSWORD}",
            b"<password>",
            b"aaaaaaaaaa",
            b"abababab",
            b"xxxxxxxxxxxx",
            b"%(password)s",
            b"{{ .Values.x }}",
        ] {
            assert!(is_placeholder(v), "{}", String::from_utf8_lossy(v));
        }
        assert!(!is_placeholder(b"q8Zr2LmP0vXe7Tb"));
    }

    #[test]
    fn entropy_of_uniform_and_constant() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }
}
