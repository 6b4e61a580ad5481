//! A running browser's cookies as a jar body: read once, edited in memory,
//! and saved through the protocol — checked against a fresh read, with a
//! snapshot of everything the save removes or changes written first, so that
//! `undo` can set it all back.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Browser, Endpoint, LiveCookie, LiveError};
use crate::dirs::Dirs;
use crate::jar::edit::{EditError, remove_sorted};
use crate::json_error::JsonError;
use crate::model::{CookieKey, Cookies, Edits, Expiry, OwnedCookie, SameSite};

/// The cookies of a running browser, as read, with the edits a save will make.
#[derive(Debug, Clone)]
pub struct LiveJar {
    endpoint: Endpoint,
    allow_remote: bool,
    product: String,
    /// What the browser held when read (the change check compares with it).
    read: Vec<LiveCookie>,
    /// The cookies after the edits applied so far, and their uniform views.
    now: Vec<LiveCookie>,
    views: Vec<OwnedCookie>,
}

/// What a live save changed: kept as the "backup" (values included, 0600).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// The endpoint the save went to.
    pub endpoint: String,
    /// Cookies the save deleted, as they were.
    pub removed: Vec<LiveCookie>,
    /// Cookies the save overwrote, as they were.
    pub replaced: Vec<LiveCookie>,
    /// Cookies the save wrote (new, or over `replaced`), as written.
    pub written: Vec<LiveCookie>,
    /// What undo needs to put crumbs' own records back (the consent records
    /// the save replaced).
    #[serde(default)]
    pub note: serde_json::Value,
}

/// Errors of a live save or undo.
#[derive(Debug, thiserror::Error)]
pub enum LiveSaveError {
    /// The protocol failed.
    #[error(transparent)]
    Protocol(#[from] LiveError),
    /// A cookie the save touches changed in the browser since it was read.
    #[error(
        "{endpoint}: cookies changed in the browser since crumbs read them ({names}); nothing was changed (load it again)"
    )]
    Changed {
        /// The endpoint.
        endpoint: String,
        /// The cookies that differ.
        names: String,
    },
    /// The browser did not take some cookies it was asked to set.
    #[error("{endpoint}: the browser refused to set {names}")]
    NotSet {
        /// The endpoint.
        endpoint: String,
        /// The cookies it refused, by name@domain.
        names: String,
    },
    /// The snapshot could not be written or read.
    #[error("{path}: {source}")]
    Io {
        /// The snapshot file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A snapshot file that is not one.
    #[error("{path}: not a crumbs live snapshot: {what}")]
    BadSnapshot {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        what: String,
    },
    /// A live jar saves in place, through the protocol.
    #[error(
        "{endpoint}: a running browser is saved through its protocol, not to a file (use crumbs convert to write its cookies to a file)"
    )]
    NoFileOutput {
        /// The endpoint.
        endpoint: String,
    },
    /// The browser failed once the save had begun changing it: some changes
    /// may have been made; the snapshot (written first) undoes them.
    #[error(
        "{cause}; `crumbs undo {endpoint}` sets back what the save changed (snapshot {})",
        snapshot.display()
    )]
    Partial {
        /// The endpoint.
        endpoint: String,
        /// The snapshot written before the first change.
        snapshot: PathBuf,
        /// What failed.
        cause: Box<LiveSaveError>,
    },
    /// Nothing to undo.
    #[error("{endpoint}: no snapshot of a save to undo")]
    NothingToUndo {
        /// The endpoint.
        endpoint: String,
    },
}

fn label(c: &LiveCookie) -> String {
    format!("{}@{}", c.name, c.domain)
}

fn join(cookies: &[&LiveCookie]) -> String {
    cookies
        .iter()
        .map(|c| label(c))
        .collect::<Vec<_>>()
        .join(", ")
}

impl LiveJar {
    /// Connects and reads every cookie.
    pub fn open(endpoint: &Endpoint, allow_remote: bool) -> Result<LiveJar, LiveError> {
        let mut browser = super::connect(endpoint, allow_remote)?;
        let read = browser.cookies()?;
        let product = browser.product().to_string();
        Ok(LiveJar::from_cookies(
            endpoint.clone(),
            allow_remote,
            product,
            read,
        ))
    }

