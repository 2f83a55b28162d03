//! Walks folders, classifies and parses every infrastructure file, and
//! prints counts, errors, timing and the landscape's shape.
//! `cargo run --release -p fcto-infra --example scan -- DIR... [--json]`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if e.file_name() != ".git" && e.file_name() != "node_modules" {
                walk(root, &p, out);
            }
        } else if ft.is_file() {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let mut files = Vec::new();
    for root in args.iter().filter(|a| !a.starts_with("--")) {
        walk(Path::new(root), Path::new(root), &mut files);
    }
    let mut contents = Vec::with_capacity(files.len());
    for (rel, path) in &files {
        if let Ok(bytes) = std::fs::read(path) {
            contents.push((rel.clone(), bytes));
        }
    }
    let start = Instant::now();
    let mut classified = 0usize;
    let mut classified_bytes = 0usize;
    let mut facts = Vec::new();
    let mut errors = Vec::new();
    for (rel, bytes) in &contents {
        let head = &bytes[..bytes.len().min(fcto_infra::HEAD_BYTES)];
        let Some(kind) = fcto_infra::classify(rel, head) else {
            continue;
        };
        classified += 1;
        classified_bytes += bytes.len();
        match fcto_infra::parse(kind, rel, bytes) {
            Ok(mut f) => facts.append(&mut f),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let parse_time = start.elapsed();
    let land = fcto_infra::landscape(&facts);
    let warns = fcto_infra::warnings(&facts);
    let total = start.elapsed();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&land).unwrap_or_default()
        );
        return;
    }
    println!(
        "{} files seen, {} classified ({:.1} KB), {} facts, {} errors, {} warnings",
        contents.len(),
        classified,
        classified_bytes as f64 / 1024.0,
        facts.len(),
        errors.len(),
        warns.len()
    );
    println!(
        "classify+parse {:.2} ms ({:.1} MB/s of infra files), with landscape+warnings {:.2} ms",
        parse_time.as_secs_f64() * 1000.0,
        classified_bytes as f64 / 1e6 / parse_time.as_secs_f64(),
        total.as_secs_f64() * 1000.0
    );
    println!(
        "landscape: {} services, {} CI systems, {} clouds, {} database engines",
        land.services.len(),
        land.ci.len(),
        land.clouds.len(),
        land.databases.len()
    );
    for e in errors.iter().take(20) {
        println!("error: {e}");
    }
}
