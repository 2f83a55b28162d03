//! The built-in catalog: its data, and lookup against a table of
//! real-looking descriptors (several UK banks' styles, processor prefixes,
//! card masks, places, references) and look-alikes that must not match.

use std::collections::{BTreeSet, HashMap, HashSet};

use fcto_spend::catalog::{Catalog, CATEGORIES};

fn id_of<'a>(c: &'a Catalog, raw: &str) -> &'a str {
    c.lookup(raw).map(|v| v.id.as_str()).unwrap_or("none")
}

#[test]
fn builtin_catalog_is_sound() {
    let c = Catalog::builtin();
    let n = c.vendors().len();
    eprintln!("{n} vendors");
    assert!(n >= 320, "{n} vendors");
    let mut ids = HashSet::new();
    let mut per_category: HashMap<&str, usize> = HashMap::new();
    for v in c.vendors() {
        assert!(ids.insert(v.id.as_str()), "duplicate id {}", v.id);
        assert!(
            CATEGORIES.contains(&v.category.as_str()),
            "{}: {}",
            v.id,
            v.category
        );
        *per_category.entry(v.category.as_str()).or_default() += 1;
        assert!(!v.name.trim().is_empty(), "{}: no name", v.id);
        assert!(!v.patterns.is_empty(), "{}: no patterns", v.id);
        for p in &v.patterns {
            assert!(p.chars().count() >= 3, "{}: short pattern {p:?}", v.id);
            assert_eq!(
                p,
                &p.to_uppercase(),
                "{}: pattern {p:?} is not upper-case",
                v.id
            );
        }
        if let Some(d) = v.annual_discount_pct {
            assert!((1.0..=70.0).contains(&d), "{}: discount {d}", v.id);
        }
    }
    let mut counts: Vec<_> = CATEGORIES
        .iter()
        .map(|c| (*c, per_category.get(c).copied().unwrap_or(0)))
        .collect();
    counts.sort_by_key(|(_, n)| *n);
    eprintln!("vendors per category: {counts:?}");
    for (category, count) in counts {
        assert!(count >= 1, "no vendor in category {category}");
    }
}

#[test]
fn no_pattern_is_shared_by_two_vendors() {
    let c = Catalog::builtin();
    let mut owner: HashMap<&str, &str> = HashMap::new();
    let mut shared = Vec::new();
    for v in c.vendors() {
        for p in &v.patterns {
            if let Some(other) = owner.insert(p.as_str(), v.id.as_str()) {
                shared.push(format!("{p:?}: {other} and {}", v.id));
            }
        }
    }
    assert!(shared.is_empty(), "{shared:#?}");
}

/// Whether `inner` occurs in `outer` at word boundaries.
fn word_bounded_in(inner: &str, outer: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    let (o, i) = (outer.as_bytes(), inner.as_bytes());
    outer.match_indices(inner).any(|(s, _)| {
        let e = s + i.len();
        (s == 0 || !word(o[s - 1]) || !word(i[0]))
            && (e == o.len() || !word(o[e]) || !word(i[i.len() - 1]))
    })
}

/// Vendor pairs (inner, outer) where a pattern of `inner` sits inside a
/// longer pattern of `outer` on purpose: a parent company's name before a
/// product's ("ATLASSIAN JIRA", "INTUIT MAILCHIMP", "MSFT AZURE"), and the
/// longer, more specific pattern wins.
const INTENDED_NESTINGS: &[(&str, &str)] = &[
    ("activecampaign", "postmark"),
    ("adobe", "adobe-sign"),
    ("adobe", "adobe-stock"),
    ("atlassian", "bitbucket"),
    ("atlassian", "confluence"),
    ("atlassian", "jira"),
    ("atlassian", "loom"),
    ("atlassian", "opsgenie"),
    ("atlassian", "statuspage"),
    ("atlassian", "trello"),
    ("cloudflare", "cloudflare-zt"),
    ("dropbox", "dropbox-sign"),
    ("freshdesk", "freshsales"),
    ("github", "github-copilot"),
    ("godaddy", "godaddy-builder"),
    ("gotomeeting", "lastpass"),
    ("linkedin", "linkedin-ads"),
    ("linkedin", "linkedin-learning"),
    ("meta-ads", "whatsapp-business"),
    ("microsoft-365", "azure"),
    ("microsoft-365", "dynamics-365"),
    ("microsoft-365", "microsoft-ads"),
    ("microsoft-365", "microsoft-copilot"),
    ("microsoft-365", "microsoft-intune"),
    ("microsoft-365", "power-bi"),
    ("microsoft-365", "xbox"),
    ("notion", "notion-ai"),
    ("quickbooks", "mailchimp"),
    ("salesforce", "heroku"),
    ("squarespace", "acuity"),
    ("squarespace", "google-domains"),
    ("todoist", "twist"),
    ("twilio", "segment"),
    ("twilio", "sendgrid"),
    ("xero", "xero-payroll"),
    ("zoho", "bigin"),
    ("zoho", "zoho-analytics"),
    ("zoho", "zoho-books"),
    ("zoho", "zoho-crm"),
    ("zoho", "zoho-desk"),
    ("zoho", "zoho-flow"),
    ("zoho", "zoho-forms"),
    ("zoho", "zoho-meeting"),
    ("zoho", "zoho-projects"),
    ("zoho", "zoho-sign"),
    ("zoho", "zoho-vault"),
    ("zoho", "zoho-workplace"),
];

