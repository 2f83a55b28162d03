//! Cleaning raw bank descriptors so the same merchant reads the same way.
//!
//! UK banks and card issuers wrap the merchant's name in their own noise:
//! a transaction type ("CARD PAYMENT TO", "DD", Barclays' "ON 12 JAN CPM"),
//! the payment processor or wallet that took the money ("PADDLE.NET*",
//! "PAYPAL *", "SQ *", "CRV*"), card masks, references, phone numbers, FX
//! details and the city the card was charged in. [`clean_descriptor`] takes
//! them off; [`merchant_key`] reduces what is left to a grouping key.
//!
//! Everything here is plain string work on short strings (no regular
//! expressions): it runs once per distinct descriptor of a million-row file.

/// Transaction-type words UK banks put before the merchant (Lloyds "CARD
/// PAYMENT TO", Santander "DIRECT DEBIT PAYMENT TO", HSBC "VIS"/"DD" type
/// codes copied into the text). Longest first where one starts another.
const BANK_PREFIXES: &[&str] = &[
    "BILL PAYMENT VIA FASTER PAYMENT TO",
    "STANDING ORDER VIA FASTER PAYMENT TO",
    "FASTER PAYMENT TO",
    "BILL PAYMENT TO",
    "BILL PAYMENT",
    "STANDING ORDER TO",
    "STANDING ORDER",
    "DIRECT DEBIT PAYMENT TO",
    "DIRECT DEBIT PAYMENT",
    "DIRECT DEBIT TO",
    "DIRECT DEBIT",
    "DEBIT CARD PAYMENT TO",
    "DEBIT CARD PAYMENT",
    "DEBIT CARD PURCHASE",
    "CARD PAYMENT TO",
    "CARD PAYMENT",
    "CARD PURCHASE AT",
    "CARD PURCHASE",
    "CONTACTLESS PAYMENT TO",
    "CONTACTLESS PAYMENT",
    "CONTACTLESS",
    "ONLINE PAYMENT TO",
    "PAYMENT TO",
    "PURCHASE AT",
    "PURCHASE",
    "VISA DEBIT",
    "VISA",
    "VIS",
    "DEBIT",
    "DEB",
    "POS",
    "D/D",
    "DDR",
    "DD",
    "FPO",
    "BGC",
    "STO",
    "SO",
    "TFR",
    "CHG",
    "BCC",
    "CPM",
    "CLP",
];

/// Payment processors, resellers and wallets that write their own name
/// before the merchant's, with a `*` between ("PADDLE.NET* NOTION",
/// "PAYPAL *ZOOMVIDEOCO", "SQ *CAFE", "SP * SHOP", "FS *TECHSMITH",
/// "2CO.COM*BITDEFENDER", "CRV*SLACK" for Curve).
const PROCESSORS: &[&str] = &[
    "PADDLE.NET",
    "PADDLE.COM",
    "PADDLE",
    "PAYPAL",
    "PP",
    "SQ",
    "SP",
    "STRIPE",
    "FS",
    "FSPRG",
    "2CO.COM",
    "2CO",
    "AVANGATE",
    "CKO",
    "CHECKOUT.COM",
    "CRV",
    "CURVE",
    "ZTL",
    "IZ",
    "IZETTLE",
    "SUMUP",
    "TST",
    "WPY",
    "DNH",
    "LEMSQZY",
    "PAYPRO",
    "MYCOMMERCE",
    "DRI",
    "CLEVERBRIDGE",
    "BLUESNAP",
    "APPLEPAY",
    "APPLE PAY",
    "GOOGLE PAY",
    "GPAY",
];

/// Collectors that put the payee after a word ("GC RE NOTION", GoCardless's
/// "GOCARDLESS LTD REF XERO"): the payee is the merchant.
const VIA_PREFIXES: &[&str] = &[
    "GC RE",
    "GOCARDLESS LTD REF",
    "GOCARDLESS LTD RE",
    "GOCARDLESS.COM REF",
    "GOCARDLESS REF",
    "GOCARDLESS RE",
    "PAYPAL PAYMENT TO",
];

