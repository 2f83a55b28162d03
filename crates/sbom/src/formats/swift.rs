//! Package.resolved (SwiftPM): v1 nests `object.pins` with `package` and
//! `repositoryURL`; v2 and v3 list `pins` with `identity`, `kind` and
//! `location`. A pin's name is its repository URL without scheme and `.git`
//! (OSV's SwiftURL names); its version is the tag, else the revision.

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, List};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Resolved {
    object: Option<Object>,
    pins: Option<List<Pin>>,
}

#[derive(Deserialize)]
struct Object {
    #[serde(default)]
    pins: List<Pin>,
}

#[derive(Deserialize)]
struct Pin {
    #[serde(rename = "repositoryURL")]
    repository_url: Option<String>,
    location: Option<String>,
    kind: Option<String>,
    state: Option<State>,
}

#[derive(Deserialize)]
struct State {
    version: Option<String>,
    revision: Option<String>,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let resolved: Resolved = decode::json(label, text)?;
    let pins = match (resolved.pins, resolved.object) {
        (Some(pins), _) => pins.0,
        (None, Some(object)) => object.pins.0,
        (None, None) => Vec::new(),
    };
    let mut out = Collector::default();
    for pin in pins {
        if matches!(
            pin.kind.as_deref(),
            Some("localSourceControl" | "fileSystem")
        ) {
            continue;
        }
        let Some(url) = pin.location.as_deref().or(pin.repository_url.as_deref()) else {
            return Err(ParseError::new(label, "pin has no location").field("pins.location"));
        };
        let version = pin
            .state
            .as_ref()
            .and_then(|s| s.version.as_deref().or(s.revision.as_deref()))
            .unwrap_or_default();
        out.push(Component::new(
            Ecosystem::SwiftPM,
            &repository_name(url),
            version,
            label,
        ));
    }
    Ok(out.finish())
}

/// `https://github.com/apple/swift-nio.git` and `git@github.com:apple/swift-nio.git`
/// to `github.com/apple/swift-nio`.
fn repository_name(url: &str) -> String {
    let url = url.trim();
    let without_scheme = match url.split_once("://") {
        Some((_, rest)) => rest,
        None => url,
    };
    let without_user = match without_scheme.split_once('@') {
        Some((user, rest)) if !user.contains('/') => rest,
        _ => without_scheme,
    };
    // scp-like `host:path`.
    let host_path = match without_user.split_once(':') {
        Some((host, path))
            if !host.contains('/') && !path.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            format!("{host}/{path}")
        }
        _ => without_user.to_string(),
    };
    host_path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::repository_name;

    #[test]
    fn urls_become_swift_url_names() {
        for url in [
            "https://github.com/apple/swift-nio.git",
            "https://github.com/apple/swift-nio",
            "git@github.com:apple/swift-nio.git",
            "ssh://git@github.com/apple/swift-nio.git/",
        ] {
            assert_eq!(repository_name(url), "github.com/apple/swift-nio", "{url}");
        }
        assert_eq!(
            repository_name("https://example.com:8443/a/b.git"),
            "example.com:8443/a/b"
        );
    }
}
