//! Shared first steps: bytes to text, and serde formats to typed documents
//! with errors that name the line and field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::ParseError;

/// The file as UTF-8 text without a byte-order mark. Lockfiles are text: a
/// NUL byte means a binary or corrupted file, refused before any parser runs.
pub(crate) fn text<'a>(label: &str, bytes: &'a [u8]) -> Result<&'a str, ParseError> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(
            ParseError::new(label, "binary data (NUL byte); not a text file")
                .at_line(line_of(bytes, at)),
        );
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ParseError::new(label, format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            .at_line(line_of(bytes, e.valid_up_to()))
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// One-based line of a byte offset.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes
        .get(..end)
        .map_or(0, |head| head.iter().filter(|&&b| b == b'\n').count())
        + 1
}

/// Drops serde's trailing ` at line L column C`: the error carries the line.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// A JSON document. On failure, reads it again tracking the path so the
/// error can name the field (success pays nothing for that).
pub(crate) fn json<T: DeserializeOwned>(label: &str, text: &str) -> Result<T, ParseError> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(first) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let field = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => e.path().to_string(),
                Ok(_) => String::new(),
            };
            let line = (first.line() > 0).then_some(first.line());
            Err(ParseError::new(label, without_position(&first.to_string()))
                .line_opt(line)
                .field(field))
        }
    }
}

pub(crate) fn toml<T: DeserializeOwned>(label: &str, text: &str) -> Result<T, ParseError> {
    match toml::from_str(text) {
        Ok(value) => Ok(value),
        Err(first) => {
            let field =
                match serde_path_to_error::deserialize::<_, T>(toml::Deserializer::new(text)) {
                    Err(e) => e.path().to_string(),
                    Ok(_) => String::new(),
                };
            let line = first
                .span()
                .map(|span| line_of(text.as_bytes(), span.start));
            // Parse errors may keep their words only in the rendered form,
            // under a source excerpt: its last line.
            let rendered = first.to_string();
            let message = match first.message().trim() {
                "" => rendered
                    .lines()
                    .rev()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("invalid TOML"),
                message => message,
            };
            Err(ParseError::new(label, message.to_string())
                .line_opt(line)
                .field(field))
        }
    }
}

/// Lockfile YAML nests a few levels; libyaml slows quadratically with flow
/// depth (`[[[[...`), so deeper input is refused before it parses.
const MAX_YAML_FLOW_DEPTH: usize = 64;
const MAX_YAML_INDENT: usize = 512;