/// Words after `GOOGLE *` that name one of Google's own products: there
/// `GOOGLE` is the vendor and stays. Anything else after `GOOGLE *` is an
/// app bought through Google Play ("GOOGLE *CALM"), and the app is the
/// merchant.
const GOOGLE_PRODUCTS: &[&str] = &[
    "GSUITE",
    "G",
    "WORKSPACE",
    "CLOUD",
    "GCP",
    "ADS",
    "ADWORDS",
    "DOMAINS",
    "GOOGLE",
    "YOUTUBE",
    "YOUTUBEPREMIUM",
    "GEMINI",
    "STORAGE",
    "PLAY",
    "ONE",
    "FI",
    "FIBER",
    "NEST",
    "CHROME",
    "SERVICES",
    "SVCS",
    "MAPS",
    "APPSHEET",
    "FIREBASE",
    "VOICE",
    "PAYMENTS",
    "AI",
];

/// Trailing wallet, processor and FX notes ("NOTION VIA PADDLE", Monzo's
/// "(via Apple Pay)", NatWest's "NON-STERLING TRANSACTION FEE").
const SUFFIXES: &[&str] = &[
    "NON-STERLING TRANSACTION FEE",
    "NON-STERLING FEE",
    "VIA APPLE PAY",
    "VIA GOOGLE PAY",
    "VIA PADDLE",
    "VIA PAYPAL",
    "VIA STRIPE",
    "APPLE PAY",
    "GOOGLE PAY",
];

/// Places a card was charged in, as they trail descriptors: cities,
/// countries (ISO codes and names), US states of the usual SaaS addresses.
const PLACES: &[&str] = &[
    "LONDON",
    "DUBLIN",
    "SYDNEY",
    "SAN FRANCISCO",
    "SOUTH SAN FRANCISCO",
    "NEW YORK",
    "MOUNTAIN VIEW",
    "PALO ALTO",
    "MENLO PARK",
    "SAN JOSE",
    "SAN MATEO",
    "LOS ANGELES",
    "SANTA MONICA",
    "SALT LAKE CITY",
    "TEL AVIV",
    "HONG KONG",
    "SEATTLE",
    "REDMOND",
    "BOSTON",
    "CAMBRIDGE",
    "CHICAGO",
    "AUSTIN",
    "DENVER",
    "ATLANTA",
    "WILMINGTON",
    "DOVER",
    "TORONTO",
    "OTTAWA",
    "VANCOUVER",
    "MONTREAL",
    "MELBOURNE",
    "WELLINGTON",
    "AUCKLAND",
    "SINGAPORE",
    "AMSTERDAM",
    "EINDHOVEN",
    "LUXEMBOURG",
    "BERLIN",
    "MUNICH",
    "HAMBURG",
    "PARIS",
    "BARCELONA",
    "MADRID",
    "LISBON",
    "MILAN",
    "ZURICH",
    "GENEVA",
    "STOCKHOLM",
    "COPENHAGEN",
    "OSLO",
    "HELSINKI",
    "TALLINN",
    "VILNIUS",
    "PRAGUE",
    "WARSAW",
    "MALTA",
    "CORK",
    "GALWAY",
    "BELFAST",
    "EDINBURGH",
    "GLASGOW",
    "MANCHESTER",
    "BIRMINGHAM",
    "LEEDS",
    "BRISTOL",
    "READING",
    "SLOUGH",
    "BRIGHTON",
    "NEWCASTLE",
    "CARDIFF",
    "SHEFFIELD",
    "LIVERPOOL",
    "NOTTINGHAM",
    "OXFORD",
    "UNITED KINGDOM",
    "IRELAND",
    "AUSTRALIA",
    "NETHERLANDS",
    "GERMANY",
    "FRANCE",
    "ESTONIA",
    "SWEDEN",
    "DENMARK",
    "CANADA",
    "INTERNET",
    "GBR",
    "IRL",
    "USA",
    "AUS",
    "NLD",
    "DEU",
    "LUX",
    "FRA",
    "ESP",
    "EST",
    "SWE",
    "CAN",
    "SGP",
    "ISR",
    "CHE",
    "US",
    "UK",
    "GB",
    "NL",
    "IE",
    "LU",
    "DE",
    "EE",
    "AU",
    "FR",
    "ES",
    "SE",
    "DK",
    "FI",
    "CH",
    "SG",
    "IL",
    "NO",
    "NZ",
    "CA",
    "NY",
    "WA",
    "MA",
    "TX",
    "GA",
];

