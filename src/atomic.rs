//! Atomic file replacement: temp file in the same folder, fsync, rename, fsync the folder.
//!
//! Faithful to the file it replaces (DESIGN §4, invariant 4): its mode, owner
//! and group are kept; a file the user may not write is refused, not
//! replaced; a symlink is written through, a dangling one too (to the file it
//! names); a device, FIFO or standard stream (`/dev/null`, `/dev/stdout`) is
//! written into, as `cp` does, never replaced.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Why a file is not replaced. Carried inside an [`io::Error`] (kind
/// `PermissionDenied`) so every caller's error names the file as for any I/O error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The file has no write bit at all: its owner made it read-only.
    #[error(
        "read-only (mode {mode:04o}): crumbs does not replace a file nobody may write \
         (make it writable first, e.g. `chmod u+w`)"
    )]
    ReadOnly {
        /// Its permission bits.
        mode: u32,
    },
    /// The file is writable, but not by this user.
    #[error(
        "you may not write it (mode {mode:04o}, owner uid {uid}): crumbs does not replace \
         a file you may not write"
    )]
    NotYours {
        /// Its permission bits.
        mode: u32,
        /// Its owner.
        uid: u32,
    },
}

impl From<Refused> for io::Error {
    fn from(r: Refused) -> io::Error {
        io::Error::new(io::ErrorKind::PermissionDenied, r)
    }
}

/// Resolves symlinks so a linked file is written through to its target (the
/// link stays). A dangling link resolves to the file it names, which the
/// write then creates.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    match fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(e) if e.kind() == io::ErrorKind::NotFound => follow_links(path),
        Err(e) => Err(e),
    }
}

/// Follows `path`'s symlinks one by one up to the first name that is not a
/// link (or does not exist): where a dangling link points.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As the kernel's own limit on nested links (ELOOP).
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(format!(
        "too many levels of symbolic links from {}",
        path.display()
    )))
}

/// Where a write goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dest {
    /// A regular file (existing or not): replaced by a rename.
    Replace(PathBuf),
    /// A device, FIFO, socket, or a regular file reached through `/proc/*/fd`
    /// or `/dev/fd`: written into.
    Into(PathBuf),
    /// This process's standard output (1) or error (2), named as
    /// `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`...: written to the stream
    /// itself, so what else the process prints there follows in order.
    Stream(u8),
}

/// Decides how `path` is written: the file's type once links are followed,
/// not its name.
fn destination(path: &Path) -> io::Result<Dest> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        )),
        Ok(m) => match (through_fd(path)?, m.is_file()) {
            (Some(fd), _) if fd == Path::new("/proc/self/fd/1") => Ok(Dest::Stream(1)),
            (Some(fd), _) if fd == Path::new("/proc/self/fd/2") => Ok(Dest::Stream(2)),
            (Some(_), _) | (None, false) => Ok(Dest::Into(path.to_path_buf())),
            (None, true) => Ok(Dest::Replace(fs::canonicalize(path)?)),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Dest::Replace(follow_links(path)?)),
        Err(e) => Err(e),
    }
}

/// The open file descriptor `path` names, itself or through a link on the
/// way (`/dev/stdout` → `/proc/self/fd/1`), spelled `/proc/self/fd/N` for
/// this process: that file belongs to whoever opened it.
fn through_fd(path: &Path) -> io::Result<Option<PathBuf>> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if let Ok(n) = p.strip_prefix("/dev/fd") {
            return Ok(Some(Path::new("/proc/self/fd").join(n)));
        }
        if p.starts_with("/proc") {
            return Ok(Some(p));
        }
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// Writes `bytes` to this process's standard output (1) or error (2).
fn write_stream(fd: u8, bytes: &[u8]) -> io::Result<()> {
    if fd == 2 {
        let mut err = io::stderr().lock();
        err.write_all(bytes)?;
        return err.flush();
    }
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Writes `bytes` into a file that is not replaced (a device, a FIFO, a
/// standard stream), as `cp` does: a regular file behind a stream is
/// truncated first, a device or FIFO just receives the bytes.
fn write_into(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let regular = fs::metadata(path)?.is_file();
    let mut f = fs::OpenOptions::new()
        .write(true)
        .truncate(regular)
        .open(path)?;
    f.write_all(bytes)?;
    f.flush()?;
    if regular {
        f.sync_all()?;
    }
    Ok(())
}

/// What a replaced file keeps: its permission bits, owner and group.
#[derive(Debug, Clone, Copy)]
struct Kept {
    mode: u32,
    owner: Option<(u32, u32)>,
}

impl Kept {
    /// The existing file's mode and owner, refusing one the user may not
    /// write; a new file gets `new_mode` and the writer's owner.
    fn of(target: &Path, new_mode: u32) -> io::Result<Kept> {
        let m = match fs::metadata(target) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Kept {
                    mode: new_mode,
                    owner: None,
                });
            }
            Err(e) => return Err(e),
        };
        let mode = m.permissions().mode() & 0o7777;
        check_writable(target)?;
        Ok(Kept {
            mode,
            owner: Some((m.uid(), m.gid())),
        })
    }

    /// Gives the temporary file the kept owner and mode. The owner first:
    /// a change of owner clears set-id bits, which the mode then restores.
    fn apply<E: FnOnce(io::Error) -> io::Error>(
        &self,
        tmp: &fs::File,
        step: impl Fn(Doing) -> E,
    ) -> io::Result<()> {
        if let Some((uid, gid)) = self.owner {
            let owner = step(Doing::GiveOwner { uid, gid });
            let now = tmp.metadata().map_err(step(Doing::WriteTemp))?;
            if (now.uid(), now.gid()) != (uid, gid) {
                std::os::unix::fs::fchown(tmp, Some(uid), Some(gid)).map_err(owner)?;
            }
        }
        tmp.set_permissions(fs::Permissions::from_mode(self.mode))
            .map_err(step(Doing::GiveMode(self.mode)))
    }
}

