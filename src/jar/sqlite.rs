//! What the two browser databases (Firefox `cookies.sqlite`, Chromium
//! `Cookies`) share: reading from a copy, the content hash that detects a
//! change since loading, and saving by one transaction on the database itself.
//!
//! Reading never opens the browser's own file: the database and its `-wal` /
//! `-journal` are copied into a temporary folder and read there, so listing
//! works while the browser runs and nothing beside the jar is created.
//!
//! Saving in place opens the real database with a short busy timeout, takes
//! the backup through SQLite's backup API (so a WAL's content is in it),
//! starts `BEGIN IMMEDIATE`, checks that the cookie tables still hash to what
//! was loaded, runs the edits with `secure_delete` on, checks
//! `PRAGMA integrity_check`, and commits. Any failure rolls back: nothing is
//! written. A database held by a running browser is refused ("close Firefox
//! first"), never waited on for long.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use xxhash_rust::xxh3::Xxh3;

use super::JarError;
use super::backup::Pending;
use super::commit::{After, AtCommit, stop_point};
use super::edit::{EditError, remove_sorted};
use crate::model::{CookieKey, Edits, Expiry, NewCookie, OwnedCookie};

/// The magic string at the start of every SQLite 3 database.
pub const MAGIC: &[u8] = b"SQLite format 3\0";

/// How long a save waits for a lock before it calls the database busy.
pub const LOCK_WAIT: Duration = Duration::from_millis(750);

/// How many times a backup step is retried on a busy source (with a short pause).
const BACKUP_TRIES: usize = 8;

/// Which browser a database belongs to (for messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    /// Firefox `cookies.sqlite`.
    Firefox,
    /// Chromium (Chrome, Brave, Edge…) `Cookies`.
    Chromium,
}

impl Browser {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Firefox => "Firefox",
            Browser::Chromium => "Chromium",
        }
    }

    /// The file as people know it, in messages.
    pub fn file(self) -> &'static str {
        match self {
            Browser::Firefox => "Firefox cookies.sqlite",
            Browser::Chromium => "Chromium Cookies",
        }
    }

    /// The newest schema version crumbs was tested with (Firefox's
    /// `PRAGMA user_version`, Chromium's `meta.version`).
    pub fn max_version(self) -> i64 {
        match self {
            Browser::Firefox => super::firefox::MAX_VERSION,
            Browser::Chromium => super::chromium::MAX_VERSION,
        }
    }

    /// Refuses a schema newer than crumbs was tested with: its columns or
    /// units may mean something else, so it is neither read nor written.
    pub fn check_version(self, version: i64) -> Result<(), super::DbReadError> {
        match version > self.max_version() {
            true => Err(super::DbReadError::NewerVersion {
                browser: self,
                version,
            }),
            false => Ok(()),
        }
    }

    /// The tables whose content the change check covers.
    fn tables(self) -> &'static [&'static str] {
        match self {
            Browser::Firefox => &["moz_cookies"],
            Browser::Chromium => &["cookies", "meta"],
        }
    }
}

/// One pending change to a database, in the order it was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Delete the row with this unique key.
    Delete(CookieKey),
    /// Set the value and expiry of the row with this key.
    Update {
        /// The row.
        key: CookieKey,
        /// New value.
        value: String,
        /// New expiry.
        expiry: Expiry,
    },
    /// Insert a new row.
    Insert(NewCookie),
}

/// Why running the pending changes failed.
#[derive(Debug)]
pub enum ExecError {
    /// No row has this key (or more than one).
    NoSuchRecord(CookieKey),
    /// SQLite said no.
    Sqlite(rusqlite::Error),
    /// The change cannot be written into this database; says why.
    Refused(String),
}

impl From<rusqlite::Error> for ExecError {
    fn from(e: rusqlite::Error) -> Self {
        ExecError::Sqlite(e)
    }
}