/// Type codes banks append (Barclays "... ON 12 JAN CPM", "BCC", "BGC").
const BANK_SUFFIXES: &[&str] = &[
    "CPM", "BCC", "CLP", "BGC", "DDR", "DD", "STO", "SO", "TFR", "FT", "FPO", "FPI", "CHG", "DEB",
    "POS", "VIS", "BP", "CR", "DR",
];

/// Words that introduce a number that is then removed ("CARD 1234",
/// "REF 88213", "MANDATE NO 0012", "VISA RATE 1.2618"); they go with it.
const NUMBER_LABELS: &[&str] = &[
    "CARD",
    "CD",
    "ENDING",
    "NO",
    "NR",
    "NUM",
    "REF",
    "REF:",
    "REFERENCE",
    "MANDATE",
    "INV",
    "INVOICE",
    "ORDER",
    "TXN",
    "ID",
    "AUTH",
    "RATE",
    "ON",
    "AT",
    "VISA",
    "MASTERCARD",
    "FX",
    "COMMISSION",
    "AMT",
    "AMOUNT",
    "NON-STERLING",
];

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC",
];

const CURRENCIES: &[&str] = &[
    "GBP", "USD", "EUR", "AUD", "CAD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "SGD", "JPY",
];

/// Legal-form words, left out of merchant keys.
const LEGAL_FORMS: &[&str] = &[
    "LTD",
    "LIMITED",
    "PLC",
    "LLP",
    "LLC",
    "INC",
    "CORP",
    "CORPORATION",
    "CO",
    "COMPANY",
    "GMBH",
    "AG",
    "BV",
    "B.V",
    "NV",
    "SA",
    "SAS",
    "SARL",
    "SL",
    "SRL",
    "SPA",
    "AB",
    "AS",
    "APS",
    "OY",
    "OU",
    "PTY",
    "PTE",
];

/// Upper-case descriptor with bank type words, payment-processor prefixes,
/// card masks, references, phone numbers, FX details, dates, times and
/// trailing places removed, whitespace collapsed:
/// `"PADDLE.NET* NOTION 4829"` -> `"NOTION"`,
/// `"CARD PAYMENT TO SLACK T02ABCD1 ON 12 JAN"` -> `"SLACK"`,
/// `"GOOGLE *GSUITE_ACME"` -> `"GOOGLE GSUITE ACME"`.
pub fn clean_descriptor(raw: &str) -> String {
    clean(raw, true)
}

/// What the catalog matches against: [`clean_descriptor`] without dropping
/// trailing places, so that a country that is part of a name ("ZOOM US",
/// "XERO UK") survives; places cannot match a pattern elsewhere anyway.
pub(crate) fn clean_for_match(raw: &str) -> String {
    clean(raw, false)
}

fn clean(raw: &str, drop_places: bool) -> String {
    let mut s = String::with_capacity(raw.len() + 8);
    for c in raw.trim().chars() {
        match c {
            '\'' | '\u{2019}' | '"' => {}
            '_' | ',' | ';' | '|' | '(' | ')' | '[' | ']' | '{' | '}' | '=' | '~' | '!' | '?' => {
                s.push(' ')
            }
            // "GODADDY#123456789": a reference glued on with '#'.
            '#' => s.push_str(" #"),
            c if c.is_whitespace() || c.is_control() => s.push(' '),
            c if c.is_ascii() => s.push(c.to_ascii_uppercase()),
            c => s.extend(c.to_uppercase()),
        }
    }
    let s = strip_prefixes(&s);
    let s = s.replace('*', " ");

    let mut tokens: Vec<&str> = s
        .split(' ')
        .map(trim_token)
        .map(unglue)
        .filter(|t| t.bytes().any(|b| b.is_ascii_alphanumeric() || b >= 0x80))
        .collect();
    drop_noise(&mut tokens);
    loop {
        let before = tokens.len();
        strip_suffix_phrases(&mut tokens, SUFFIXES);
        if tokens.len() > 1 && BANK_SUFFIXES.contains(&tokens[tokens.len() - 1]) {
            tokens.pop();
        }
        if drop_places {
            strip_suffix_phrases(&mut tokens, PLACES);
            // "LONDON EC2A", "DUBLIN D02": an outward code after a city.
            if tokens.len() > 2
                && is_outward_code(tokens[tokens.len() - 1])
                && PLACES.contains(&tokens[tokens.len() - 2])
            {
                tokens.truncate(tokens.len() - 2);
            }
        }
        if tokens.len() == before {
            break;
        }
    }
    tokens.join(" ")
}

