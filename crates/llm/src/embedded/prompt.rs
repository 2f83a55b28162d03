//! The ChatML prompt SmolLM2 was trained on:
//!
//! ```text
//! <|im_start|>system\n...<|im_end|>\n<|im_start|>user\n...<|im_end|>\n<|im_start|>assistant\n
//! ```
//!
//! The markers are inserted as token ids and the messages are encoded as
//! plain text, so an email containing `<|im_end|>` cannot close its own
//! turn. Like the model's own template, a chat without a system message
//! gets SmolLM2's default one.
//!
//! When the prompt does not fit the context (the model's length minus the
//! room kept for the answer), the system messages stay whole and text is
//! dropped from the oldest other messages first, from their start: a long
//! email keeps its end (the latest part of a thread, and the request that
//! usually closes it), marked by "[…]". Only when the system messages alone
//! do not fit is the request refused.

use super::tokenizer::Tokenizer;
use crate::{ChatMessage, Role};

/// SmolLM2's default system message (from its chat template).
const DEFAULT_SYSTEM: &str = "You are a helpful AI assistant named SmolLM, trained by Hugging Face";
/// Stands where text was dropped.
const ELIDED: &str = "[…]\n";

/// One turn: its header (`<|im_start|>role\n`), its text, and its close
/// (`<|im_end|>\n`).
struct Turn {
    head: Vec<u32>,
    body: Vec<u32>,
    tail: Vec<u32>,
    system: bool,
}

impl Turn {
    fn len(&self) -> usize {
        self.head.len() + self.body.len() + self.tail.len()
    }
}

pub(super) struct Markers {
    pub start: u32,
    pub end: u32,
}

fn role(role: Role) -> &'static str {
    match role {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
    }
}

/// The prompt's tokens, at most `budget` of them; Err(tokens needed) when
/// even the system messages do not fit.
pub(super) fn build(
    tokenizer: &Tokenizer,
    markers: &Markers,
    messages: &[ChatMessage],
    budget: usize,
) -> Result<Vec<u32>, usize> {
    let turn = |r: Role, text: &str| {
        let mut head = vec![markers.start];
        head.extend(tokenizer.encode(&format!("{}\n", role(r))));
        let mut tail = vec![markers.end];
        tail.extend(tokenizer.encode("\n"));
        Turn {
            head,
            body: tokenizer.encode(text),
            tail,
            system: r == Role::System,
        }
    };
    let mut turns = Vec::with_capacity(messages.len() + 1);
    if messages.first().map(|m| m.role) != Some(Role::System) {
        turns.push(turn(Role::System, DEFAULT_SYSTEM));
    }
    turns.extend(messages.iter().map(|m| turn(m.role, &m.content)));
    let mut open = vec![markers.start];
    open.extend(tokenizer.encode("assistant\n"));

    let total = |turns: &[Turn]| turns.iter().map(Turn::len).sum::<usize>() + open.len();
    let elided = tokenizer.encode(ELIDED);
    // Each pass shortens the oldest message that still has text to lose.
    while total(&turns) > budget {
        let over = total(&turns) - budget;
        let Some(t) = turns
            .iter_mut()
            .find(|t| !t.system && t.body.len() > elided.len())
        else {
            let system: usize = turns.iter().filter(|t| t.system).map(Turn::len).sum();
            return Err(system + open.len());
        };
        let keep = t.body.len().saturating_sub(over + elided.len());
        let mut body = elided.clone();
        body.extend_from_slice(&t.body[t.body.len() - keep..]);
        t.body = body;
    }
    let mut ids = Vec::with_capacity(total(&turns));
    for t in &turns {
        ids.extend(&t.head);
        ids.extend(&t.body);
        ids.extend(&t.tail);
    }
    ids.extend(open);
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::super::tokenizer::byte_chars;
    use super::*;
    use crate::ChatMessage;

    /// Byte tokens only (no merges): one token per byte makes counts easy.
    fn bytes_only() -> (Tokenizer, Markers) {
        let mut tokens: Vec<String> = vec!["<|im_start|>".into(), "<|im_end|>".into()];
        tokens.extend(byte_chars().iter().map(|c| c.to_string()));
        let mut types = vec![3, 3];
        types.extend(std::iter::repeat_n(1, 256));
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let t = Tokenizer::new(&tokens, Some(&types), &[], 1, None).unwrap();
        (t, Markers { start: 0, end: 1 })
    }

    #[test]
    fn chatml_with_the_default_system_message() {
        let (t, m) = bytes_only();
        let ids = build(&t, &m, &[ChatMessage::user("Hi")], 10_000).unwrap();
        let text = String::from_utf8(
            ids.iter()
                .flat_map(|&i| t.token_bytes(i).to_vec())
                .collect(),
        )
        .unwrap();
        assert_eq!(
            text,
            format!("<|im_start|>system\n{DEFAULT_SYSTEM}<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        );
    }

    #[test]
    fn markers_as_ids_match_the_template_text_with_the_real_vocabulary() {
        let Some(t) = super::super::tokenizer::real_for_tests() else {
            return;
        };
        let m = Markers {
            start: t.special("<|im_start|>").unwrap(),
            end: t.special("<|im_end|>").unwrap(),
        };
        let messages = [
            ChatMessage::system("You answer emails for a restaurant."),
            ChatMessage::user("Hi! Are you open on Sunday at 12:30?\nThanks, Anna"),
        ];
        let text = "<|im_start|>system\nYou answer emails for a restaurant.<|im_end|>\n\
                    <|im_start|>user\nHi! Are you open on Sunday at 12:30?\nThanks, Anna<|im_end|>\n\
                    <|im_start|>assistant\n";
        assert_eq!(
            build(&t, &m, &messages, 10_000).unwrap(),
            t.encode_with_specials(text)
        );
    }

    #[test]
    fn too_long_keeps_the_system_message_and_the_end_of_the_email() {
        let (t, m) = bytes_only();
        let email = format!("{}Please reply by Friday.", "blah ".repeat(400));
        let messages = [ChatMessage::system("Be brief."), ChatMessage::user(email)];
        let ids = build(&t, &m, &messages, 200).unwrap();
        assert_eq!(ids.len(), 200);
        let text = String::from_utf8_lossy(
            &ids.iter()
                .flat_map(|&i| t.token_bytes(i).to_vec())
                .collect::<Vec<_>>(),
        )
        .into_owned();
        assert!(
            text.starts_with("<|im_start|>system\nBe brief.<|im_end|>"),
            "{text}"
        );
        assert!(text.contains("user\n[…]\n"), "{text}");
        assert!(
            text.ends_with("Please reply by Friday.<|im_end|>\n<|im_start|>assistant\n"),
            "{text}"
        );
    }

    #[test]
    fn a_system_message_longer_than_the_context_is_refused() {
        let (t, m) = bytes_only();
        let messages = [
            ChatMessage::system("x".repeat(500)),
            ChatMessage::user("Hi"),
        ];
        let needed = build(&t, &m, &messages, 100).unwrap_err();
        assert!(needed > 500, "{needed}");
    }
}
