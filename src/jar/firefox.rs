//! Firefox `cookies.sqlite` (table `moz_cookies`).
//!
//! Every column is read by name, so the layouts of the schema versions load
//! alike. `PRAGMA user_version` 16 and later store `expiry` in milliseconds,
//! older ones in seconds; `creationTime`, `lastAccessed` and `updateTime` are
//! microseconds. `host` starts with a dot for a domain cookie. `sameSite` is
//! 0 None, 1 Lax, 2 Strict, 256 unset. `originAttributes` (containers,
//! `^partitionKey=(https,site)` for a third-party cookie under Total Cookie
//! Protection) is the cookie's partition and part of its identity: the unique
//! index `moz_uniqueid` is (name, host, path, originAttributes).
//!
//! A `user_version` newer than [`MAX_VERSION`] is refused, as Chromium's newer
//! `meta.version` is. Firefox does not keep session cookies in this file. Saving goes through
//! [`super::sqlite`]: rows are deleted by their unique key, the preferences
//! cookie is updated in place (value, expiry, `updateTime`) or inserted with
//! fresh times, `schemeMap` and the file's expiry unit.

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::DbReadError;
use super::edit::EditError;
use super::sqlite::{self, Browser, ExecError, Op, SqliteBody};
use crate::domain::Domain;
use crate::model::{
    Cookie, CookieKey, Edits, Expiry, FirefoxKey, NewCookie, OwnedCookie, SameSite,
};

/// The newest `PRAGMA user_version` crumbs was tested with (Firefox 153 ESR).
pub const MAX_VERSION: i64 = 17;
/// The first schema version whose `expiry` is in milliseconds.
pub const MS_EXPIRY_VERSION: i64 = 16;
/// Firefox's "SameSite not set" value (`nsICookie::SAMESITE_UNSET`).
pub const SAMESITE_UNSET: i64 = 256;
/// The columns a `moz_cookies` table must have to be read.
const REQUIRED: &[&str] = &[
    "name",
    "value",
    "host",
    "path",
    "expiry",
    "isSecure",
    "isHttpOnly",
];
/// `schemeMap` bits.
const SCHEME_HTTP: i64 = 1;
/// `schemeMap` bit for https.
const SCHEME_HTTPS: i64 = 2;

/// A loaded `cookies.sqlite`: the read view and the changes waiting for a save.
#[derive(Debug, Clone)]
pub struct FirefoxJar {
    /// One cookie per row, in rowid order.
    cookies: Vec<OwnedCookie>,
    /// `PRAGMA user_version`.
    version: i64,
    /// The columns of `moz_cookies`.
    columns: Vec<String>,
    /// The content hash when loaded (or last saved).
    hash: u128,
    /// Changes to make on save.
    ops: Vec<Op>,
}

impl FirefoxJar {
    /// Reads every row of `moz_cookies`; a missing table or column is an error
    /// that says what was expected.
    pub fn read(conn: &Connection) -> Result<FirefoxJar, DbReadError> {
        let columns = sqlite::columns(conn, "moz_cookies")?;
        DbReadError::check_columns(
            "moz_cookies",
            REQUIRED,
            |c| columns.iter().any(|x| x == c),
            "Firefox cookies.sqlite",
        )?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Browser::Firefox.check_version(version)?;
        let hash = sqlite::content_hash(conn, Browser::Firefox)?;
        let col = |name: &str| columns.iter().position(|c| c == name);
        let (name, value, host, path) = (col("name"), col("value"), col("host"), col("path"));
        let (expiry, secure, http_only) = (col("expiry"), col("isSecure"), col("isHttpOnly"));
        let (same_site, oa) = (col("sameSite"), col("originAttributes"));
        let mut stmt = conn.prepare("SELECT * FROM moz_cookies ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        let mut cookies = Vec::new();
        while let Some(row) = rows.next()? {
            let get = |i: Option<usize>| i.and_then(|i| row.get_ref(i).ok());
            let s = |i: Option<usize>| get(i).map(sqlite::text).unwrap_or_default();
            let n = |i: Option<usize>| get(i).map(sqlite::int).unwrap_or(0);
            let host_stored = s(host);
            let raw_expiry = n(expiry);
            let key = CookieKey::Firefox(Box::new(FirefoxKey {
                name: s(name),
                host: host_stored.clone(),
                path: s(path),
                origin_attributes: s(oa),
            }));
            cookies.push(Cookie {
                name: s(name).into(),
                value: s(value).into(),
                host_only: !host_stored.starts_with('.'),
                domain: Domain::from_stored(&host_stored).into_name().into(),
                path: s(path).into(),
                secure: n(secure) != 0,
                http_only: n(http_only) != 0,
                same_site: match get(same_site) {
                    None | Some(ValueRef::Null) => SameSite::Unset,
                    Some(v) => same_site_of(sqlite::int(v)),
                },
                expiry: Expiry::At(if version >= MS_EXPIRY_VERSION {
                    raw_expiry.div_euclid(1000)
                } else {
                    raw_expiry
                }),
                partition: s(oa).into(),
                key,
            });
        }
        drop(rows);
        Ok(FirefoxJar {
            cookies,
            version,
            columns,
            hash,
            ops: Vec::new(),
        })
    }

    /// The cookies, in rowid order.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Applies edits to the view and queues them for the save.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        sqlite::apply_view(&mut self.cookies, &mut self.ops, edits, new_view)
    }