/// Strip leading bank words, processors and wallets, repeatedly
/// ("CARD PAYMENT TO PAYPAL *ZOOMVIDEOCO" -> "ZOOMVIDEOCO").
fn strip_prefixes(s: &str) -> String {
    let mut s = s.trim_start();
    loop {
        let before = s.len();
        if let Some(rest) = s.strip_prefix("WWW.") {
            s = rest;
        }
        for p in BANK_PREFIXES.iter().chain(VIA_PREFIXES) {
            if let Some(rest) = s.strip_prefix(p) {
                if rest.starts_with(' ') && rest.bytes().any(|b| b.is_ascii_alphabetic()) {
                    s = rest.trim_start();
                }
            }
        }
        for p in PROCESSORS {
            if let Some(rest) = s.strip_prefix(p) {
                let after = rest.trim_start();
                let rest = if let Some(r) = after.strip_prefix('*') {
                    r
                } else if p.contains('.') && rest.starts_with(' ') {
                    // "PADDLE.NET NOTION": a domain is never the merchant.
                    after
                } else {
                    continue;
                };
                let rest = rest.trim_start_matches([' ', '*']);
                if rest.bytes().any(|b| b.is_ascii_alphabetic()) {
                    s = rest;
                    break;
                }
            }
        }
        if let Some(rest) = s.strip_prefix("GOOGLE") {
            if let Some(rest) = rest.trim_start().strip_prefix('*') {
                let rest = rest.trim_start_matches([' ', '*']);
                let word_end = rest
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len());
                if rest.is_empty() {
                    s = "GOOGLE";
                } else if GOOGLE_PRODUCTS.contains(&&rest[..word_end]) {
                    // "GOOGLE *ADS1234567" is "ADS" with a reference;
                    // "GOOGLE *GOOGLE ONE" is "GOOGLE ONE".
                    let product = rest.strip_prefix("GOOGLE ").unwrap_or(rest);
                    return format!("GOOGLE {product}");
                } else {
                    s = rest;
                }
            }
        }
        if s.len() == before {
            break;
        }
    }
    s.to_string()
}

/// "ADS1234567" -> "ADS", "INV123456" -> "INV": a word with a long number
/// glued on keeps the word.
fn unglue(t: &str) -> &str {
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &t.as_bytes()[letters..];
    if letters >= 3 && rest.len() >= 4 && rest.iter().all(u8::is_ascii_digit) {
        &t[..letters]
    } else {
        t
    }
}

/// Punctuation that only decorates a token's ends ("INC.", "LTD,",
/// "-SUBSCRIPTION-", "WWW.NOTION.SO/").
fn trim_token(t: &str) -> &str {
    let t = t.trim_matches(|c: char| matches!(c, '.' | '-' | ':' | '/' | '\\' | '&' | '*' | '@'));
    t.strip_prefix("WWW.").unwrap_or(t)
}

fn strip_suffix_phrases(tokens: &mut Vec<&str>, phrases: &[&str]) {
    'again: loop {
        for p in phrases {
            let n = p.split(' ').count();
            if tokens.len() > n && p.split(' ').eq(tokens[tokens.len() - n..].iter().copied()) {
                tokens.truncate(tokens.len() - n);
                continue 'again;
            }
        }
        break;
    }
}

/// A UK or Irish postcode's outward part ("EC2A", "W1", "D02").
fn is_outward_code(t: &str) -> bool {
    let b = t.as_bytes();
    (2..=4).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().any(|c| c.is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_alphanumeric())
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Word,
    /// A reference, card mask, amount, phone number, time or long number.
    Number,
    /// A day number or a compact date ("12JAN", "12JAN24").
    DatePart,
    /// A month name, which is a date only next to a day or "ON".
    Month,
    /// A pure three-digit number: a product ("MICROSOFT 365") unless it is
    /// part of a phone number.
    ThreeDigits,
}

