//! One module per format family; each turns text into a [`ParseOutput`].

mod bun;
mod cargo;
mod composer;
mod gem;
mod go;
mod gradle;
mod jsonc;
mod maven;
mod mix;
mod npm;
mod nuget;
mod pnpm;
mod pubspec;
mod python_locks;
mod requirements;
mod swift;
mod yarn;

use crate::component::ParseOutput;
use crate::{decode, ManifestKind, ParseError};

pub(crate) fn parse(
    kind: ManifestKind,
    label: &str,
    bytes: &[u8],
) -> Result<ParseOutput, ParseError> {
    let text = decode::text(label, bytes)?;
    match kind {
        ManifestKind::CargoLock => cargo::parse(label, text),
        ManifestKind::PackageLock | ManifestKind::NpmShrinkwrap => npm::parse(label, text),
        ManifestKind::YarnLock => yarn::parse(label, text),
        ManifestKind::PnpmLock => pnpm::parse(label, text),
        ManifestKind::BunLock => bun::parse(label, text),
        ManifestKind::Requirements => requirements::parse(label, text),
        ManifestKind::PoetryLock => python_locks::poetry(label, text),
        ManifestKind::PipfileLock => python_locks::pipfile(label, text),
        ManifestKind::UvLock => python_locks::uv(label, text),
        ManifestKind::PdmLock => python_locks::pdm(label, text),
        ManifestKind::GoMod => go::parse_mod(label, text),
        ManifestKind::GoSum => go::parse_sum(label, text),
        ManifestKind::GemfileLock => gem::parse(label, text),
        ManifestKind::ComposerLock => composer::parse(label, text),
        ManifestKind::PomXml => maven::parse(label, text),
        ManifestKind::GradleLockfile => gradle::parse_lockfile(label, text),
        ManifestKind::BuildGradle | ManifestKind::BuildGradleKts => {
            gradle::parse_build(label, text)
        }
        ManifestKind::NugetLock => nuget::parse(label, text),
        ManifestKind::MixLock => mix::parse(label, text),
        ManifestKind::PubspecLock => pubspec::parse(label, text),
        ManifestKind::PackageResolved => swift::parse(label, text),
    }
}