/// The part of a browser jar the shared save needs.
pub trait SqliteBody {
    /// Which browser.
    fn browser(&self) -> Browser;
    /// The content hash of the database as loaded (or last saved).
    fn loaded_hash(&self) -> u128;
    /// The pending changes.
    fn ops(&self) -> &[Op];
    /// Runs `ops` inside the open transaction on `conn`.
    fn execute(&self, conn: &Connection, ops: &[Op]) -> Result<(), ExecError>;
    /// After a save: the database now hashes to `hash` and nothing is pending.
    fn saved(&mut self, hash: u128);
}

/// A copy of a database in a temporary folder, opened there.
pub struct Copy {
    /// The folder (removed when dropped).
    _dir: tempfile::TempDir,
    /// The copied main file.
    pub file: PathBuf,
    /// The open connection on the copy.
    pub conn: Connection,
}

/// Copies `path` (with its `-wal` and `-journal`, when present) into a
/// temporary folder and opens the copy, which replays the WAL or rolls back a
/// hot journal there, never beside the original.
pub fn open_copy(path: &Path) -> Result<Copy, JarError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| JarError::Io { path: p, source }
    };
    let dir = tempfile::Builder::new()
        .prefix("crumbs-sqlite-")
        .tempdir()
        .map_err(io(path))?;
    let file = dir.path().join("jar.sqlite");
    std::fs::copy(path, &file).map_err(io(path))?;
    for ext in ["-wal", "-journal"] {
        let side = sidecar(path, ext);
        match std::fs::copy(&side, sidecar(&file, ext)) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&side)(e)),
        }
    }
    let conn = Connection::open_with_flags(
        &file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| database(path, &e))?;
    Ok(Copy {
        _dir: dir,
        file,
        conn,
    })
}

/// `path` with `ext` appended to its file name (`Cookies-wal`).
fn sidecar(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(ext);
    PathBuf::from(s)
}

/// A SQLite error as a jar error: busy or locked means a browser holds it.
pub fn sqlite_error(path: &Path, browser: Browser, e: &rusqlite::Error) -> JarError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => JarError::Locked {
            path: path.to_path_buf(),
            browser: browser.name(),
        },
        _ => database(path, e),
    }
}

/// A SQLite error, said plainly.
pub fn database(path: &Path, e: &rusqlite::Error) -> JarError {
    JarError::Database {
        path: path.to_path_buf(),
        message: format!("SQLite: {e}"),
    }
}

/// XXH3-128 over the schema, `user_version` and every row of the browser's
/// tables (rowid order, every column, typed): what "changed since loaded"
/// means. A change check, not a secret's guard (as for cookies.txt).
pub fn content_hash(conn: &Connection, browser: Browser) -> rusqlite::Result<u128> {
    let mut h = Xxh3::new();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    h.update(&version.to_le_bytes());
    let mut hash_rows = |sql: &str| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            h.update(b"\x1erow");
            for i in 0..n {
                hash_value(&mut h, row.get_ref(i)?);
            }
        }
        Ok(())
    };
    hash_rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")?;
    for table in browser.tables() {
        hash_rows(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))?;
    }
    Ok(h.digest128())
}

/// Feeds one typed value into the hash.
fn hash_value(h: &mut Xxh3, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => h.update(&[0]),
        ValueRef::Integer(i) => {
            h.update(&[1]);
            h.update(&i.to_le_bytes());
        }
        ValueRef::Real(f) => {
            h.update(&[2]);
            h.update(&f.to_le_bytes());
        }
        ValueRef::Text(t) => {
            h.update(&[3]);
            h.update(&(t.len() as u64).to_le_bytes());
            h.update(t);
        }
        ValueRef::Blob(b) => {
            h.update(&[4]);
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        }
    }
}

