//! Chromium `Cookies` (Chrome, Chromium, Brave, Edge): table `cookies`, with
//! a `meta` table that crumbs reads (`version`) and never touches.
//!
//! Times are microseconds since 1601-01-01 UTC. `host_key` starts with a dot
//! for a domain cookie. `samesite` is -1 unset, 0 None, 1 Lax, 2 Strict. A
//! row with `is_persistent` 0 is a session cookie. `top_frame_site_key` is
//! the partition (CHIPS). Values are in `encrypted_value`: a `v10` value
//! under Linux's fixed public key is opened (see [`super::chromium_crypt`]);
//! any other is shown as "(encrypted)" and never needed: pruning deletes rows
//! by the database's own unique index, read from the file (for version 24:
//! host_key, top_frame_site_key, has_cross_site_ancestor, name, path,
//! source_scheme, source_port).
//!
//! A `meta.version` newer than [`MAX_VERSION`] is refused. The preferences
//! cookie is written `v10`-encrypted under the public key, which Chromium on
//! Linux reads whatever its password store; when the jar's values show
//! another key (macOS Keychain, Windows, app-bound) crumbs cannot write a
//! value Chromium would read, and [`ChromiumJar::stores_values`] says so.

use rusqlite::Connection;
use rusqlite::types::{Value, ValueRef};

use super::DbReadError;
use super::chromium_crypt as crypt;
use super::edit::EditError;
use super::sqlite::{self, Browser, ExecError, Op, SqliteBody};
use crate::domain::Domain;
use crate::model::{
    ChromiumKey, Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite,
};

/// The newest `meta.version` crumbs knows.
pub const MAX_VERSION: i64 = 24;
/// Seconds from 1601-01-01 to 1970-01-01.
pub const EPOCH_DELTA_SECS: i64 = 11_644_473_600;
/// What a value crumbs cannot open is shown as.
pub const ENCRYPTED: &str = "(encrypted)";
/// The columns a `cookies` table must have to be read.
const REQUIRED: &[&str] = &[
    "host_key",
    "name",
    "value",
    "path",
    "expires_utc",
    "is_secure",
    "is_httponly",
];
/// Unique-index columns crumbs knows how to key.
const KEY_COLUMNS: &[&str] = &[
    "host_key",
    "top_frame_site_key",
    "has_cross_site_ancestor",
    "name",
    "path",
    "source_scheme",
    "source_port",
];

/// A column of the `cookies` table.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    not_null: bool,
    has_default: bool,
}

/// A loaded `Cookies` database: the read view and the changes waiting for a save.
#[derive(Debug, Clone)]
pub struct ChromiumJar {
    /// One cookie per row, in rowid order.
    cookies: Vec<OwnedCookie>,
    /// `meta.version`.
    version: i64,
    /// The columns of `cookies`.
    columns: Vec<Column>,
    /// The columns of the unique index, in index order.
    unique: Vec<String>,
    /// Whether a value crumbs encrypts would be readable by the browser.
    stores_values: bool,
    /// The content hash when loaded (or last saved).
    hash: u128,
    /// Changes to make on save.
    ops: Vec<Op>,
}

/// Chromium time (µs since 1601) as Unix seconds.
pub fn to_unix(t: i64) -> i64 {
    t.div_euclid(1_000_000) - EPOCH_DELTA_SECS
}

/// Unix seconds as Chromium time.
pub fn from_unix(t: i64) -> i64 {
    t.saturating_add(EPOCH_DELTA_SECS).saturating_mul(1_000_000)
}