    /// A jar of cookies already read from `endpoint`.
    pub fn from_cookies(
        endpoint: Endpoint,
        allow_remote: bool,
        product: String,
        read: Vec<LiveCookie>,
    ) -> LiveJar {
        let views = read
            .iter()
            .enumerate()
            .map(|(i, c)| c.to_cookie(i))
            .collect();
        LiveJar {
            endpoint,
            allow_remote,
            product,
            now: read.clone(),
            read,
            views,
        }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The browser's name and version.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// Every cookie, in the order the browser gave them.
    pub fn cookies(&self) -> &dyn Cookies {
        &self.views
    }

    /// Applies removals and the preferences-cookie write in memory (the
    /// shared edit protocol); the browser is changed only by [`LiveJar::commit`].
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let len = self.now.len();
        let Some(r) = edits.resolve(|k| match k {
            CookieKey::Index(i) if *i < len => Some(*i),
            _ => None,
        })?
        else {
            return Ok(());
        };
        if let Some(rep) = &r.replace {
            self.now[rep.at].value = rep.value.to_string();
            self.now[rep.at].expires = expiry_secs(rep.expiry);
        }
        if let Some(n) = r.add {
            // The preferences cookie goes where the site's cookies live.
            let mut contexts = self
                .now
                .iter()
                .filter(|c| crate::model::Domain::from_stored(&c.domain).name == n.domain.as_str())
                .map(|c| c.context.clone());
            let first = contexts.next().flatten();
            let context = if contexts.all(|c| c == first) {
                first
            } else {
                None
            };
            self.now.push(LiveCookie {
                name: n.name.clone(),
                value: n.value.clone(),
                domain: if n.host_only {
                    n.domain.clone()
                } else {
                    format!(".{}", n.domain)
                },
                path: n.path.clone(),
                secure: n.secure,
                http_only: n.http_only,
                same_site: match n.same_site {
                    SameSite::Unset => String::new(),
                    s => s.as_str().to_string(),
                },
                expires: expiry_secs(n.expiry),
                partition: serde_json::Value::Null,
                extra: Default::default(),
                context,
            });
        }
        remove_sorted(&mut self.now, &r.remove);
        self.views = self
            .now
            .iter()
            .enumerate()
            .map(|(i, c)| c.to_cookie(i))
            .collect();
        Ok(())
    }

    /// What the edits so far would change, against what was read.
    pub fn pending(&self) -> Snapshot {
        let removed = self
            .read
            .iter()
            .filter(|r| !self.now.iter().any(|n| n.same_identity(r)))
            .cloned()
            .collect();
        let mut replaced = Vec::new();
        let mut written = Vec::new();
        for n in &self.now {
            match self.read.iter().find(|r| r.same_identity(n)) {
                Some(r) if r == n => {}
                Some(r) => {
                    replaced.push(r.clone());
                    written.push(n.clone());
                }
                None => written.push(n.clone()),
            }
        }
        Snapshot {
            endpoint: self.endpoint.to_string(),
            removed,
            replaced,
            written,
            note: serde_json::Value::Null,
        }
    }

