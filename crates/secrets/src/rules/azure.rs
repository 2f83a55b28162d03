//! Azure connection-string keys and SAS signatures.

use crate::finding::{redact_with_prefix, Severity};
use crate::rules::RuleId;
use crate::scanner::Ctx;
use crate::text::{at, before, contains_ci, is_alnum, is_base64, is_placeholder, run, slice};

/// The Azurite storage emulator's account key, published in Microsoft's
/// documentation for every developer to use; not a leak.
const AZURITE_KEY: &[u8] =
    b"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn base64_key(ctx: &Ctx, from: usize, min: usize, max: usize) -> Option<usize> {
    let b = ctx.bytes;
    let n = run(b, from, max + 1, |c| is_base64(c) || c == b'=');
    if !(min..=max).contains(&n) {
        return None;
    }
    let key = slice(b, from, from + n);
    let mixed = key.iter().any(u8::is_ascii_digit)
        && key.iter().any(u8::is_ascii_uppercase)
        && key.iter().any(u8::is_ascii_lowercase);
    (mixed && !is_placeholder(key) && key != AZURITE_KEY).then_some(from + n)
}

/// `AccountKey=<88 base64>` in a storage connection string.
pub(crate) fn account_key(ctx: &mut Ctx, start: usize, end: usize) {
    if is_alnum(before(ctx.bytes, start)) {
        return;
    }
    let Some(key_end) = base64_key(ctx, end, 80, 100) else {
        return;
    };
    let value = slice(ctx.bytes, end, key_end);
    ctx.push(
        RuleId::AzureStorageAccountKey,
        end,
        key_end,
        Severity::High,
        redact_with_prefix("AccountKey=", value),
        value,
    );
}

/// `SharedAccessKey=<44 base64>` (Service Bus, Event Hubs, IoT Hub).
pub(crate) fn shared_access_key(ctx: &mut Ctx, start: usize, end: usize) {
    if is_alnum(before(ctx.bytes, start)) {
        return;
    }
    let Some(key_end) = base64_key(ctx, end, 40, 64) else {
        return;
    };
    let value = slice(ctx.bytes, end, key_end);
    ctx.push(
        RuleId::AzureSharedAccessKey,
        end,
        key_end,
        Severity::High,
        redact_with_prefix("SharedAccessKey=", value),
        value,
    );
}

/// `sig=` is a SAS signature when it is a query parameter of a query that
/// also names the service version (`sv=`), and long enough to be an
/// HMAC-SHA256 in (URL-encoded) base64.
pub(crate) fn sas_signature(ctx: &mut Ctx, start: usize, end: usize) {
    let b = ctx.bytes;
    if !matches!(before(b, start), b'?' | b'&' | b';') {
        return;
    }
    let n = run(b, end, 200, |c| is_base64(c) || c == b'%' || c == b'=');
    if !(40..=160).contains(&n) || is_alnum(at(b, end + n)) {
        return;
    }
    let (line_start, _, _) = ctx.line(start);
    let query = slice(b, line_start, start);
    if !(contains_ci(query, b"?sv=") || contains_ci(query, b"&sv=") || contains_ci(query, b";sv="))
    {
        return;
    }
    let sig = slice(b, end, end + n);
    if is_placeholder(sig) {
        return;
    }
    ctx.push(
        RuleId::AzureSasToken,
        end,
        end + n,
        Severity::Medium,
        redact_with_prefix("sig=", sig),
        sig,
    );
}
