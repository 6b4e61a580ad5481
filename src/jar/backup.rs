//! Backups of jars before they are overwritten, and `undo`.

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

/// Backups of `jar`, oldest first.
pub fn list(jar: &Path, dirs: &Dirs) -> io::Result<Vec<PathBuf>> {
    let dir = folder(jar, dirs)?;
    let mut found = match fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "bak"))
            .collect::<Vec<_>>(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    // Names start with a zero-padded nanosecond timestamp, so name order is time order.
    found.sort();
    Ok(found)
}

/// Copies the jar into its backup folder (0700, files 0600), keeping the last [`KEEP`].
pub fn take(jar: &Path, dirs: &Dirs) -> Result<PathBuf, JarError> {
    let dest = prepare(jar, dirs)?;
    let partial = dest.with_extension("partial");
    // Copied by the kernel, not through memory: a jar can be large.
    copy_synced(jar, &partial).map_err(io_err(&partial))?;
    finish(jar, dirs, &partial, &dest)
}

/// Copies `from` to a new file `to` (0600 from its creation) and syncs it.
fn copy_synced(from: &Path, to: &Path) -> io::Result<()> {
    let mut src = fs::File::open(from)?;
    let mut dst = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)?;
    io::copy(&mut src, &mut dst)?;
    dst.sync_all()
}

/// The name the next backup of `jar` gets (its folder is created, 0700).
/// Used with [`finish`] by saves that write the backup themselves (SQLite jars,
/// through SQLite's backup API into `dest` with another extension first).
pub fn prepare(jar: &Path, dirs: &Dirs) -> Result<PathBuf, JarError> {
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
    Ok(dir.join(format!("{stamp:020}.bak")))
}

/// Moves a backup written at `partial` to `dest` (from [`prepare`]), 0600,
/// and keeps the last [`KEEP`].
pub fn finish(jar: &Path, dirs: &Dirs, partial: &Path, dest: &Path) -> Result<PathBuf, JarError> {
    fs::set_permissions(partial, fs::Permissions::from_mode(0o600)).map_err(io_err(partial))?;
    fs::rename(partial, dest).map_err(io_err(dest))?;
    let all = list(jar, dirs).map_err(io_err(jar))?;
    if all.len() > KEEP {
        for old in &all[..all.len() - KEEP] {
            fs::remove_file(old).map_err(io_err(old))?;
        }
    }
    Ok(dest.to_path_buf())
}

/// Restores the newest backup over the jar and drops that backup, so a second
/// undo goes one step further back. Returns the backup used.
pub fn undo(jar: &Path, dirs: &Dirs) -> Result<Option<PathBuf>, JarError> {
    let all = list(jar, dirs).map_err(io_err(jar))?;
    let Some(newest) = all.last() else {
        return Ok(None);
    };
    let bytes = fs::read(newest).map_err(io_err(newest))?;
    if bytes.starts_with(super::sqlite::MAGIC) {
        // A browser database: restored through SQLite, so its WAL stays consistent.
        let browser = super::sqlite::open_copy(newest)
            .ok()
            .and_then(|c| super::sqlite::which_browser(&c.conn).ok().flatten())
            .unwrap_or(super::sqlite::Browser::Firefox);
        super::sqlite::restore(jar, newest, browser)?;
    } else {
        write_atomic(jar, &bytes, 0o600).map_err(io_err(jar))?;
    }
    fs::remove_file(newest).map_err(io_err(newest))?;
    Ok(Some(newest.clone()))
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

    #[test]
    fn keeps_last_ten_and_undo_restores_newest() {
        let t = tempfile::tempdir().unwrap();
        let d = dirs(t.path());
        let jar = t.path().join("cookies.txt");
        for i in 0..12 {
            fs::write(&jar, format!("v{i}")).unwrap();
            take(&jar, &d).unwrap();
        }
        let all = list(&jar, &d).unwrap();
        assert_eq!(all.len(), KEEP);
        assert_eq!(fs::read_to_string(&all[0]).unwrap(), "v2");
        let mode = fs::metadata(folder(&jar, &d).unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
        fs::write(&jar, "changed").unwrap();
        let used = undo(&jar, &d).unwrap().unwrap();
        assert_eq!(fs::read_to_string(&jar).unwrap(), "v11");
        assert!(!used.exists());
        undo(&jar, &d).unwrap();
        assert_eq!(fs::read_to_string(&jar).unwrap(), "v10");
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
        assert_eq!(undo(&a, &d).unwrap(), None);
    }
}