fn drop_noise(tokens: &mut Vec<&str>) {
    let kinds: Vec<Kind> = tokens.iter().map(|t| kind(t)).collect();
    let n = tokens.len();
    let mut keep = vec![true; n];
    let is_num = |i: usize| kinds[i] == Kind::Number || kinds[i] == Kind::DatePart;
    for i in 0..n {
        keep[i] = match kinds[i] {
            Kind::Word => true,
            Kind::Number | Kind::DatePart => false,
            Kind::Month => {
                let near_day = (i > 0 && (is_num(i - 1) || tokens[i - 1] == "ON"))
                    || (i + 1 < n && kinds[i + 1] == Kind::DatePart);
                !near_day
            }
            Kind::ThreeDigits => !is_phone_part(tokens, &kinds, i),
        };
    }
    // Labels of removed numbers go with them ("CARD 1234", "ON 12 JAN",
    // "REF 88213", "MANDATE NO 0012"), working backwards so chains go too.
    for i in (0..n.saturating_sub(1)).rev() {
        if keep[i]
            && !keep[i + 1]
            && (kinds[i + 1] != Kind::Word || NUMBER_LABELS.contains(&tokens[i + 1]))
            && NUMBER_LABELS.contains(&tokens[i])
        {
            keep[i] = false;
        }
    }
    // NatWest's "4829 12JAN24 C ZOOM.US": a one-letter flag after a
    // leading card number and date.
    if let Some(first) = keep.iter().position(|k| *k) {
        if first > 0 && tokens[first].len() == 1 && first + 1 < n {
            keep[first] = false;
        }
    }
    // A currency code next to a removed amount ("USD 12.00", "12.00 USD").
    for i in 0..n {
        if keep[i]
            && CURRENCIES.contains(&tokens[i])
            && ((i > 0 && !keep[i - 1]) || (i + 1 < n && !keep[i + 1]) || i == n - 1)
        {
            keep[i] = false;
        }
    }
    if keep.iter().any(|k| *k) {
        let mut i = 0;
        tokens.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
}

fn is_phone_part(tokens: &[&str], kinds: &[Kind], i: usize) -> bool {
    let digits_only = |j: usize| {
        tokens
            .get(j)
            .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit() || b == b'+'))
    };
    let len = |j: usize| tokens.get(j).map_or(0, |t| t.len());
    // "020 7946 0000", "0800 123 4567", "+44 20 ...", "888 799 9666".
    tokens[i].starts_with('0')
        || (i > 0 && digits_only(i - 1) && tokens[i - 1].starts_with(['0', '+', '1']))
        || (digits_only(i + 1) && len(i + 1) == 3 && digits_only(i + 2) && len(i + 2) == 4)
        || (i > 0 && kinds[i - 1] == Kind::ThreeDigits && digits_only(i + 1) && len(i + 1) == 4)
}

fn kind(t: &str) -> Kind {
    let b = t.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return if MONTHS.contains(&t) {
            Kind::Month
        } else {
            Kind::Word
        };
    }
    if digits == b.len() {
        return match b.len() {
            1 | 2 => Kind::DatePart,
            3 => Kind::ThreeDigits,
            _ => Kind::Number,
        };
    }
    if digits >= 4
        || t.starts_with('#')
        || t.starts_with('+')
        || (t.starts_with('<') && t.ends_with('>'))
    {
        return Kind::Number;
    }
    // Amounts, times, dates and rates: digits and punctuation, perhaps a
    // currency ("12.00", "£9.99", "12:41", "12/01", "1.00/GBP").
    let mut core = t;
    for c in CURRENCIES {
        core = core.trim_start_matches(c).trim_end_matches(c);
    }
    if core
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b':' | b'/' | b'-' | b'+' | b'%'))
        || core.starts_with(['£', '$', '€'])
    {
        return Kind::Number;
    }
    if is_compact_date(t) {
        return Kind::DatePart;
    }
    if !b.iter().all(u8::is_ascii_alphanumeric) {
        // Punctuated tokens with few digits are names ("123-REG", "1&1").
        return Kind::Word;
    }
    let transitions = b
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    let letters = b.len() - digits;
    // "T02ABCD1", "7Y6T5R", "2K4L1": references mix letters and digits;
    // "AB12", "X99": short letter prefixes on numbers.
    if (transitions >= 2 && digits >= 2 && b.len() >= 4)
        || (transitions == 1 && b[0].is_ascii_alphabetic() && letters <= 2 && digits >= 2)
    {
        return Kind::Number;
    }
    Kind::Word
}

/// "12JAN", "12JAN24", "12-JAN-2024", "JAN12".
fn is_compact_date(t: &str) -> bool {
    let core: String = t.chars().filter(|c| *c != '-' && *c != '/').collect();
    let lead = core.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &core[lead..];
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (month, tail) = rest.split_at(letters);
    if !MONTHS.contains(&month) || !tail.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    ((1..=2).contains(&lead) && matches!(tail.len(), 0 | 2 | 4))
        || (lead == 0 && (1..=2).contains(&tail.len()))
}

