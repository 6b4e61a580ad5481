//! Chromium's `v10` cookie-value encryption on Linux with the fixed, public
//! key ("basic" password store, or no keyring): PBKDF2-HMAC-SHA1 of
//! `peanuts`, salt `saltysalt`, one iteration, 16 bytes; AES-128-CBC with an
//! IV of 16 spaces and PKCS#7 padding; the `v10` prefix in front. Since
//! database version 24 the plaintext starts with SHA-256 of the cookie's
//! `host_key`, which binds the value to its row.
//!
//! This is obfuscation, not secrecy (Chromium calls it that): anyone can open
//! such a value. Values under another key (`v11` from a keyring, macOS
//! Keychain, Windows DPAPI, app-bound `v20`) are left alone and shown as
//! "(encrypted)".

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use sha2::{Digest, Sha256};

/// The prefix of a value encrypted with the fixed Linux key.
pub const V10: &[u8] = b"v10";
/// The first database version whose plaintexts start with SHA-256 of `host_key`.
pub const HASH_PREFIX_VERSION: i64 = 24;

type Enc = cbc::Encryptor<aes::Aes128>;
type Dec = cbc::Decryptor<aes::Aes128>;

/// The AES-128 key derived from the public password.
fn key() -> [u8; 16] {
    pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 16>(b"peanuts", b"saltysalt", 1)
}

/// The CBC initialisation vector: 16 spaces.
const IV: [u8; 16] = [b' '; 16];

/// Encrypts `value` for the row with `host_key` in a database of `version`.
pub fn encrypt(value: &str, host_key: &str, version: i64) -> Vec<u8> {
    let mut plain = Vec::with_capacity(32 + value.len());
    if version >= HASH_PREFIX_VERSION {
        plain.extend_from_slice(&Sha256::digest(host_key.as_bytes()));
    }
    plain.extend_from_slice(value.as_bytes());
    let body = Enc::new(&key().into(), &IV.into()).encrypt_padded_vec_mut::<Pkcs7>(&plain);
    let mut out = V10.to_vec();
    out.extend_from_slice(&body);
    out
}

/// Opens a `v10` value with the public key. `None` when it is not `v10`, was
/// encrypted under another key (bad padding, wrong host hash), or is not UTF-8.
pub fn decrypt(blob: &[u8], host_key: &str, version: i64) -> Option<String> {
    let body = blob.strip_prefix(V10)?;
    if body.is_empty() || body.len() % 16 != 0 {
        return None;
    }
    let plain = Dec::new(&key().into(), &IV.into())
        .decrypt_padded_vec_mut::<Pkcs7>(body)
        .ok()?;
    let text = if version >= HASH_PREFIX_VERSION {
        let (hash, rest) = plain.split_at_checked(32)?;
        if hash != Sha256::digest(host_key.as_bytes()).as_slice() {
            return None;
        }
        rest.to_vec()
    } else {
        plain
    };
    String::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_both_layouts() {
        for version in [23, 24] {
            let blob = encrypt("a value", ".example.com", version);
            assert!(blob.starts_with(b"v10"));
            assert_eq!(
                decrypt(&blob, ".example.com", version).as_deref(),
                Some("a value")
            );
        }
        let blob = encrypt("x", "a.example", 24);
        assert_eq!(decrypt(&blob, "b.example", 24), None, "bound to host_key");
    }

    #[test]
    fn foreign_values_stay_closed() {
        assert_eq!(decrypt(b"v11\x01\x02", "h", 24), None);
        assert_eq!(decrypt(b"v10", "h", 24), None);
        let mut other = b"v10".to_vec();
        other.extend_from_slice(&[7u8; 32]);
        assert_eq!(decrypt(&other, "h", 24), None);
    }

    #[test]
    fn known_key() {
        // The widely published derived key of "peanuts"/"saltysalt".
        assert_eq!(
            key(),
            [
                0xfd, 0x62, 0x1f, 0xe5, 0xa2, 0xb4, 0x02, 0x53, 0x9d, 0xfa, 0x14, 0x7c, 0xa9, 0x27,
                0x27, 0x78
            ]
        );
    }
}
