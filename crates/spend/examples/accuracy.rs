//! Print detection precision/recall and savings error on planted ledgers.
//!
//!     cargo run --release -p fcto-spend --example accuracy

use chrono::NaiveDate;
use fcto_spend::catalog::Catalog;
use fcto_spend::synth::{evaluate, ledger};

fn main() {
    let catalog = Catalog::builtin();
    println!("| seed | months | transactions | planted | detected | precision | recall | savings found | expected | error |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for seed in 1..=10u64 {
        let months = 12 + (seed as u32 * 5) % 13;
        let end =
            NaiveDate::from_ymd_opt(2026, 1 + (seed as u32 % 11), 28).unwrap_or(NaiveDate::MIN);
        let l = ledger(seed, end, months);
        match evaluate(&l, &catalog) {
            Ok(e) => println!(
                "| {seed} | {months} | {} | {} | {} | {:.3} | {:.3} | {} | {} | {:+.1}% |",
                e.transactions,
                e.planted,
                e.detected,
                e.precision,
                e.recall,
                e.savings_found,
                e.savings_expected,
                e.savings_error * 100.0
            ),
            Err(err) => println!("| {seed} | import failed: {err} |"),
        }
    }
}