/// A stable key to group charges of one merchant that is not in the
/// catalog: the cleaned descriptor without legal forms, domain endings and
/// numbers, cut to its first three significant words
/// (`"DELIVEROO 1234 LONDON"` and `"CARD PAYMENT TO DELIVEROO.CO.UK ON 02
/// FEB"` are both `"DELIVEROO"`).
pub fn merchant_key(raw: &str) -> String {
    let cleaned = clean_descriptor(raw);
    let key: Vec<&str> = cleaned
        .split(' ')
        .map(strip_domain)
        .filter(|t| t.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80))
        .filter(|t| !LEGAL_FORMS.contains(t))
        .take(3)
        .collect();
    if key.is_empty() {
        if cleaned.is_empty() {
            raw.trim().to_uppercase()
        } else {
            cleaned
        }
    } else {
        key.join(" ")
    }
}

/// "DELIVEROO.CO.UK" -> "DELIVEROO", "NOTION.SO" -> "NOTION",
/// "ZAPIER.COM/CHARGE" -> "ZAPIER"; "S/MKTS" and other non-domains stay.
fn strip_domain(t: &str) -> &str {
    const ENDINGS: &[&str] = &[
        ".CO.UK", ".ORG.UK", ".COM", ".NET", ".ORG", ".IO", ".CO", ".UK", ".IE", ".EU", ".AI",
        ".APP", ".DEV", ".SO", ".ME", ".US", ".DE", ".NL", ".FR",
    ];
    let mut cut = t.len();
    for e in ENDINGS {
        if let Some(i) = t.find(e) {
            let after = &t[i + e.len()..];
            if i > 0 && (after.is_empty() || after.starts_with(['/', '.'])) {
                cut = cut.min(i);
            }
        }
    }
    &t[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_processor_prefixes_and_references() {
        for (raw, want) in [
            ("PADDLE.NET* NOTION 4829", "NOTION"),
            ("PADDLE.NET* NOTION", "NOTION"),
            ("PADDLE.NET NOTION", "NOTION"),
            ("CARD PAYMENT TO DELIVEROO ON 12 JAN", "DELIVEROO"),
            ("PAYPAL *ZOOMVIDEOCO 4029357733", "ZOOMVIDEOCO"),
            ("PAYPAL *ZOOMVIDEOCO 35314369001 LU", "ZOOMVIDEOCO"),
            ("ATLASSIAN SYDNEY", "ATLASSIAN"),
            ("ATLASSIAN SYDNEY AUS", "ATLASSIAN"),
            ("SQ *BLUE BOTTLE COFFEE", "BLUE BOTTLE COFFEE"),
            ("SP * ALLBIRDS UK", "ALLBIRDS"),
            ("STRIPE* ACME TOOLS", "ACME TOOLS"),
            ("FS *TECHSMITH", "TECHSMITH"),
            ("2CO.COM*BITDEFENDER", "BITDEFENDER"),
            ("CKO*FIGMA", "FIGMA"),
            ("CRV*SLACK T02ABCD1", "SLACK"),
            ("PP*NAMECHEAP", "NAMECHEAP"),
            ("GOOGLE *GSUITE_ACME", "GOOGLE GSUITE ACME"),
            ("GOOGLE*GSUITE_ACME.COM", "GOOGLE GSUITE ACME.COM"),
            ("GOOGLE *CLOUD 7Y6T5R", "GOOGLE CLOUD"),
            ("GOOGLE *ADS1234567", "GOOGLE ADS"),
            ("GOOGLE *GOOGLE ONE", "GOOGLE ONE"),
            ("GOOGLE *YOUTUBEPREMIUM", "GOOGLE YOUTUBEPREMIUM"),
            ("GOOGLE *CALM", "CALM"),
            ("MSFT *<E0600ABC12>", "MSFT"),
            ("MSFT * E0600ABC12", "MSFT"),
            ("AWS EMEA AWS.AMAZON.CO LU", "AWS EMEA AWS.AMAZON.CO"),
            ("SLACK T0123456 DUBLIN IRL", "SLACK"),
            ("SLACK T02ABCD1 ON 03 FEB BCC", "SLACK"),
            ("XERO UK LTD ON 01 MAR CPM", "XERO UK LTD"),
            ("CARD 1234 SLACK TECHNOLOGIES", "SLACK TECHNOLOGIES"),
            ("ZOOM.US 888-799-9666 CA", "ZOOM.US"),
            ("ZOOM.COM 888 799 9666 USA", "ZOOM.COM"),
            ("HUBSPOT INC 0800 123 4567", "HUBSPOT INC"),
            ("MICROSOFT*365 BUSINESS 1234567", "MICROSOFT 365 BUSINESS"),
            ("FIGMA ****1234", "FIGMA"),
            ("NOTION LABS, INC.", "NOTION LABS INC"),
            ("WWW.CANVA.COM", "CANVA.COM"),
            (
                "CARD PAYMENT TO GITHUB.COM,9.00 USD, RATE 1.00/GBP ON 02-01-2024",
                "GITHUB.COM",
            ),
            (
                "DIRECT DEBIT PAYMENT TO XERO UK REF 123456789, MANDATE NO 0012",
                "XERO",
            ),
            ("OPENAI *CHATGPT SUBSCR USD 20.00 @ 1.2612", "OPENAI CHATGPT SUBSCR"),
            ("VIS SLACK T0123 DUBLIN", "SLACK"),
            ("DD HUBSPOT UK", "HUBSPOT"),
            ("))) PRET A MANGER LONDON EC2A", "PRET A MANGER"),
            ("CALENDLY AT 12:34", "CALENDLY"),
            (
                "4829 12JAN24 C ZOOM.US 888-799-9666 US 15.99 USD VISA RATE 1.2618 NON-STERLING TRANSACTION FEE 0.43",
                "ZOOM.US",
            ),
            ("DELIVEROO 12JAN24", "DELIVEROO"),
            ("DELIVEROO 12JAN", "DELIVEROO"),
            ("DNH*GODADDY#123456789", "GODADDY"),
            ("MAY'S DINER", "MAYS DINER"),
            ("OFFICE 365 1234", "OFFICE 365"),
            ("123-REG LTD", "123-REG LTD"),
            ("123REG", "123REG"),
            ("37SIGNALS", "37SIGNALS"),
            ("1PASSWORD", "1PASSWORD"),
            ("8X8 INC", "8X8 INC"),
            ("NOTION VIA PADDLE", "NOTION"),
            ("GC RE NOTION LABS", "NOTION LABS"),
            ("GOCARDLESS LTD REF XERO UK", "XERO"),
            ("GOCARDLESS LTD", "GOCARDLESS LTD"),
            ("PAYPAL *", "PAYPAL"),
            ("1234", "1234"),
            ("", ""),
        ] {
            assert_eq!(clean_descriptor(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn matching_keeps_places_that_are_part_of_a_name() {
        assert_eq!(clean_for_match("ZOOM US 888-799-9666"), "ZOOM US");
        assert_eq!(clean_descriptor("ZOOM US 888-799-9666"), "ZOOM");
        assert_eq!(clean_for_match("SLACK T0123 ON 12 JAN CPM"), "SLACK");
    }

    #[test]
    fn merchant_keys_group_one_merchant() {
        let key = merchant_key("DELIVEROO 1234 LONDON");
        assert_eq!(key, "DELIVEROO");
        for raw in [
            "DELIVEROO 9876",
            "CARD PAYMENT TO DELIVEROO.CO.UK ON 02 FEB",
            "DELIVEROO ON 14 MAR BCC",
            "DELIVEROO LTD",
            "VIS DELIVEROO 44 20 7946 0000",
            "deliveroo   london gbr",
        ] {
            assert_eq!(merchant_key(raw), key, "{raw:?}");
        }
        assert_eq!(merchant_key("TESCO STORES 2231"), "TESCO STORES");
        assert_eq!(merchant_key("TESCO STORES 4410 LEEDS"), "TESCO STORES");
        assert_eq!(merchant_key("AMZN MKTP UK*2K4L1"), "AMZN MKTP");
        assert_eq!(merchant_key("AMZN MKTP UK*9Z8Y7"), "AMZN MKTP");
        assert_eq!(
            merchant_key("THE HARVEST RESTAURANT CAFE"),
            "THE HARVEST RESTAURANT"
        );
        assert_ne!(merchant_key("COSTA COFFEE"), merchant_key("CAFFE NERO"));
        assert_eq!(merchant_key("1234"), "1234");
    }
}
