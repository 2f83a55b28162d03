//! Package URLs (ECMA-427 / purl-spec): `pkg:type/namespace/name@version`.

use crate::Ecosystem;

/// The package URL of a component, from the name as its ecosystem writes it
/// (see [`crate::Component::name`]); the namespace is split off per type:
/// npm scopes, Maven groups, Composer vendors, Go and Swift path prefixes.
pub fn purl(ecosystem: Ecosystem, name: &str, version: &str) -> String {
    let (namespace, local) = split_native_name(ecosystem, name);
    purl_from_parts(ecosystem, namespace, local, version)
}

/// A package URL from its parts, applying the type's case and character
/// normalisation and percent-encoding each part.
pub fn purl_from_parts(
    ecosystem: Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: &str,
) -> String {
    let mut out = String::with_capacity(16 + name.len() + version.len());
    out.push_str("pkg:");
    out.push_str(ecosystem.purl_type());
    out.push('/');
    if let Some(namespace) = namespace {
        for segment in namespace.split('/').filter(|s| !s.is_empty()) {
            encode_into(&mut out, &normalise_namespace(ecosystem, segment));
            out.push('/');
        }
    }
    encode_into(&mut out, &normalise_name(ecosystem, name.trim_matches('/')));
    if !version.is_empty() {
        out.push('@');
        encode_into(&mut out, version);
    }
    out
}

fn split_last_slash(name: &str) -> (Option<&str>, &str) {
    match name.trim_end_matches('/').rsplit_once('/') {
        Some((ns, local)) if !ns.is_empty() => (Some(ns), local),
        _ => (None, name),
    }
}

fn split_native_name(ecosystem: Ecosystem, name: &str) -> (Option<&str>, &str) {
    match ecosystem {
        Ecosystem::Npm if name.starts_with('@') => split_last_slash(name),
        Ecosystem::Maven => match name.split_once(':') {
            Some((group, artifact)) => (Some(group), artifact),
            None => (None, name),
        },
        Ecosystem::Go | Ecosystem::Packagist | Ecosystem::SwiftPM => split_last_slash(name),
        _ => (None, name),
    }
}

fn normalise_namespace(ecosystem: Ecosystem, segment: &str) -> String {
    match ecosystem {
        Ecosystem::Packagist | Ecosystem::Hex => segment.to_lowercase(),
        _ => segment.to_string(),
    }
}

fn normalise_name(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        // PyPI treats `-` and `_` alike and ignores case.
        Ecosystem::PyPI => name.to_lowercase().replace('_', "-"),
        Ecosystem::Packagist | Ecosystem::Hex | Ecosystem::Pub => name.to_lowercase(),
        _ => name.to_string(),
    }
}

/// Percent-encodes everything but ASCII letters, digits, `.-_~` and `:`.
fn encode_into(out: &mut String, part: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in part.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_names_split_per_type() {
        let cases = [
            (
                Ecosystem::Npm,
                "@angular/core",
                "17.0.0",
                "pkg:npm/%40angular/core@17.0.0",
            ),
            (
                Ecosystem::Npm,
                "lodash",
                "4.17.21",
                "pkg:npm/lodash@4.17.21",
            ),
            (
                Ecosystem::Maven,
                "org.apache.commons:commons-lang3",
                "3.12.0",
                "pkg:maven/org.apache.commons/commons-lang3@3.12.0",
            ),
            (
                Ecosystem::Go,
                "github.com/Azure/azure-sdk-for-go/v68",
                "v68.0.0",
                "pkg:golang/github.com/Azure/azure-sdk-for-go/v68@v68.0.0",
            ),
            (
                Ecosystem::Packagist,
                "Symfony/Console",
                "v6.4.1",
                "pkg:composer/symfony/console@v6.4.1",
            ),
            (
                Ecosystem::PyPI,
                "Django_Rest_Framework",
                "3.14.0",
                "pkg:pypi/django-rest-framework@3.14.0",
            ),
            (
                Ecosystem::PyPI,
                "zope.interface",
                "6.0",
                "pkg:pypi/zope.interface@6.0",
            ),
            (
                Ecosystem::SwiftPM,
                "github.com/apple/swift-nio",
                "2.62.0",
                "pkg:swift/github.com/apple/swift-nio@2.62.0",
            ),
            (Ecosystem::Cargo, "serde", "", "pkg:cargo/serde"),
            (
                Ecosystem::NuGet,
                "Newtonsoft.Json",
                "13.0.3",
                "pkg:nuget/Newtonsoft.Json@13.0.3",
            ),
            (
                Ecosystem::Hex,
                "Phoenix",
                "1.7.10",
                "pkg:hex/phoenix@1.7.10",
            ),
            (
                Ecosystem::Pub,
                "Flutter_Lints",
                "3.0.1",
                "pkg:pub/flutter_lints@3.0.1",
            ),
            (
                Ecosystem::RubyGems,
                "nokogiri",
                "1.15.4",
                "pkg:gem/nokogiri@1.15.4",
            ),
        ];
        for (eco, name, version, want) in cases {
            assert_eq!(purl(eco, name, version), want, "{eco:?} {name}");
        }
    }

    #[test]
    fn reserved_and_non_ascii_characters_are_percent_encoded() {
        assert_eq!(
            purl(Ecosystem::Npm, "a b@c?d#e", "1.0.0+build/1"),
            "pkg:npm/a%20b%40c%3Fd%23e@1.0.0%2Bbuild%2F1"
        );
        assert_eq!(
            purl(Ecosystem::Cargo, "naïve", "1:2"),
            "pkg:cargo/na%C3%AFve@1:2"
        );
        // A bare scope with nothing after it keeps one segment.
        assert_eq!(purl(Ecosystem::Npm, "@scope", ""), "pkg:npm/%40scope");
        assert_eq!(purl(Ecosystem::Go, "/", ""), "pkg:golang/");
    }
}
