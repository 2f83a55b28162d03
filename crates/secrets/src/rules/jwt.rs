//! JSON Web Tokens: `header.payload.signature` in base64url, where the
//! header decodes to a JSON object naming its `alg`. An unsigned token
//! (empty signature) grants nothing and is not reported.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::finding::{redact_with_prefix, Severity};
use crate::rules::RuleId;
use crate::scanner::Ctx;
use crate::text::{at, before, is_base64url, run, slice};

const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The signature of the sample token on jwt.io ("John Doe", secret
/// `your-256-bit-secret`), copied into countless docs and tests.
const JWT_IO_SAMPLE_SIGNATURE: &[u8] = b"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

const MAX_PART: usize = 8 * 1024;

pub(crate) fn check(ctx: &mut Ctx, start: usize) {
    let b = ctx.bytes;
    if is_base64url(before(b, start)) {
        return;
    }
    let header_len = run(b, start, MAX_PART, is_base64url);
    if !(12..MAX_PART).contains(&header_len) || at(b, start + header_len) != b'.' {
        return;
    }
    let payload_start = start + header_len + 1;
    let payload_len = run(b, payload_start, MAX_PART * 4, is_base64url);
    if payload_len < 4 || at(b, payload_start + payload_len) != b'.' {
        return;
    }
    let sig_start = payload_start + payload_len + 1;
    let sig_len = run(b, sig_start, MAX_PART, is_base64url);
    if sig_len < 16 {
        return;
    }
    let end = sig_start + sig_len;
    if slice(b, sig_start, end) == JWT_IO_SAMPLE_SIGNATURE {
        return;
    }
    if !header_names_alg(slice(b, start, start + header_len)) {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        RuleId::Jwt,
        start,
        end,
        Severity::Medium,
        redact_with_prefix("eyJ", value),
        value,
    );
}

fn header_names_alg(header: &[u8]) -> bool {
    let Ok(decoded) = URL_SAFE_LENIENT.decode(header) else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Value>(&decoded) {
        Ok(serde_json::Value::Object(map)) => map.get("alg").is_some_and(|alg| alg.is_string()),
        _ => false,
    }
}