/// The read view of one row of `cookies` (columns `names`, unique index
/// `unique`), and whether its value is encrypted with a key crumbs cannot use.
fn row_cookie(
    row: &rusqlite::Row<'_>,
    names: &[String],
    unique: &[String],
    version: i64,
) -> (OwnedCookie, bool) {
    let col = |name: &str| names.iter().position(|c| *c == name);
    let mut foreign_key = false;
    let get = |name: &str| col(name).and_then(|i| row.get_ref(i).ok());
    let s = |name: &str| get(name).map(sqlite::text).unwrap_or_default();
    let n = |name: &str| get(name).map(sqlite::int).unwrap_or(0);
    let opt = |name: &str| unique.iter().any(|c| c == name).then(|| n(name));
    let host_key = s("host_key");
    let encrypted: &[u8] = match get("encrypted_value") {
        Some(ValueRef::Blob(b) | ValueRef::Text(b)) => b,
        _ => &[],
    };
    let value = if encrypted.is_empty() {
        s("value")
    } else {
        match crypt::decrypt(encrypted, &host_key, version) {
            Some(v) => v,
            None => {
                if !encrypted.starts_with(b"v11") {
                    foreign_key = true;
                }
                ENCRYPTED.to_owned()
            }
        }
    };
    let persistent = match (get("is_persistent"), get("has_expires")) {
        (Some(p), _) => sqlite::int(p) != 0,
        (None, Some(h)) => sqlite::int(h) != 0,
        (None, None) => n("expires_utc") != 0,
    };
    let cookie = Cookie {
        name: s("name").into(),
        value: value.into(),
        domain: Domain::from_stored(&host_key).into_name().into(),
        host_only: !host_key.starts_with('.'),
        path: s("path").into(),
        secure: n("is_secure") != 0,
        http_only: n("is_httponly") != 0,
        same_site: match get("samesite") {
            Some(v) => match sqlite::int(v) {
                0 => SameSite::None,
                1 => SameSite::Lax,
                2 => SameSite::Strict,
                _ => SameSite::Unset,
            },
            None => SameSite::Unset,
        },
        expiry: if persistent {
            Expiry::At(to_unix(n("expires_utc")))
        } else {
            Expiry::Session
        },
        partition: s("top_frame_site_key").into(),
        key: CookieKey::Chromium(Box::new(ChromiumKey {
            host_key: host_key.clone(),
            top_frame_site_key: if unique.iter().any(|c| c == "top_frame_site_key") {
                s("top_frame_site_key")
            } else {
                String::new()
            },
            has_cross_site_ancestor: opt("has_cross_site_ancestor"),
            name: s("name"),
            path: s("path"),
            source_scheme: opt("source_scheme"),
            source_port: opt("source_port"),
        })),
    };
    (cookie, foreign_key)
}

/// Now as Chromium time.
fn now_chrome() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    from_unix(i64::try_from(d.as_secs()).unwrap_or(0)) + i64::from(d.subsec_micros())
}

