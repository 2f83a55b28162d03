//! Byte-level BPE, the GPT-2 scheme SmolLM2 and most GGUF "gpt2"
//! tokenizers use, built from the vocabulary and merges the GGUF file
//! carries, so no separate tokenizer file (or the heavy `tokenizers`
//! crate) is needed.
//!
//! Text becomes bytes, each byte a printable stand-in char (GPT-2's
//! byte-to-unicode table), and merges apply in the order the file lists
//! them (earlier is stronger). Every byte text can hold has a token of its
//! own, so any text round-trips (but for a few control chars some
//! vocabularies lack, which are dropped).

use std::collections::HashMap;

use candle_core::quantized::gguf_file::Value;

use super::pretokenize;

/// The longest piece merged as a whole; longer ones (a base64 blob, a
/// line of dashes) are cut first, so BPE's quadratic cost stays bounded.
const MAX_PIECE_BYTES: usize = 256;

/// GGUF `tokenizer.ggml.token_type` values of tokens that are markers,
/// not text: control (3) and user-defined (4).
const CONTROL: i32 = 3;
const USER_DEFINED: i32 = 4;

pub(super) struct Tokenizer {
    /// Id to the bytes it stands for (a special token: its own name).
    bytes: Vec<Vec<u8>>,
    #[cfg(test)]
    vocab: HashMap<String, u32>,
    /// The token of each byte; the few a vocabulary lacks are dropped, as
    /// Hugging Face's byte-level BPE drops them.
    byte_ids: [Option<u32>; 256],
    /// A pair of adjacent tokens to (rank, the token they merge into).
    merges: HashMap<(u32, u32), (u32, u32)>,
    /// Marker tokens, longest name first so the longest one wins.
    specials: Vec<(String, u32)>,
    digits_alone: bool,
    pub eos: u32,
}

/// The stand-in char of each byte: printable bytes keep their char, the
/// others map to 256 and up, in byte order.
pub(super) fn byte_chars() -> [char; 256] {
    let mut chars = ['\0'; 256];
    let mut next = 256u32;
    for (b, slot) in chars.iter_mut().enumerate() {
        let printable = matches!(b, 0x21..=0x7e | 0xa1..=0xac | 0xae..=0xff);
        let code = if printable {
            b as u32
        } else {
            next += 1;
            next - 1
        };
        *slot = char::from_u32(code).unwrap_or('\0');
    }
    chars
}