/// Applies `edits` to a browser jar's read view and queues them as [`Op`]s
/// (the edit protocol of [`super::edit`]); on error nothing changes.
pub fn apply_view(
    cookies: &mut Vec<OwnedCookie>,
    ops: &mut Vec<Op>,
    edits: &Edits,
    new_cookie: impl Fn(&NewCookie) -> OwnedCookie,
) -> Result<(), EditError> {
    // Indexed once: a big reject-all removes many keys from many cookies.
    let at: HashMap<&CookieKey, usize> = cookies
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.key, i))
        .collect();
    let resolved = edits.resolve(|key| at.get(key).copied());
    drop(at);
    let Some(edit) = resolved? else {
        return Ok(());
    };
    for &i in &edit.remove {
        ops.push(Op::Delete(cookies[i].key.clone()));
    }
    if let Some(r) = &edit.replace {
        let c = &mut cookies[r.at];
        c.value = r.value.to_owned().into();
        c.expiry = r.expiry;
        ops.push(Op::Update {
            key: r.key.clone(),
            value: r.value.to_owned(),
            expiry: r.expiry,
        });
    }
    remove_sorted(cookies, &edit.remove);
    if let Some(new) = edit.add {
        cookies.push(new_cookie(new));
        ops.push(Op::Insert(new.clone()));
    }
    Ok(())
}

/// Opens the real database for writing: no creation, a short busy timeout.
fn open_live(path: &Path, browser: Browser) -> Result<Connection, JarError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sqlite_error(path, browser, &e))?;
    conn.busy_timeout(LOCK_WAIT)
        .map_err(|e| sqlite_error(path, browser, &e))?;
    Ok(conn)
}

/// Copies the whole of `src` into `dest` with the backup API, retrying a
/// busy source a few times (never forever).
fn backup_into(src: &Connection, dest: &mut Connection) -> rusqlite::Result<()> {
    let b = Backup::new(src, dest)?;
    let mut busy = 0;
    loop {
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                busy += 1;
                if busy >= BACKUP_TRIES {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("database is locked".into()),
                    ));
                }
                std::thread::sleep(LOCK_WAIT / BACKUP_TRIES as u32);
            }
            _ => {}
        }
    }
}

/// What `PRAGMA integrity_check` reported instead of "ok", one problem a line.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("; "))]
struct Damaged(Vec<String>);

/// `PRAGMA integrity_check` says "ok".
fn integrity_ok(conn: &Connection) -> rusqlite::Result<Result<(), Damaged>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match lines.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => Err(Damaged(lines)),
    })
}

/// Runs the body's pending changes in one transaction on `conn` (after the
/// change check), checks integrity, and commits when `at` agrees; returns the
/// new content hash. Any failure rolls back: nothing is written.
fn transact<A: AtCommit>(
    conn: &mut Connection,
    body: &dyn SqliteBody,
    path: &Path,
    at: &mut A,
) -> Result<u128, A::Error> {
    let browser = body.browser();
    let err = |e: rusqlite::Error| sqlite_error(path, browser, &e);
    // Deleted values must not linger in free pages (of the jar or an --output copy).
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(err)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    // Checked inside the write transaction: no other writer can slip in
    // between this check and the commit.
    if content_hash(&tx, browser).map_err(err)? != body.loaded_hash() {
        return Err(JarError::Changed {
            path: path.to_path_buf(),
        }
        .into());
    }
    body.execute(&tx, body.ops()).map_err(|e| match e {
        ExecError::NoSuchRecord(key) => JarError::Edit {
            path: path.to_path_buf(),
            source: EditError::NoSuchRecord(key),
        },
        ExecError::Sqlite(e) => sqlite_error(path, browser, &e),
        ExecError::Refused(message) => JarError::Database {
            path: path.to_path_buf(),
            message,
        },
    })?;
    if let Err(problems) = integrity_ok(&tx).map_err(err)? {
        return Err(JarError::Database {
            path: path.to_path_buf(),
            message: format!("integrity_check failed after the edits ({problems}); rolled back"),
        }
        .into());
    }
    let hash = content_hash(&tx, browser).map_err(err)?;
    stop_point("written")?;
    at.before(After { len: None, hash })?;
    if let Err(e) = tx.commit() {
        at.abort();
        return Err(err(e).into());
    }
    Ok(hash)
}

/// Saves a browser jar into a new file `out`, built from a copy of the
/// database with the edits applied; the jar itself is left alone.
pub fn save_to<A: AtCommit>(
    body: &dyn SqliteBody,
    path: &Path,
    out: &Path,
    at: &mut A,
) -> Result<(), A::Error> {
    let mut copy = open_copy(path)?;
    transact(&mut copy.conn, body, path, &mut ())?;
    let err = |e: rusqlite::Error| database(out, &e);
    // Fold any WAL into the main file, then close: one self-contained file.
    copy.conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(err)?;
    let Copy { _dir, file, conn } = copy;
    conn.close().map_err(|(_, e)| err(e))?;
    let bytes = std::fs::read(&file).map_err(|source| JarError::Io {
        path: file.clone(),
        source,
    })?;
    super::write::write_file(out, &bytes, at)
}

