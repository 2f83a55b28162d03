//! Cleaning raw bank descriptors so the same merchant reads the same way.

/// Payment processors and bank prefixes that stand before the merchant.
const PREFIXES: &[&str] = &[
    "PADDLE.NET*",
    "PADDLE.COM*",
    "PADDLE *",
    "PAYPAL *",
    "PAYPAL*",
    "PP*",
    "SQ *",
    "SQ*",
    "SP *",
    "SP*",
    "STRIPE*",
    "STRIPE *",
    "FS *",
    "FS*",
    "2CO.COM*",
    "2CO*",
    "CKO*",
    "CRV*",
    "ZTL*",
    "DNH*",
    "WWW.",
    "CARD PAYMENT TO ",
    "DEBIT CARD PAYMENT ",
    "CARD PURCHASE ",
    "VIS ",
    "VISA ",
    "POS ",
    "DD ",
    "DDR ",
    "FPO ",
    "BGC ",
    "SO ",
    "CHG ",
    "DEB ",
    "BP ",
    "TFR ",
];

/// Words that only say where a card was used.
const PLACES: &[&str] = &[
    "LONDON",
    "DUBLIN",
    "SYDNEY",
    "SAN FRANCISCO",
    "NEW YORK",
    "AMSTERDAM",
    "LUXEMBOURG",
    "BERLIN",
    "TALLINN",
    "MANCHESTER",
    "GBR",
    "IRL",
    "USA",
    "US",
    "GB",
    "NL",
    "IE",
    "LU",
    "DE",
    "EE",
    "CA",
    "CPM",
    "INTERNET",
    "ON",
];

/// Upper-case descriptor with payment-processor prefixes, card and
/// reference numbers, dates and trailing places removed:
/// "PADDLE.NET* NOTION 4829" -> "NOTION".
pub fn clean_descriptor(raw: &str) -> String {
    let mut s = raw.trim().to_uppercase();
    loop {
        let before = s.len();
        for p in PREFIXES {
            if let Some(rest) = s.strip_prefix(p) {
                s = rest.trim_start().to_string();
            }
        }
        if s.len() == before {
            break;
        }
    }
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .filter(|t| !is_reference(t))
        .collect();
    let mut kept: Vec<&str> = tokens;
    while let Some(last) = kept.last() {
        if kept.len() > 1 && (PLACES.contains(last) || is_month(last)) {
            kept.pop();
        } else {
            break;
        }
    }
    kept.join(" ")
}

fn is_month(t: &str) -> bool {
    [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ]
    .contains(&t)
}

/// Card masks, references, dates and phone numbers: tokens with four or
/// more digits, or `****1234`, `<E0600ABC12>`, `#123`.
fn is_reference(t: &str) -> bool {
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 4
        || t.starts_with("****")
        || (t.starts_with('<') && t.ends_with('>'))
        || (t.starts_with('#') && digits > 0)
        || (digits > 0 && digits == t.len() && t.len() <= 2)
}

/// A stable key to group charges of one merchant that is not in the catalog:
/// the cleaned descriptor's first three words.
pub fn merchant_key(raw: &str) -> String {
    let cleaned = clean_descriptor(raw);
    let key: Vec<&str> = cleaned.split_whitespace().take(3).collect();
    if key.is_empty() {
        raw.trim().to_uppercase()
    } else {
        key.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_processor_prefixes_and_references() {
        assert_eq!(clean_descriptor("PADDLE.NET* NOTION 4829"), "NOTION");
        assert_eq!(
            clean_descriptor("CARD PAYMENT TO DELIVEROO ON 12 JAN"),
            "DELIVEROO"
        );
        assert_eq!(
            clean_descriptor("PAYPAL *ZOOMVIDEOCO 4029357733"),
            "ZOOMVIDEOCO"
        );
        assert_eq!(clean_descriptor("ATLASSIAN SYDNEY"), "ATLASSIAN");
        assert_eq!(
            merchant_key("DELIVEROO 1234 LONDON"),
            merchant_key("DELIVEROO 9876")
        );
    }
}
