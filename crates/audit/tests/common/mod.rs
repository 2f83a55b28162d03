//! The bundled sample repository scanned as the tests need it: every file
//! section, no history, a fixed start time, no clock in the result.

use std::path::Path;

use fcto_audit::{Progress, Request, Sections};

/// The sample scanned for `client`, before vulnerabilities, notes and risks.
pub fn scan_sample(client: &str) -> fcto_audit::Audit {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let request = Request {
        roots: fcto_audit::roots_for(&[root]),
        client: Some(client.into()),
        started_at: "2026-11-25T10:00:00Z".into(),
        tool: "fcto test".into(),
        sections: Sections {
            history: false,
            ..Sections::default()
        },
        threads: 2,
        max_file_bytes: fcto_audit::DEFAULT_MAX_FILE_BYTES,
        allowlist: None,
    };
    let mut audit = fcto_audit::scan(&request, &Progress::default()).expect("scan");
    audit.duration_ms = 0;
    audit
}
