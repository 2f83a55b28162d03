//! Statement import against fixtures: one realistic file per format and
//! variant in `fixtures/import/` with the parsed statement beside it
//! (`<file>.expected.json`, e.g. `monzo.csv.expected.json`), and bad inputs
//! in `fixtures/import/bad/` with the exact error
//! (`<file>.expected-error.txt`). Adding a case is adding
//! two files. A bad fixture named `<case>.<format>.<ext>` is parsed with
//! that format forced; others are detected.
//!
//! `BLESS=1 cargo test -p fcto-spend --test import` rewrites the expected
//! files from the current output (review the diff before committing).
//!
//! The file-size limit is checked on the length alone; its test is a unit
//! test in `src/import/mod.rs` (it takes a synthetic length, so nothing of
//! that size is allocated).

use std::fs;
use std::path::{Path, PathBuf};

use fcto_spend::import::{self, Format, Statement};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn bless() -> bool {
    std::env::var_os("BLESS").is_some()
}

/// Input files in `dir` (not the expectations), sorted.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let n = name(p);
            !n.ends_with(".expected.json")
                && !n.ends_with(".expected-error.txt")
                && !n.starts_with('.')
        })
        .collect();
    out.sort();
    out
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The name without its last extension.
fn stem(p: &Path) -> String {
    let n = name(p);
    match n.rsplit_once('.') {
        Some((s, _)) => s.to_string(),
        None => n,
    }
}

fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn good_fixtures_parse_to_their_expected_json() {
    let cases = inputs(&fixtures());
    assert!(cases.len() >= 20, "only {} fixtures", cases.len());
    let mut failures = Vec::new();
    for path in &cases {
        let file = name(path);
        let bytes = read(path);
        let expected_path = path.with_file_name(format!("{file}.expected.json"));
        let statement = match import::parse(&file, &bytes, None) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        assert_eq!(
            import::detect(&file, &bytes).ok(),
            Some(statement.format),
            "{file}: detect"
        );
        let forced = import::parse(&file, &bytes, Some(statement.format));
        assert_eq!(
            forced.as_ref().ok(),
            Some(&statement),
            "{file}: parse with the format given"
        );
        let actual = serde_json::to_value(&statement).expect("serialise");
        if bless() {
            let text = serde_json::to_string_pretty(&actual).expect("json") + "\n";
            fs::write(&expected_path, text).expect("write expected");
            continue;
        }
        let Ok(expected_text) = fs::read_to_string(&expected_path) else {
            failures.push(format!(
                "{file}: no {} (run with BLESS=1 and review it)",
                name(&expected_path)
            ));
            continue;
        };
        let expected: serde_json::Value =
            serde_json::from_str(&expected_text).expect("expected json");
        if expected != actual {
            failures.push(format!(
                "{file}: parsed statement differs from {}\n--- got ---\n{}",
                name(&expected_path),
                serde_json::to_string_pretty(&actual).unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_format_has_a_fixture() {
    let mut seen: Vec<Format> = inputs(&fixtures())
        .iter()
        .filter_map(|p| {
            import::parse(&name(p), &read(p), None)
                .ok()
                .map(|s| s.format)
        })
        .collect();
    seen.sort_by_key(|f| f.as_str());
    seen.dedup();
    for f in Format::ALL {
        assert!(seen.contains(f), "no good fixture for {f}");
    }
}

#[test]
fn bad_fixtures_fail_with_their_exact_error() {
    let cases = inputs(&fixtures().join("bad"));
    assert!(cases.len() >= 20, "only {} bad fixtures", cases.len());
    let mut failures = Vec::new();
    for path in &cases {
        let file = name(path);
        let bytes = read(path);
        let st = stem(path);
        let forced: Option<Format> = st.rsplit_once('.').and_then(|(_, f)| f.parse().ok());
        let expected_path = path.with_file_name(format!("{file}.expected-error.txt"));
        let err = match import::parse(&file, &bytes, forced) {
            Ok(s) => {
                failures.push(format!(
                    "{file}: parsed as {} with {} transactions",
                    s.format,
                    s.transactions.len()
                ));
                continue;
            }
            Err(e) => e,
        };
        assert_eq!(err.file, file, "{file}: the error names the file");
        let actual = err.to_string();
        if bless() {
            fs::write(&expected_path, format!("{actual}\n")).expect("write expected");
            continue;
        }
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected.trim_end_matches(['\n', '\r']) == actual => {}
            Ok(expected) => failures.push(format!(
                "{file}:\n  expected {}\n  got      {actual}",
                expected.trim_end()
            )),
            Err(_) => failures.push(format!(
                "{file}: no {} (got {actual})",
                name(&expected_path)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every fixture cut at ~50 points: never a panic; a cut XML or OFX file is
/// always an error (never a shorter statement).
#[test]
fn truncated_fixtures_never_panic() {
    for path in inputs(&fixtures()) {
        let file = name(&path);
        let bytes = read(&path);
        let format = import::parse(&file, &bytes, None).map(|s| s.format).ok();
        let structured = matches!(format, Some(Format::Ofx | Format::Camt053));
        let full_end = bytes.trim_ascii_end().len();
        let step = (bytes.len() / 50).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let prefix = &bytes[..cut];
            let detected = import::parse(&file, prefix, None);
            let forced = import::parse(&file, prefix, format);
            if structured && prefix.trim_ascii_end().len() < full_end {
                assert!(forced.is_err(), "{file} cut at {cut} parsed: {forced:?}");
                assert!(
                    detected.is_err(),
                    "{file} cut at {cut} parsed: {detected:?}"
                );
            }
            for other in Format::ALL {
                let _ = import::parse(&file, prefix, Some(*other));
            }
        }
    }
}

/// Every fixture parsed as every other format: an error or a statement,
/// never a panic.
#[test]
fn wrong_format_never_panics() {
    for path in inputs(&fixtures())
        .iter()
        .chain(inputs(&fixtures().join("bad")).iter())
    {
        let bytes = read(path);
        for f in Format::ALL {
            let _ = import::parse(&name(path), &bytes, Some(*f));
        }
    }
}

fn monzo_rows(n: usize) -> String {
    let mut s = String::with_capacity(n * 160);
    s.push_str("Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In\n");
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let pence = 100 + (i * 37) % 50_000;
        s.push_str(&format!(
            "tx_{i:020},{day:02}/{month:02}/2025,10:00:00,Card payment,Vendor {v},,Bills,-{a}.{b:02},GBP,-{a}.{b:02},GBP,,,,VENDOR {v} LONDON,,-{a}.{b:02},\n",
            v = i % 97,
            a = pence / 100,
            b = pence % 100
        ));
    }
    s
}

#[test]
fn a_200k_row_csv_parses() {
    let n = 200_000;
    let text = monzo_rows(n);
    let st = import::parse("big.csv", text.as_bytes(), None).expect("parse");
    assert_eq!(st.format, Format::Monzo);
    assert_eq!(st.transactions.len(), n);
    let last = &st.transactions[n - 1];
    assert_eq!(last.line, n + 1);
    let expected_total: i64 = (0..n).map(|i| -((100 + (i * 37) % 50_000) as i64)).sum();
    assert_eq!(
        st.transactions.iter().map(|t| t.amount).sum::<i64>(),
        expected_total
    );
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"#;

#[test]
fn billion_laughs_is_refused_without_expansion() {
    let camt = format!(
        "{BILLION_LAUGHS}<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&lol9;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>\n"
    );
    let ofx = format!("{BILLION_LAUGHS}<?OFX OFXHEADER=\"200\"?><OFX><NAME>&lol9;</NAME></OFX>\n");
    for (doc, format) in [(&camt, Format::Camt053), (&ofx, Format::Ofx)] {
        for forced in [None, Some(format)] {
            let e = import::parse("lol.xml", doc.as_bytes(), forced).expect_err("must refuse");
            assert_eq!(e.line, Some(2), "{e}");
            assert!(e.message.contains("DOCTYPE"), "{e}");
        }
    }
    // Without a statement around it, it is simply not a format fcto reads.
    let bare = format!("{BILLION_LAUGHS}<lolz>&lol9;</lolz>\n");
    let e = import::parse("lol.xml", bare.as_bytes(), None).expect_err("must refuse");
    assert!(e.message.starts_with("unknown format"), "{e}");
    // An entity used without any declaration is an error too, not text.
    let undeclared = camt.replace(BILLION_LAUGHS, "");
    let e = import::parse("lol.xml", undeclared.as_bytes(), None).expect_err("must refuse");
    assert!(e.message.contains("entity"), "{e}");
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let camt = format!(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>{}{}</Stmt></BkToCstmrStmt></Document>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let e = import::parse("deep.xml", camt.as_bytes(), None).expect_err("must refuse");
    assert!(e.message.contains("nested deeper"), "{e}");
    // OFX is read by a flat scanner: deep nesting is harmless, but the file
    // holds no statement.
    let ofx = format!(
        "OFXHEADER:100\n<OFX>{}{}</OFX>\n",
        "<A>".repeat(depth),
        "</A>".repeat(depth)
    );
    assert!(import::parse("deep.ofx", ofx.as_bytes(), None).is_err());
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn every_encoding_gives_the_same_statement() {
    let path = fixtures().join("starling-utf8-bom.csv");
    let bytes = read(&path);
    let reference: Statement = import::parse("s.csv", &bytes, None).expect("parse");
    assert!(reference
        .transactions
        .iter()
        .any(|t| t.description.contains('£') && t.description.contains('é')));
    let text = import::decode(&bytes).into_owned();
    let (cp1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    assert!(cp1252.contains(&0xA3), "the pound sign is byte 0xA3");
    for variant in [
        text.as_bytes().to_vec(),
        cp1252.into_owned(),
        utf16(&text, false),
        utf16(&text, true),
    ] {
        let st = import::parse("s.csv", &variant, None).expect("parse variant");
        assert_eq!(st, reference);
    }
}

#[test]
fn detection_reads_content_not_the_file_name() {
    let bytes = read(&fixtures().join("monzo.csv"));
    assert_eq!(
        import::detect("statement.ofx", &bytes).ok(),
        Some(Format::Monzo)
    );
    let ofx = read(&fixtures().join("ofx1-sgml-bank.ofx"));
    assert_eq!(import::detect("monzo.csv", &ofx).ok(), Some(Format::Ofx));
}

#[test]
fn rows_keep_their_physical_line_and_raw_text() {
    let st = import::parse("amex.csv", &read(&fixtures().join("amex.csv")), None).expect("parse");
    // The first row's address spans two lines.
    assert_eq!(
        st.transactions.iter().map(|t| t.line).collect::<Vec<_>>(),
        [2, 4, 5]
    );
    let st = import::parse("monzo.csv", &read(&fixtures().join("monzo.csv")), None).expect("parse");
    assert_eq!(
        st.transactions.iter().map(|t| t.line).collect::<Vec<_>>(),
        [2, 3, 5, 6, 7]
    );
    let formula = &st.transactions[3].description;
    assert_eq!(formula, "=HYPERLINK(\"http://evil.example\",\"click\")");
}

#[test]
fn garbage_never_panics() {
    // Deterministic pseudo-random bytes, and random mixes of format tokens.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let tokens: [&[u8]; 16] = [
        b"<",
        b">",
        b"</",
        b"OFX",
        b"<STMTTRN>",
        b"<TRNAMT>",
        b"\"",
        b",",
        b"\n",
        b"\r\n",
        b"12/01/2025",
        b"-1.00",
        b"<Ntry>",
        b"<Amt Ccy=\"GBP\">",
        b"Date,Amount,Payee,Description,Reference\n",
        b"\xEF\xBB\xBF",
    ];
    for round in 0..400 {
        let len = (next() % 400) as usize;
        let mut buf = Vec::with_capacity(len);
        while buf.len() < len {
            if round % 2 == 0 {
                buf.push(next() as u8);
            } else {
                buf.extend_from_slice(tokens[(next() % tokens.len() as u64) as usize]);
            }
        }
        let _ = import::detect("g", &buf);
        for f in Format::ALL {
            let _ = import::parse("g", &buf, Some(*f));
        }
        let _ = import::parse("g", &buf, None);
    }
}