impl ChromiumJar {
    /// Reads every row of `cookies` and `meta.version`; refuses a newer
    /// version or a table without the columns crumbs needs.
    pub fn read(conn: &Connection) -> Result<ChromiumJar, DbReadError> {
        let version: i64 = conn
            .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
                Ok(sqlite::int(r.get_ref(0)?))
            })
            .map_err(DbReadError::NoVersion)?;
        Browser::Chromium.check_version(version)?;
        let columns = table_columns(conn)?;
        let has = |c: &str| columns.iter().any(|x| x.name == c);
        DbReadError::check_columns(
            "the cookies table",
            REQUIRED,
            has,
            "Chromium Cookies database",
        )?;
        let unique = unique_index(conn)?;
        if let Some(c) = unique.iter().find(|c| !KEY_COLUMNS.contains(&c.as_str())) {
            return Err(DbReadError::UnknownKeyColumn(c.clone()));
        }
        let hash = sqlite::content_hash(conn, Browser::Chromium)?;

        let names: Vec<String> = columns.iter().map(|c| c.name.to_string()).collect();
        let mut stmt = conn.prepare("SELECT * FROM cookies ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        let mut cookies = Vec::new();
        let mut foreign_key = cfg!(target_os = "macos") || cfg!(windows);
        while let Some(row) = rows.next()? {
            let (cookie, foreign) = row_cookie(row, &names, &unique, version);
            foreign_key |= foreign;
            cookies.push(cookie);
        }
        drop(rows);
        drop(stmt);
        Ok(ChromiumJar {
            cookies,
            version,
            stores_values: !foreign_key || !has("encrypted_value"),
            columns,
            unique,
            hash,
            ops: Vec::new(),
        })
    }

    /// The cookies, in rowid order.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// `meta.version`.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// True when crumbs can write a cookie value this browser will read: the
    /// jar's values are `v10` under Linux's public key (or `v11`, which
    /// Chromium on Linux reads beside `v10`), on Linux.
    pub fn stores_values(&self) -> bool {
        self.stores_values
    }

    /// Applies edits to the view and queues them for the save.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let unique = &self.unique;
        sqlite::apply_view(&mut self.cookies, &mut self.ops, edits, |new| {
            new_view(new, unique)
        })
    }

    fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.name == column)
    }

    /// The WHERE clause (parameters from `?first`) and values of a row's key.
    fn key_where(&self, key: &CookieKey, first: usize) -> Result<(String, Vec<Value>), ExecError> {
        let CookieKey::Chromium(k) = key else {
            return Err(ExecError::NoSuchRecord(key.clone()));
        };
        let ChromiumKey {
            host_key,
            top_frame_site_key,
            has_cross_site_ancestor,
            name,
            path,
            source_scheme,
            source_port,
        } = k.as_ref();
        let mut clauses = Vec::new();
        let mut values = Vec::new();
        for (i, column) in self.unique.iter().enumerate() {
            let v = match column.as_str() {
                "host_key" => Value::Text(host_key.clone()),
                "top_frame_site_key" => Value::Text(top_frame_site_key.clone()),
                "name" => Value::Text(name.clone()),
                "path" => Value::Text(path.clone()),
                "has_cross_site_ancestor" => int_or_missing(*has_cross_site_ancestor, key)?,
                "source_scheme" => int_or_missing(*source_scheme, key)?,
                "source_port" => int_or_missing(*source_port, key)?,
                _ => return Err(ExecError::NoSuchRecord(key.clone())),
            };
            clauses.push(format!("\"{column}\" IS ?{}", first + i));
            values.push(v);
        }
        Ok((clauses.join(" AND "), values))
    }

    /// Value and encrypted value to store for `value` on the row `host_key`.
    fn stored_value(&self, value: &str, host_key: &str) -> Result<(String, Vec<u8>), ExecError> {
        if !self.has("encrypted_value") {
            return Ok((value.to_owned(), Vec::new()));
        }
        if !self.stores_values {
            return Err(ExecError::Refused(
                "this Chromium jar's values are encrypted with a key crumbs cannot use \
                 (not Linux's v10 key); the preferences cookie cannot be written into it"
                    .into(),
            ));
        }
        Ok((String::new(), crypt::encrypt(value, host_key, self.version)))
    }

    /// Inserts a new row: every known column, checked against the table.
    fn insert(&self, conn: &Connection, new: &NewCookie, now: i64) -> Result<(), ExecError> {
        let host_key = host_key_of(new);
        let (plain, encrypted) = self.stored_value(&new.value, &host_key)?;
        let (scheme, port) = scheme_port(new.secure);
        let known: Vec<(&str, Value)> = vec![
            ("creation_utc", Value::Integer(now)),
            ("host_key", Value::Text(host_key.clone())),
            ("top_frame_site_key", Value::Text(String::new())),
            ("name", Value::Text(new.name.clone())),
            ("value", Value::Text(plain)),
            ("encrypted_value", Value::Blob(encrypted)),
            ("path", Value::Text(new.path.clone())),
            (
                "expires_utc",
                Value::Integer(match new.expiry {
                    Expiry::At(t) => from_unix(t),
                    Expiry::Session => 0,
                }),
            ),
            ("is_secure", Value::Integer(i64::from(new.secure))),
            ("is_httponly", Value::Integer(i64::from(new.http_only))),
            ("last_access_utc", Value::Integer(now)),
            (
                "has_expires",
                Value::Integer(i64::from(new.expiry != Expiry::Session)),
            ),
            (
                "is_persistent",
                Value::Integer(i64::from(new.expiry != Expiry::Session)),
            ),
            ("priority", Value::Integer(1)),
            (
                "samesite",
                Value::Integer(match new.same_site {
                    SameSite::None => 0,
                    SameSite::Lax => 1,
                    SameSite::Strict => 2,
                    SameSite::Unset => -1,
                }),
            ),
            ("source_scheme", Value::Integer(scheme)),
            ("source_port", Value::Integer(port)),
            ("is_same_party", Value::Integer(0)),
            ("last_update_utc", Value::Integer(now)),
            ("source_type", Value::Integer(0)),
            ("has_cross_site_ancestor", Value::Integer(0)),
        ];
        if let Some(c) = self
            .columns
            .iter()
            .find(|c| c.not_null && !c.has_default && !known.iter().any(|(k, _)| *k == c.name))
        {
            return Err(ExecError::Refused(format!(
                "the cookies table has a required column crumbs does not know ({}); \
                 the preferences cookie was not added",
                c.name
            )));
        }
        let (cols, vals): (Vec<&str>, Vec<Value>) =
            known.into_iter().filter(|(c, _)| self.has(c)).unzip();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO cookies ({}) VALUES ({})",
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

/// An integer key column that this version's index has.
fn int_or_missing(v: Option<i64>, key: &CookieKey) -> Result<Value, ExecError> {
    v.map(Value::Integer)
        .ok_or_else(|| ExecError::NoSuchRecord(key.clone()))
}

/// `source_scheme` and `source_port` of a cookie set over https or http.
fn scheme_port(secure: bool) -> (i64, i64) {
    if secure { (2, 443) } else { (1, 80) }
}

/// `host_key` as Chromium stores it for a new cookie.
fn host_key_of(new: &NewCookie) -> String {
    new.where_sent().stored()
}

/// The read view of a cookie about to be inserted.
fn new_view(new: &NewCookie, unique: &[String]) -> OwnedCookie {
    let host_key = host_key_of(new);
    let in_index = |c: &str| unique.iter().any(|u| u == c);
    let (scheme, port) = scheme_port(new.secure);
    new.view(CookieKey::Chromium(Box::new(ChromiumKey {
        host_key,
        top_frame_site_key: String::new(),
        has_cross_site_ancestor: in_index("has_cross_site_ancestor").then_some(0),
        name: new.name.clone(),
        path: new.path.clone(),
        source_scheme: in_index("source_scheme").then_some(scheme),
        source_port: in_index("source_port").then_some(port),
    })))
}

/// The columns of `cookies` with their constraints.
fn table_columns(conn: &Connection) -> rusqlite::Result<Vec<Column>> {
    let mut stmt = conn.prepare("PRAGMA table_info(cookies)")?;
    stmt.query_map([], |r| {
        Ok(Column {
            name: r.get(1)?,
            not_null: r.get::<_, i64>(3)? != 0,
            has_default: !matches!(r.get_ref(4)?, ValueRef::Null),
        })
    })?
    .collect()
}

/// The columns of the table's unique index (or of a UNIQUE constraint);
/// host_key, name, path when it has none.
fn unique_index(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA index_list(cookies)")?;
    let indexes: Vec<(String, bool)> = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(1)?, r.get::<_, i64>(2)? != 0))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (name, unique) in indexes {
        if !unique {
            continue;
        }
        let mut info = conn.prepare(&format!("PRAGMA index_info(\"{name}\")"))?;
        let cols: Vec<String> = info
            .query_map([], |r| r.get::<_, String>(2))?
            .collect::<rusqlite::Result<_>>()?;
        if cols.iter().any(|c| c == "host_key") {
            return Ok(cols);
        }
    }
    Ok(vec!["host_key".into(), "name".into(), "path".into()])
}

