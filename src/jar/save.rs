//! Saving and undoing, for every format from one place: the jar's lock, the
//! cleanup of what killed saves left, the backup kept only for a save that
//! happens, and the dispatch to the file writer or the database transaction.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::backup::{self, Kept, Pending};
use super::commit::{After, AtCommit, halt_point, stop_point};
use super::signals;
use super::sqlite::{self, Browser};
use super::write::{self, Fingerprint};
use super::{Jar, JarError};
use crate::atomic::remove_leftovers;
use crate::dirs::Dirs;
use crate::live::jar::LiveSaveError;

/// Where a save goes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Over the jar it was loaded from (checked, backed up).
    InPlace {
        /// Skip the backup copy.
        no_backup: bool,
        /// Replace a jar file that has other hard links (they keep the old
        /// cookies); refused otherwise.
        break_links: bool,
    },
    /// To another file; the loaded jar is left alone.
    Output(&'a Path),
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file written.
    pub path: PathBuf,
    /// The backup taken of the original, if any.
    pub backup: Option<PathBuf>,
}

/// What is written together with a jar (the consent records): right
/// before the jar's commit point, and taken back if the commit fails, so
/// both are written or neither is.
pub trait Companion {
    /// The error its write (and so the save) returns.
    type Error: From<JarError>;
    /// What the undo of this save needs to put it back, kept in the backup's note.
    fn note(&self) -> Value;
    /// Writes it.
    fn write(&mut self) -> Result<(), Self::Error>;
    /// Takes the write back: the jar's commit failed.
    fn roll_back(&mut self);
}

/// Nothing written with the jar.
impl Companion for () {
    type Error = JarError;
    fn note(&self) -> Value {
        Value::Null
    }
    fn write(&mut self) -> Result<(), JarError> {
        Ok(())
    }
    fn roll_back(&mut self) {}
}

/// The commit point of one save or undo: keep the backup, write the companion.
struct Commit<'c, C: Companion> {
    format: &'static str,
    pending: Option<Pending>,
    kept: Option<Kept>,
    companion: &'c mut C,
}

impl<C: Companion> AtCommit for Commit<'_, C> {
    type Error = C::Error;

    fn before(&mut self, after: After) -> Result<(), C::Error> {
        if let Some(p) = self.pending.take() {
            let note = json!({
                "format": self.format,
                "after": after_json(after),
                "records": self.companion.note(),
            });
            self.kept = Some(p.keep(note.to_string().as_bytes())?);
        }
        if let Err(e) = self.companion.write() {
            if let Some(k) = self.kept.take() {
                k.discard();
            }
            return Err(e);
        }
        Ok(())
    }

    fn abort(&mut self) {
        if let Some(k) = self.kept.take() {
            k.discard();
        }
        self.companion.roll_back();
    }
}

fn after_json(after: After) -> Value {
    json!({ "len": after.len, "hash": format!("{:032x}", after.hash) })
}

fn after_of(note: &Value) -> Option<After> {
    let a = note.get("after")?;
    Some(After {
        len: a.get("len").and_then(Value::as_u64),
        hash: u128::from_str_radix(a.get("hash")?.as_str()?, 16).ok()?,
    })
}

/// The format name kept in a backup's note.
fn format_of(browser: Option<Browser>) -> &'static str {
    match browser {
        Some(Browser::Firefox) => "firefox",
        Some(Browser::Chromium) => "chromium",
        None => "file",
    }
}

