//! Write a Monzo-format export of N transactions (for the speed benchmark).
//!
//!     cargo run --release -p fcto-spend --example bulk -- 1000000 /tmp/bulk.csv

use chrono::NaiveDate;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let path = args.next().unwrap_or_else(|| "bulk.csv".into());
    let end = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or(NaiveDate::MIN);
    let bytes = fcto_spend::synth::bulk_monzo_csv(7, n, end);
    if let Err(e) = std::fs::write(&path, &bytes) {
        eprintln!("cannot write {path}: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "wrote {n} transactions, {} MB, to {path}",
        bytes.len() / 1_000_000
    );
}