/// Refuses an existing file the user may not write (every writer calls it
/// before anything else, so a refused save leaves no trace). Root may write
/// anything, so a file without any write bit (0444) is refused for root too:
/// its owner made it read-only on purpose.
pub fn check_writable(path: &Path) -> io::Result<()> {
    let m = fs::metadata(path)?;
    let mode = m.permissions().mode() & 0o7777;
    if mode & 0o222 == 0 {
        return Err(Refused::ReadOnly { mode }.into());
    }
    match rustix::fs::access(path, rustix::fs::Access::WRITE_OK) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::ACCESS | rustix::io::Errno::PERM) => {
            Err(Refused::NotYours { mode, uid: m.uid() }.into())
        }
        // A read-only file system, say: the OS's own words are right.
        Err(e) => Err(e.into()),
    }
}

fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    format!(".{name}.crumbs-")
}

/// Removes temporary files a killed write to `path` left behind: only those
/// whose lock is free (a live write holds its temp file's lock until the rename).
pub fn remove_leftovers(path: &Path) -> io::Result<usize> {
    let target = resolve_target(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = temp_prefix(&target);
    let mut removed = 0;
    for entry in fs::read_dir(&dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let Ok(file) = fs::File::open(entry.path()) else {
                continue;
            };
            if file.try_lock().is_ok() {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Writes `bytes` to `path` atomically. An existing file keeps its permission
/// bits, owner and group; a new one gets `new_mode` (e.g. 0o600). A device,
/// FIFO or standard stream is written into instead (see the module's notes).
pub fn write_atomic(path: &Path, bytes: &[u8], new_mode: u32) -> io::Result<()> {
    write_atomic_with(path, bytes, new_mode, || Ok(()))
}

/// [`write_atomic`], calling `before_rename` once the temporary file is
/// written and synced, right before the rename: an error there leaves the
/// target untouched (and the temporary file removed). A device, FIFO or
/// stream is not renamed over: `before_rename` runs right before the bytes
/// go into it.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    new_mode: u32,
    before_rename: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let target = match destination(path)? {
        Dest::Into(p) => {
            before_rename()?;
            return write_into(&p, bytes);
        }
        Dest::Stream(fd) => {
            before_rename()?;
            return write_stream(fd, bytes);
        }
        Dest::Replace(p) => p,
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let kept = Kept::of(&target, new_mode)?;
    let folder = dir.as_path();
    let step = |doing: Doing| move |os: io::Error| Step::failed(doing, folder, os);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(&target))
        .suffix(".tmp")
        .permissions(fs::Permissions::from_mode(0o600))
        .tempfile_in(&dir)
        .map_err(step(Doing::CreateTemp))?;
    // Held until the rename: a temp file whose lock is free is a dead write's.
    tmp.as_file().lock().map_err(step(Doing::WriteTemp))?;
    tmp.write_all(bytes).map_err(step(Doing::WriteTemp))?;
    kept.apply(tmp.as_file(), step)?;
    tmp.as_file().sync_all().map_err(step(Doing::WriteTemp))?;
    before_rename()?;
    tmp.persist(&target)
        .map_err(|e| step(Doing::Replace)(e.error))?;
    fs::File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(step(Doing::SyncFolder))?;
    Ok(())
}

/// A step of an atomic write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doing {
    CreateTemp,
    WriteTemp,
    GiveOwner { uid: u32, gid: u32 },
    GiveMode(u32),
    Replace,
    SyncFolder,
}

/// A failed step of an atomic write: what crumbs was doing, the OS's error,
/// and why the OS may have said no. Carried inside an [`io::Error`] of the
/// same kind, so the caller's message names the file as for any I/O error.
#[derive(Debug, thiserror::Error)]
#[error("{} failed: {os}{}", what(*.doing, .folder), hint(*.doing, .os, .folder))]
pub struct Step {
    doing: Doing,
    folder: PathBuf,
    os: io::Error,
}

impl Step {
    fn failed(doing: Doing, folder: &Path, os: io::Error) -> io::Error {
        let kind = os.kind();
        let step = Step {
            doing,
            folder: folder.to_path_buf(),
            os,
        };
        io::Error::new(kind, step)
    }
}

fn what(doing: Doing, folder: &Path) -> String {
    let folder = folder.display();
    match doing {
        Doing::CreateTemp => format!("creating the new file beside it (in {folder})"),
        Doing::WriteTemp => format!("writing the new file beside it (in {folder})"),
        Doing::GiveOwner { uid, gid } => {
            format!("giving the new file its owner and group (uid {uid}, gid {gid})")
        }
        Doing::GiveMode(mode) => format!("giving the new file its mode ({mode:04o})"),
        Doing::Replace => "replacing it with the new file (a rename)".to_string(),
        Doing::SyncFolder => format!("syncing the folder {folder}"),
    }
}

/// Why the OS said "Operation not permitted" (EPERM), when that can be told.
fn hint(doing: Doing, os: &io::Error, folder: &Path) -> &'static str {
    if os.raw_os_error() != Some(libc::EPERM) {
        return "";
    }
    let sticky = fs::metadata(folder).is_ok_and(|m| m.permissions().mode() & 0o1000 != 0);
    match doing {
        Doing::GiveOwner { .. } => {
            "; only root may give a file to another user: save the jar as the user who owns it"
        }
        _ if sticky => {
            "; the folder is sticky (like /tmp): only a file's owner may replace or remove it \
             there: save the jar as the user who owns it"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_gets_mode_and_content() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a");
        write_atomic(&p, b"hello", 0o600).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"hello");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn existing_mode_kept_and_symlink_written_through() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new", 0o600).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers: Vec<_> = fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 2, "no temp file left behind");
    }

    #[test]
    fn dangling_symlink_is_written_through() {
        let d = tempfile::tempdir().unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink("sub/../made", &link).unwrap();
        fs::create_dir(d.path().join("sub")).unwrap();
        write_atomic(&link, b"new", 0o600).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(d.path().join("made")).unwrap(), b"new");
    }

    #[test]
    fn fifo_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"through the pipe", 0o600).unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(destination(&fifo).unwrap(), Dest::Into(fifo.clone()));
    }

    #[test]
    fn stream_aliases_are_written_into() {
        let d = tempfile::tempdir().unwrap();
        let link = d.path().join("out");
        std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
        let fd1 = Some(PathBuf::from("/proc/self/fd/1"));
        assert_eq!(through_fd(&link).unwrap(), fd1);
        assert_eq!(through_fd(d.path()).unwrap(), None);
        assert_eq!(
            through_fd(Path::new("/dev/fd/2")).unwrap(),
            Some(PathBuf::from("/proc/self/fd/2"))
        );
        assert_eq!(destination(&link).unwrap(), Dest::Stream(1));
    }

    #[test]
    fn read_only_file_is_refused_even_for_root() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ro");
        fs::write(&p, b"old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        let e = write_atomic(&p, b"new", 0o600).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("read-only (mode 0444)"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "no temp file");
    }

    #[test]
    fn owner_and_group_are_kept() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("theirs");
        fs::write(&p, b"old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        let me = fs::metadata(&p).unwrap();
        // As root, hand the file to another user; otherwise it stays ours.
        let (uid, gid) = if me.uid() == 0 {
            std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
            (65534, 65534)
        } else {
            (me.uid(), me.gid())
        };
        write_atomic(&p, b"new", 0o600).unwrap();
        let m = fs::metadata(&p).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (uid, gid, 0o640));
        assert_eq!(fs::read(&p).unwrap(), b"new");
    }

    #[test]
    fn a_failed_step_names_what_was_done_and_why_eperm() {
        let d = tempfile::tempdir().unwrap();
        fs::set_permissions(d.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        let eperm = || io::Error::from_raw_os_error(libc::EPERM);
        let e = Step::failed(Doing::Replace, d.path(), eperm());
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        let text = e.to_string();
        assert!(
            text.starts_with(
                "replacing it with the new file (a rename) failed: Operation not permitted"
            ),
            "{text}"
        );
        assert!(text.contains("the folder is sticky (like /tmp)"), "{text}");
        let e = Step::failed(Doing::GiveOwner { uid: 0, gid: 0 }, d.path(), eperm());
        assert!(
            e.to_string().contains(
                "(uid 0, gid 0) failed: Operation not permitted (os error 1); only root may give"
            ),
            "{e}"
        );
        let enospc = io::Error::from_raw_os_error(libc::ENOSPC);
        let e = Step::failed(Doing::WriteTemp, d.path(), enospc);
        let folder = d.path().display();
        assert_eq!(
            e.to_string(),
            format!(
                "writing the new file beside it (in {folder}) failed: No space left on device (os error 28)"
            )
        );
    }
}