/// Takes the jar's save lock (an advisory lock on the file), without
/// waiting: a second writer refuses. The lock is on the file the path names
/// once locked, so a save that replaced it meanwhile is noticed.
pub fn lock(path: &Path) -> Result<File, JarError> {
    use std::os::unix::fs::MetadataExt;
    let io = |source| JarError::Io {
        path: path.to_path_buf(),
        source,
    };
    loop {
        let file = File::open(path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(JarError::Busy {
                    path: path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let held = file.metadata().map_err(io)?;
        let now = std::fs::metadata(path).map_err(io)?;
        if (held.dev(), held.ino()) == (now.dev(), now.ino()) {
            return Ok(file);
        }
    }
}

/// Refuses a jar the user may not write, before anything is written: in
/// every format (SQLite would let root write a 0444 database).
fn writable(path: &Path) -> Result<(), JarError> {
    crate::atomic::check_writable(path).map_err(|source| JarError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Refuses a jar file with other hard links: the rename that replaces it
/// would leave them holding the old cookies. (A browser database is
/// written in place, so its links follow.)
fn single_link(path: &Path) -> Result<(), JarError> {
    use std::os::unix::fs::MetadataExt;
    let links = std::fs::metadata(path)
        .map_err(|source| JarError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .nlink();
    if links > 1 {
        return Err(JarError::HardLinked {
            path: path.to_path_buf(),
            links,
        });
    }
    Ok(())
}

/// Under the lock: removes the temporary files and partial backups that
/// killed saves of `path` left (only those no live save holds).
fn clean_up(path: &Path, dirs: &Dirs) -> Result<(), JarError> {
    remove_leftovers(path).map_err(|source| JarError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    backup::remove_dead_partials(path, dirs)?;
    Ok(())
}

/// Writes the jar (after its edits) to `target`, with `companion` written
/// at the same commit point. In place, the jar is locked, checked, and
/// backed up only if the save happens; afterwards the jar's fingerprint is
/// the new file's, so a later save checks against it.
pub fn save<C: Companion>(
    jar: &mut Jar,
    target: Target<'_>,
    dirs: &Dirs,
    companion: &mut C,
) -> Result<Saved, C::Error> {
    if let super::Body::Live(live) = &mut jar.body {
        return save_live(live, target, dirs, companion);
    }
    // First, so it ends last: what the save created is gone by then.
    let _signals = signals::during_save();
    let path = jar.path.clone();
    let browser = jar.sqlite_body().map(|b| b.browser());
    let mut commit = Commit {
        format: format_of(browser),
        pending: None,
        kept: None,
        companion,
    };
    let (no_backup, break_links) = match target {
        Target::Output(out) => {
            match jar.sqlite_body() {
                Some(body) => sqlite::save_to(body, &path, out, &mut commit)?,
                None => write::write_file(out, &jar.content(), &mut commit)?,
            }
            return Ok(Saved {
                path: out.to_path_buf(),
                backup: None,
            });
        }
        Target::InPlace {
            no_backup,
            break_links,
        } => (no_backup, break_links),
    };
    // Held until the new jar is in place: a second writer refuses.
    let _lock = lock(&path)?;
    stop_point("locked")?;
    writable(&path)?;
    if browser.is_none() && !break_links {
        single_link(&path)?;
    }
    clean_up(&path, dirs)?;
    if !no_backup {
        commit.pending = Some(backup::begin(&path, dirs)?);
    }
    match jar.sqlite_body() {
        Some(body) => {
            if let Some(p) = &commit.pending {
                sqlite::back_up(&*body, &path, p)?;
            }
            stop_point("backed-up")?;
            let hash = sqlite::save_in_place(&*body, &path, &mut commit)?;
            body.saved(hash);
        }
        None => {
            write::check(jar)?;
            stop_point("checked")?;
            if let Some(p) = &mut commit.pending {
                p.copy_from(&path)?;
            }
            stop_point("backed-up")?;
            write::save_in_place(jar, &mut commit)?;
        }
    }
    halt_point("committed");
    let kept = commit.kept.take().map(|k| k.path);
    // Old backups go only now that the new one stands for a save that
    // happened; the save stands even if this tidying fails.
    let _ = backup::rotate(&path, dirs);
    Ok(Saved { path, backup: kept })
}

/// Saves a running browser: the snapshot of what changes (the backup) and
/// the companion are written after the change check and before the first
/// change; if the browser then fails, the companion is taken back and the
/// snapshot stays for `undo`.
fn save_live<C: Companion>(
    live: &mut crate::live::jar::LiveJar,
    target: Target<'_>,
    dirs: &Dirs,
    companion: &mut C,
) -> Result<Saved, C::Error> {
    use crate::live::jar::{snapshot_dir, write_snapshot};
    let endpoint = live.endpoint().to_string();
    if let Target::Output(_) = target {
        return Err(JarError::from(LiveSaveError::NoFileOutput { endpoint }).into());
    }
    let dir = snapshot_dir(live.endpoint(), dirs);
    // Why a live commit stopped: the browser or snapshot, or the companion.
    enum Stop<E> {
        Jar(JarError),
        Companion(E),
    }
    impl<E> From<LiveSaveError> for Stop<E> {
        fn from(e: LiveSaveError) -> Self {
            Stop::Jar(e.into())
        }
    }
    let mut wrote = false;
    let result = live.commit(|change| -> Result<PathBuf, Stop<C::Error>> {
        let mut snap = change.clone();
        snap.note = companion.note();
        let path = write_snapshot(&dir, &snap)?;
        if let Err(e) = companion.write() {
            // Nothing changed in the browser yet: the snapshot goes too.
            let _ = std::fs::remove_file(&path);
            return Err(Stop::Companion(e));
        }
        wrote = true;
        Ok(path)
    });
    match result {
        Ok(path) => Ok(Saved {
            path: PathBuf::from(endpoint),
            backup: Some(path),
        }),
        Err(Stop::Companion(e)) => Err(e),
        Err(Stop::Jar(e)) => {
            if wrote {
                companion.roll_back();
            }
            Err(e.into())
        }
    }
}

/// Undoes the newest live save of `endpoint`: its snapshot set back through
/// the protocol, then the companion built from the snapshot's note.
fn undo_live<C: Companion>(
    endpoint: &crate::live::Endpoint,
    dirs: &Dirs,
    force: bool,
    companion: impl FnOnce(&Value) -> Result<C, C::Error>,
) -> Result<Option<Undone>, C::Error> {
    use crate::live::jar::{newest_snapshot, snapshot_dir, undo};
    let dir = snapshot_dir(endpoint, dirs);
    let Some(newest) = newest_snapshot(&dir).map_err(JarError::from)? else {
        return Ok(None);
    };
    let undone = undo(endpoint, false, &newest, force).map_err(JarError::from)?;
    companion(&undone.snapshot.note)?.write()?;
    Ok(Some(Undone {
        backup: newest,
        replaced: undone.replaced,
    }))
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The backup restored (now removed from the folder).
    pub backup: PathBuf,
    /// With `--force` over a changed jar: the backup of what it replaced.
    pub replaced: Option<PathBuf>,
}

/// What changed in the jar since the save the newest backup is for, if anything.
fn changed_since(path: &Path, note: &Value) -> Result<Option<String>, JarError> {
    let Some(after) = after_of(note) else {
        return Ok(Some(
            "the backup does not say what the save wrote, so a later change cannot be ruled out"
                .into(),
        ));
    };
    let browser = browser_of(note);
    let now = match browser {
        Some(b) => After {
            len: None,
            hash: sqlite::hash_now(path, b)?,
        },
        None => {
            let bytes = std::fs::read(path).map_err(|source| JarError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            Fingerprint::of_bytes(path, &bytes).after()
        }
    };
    Ok(match (after.len, now.len) {
        _ if now == after => None,
        (Some(was), Some(is)) if was != is => {
            Some(format!("it is {is} bytes now, the save wrote {was}"))
        }
        (Some(_), _) => Some("same size, different content".into()),
        (None, _) => Some(format!(
            "its cookie rows differ from what the save wrote (another {} session or program changed it)",
            browser.map_or("browser", Browser::name)
        )),
    })
}

fn browser_of(note: &Value) -> Option<Browser> {
    match note.get("format").and_then(Value::as_str) {
        Some("firefox") => Some(Browser::Firefox),
        Some("chromium") => Some(Browser::Chromium),
        _ => None,
    }
}

/// Restores the newest backup over the jar, with `companion` (built from
/// what the save kept in the backup's note: the records it replaced) written
/// at the same commit point, and drops that backup, so a second undo goes
/// one step further back. `None` when there is no backup. A jar changed
/// since that save is refused, unless `force`: then what it holds now is
/// backed up first.
pub fn undo<C: Companion>(
    path: &Path,
    dirs: &Dirs,
    force: bool,
    companion: impl FnOnce(&Value) -> Result<C, C::Error>,
) -> Result<Option<Undone>, C::Error> {
    if let Some(endpoint) = path.to_str().and_then(crate::live::Endpoint::parse) {
        let endpoint = endpoint.map_err(|e| JarError::from(LiveSaveError::from(e)))?;
        return undo_live(&endpoint, dirs, force, companion);
    }
    let _signals = signals::during_save();
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| JarError::Io { path: p, source }
    };
    let _lock = lock(path)?;
    writable(path)?;
    clean_up(path, dirs)?;
    let all = backup::list(path, dirs).map_err(io(path))?;
    let Some(newest) = all.last() else {
        return Ok(None);
    };
    let note: Value = match backup::note(newest).map_err(io(newest))? {
        Some(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        None => Value::Null,
    };
    let browser = browser_of(&note);
    let mut pending = None;
    if let Some(what) = changed_since(path, &note)? {
        if !force {
            return Err(JarError::ChangedSinceSave {
                path: path.to_path_buf(),
                what,
            }
            .into());
        }
        let mut p = backup::begin(path, dirs)?;
        match browser {
            Some(b) => {
                sqlite::copy_into(path, b, &p.partial)?;
            }
            None => p.copy_from(path)?,
        }
        pending = Some(p);
    }
    let mut companion = companion(note.get("records").unwrap_or(&Value::Null))?;
    let mut commit = Commit {
        format: format_of(browser),
        pending,
        kept: None,
        companion: &mut companion,
    };
    match browser {
        Some(b) => sqlite::restore(path, newest, b, &mut commit)?,
        None => {
            let bytes = std::fs::read(newest).map_err(io(newest))?;
            write::write_file(path, &bytes, &mut commit)?;
        }
    }
    let replaced = commit.kept.take().map(|k| k.path);
    backup::remove(newest)?;
    Ok(Some(Undone {
        backup: newest.clone(),
        replaced,
    }))
}
