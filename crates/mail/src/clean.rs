//! What the sender newly wrote: a reply without the quoted history under it
//! and without the signature, so the model reads the question, not the
//! thread's past or someone's phone number.

/// Lines that start a quoted history in the common clients and languages.
fn starts_history(line: &str, next: Option<&str>) -> bool {
    let t = line.trim();
    let lower = t.to_lowercase();
    if lower.starts_with("-----original message-----")
        || lower.starts_with("-------- original message")
        || lower.starts_with("---------- forwarded message")
        || lower.starts_with("begin forwarded message")
    {
        return true;
    }
    // Outlook: a rule, or straight into a From:/Sent: header block.
    if (t.starts_with("________________") || lower.starts_with("from:"))
        && next.is_some_and(|n| {
            let n = n.trim().to_lowercase();
            n.starts_with("sent:") || n.starts_with("date:") || n.starts_with("from:")
        })
    {
        return true;
    }
    // "On <date>, <name> wrote:" (Gmail, Apple Mail, Thunderbird), also
    // wrapped over two lines; and the same in French, German, Spanish.
    let attribution = |s: &str| {
        let s = s.trim_end();
        (s.starts_with("On ") && s.ends_with("wrote:"))
            || (s.starts_with("Le ") && (s.ends_with("a écrit :") || s.ends_with("a écrit:")))
            || (s.starts_with("Am ") && s.ends_with("schrieb:"))
            || (s.starts_with("El ") && s.ends_with("escribió:"))
    };
    if attribution(t) {
        return true;
    }
    if let Some(n) = next {
        let joined = format!("{} {}", t, n.trim());
        if t.starts_with("On ") && !t.ends_with("wrote:") && attribution(&joined) {
            return true;
        }
    }
    false
}

/// Lines that start a signature or a client's footer.
fn starts_signature(line: &str) -> bool {
    let t = line.trim_end();
    let lower = t.trim().to_lowercase();
    t == "-- "
        || t == "--"
        || lower.starts_with("sent from my ")
        || lower.starts_with("get outlook for ")
        || lower.starts_with("sent from outlook")
        || lower.starts_with("sent from yahoo mail")
}

/// The newly written part of `text`: up to the first quoted-history marker
/// or signature, without `>` quoted lines, trimmed.
pub fn new_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).copied();
        if starts_history(line, next) || starts_signature(line) {
            break;
        }
        if line.trim_start().starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.is_empty()) {
        kept.remove(0);
    }
    kept.join("\n")
}

#[cfg(test)]
mod tests {
    use super::new_text;

    #[test]
    fn gmail_reply_keeps_only_the_new_lines() {
        let text = "Yes, Saturday at 7 works.\n\nThanks,\nSam\n\nOn Mon, 1 Dec 2026 at 10:00, Harbour & Hearth <hello@hh.example>\nwrote:\n> We have a table at 7.\n> Best\n";
        assert_eq!(new_text(text), "Yes, Saturday at 7 works.\n\nThanks,\nSam");
    }

    #[test]
    fn outlook_block_signature_and_inline_quotes() {
        let outlook = "Can you do 12 people?\n\n________________________________\nFrom: Bookings <b@hh.example>\nSent: Monday\nSubject: Re: party\n\nOld text";
        assert_eq!(new_text(outlook), "Can you do 12 people?");
        let signed = "Do you take dogs?\n-- \nPriya Shah\n07700 900123";
        assert_eq!(new_text(signed), "Do you take dogs?");
        let phone = "Is there parking?\n\nSent from my iPhone";
        assert_eq!(new_text(phone), "Is there parking?");
        let inline = "> Is 7pm ok?\nYes.\n> And 8 people?\nTen now.";
        assert_eq!(new_text(inline), "Yes.\nTen now.");
        let french = "Oui merci.\nLe lun. 1 déc. 2026, Marie a écrit :\n> Bonjour";
        assert_eq!(new_text(french), "Oui merci.");
    }

    #[test]
    fn a_message_of_only_quotes_is_empty_and_odd_text_is_kept() {
        assert_eq!(new_text("> only\n> quoted\n"), "");
        assert_eq!(new_text(""), "");
        // "From:" in prose is not a header block.
        let prose = "From: our side, we'd like a quote.\nThanks";
        assert_eq!(new_text(prose), prose);
        // "On" that is not an attribution.
        assert_eq!(
            new_text("On Friday we are 12.\nOk?"),
            "On Friday we are 12.\nOk?"
        );
    }
}
