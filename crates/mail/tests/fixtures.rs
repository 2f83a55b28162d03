//! Every `tests/fixtures/<case>.eml` with `<case>.expected.json` beside it:
//! parsed, cut to its new text and triaged for Harbour & Hearth; each field
//! the expected file names must match. Adding a case is adding two files.

use std::path::Path;

use fcto_mail::{new_text, parse, triage, TriageConfig};
use serde_json::{json, Value};

fn config() -> TriageConfig {
    TriageConfig {
        own_domains: vec!["harbourhearth.example".into()],
        ..TriageConfig::default()
    }
}

#[test]
fn every_fixture_parses_and_triages_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    entries.sort();
    for eml in entries {
        let name = eml
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let expected_path = eml.with_extension("expected.json");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|_| panic!("{name}: no expected.json beside it")),
        )
        .unwrap_or_else(|e| panic!("{name}: expected.json: {e}"));
        let raw = std::fs::read(&eml).expect("read");
        let message = parse(&name, &raw).unwrap_or_else(|e| panic!("{e}"));
        let text = new_text(&message.text);
        let got = json!({
            "subject": message.subject,
            "from": message.from.as_ref().map(|m| m.email.clone()),
            "from_name": message.from.as_ref().and_then(|m| m.name.clone()),
            "thread_id": message.thread_id,
            "in_reply_to": message.in_reply_to,
            "date": message.date,
            "new_text": text,
            "problems": message.problems,
            "attachments": message.attachments.iter().map(|a| json!({"name": a.name, "content_type": a.content_type})).collect::<Vec<_>>(),
            "triage": serde_json::to_value(triage(&message, &config())).expect("json"),
        });
        for (key, want) in expected.as_object().expect("an object") {
            if key == "new_text_contains" {
                for needle in want.as_array().expect("a list") {
                    let needle = needle.as_str().expect("text");
                    assert!(text.contains(needle), "{name}: {needle:?} not in {text:?}");
                }
                continue;
            }
            assert_eq!(&got[key], want, "{name}: {key}");
        }
        cases += 1;
    }
    assert!(cases >= 12, "only {cases} fixtures");
}