#[test]
fn one_vendors_pattern_sits_in_anothers_only_where_intended() {
    let c = Catalog::builtin();
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    let mut examples = Vec::new();
    for outer in c.vendors() {
        for inner in c.vendors() {
            if inner.id == outer.id {
                continue;
            }
            for op in &outer.patterns {
                for ip in &inner.patterns {
                    if op != ip
                        && word_bounded_in(ip, op)
                        && found.insert((inner.id.clone(), outer.id.clone()))
                    {
                        examples.push(format!("{} {ip:?} in {} {op:?}", inner.id, outer.id));
                    }
                }
            }
        }
    }
    examples.sort();
    eprintln!("pattern nestings across vendors ({}):", examples.len());
    for e in &examples {
        eprintln!("  {e}");
    }
    let intended: BTreeSet<(String, String)> = INTENDED_NESTINGS
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let unintended: Vec<_> = found.difference(&intended).collect();
    let stale: Vec<_> = intended.difference(&found).collect();
    assert!(
        unintended.is_empty(),
        "patterns nested across vendors without being listed as intended: {unintended:?}"
    );
    assert!(
        stale.is_empty(),
        "listed nestings that no longer occur: {stale:?}"
    );
}

/// Every pattern, wrapped the ways banks and processors wrap merchants,
/// finds its own vendor: patterns survive cleaning, and no other vendor's
/// pattern takes them over.
#[test]
fn every_pattern_finds_its_vendor_in_every_bank_style() {
    let c = Catalog::builtin();
    let wrappers = [
        "{}",
        "{} 4829 LONDON GBR",
        "CARD PAYMENT TO {} ON 12 JAN",
        "{} ON 03 FEB BCC",
        "VIS {} ****1234",
        "PAYPAL *{}",
        "PADDLE.NET* {}",
        "CRV*{} T0A1B2C3",
        "DD {} REF 0012345678",
        "{} 888-799-9666 CA USA",
        "{}, 9.99 USD, RATE 1.26/GBP ON 02-01-2024",
        "4829 12JAN24 C {} 15.99 USD VISA RATE 1.2618",
    ];
    let mut checked = 0;
    let mut wrong = Vec::new();
    for v in c.vendors() {
        for p in &v.patterns {
            for w in wrappers {
                let raw = w.replace("{}", p);
                checked += 1;
                let got = id_of(&c, &raw);
                if got != v.id {
                    wrong.push(format!("{raw:?}: got {got}, want {}", v.id));
                }
            }
        }
    }
    eprintln!("{checked} wrapped patterns, {} wrong", wrong.len());
    assert!(wrong.is_empty(), "{:#?}", &wrong[..wrong.len().min(60)]);
}