    /// Carries the edits out in the browser: re-reads the cookies the save
    /// touches and refuses if any changed; writes the snapshot (through
    /// `keep`) before the first change; deletes, sets, and checks the browser
    /// took every cookie it was given. Returns the snapshot's file.
    pub fn commit<E: From<LiveSaveError>>(
        &mut self,
        keep: impl FnOnce(&Snapshot) -> Result<PathBuf, E>,
    ) -> Result<PathBuf, E> {
        let change = self.pending();
        let connected = super::connect(&self.endpoint, self.allow_remote);
        let mut browser = connected.map_err(LiveSaveError::from)?;
        let fresh = browser.cookies().map_err(LiveSaveError::from)?;
        let differs: Vec<&LiveCookie> = change
            .removed
            .iter()
            .chain(&change.replaced)
            .filter(|was| !fresh.iter().any(|f| same_state(f, was)))
            .chain(change.written.iter().filter(|w| {
                // A cookie we add must not have appeared meanwhile.
                !change.replaced.iter().any(|r| r.same_identity(w))
                    && fresh.iter().any(|f| f.same_identity(w))
            }))
            .collect();
        if !differs.is_empty() {
            return Err(LiveSaveError::Changed {
                endpoint: self.endpoint.to_string(),
                names: join(&differs),
            }
            .into());
        }
        let path = keep(&change)?;
        apply_change(browser.as_mut(), &change.removed, &change.written).map_err(|cause| {
            LiveSaveError::Partial {
                endpoint: self.endpoint.to_string(),
                snapshot: path.clone(),
                cause: Box::new(cause),
            }
        })?;
        self.read = browser.cookies().map_err(LiveSaveError::from)?;
        self.now = self.read.clone();
        self.views = self
            .now
            .iter()
            .enumerate()
            .map(|(i, c)| c.to_cookie(i))
            .collect();
        Ok(path)
    }
}

/// Deletes `delete`, sets `set`, then reads back and names what did not take.
fn apply_change(
    browser: &mut dyn Browser,
    delete: &[LiveCookie],
    set: &[LiveCookie],
) -> Result<(), LiveSaveError> {
    for c in delete {
        browser.delete(c)?;
    }
    let mut refused = Vec::new();
    for c in set {
        // CDP's setCookies drops a cookie it refuses without an error: the
        // read-back below is what tells.
        if let Err(e) = browser.set(c) {
            match e {
                LiveError::Refused { .. } => refused.push(c),
                other => return Err(other.into()),
            }
        }
    }
    let after = browser.cookies()?;
    let missing: Vec<&LiveCookie> = set
        .iter()
        .filter(|c| {
            !refused.iter().any(|r| r.same_identity(c))
                && !after
                    .iter()
                    .any(|a| a.same_identity(c) && a.value == c.value)
        })
        .collect();
    refused.extend(missing);
    let lingering: Vec<&LiveCookie> = delete
        .iter()
        .filter(|d| after.iter().any(|a| a.same_identity(d)))
        .collect();
    if !lingering.is_empty() {
        return Err(LiveError::Protocol {
            endpoint: browser.endpoint().to_string(),
            what: format!(
                "the browser kept cookies it was asked to delete: {}",
                join(&lingering)
            ),
        }
        .into());
    }
    if !refused.is_empty() {
        return Err(LiveSaveError::NotSet {
            endpoint: browser.endpoint().to_string(),
            names: join(&refused),
        });
    }
    Ok(())
}

/// Same identity and the same value and expiry (to the second).
fn same_state(a: &LiveCookie, b: &LiveCookie) -> bool {
    let secs = |t: Option<f64>| t.map(|t| t.floor() as i64);
    a.same_identity(b) && a.value == b.value && secs(a.expires) == secs(b.expires)
}

fn expiry_secs(e: Expiry) -> Option<f64> {
    match e {
        Expiry::Session => None,
        Expiry::At(t) => Some(t as f64),
    }
}

/// The folder of an endpoint's snapshots.
pub fn snapshot_dir(endpoint: &Endpoint, dirs: &Dirs) -> PathBuf {
    let name = endpoint.to_string().replace(
        |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
        "_",
    );
    dirs.backups_dir().join(name)
}

/// Writes `snapshot` as a new 0600 file in `dir` (values included).
pub fn write_snapshot(dir: &Path, snapshot: &Snapshot) -> Result<PathBuf, LiveSaveError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LiveSaveError::Io { path, source }
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let path = dir.join(format!("{nanos:020}.json"));
    let json = serde_json::to_vec_pretty(snapshot).map_err(|e| LiveSaveError::BadSnapshot {
        path: path.clone(),
        what: e.to_string(),
    })?;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(io(&path))?;
    f.write_all(&json).map_err(io(&path))?;
    f.sync_all().map_err(io(&path))?;
    Ok(path)
}

