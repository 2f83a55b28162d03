//! Exit codes: 0 success, 1 a user error (bad value, unknown name, wrong
//! file), 2 a usage error (clap), 3 a fault of the machine or of fcto
//! (database unreachable mid-command, damaged data), 4 a verdict: `fcto
//! review` found something at or above `--fail-on`.

use fcto_engage::EngageError;
use fcto_store::StoreError;

/// An error the user can fix, with a message that says how.
#[derive(Debug)]
pub struct UserError(pub String);

impl UserError {
    pub fn new(msg: impl Into<String>) -> Self {
        UserError(msg.into())
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

pub const EXIT_USER: i32 = 1;
pub const EXIT_INTERNAL: i32 = 3;
pub const EXIT_FINDINGS: i32 = 4;

/// Decide the exit code from the error's chain.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(s) = cause.downcast_ref::<StoreError>() {
            return if s.is_user_error() {
                EXIT_USER
            } else {
                EXIT_INTERNAL
            };
        }
        if let Some(r) = cause.downcast_ref::<fcto_responder::ResponderError>() {
            return if r.is_user_error() {
                EXIT_USER
            } else {
                EXIT_INTERNAL
            };
        }
        if cause.downcast_ref::<EngageError>().is_some()
            || cause.downcast_ref::<UserError>().is_some()
        {
            return EXIT_USER;
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            // Paths come from the user (--ics, --dir, --home).
            return EXIT_USER;
        }
    }
    EXIT_INTERNAL
}

/// Short machine-readable kind for `--json` errors.
pub fn error_kind(code: i32) -> &'static str {
    match code {
        EXIT_USER => "user",
        _ => "internal",
    }
}
