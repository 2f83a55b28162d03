//! The client's voice, learned from its own sent replies: how it greets,
//! how it signs off, how long and how formal it writes, and the phrases it
//! keeps using. The drafting prompt states it, and the approver can edit it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VoiceProfile {
    pub messages: usize,
    /// Most used first, with counts; the addressee's name as `{name}`.
    pub greetings: Vec<(String, usize)>,
    pub sign_offs: Vec<(String, usize)>,
    /// Median words of a reply's new text.
    pub median_words: usize,
    /// 0 casual .. 1 formal.
    pub formality: f64,
    /// Phrases of three words or more used in at least two replies.
    pub phrases: Vec<(String, usize)>,
}

const GREETING_WORDS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "morning",
    "thanks",
    "thank you",
];
const SIGN_OFF_WORDS: &[&str] = &[
    "best",
    "kind regards",
    "regards",
    "many thanks",
    "thanks",
    "thank you",
    "cheers",
    "warm regards",
    "best wishes",
    "all the best",
    "see you soon",
    "speak soon",
    "sincerely",
    "yours",
];

/// Learn a profile from the new text of sent replies.
pub fn profile(replies: &[String]) -> VoiceProfile {
    let mut greetings: HashMap<String, usize> = HashMap::new();
    let mut sign_offs: HashMap<String, usize> = HashMap::new();
    let mut lengths: Vec<usize> = Vec::new();
    let mut phrase_counts: HashMap<String, usize> = HashMap::new();
    let (mut contractions, mut exclamations, mut dear, mut words_total) =
        (0usize, 0usize, 0usize, 0usize);
    let mut messages = 0;
    for reply in replies {
        let lines: Vec<&str> = reply
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let Some(first) = lines.first() else { continue };
        messages += 1;
        if let Some(g) = greeting(first) {
            if g.starts_with("Dear") {
                dear += 1;
            }
            *greetings.entry(g).or_default() += 1;
        }
        // The sign-off: the last short line ending in a comma, or a known
        // closing among the last three lines.
        for line in lines.iter().rev().take(3) {
            let lower = line.to_lowercase();
            let bare = lower.trim_end_matches([',', '.', '!']);
            if SIGN_OFF_WORDS.contains(&bare)
                || (line.ends_with(',') && line.split_whitespace().count() <= 4 && lines.len() > 1)
            {
                *sign_offs.entry(line.to_string()).or_default() += 1;
                break;
            }
        }
        let words: Vec<&str> = reply.split_whitespace().collect();
        lengths.push(words.len());
        words_total += words.len();
        contractions += words
            .iter()
            .filter(|w| w.contains('\'') || w.contains('’'))
            .count();
        exclamations += reply.matches('!').count();
        // Phrases: each distinct 3- to 8-word run once per reply.
        let lower: Vec<String> = words
            .iter()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let mut seen = std::collections::HashSet::new();
        for n in 3..=8 {
            for window in lower.windows(n) {
                let phrase = window.join(" ");
                if seen.insert(phrase.clone()) {
                    *phrase_counts.entry(phrase).or_default() += 1;
                }
            }
        }
    }
    lengths.sort_unstable();
    let median_words = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
    let per_word = |n: usize| {
        if words_total == 0 {
            0.0
        } else {
            n as f64 / words_total as f64
        }
    };
    let dear_share = if messages == 0 {
        0.0
    } else {
        dear as f64 / messages as f64
    };
    let formality =
        (0.6 + 0.3 * dear_share - 6.0 * per_word(contractions) - 8.0 * per_word(exclamations))
            .clamp(0.0, 1.0);
    // Longer phrases win over the shorter ones inside them with the same count.
    let mut phrases: Vec<(String, usize)> =
        phrase_counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    phrases.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.0.len().cmp(&a.0.len()))
            .then(a.0.cmp(&b.0))
    });
    let mut kept: Vec<(String, usize)> = Vec::new();
    for (p, n) in phrases {
        if !kept.iter().any(|(k, m)| *m == n && k.contains(&p)) {
            kept.push((p, n));
        }
        if kept.len() == 10 {
            break;
        }
    }
    VoiceProfile {
        messages,
        greetings: top(greetings, 3),
        sign_offs: top(sign_offs, 3),
        median_words,
        formality: (formality * 100.0).round() / 100.0,
        phrases: kept,
    }
}

