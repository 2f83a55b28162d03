use serde::{Deserialize, Serialize};

use crate::Ecosystem;

/// The lockfile and manifest formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestKind {
    CargoLock,
    PackageLock,
    NpmShrinkwrap,
    YarnLock,
    PnpmLock,
    BunLock,
    Requirements,
    PoetryLock,
    PipfileLock,
    UvLock,
    PdmLock,
    GoMod,
    GoSum,
    GemfileLock,
    ComposerLock,
    PomXml,
    GradleLockfile,
    BuildGradle,
    BuildGradleKts,
    NugetLock,
    MixLock,
    PubspecLock,
    PackageResolved,
}

impl ManifestKind {
    pub const ALL: [ManifestKind; 23] = [
        ManifestKind::CargoLock,
        ManifestKind::PackageLock,
        ManifestKind::NpmShrinkwrap,
        ManifestKind::YarnLock,
        ManifestKind::PnpmLock,
        ManifestKind::BunLock,
        ManifestKind::Requirements,
        ManifestKind::PoetryLock,
        ManifestKind::PipfileLock,
        ManifestKind::UvLock,
        ManifestKind::PdmLock,
        ManifestKind::GoMod,
        ManifestKind::GoSum,
        ManifestKind::GemfileLock,
        ManifestKind::ComposerLock,
        ManifestKind::PomXml,
        ManifestKind::GradleLockfile,
        ManifestKind::BuildGradle,
        ManifestKind::BuildGradleKts,
        ManifestKind::NugetLock,
        ManifestKind::MixLock,
        ManifestKind::PubspecLock,
        ManifestKind::PackageResolved,
    ];

