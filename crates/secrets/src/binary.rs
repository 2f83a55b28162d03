//! Telling text from binary before scanning, as git and ripgrep do: a NUL
//! byte in the first 8 KiB, or mostly control bytes.

const SNIFF: usize = 8 * 1024;

/// True for files that are almost surely not text (images, archives,
/// compiled objects, UTF-16). Only the first 8 KiB are read.
pub fn is_probably_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..SNIFF.min(bytes.len())).unwrap_or(bytes);
    if head.is_empty() {
        return false;
    }
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    // Counting every byte below 0x20 vectorises; only a file over the
    // threshold pays for the exact count that leaves out text controls.
    let low: usize = head
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(b < 0x20))))
        .sum();
    if low * 10 <= head.len() {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    control * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_binary() {
        assert!(!is_probably_binary(b""));
        assert!(!is_probably_binary("plain text, caf\u{e9}\r\n".as_bytes()));
        assert!(!is_probably_binary(b"\xff\xfe invalid utf-8 is still text"));
        assert!(is_probably_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(is_probably_binary(&[1u8, 2, 3, 4, 5, 6, 7, 8, b'a']));
    }
}
