//! Safe saving: fingerprint check, backup, atomic replace.

use std::path::Path;

/// What a file was when it was read: size, mtime, content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, when known.
    pub modified: Option<std::time::SystemTime>,
    /// SHA-256 of the content.
    pub sha256: [u8; 32],
}

impl Fingerprint {
    /// The fingerprint of `bytes` just read from `path`.
    pub fn of_bytes(path: &Path, bytes: &[u8]) -> Fingerprint {
        use sha2::{Digest, Sha256};
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        Fingerprint {
            len: bytes.len() as u64,
            modified,
            sha256: Sha256::digest(bytes).into(),
        }
    }
}