/// Copies the live database into the pending backup through the backup API
/// (so a WAL's content is in it) and checks it is still what was loaded.
/// The copy is left in rollback-journal mode, so opening it later never
/// creates `-wal`/`-shm` files in the backup folder.
pub fn back_up(body: &dyn SqliteBody, path: &Path, backup: &Pending) -> Result<(), JarError> {
    if copy_into(path, body.browser(), &backup.partial)? != body.loaded_hash() {
        return Err(JarError::Changed {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Copies the live database at `path` into a new database `partial` through
/// the backup API (rollback-journal mode); returns the copy's content hash.
pub fn copy_into(path: &Path, browser: Browser, partial: &Path) -> Result<u128, JarError> {
    let conn = open_live(path, browser)?;
    let mut copy = Connection::open(partial).map_err(|e| database(partial, &e))?;
    backup_into(&conn, &mut copy).map_err(|e| sqlite_error(path, browser, &e))?;
    let hash = content_hash(&copy, browser).map_err(|e| database(partial, &e))?;
    copy.pragma_update(None, "journal_mode", "DELETE")
        .map_err(|e| database(partial, &e))?;
    copy.close().map_err(|(_, e)| database(partial, &e))?;
    Ok(hash)
}

/// Saves a browser jar over itself by one transaction on the database
/// (checked inside it). Returns the new content hash.
pub fn save_in_place<A: AtCommit>(
    body: &dyn SqliteBody,
    path: &Path,
    at: &mut A,
) -> Result<u128, A::Error> {
    let mut conn = open_live(path, body.browser())?;
    transact(&mut conn, body, path, at)
}

/// The content hash of the database at `path` now, read from a copy.
pub fn hash_now(path: &Path, browser: Browser) -> Result<u128, JarError> {
    let copy = open_copy(path)?;
    content_hash(&copy.conn, browser).map_err(|e| database(path, &e))
}

/// Restores backup `from` over a browser database through the backup API,
/// under the same lock rules as a save (a running browser is refused); `at`
/// runs right before the restore. The backup is read from a temporary copy,
/// so nothing is created beside it.
pub fn restore<A: AtCommit>(
    path: &Path,
    from: &Path,
    browser: Browser,
    at: &mut A,
) -> Result<(), A::Error> {
    let mut conn = open_live(path, browser)?;
    let src = open_copy(from)?;
    let hash = content_hash(&src.conn, browser).map_err(|e| database(from, &e))?;
    // Take the write lock first so a running browser is refused quickly.
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
        .map_err(|e| sqlite_error(path, browser, &e))?;
    at.before(After { len: None, hash })?;
    if let Err(e) = backup_into(&src.conn, &mut conn) {
        at.abort();
        return Err(sqlite_error(path, browser, &e).into());
    }
    Ok(())
}

/// Which browser's database a SQLite file is, by its tables; `None` when neither.
pub fn which_browser(conn: &Connection) -> rusqlite::Result<Option<Browser>> {
    let has = |name: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
    };
    Ok(if has("moz_cookies")? {
        Some(Browser::Firefox)
    } else if has("cookies")? && has("meta")? {
        Some(Browser::Chromium)
    } else {
        None
    })
}

/// The columns of `table`, in order.
pub fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
    stmt.query_map([], |r| r.get::<_, String>(1))?.collect()
}

/// A column value as text, whatever its storage class (NULL is empty).
pub fn text(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

/// A column value as an integer (text that parses, else 0).
pub fn int(v: ValueRef<'_>) -> i64 {
    match v {
        ValueRef::Integer(i) => i,
        ValueRef::Real(f) => f as i64,
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0),
        ValueRef::Null | ValueRef::Blob(_) => 0,
    }
}
