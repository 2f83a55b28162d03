//! A client's knowledge (prices, FAQs, policies, opening hours as Markdown
//! or text) cut into passages and searched with BM25, so each inquiry
//! brings only the few passages that bear on it into the prompt.

use std::collections::HashMap;

use serde::Serialize;

/// BM25's usual constants.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Passages longer than this many words are split.
const MAX_PASSAGE_WORDS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// The document it came from.
    pub source: String,
    /// The nearest heading above it, if any.
    pub heading: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub passage: Passage,
    pub score: f64,
}

/// Cut a document into passages: paragraphs under their heading, long ones
/// split by sentence groups.
pub fn passages(source: &str, text: &str) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut heading: Option<String> = None;
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, heading: &Option<String>, out: &mut Vec<Passage>| {
        let joined = paragraph.join(" ");
        paragraph.clear();
        let joined = joined.trim();
        if joined.is_empty() {
            return;
        }
        let words: Vec<&str> = joined.split_whitespace().collect();
        for chunk in words.chunks(MAX_PASSAGE_WORDS) {
            out.push(Passage {
                source: source.to_string(),
                heading: heading.clone(),
                text: chunk.join(" "),
            });
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(h) = trimmed.strip_prefix('#') {
            flush(&mut paragraph, &heading, &mut out);
            heading = Some(h.trim_start_matches('#').trim().to_string()).filter(|h| !h.is_empty());
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &heading, &mut out);
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &heading, &mut out);
    out
}

/// Lower-cased word tokens; digits kept (prices and times matter here); a
/// plural `s` dropped so "dog" finds "dogs" (the same on both sides, so
/// the odd wrong cut costs nothing).
pub(crate) fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .filter(|t| !STOP_WORDS.contains(&t.as_str()))
        .map(|t| match t.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem.to_string(),
            _ => t,
        })
        .collect()
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "can", "do", "for", "from", "hi", "hello", "i",
    "if", "in", "is", "it", "me", "my", "of", "on", "or", "our", "please", "so", "thanks", "that",
    "the", "this", "to", "we", "what", "with", "you", "your",
];

/// A BM25 index over passages.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    passages: Vec<Passage>,
    lengths: Vec<usize>,
    /// term -> (passage index, term count)
    postings: HashMap<String, Vec<(usize, u32)>>,
    average_length: f64,
}

impl Knowledge {
    pub fn new(passages: Vec<Passage>) -> Knowledge {
        let mut postings: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
        let mut lengths = Vec::with_capacity(passages.len());
        for (i, p) in passages.iter().enumerate() {
            let mut words = tokens(&p.text);
            if let Some(h) = &p.heading {
                words.extend(tokens(h));
            }
            lengths.push(words.len());
            let mut counts: HashMap<String, u32> = HashMap::new();
            for w in words {
                *counts.entry(w).or_default() += 1;
            }
            for (term, count) in counts {
                postings.entry(term).or_default().push((i, count));
            }
        }
        let average_length = if lengths.is_empty() {
            0.0
        } else {
            lengths.iter().sum::<usize>() as f64 / lengths.len() as f64
        };
        Knowledge {
            passages,
            lengths,
            postings,
            average_length,
        }
    }

    pub fn len(&self) -> usize {
        self.passages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    pub fn passages(&self) -> &[Passage] {
        &self.passages
    }

    /// The `k` passages that best match `query`, best first; none when
    /// nothing shares a word with it.
    pub fn search(&self, query: &str, k: usize) -> Vec<Hit> {
        let n = self.passages.len() as f64;
        let mut scores: HashMap<usize, f64> = HashMap::new();
        let mut seen_terms: Vec<String> = Vec::new();
        for term in tokens(query) {
            if seen_terms.contains(&term) {
                continue;
            }
            let Some(list) = self.postings.get(&term) else {
                seen_terms.push(term);
                continue;
            };
            let df = list.len() as f64;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(i, tf) in list {
                let tf = f64::from(tf);
                let length = self.lengths.get(i).copied().unwrap_or(0) as f64;
                let norm = K1 * (1.0 - B + B * length / self.average_length.max(1.0));
                *scores.entry(i).or_default() += idf * tf * (K1 + 1.0) / (tf + norm);
            }
            seen_terms.push(term);
        }
        let mut ranked: Vec<(usize, f64)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(k)
            .filter_map(|(i, score)| {
                Some(Hit {
                    passage: self.passages.get(i)?.clone(),
                    score,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Opening hours\n\nWe are open Tuesday to Sunday, 12:00 to 22:00. Closed on Mondays.\n\n# Group bookings\n\nGroups of 8 or more pay a deposit of £10 per head. The set menu for groups is £45 per person.\n\n# Dogs\n\nWell-behaved dogs are welcome in the bar area.\n";

    #[test]
    fn passages_follow_headings_and_paragraphs() {
        let p = passages("faq.md", DOC);
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].heading.as_deref(), Some("Group bookings"));
        assert!(p[1].text.starts_with("Groups of 8"));
        let long = "word ".repeat(300);
        assert_eq!(passages("x.txt", &long).len(), 3);
        assert!(passages("empty.md", "\n\n# Only a heading\n").is_empty());
    }

    #[test]
    fn search_ranks_the_passage_that_answers() {
        let k = Knowledge::new(passages("faq.md", DOC));
        let hits = k.search("How much is the deposit for a group of 10?", 2);
        assert_eq!(hits[0].passage.heading.as_deref(), Some("Group bookings"));
        let hits = k.search("Can I bring my dog?", 1);
        assert_eq!(hits[0].passage.heading.as_deref(), Some("Dogs"));
        let hits = k.search("Are you open on Monday or Sunday?", 1);
        assert_eq!(hits[0].passage.heading.as_deref(), Some("Opening hours"));
        assert!(k.search("zzz qqq", 3).is_empty());
        assert!(Knowledge::new(Vec::new()).search("anything", 3).is_empty());
    }
}
