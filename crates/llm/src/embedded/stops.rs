//! Stop strings over streamed text. Text that might be the start of a stop
//! string is held back until the next token shows whether it is, so what
//! was streamed never includes any part of a stop string, and the streamed
//! pieces always add up to the final text.

pub(super) struct Stops {
    stops: Vec<String>,
    text: String,
    /// How much of `text` has been handed out.
    emitted: usize,
}

/// What a new piece of text gave.
pub(super) struct Step {
    /// Text safe to stream now.
    pub emit: String,
    /// A stop string was found; the text ends before it.
    pub stopped: bool,
}

impl Stops {
    pub(super) fn new(stops: &[String]) -> Stops {
        Stops {
            stops: stops.iter().filter(|s| !s.is_empty()).cloned().collect(),
            text: String::new(),
            emitted: 0,
        }
    }

    pub(super) fn push(&mut self, piece: &str) -> Step {
        self.text.push_str(piece);
        let pending = &self.text[self.emitted..];
        // Anything held back was a possible start, so a match starts here.
        let found = self
            .stops
            .iter()
            .filter_map(|s| pending.find(s.as_str()))
            .min();
        if let Some(at) = found {
            let end = self.emitted + at;
            let emit = self.text[self.emitted..end].to_string();
            self.text.truncate(end);
            self.emitted = end;
            return Step {
                emit,
                stopped: true,
            };
        }
        // The longest tail of the pending text that begins a stop string.
        let held = pending
            .char_indices()
            .map(|(i, _)| &pending[i..])
            .find(|tail| self.stops.iter().any(|s| s.starts_with(tail)))
            .map_or(0, str::len);
        let end = self.text.len() - held;
        let emit = self.text[self.emitted..end].to_string();
        self.emitted = end;
        Step {
            emit,
            stopped: false,
        }
    }

    /// The end of the answer: what was held back is text after all.
    pub(super) fn finish(&mut self) -> String {
        let rest = self.text[self.emitted..].to_string();
        self.emitted = self.text.len();
        rest
    }

    pub(super) fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stops: &[&str], pieces: &[&str]) -> (Vec<String>, String, bool) {
        let stops: Vec<String> = stops.iter().map(|s| s.to_string()).collect();
        let mut s = Stops::new(&stops);
        let mut out = Vec::new();
        let mut stopped = false;
        for p in pieces {
            let step = s.push(p);
            out.push(step.emit);
            if step.stopped {
                stopped = true;
                break;
            }
        }
        if !stopped {
            out.push(s.finish());
        }
        out.retain(|p| !p.is_empty());
        (out, s.text().to_string(), stopped)
    }

    #[test]
    fn a_stop_string_split_across_tokens_is_never_streamed() {
        let (out, text, stopped) = run(&["\n\nBest"], &["Hi Anna", ".\n", "\nBe", "st", " wishes"]);
        assert!(stopped);
        assert_eq!(text, "Hi Anna.");
        assert_eq!(out.concat(), text);
    }

    #[test]
    fn held_text_is_released_when_it_was_not_a_stop() {
        let (out, text, stopped) = run(&["END"], &["a E", "N", "x", " done E"]);
        assert!(!stopped);
        assert_eq!(text, "a ENx done E");
        assert_eq!(out.concat(), text);
        assert_eq!(out[0], "a ");
    }

    #[test]
    fn no_stops_streams_everything_at_once() {
        let (out, text, _) = run(&[""], &["é", "😀"]);
        assert_eq!(out, ["é", "😀"]);
        assert_eq!(text, "é😀");
    }
}
