//! netlify.toml: the site's build, functions, and the external hosts its
//! proxying redirects (status 200) point at.

use super::{find_line, load_toml};
use crate::endpoint::{find_url, is_local};
use crate::error::InfraError;
use crate::fact::{Fact, Link, LinkKind, Platform, Service};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, cfg) = load_toml(label, bytes)?;
    let mut svc = Service::new(
        label,
        find_line(&text, "[build]"),
        &super::default_name(label),
        Platform::Netlify,
    );
    let build = cfg.get("build").and_then(|b| b.as_table());
    svc.command = build
        .and_then(|b| b.get("command"))
        .and_then(|c| c.as_str())
        .map(str::to_string);
    if build.and_then(|b| b.get("functions")).is_some() || cfg.get("functions").is_some() {
        svc.role = Some("site with functions".to_string());
    } else {
        svc.role = Some("site".to_string());
    }
    for r in cfg
        .get("redirects")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        let status = r.get("status").and_then(|s| s.as_integer()).unwrap_or(301);
        let to = r.get("to").and_then(|t| t.as_str());
        if status == 200 {
            if let Some(host) = to.and_then(find_url).and_then(|u| u.host) {
                if !is_local(&host) {
                    svc.link(Link {
                        target: host,
                        kind: LinkKind::ExternalHost,
                        via: "redirects (proxy)".to_string(),
                        engine: None,
                    });
                }
            }
        }
    }
    Ok(vec![Fact::Service(svc)])
}
