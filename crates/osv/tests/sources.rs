//! Reading advisories from all.zip archives, folders and files, including
//! hostile ones: every failure is an error naming the file or zip entry.

mod common;

use std::io::Write;

use fcto_osv::{parse_advisory, read_source, OsvError, Source, SourceKind, MAX_ENTRY_BYTES};

fn ids_of(path: &std::path::Path) -> (Vec<String>, fcto_osv::SourceStats) {
    let mut ids = Vec::new();
    let stats = read_source(path, |raw| {
        ids.push(parse_advisory(&raw.label, &raw.bytes)?.id);
        Ok(())
    })
    .expect("reads");
    ids.sort();
    (ids, stats)
}

#[test]
fn a_zip_a_folder_and_single_files_give_the_same_advisories() {
    let dir = tempfile::tempdir().expect("tmp");
    let files = common::advisory_files();
    let zip_path = dir.path().join("all.zip");
    common::write_zip(&zip_path, &files);

    let (from_zip, zip_stats) = ids_of(&zip_path);
    let (from_dir, dir_stats) = ids_of(&common::advisories_dir());
    assert_eq!(from_zip, from_dir);
    assert_eq!(from_zip.len(), files.len());
    assert_eq!(zip_stats.kind, SourceKind::Zip);
    assert_eq!(zip_stats.advisories, files.len());
    assert_eq!(dir_stats.kind, SourceKind::Folder);

    let (one, stats) = ids_of(&common::advisories_dir().join("GO-2022-0390.json"));
    assert_eq!(one, vec!["GO-2022-0390"]);
    assert_eq!(stats.kind, SourceKind::File);
}

#[test]
fn folders_are_searched_recursively_and_other_files_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let files = common::advisory_files();
    let nested = dir.path().join("advisories/2023/npm");
    std::fs::create_dir_all(&nested).expect("mkdir");
    for (name, bytes) in files.iter().take(3) {
        std::fs::write(nested.join(name), bytes).expect("write");
    }
    std::fs::write(dir.path().join("README.md"), "not an advisory").expect("write");
    std::fs::create_dir_all(dir.path().join(".git")).expect("mkdir");
    std::fs::write(dir.path().join(".git/x.json"), "{").expect("write");
    let (ids, stats) = ids_of(dir.path());
    assert_eq!(ids.len(), 3);
    assert_eq!(stats.skipped, 1);
}

#[test]
fn zip_entries_that_are_not_json_files_are_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut entries = common::advisory_files();
    entries.truncate(2);
    entries.push(("LICENSE".into(), b"CC-BY 4.0".to_vec()));
    let path = dir.path().join("all.zip");
    common::write_zip(&path, &entries);
    let (ids, stats) = ids_of(&path);
    assert_eq!(ids.len(), 2);
    assert_eq!(stats.skipped, 1);
    assert_eq!(Source::open(&path).expect("open").len(), 2);
}

/// Read everything, parse everything; the first error.
fn first_error(path: &std::path::Path) -> OsvError {
    read_source(path, |raw| {
        parse_advisory(&raw.label, &raw.bytes).map(|_| ())
    })
    .expect_err("must fail")
}

#[test]
fn bad_json_in_a_zip_names_the_entry() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut entries = common::advisory_files();
    entries.truncate(3);
    let truncated = entries[0].1[..entries[0].1.len() / 2].to_vec();
    entries.push(("GHSA-trun-cate-d000.json".into(), truncated));
    let path = dir.path().join("all.zip");
    common::write_zip(&path, &entries);
    let e = first_error(&path).to_string();
    assert!(e.contains("all.zip:GHSA-trun-cate-d000.json: line"), "{e}");
    assert!(e.contains("EOF"), "{e}");

    let mut entries = common::advisory_files();
    entries.truncate(1);
    entries.push((
        "PYSEC-0000-1.json".into(),
        b"\x89PNG\r\n\x1a\n\0\0binary".to_vec(),
    ));
    common::write_zip(&path, &entries);
    let e = first_error(&path).to_string();
    assert!(
        e.contains("all.zip:PYSEC-0000-1.json: line 1, column 1"),
        "{e}"
    );
}

#[test]
fn deep_nesting_fails_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("deep.json");
    let doc = format!(
        "{{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"database_specific\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(&path, doc).expect("write");
    let e = first_error(&path).to_string();
    assert!(
        e.contains("deep.json: line 1") && e.contains("recursion limit"),
        "{e}"
    );
}

#[test]
fn a_file_named_zip_that_is_not_a_zip() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("all.zip");
    std::fs::write(&path, b"<html>404 Not Found</html>").expect("write");
    let e = Source::open(&path).err().expect("must fail");
    assert!(matches!(e, OsvError::Zip { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("all.zip: not a readable zip archive"),
        "{e}"
    );

    // A zip cut short (a download that stopped half way).
    let good = dir.path().join("good.zip");
    common::write_zip(&good, &common::advisory_files());
    let bytes = std::fs::read(&good).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    assert!(matches!(Source::open(&path), Err(OsvError::Zip { .. })));
}

#[test]
fn an_entry_claiming_a_huge_size_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("all.zip");
    let entries = vec![("GHSA-huge-size-0000.json".to_string(), b"{}".to_vec())];
    let file = std::fs::File::create(&path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in &entries {
        zip.start_file(name.as_str(), stored).expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
    // Rewrite the central directory's uncompressed size (offset 24 of the
    // "PK\x01\x02" header) to claim ~4 GiB.
    let mut bytes = std::fs::read(&path).expect("read");
    let at = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    bytes[at + 24..at + 28].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
    std::fs::write(&path, &bytes).expect("write");
    match Source::open(&path) {
        Err(e) => panic!("opening should succeed, reading should fail: {e}"),
        Ok(mut src) => {
            let e = src.next().expect("one entry").expect_err("too large");
            assert!(matches!(e, OsvError::TooLarge { .. }), "{e:?}");
            assert!(
                e.to_string().contains("all.zip:GHSA-huge-size-0000.json"),
                "{e}"
            );
        }
    }
}

#[test]
fn a_deflate_bomb_is_cut_at_the_entry_cap() {
    // 17 MiB of spaces deflates to ~17 KiB; the header tells the truth
    // here, and the reader stops at the cap either way.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("all.zip");
    let bomb = vec![b' '; (MAX_ENTRY_BYTES + 1024 * 1024) as usize];
    common::write_zip(&path, &[("BOMB-1.json".to_string(), bomb)]);
    assert!(std::fs::metadata(&path).expect("meta").len() < 1024 * 1024);
    let e = first_error(&path);
    assert!(matches!(e, OsvError::TooLarge { .. }), "{e:?}");
}

#[test]
fn empty_sources_and_missing_paths_are_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    assert!(matches!(
        Source::open(dir.path()),
        Err(OsvError::Empty { .. })
    ));
    let e = Source::open(&dir.path().join("nope.zip"))
        .err()
        .expect("fails");
    assert!(matches!(e, OsvError::Io { .. }), "{e:?}");
    let path = dir.path().join("empty.zip");
    common::write_zip(&path, &[]);
    assert!(matches!(Source::open(&path), Err(OsvError::Empty { .. })));
}
