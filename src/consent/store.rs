//! Saved consent records (config dir) and the consent log (data dir).
//!
//! A record is `consent/<site>.json` in the config dir: the value's fields as
//! pretty JSON, written atomically with mode 0600 (the folder is created 0700).
//! Every saved choice appends one JSON line to `consent-log.jsonl` in the data
//! dir, the proof of consent.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::value::{ConsentValue, categories_json, format_time, from_json_text, json_string};
use crate::atomic::write_atomic;
use crate::dirs::Dirs;

/// Longest site name accepted (the DNS limit).
const MAX_SITE_LEN: usize = 253;

/// Errors reading or writing consent records and the log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// A record is not a valid consent.
    #[error("{}:{line}: {message}", path.display())]
    Corrupt {
        /// The record file.
        path: PathBuf,
        /// One-based line (0 when the problem is not at one place).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A site name that cannot name a record file (only `[a-z0-9.-]` hosts).
    #[error("invalid site name {site:?}: expected a lower-case host name (a-z, 0-9, `.`, `-`)")]
    BadSite {
        /// The name as given.
        site: String,
    },
    /// A log action other than `set`, `reset` or `undo`.
    #[error("invalid consent-log action {action:?}: expected `set`, `reset` or `undo`")]
    BadAction {
        /// The action as given.
        action: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `site` is a host name usable as a file name: non-empty, at most
/// 253 bytes, only `[a-z0-9.-]`, not starting or ending with `.`.
pub fn check_site(site: &str) -> Result<(), StoreError> {
    let ok = !site.is_empty()
        && site.len() <= MAX_SITE_LEN
        && site
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !site.starts_with('.')
        && !site.ends_with('.');
    if ok {
        Ok(())
    } else {
        Err(StoreError::BadSite {
            site: site.to_owned(),
        })
    }
}

/// The record of the `*` scope (other sites): `_all.json`, a name no host has.
pub const OTHERS_RECORD: &str = "_all";

/// The record file of `site` (after [`check_site`]); `*` (the other sites'
/// scope) has `_all.json`.
pub fn record_path(dirs: &Dirs, site: &str) -> Result<PathBuf, StoreError> {
    if site == crate::scopes::OTHERS {
        return Ok(dirs.consent_dir().join(format!("{OTHERS_RECORD}.json")));
    }
    check_site(site)?;
    Ok(dirs.consent_dir().join(format!("{site}.json")))
}

/// Creates `dir` (and missing parents) with mode 0700; an existing folder is left as it is.
fn make_private_dir(dir: &Path) -> Result<(), StoreError> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err(dir))
}

/// Saves `value` as the record of its site (atomic write, mode 0600).
pub fn save_record(dirs: &Dirs, value: &ConsentValue) -> Result<(), StoreError> {
    let path = record_path(dirs, &value.site)?;
    make_private_dir(&dirs.consent_dir())?;
    let mut text = value.to_json(true);
    text.push('\n');
    write_atomic(&path, text.as_bytes(), 0o600).map_err(io_err(&path))
}

/// Reads the record of `site`; `Ok(None)` when there is none. A record that is
/// not a valid consent, or is for another site, is an error naming the file and line.
pub fn load_record(dirs: &Dirs, site: &str) -> Result<Option<ConsentValue>, StoreError> {
    let path = record_path(dirs, site)?;
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(&path)(e)),
    };
    parse_record(&path, &text, site).map(Some)
}

fn parse_record(path: &Path, text: &str, site: &str) -> Result<ConsentValue, StoreError> {
    let value = from_json_text(text).map_err(|p| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: p.line,
        message: if p.column > 0 {
            format!("{} (column {})", p.message, p.column)
        } else {
            p.message
        },
    })?;
    if value.site != site {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            line: 0,
            message: format!("record is for site {:?}, expected {site:?}", value.site),
        });
    }
    Ok(value)
}

