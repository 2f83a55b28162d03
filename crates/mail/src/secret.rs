//! Mailbox passwords sealed at rest with ChaCha20-Poly1305. The key lives
//! outside the database (an environment variable or a key file the binary
//! manages); the client's slug is bound in as associated data, so a sealed
//! password copied to another client's row does not open.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the mail key must be 64 hex characters (32 bytes)")]
    BadKey,
    #[error("the sealed password is damaged or was sealed with another key or for another client")]
    CannotOpen,
}

/// 32 bytes; `Debug` never shows them.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    pub fn generate() -> SecretKey {
        SecretKey(ChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    pub fn from_hex(text: &str) -> Result<SecretKey, SecretError> {
        let bytes = hex::decode(text.trim()).map_err(|_| SecretError::BadKey)?;
        let array: [u8; 32] = bytes.try_into().map_err(|_| SecretError::BadKey)?;
        Ok(SecretKey(array))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(Key::from_slice(&self.0))
    }
}

/// Seal `secret` for `client`: (nonce, sealed), both hex.
pub fn seal(key: &SecretKey, client: &str, secret: &str) -> (String, String) {
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = key
        .cipher()
        .encrypt(
            &nonce,
            Payload {
                msg: secret.as_bytes(),
                aad: client.as_bytes(),
            },
        )
        // Encryption fails only for inputs over 256 GiB.
        .unwrap_or_default();
    (hex::encode(nonce), hex::encode(sealed))
}

pub fn open(
    key: &SecretKey,
    client: &str,
    nonce: &str,
    sealed: &str,
) -> Result<String, SecretError> {
    let nonce = hex::decode(nonce).map_err(|_| SecretError::CannotOpen)?;
    if nonce.len() != 12 {
        return Err(SecretError::CannotOpen);
    }
    let sealed = hex::decode(sealed).map_err(|_| SecretError::CannotOpen)?;
    let plain = key
        .cipher()
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &sealed,
                aad: client.as_bytes(),
            },
        )
        .map_err(|_| SecretError::CannotOpen)?;
    String::from_utf8(plain).map_err(|_| SecretError::CannotOpen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_passwords_open_only_with_their_key_and_client() {
        let key = SecretKey::generate();
        let (nonce, sealed) = seal(&key, "acme", "hunter2");
        assert!(!sealed.contains(&hex::encode("hunter2")));
        assert_eq!(
            open(&key, "acme", &nonce, &sealed).as_deref(),
            Ok("hunter2")
        );
        assert_eq!(
            open(&key, "beta", &nonce, &sealed),
            Err(SecretError::CannotOpen)
        );
        let other = SecretKey::generate();
        assert_eq!(
            open(&other, "acme", &nonce, &sealed),
            Err(SecretError::CannotOpen)
        );
        let mut tampered = sealed.clone();
        tampered.replace_range(0..2, if &sealed[0..2] == "00" { "01" } else { "00" });
        assert_eq!(
            open(&key, "acme", &nonce, &tampered),
            Err(SecretError::CannotOpen)
        );
        assert_eq!(
            open(&key, "acme", "zz", &sealed),
            Err(SecretError::CannotOpen)
        );
        // Two seals of one password differ (fresh nonces).
        assert_ne!(seal(&key, "acme", "hunter2").1, sealed);
        let again = SecretKey::from_hex(&key.to_hex()).expect("round trip");
        assert_eq!(
            open(&again, "acme", &nonce, &sealed).as_deref(),
            Ok("hunter2")
        );
        assert_eq!(
            SecretKey::from_hex("abc").map(|_| ()),
            Err(SecretError::BadKey)
        );
        assert!(!format!("{key:?}").contains(&key.to_hex()));
    }
}
