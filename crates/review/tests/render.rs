//! Snapshots of the text and Markdown reports for one realistic change:
//! a blocking index on a big table, a NOT NULL column, a vendor call
//! without a timeout.

use fcto_review::diff::parse_unified;
use fcto_review::render;
use fcto_review::scale::{TableSize, TableSizes};
use fcto_review::{review_file, Finding, ReviewConfig, Warning};

fn findings() -> (Vec<Finding>, Vec<Warning>) {
    let mut sizes = TableSizes::new();
    sizes.insert(
        "orders",
        TableSize {
            rows: 50_000_000,
            bytes: None,
        },
    );
    let config = ReviewConfig::default();
    let mut findings = Vec::new();
    let mut warnings = Vec::new();
    for (path, text) in [
        (
            "db/002_orders.sql",
            "SET lock_timeout = '2s';\nCREATE INDEX orders_total ON orders (total);\nALTER TABLE orders ADD COLUMN note text NOT NULL;\nALTER TABLE orders ADD COLUMN ((( broken;\n",
        ),
        (
            "app/pay.py",
            "import requests\n\ndef pay(body):\n    return requests.post(PAYMENTS_URL, json=body)\n",
        ),
    ] {
        let review = review_file(path, text, &config, &sizes);
        findings.extend(review.findings);
        warnings.extend(review.warnings);
    }
    render::sort(&mut findings);
    (findings, warnings)
}

#[test]
fn text_report() {
    let (findings, warnings) = findings();
    insta::assert_snapshot!(render::text(&findings, &warnings, 2));
}

#[test]
fn markdown_report() {
    let (findings, warnings) = findings();
    insta::assert_snapshot!(render::markdown(&findings, &warnings, 2));
}

#[test]
fn github_review_body() {
    let (findings, _) = findings();
    let diff = "diff --git a/db/002_orders.sql b/db/002_orders.sql\nnew file mode 100644\n--- /dev/null\n+++ b/db/002_orders.sql\n@@ -0,0 +1,4 @@\n+x\n+x\n+x\n+x\ndiff --git a/app/pay.py b/app/pay.py\n--- a/app/pay.py\n+++ b/app/pay.py\n@@ -1,0 +2,1 @@\n+\n";
    let changed = parse_unified(diff).expect("diff");
    let body = render::github_review(
        &findings,
        &changed,
        "0123456789abcdef0123456789abcdef01234567",
    );
    // The Python call on line 4 is outside the diff: in the body, not a comment.
    let comments = body["comments"].as_array().expect("comments");
    assert!(comments.iter().all(|c| c["path"] == "db/002_orders.sql"));
    insta::assert_json_snapshot!(body);
}
