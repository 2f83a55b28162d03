//! Cleaning raw bank descriptors so the same merchant reads the same way.
//!
//! (Interface fixed; implementation in progress.)

/// Upper-case descriptor with payment-processor prefixes, card and reference
/// numbers, dates and trailing locations removed:
/// "PADDLE.NET* NOTION 4829" -> "NOTION".
pub fn clean_descriptor(raw: &str) -> String {
    raw.trim().to_uppercase()
}

/// A stable key to group charges of one merchant that is not in the catalog.
pub fn merchant_key(raw: &str) -> String {
    clean_descriptor(raw)
}
