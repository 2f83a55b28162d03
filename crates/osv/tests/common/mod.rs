//! The shipped OSV data set, and all.zip archives built from it the way
//! osv.dev publishes them (one deflated `<ID>.json` per advisory).

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn advisories_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/advisories")
}

/// (file name, bytes) of every shipped advisory, sorted by name.
#[allow(dead_code)]
pub fn advisory_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(advisories_dir())
        .expect("data dir")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Write a zip of `entries` (name, bytes), deflated.
#[allow(dead_code)]
pub fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).expect("start entry");
        zip.write_all(bytes).expect("write entry");
    }
    zip.finish().expect("finish zip");
}
