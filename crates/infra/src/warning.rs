//! Risks a CTO cares about, read off facts: floating or untagged images,
//! images not pinned by digest in production manifests, containers running
//! as root, privileged or on the host network, end-of-life base images, and
//! third-party CI code not pinned to a commit.

use serde::Serialize;

use crate::fact::{CiSystem, Fact, Image, ImageUse, Pin};
use crate::image::end_of_life;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    ImageLatest,
    ImageUntagged,
    ImageNotPinnedByDigest,
    EndOfLifeImage,
    EndOfLifeDatabase,
    RunsAsRoot,
    PrivilegedContainer,
    HostNetwork,
    ActionNotPinned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Worth knowing; common practice but not best practice.
    Note,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InfraWarning {
    pub kind: WarningKind,
    pub level: Level,
    pub file: String,
    pub line: u32,
    pub message: String,
    pub why: String,
}

fn warn(
    kind: WarningKind,
    level: Level,
    file: &str,
    line: u32,
    message: String,
    why: &str,
) -> InfraWarning {
    InfraWarning {
        kind,
        level,
        file: file.to_string(),
        line,
        message,
        why: why.to_string(),
    }
}

pub fn warnings(facts: &[Fact]) -> Vec<InfraWarning> {
    let mut out = Vec::new();
    for fact in facts {
        match fact {
            Fact::Image(img) => image_warnings(img, &mut out),
            Fact::Dockerfile(d) => {
                let user = d.user.as_deref().map(str::trim);
                let root = matches!(user, None | Some("root" | "0" | "0:0" | "root:root"));
                let base_non_root = d.base.as_deref().is_some_and(non_root_base);
                if root && !(user.is_none() && base_non_root) {
                    let message = match user {
                        None => "The shipped stage sets no USER, so the container runs as root"
                            .to_string(),
                        Some(u) => format!(
                            "The shipped stage sets USER {u}, so the container runs as root"
                        ),
                    };
                    out.push(warn(
                        WarningKind::RunsAsRoot,
                        Level::Warning,
                        &d.file,
                        d.line,
                        message,
                        "a flaw in the app then gives an attacker root inside the container, one step from the host",
                    ));
                }
            }
            Fact::Service(s) => {
                if s.privileged {
                    out.push(warn(
                        WarningKind::PrivilegedContainer,
                        Level::Warning,
                        &s.file,
                        s.line,
                        format!("Service {} runs privileged", s.name),
                        "a privileged container can take over the machine it runs on",
                    ));
                }
                if s.host_network {
                    out.push(warn(
                        WarningKind::HostNetwork,
                        Level::Warning,
                        &s.file,
                        s.line,
                        format!("Service {} shares the host's network", s.name),
                        "it can reach and expose every port of the host, bypassing network isolation",
                    ));
                }
            }
            // Managed databases (Terraform, Render, operators) with an
            // end-of-life version; images are judged by their tag above.
            Fact::Database(d)
                if !d.evidence.starts_with("image ") && !d.evidence.starts_with("CI ") =>
            {
                let product = match d.engine.as_str() {
                    "mongodb" => "mongo",
                    other => other,
                };
                if let Some(v) = &d.version {
                    if end_of_life(product, v).is_some() {
                        out.push(warn(
                            WarningKind::EndOfLifeDatabase,
                            Level::Warning,
                            &d.file,
                            d.line,
                            format!("{} {v} ({}) is past its end of life", d.engine, d.evidence),
                            "it no longer gets security fixes; managed clouds charge extra for extended support or force an upgrade on their schedule",
                        ));
                    }
                }
            }
            Fact::Pipeline(p) => {
                let all = p
                    .imports
                    .iter()
                    .chain(p.jobs.iter().flat_map(|j| j.uses.iter()));
                for u in all {
                    let unpinned = match p.system {
                        CiSystem::GithubActions => {
                            !u.first_party
                                && matches!(u.pin, Pin::Tag | Pin::Branch | Pin::None | Pin::Docker)
                        }
                        CiSystem::CircleCi => matches!(u.pin, Pin::Branch | Pin::None),
                        _ => false,
                    };
                    if unpinned {
                        let how = match u.pin {
                            Pin::Tag => "a tag",
                            Pin::Branch => "a branch",
                            Pin::Docker => "an image tag",
                            _ => "nothing",
                        };
                        let target = if p.system == CiSystem::GithubActions {
                            "a full commit SHA"
                        } else {
                            "a version"
                        };
                        out.push(warn(
                            WarningKind::ActionNotPinned,
                            Level::Warning,
                            &p.file,
                            u.line,
                            format!("{} is pinned to {how}, not {target}", u.uses),
                            "its owner (or whoever takes over their account) can change the code your CI runs with your secrets",
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Base images that run as a non-root user by default.
fn non_root_base(base: &str) -> bool {
    let b = base.to_ascii_lowercase();
    b.contains(":nonroot")
        || b.contains("-nonroot")
        || b.starts_with("cgr.dev/chainguard/")
        || b.starts_with("bitnami/")
}

fn image_warnings(img: &Image, out: &mut Vec<InfraWarning>) {
    if img.unresolved {
        return;
    }
    match (&img.tag, &img.digest) {
        // Helm charts leave the tag empty on purpose: templates default it
        // to the chart's appVersion.
        (None, None) if img.used_in == ImageUse::HelmValues => {}
        (None, None) => out.push(warn(
            WarningKind::ImageUntagged,
            Level::Warning,
            &img.file,
            img.line,
            format!("Image {} has no tag, so it means `latest`", img.reference),
            "each pull may bring a different version: builds and deploys stop being repeatable",
        )),
        (Some(t), None) if t == "latest" => out.push(warn(
            WarningKind::ImageLatest,
            Level::Warning,
            &img.file,
            img.line,
            format!("Image {} uses the `latest` tag", img.reference),
            "each pull may bring a different version: builds and deploys stop being repeatable",
        )),
        (Some(_), None) if img.used_in.is_production_manifest() => out.push(warn(
            WarningKind::ImageNotPinnedByDigest,
            Level::Note,
            &img.file,
            img.line,
            format!("Image {} is pinned by tag, not by digest", img.reference),
            "a tag can be moved to other bytes; only a digest guarantees production runs what was tested",
        )),
        _ => {}
    }
    if let Some(tag) = &img.tag {
        if let Some(what) = end_of_life(&img.name, tag) {
            let role = if img.used_in == ImageUse::DockerfileBase {
                "base image"
            } else {
                "image"
            };
            out.push(warn(
                WarningKind::EndOfLifeImage,
                Level::Warning,
                &img.file,
                img.line,
                format!("The {role} {what} is past its end of life"),
                "it no longer gets security fixes, and upgrading later only gets harder",
            ));
        }
    }
}
