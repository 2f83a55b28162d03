//! The `fcto` binary run as a user runs it, in a home of its own.

pub mod model;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

pub struct Fcto {
    pub home: tempfile::TempDir,
    /// `--db` for every command (PostgreSQL runs); `None` uses the home's SQLite.
    pub db: Option<String>,
}

#[allow(dead_code)] // each test binary uses its own part
impl Fcto {
    pub fn new(db: Option<String>) -> Fcto {
        Fcto {
            home: tempfile::tempdir().expect("tmp"),
            db,
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// Run with extra environment variables.
    pub fn run_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_fcto"));
        c.envs(envs.iter().copied());
        c.env("FCTO_HOME", self.home.path())
            .env("FCTO_TODAY", "2026-11-25")
            .env_remove("FCTO_DATABASE_URL");
        if let Some(db) = &self.db {
            c.arg("--db").arg(db);
        }
        c.args(args).output().expect("run fcto")
    }

    /// Run with --json, expect success, parse the output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.run(&a);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Expect exit `code` and `needle` in the error.
    pub fn fails(&self, args: &[&str], code: i32, needle: &str) {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write");
        p.display().to_string()
    }
}