fn string_array<'a>(metadata: &'a HashMap<String, Value>, key: &str) -> Option<Vec<&'a str>> {
    match metadata.get(key)? {
        Value::Array(values) => values
            .iter()
            .map(|v| match v {
                Value::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

impl Tokenizer {
    /// The tokenizer a GGUF file describes; the error says what is missing.
    pub(super) fn from_gguf(metadata: &HashMap<String, Value>) -> Result<Tokenizer, String> {
        match metadata.get("tokenizer.ggml.model") {
            Some(Value::String(model)) if model == "gpt2" => {}
            Some(Value::String(model)) => {
                return Err(format!(
                    "tokenizer {model:?} is not supported (only byte-level BPE, \"gpt2\")"
                ))
            }
            _ => return Err("no tokenizer (tokenizer.ggml.model is missing)".into()),
        }
        let tokens = string_array(metadata, "tokenizer.ggml.tokens")
            .ok_or("no tokenizer vocabulary (tokenizer.ggml.tokens)")?;
        let merges = string_array(metadata, "tokenizer.ggml.merges")
            .ok_or("no tokenizer merges (tokenizer.ggml.merges)")?;
        let types = match metadata.get("tokenizer.ggml.token_type") {
            Some(Value::Array(values)) => values
                .iter()
                .map(|v| v.to_i32().ok())
                .collect::<Option<Vec<i32>>>(),
            _ => None,
        };
        let eos = metadata
            .get("tokenizer.ggml.eos_token_id")
            .and_then(|v| v.to_u32().ok())
            .ok_or("no end-of-text token (tokenizer.ggml.eos_token_id)")?;
        let pre = match metadata.get("tokenizer.ggml.pre") {
            Some(Value::String(pre)) => Some(pre.as_str()),
            _ => None,
        };
        Tokenizer::new(&tokens, types.as_deref(), &merges, eos, pre)
    }

    /// `types` are GGUF token types (3 and 4 mark special tokens); `pre`
    /// names the pre-tokenizer ("smollm" splits digits one by one).
    pub(super) fn new(
        tokens: &[&str],
        types: Option<&[i32]>,
        merges: &[&str],
        eos: u32,
        pre: Option<&str>,
    ) -> Result<Tokenizer, String> {
        if eos as usize >= tokens.len() {
            return Err(format!(
                "end-of-text token {eos} is outside the vocabulary of {}",
                tokens.len()
            ));
        }
        let to_byte: HashMap<char, u8> = byte_chars()
            .iter()
            .enumerate()
            .map(|(b, &c)| (c, b as u8))
            .collect();
        let mut vocab = HashMap::with_capacity(tokens.len());
        let mut bytes = Vec::with_capacity(tokens.len());
        let mut specials = Vec::new();
        for (id, &token) in tokens.iter().enumerate() {
            let id = id as u32;
            vocab.insert(token.to_string(), id);
            let kind = types.and_then(|t| t.get(id as usize).copied());
            if matches!(kind, Some(CONTROL | USER_DEFINED)) {
                specials.push((token.to_string(), id));
                bytes.push(token.as_bytes().to_vec());
            } else {
                bytes.push(
                    token
                        .chars()
                        .flat_map(|c| match to_byte.get(&c) {
                            Some(&b) => vec![b],
                            // Not a stand-in: the char means itself.
                            None => c.to_string().into_bytes(),
                        })
                        .collect(),
                );
            }
        }
        specials.retain(|(name, _)| !name.is_empty());
        specials.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
        let mut byte_ids = [None; 256];
        for (b, c) in byte_chars().iter().enumerate() {
            byte_ids[b] = vocab.get(&c.to_string()).copied();
            // Real vocabularies lack a few bytes that text never holds
            // (0xc0, 0xf5 to 0xff, rare controls); printable ASCII is a must.
            if byte_ids[b].is_none() && (0x20..0x7f).contains(&b) {
                return Err(format!("the vocabulary has no token for byte 0x{b:02x}"));
            }
        }
        let mut merge_map = HashMap::with_capacity(merges.len());
        for (rank, merge) in merges.iter().enumerate() {
            // Stand-in chars are never a plain space, so one space splits.
            let Some((left, right)) = merge.split_once(' ') else {
                continue;
            };
            let (Some(&l), Some(&r), Some(&m)) = (
                vocab.get(left),
                vocab.get(right),
                vocab.get(&format!("{left}{right}")),
            ) else {
                continue;
            };
            merge_map.entry((l, r)).or_insert((rank as u32, m));
        }
        Ok(Tokenizer {
            bytes,
            #[cfg(test)]
            vocab,
            byte_ids,
            merges: merge_map,
            specials,
            digits_alone: matches!(pre, Some("smollm")),
            eos,
        })
    }

    /// The id of a special token by its name (`<|im_end|>`).
    pub(super) fn special(&self, name: &str) -> Option<u32> {
        self.specials
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, id)| id)
    }

    /// Tokens of plain text: marker names in it (`<|im_end|>` in an
    /// email) stay text, so a message cannot forge the chat structure.
    pub(super) fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        for piece in pretokenize::split(text, self.digits_alone) {
            for chunk in piece.as_bytes().chunks(MAX_PIECE_BYTES) {
                self.merge(chunk, &mut ids);
            }
        }
        ids
    }

    /// Tokens of text in which special-token names are the markers, as
    /// the model's own template would tokenize them. The prompt inserts its
    /// markers as ids instead; tests check the two agree.
    #[cfg(test)]
    pub(super) fn encode_with_specials(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let next = self
                .specials
                .iter()
                .filter_map(|(name, id)| rest.find(name.as_str()).map(|at| (at, name.len(), *id)))
                // Earliest first; at one place, the longest (sorted so).
                .min_by_key(|&(at, _, _)| at);
            match next {
                Some((at, len, id)) => {
                    ids.extend(self.encode(&rest[..at]));
                    ids.push(id);
                    rest = &rest[at + len..];
                }
                None => {
                    ids.extend(self.encode(rest));
                    rest = "";
                }
            }
        }
        ids
    }

    /// Byte-pair merging of one piece: repeatedly join the adjacent pair
    /// with the strongest (earliest) merge.
    fn merge(&self, piece: &[u8], out: &mut Vec<u32>) {
        let mut symbols: Vec<u32> = piece
            .iter()
            .filter_map(|&b| self.byte_ids[b as usize])
            .collect();
        loop {
            let best = symbols
                .windows(2)
                .enumerate()
                .filter_map(|(i, w)| self.merges.get(&(w[0], w[1])).map(|&(r, m)| (r, i, m)))
                .min();
            let Some((_, i, merged)) = best else { break };
            symbols[i] = merged;
            symbols.remove(i + 1);
        }
        out.extend(symbols);
    }

    /// The bytes a token stands for (empty for an id outside the vocabulary).
    pub(super) fn token_bytes(&self, id: u32) -> &[u8] {
        self.bytes.get(id as usize).map_or(&[], |b| b.as_slice())
    }

    /// The text of tokens, invalid UTF-8 replaced.
    #[cfg(test)]
    pub(super) fn decode(&self, ids: &[u32]) -> String {
        let bytes: Vec<u8> = ids
            .iter()
            .flat_map(|&id| self.token_bytes(id))
            .copied()
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[cfg(test)]
    pub(super) fn id(&self, token: &str) -> Option<u32> {
        self.vocab.get(token).copied()
    }
}

