//! Every parser against fixtures in the banks' real layouts: good files with
//! their expected transactions beside them (`<file>.expected.json`), bad files
//! with their exact error (`bad/<name>.expected-error.txt`). Adding a case is
//! adding two files. Set FCTO_BLESS=1 to write missing expected files.

use std::path::Path;

use fcto_spend::import::{parse, Format, MAX_FILE_BYTES};

fn dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import"
    ))
}

fn inputs(d: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(d)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !n.ends_with(".expected.json") && !n.ends_with(".expected-error.txt")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn good_fixtures_parse_to_their_expected_transactions() {
    let bless = std::env::var("FCTO_BLESS").is_ok();
    let files = inputs(dir());
    assert!(files.len() >= 17, "{} fixtures", files.len());
    let mut formats = std::collections::HashSet::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let bytes = std::fs::read(&path).expect("read");
        let st = parse(&name, &bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        formats.insert(st.format);
        let got = serde_json::to_string_pretty(&st).expect("json") + "\n";
        let expected_path = path.with_file_name(format!("{name}.expected.json"));
        match std::fs::read_to_string(&expected_path) {
            Ok(want) => assert_eq!(
                got,
                want,
                "{name}: parsed differently from {}",
                expected_path.display()
            ),
            Err(_) if bless => std::fs::write(&expected_path, &got).expect("bless"),
            Err(_) => panic!(
                "{name}: no {} (run with FCTO_BLESS=1 and review it)",
                expected_path.display()
            ),
        }
        // Given its format explicitly, the same file parses the same.
        assert_eq!(
            parse(&name, &bytes, Some(st.format)).expect("explicit format"),
            st
        );
    }
    for f in Format::ALL {
        assert!(formats.contains(f), "no fixture for {f}");
    }
}

#[test]
fn bad_fixtures_fail_with_their_exact_error() {
    let files = inputs(&dir().join("bad"));
    assert!(files.len() >= 10);
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&name);
        let want =
            std::fs::read_to_string(path.with_file_name(format!("{stem}.expected-error.txt")))
                .unwrap_or_else(|_| panic!("{name}: no expected error file"));
        let bytes = std::fs::read(&path).expect("read");
        let err = parse(&name, &bytes, None).expect_err(&name);
        assert_eq!(err.to_string(), want.trim_end(), "{name}");
    }
}

#[test]
fn truncated_files_never_panic() {
    for path in inputs(dir()) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let bytes = std::fs::read(&path).expect("read");
        for i in 0..50 {
            let cut = bytes.len() * i / 50;
            // Any answer is fine, as long as it is an answer.
            let _ = parse(&name, &bytes[..cut], None);
        }
    }
}

#[test]
fn hostile_inputs_are_errors_not_crashes() {
    let deep = format!("<OFX>{}<STMTTRN>", "<A>".repeat(200));
    assert!(parse("deep.ofx", deep.as_bytes(), None)
        .expect_err("deep")
        .to_string()
        .contains("deeper than 64"));
    let deep_xml = format!(
        "<?xml version=\"1.0\"?><Document xmlns=\"camt.053\"><BkToCstmrStmt>{}",
        "<X>".repeat(500)
    );
    assert!(parse("deep.xml", deep_xml.as_bytes(), None).is_err());
    let entity = "<OFX><!ENTITY x \"y\"><STMTTRN>";
    assert!(parse("e.ofx", entity.as_bytes(), None)
        .expect_err("entity")
        .to_string()
        .contains("entities"));
    let formula =
        "Date,Description,Amount\n01/10/2026,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1.00\n";
    let st = parse("f.csv", formula.as_bytes(), None).expect("formula cells are text");
    assert_eq!(
        st.transactions[0].description,
        "=HYPERLINK(\"http://x\",\"y\")"
    );
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert!(parse("garbage.bin", &garbage, None).is_err());
    for f in Format::ALL {
        let _ = parse("x", b"\xff\xfe\x00", Some(*f));
        let _ = parse("x", b"", Some(*f));
    }
}

#[test]
fn a_file_over_the_limit_is_refused_before_parsing() {
    // A zero-filled buffer just over the limit: refused by its length.
    let len = (MAX_FILE_BYTES + 1) as usize;
    let big = vec![0u8; len];
    let e = parse("huge.csv", &big, None).expect_err("too large");
    assert!(
        e.to_string().contains("larger than the 512 MiB limit"),
        "{e}"
    );
}

#[test]
fn two_hundred_thousand_rows_parse() {
    let mut csv = String::from("Number,Date,Account,Amount,Subcategory,Memo\n");
    for i in 0..200_000u32 {
        csv.push_str(&format!(
            ",{:02}/{:02}/2026,20-32-06 13705633,-{}.{:02},Debit,MERCHANT {}\n",
            1 + i % 28,
            1 + i % 12,
            i % 500,
            i % 100,
            i % 977
        ));
    }
    let st = parse("big.csv", csv.as_bytes(), None).expect("parse");
    assert_eq!(st.transactions.len(), 200_000);
    assert_eq!(st.transactions[199_999].line, 200_001);
}