    /// A stable kebab-case name (also the fixture folder's name).
    pub fn slug(self) -> &'static str {
        match self {
            ManifestKind::CargoLock => "cargo-lock",
            ManifestKind::PackageLock => "package-lock",
            ManifestKind::NpmShrinkwrap => "npm-shrinkwrap",
            ManifestKind::YarnLock => "yarn-lock",
            ManifestKind::PnpmLock => "pnpm-lock",
            ManifestKind::BunLock => "bun-lock",
            ManifestKind::Requirements => "requirements",
            ManifestKind::PoetryLock => "poetry-lock",
            ManifestKind::PipfileLock => "pipfile-lock",
            ManifestKind::UvLock => "uv-lock",
            ManifestKind::PdmLock => "pdm-lock",
            ManifestKind::GoMod => "go-mod",
            ManifestKind::GoSum => "go-sum",
            ManifestKind::GemfileLock => "gemfile-lock",
            ManifestKind::ComposerLock => "composer-lock",
            ManifestKind::PomXml => "pom-xml",
            ManifestKind::GradleLockfile => "gradle-lockfile",
            ManifestKind::BuildGradle => "build-gradle",
            ManifestKind::BuildGradleKts => "build-gradle-kts",
            ManifestKind::NugetLock => "nuget-lock",
            ManifestKind::MixLock => "mix-lock",
            ManifestKind::PubspecLock => "pubspec-lock",
            ManifestKind::PackageResolved => "package-resolved",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ManifestKind> {
        ManifestKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn ecosystem(self) -> Ecosystem {
        match self {
            ManifestKind::CargoLock => Ecosystem::Cargo,
            ManifestKind::PackageLock
            | ManifestKind::NpmShrinkwrap
            | ManifestKind::YarnLock
            | ManifestKind::PnpmLock
            | ManifestKind::BunLock => Ecosystem::Npm,
            ManifestKind::Requirements
            | ManifestKind::PoetryLock
            | ManifestKind::PipfileLock
            | ManifestKind::UvLock
            | ManifestKind::PdmLock => Ecosystem::PyPI,
            ManifestKind::GoMod | ManifestKind::GoSum => Ecosystem::Go,
            ManifestKind::GemfileLock => Ecosystem::RubyGems,
            ManifestKind::ComposerLock => Ecosystem::Packagist,
            ManifestKind::PomXml
            | ManifestKind::GradleLockfile
            | ManifestKind::BuildGradle
            | ManifestKind::BuildGradleKts => Ecosystem::Maven,
            ManifestKind::NugetLock => Ecosystem::NuGet,
            ManifestKind::MixLock => Ecosystem::Hex,
            ManifestKind::PubspecLock => Ecosystem::Pub,
            ManifestKind::PackageResolved => Ecosystem::SwiftPM,
        }
    }

    /// Whether the file records resolved versions (a lockfile) rather than
    /// declared ones (a manifest).
    pub fn is_lockfile(self) -> bool {
        !matches!(
            self,
            ManifestKind::PomXml
                | ManifestKind::BuildGradle
                | ManifestKind::BuildGradleKts
                | ManifestKind::GoMod
                | ManifestKind::Requirements
        )
    }
}

/// The format of a file from its name alone (no directory part), or `None`
/// when it is not a lockfile or manifest this crate reads.
pub fn manifest_kind(file_name: &str) -> Option<ManifestKind> {
    let kind = match file_name {
        "Cargo.lock" => ManifestKind::CargoLock,
        "package-lock.json" => ManifestKind::PackageLock,
        "npm-shrinkwrap.json" => ManifestKind::NpmShrinkwrap,
        "yarn.lock" => ManifestKind::YarnLock,
        "pnpm-lock.yaml" => ManifestKind::PnpmLock,
        "bun.lock" => ManifestKind::BunLock,
        "poetry.lock" => ManifestKind::PoetryLock,
        "Pipfile.lock" => ManifestKind::PipfileLock,
        "uv.lock" => ManifestKind::UvLock,
        "pdm.lock" => ManifestKind::PdmLock,
        "go.mod" => ManifestKind::GoMod,
        "go.sum" => ManifestKind::GoSum,
        // Bundler's alternative names for the Gemfile pair.
        "Gemfile.lock" | "gems.locked" => ManifestKind::GemfileLock,
        "composer.lock" => ManifestKind::ComposerLock,
        "pom.xml" => ManifestKind::PomXml,
        "build.gradle" => ManifestKind::BuildGradle,
        "build.gradle.kts" => ManifestKind::BuildGradleKts,
        "packages.lock.json" => ManifestKind::NugetLock,
        "mix.lock" => ManifestKind::MixLock,
        "pubspec.lock" => ManifestKind::PubspecLock,
        "Package.resolved" => ManifestKind::PackageResolved,
        // Gradle also writes `buildscript-gradle.lockfile` for the build
        // script's own classpath.
        name if name.ends_with("gradle.lockfile") => ManifestKind::GradleLockfile,
        name if is_requirements_txt(name) => ManifestKind::Requirements,
        _ => return None,
    };
    Some(kind)
}

/// `requirements.txt`, `requirements-dev.txt`, `requirements_test.txt`,
/// `dev-requirements.txt`, `requirements.in` is not (it is pip-compile's
/// input, holding ranges the `.txt` beside it resolves).
fn is_requirements_txt(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".txt") && lower.contains("requirements")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_map_to_kinds() {
        let cases = [
            ("Cargo.lock", Some(ManifestKind::CargoLock)),
            ("package-lock.json", Some(ManifestKind::PackageLock)),
            ("npm-shrinkwrap.json", Some(ManifestKind::NpmShrinkwrap)),
            ("requirements.txt", Some(ManifestKind::Requirements)),
            ("requirements-dev.txt", Some(ManifestKind::Requirements)),
            ("requirements_test.txt", Some(ManifestKind::Requirements)),
            ("dev-requirements.txt", Some(ManifestKind::Requirements)),
            ("requirements.in", None),
            ("build.gradle.kts", Some(ManifestKind::BuildGradleKts)),
            ("build.gradle", Some(ManifestKind::BuildGradle)),
            ("gradle.lockfile", Some(ManifestKind::GradleLockfile)),
            (
                "buildscript-gradle.lockfile",
                Some(ManifestKind::GradleLockfile),
            ),
            ("gems.locked", Some(ManifestKind::GemfileLock)),
            ("Package.resolved", Some(ManifestKind::PackageResolved)),
            ("package.json", None),
            ("Cargo.toml", None),
            ("cargo.lock", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(manifest_kind(name), want, "{name}");
        }
    }

    #[test]
    fn slugs_round_trip() {
        for kind in ManifestKind::ALL {
            assert_eq!(ManifestKind::from_slug(kind.slug()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.slug()));
        }
    }
}