/// "Hi Sam," -> "Hi {name},"; None when the line is not a greeting.
fn greeting(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let word = GREETING_WORDS.iter().find(|g| lower.starts_with(*g))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() > 5 {
        return None;
    }
    let lead_words = word.split_whitespace().count();
    let lead = words.get(..lead_words)?.join(" ");
    let rest = &words[lead_words..];
    let end = line
        .chars()
        .last()
        .filter(|c| matches!(c, ',' | '!' | '.'))
        .map(String::from)
        .unwrap_or_default();
    let lead = lead.trim_end_matches([',', '!', '.']).to_string();
    Some(if rest.is_empty() {
        format!("{lead}{end}")
    } else {
        format!("{lead} {{name}}{end}")
    })
}

fn top(counts: HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

impl VoiceProfile {
    /// How the prompt describes the voice.
    pub fn instructions(&self) -> String {
        if self.messages == 0 {
            return "Write plainly and warmly, in British English.".into();
        }
        let mut out = String::new();
        if let Some((g, _)) = self.greetings.first() {
            out.push_str(&format!(
                "Open with \"{g}\" (the customer's first name for {{name}}). "
            ));
        }
        if let Some((s, _)) = self.sign_offs.first() {
            out.push_str(&format!("Close with \"{s}\". "));
        }
        out.push_str(&format!(
            "Keep it to about {} words. ",
            self.median_words.max(20)
        ));
        out.push_str(if self.formality >= 0.7 {
            "The tone is formal: no contractions, no exclamation marks. "
        } else if self.formality <= 0.35 {
            "The tone is casual and friendly. "
        } else {
            "The tone is friendly but professional. "
        });
        if !self.phrases.is_empty() {
            let list: Vec<&str> = self
                .phrases
                .iter()
                .take(3)
                .map(|(p, _)| p.as_str())
                .collect();
            out.push_str(&format!(
                "Phrases this business often uses: {}.",
                list.join("; ")
            ));
        }
        out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replies() -> Vec<String> {
        [
            "Hi Sam,\n\nThanks so much for getting in touch! We'd love to have you on Saturday. I've booked a table for 6 at 7pm.\n\nSee you soon,\nPriya",
            "Hi Ana,\n\nThanks so much for getting in touch. We're fully booked on Friday, but Saturday at 8pm is free.\n\nSee you soon,\nPriya",
            "Hi Tom,\n\nThanks so much for getting in touch! Dogs are welcome in the bar.\n\nSee you soon,\nPriya",
            "Hello,\n\nYes, we can do a gluten-free menu.\n\nBest,\nPriya",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn greetings_sign_offs_length_and_phrases_are_learned() {
        let p = profile(&replies());
        assert_eq!(p.messages, 4);
        assert_eq!(p.greetings[0], ("Hi {name},".to_string(), 3));
        assert_eq!(p.greetings[1], ("Hello,".to_string(), 1));
        assert_eq!(p.sign_offs[0], ("See you soon,".to_string(), 3));
        assert!((20..=30).contains(&p.median_words), "{}", p.median_words);
        assert_eq!(p.phrases[0].0, "thanks so much for getting in touch");
        assert!(
            p.formality < 0.5,
            "contractions and exclamations: {}",
            p.formality
        );
        let text = p.instructions();
        assert!(
            text.contains("Open with \"Hi {name},\"")
                && text.contains("Close with \"See you soon,\""),
            "{text}"
        );
    }

    #[test]
    fn formal_writing_scores_formal_and_nothing_learned_is_a_plain_default() {
        let formal: Vec<String> = vec![
            "Dear Mr Jones,\n\nThank you for your enquiry. We would be delighted to host your party.\n\nKind regards,\nThe Harbour & Hearth team".into(),
            "Dear Ms Patel,\n\nThank you for your message. Unfortunately we are unable to accommodate dogs.\n\nKind regards,\nThe Harbour & Hearth team".into(),
        ];
        let p = profile(&formal);
        assert_eq!(p.greetings[0].0, "Dear {name},");
        assert_eq!(p.sign_offs[0].0, "Kind regards,");
        assert!(p.formality >= 0.7, "{}", p.formality);
        assert!(p.instructions().contains("formal"));
        let empty = profile(&[]);
        assert_eq!(empty.messages, 0);
        assert_eq!(
            empty.instructions(),
            "Write plainly and warmly, in British English."
        );
        assert_eq!(profile(&["".into(), "   \n".into()]).messages, 0);
    }
}