#[test]
fn descriptors_map_to_the_right_vendor() {
    let c = Catalog::builtin();
    let table = include_str!("fixtures/descriptors/cases.tsv");
    let (mut vendors, mut lookalikes) = (0, 0);
    let (mut vendor_hits, mut lookalike_hits) = (0, 0);
    let mut wrong = Vec::new();
    let mut seen = HashSet::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (raw, want) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("cases.tsv:{}: no tab in {line:?}", n + 1));
        let want = want.trim();
        assert!(seen.insert(raw), "cases.tsv:{}: {raw:?} twice", n + 1);
        assert!(
            want == "none" || c.get(want).is_some(),
            "cases.tsv:{}: unknown vendor id {want:?}",
            n + 1
        );
        let got = id_of(&c, raw);
        let right = got == want;
        if want == "none" {
            lookalikes += 1;
            lookalike_hits += usize::from(right);
        } else {
            vendors += 1;
            vendor_hits += usize::from(right);
        }
        if !right {
            wrong.push(format!(
                "cases.tsv:{}: {raw:?}: got {got}, want {want}",
                n + 1
            ));
        }
    }
    eprintln!(
        "{} descriptors: {vendor_hits}/{vendors} vendor descriptors right ({:.1}%), \
         {lookalike_hits}/{lookalikes} look-alikes left unmatched",
        vendors + lookalikes,
        100.0 * vendor_hits as f64 / vendors.max(1) as f64
    );
    for must in [
        "PADDLE.NET* NOTION",
        "GOOGLE *GSUITE_ACME",
        "MSFT *<E0600ABC12>",
        "ATLASSIAN SYDNEY",
        "NOTIONAL INTEREST",
        "ZOOMCAR",
        "SLACKS TAILORING",
        "BOX HILL SCHOOL",
        "ASANA YOGA STUDIO",
    ] {
        assert!(seen.contains(must), "the table must keep {must:?}");
    }
    assert!(vendors >= 150, "{vendors} vendor descriptors");
    assert!(lookalikes >= 40, "{lookalikes} look-alikes");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn client_entries_extend_and_override() {
    let mut c = Catalog::builtin();
    let builtin_count = c.vendors().len();
    let extra = Catalog::from_toml(
        r#"
[[vendor]]
id = "acme-rota"
name = "Acme Rota"
category = "payroll-and-hr"
pricing = "per-seat"
patterns = ["ACME ROTA"]

[[vendor]]
id = "slack"
name = "Slack (our plan)"
category = "team-chat"
pricing = "flat"
patterns = ["SLACK"]

# A client's own vendor with a pattern shorter than a built-in one that
# also matches: the client's entry wins.
[[vendor]]
id = "notion-reseller"
name = "Notion via our reseller"
category = "docs-and-wiki"
pricing = "per-seat"
patterns = ["NOTION LABS", "PAYPAL *NOTIONRESELL"]
"#,
        "client.toml",
    )
    .expect("parse");
    c.extend(extra);
    assert_eq!(
        c.vendors().len(),
        builtin_count + 2,
        "slack replaced, two added"
    );
    assert_eq!(id_of(&c, "ACME ROTA LTD 1234"), "acme-rota");
    assert_eq!(
        id_of(&c, "CARD PAYMENT TO ACME ROTA ON 03 MAR"),
        "acme-rota"
    );
    assert_eq!(
        c.get("slack").map(|v| v.name.as_str()),
        Some("Slack (our plan)")
    );
    assert_eq!(
        c.lookup("SLACK T0ABC").map(|v| v.name.as_str()),
        Some("Slack (our plan)")
    );
    assert_eq!(
        c.lookup("SLACK TECHNOLOGIES DUBLIN")
            .map(|v| v.name.as_str()),
        Some("Slack (our plan)"),
        "the built-in Slack's longer patterns went with it"
    );
    assert_eq!(id_of(&c, "NOTION LABS, INC."), "notion-reseller");
    assert_eq!(id_of(&c, "NOTIONRESELL 12345"), "notion-reseller");
    assert_eq!(id_of(&c, "PADDLE.NET* NOTION"), "notion");
    // A second layer beats the first.
    let mut again = c.clone();
    again.extend(
        Catalog::from_toml(
            "[[vendor]]\nid = \"acme-2\"\nname = \"A2\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = [\"ACME\"]\n",
            "second.toml",
        )
        .expect("parse"),
    );
    assert_eq!(id_of(&again, "ACME ROTA LTD"), "acme-2");
    // The built-in catalog is untouched for everyone else.
    let fresh = Catalog::builtin();
    assert_eq!(id_of(&fresh, "NOTION LABS, INC."), "notion");
    assert_eq!(id_of(&fresh, "ACME ROTA LTD"), "none");
    assert_eq!(fresh.get("slack").map(|v| v.name.as_str()), Some("Slack"));
}

