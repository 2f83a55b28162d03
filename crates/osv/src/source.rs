//! Where advisories come from: osv.dev's per-ecosystem `all.zip` (a zip of
//! `<ID>.json`), a folder of OSV JSON files (searched recursively), or one
//! JSON file. Entries are read one at a time, each capped at
//! [`MAX_ENTRY_BYTES`] whatever its header claims, so memory stays at one
//! advisory plus what the caller keeps.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::OsvError;

/// The largest advisory read (the biggest real OSV records are a few
/// hundred KiB; this refuses zip bombs and runaway files).
pub const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;

/// Folders deeper than this are not searched (and symlinked folders never
/// are), so a hostile tree cannot loop.
const MAX_FOLDER_DEPTH: usize = 32;

/// One advisory's bytes and the name to give it in errors.
#[derive(Debug, Clone)]
pub struct RawAdvisory {
    pub label: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Zip,
    Folder,
    File,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceStats {
    pub kind: SourceKind,
    /// Advisories handed out.
    pub advisories: usize,
    /// Zip entries or files that are not `.json` (folders, READMEs).
    pub skipped: usize,
}

/// An open source of advisories; iterate it for each one in turn.
pub struct Source {
    label: String,
    inner: Inner,
    stats: SourceStats,
    total: usize,
}

enum Inner {
    Zip {
        archive: Box<zip::ZipArchive<BufReader<File>>>,
        next: usize,
    },
    Files {
        paths: std::vec::IntoIter<PathBuf>,
    },
}

impl Source {
    /// Open a folder, a zip (by its signature, or a `.zip` name) or a JSON
    /// file.
    pub fn open(path: &Path) -> Result<Source, OsvError> {
        let label = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| OsvError::io(&label, e))?;
        if meta.is_dir() {
            let mut paths = Vec::new();
            let mut skipped = 0;
            walk(path, 0, &mut paths, &mut skipped)?;
            if paths.is_empty() {
                return Err(OsvError::Empty { label });
            }
            paths.sort();
            return Ok(Source {
                label,
                total: paths.len(),
                inner: Inner::Files {
                    paths: paths.into_iter(),
                },
                stats: SourceStats {
                    kind: SourceKind::Folder,
                    advisories: 0,
                    skipped,
                },
            });
        }
        let mut file = File::open(path).map_err(|e| OsvError::io(&label, e))?;
        let mut magic = [0u8; 4];
        let n = read_up_to(&mut file, &mut magic).map_err(|e| OsvError::io(&label, e))?;
        let is_zip_name = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        let looks_zip = n == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06");
        if looks_zip || is_zip_name {
            let file = File::open(path).map_err(|e| OsvError::io(&label, e))?;
            let archive =
                zip::ZipArchive::new(BufReader::new(file)).map_err(|e| OsvError::Zip {
                    label: label.clone(),
                    detail: e.to_string(),
                })?;
            let mut skipped = 0;
            let mut json = 0;
            for name in archive.file_names() {
                if is_json_name(name) {
                    json += 1;
                } else {
                    skipped += 1;
                }
            }
            if json == 0 {
                return Err(OsvError::Empty { label });
            }
            return Ok(Source {
                label,
                total: json,
                inner: Inner::Zip {
                    archive: Box::new(archive),
                    next: 0,
                },
                stats: SourceStats {
                    kind: SourceKind::Zip,
                    advisories: 0,
                    skipped,
                },
            });
        }
        Ok(Source {
            label,
            total: 1,
            inner: Inner::Files {
                paths: vec![path.to_path_buf()].into_iter(),
            },
            stats: SourceStats {
                kind: SourceKind::File,
                advisories: 0,
                skipped: 0,
            },
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn kind(&self) -> SourceKind {
        self.stats.kind
    }

    /// How many advisories iteration will hand out (for a progress bar).
    pub fn len(&self) -> usize {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn stats(&self) -> SourceStats {
        self.stats.clone()
    }

    fn next_zip_entry(&mut self) -> Option<Result<RawAdvisory, OsvError>> {
        let Inner::Zip { archive, next } = &mut self.inner else {
            return None;
        };
        while *next < archive.len() {
            let index = *next;
            *next += 1;
            let Some(name) = archive.name_for_index(index) else {
                continue;
            };
            if !is_json_name(name) {
                continue;
            }
            let label = format!("{}:{name}", self.label);
            let mut entry = match archive.by_index(index) {
                Ok(e) => e,
                Err(e) => {
                    return Some(Err(OsvError::Zip {
                        label,
                        detail: e.to_string(),
                    }))
                }
            };
            if entry.is_dir() {
                continue;
            }
            if entry.size() > MAX_ENTRY_BYTES {
                return Some(Err(OsvError::TooLarge {
                    label,
                    size: entry.size(),
                    limit: MAX_ENTRY_BYTES,
                }));
            }
            let declared = entry.size();
            let result = read_capped(&mut entry, declared, &label).map_err(|e| match e {
                // A bad checksum or a broken deflate stream: the archive's
                // fault, not the advisory's.
                OsvError::Io { label, source } => OsvError::Zip {
                    label,
                    detail: source.to_string(),
                },
                other => other,
            });
            return Some(result.map(|bytes| RawAdvisory { label, bytes }));
        }
        None
    }
}

impl Iterator for Source {
    type Item = Result<RawAdvisory, OsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match &mut self.inner {
            Inner::Zip { .. } => self.next_zip_entry(),
            Inner::Files { paths } => paths.next().map(|p| {
                let label = p.display().to_string();
                let file = File::open(&p).map_err(|e| OsvError::io(&label, e))?;
                let size = file.metadata().map_err(|e| OsvError::io(&label, e))?.len();
                if size > MAX_ENTRY_BYTES {
                    return Err(OsvError::TooLarge {
                        label,
                        size,
                        limit: MAX_ENTRY_BYTES,
                    });
                }
                let bytes = read_capped(file, size, &label)?;
                Ok(RawAdvisory { label, bytes })
            }),
        };
        if matches!(item, Some(Ok(_))) {
            self.stats.advisories += 1;
        }
        item
    }
}

/// Read every advisory of `path`, handing each to `each`; stops at the
/// first error from the source or from `each`.
pub fn read_source(
    path: &Path,
    mut each: impl FnMut(RawAdvisory) -> Result<(), OsvError>,
) -> Result<SourceStats, OsvError> {
    let mut source = Source::open(path)?;
    for raw in source.by_ref() {
        each(raw?)?;
    }
    Ok(source.stats())
}

/// Read at most [`MAX_ENTRY_BYTES`], refusing more even when the declared
/// size lied.
fn read_capped(reader: impl Read, declared: u64, label: &str) -> Result<Vec<u8>, OsvError> {
    let mut bytes = Vec::with_capacity(declared.min(MAX_ENTRY_BYTES) as usize);
    reader
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| OsvError::io(label, e))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(OsvError::TooLarge {
            label: label.to_string(),
            size: bytes.len() as u64,
            limit: MAX_ENTRY_BYTES,
        });
    }
    Ok(bytes)
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let Some(rest) = buf.get_mut(n..) else { break };
        match file.read(rest)? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn is_json_name(name: &str) -> bool {
    !name.ends_with('/')
        && name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("json"))
}

fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    skipped: &mut usize,
) -> Result<(), OsvError> {
    if depth > MAX_FOLDER_DEPTH {
        return Ok(());
    }
    let label = |p: &Path| p.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| OsvError::io(label(dir), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| OsvError::io(label(dir), e))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| OsvError::io(label(&path), e))?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if kind.is_dir() {
            if !hidden {
                walk(&path, depth + 1, out, skipped)?;
            }
        } else if is_json_name(&entry.file_name().to_string_lossy()) && !hidden {
            // A symlink counts when it leads to a file; symlinked folders
            // are never followed.
            if kind.is_file() || std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                out.push(path);
            } else {
                *skipped += 1;
            }
        } else {
            *skipped += 1;
        }
    }
    Ok(())
}
