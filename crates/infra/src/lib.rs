//! What runs where: services, the images and platforms they run on, what
//! they talk to, the clouds and CI systems around them, and the database
//! engines all of that reveals — read from infrastructure files.
//!
//! A library a stranger could use without fcto: the caller reads files and
//! hands over bytes; nothing here touches the file system. [`classify`]
//! decides cheaply from a path and a file's head whether (and how) to parse
//! it; [`parse`] turns one file into [`Fact`]s; [`warnings`] and
//! [`landscape`] read facts of many files together.

mod ci;
mod classify;
mod compose;
mod dockerfile;
mod endpoint;
mod error;
mod fact;
mod hcl;
mod helm;
mod image;
mod kubernetes;
mod landscape;
mod platform;
mod relpath;
mod terraform;
mod warning;
mod yaml;

pub use classify::{classify, InfraKind, HEAD_BYTES};
pub use error::{InfraError, Line, MAX_FILE_BYTES};
pub use fact::*;
pub use image::{end_of_life, engine_of_image, parse_ref, ImageRef};
pub use landscape::{
    landscape, CiUse, CloudUse, DatabaseUse, Landscape, LandscapeService, Placement,
};
pub use warning::{warnings, InfraWarning, WarningKind};

/// Parses one file of a known kind. `label` names the file in facts and
/// errors (the caller's path relative to the scanned root).
pub fn parse(kind: InfraKind, label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    match kind {
        InfraKind::Dockerfile => dockerfile::parse(label, bytes),
        InfraKind::Compose => compose::parse(label, bytes),
        InfraKind::Kubernetes => kubernetes::parse(label, bytes),
        InfraKind::HelmChart => helm::parse_chart(label, bytes),
        InfraKind::HelmValues => helm::parse_values(label, bytes),
        InfraKind::HelmTemplate => helm::parse_template(label, bytes),
        InfraKind::Terraform => terraform::parse(label, bytes),
        InfraKind::GithubActions => ci::github::parse(label, bytes),
        InfraKind::GitlabCi => ci::gitlab::parse(label, bytes),
        InfraKind::CircleCi => ci::circleci::parse(label, bytes),
        InfraKind::Bitbucket => ci::bitbucket::parse(label, bytes),
        InfraKind::AzurePipelines => ci::azure::parse(label, bytes),
        InfraKind::Jenkins => ci::jenkins::parse(label, bytes),
        InfraKind::Serverless => platform::serverless::parse(label, bytes),
        InfraKind::Vercel => platform::vercel::parse(label, bytes),
        InfraKind::Netlify => platform::netlify::parse(label, bytes),
        InfraKind::Fly => platform::fly::parse(label, bytes),
        InfraKind::Render => platform::render::parse(label, bytes),
        InfraKind::Procfile => platform::procfile::parse(label, bytes),
        InfraKind::AppEngine => platform::appengine::parse(label, bytes),
        InfraKind::HerokuApp => platform::heroku::parse(label, bytes),
        InfraKind::Railway => platform::railway::parse(label, bytes),
    }
}

/// [`classify`] then [`parse`]; `Ok(None)` for files this crate does not read.
pub fn parse_path(rel_path: &str, bytes: &[u8]) -> Result<Option<Vec<Fact>>, InfraError> {
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    match classify(rel_path, head) {
        Some(kind) => parse(kind, rel_path, bytes).map(Some),
        None => Ok(None),
    }
}
