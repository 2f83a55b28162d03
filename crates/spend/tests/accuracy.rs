//! Detection and savings against planted ledgers (several seeds and
//! periods): the issue asks for precision and recall of at least 0.95 and a
//! savings figure within 10%.

use chrono::NaiveDate;
use fcto_spend::catalog::Catalog;
use fcto_spend::synth::{evaluate, ledger};

#[test]
fn planted_ledgers_are_found() {
    let catalog = Catalog::builtin();
    let mut matched = 0;
    let mut detected = 0;
    let mut planted = 0;
    for (seed, end, months) in [
        (1u64, (2026, 10, 31), 18u32),
        (2, (2026, 3, 15), 14),
        (3, (2025, 12, 31), 24),
        (4, (2026, 6, 30), 13),
        (5, (2026, 11, 20), 16),
    ] {
        let end = NaiveDate::from_ymd_opt(end.0, end.1, end.2).expect("date");
        let l = ledger(seed, end, months);
        let e = evaluate(&l, &catalog)
            .unwrap_or_else(|err| panic!("seed {seed}: the generated files must import: {err}"));
        eprintln!(
            "seed {seed}: {} tx, precision {:.3}, recall {:.3}, savings {} vs {} ({:+.1}%), fp {:?}, missed {:?}",
            e.transactions, e.precision, e.recall, e.savings_found, e.savings_expected, e.savings_error * 100.0, e.false_positives, e.missed
        );
        assert!(
            e.savings_error.abs() <= 0.10,
            "seed {seed}: savings {} vs expected {}",
            e.savings_found,
            e.savings_expected
        );
        matched += e.matched;
        detected += e.detected;
        planted += e.planted;
    }
    let precision = matched as f64 / detected as f64;
    let recall = matched as f64 / planted as f64;
    eprintln!("overall precision {precision:.3}, recall {recall:.3}");
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall >= 0.95, "recall {recall}");
}
