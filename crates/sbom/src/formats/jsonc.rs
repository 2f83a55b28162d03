//! JSON with comments and trailing commas (bun.lock) to plain JSON.
//!
//! Comments become spaces and a trailing comma becomes a space, so every
//! byte keeps its offset and serde_json's line numbers stay true. Nothing
//! inside a string is touched.

pub(crate) fn to_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    // The last comma written outside strings, while only whitespace and
    // comments follow it.
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                pending_comma = None;
                let end = string_end(bytes, i);
                out.extend_from_slice(bytes.get(i..end).unwrap_or_default());
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while let Some(&c) = bytes.get(i) {
                    if c == b'\n' {
                        break;
                    }
                    out.push(b' ');
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                out.extend_from_slice(b"  ");
                i += 2;
                while let Some(&c) = bytes.get(i) {
                    if c == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        out.extend_from_slice(b"  ");
                        i += 2;
                        break;
                    }
                    out.push(if c == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
                continue;
            }
            b',' => pending_comma = Some(out.len()),
            b'}' | b']' => {
                if let Some(at) = pending_comma.take() {
                    if let Some(slot) = out.get_mut(at) {
                        *slot = b' ';
                    }
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending_comma = None,
        }
        out.push(b);
        i += 1;
    }
    // Only ASCII was replaced, by ASCII, outside multi-byte sequences.
    String::from_utf8(out).unwrap_or_default()
}

/// Index just past the string starting at `start` (or the end of input).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::to_json;

    #[test]
    fn strips_comments_and_trailing_commas_outside_strings() {
        let input = "{\n  // note, with a comma,\n  \"a\": \"x // not, a comment,\", /* b */\n  \"b\": [1, 2, /* c */ ],\n}";
        let json = to_json(input);
        assert_eq!(json.len(), input.len());
        assert_eq!(json.lines().count(), input.lines().count());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["a"], "x // not, a comment,");
        assert_eq!(value["b"], serde_json::json!([1, 2]));
        // A comma not followed by a closer stays; an escaped quote does not
        // end a string.
        assert_eq!(to_json("[\"\\\",]\",1,]"), "[\"\\\",]\",1 ]");
        // Unterminated input stays as it is for the JSON parser to refuse.
        assert_eq!(to_json("\"abc"), "\"abc");
        assert_eq!(to_json("/* open"), "       ");
    }
}