/// Every saved record, sorted by site. Files that are not `<site>.json` for a
/// valid site name (temporary files, other files) are skipped; a corrupt record
/// is an error.
pub fn list_records(dirs: &Dirs) -> Result<Vec<ConsentValue>, StoreError> {
    let dir = dirs.consent_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err(&dir)(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_err(&dir))?;
        let name = entry.file_name();
        let Some(site) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        let site = if site == OTHERS_RECORD {
            crate::scopes::OTHERS
        } else {
            site
        };
        if site != crate::scopes::OTHERS && check_site(site).is_err() {
            continue;
        }
        let path = entry.path();
        if !entry.file_type().map_err(io_err(&path))?.is_file() {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(io_err(&path))?;
        out.push(parse_record(&path, &text, site)?);
    }
    out.sort_by(|a, b| a.site.cmp(&b.site));
    Ok(out)
}

/// Removes the record of `site`; `Ok(false)` when there was none.
pub fn remove_record(dirs: &Dirs, site: &str) -> Result<bool, StoreError> {
    let path = record_path(dirs, site)?;
    match fs::remove_file(&path) {
        Ok(()) => {
            let dir = dirs.consent_dir();
            fs::File::open(&dir)
                .and_then(|d| d.sync_all())
                .map_err(io_err(&dir))?;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(&path)(e)),
    }
}

/// The consent-log line for `value` (without the newline):
/// `{"time","action","site","id","policy","hash","categories"}`.
pub fn log_line(value: &ConsentValue, action: &str, now: OffsetDateTime) -> String {
    format!(
        "{{\"time\":{},\"action\":{},\"site\":{},\"id\":{},\"policy\":{},\"hash\":{},\"categories\":{}}}",
        json_string(&format_time(now)),
        json_string(action),
        json_string(&value.site),
        json_string(&value.id),
        json_string(&value.policy),
        json_string(&value.hash),
        categories_json(&value.categories, false),
    )
}

/// Appends one line for `value` to the consent log: `action` is `set` (a choice
/// was saved), `reset` (it was withdrawn) or `undo` (an undo put it back). The whole line goes in one append
/// write (file mode 0600, folder 0700), then the file is fsync'd.
pub fn append_log(
    dirs: &Dirs,
    value: &ConsentValue,
    action: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    if !matches!(action, "set" | "reset" | "undo") {
        return Err(StoreError::BadAction {
            action: action.to_owned(),
        });
    }
    make_private_dir(&dirs.data)?;
    let path = dirs.consent_log();
    let mut line = log_line(value, action, now);
    line.push('\n');
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(&path)
        .map_err(io_err(&path))?;
    file.write_all(line.as_bytes()).map_err(io_err(&path))?;
    file.sync_all().map_err(io_err(&path))
}

/// The record file of `site` as it is on disk, unparsed (`None`: there is none).
pub fn record_text(dirs: &Dirs, site: &str) -> Result<Option<String>, StoreError> {
    let path = record_path(dirs, site)?;
    match fs::read_to_string(&path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&path)(e)),
    }
}

/// Puts the record file of `site` back as `text` was (`None`: no record).
pub fn put_record_text(dirs: &Dirs, site: &str, text: Option<&str>) -> Result<(), StoreError> {
    let path = record_path(dirs, site)?;
    match text {
        Some(t) => {
            make_private_dir(&dirs.consent_dir())?;
            write_atomic(&path, t.as_bytes(), 0o600).map_err(io_err(&path))
        }
        None => remove_record(dirs, site).map(|_| ()),
    }
}

/// The consent log's length now (0 when there is none), to cut it back to.
pub fn log_len(dirs: &Dirs) -> Result<u64, StoreError> {
    let path = dirs.consent_log();
    match fs::metadata(&path) {
        Ok(m) => Ok(m.len()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(io_err(&path)(e)),
    }
}

/// Cuts the consent log back to `len` bytes: takes back lines appended for
/// a save that did not happen after all.
pub fn cut_log(dirs: &Dirs, len: u64) -> Result<(), StoreError> {
    let path = dirs.consent_log();
    let file = OpenOptions::new()
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    file.set_len(len).map_err(io_err(&path))?;
    file.sync_all().map_err(io_err(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names() {
        for ok in ["a", "portal.example.test", "x-1.b2.c", "127.0.0.1"] {
            assert!(check_site(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a.",
            "../etc",
            "a/b",
            "A.com",
            "a b",
            "host:8080",
            "é.com",
            "a\0b",
        ] {
            assert!(check_site(bad).is_err(), "{bad:?}");
        }
        assert!(check_site(&"a".repeat(254)).is_err());
    }
}