/// The newest snapshot in `dir`, if any.
pub fn newest_snapshot(dir: &Path) -> Result<Option<PathBuf>, LiveSaveError> {
    let mut found: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(LiveSaveError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    found.sort();
    Ok(found.pop())
}

/// What a live undo did.
#[derive(Debug, Clone)]
pub struct LiveUndone {
    /// The snapshot set back.
    pub snapshot: Snapshot,
    /// With `force` over changed cookies: the snapshot of what the undo
    /// replaced (itself undoable, as the newest snapshot).
    pub replaced: Option<PathBuf>,
}

/// Sets back what the save recorded in `snapshot_file` did: deleted cookies
/// set again, overwritten ones restored, added ones deleted. Refuses when the
/// browser no longer holds what the save wrote, unless `force`, which first
/// keeps a snapshot of the cookies it is about to change. The snapshot is
/// moved aside (`.undone`) once it is undone.
pub fn undo(
    endpoint: &Endpoint,
    allow_remote: bool,
    snapshot_file: &Path,
    force: bool,
) -> Result<LiveUndone, LiveSaveError> {
    let text = fs::read(snapshot_file).map_err(|source| LiveSaveError::Io {
        path: snapshot_file.to_path_buf(),
        source,
    })?;
    // The snapshot holds cookie values: the message quotes none of it.
    let snap: Snapshot = serde_json::from_slice(&text).map_err(|e| LiveSaveError::BadSnapshot {
        path: snapshot_file.to_path_buf(),
        what: JsonError::new(&e, &text).to_string(),
    })?;
    let mut browser = super::connect(endpoint, allow_remote)?;
    let fresh = browser.cookies()?;
    let differs: Vec<&LiveCookie> = snap
        .written
        .iter()
        // By value: a browser may cap the expiry it was given (400 days).
        .filter(|w| {
            !fresh
                .iter()
                .any(|f| f.same_identity(w) && f.value == w.value)
        })
        .chain(
            snap.removed
                .iter()
                .filter(|r| fresh.iter().any(|f| f.same_identity(r))),
        )
        .collect();
    if !differs.is_empty() && !force {
        return Err(LiveSaveError::Changed {
            endpoint: endpoint.to_string(),
            names: format!(
                "{}; --force sets the saved ones back anyway",
                join(&differs)
            ),
        });
    }
    let added: Vec<LiveCookie> = snap
        .written
        .iter()
        .filter(|w| !snap.replaced.iter().any(|r| r.same_identity(w)))
        .cloned()
        .collect();
    let mut set = snap.removed.clone();
    set.extend(snap.replaced.iter().cloned());
    let replaced = if differs.is_empty() {
        None
    } else {
        let dir = snapshot_file.parent().unwrap_or(Path::new("."));
        Some(write_snapshot(
            dir,
            &undo_as_save(endpoint, &fresh, &added, &set),
        )?)
    };
    apply_change(browser.as_mut(), &added, &set)?;
    let done = snapshot_file.with_extension("undone");
    fs::rename(snapshot_file, &done).map_err(|source| LiveSaveError::Io {
        path: snapshot_file.to_path_buf(),
        source,
    })?;
    Ok(LiveUndone {
        snapshot: snap,
        replaced,
    })
}

/// The snapshot of an undo seen as a save over the browser's `fresh` cookies:
/// it deletes `deleted` and sets `set`, so undoing it puts `fresh` back.
fn undo_as_save(
    endpoint: &Endpoint,
    fresh: &[LiveCookie],
    deleted: &[LiveCookie],
    set: &[LiveCookie],
) -> Snapshot {
    let current = |c: &LiveCookie| fresh.iter().find(|f| f.same_identity(c)).cloned();
    Snapshot {
        endpoint: endpoint.to_string(),
        removed: deleted.iter().filter_map(current).collect(),
        replaced: set.iter().filter_map(current).collect(),
        written: set.to_vec(),
        note: serde_json::Value::Null,
    }
}