    /// The stored expiry of `e` in this file's unit (a session cookie gets
    /// the far future, as Firefox has no session rows on disk).
    fn stored_expiry(&self, e: Expiry) -> i64 {
        let secs = match e {
            Expiry::At(t) => t,
            Expiry::Session => i64::from(i32::MAX),
        };
        if self.version >= MS_EXPIRY_VERSION {
            secs.saturating_mul(1000)
        } else {
            secs
        }
    }

    fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c == column)
    }
}

/// Firefox's sameSite integer as the model's.
fn same_site_of(v: i64) -> SameSite {
    match v {
        0 => SameSite::None,
        1 => SameSite::Lax,
        2 => SameSite::Strict,
        _ => SameSite::Unset,
    }
}

/// The model's SameSite as Firefox's integer.
fn same_site_value(s: SameSite) -> i64 {
    match s {
        SameSite::None => 0,
        SameSite::Lax => 1,
        SameSite::Strict => 2,
        SameSite::Unset => SAMESITE_UNSET,
    }
}

/// `host` as Firefox stores it for a new cookie.
fn host_of(new: &NewCookie) -> String {
    new.where_sent().stored()
}

/// The read view of a cookie about to be inserted.
fn new_view(new: &NewCookie) -> OwnedCookie {
    let key = CookieKey::Firefox(Box::new(FirefoxKey {
        name: new.name.clone(),
        host: host_of(new),
        path: new.path.clone(),
        origin_attributes: String::new(),
    }));
    Cookie {
        expiry: match new.expiry {
            Expiry::Session => Expiry::At(i64::from(i32::MAX)),
            at => at,
        },
        ..new.view(key)
    }
}

/// Now in microseconds since the epoch.
fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The WHERE clause and parameters of a row's unique key.
fn key_params(key: &CookieKey) -> Result<[&str; 4], ExecError> {
    match key {
        CookieKey::Firefox(k) => Ok([&k.name, &k.host, &k.path, &k.origin_attributes]),
        other => Err(ExecError::NoSuchRecord(other.clone())),
    }
}

const WHERE_KEY: &str = "name IS ?1 AND host IS ?2 AND path IS ?3 AND originAttributes IS ?4";

impl SqliteBody for FirefoxJar {
    fn browser(&self) -> Browser {
        Browser::Firefox
    }

    fn loaded_hash(&self) -> u128 {
        self.hash
    }

    fn ops(&self) -> &[Op] {
        &self.ops
    }

    fn execute(&self, conn: &Connection, ops: &[Op]) -> Result<(), ExecError> {
        let now = now_micros();
        for op in ops {
            match op {
                Op::Delete(key) => {
                    let n = conn.execute(
                        &format!("DELETE FROM moz_cookies WHERE {WHERE_KEY}"),
                        key_params(key)?,
                    )?;
                    if n != 1 {
                        return Err(ExecError::NoSuchRecord(key.clone()));
                    }
                }
                Op::Update { key, value, expiry } => {
                    let [name, host, path, oa] = key_params(key)?;
                    let stored = self.stored_expiry(*expiry);
                    let n = if self.has("updateTime") {
                        conn.execute(
                            &format!(
                                "UPDATE moz_cookies SET value = ?5, expiry = ?6, updateTime = ?7 \
                                 WHERE {WHERE_KEY}"
                            ),
                            rusqlite::params![name, host, path, oa, value, stored, now],
                        )?
                    } else {
                        conn.execute(
                            &format!(
                                "UPDATE moz_cookies SET value = ?5, expiry = ?6 WHERE {WHERE_KEY}"
                            ),
                            rusqlite::params![name, host, path, oa, value, stored],
                        )?
                    };
                    if n != 1 {
                        return Err(ExecError::NoSuchRecord(key.clone()));
                    }
                }
                Op::Insert(new) => self.insert(conn, new, now)?,
            }
        }
        Ok(())
    }

    fn saved(&mut self, hash: u128) {
        self.hash = hash;
        self.ops.clear();
    }
}

impl FirefoxJar {
    /// Inserts a new row with every column this schema has that crumbs knows.
    fn insert(&self, conn: &Connection, new: &NewCookie, now: i64) -> Result<(), ExecError> {
        use rusqlite::types::Value;
        let same_site = same_site_value(new.same_site);
        let scheme = if new.secure {
            SCHEME_HTTPS
        } else {
            SCHEME_HTTP
        };
        let known: Vec<(&str, Value)> = vec![
            ("originAttributes", Value::Text(String::new())),
            ("name", Value::Text(new.name.clone())),
            ("value", Value::Text(new.value.clone())),
            ("host", Value::Text(host_of(new))),
            ("path", Value::Text(new.path.clone())),
            ("expiry", Value::Integer(self.stored_expiry(new.expiry))),
            ("lastAccessed", Value::Integer(now)),
            ("creationTime", Value::Integer(now)),
            ("updateTime", Value::Integer(now)),
            ("isSecure", Value::Integer(i64::from(new.secure))),
            ("isHttpOnly", Value::Integer(i64::from(new.http_only))),
            ("inBrowserElement", Value::Integer(0)),
            ("sameSite", Value::Integer(same_site)),
            (
                "rawSameSite",
                Value::Integer(if same_site == SAMESITE_UNSET {
                    0
                } else {
                    same_site
                }),
            ),
            ("schemeMap", Value::Integer(scheme)),
            ("isPartitionedAttributeSet", Value::Integer(0)),
        ];
        let (cols, vals): (Vec<&str>, Vec<Value>) =
            known.into_iter().filter(|(c, _)| self.has(c)).unzip();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO moz_cookies ({}) VALUES ({})",
            cols.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            marks.join(", ")
        );
        conn.execute(&sql, rusqlite::params_from_iter(vals))?;
        Ok(())
    }
}
