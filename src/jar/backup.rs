//! The backup folder of a jar: one `N.bak` per save that happened (the jar
//! as it was before) with its `N.json` note (what undo needs to know), the
//! last [`KEEP`] kept. A leaf: it knows nothing of formats or saves.
//!
//! A backup is first written as `N.partial`, held under an advisory lock by
//! the save writing it, and becomes `N.bak` only at the save's commit point;
//! a partial whose lock is free belongs to a save that was killed, and the
//! next save removes it.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::JarError;
use crate::atomic::{resolve_target, write_atomic};
use crate::dirs::Dirs;

/// How many backups are kept per jar.
pub const KEEP: usize = 10;

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> JarError + '_ {
    move |source| JarError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The backup folder of one jar: its file name plus a hash of its absolute path,
/// so two `cookies.txt` in different folders do not share backups.
pub fn folder(jar: &Path, dirs: &Dirs) -> io::Result<PathBuf> {
    let target = resolve_target(jar)?;
    let abs = if target.is_absolute() {
        target
    } else {
        std::env::current_dir()?.join(target)
    };
    let name = abs
        .file_name()
        .map(|n| {
            n.to_string_lossy().replace(
                |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-' && c != '_',
                "_",
            )
        })
        .unwrap_or_else(|| "jar".into());
    let digest = Sha256::digest(abs.as_os_str().as_encoded_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    Ok(dirs.backups_dir().join(format!("{name}-{hex}")))
}

/// Files of `dir` whose extension is `ext`, sorted by name.
fn with_extension(dir: &Path, ext: &str) -> io::Result<Vec<PathBuf>> {
    let mut found = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect::<Vec<_>>(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    // Names start with a zero-padded nanosecond timestamp, so name order is time order.
    found.sort();
    Ok(found)
}

/// Backups of `jar`, oldest first.
pub fn list(jar: &Path, dirs: &Dirs) -> io::Result<Vec<PathBuf>> {
    with_extension(&folder(jar, dirs)?, "bak")
}

/// The note kept with backup `bak` (`None` for a backup taken before notes existed).
pub fn note(bak: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(bak.with_extension("json")) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Removes backup `bak` and its note (after an undo used it).
pub fn remove(bak: &Path) -> Result<(), JarError> {
    fs::remove_file(bak).map_err(io_err(bak))?;
    let note = bak.with_extension("json");
    match fs::remove_file(&note) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(&note)(e)),
        _ => Ok(()),
    }
}

/// Removes the partial backups of `jar` that no live save holds (their
/// writer was killed). Returns how many went.
pub fn remove_dead_partials(jar: &Path, dirs: &Dirs) -> Result<usize, JarError> {
    let dir = folder(jar, dirs).map_err(io_err(jar))?;
    let mut removed = 0;
    for p in with_extension(&dir, "partial").map_err(io_err(&dir))? {
        let Ok(file) = fs::File::open(&p) else {
            continue;
        };
        // A live save holds its partial's lock until the save ends.
        if file.try_lock().is_ok() {
            // Sidecars SQLite may have left beside a killed backup copy.
            for side in ["-journal", "-wal", "-shm"] {
                let mut s = p.clone().into_os_string();
                s.push(side);
                let _ = fs::remove_file(PathBuf::from(s));
            }
            fs::remove_file(&p).map_err(io_err(&p))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// A backup being written: `N.partial`, locked while this value lives and
/// removed when it is dropped without [`Pending::keep`].
#[derive(Debug)]
pub struct Pending {
    /// The partial file (a save writes the jar's old content into it).
    pub partial: PathBuf,
    dest: PathBuf,
    /// Holds the partial's lock; also the handle a plain copy writes through.
    pub file: Option<fs::File>,
}

/// Starts the next backup of `jar`: creates its folder (0700) and an empty,
/// locked `N.partial` (0600).
pub fn begin(jar: &Path, dirs: &Dirs) -> Result<Pending, JarError> {
    let dir = folder(jar, dirs).map_err(io_err(jar))?;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(io_err(&dir))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dest = dir.join(format!("{stamp:020}.bak"));
    let partial = dest.with_extension("partial");
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .map_err(io_err(&partial))?;
    let mut pending = Pending {
        partial,
        dest,
        file: None,
    };
    // Never contended: the file is new. Taken before anything is written into it.
    file.lock().map_err(io_err(&pending.partial))?;
    pending.file = Some(file);
    Ok(pending)
}

impl Pending {
    /// Copies the file at `from` into the partial backup and syncs it.
    pub fn copy_from(&mut self, from: &Path) -> Result<(), JarError> {
        let Some(dst) = self.file.as_mut() else {
            return Ok(());
        };
        let mut src = fs::File::open(from).map_err(io_err(from))?;
        // Copied by the kernel, not through memory: a jar can be large.
        io::copy(&mut src, dst).map_err(io_err(&self.partial))?;
        dst.sync_all().map_err(io_err(&self.partial))
    }

    /// Makes the partial a backup: writes `note` as `N.json`, renames
    /// `N.partial` to `N.bak` (0600). Call it at the save's commit point.
    pub fn keep(mut self, note: &[u8]) -> Result<Kept, JarError> {
        let note_path = self.dest.with_extension("json");
        write_atomic(&note_path, note, 0o600).map_err(io_err(&note_path))?;
        let kept = Kept {
            path: self.dest.clone(),
            note: note_path,
        };
        let done = fs::set_permissions(&self.partial, fs::Permissions::from_mode(0o600))
            .and_then(|()| fs::rename(&self.partial, &self.dest))
            .and_then(|()| sync_dir(&self.dest));
        if let Err(e) = done {
            let _ = fs::remove_file(&kept.note);
            return Err(io_err(&self.dest)(e));
        }
        self.file = None;
        self.partial = PathBuf::new();
        Ok(kept)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.partial.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.partial);
        }
    }
}

/// A backup kept at a save's commit point.
#[derive(Debug)]
pub struct Kept {
    /// `N.bak`.
    pub path: PathBuf,
    note: PathBuf,
}

impl Kept {
    /// Removes the backup again: the save it was for did not happen after all.
    pub fn discard(self) {
        let _ = fs::remove_file(&self.path);
        let _ = fs::remove_file(&self.note);
    }
}

/// Syncs the folder holding `path`, so a rename in it is durable.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

/// Keeps the last [`KEEP`] backups of `jar` (after a save that happened).
pub fn rotate(jar: &Path, dirs: &Dirs) -> Result<(), JarError> {
    let all = list(jar, dirs).map_err(io_err(jar))?;
    if all.len() > KEEP {
        for old in &all[..all.len() - KEEP] {
            remove(old)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(root: &Path) -> Dirs {
        Dirs {
            config: root.join("config"),
            data: root.join("data"),
        }
    }

    fn take(jar: &Path, d: &Dirs) -> PathBuf {
        let mut p = begin(jar, d).unwrap();
        p.copy_from(jar).unwrap();
        let kept = p.keep(b"{}").unwrap();
        rotate(jar, d).unwrap();
        kept.path
    }

    #[test]
    fn keeps_last_ten_in_a_private_folder() {
        let t = tempfile::tempdir().unwrap();
        let d = dirs(t.path());
        let jar = t.path().join("cookies.txt");
        for i in 0..12 {
            fs::write(&jar, format!("v{i}")).unwrap();
            take(&jar, &d);
        }
        let all = list(&jar, &d).unwrap();
        assert_eq!(all.len(), KEEP);
        assert_eq!(fs::read_to_string(&all[0]).unwrap(), "v2");
        assert_eq!(note(&all[0]).unwrap().unwrap(), b"{}");
        let mode = fs::metadata(folder(&jar, &d).unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
        remove(&all[9]).unwrap();
        assert_eq!(note(&all[9]).unwrap(), None);
        assert_eq!(list(&jar, &d).unwrap().len(), KEEP - 1);
    }

    #[test]
    fn a_dropped_or_discarded_backup_leaves_nothing() {
        let t = tempfile::tempdir().unwrap();
        let d = dirs(t.path());
        let jar = t.path().join("cookies.txt");
        fs::write(&jar, "v").unwrap();
        let mut p = begin(&jar, &d).unwrap();
        p.copy_from(&jar).unwrap();
        // Held by a live save: not removed as dead.
        assert_eq!(remove_dead_partials(&jar, &d).unwrap(), 0);
        drop(p);
        let p = begin(&jar, &d).unwrap();
        p.keep(b"{}").unwrap().discard();
        let dir = folder(&jar, &d).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
    }

    #[test]
    fn same_name_in_two_folders_do_not_share() {
        let t = tempfile::tempdir().unwrap();
        let d = dirs(t.path());
        fs::create_dir_all(t.path().join("a")).unwrap();
        fs::create_dir_all(t.path().join("b")).unwrap();
        let a = t.path().join("a/cookies.txt");
        let b = t.path().join("b/cookies.txt");
        assert_ne!(folder(&a, &d).unwrap(), folder(&b, &d).unwrap());
        assert!(list(&a, &d).unwrap().is_empty());
    }
}
