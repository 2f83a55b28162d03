//! Languages and size, with tokei's figures on the same tree: tokei's
//! language detection (name, extension, shebang), BOM handling and line
//! classes, and a language's total includes code embedded in other files
//! (Markdown code blocks, scripts in HTML), as tokei prints it. Lines are
//! counted by `fcto_lines` (tokei's rules, a faster loop; tokei's own
//! engine for notebooks and Lingua Franca).

use std::borrow::Cow;

use fcto_lines::Syntaxes;
use tokei::{Config, LanguageType};

use crate::model::{LanguageRow, Languages};
use crate::scan::{FileJob, Tally};

/// tokei skips hidden files and folders unless an ignore file whitelists
/// them; the audit reads them all (`.github/`, `.env`) and the walk decides.
fn hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

/// Count one file; returns its total lines (0 when tokei would not count it,
/// or might not: hidden files are kept aside until the walk knows).
pub(crate) fn count(
    job: &FileJob<'_>,
    config: &Config,
    syntaxes: &Syntaxes,
    tally: &mut Tally,
) -> u64 {
    let Some(language) = LanguageType::from_path(job.path, config) else {
        return 0;
    };
    let text = decoded(job.bytes);
    let stats = syntaxes.count(language, &text, config);
    let row = LanguageRow {
        language: language.name().to_string(),
        files: 1,
        code: stats.code,
        comments: stats.comments,
        blanks: stats.blanks,
    };
    if hidden(job.rel) {
        tally.hidden_languages.push((job.rel.to_string(), row));
        return 0;
    }
    add(&mut tally.languages, &row);
    stats.code + stats.comments + stats.blanks
}

/// Add one file's (or one tally's) row to the per-language totals.
pub(crate) fn add(
    languages: &mut std::collections::BTreeMap<String, LanguageRow>,
    row: &LanguageRow,
) {
    let into = languages
        .entry(row.language.clone())
        .or_insert_with(|| LanguageRow {
            language: row.language.clone(),
            ..LanguageRow::default()
        });
    into.files += row.files;
    into.code += row.code;
    into.comments += row.comments;
    into.blanks += row.blanks;
}

/// What tokei reads: a UTF-8 BOM dropped, UTF-16 (by its BOM) turned into
/// UTF-8, anything else as is.
fn decoded(bytes: &[u8]) -> Cow<'_, [u8]> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) if encoding == encoding_rs::UTF_8 => {
            Cow::Borrowed(bytes.get(bom..).unwrap_or_default())
        }
        Some((encoding, bom)) => {
            let (text, _) =
                encoding.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default());
            Cow::Owned(text.into_owned().into_bytes())
        }
        None => Cow::Borrowed(bytes),
    }
}

pub(crate) fn summary(tally: &Tally) -> Languages {
    let mut rows: Vec<LanguageRow> = tally.languages.values().cloned().collect();
    rows.sort_by(|a, b| {
        b.code
            .cmp(&a.code)
            .then_with(|| a.language.cmp(&b.language))
    });
    let mut total = LanguageRow {
        language: "Total".into(),
        ..LanguageRow::default()
    };
    for row in &rows {
        total.files += row.files;
        total.code += row.code;
        total.comments += row.comments;
        total.blanks += row.blanks;
    }
    Languages { rows, total }
}

/// The language a file extension means, for skills by authorship.
pub fn language_of_extension(extension: &str) -> Option<&'static str> {
    LanguageType::from_file_extension(&extension.to_ascii_lowercase()).map(|l| l.name())
}