fn yaml_shape(label: &str, text: &str) -> Result<(), ParseError> {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Single,
        Double,
        Comment,
    }
    let mut state = State::Plain;
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut indent: Option<usize> = Some(0);
    // The last significant byte outside quotes: a quote opens a quoted
    // scalar only where a scalar can start.
    let mut previous = b'\n';
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b == b'\n' {
            line += 1;
            indent = Some(0);
            if state == State::Comment {
                state = State::Plain;
            }
            if state == State::Plain {
                previous = b'\n';
            }
            continue;
        }
        if let Some(n) = indent.as_mut() {
            if b == b' ' {
                *n += 1;
                if *n > MAX_YAML_INDENT {
                    return Err(ParseError::new(
                        label,
                        format!("indented deeper than {MAX_YAML_INDENT} columns"),
                    )
                    .at_line(line));
                }
                continue;
            }
            indent = None;
        }
        match state {
            State::Comment => {}
            State::Single => {
                if b == b'\'' {
                    state = State::Plain;
                    previous = b'a';
                }
            }
            State::Double => match b {
                b'\\' => i += 1,
                b'"' => {
                    state = State::Plain;
                    previous = b'a';
                }
                _ => {}
            },
            State::Plain => {
                let scalar_may_start =
                    matches!(previous, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'?');
                match b {
                    b'#' if matches!(
                        bytes.get(i.wrapping_sub(2)),
                        None | Some(b' ' | b'\t' | b'\n')
                    ) =>
                    {
                        state = State::Comment
                    }
                    b'\'' if scalar_may_start => state = State::Single,
                    b'"' if scalar_may_start => state = State::Double,
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > MAX_YAML_FLOW_DEPTH {
                            return Err(ParseError::new(
                                label,
                                format!(
                                    "flow collections nested deeper than {MAX_YAML_FLOW_DEPTH}"
                                ),
                            )
                            .at_line(line));
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if !matches!(b, b' ' | b'\t' | b'\r') {
                    previous = b;
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn yaml<T: DeserializeOwned>(label: &str, text: &str) -> Result<T, ParseError> {
    yaml_shape(label, text)?;
    match serde_norway::from_str(text) {
        Ok(value) => Ok(value),
        Err(first) => {
            let field = match serde_path_to_error::deserialize::<_, T>(
                serde_norway::Deserializer::from_str(text),
            ) {
                Err(e) => e.path().to_string(),
                Ok(_) => String::new(),
            };
            let line = first.location().map(|l| l.line());
            Err(ParseError::new(label, without_position(&first.to_string()))
                .line_opt(line)
                .field(field))
        }
    }
}

/// A map read in document order (serde's maps sort or hash).
#[derive(Debug)]
pub(crate) struct Entries<V>(pub Vec<(String, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<V> Entries<V> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(key) = map.next_key::<Scalar>()? {
                    let value = map.next_value::<V>()?;
                    out.push((key.0, value));
                }
                Ok(Entries(out))
            }
            // YAML writes an empty map as `{}` but an absent one as nothing.
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A string, number or boolean read as text: YAML and TOML may write a
/// version or a key unquoted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A list that YAML may also write as nothing at all.
#[derive(Debug)]
pub(crate) struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(List(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
        }
        deserializer.deserialize_seq(ListVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_refuses_nul_and_bad_utf8_with_the_line() {
        let e = text("f", b"a\nb\n\0").err().map(|e| (e.line, e.message));
        assert_eq!(e.as_ref().and_then(|e| e.0), Some(3));
        let e = text("f", b"ok\n\xff").err();
        assert_eq!(e.and_then(|e| e.line), Some(2));
        assert_eq!(text("f", "\u{feff}x".as_bytes()).ok(), Some("x"));
    }

    #[test]
    fn yaml_shape_refuses_deep_flow_but_not_brackets_in_strings() {
        let deep = format!("a: {}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(yaml_shape("y", &deep).err().and_then(|e| e.line), Some(1));
        let quoted = format!(
            "a: '{}'\nb: \"{}\\\" [\"\n# {}\n",
            "[".repeat(99),
            "{".repeat(99),
            "[".repeat(99)
        );
        assert!(yaml_shape("y", &quoted).is_ok());
        // An apostrophe inside a plain scalar does not hide what follows.
        let sneaky = format!("a: it's {}\n", "[".repeat(99));
        assert!(yaml_shape("y", &sneaky).is_err());
        let indented = format!("a:\n{}b: 1\n", " ".repeat(600));
        assert_eq!(
            yaml_shape("y", &indented).err().and_then(|e| e.line),
            Some(2)
        );
        assert!(yaml_shape("y", "a: {b: [1, {c: 2}]}\n").is_ok());
    }

    #[test]
    fn json_errors_name_the_field_and_line() {
        #[derive(Deserialize, Debug)]
        struct Doc {
            #[allow(dead_code)]
            packages: Entries<Inner>,
        }
        #[derive(Deserialize, Debug)]
        struct Inner {
            #[allow(dead_code)]
            version: String,
        }
        let err = json::<Doc>("p.json", "{\"packages\": {\n\"a\": {\"version\": 5}}}").err();
        let err = err.map(|e| (e.line, e.field, e.message));
        assert_eq!(
            err,
            Some((
                Some(2),
                Some("packages.a.version".to_string()),
                "invalid type: integer `5`, expected a string".to_string()
            ))
        );
    }
}
