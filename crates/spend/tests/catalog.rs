//! The built-in catalog against a table of real-looking descriptors
//! (several banks' styles) and look-alikes that must not match.

use fcto_spend::catalog::{Catalog, CATEGORIES};

#[test]
fn builtin_catalog_is_sound() {
    let c = Catalog::builtin();
    assert!(c.vendors().len() >= 300, "{} vendors", c.vendors().len());
    let mut ids = std::collections::HashSet::new();
    let mut patterns = std::collections::HashMap::new();
    for v in c.vendors() {
        assert!(ids.insert(v.id.clone()), "duplicate id {}", v.id);
        assert!(
            CATEGORIES.contains(&v.category.as_str()),
            "{}: {}",
            v.id,
            v.category
        );
        for p in &v.patterns {
            if let Some(other) = patterns.insert(p.to_uppercase(), v.id.clone()) {
                panic!("pattern {p:?} of {} is also {other}'s", v.id);
            }
        }
    }
}

#[test]
fn descriptors_map_to_the_right_vendor() {
    let c = Catalog::builtin();
    let table = include_str!("fixtures/descriptors/cases.tsv");
    let mut cases = 0;
    let mut wrong = Vec::new();
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (raw, want) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("bad fixture line {line:?}"));
        let got = c.lookup(raw).map(|v| v.id.as_str()).unwrap_or("none");
        cases += 1;
        if got != want {
            wrong.push(format!("{raw:?}: got {got}, want {want}"));
        }
    }
    eprintln!("{cases} descriptors, {} wrong", wrong.len());
    assert!(cases >= 200, "{cases} cases");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn client_entries_extend_and_override() {
    let mut c = Catalog::builtin();
    let extra = Catalog::from_toml(
        r#"vendor = [
            { id = "acme-rota", name = "Acme Rota", category = "payroll-and-hr", pricing = "per-seat", patterns = ["ACME ROTA"] },
            { id = "slack", name = "Slack (our plan)", category = "team-chat", pricing = "flat", patterns = ["SLACK"] },
        ]"#,
        "client.toml",
    )
    .expect("parse");
    c.extend(extra);
    assert_eq!(
        c.lookup("ACME ROTA LTD 1234").map(|v| v.id.as_str()),
        Some("acme-rota")
    );
    assert_eq!(
        c.get("slack").map(|v| v.name.as_str()),
        Some("Slack (our plan)")
    );
    assert_eq!(
        c.lookup("SLACK T0ABC").map(|v| v.name.as_str()),
        Some("Slack (our plan)")
    );
}

#[test]
fn bad_catalog_files_are_named_errors() {
    let bad = [
        ("vendor = [ { id = \"x\" ", "client.toml"),
        ("vendor = [ { id = \"x\", name = \"X\", category = \"nonsense\", pricing = \"flat\", patterns = [\"XXXX\"] } ]", "unknown category"),
        ("vendor = [ { id = \"x\", name = \"X\", category = \"crm\", pricing = \"flat\", patterns = [\"XY\"] } ]", "shorter than 3"),
        ("vendor = [ { id = \"x\", name = \"X\", category = \"crm\", pricing = \"flat\", patterns = [\"XYZ\"] }, { id = \"x\", name = \"Y\", category = \"crm\", pricing = \"flat\", patterns = [\"ABC\"] } ]", "appears twice"),
        ("vendor = [ { id = \"x\", name = \"X\", category = \"crm\", pricing = \"cheap\", patterns = [\"XYZ\"] } ]", "client.toml"),
    ];
    for (text, needle) in bad {
        let e = Catalog::from_toml(text, "client.toml").expect_err(text);
        let msg = e.to_string();
        assert!(
            msg.starts_with("client.toml: ") && msg.contains(needle),
            "{msg}"
        );
    }
}
