//! The OSV reader and matcher on arbitrary bytes: parse an advisory, then
//! match it against a few versions in every ecosystem it names. Errors are
//! fine; panics and hangs are not.
#![no_main]

use fcto_osv::{parse_advisory, Matcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(advisory) = parse_advisory("fuzz.json", data) else {
        return;
    };
    let packages: Vec<(String, String)> = advisory
        .affected
        .iter()
        .filter_map(|a| a.package.as_ref())
        .map(|p| (p.ecosystem.clone(), p.name.clone()))
        .collect();
    let matcher = Matcher::new(vec![advisory]);
    for (ecosystem, name) in &packages {
        for version in ["0", "1.0.0", "2.3.4-rc.1", "1!2.0.post1", "v0.0.0-20210101000000-abcdefabcdef", ""] {
            let _ = matcher.matches(ecosystem, name, version);
        }
    }
});