impl SqliteBody for ChromiumJar {
    fn browser(&self) -> Browser {
        Browser::Chromium
    }

    fn loaded_hash(&self) -> u128 {
        self.hash
    }

    fn ops(&self) -> &[Op] {
        &self.ops
    }

    fn execute(&self, conn: &Connection, ops: &[Op]) -> Result<(), ExecError> {
        let now = now_chrome();
        for op in ops {
            match op {
                Op::Delete(key) => {
                    let (clause, values) = self.key_where(key, 1)?;
                    let n = conn.execute(
                        &format!("DELETE FROM cookies WHERE {clause}"),
                        rusqlite::params_from_iter(values),
                    )?;
                    if n != 1 {
                        return Err(ExecError::NoSuchRecord(key.clone()));
                    }
                }
                Op::Update { key, value, expiry } => {
                    let CookieKey::Chromium(k) = key else {
                        return Err(ExecError::NoSuchRecord(key.clone()));
                    };
                    let (plain, encrypted) = self.stored_value(value, &k.host_key)?;
                    let mut sets: Vec<(&str, Value)> = vec![
                        ("value", Value::Text(plain)),
                        ("encrypted_value", Value::Blob(encrypted)),
                    ];
                    match expiry {
                        Expiry::At(t) => {
                            sets.push(("expires_utc", Value::Integer(from_unix(*t))));
                            sets.push(("has_expires", Value::Integer(1)));
                            sets.push(("is_persistent", Value::Integer(1)));
                        }
                        Expiry::Session => {
                            sets.push(("expires_utc", Value::Integer(0)));
                            sets.push(("has_expires", Value::Integer(0)));
                            sets.push(("is_persistent", Value::Integer(0)));
                        }
                    }
                    sets.push(("last_update_utc", Value::Integer(now)));
                    let sets: Vec<(&str, Value)> =
                        sets.into_iter().filter(|(c, _)| self.has(c)).collect();
                    let (clause, key_values) = self.key_where(key, sets.len() + 1)?;
                    let assignments: Vec<String> = sets
                        .iter()
                        .enumerate()
                        .map(|(i, (c, _))| format!("\"{c}\" = ?{}", i + 1))
                        .collect();
                    let values: Vec<Value> =
                        sets.into_iter().map(|(_, v)| v).chain(key_values).collect();
                    let n = conn.execute(
                        &format!(
                            "UPDATE cookies SET {} WHERE {clause}",
                            assignments.join(", ")
                        ),
                        rusqlite::params_from_iter(values),
                    )?;
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
