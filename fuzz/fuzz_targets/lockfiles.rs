//! Every lockfile and manifest parser on arbitrary bytes: the first byte
//! picks the format, the rest is the file. A parser may refuse the input
//! with an error; it must never panic, hang or run out of memory.
#![no_main]

use fcto_sbom::{parse_manifest_with_notes, ManifestKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = ManifestKind::ALL[usize::from(selector) % ManifestKind::ALL.len()];
    if let Ok(out) = parse_manifest_with_notes(kind, "fuzz", bytes) {
        for component in &out.components {
            // What the parser built must make a purl again without panicking.
            let again = fcto_sbom::purl(component.ecosystem, &component.name, &component.version);
            assert!(again.starts_with("pkg:"), "{again}");
        }
    }
});
