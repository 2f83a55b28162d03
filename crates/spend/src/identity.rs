//! Stable transaction identity, so importing a statement twice, or two
//! statements that overlap, never counts a transaction twice.
//!
//! With the bank's own id (Monzo id, OFX FITID, CAMT reference) the key is
//! that id. Without one it is a hash of account, date, amount, currency and
//! descriptor, plus the transaction's rank among identical ones in the same
//! file: two identical £3.20 coffees on one day stay two, and the same two in
//! an overlapping statement are recognised.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::import::{Format, Transaction};

pub fn transaction_keys(format: Format, txs: &[Transaction]) -> Vec<String> {
    // A million rows a file: the bases and the digests are built on two
    // threads; only the rank among identical bases is sequential.
    let bases = in_halves(txs, |part| {
        let mut normalised = String::new();
        part.iter()
            .map(|t| base_of(format, t, &mut normalised))
            .collect()
    });
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity(bases.len());
    let ranks: Vec<u32> = bases
        .iter()
        .map(|base| {
            let n = seen.entry(base.as_str()).or_insert(0);
            *n += 1;
            *n
        })
        .collect();
    let jobs: Vec<(&Transaction, &String, u32)> = txs
        .iter()
        .zip(&bases)
        .zip(ranks)
        .map(|((t, base), rank)| (t, base, rank))
        .collect();
    in_halves(&jobs, |part| {
        part.iter()
            .map(|(t, base, rank)| key_of(t, base, *rank))
            .collect()
    })
}

/// What identifies a transaction before its rank among identical ones.
fn base_of(format: Format, t: &Transaction, normalised: &mut String) -> String {
    let account = t.account.as_deref().unwrap_or("");
    match &t.bank_id {
        Some(id) if !id.trim().is_empty() => format!("id|{format}|{account}|{}", id.trim()),
        _ => {
            normalised.clear();
            for (i, word) in t.description.split_whitespace().enumerate() {
                if i > 0 {
                    normalised.push(' ');
                }
                normalised.extend(word.chars().flat_map(char::to_uppercase));
            }
            format!(
                "tx|{format}|{account}|{}|{}|{}|{normalised}",
                t.date, t.amount, t.currency
            )
        }
    }
}

fn key_of(t: &Transaction, base: &str, rank: u32) -> String {
    use std::fmt::Write as _;
    let mut hasher = Sha256::new();
    hasher.update(base.as_bytes());
    hasher.update(format!("|{rank}").as_bytes());
    let digest = hasher.finalize();
    // The date first: statements run in date order, so index inserts land
    // next to each other instead of all over the B-tree.
    let mut key = String::with_capacity(9 + 24);
    let _ = write!(key, "{}:", t.date.format("%Y%m%d"));
    key.push_str(&hex::encode(&digest[..12]));
    key
}

/// `work` over the two halves of `items` at once (small inputs on one
/// thread), results in order.
fn in_halves<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    if items.len() < 20_000 {
        return work(items);
    }
    let (left, right) = items.split_at(items.len() / 2);
    let (mut first, second) = std::thread::scope(|scope| {
        let handle = scope.spawn(|| work(right));
        let first = work(left);
        (first, handle.join())
    });
    match second {
        Ok(second) => {
            first.extend(second);
            first
        }
        // The worker panicked (a bug, not input): do its half here.
        Err(_) => {
            first.extend(work(right));
            first
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn tx(day: u32, amount: i64, desc: &str, id: Option<&str>) -> Transaction {
        Transaction {
            date: NaiveDate::from_ymd_opt(2026, 1, day).expect("date"),
            amount,
            currency: "GBP".into(),
            description: desc.into(),
            counterparty: None,
            original_amount: None,
            original_currency: None,
            bank_id: id.map(str::to_string),
            account: None,
            category: None,
            line: 2,
        }
    }

    /// Keys are stored: the derivation must never change, or re-importing
    /// an old statement would double-count it.
    #[test]
    fn key_derivation_is_stable() {
        let txs = [
            tx(3, -1599, "  zoom.us   800-123 ", None),
            tx(3, -1599, "ZOOM.US 800-123", None),
        ];
        let keys = transaction_keys(Format::Barclays, &txs);
        for (rank, key) in keys.iter().enumerate() {
            let base = "tx|barclays||2026-01-03|-1599|GBP|ZOOM.US 800-123";
            let digest = Sha256::digest(format!("{base}|{}", rank + 1).as_bytes());
            assert_eq!(key, &format!("20260103:{}", hex::encode(&digest[..12])));
        }
    }

    /// Past the threshold the work is split over two threads; the keys
    /// must be those of one thread, ranks across the split included.
    #[test]
    fn two_threads_give_the_one_thread_keys() {
        let txs: Vec<Transaction> = (0..50_000)
            .map(|i| tx(1 + (i % 28) as u32, -100 - (i % 7) as i64, "SHOP", None))
            .collect();
        let keys = transaction_keys(Format::Monzo, &txs);
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut buffer = String::new();
        for (t, key) in txs.iter().zip(&keys) {
            let base = base_of(Format::Monzo, t, &mut buffer);
            let rank = seen.entry(base.clone()).or_insert(0);
            *rank += 1;
            assert_eq!(key, &key_of(t, &base, *rank));
        }
        let unique: std::collections::HashSet<&String> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len());
    }

    #[test]
    fn identical_rows_stay_distinct_and_overlaps_match() {
        let a = [
            tx(1, -320, "PRET", None),
            tx(1, -320, "PRET", None),
            tx(2, -999, "ZOOM", None),
        ];
        let b = [tx(1, -320, "pret ", None), tx(1, -320, "PRET", None)];
        let ka = transaction_keys(Format::Barclays, &a);
        let kb = transaction_keys(Format::Barclays, &b);
        assert_ne!(ka[0], ka[1]);
        assert_eq!(ka[..2], kb[..]);
        assert_ne!(
            transaction_keys(Format::Amex, &a)[0],
            ka[0],
            "other sources differ"
        );
        let ids = transaction_keys(
            Format::Monzo,
            &[tx(1, -1, "X", Some("tx_1")), tx(5, -2, "Y", Some("tx_1"))],
        );
        assert_ne!(ids[0], ids[1], "a reused id within a file stays distinct");
    }
}
