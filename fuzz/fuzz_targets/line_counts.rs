//! fcto-lines against tokei itself on arbitrary bytes: the first byte picks
//! the language, the rest is the file. The two must agree on every line
//! class; neither may panic.
#![no_main]

use fcto_lines::{LineCounts, Syntaxes};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tokei::{Config, LanguageType};

fuzz_target!(|data: &[u8]| {
    static SYNTAXES: OnceLock<Syntaxes> = OnceLock::new();
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let languages = LanguageType::list();
    let language = languages[usize::from(selector) % languages.len()].0;
    let config = Config::default();
    let ours = SYNTAXES.get_or_init(Syntaxes::new).count(language, text, &config);
    // fcto-lines stops following code embedded in embedded code 12 levels
    // down, where tokei goes on; each two levels take a Markdown fence, so
    // text with few fences is compared.
    if memchr::memmem::find_iter(text, b"```").count() > 5 {
        return;
    }
    let stats = language.parse_from_slice(text, &config).summarise();
    let theirs = LineCounts {
        code: stats.code as u64,
        comments: stats.comments as u64,
        blanks: stats.blanks as u64,
    };
    assert_eq!(ours, theirs, "{}", language.name());
});
