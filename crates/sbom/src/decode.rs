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
            Err(ParseError::new(label, first.message().trim().to_string())
                .line_opt(line)
                .field(field))
        }
    }
}

pub(crate) fn yaml<T: DeserializeOwned>(label: &str, text: &str) -> Result<T, ParseError> {
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
