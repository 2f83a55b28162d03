//! Builds real repositories with the `git` program for the tests.
// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// `git` with no user or system configuration and fixed identities.
pub fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com");
    command
}

/// Runs `command`, panicking with its stderr when it fails (test setup only).
pub fn run(command: &mut Command) -> String {
    let output = command.output().expect("git runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("git prints UTF-8 here")
}