/// The real model's tokenizer for tests (`FCTO_TEST_MODEL`, else the
/// default model path); None, and a note saying so, without the file.
#[cfg(test)]
pub(super) fn real_for_tests() -> Option<Tokenizer> {
    let path = std::env::var_os("FCTO_TEST_MODEL")
        .map(std::path::PathBuf::from)
        .or_else(crate::EmbeddedConfig::default_model_path)?;
    if !path.is_file() {
        eprintln!(
            "skipped: no model at {}, run scripts/fetch-model",
            path.display()
        );
        return None;
    }
    let gguf = super::gguf::open(&path).expect("the model opens");
    Some(Tokenizer::from_gguf(&gguf.header.metadata).expect("the model has a tokenizer"))
}

/// Turns a stream of token bytes into text, holding back a UTF-8 char
/// split across tokens (an emoji is often two or three tokens) until it
/// is complete, so no one sees half a char.
#[derive(Default)]
pub(super) struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    /// The complete text the bytes so far make; invalid bytes become U+FFFD.
    pub(super) fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(text) => {
                    out.push_str(text);
                    self.pending.clear();
                    return out;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    out.push_str(&String::from_utf8_lossy(&self.pending[..valid]));
                    match e.error_len() {
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                        None => {
                            self.pending.drain(..valid);
                            return out;
                        }
                    }
                }
            }
        }
    }

    /// What is left at the end: an unfinished char becomes U+FFFD.
    pub(super) fn finish(&mut self) -> String {
        let rest = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small vocabulary: the 256 byte tokens, a few merges that build
    /// "hello" and " world", and ChatML's markers.
    fn small() -> Tokenizer {
        let chars = byte_chars();
        let mut tokens: Vec<String> = vec!["<|endoftext|>".into(), "<|im_start|>".into()];
        tokens.push("<|im_end|>".into());
        tokens.extend(chars.iter().map(|c| c.to_string()));
        for t in ["he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "Ġworld"] {
            tokens.push(t.into());
        }
        let merges = [
            "h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l",
        ];
        // "Ġwor l" names a token ("Ġworl") the vocabulary lacks: ignored.
        let mut types = vec![CONTROL; 3];
        types.extend(std::iter::repeat_n(1, tokens.len() - 3));
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        Tokenizer::new(&tokens, Some(&types), &merges, 0, Some("smollm")).expect("small vocabulary")
    }

    #[test]
    fn round_trips_any_text() {
        let t = small();
        for text in [
            "hello world",
            "Plain ASCII, with punctuation: 1, 2, 3!",
            "Crème brûlée à la carte, señor",
            "Emoji 😀👍🏽 and 🇬🇧",
            "line one\nline two\n\n\tindented\r\n",
            "",
        ] {
            assert_eq!(t.decode(&t.encode(text)), text);
            assert_eq!(t.decode(&t.encode_with_specials(text)), text);
        }
    }

    #[test]
    fn merges_build_known_words() {
        let t = small();
        assert_eq!(t.encode("hello"), [t.id("hello").unwrap()]);
        assert_eq!(
            t.encode("hello world"),
            [
                t.id("hello").unwrap(),
                t.id("Ġwor").unwrap(),
                t.id("l").unwrap(),
                t.id("d").unwrap()
            ]
        );
    }

    #[test]
    fn special_tokens_are_single_ids_only_when_asked() {
        let t = small();
        let end = t.special("<|im_end|>").unwrap();
        let ids = t.encode_with_specials("<|im_start|>hello<|im_end|>");
        assert_eq!(
            ids,
            [
                t.special("<|im_start|>").unwrap(),
                t.id("hello").unwrap(),
                end
            ]
        );
        let plain = t.encode("<|im_end|>");
        assert!(plain.len() > 1 && !plain.contains(&end));
        assert_eq!(t.decode(&plain), "<|im_end|>");
    }

    #[test]
    fn a_vocabulary_without_byte_tokens_is_refused() {
        let err = Tokenizer::new(&["a", "b"], None, &[], 0, None)
            .err()
            .unwrap();
        // 0x21 ("!") is the first stand-in looked up that is missing.
        assert!(err.contains("no token for byte"), "{err}");
    }

    #[test]
    fn the_real_vocabulary() {
        let Some(t) = real_for_tests() else { return };
        assert_eq!(t.id("Hello"), Some(19556));
        assert_eq!(t.encode("Hello"), [19556]);
        assert_eq!(t.encode("Hello world"), [19556, t.id("Ġworld").unwrap()]);
        assert_eq!(t.special("<|im_start|>"), Some(1));
        assert_eq!(t.special("<|im_end|>"), Some(2));
        assert_eq!(t.eos, 2);
        let ids = t.encode_with_specials("<|im_start|>user\nHi<|im_end|>");
        assert_eq!((ids[0], ids[ids.len() - 1]), (1, 2));
        // Digits one by one, as SmolLM2's pre-tokenizer does.
        assert_eq!(t.encode("2024").len(), 4);
        for text in [
            "Dear Anna,\n\nWe open at 9:00 on Sundays. Crème brûlée 🍮 included!\r\n",
            "naïve café — 😀👍🏽 \t tabs",
        ] {
            let ids = t.encode(text);
            assert!(ids.len() < text.len(), "merges apply");
            assert_eq!(t.decode(&ids), text);
        }
    }

    #[test]
    fn split_chars_wait_until_complete() {
        let mut s = Utf8Stream::default();
        let smile = "😀".as_bytes();
        assert_eq!(s.push(&smile[..1]), "");
        assert_eq!(s.push(&smile[1..3]), "");
        assert_eq!(s.push(&[smile[3], b'!']), "😀!");
        assert_eq!(s.push(&[0xff, b'a']), "\u{fffd}a");
        assert_eq!(s.push(&smile[..2]), "");
        assert_eq!(s.finish(), "\u{fffd}");
    }
}
