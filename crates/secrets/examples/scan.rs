//! Scans a directory tree for secrets on N threads (default 2) and prints
//! the totals; with `--list`, every finding (redacted).
//!
//!     cargo run --release -p fcto-secrets --example scan -- DIR [--threads N] [--list] [--all]
//!
//! `--all` scans every file (no .gitignore, hidden files included), the
//! same set `detect-secrets scan --all-files` reads; binaries are skipped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use fcto_secrets::{is_probably_binary, Scanner};
use ignore::{WalkBuilder, WalkState};

fn main() {
    let mut dir = None;
    let mut threads = 2usize;
    let mut list = false;
    let mut all = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => threads = args.next().and_then(|t| t.parse().ok()).unwrap_or(2),
            "--list" => list = true,
            "--all" => all = true,
            _ => dir = Some(arg),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: scan DIR [--threads N] [--list] [--all]");
        std::process::exit(2);
    };
    let scanner = Arc::new(Scanner::new());
    let files = Arc::new(AtomicU64::new(0));
    let binaries = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let scan_nanos = Arc::new(AtomicU64::new(0));
    let findings = Arc::new(AtomicU64::new(0));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut walk = WalkBuilder::new(&dir);
    walk.threads(threads);
    if all {
        walk.standard_filters(false);
    }
    walk.build_parallel().run(|| {
        let scanner = Arc::clone(&scanner);
        let (files, binaries, bytes) = (
            Arc::clone(&files),
            Arc::clone(&binaries),
            Arc::clone(&bytes),
        );
        let (scan_nanos, findings, lines) = (
            Arc::clone(&scan_nanos),
            Arc::clone(&findings),
            Arc::clone(&lines),
        );
        let root = dir.clone();
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let Ok(data) = std::fs::read(entry.path()) else {
                return WalkState::Continue;
            };
            if is_probably_binary(&data) {
                binaries.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            let path = entry
                .path()
                .strip_prefix(&root)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .into_owned();
            let t = Instant::now();
            let found = scanner.scan(&path, &data);
            scan_nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
            files.fetch_add(1, Ordering::Relaxed);
            bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
            findings.fetch_add(found.len() as u64, Ordering::Relaxed);
            if list && !found.is_empty() {
                if let Ok(mut out) = lines.lock() {
                    for f in found {
                        out.push(format!(
                            "{path}:{}:{} {} {} {}",
                            f.line, f.column, f.rule_id, f.severity, f.redacted
                        ));
                    }
                }
            }
            WalkState::Continue
        })
    });
    let wall = started.elapsed().as_secs_f64();
    let mb = bytes.load(Ordering::Relaxed) as f64 / 1e6;
    let scan_secs = scan_nanos.load(Ordering::Relaxed) as f64 / 1e9;
    if list {
        if let Ok(mut out) = lines.lock() {
            out.sort();
            for line in out.iter() {
                println!("{line}");
            }
        }
    }
    println!(
        "files={} binaries_skipped={} mb={:.1} findings={} wall_s={:.3} threads={} scan_cpu_s={:.3} scan_mb_per_s_per_core={:.0} wall_mb_per_s={:.0}",
        files.load(Ordering::Relaxed),
        binaries.load(Ordering::Relaxed),
        mb,
        findings.load(Ordering::Relaxed),
        wall,
        threads,
        scan_secs,
        if scan_secs > 0.0 { mb / scan_secs } else { 0.0 },
        if wall > 0.0 { mb / wall } else { 0.0 },
    );
}
