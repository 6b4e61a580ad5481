//! Safe saving: check the file is still what was loaded, back it up, replace it atomically.

use std::path::Path;

use super::{Jar, JarError, backup};
use crate::atomic::{check_writable, remove_leftovers, write_atomic};
use crate::dirs::Dirs;

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

/// Where a save goes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Over the jar it was loaded from (checked, backed up).
    InPlace {
        /// Skip the backup copy.
        no_backup: bool,
    },
    /// To another file; the loaded jar is left alone.
    Output(&'a Path),
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file written.
    pub path: std::path::PathBuf,
    /// The backup taken of the original, if any.
    pub backup: Option<std::path::PathBuf>,
}

/// Takes the advisory save lock on the jar file (flock), without waiting.
fn lock(path: &Path) -> Result<std::fs::File, JarError> {
    let io = |source| JarError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(JarError::Busy {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Writes the jar (after its edits) to `target`; after an in-place save the
/// jar's fingerprint is the new file's, so a later save checks against it.
pub fn save(jar: &mut Jar, target: Target<'_>, dirs: &Dirs) -> Result<Saved, JarError> {
    let path = jar.path.clone();
    if let Some(body) = jar.sqlite_body() {
        return super::sqlite::save(body, &path, target, dirs);
    }
    let bytes = jar.content();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| JarError::Io { path, source }
    };
    match target {
        Target::Output(out) => {
            write_atomic(out, &bytes, 0o600).map_err(io(out))?;
            Ok(Saved {
                path: out.to_path_buf(),
                backup: None,
            })
        }
        Target::InPlace { no_backup } => {
            let path = jar.path.as_path();
            // Held until the new file is in place: a second crumbs saving the
            // same jar refuses instead of interleaving with this one.
            let _lock = lock(path)?;
            check_writable(path).map_err(io(path))?;
            remove_leftovers(path).map_err(io(path))?;
            if let Some(fp) = &jar.loaded
                && !fp.still_matches(path).map_err(io(path))?
            {
                return Err(JarError::Changed {
                    path: path.to_path_buf(),
                });
            }
            let backup = if no_backup {
                None
            } else {
                Some(backup::take(path, dirs)?)
            };
            write_atomic(path, &bytes, 0o600).map_err(io(path))?;
            let saved = Saved {
                path: path.to_path_buf(),
                backup,
            };
            let loaded = Some(Fingerprint::of_bytes(path, &bytes));
            drop(bytes);
            jar.loaded = loaded;
            Ok(saved)
        }
    }
}
