//! `hardcoded-external-url`: an http(s)/ws(s) URL literal naming a public
//! host that is not in `allowed_hosts`, outside configuration files.

use super::{env_lookup, hit, Context};
use crate::coupling::source::Source;
use crate::coupling::{Hit, Rule};

pub(crate) fn check(source: &Source, context: &Context, hits: &mut Vec<Hit>) {
    if context.is_config {
        return;
    }
    for t in 0..source.len() {
        if !source.is_str(t) {
            continue;
        }
        let Some(url) = external_urls(source.inner(t))
            .into_iter()
            .find(|url| !context.config.host_allowed(&url.host))
        else {
            continue;
        };
        let name = env_name(&url.host);
        hits.push(hit(
            source,
            Rule::HardcodedExternalUrl,
            t,
            format!(
                "hard-coded external URL `{}` (host {})",
                url.shown, url.host
            ),
            format!(
                "Read the base URL from configuration and join the path: `{base} = {lookup}` \
                 set per environment, then build `{{{base}}}{path}`; or add `{host}` to \
                 `allowed_hosts` in .fcto/review.toml if it is your own API.",
                base = name,
                lookup = env_lookup(source.language, &name),
                path = url.path,
                host = url.host,
            ),
        ));
    }
}

pub(crate) struct Url {
    pub host: String,
    /// scheme://host/path without user info or query (which may hold keys).
    pub shown: String,
    pub path: String,
}

/// URLs with public hosts in a string's content.
pub(crate) fn external_urls(text: &str) -> Vec<Url> {
    let mut urls = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("://")) {
        let at = from + found;
        from = at + 3;
        // Walk back over ASCII letters only, so the slice stays on a char
        // boundary whatever precedes the scheme.
        let scheme_start = at
            - text.as_bytes()[..at]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
        let scheme = text[scheme_start..at].to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss") {
            continue;
        }
        let rest = &text[at + 3..];
        let authority_end = rest
            .find(|c: char| {
                matches!(c, '/' | '?' | '#') || c.is_whitespace() || "\"'`)<>\\,;".contains(c)
            })
            .unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let host = if host_port.starts_with('[') {
            host_port
        } else {
            host_port.split(':').next().unwrap_or(host_port)
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() || host.contains(['{', '}', '$', '%', '<', '*']) || is_local(&host) {
            continue;
        }
        // A URL inside prose ("see https://... for details") is a link in a
        // message, not an endpoint the code calls.
        let prose = text.contains(char::is_whitespace) && text[..scheme_start].trim() != "";
        if prose || is_documentation(&host) {
            continue;
        }
        let path_rest = &rest[authority_end..];
        let path_end = path_rest
            .find(|c: char| matches!(c, '?' | '#') || c.is_whitespace() || "\"'`<>\\".contains(c))
            .unwrap_or(path_rest.len());
        let full_path = &path_rest[..path_end];
        if full_path.ends_with(".dtd") || full_path.ends_with(".xsd") {
            continue; // document type identifiers, never fetched by the app
        }
        let path: String = full_path.chars().take(60).collect();
        urls.push(Url {
            shown: format!("{scheme}://{host}{path}"),
            path,
            host,
        });
    }
    urls
}

/// Local, private, reserved and XML-namespace hosts are not couplings.
fn is_local(host: &str) -> bool {
    const RESERVED_SUFFIXES: [&str; 10] = [
        ".localhost",
        ".local",
        ".test",
        ".example",
        ".invalid",
        ".internal",
        ".lan",
        ".svc",
        ".home.arpa",
        ".corp",
    ];
    const NAMESPACE_HOSTS: [&str; 12] = [
        "www.w3.org",
        "w3.org",
        "json-schema.org",
        "schemas.xmlsoap.org",
        "schemas.microsoft.com",
        "schemas.openxmlformats.org",
        "purl.org",
        "xmlns.com",
        "schema.org",
        "ns.adobe.com",
        "java.sun.com",
        "xml.org",
    ];
    if host == "localhost" || !host.contains('.') || host.starts_with('[') {
        return true;
    }
    if RESERVED_SUFFIXES.iter().any(|s| host.ends_with(s)) || NAMESPACE_HOSTS.contains(&host) {
        return true;
    }
    for example in ["example.com", "example.org", "example.net"] {
        if host == example || host.ends_with(&format!(".{example}")) {
            return true;
        }
    }
    let octets: Vec<u8> = host.split('.').filter_map(|p| p.parse().ok()).collect();
    if octets.len() == 4 && host.split('.').count() == 4 {
        return matches!(
            octets.as_slice(),
            [127, ..] | [10, ..] | [0, ..] | [192, 168, ..] | [169, 254, ..]
        ) || (octets[0] == 172 && (16..=31).contains(&octets[1]));
    }
    false
}

/// Documentation and reference sites: linked from help text, not called.
fn is_documentation(host: &str) -> bool {
    const PREFIXES: [&str; 4] = ["docs.", "developer.", "developers.", "wiki."];
    const SUFFIXES: [&str; 6] = [
        "readthedocs.io",
        "readthedocs.org",
        "wikipedia.org",
        "rfc-editor.org",
        "ietf.org",
        "peps.python.org",
    ];
    PREFIXES.iter().any(|p| host.starts_with(p)) || SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// `api.stripe.com` gives `STRIPE_API_BASE_URL`.
fn env_name(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let vendor = if labels.len() >= 2 {
        labels[labels.len() - 2]
    } else {
        host
    };
    let vendor: String = vendor
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{vendor}_BASE_URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_public_hosts_only() {
        let urls = external_urls("https://user:pw@api.stripe.com:443/v1/charges?key=sk");
        assert_eq!(urls.len(), 1);
        assert_eq!(urls[0].host, "api.stripe.com");
        assert_eq!(urls[0].shown, "https://api.stripe.com/v1/charges");
        for local in [
            "http://localhost:8000/x",
            "http://127.0.0.1/",
            "https://example.com/a",
            "https://api.example.org",
            "http://db:5432",
            "http://10.0.0.5/x",
            "http://172.20.1.1/",
            "http://www.w3.org/2000/svg",
            "https://${host}/x",
            "https://{host}/x",
            "See https://api.stripe.com/docs for details",
            "https://docs.stripe.com/api",
            "http://www.apple.com/DTDs/PropertyList-1.0.dtd",
        ] {
            assert!(external_urls(local).is_empty(), "{local}");
        }
    }
}
