//! Saving a file jar (every format but the browser databases): check it is
//! still what was loaded, copy it into the pending backup, write the new
//! content beside it, check again, and rename at the commit point.

use std::io;
use std::path::Path;

use super::commit::{After, AtCommit, stop_point};
use super::{Jar, JarError};
use crate::atomic::write_atomic_with;

/// What a file was when it was read: size and content hash. The hash only
/// guards against another program's write, so a fast one (XXH3-128) does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Size in bytes.
    pub len: u64,
    /// XXH3-128 of the content.
    pub hash: u128,
}

impl Fingerprint {
    /// The fingerprint of `bytes` just read from `path`.
    pub fn of_bytes(_path: &Path, bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        }
    }

    /// Reads `path` again and tells whether it still holds what was loaded.
    /// The content is hashed because mtime granularity can hide a quick rewrite.
    pub fn still_matches(&self, path: &Path) -> std::io::Result<bool> {
        use std::io::Read;
        let mut file = std::fs::File::open(path)?;
        if file.metadata()?.len() != self.len {
            return Ok(false);
        }
        // Hashed in chunks: reading a large jar whole again would double the
        // memory a save needs.
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(hasher.digest128() == self.hash)
    }
}

impl Fingerprint {
    /// What the save of `bytes` leaves on disk.
    pub fn after(&self) -> After {
        After {
            len: Some(self.len),
            hash: self.hash,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> JarError + '_ {
    move |source| JarError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `path` atomically; `at` runs right before the rename
/// (and is undone when the rename fails).
pub fn write_file<A: AtCommit>(path: &Path, bytes: &[u8], at: &mut A) -> Result<(), A::Error> {
    write_checked(path, bytes, None, at)
}

/// Writes `bytes` over `path` atomically. Right before the rename, `path`
/// must still match `loaded` (when given): another program's write since
/// the load, even during this save, refuses it with nothing written.
fn write_checked<A: AtCommit>(
    path: &Path,
    bytes: &[u8],
    loaded: Option<&Fingerprint>,
    at: &mut A,
) -> Result<(), A::Error> {
    let after = Fingerprint::of_bytes(path, bytes).after();
    let mut failed: Option<A::Error> = None;
    let mut ran = false;
    let written = write_atomic_with(path, bytes, 0o600, || {
        let step = match still_loaded(path, loaded) {
            Ok(()) => at.before(after),
            Err(e) => Err(e.into()),
        };
        step.map(|()| ran = true).map_err(|e| {
            failed = Some(e);
            io::Error::other("stopped before the rename")
        })
    });
    match (written, failed) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => {
            if ran {
                at.abort();
            }
            Err(io_err(path)(e).into())
        }
    }
}

/// The last moment before the commit point: a signal stops the save here,
/// and `path` must still match `loaded` (when given).
fn still_loaded(path: &Path, loaded: Option<&Fingerprint>) -> Result<(), JarError> {
    stop_point("written")?;
    match loaded.map(|fp| fp.still_matches(path)) {
        Some(Err(source)) => Err(JarError::Io {
            path: path.to_path_buf(),
            source,
        }),
        Some(Ok(false)) => Err(JarError::Changed {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Refuses when the file is no longer what was loaded.
pub fn check(jar: &Jar) -> Result<(), JarError> {
    match &jar.loaded {
        Some(fp) if !fp.still_matches(&jar.path).map_err(io_err(&jar.path))? => {
            Err(JarError::Changed {
                path: jar.path.clone(),
            })
        }
        _ => Ok(()),
    }
}

/// Saves a file jar over itself (the caller holds the jar's lock and has
/// checked it): writes the new content beside it, checks again and renames.
/// After it the jar's fingerprint is the new file's.
pub fn save_in_place<A: AtCommit>(jar: &mut Jar, at: &mut A) -> Result<(), A::Error> {
    let bytes = jar.content();
    write_checked(&jar.path, &bytes, jar.loaded.as_ref(), at)?;
    let loaded = Some(Fingerprint::of_bytes(&jar.path, &bytes));
    drop(bytes);
    jar.loaded = loaded;
    Ok(())
}