#[test]
fn bad_catalog_files_are_named_errors() {
    let ok_vendor = |id: &str| {
        format!(
            "[[vendor]]\nid = \"{id}\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = [\"XYZ CRM\"]\n\n"
        )
    };
    let one = |field_lines: &str| format!("[[vendor]]\n{field_lines}");
    let cases: Vec<(String, &[&str])> = vec![
        // Broken TOML: the line and column are named.
        (
            format!("{}[[vendor]]\nid = \"x\nname = \"X\"\n", ok_vendor("a")),
            &["client.toml: line 9, column"],
        ),
        (
            "vendor = [ { id = \"x\" ".into(),
            &["client.toml: line 1, column"],
        ),
        (
            format!(
                "{}[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"nonsense\"\npricing = \"flat\"\npatterns = [\"XXXX\"]\n",
                ok_vendor("a")
            ),
            &[
                "client.toml: line 11: category:",
                "unknown category \"nonsense\"",
                "vendor \"x\"",
            ],
        ),
        (
            format!("{}{}", ok_vendor("a"), ok_vendor("a")),
            &[
                "client.toml: line 9: id:",
                "vendor id \"a\" appears twice (first on line 2)",
            ],
        ),
        (
            one("id = \"x\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = [\"ACME\", \"XY\"]\n"),
            &[
                "client.toml: line 6: patterns:",
                "pattern \"XY\" is shorter than 3 characters",
            ],
        ),
        (
            one("id = \"x\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = [\"PADDLE.NET* AB\"]\n"),
            &["client.toml: line 6: patterns:", "once cleaned like a descriptor"],
        ),
        (
            one("id = \"x\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = []\n"),
            &["client.toml: line 6: patterns:", "has no patterns"],
        ),
        (
            one("id = \"x\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"cheap\"\npatterns = [\"XYZ\"]\n"),
            &["client.toml: line 5, column", "cheap"],
        ),
        (
            one("id = \"x\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npattern = [\"XYZ\"]\n"),
            &["client.toml: line 6, column", "pattern"],
        ),
        (
            one("id = \"X Y\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = [\"XYZ\"]\n"),
            &["client.toml: line 2: id:", "lower-case"],
        ),
        (
            one("id = \"x\"\nname = \"X\"\ncategory = \"crm\"\npricing = \"flat\"\npatterns = [\"XYZ\"]\nannual_discount_pct = 120\n"),
            &["client.toml: line 7: annual_discount_pct:", "120"],
        ),
        (
            "[[vendors]]\nid = \"x\"\n".into(),
            &["client.toml: line 1, column", "vendors"],
        ),
    ];
    for (text, needles) in &cases {
        let e = Catalog::from_toml(text, "client.toml")
            .err()
            .unwrap_or_else(|| panic!("accepted:\n{text}"));
        let msg = e.to_string();
        for needle in *needles {
            assert!(msg.contains(needle), "{msg:?} lacks {needle:?}");
        }
        assert!(!msg.contains('\n'), "one line: {msg:?}");
    }
    // The inline-table layout parses too, and an empty file is no vendors.
    let inline = Catalog::from_toml(
        "vendor = [ { id = \"x\", name = \"X\", category = \"crm\", pricing = \"flat\", patterns = [\"XYZ CRM\"] } ]",
        "client.toml",
    )
    .expect("inline tables");
    assert_eq!(id_of(&inline, "XYZ CRM LTD"), "x");
    let empty = Catalog::from_toml("", "empty.toml").expect("empty");
    assert!(empty.vendors().is_empty());
    assert_eq!(id_of(&empty, "SLACK"), "none");
}

/// `cargo test --release -p fcto-spend --test catalog -- --ignored --nocapture`
#[test]
#[ignore = "a timing, not a check"]
fn lookup_speed() {
    let c = Catalog::builtin();
    let table = include_str!("fixtures/descriptors/cases.tsv");
    let raws: Vec<&str> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(r, _)| r))
        .collect();
    let n = 1_000_000;
    let start = std::time::Instant::now();
    let mut found = 0usize;
    for i in 0..n {
        found += usize::from(c.lookup(raws[i % raws.len()]).is_some());
    }
    let took = start.elapsed();
    eprintln!(
        "{n} lookups of {} distinct descriptors in {:.2} s ({:.2} µs each), {found} found",
        raws.len(),
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64
    );
}
