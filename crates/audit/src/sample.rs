//! The bundled sample repository (`crates/audit/sample/`): a small
//! restaurant-bookings app with planted problems in every section, written
//! out by `fcto demo` and used by the tests. The secrets in it are made up.

use std::path::Path;

/// (path, contents) of every file of the sample.
pub const SAMPLE_REPO: &[(&str, &str)] = &[
    (".env.production", include_str!("../sample/.env.production")),
    (
        ".fcto/secrets-allow.toml",
        include_str!("../sample/.fcto/secrets-allow.toml"),
    ),
    (
        ".github/workflows/deploy.yml",
        include_str!("../sample/.github/workflows/deploy.yml"),
    ),
    ("Dockerfile", include_str!("../sample/Dockerfile")),
    ("README.md", include_str!("../sample/README.md")),
    (
        "api/bookings/migrations/0001_initial.py",
        include_str!("../sample/api/bookings/migrations/0001_initial.py"),
    ),
    (
        "api/bookings/migrations/0002_booking_status.py",
        include_str!("../sample/api/bookings/migrations/0002_booking_status.py"),
    ),
    (
        "api/bookings/models.py",
        include_str!("../sample/api/bookings/models.py"),
    ),
    (
        "api/requirements.txt",
        include_str!("../sample/api/requirements.txt"),
    ),
    (
        "config/settings.py",
        include_str!("../sample/config/settings.py"),
    ),
    (
        "db/migrations/V3__deposits.sql",
        include_str!("../sample/db/migrations/V3__deposits.sql"),
    ),
    (
        "docker-compose.yml",
        include_str!("../sample/docker-compose.yml"),
    ),
    ("fly.toml", include_str!("../sample/fly.toml")),
    ("infra/main.tf", include_str!("../sample/infra/main.tf")),
    (
        "package-lock.json",
        include_str!("../sample/package-lock.json"),
    ),
    ("package.json", include_str!("../sample/package.json")),
    ("src/bookings.js", include_str!("../sample/src/bookings.js")),
    ("src/server.js", include_str!("../sample/src/server.js")),
    (
        "tests/bookings.test.js",
        include_str!("../sample/tests/bookings.test.js"),
    ),
    ("web/widget.ts", include_str!("../sample/web/widget.ts")),
];

/// Write the sample under `dir` (created if missing).
pub fn write_sample(dir: &Path) -> std::io::Result<()> {
    for (rel, text) in SAMPLE_REPO {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}
