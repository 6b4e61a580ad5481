//! cookie_store JSON (reqwest_cookie_store): the pretty JSON array that
//! `cookie_store::serde::json` writes, or the older one-object-per-line form
//! of the deprecated `CookieStore::save_json`.
//!
//! The store is held by the `cookie_store` crate itself (with its
//! `preserve_order` feature, so records keep the order they were read in) and
//! written back with `save_incl_expired_and_nonpersistent`, so session and
//! expired cookies survive. Until an edit is applied the original bytes are
//! kept and saved as they were.

use std::convert::Infallible;

use cookie::SameSite as RawSameSite;
use cookie_store::{
    Cookie as StoreCookie, CookieDomain, CookieExpiration, CookiePath, CookieStore, RawCookie,
    StoreAction,
};
use serde::Serialize;
use time::OffsetDateTime;

use crate::domain;
use crate::jar::ParseError;
use crate::jar::edit::EditError;
use crate::json_error::{Category, JsonError};
use crate::model::{Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite, StoreKey};

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The two files cookie_store has written over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreForm {
    /// One pretty-printed JSON array (`cookie_store::serde::json`, 0.22 and later).
    Array,
    /// One JSON object per line (the deprecated `CookieStore::save_json`).
    Lines,
}

/// A cookie_store jar and the form it was read in.
#[derive(Debug, Clone)]
pub struct StoreJar {
    /// The cookies, held by cookie_store (in file order).
    store: CookieStore,
    /// The form to write back.
    form: StoreForm,
    /// Whether the file started with a UTF-8 byte-order mark (kept when writing).
    bom: bool,
    /// The content to save: the original bytes until an edit, then cookie_store's output.
    bytes: Vec<u8>,
    /// The read view, in store order.
    cookies: Vec<OwnedCookie>,
}

impl StoreJar {
    /// Parses the file (either form); errors name the line and what was expected.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let (bom, body) = match bytes.strip_prefix(BOM) {
            Some(body) => (true, body),
            None => (false, bytes),
        };
        let text = std::str::from_utf8(body).map_err(|e| ParseError {
            line: line_at(body, e.valid_up_to()),
            message: "not valid UTF-8; expected a cookie_store JSON file (UTF-8 text)".into(),
        })?;
        let form = if text.trim_start().starts_with('[') {
            StoreForm::Array
        } else {
            StoreForm::Lines
        };
        let store = match form {
            StoreForm::Array => {
                cookie_store::serde::json::load_all(text.as_bytes()).map_err(|e| {
                    match e.downcast_ref::<serde_json::Error>() {
                        Some(json) => json_error(json, text.as_bytes(), 0),
                        None => ParseError {
                            line: 1,
                            message: format!("could not load the cookie_store jar: {e}"),
                        },
                    }
                })?
            }
            StoreForm::Lines => load_lines(text)?,
        };
        Ok(StoreJar {
            cookies: view(&store),
            store,
            form,
            bom,
            bytes: bytes.to_vec(),
        })
    }

    /// The form the file was read in, and will be written in.
    pub fn form(&self) -> StoreForm {
        self.form
    }

    /// The cookies, in file order.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// Applies edits: removes records by (domain, path, name), replaces the
    /// value and expiry of a record (keeping its domain, path and flags), or
    /// adds a cookie (inserted through cookie_store with an `http(s)://host/`
    /// request URL). On a key the jar does not hold (or a replace of a record
    /// also being removed) returns that key and changes nothing.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let held = &self.store;
        let Some(edit) =
            edits.resolve(|key| store_id(key).filter(|(d, p, n)| held.contains_any(d, p, n)))?
        else {
            return Ok(());
        };
        let replace = match &edit.replace {
            Some(r) => {
                let (d, p, n) = r.at;
                let old = held
                    .get_any(d, p, n)
                    .ok_or_else(|| EditError::NoSuchRecord(r.key.clone()))?;
                let new = with_value_and_expiry(old, r.value, r.expiry).map_err(|_| {
                    EditError::Unwritable {
                        cookie: r.key.to_string(),
                        reason: "cookie_store cannot hold this value and expiry".into(),
                    }
                })?;
                Some((r.at, new))
            }
            None => None,
        };
        let mut store = if edit.adds_only() {
            self.store.clone()
        } else {
            let kept = self.store.iter_any().filter_map(|c| {
                let id = (domain_key(c), c.path.as_ref(), c.name());
                match &replace {
                    _ if edit.removes(&id) => None,
                    Some((rid, new)) if *rid == id => Some(Ok::<_, Infallible>(new.clone())),
                    _ => Some(Ok(c.clone())),
                }
            });
            let Ok(store) = CookieStore::from_cookies(kept, true);
            store
        };
        if let Some(new) = edit.add {
            add_cookie(&mut store, new)?;
        }
        let bytes =
            render(&store, self.form, self.bom).map_err(|e| EditError::Render(e.to_string()))?;
        self.cookies = view(&store);
        self.store = store;
        self.bytes = bytes;
        Ok(())
    }

    /// Serialises: the original bytes if nothing was edited, else what
    /// cookie_store writes (`save_incl_expired_and_nonpersistent`) in the form
    /// that was read.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// What cookie_store writes for the current store, whether or not it was edited.
    pub fn render(&self) -> Vec<u8> {
        render(&self.store, self.form, self.bom).unwrap_or_else(|_| self.bytes.clone())
    }
}

/// Reads the one-object-per-line form; blank lines are skipped.
fn load_lines(text: &str) -> Result<CookieStore, ParseError> {
    let mut cookies = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cookie: StoreCookie<'static> =
            serde_json::from_str(line).map_err(|e| json_error(&e, line.as_bytes(), i))?;
        cookies.push(Ok::<_, Infallible>(cookie));
    }
    let Ok(store) = CookieStore::from_cookies(cookies, true);
    Ok(store)
}

/// Writes the store in `form`.
fn render(store: &CookieStore, form: StoreForm, bom: bool) -> cookie_store::Result<Vec<u8>> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(BOM);
    }
    match form {
        StoreForm::Array => {
            cookie_store::serde::json::save_incl_expired_and_nonpersistent(store, &mut out)?
        }
        StoreForm::Lines => {
            store.save_incl_expired_and_nonpersistent(&mut out, serde_json::to_string)?
        }
    }
    Ok(out)
}

/// The read view of every record, in store order.
fn view(store: &CookieStore) -> Vec<OwnedCookie> {
    store
        .iter_any()
        .map(|c| {
            let stored = domain_key(c);
            let same_site = match c.same_site() {
                Some(RawSameSite::None) => SameSite::None,
                Some(RawSameSite::Lax) => SameSite::Lax,
                Some(RawSameSite::Strict) => SameSite::Strict,
                None => SameSite::Unset,
            };
            Cookie {
                name: c.name().to_owned().into(),
                value: c.value().to_owned().into(),
                domain: domain::normalize(stored).into_owned().into(),
                host_only: matches!(c.domain, CookieDomain::HostOnly(_)),
                path: c.path.as_ref().to_owned().into(),
                secure: writes_secure(c),
                http_only: c.http_only().unwrap_or(false),
                same_site,
                expiry: match &c.expires {
                    CookieExpiration::AtUtc(t) => Expiry::At(t.unix_timestamp()),
                    CookieExpiration::SessionEnd => Expiry::Session,
                },
                partition: String::new().into(),
                key: CookieKey::Store(Box::new(StoreKey {
                    domain: stored.to_owned(),
                    path: c.path.as_ref().to_owned(),
                    name: c.name().to_owned(),
                })),
            }
        })
        .collect()
}

/// Whether the cookie is Secure as the `cookie` crate writes it: an explicit
/// `Secure`, or `SameSite=None` (or `Partitioned`) without a `Secure` setting.
fn writes_secure(c: &StoreCookie<'_>) -> bool {
    c.secure() == Some(true)
        || c.partitioned() == Some(true)
        || (c.secure().is_none() && c.same_site() == Some(RawSameSite::None))
}

/// The domain string the store files the cookie under.
fn domain_key<'a>(c: &'a StoreCookie<'_>) -> &'a str {
    match &c.domain {
        CookieDomain::HostOnly(d) | CookieDomain::Suffix(d) => d,
        CookieDomain::NotPresent | CookieDomain::Empty => "",
    }
}

/// (domain, path, name) of a store key.
fn store_id(key: &CookieKey) -> Option<(&str, &str, &str)> {
    match key {
        CookieKey::Store(k) => Some((&k.domain, &k.path, &k.name)),
        _ => None,
    }
}

/// Seconds since the epoch as a date cookie_store can write (years 1 to 9999).
fn datetime(secs: i64) -> OffsetDateTime {
    const MIN: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    OffsetDateTime::from_unix_timestamp(secs.clamp(MIN, MAX)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Sets `expiry` on a raw cookie (as `Expires`, dropping any `Max-Age`) and
/// returns the matching store expiration.
fn set_expiry(raw: &mut RawCookie<'static>, expiry: Expiry) -> CookieExpiration {
    raw.set_max_age(None::<time::Duration>);
    match expiry {
        Expiry::Session => {
            raw.unset_expires();
            CookieExpiration::SessionEnd
        }
        Expiry::At(t) => {
            let at = datetime(t);
            raw.set_expires(at);
            CookieExpiration::AtUtc(at)
        }
    }
}

/// A store cookie's serialised fields, to build one with a chosen domain and
/// path without a request URL (`raw_cookie` is private in cookie_store).
#[derive(Serialize)]
struct Parts<'a> {
    raw_cookie: String,
    path: &'a CookiePath,
    domain: &'a CookieDomain,
    expires: &'a CookieExpiration,
}

/// Builds a store cookie from its parts, through its own serde form.
fn assemble(
    raw: &RawCookie<'_>,
    path: &CookiePath,
    domain: &CookieDomain,
    expires: &CookieExpiration,
) -> Result<StoreCookie<'static>, serde_json::Error> {
    serde_json::from_value(serde_json::to_value(Parts {
        raw_cookie: raw.to_string(),
        path,
        domain,
        expires,
    })?)
}

/// `old` with a new value and expiry; domain, path and flags kept.
fn with_value_and_expiry(
    old: &StoreCookie<'static>,
    value: &str,
    expiry: Expiry,
) -> Result<StoreCookie<'static>, serde_json::Error> {
    let mut raw: RawCookie<'static> = RawCookie::clone(old);
    raw.set_value(value.to_owned());
    let expires = set_expiry(&mut raw, expiry);
    assemble(&raw, &old.path, &old.domain, &expires)
}

/// Adds `new` to the store: through `insert_raw` with an `http(s)://host/`
/// URL, or, when cookie_store refuses it (an already expired cookie, a host
/// that is no URL host), by building the record directly.
fn add_cookie(store: &mut CookieStore, new: &NewCookie) -> Result<(), EditError> {
    let (raw, domain) = raw_cookie(new);
    let scheme = if new.secure { "https" } else { "http" };
    if let Ok(url) = url::Url::parse(&format!("{scheme}://{domain}/"))
        && let Ok(StoreAction::Inserted | StoreAction::UpdatedExisting) =
            store.insert_raw(&raw, &url)
    {
        return Ok(());
    }
    let cookie = store_cookie(new)?;
    let all = store
        .iter_any()
        .cloned()
        .chain(std::iter::once(cookie))
        .map(Ok::<_, Infallible>);
    let Ok(rebuilt) = CookieStore::from_cookies(all, true);
    *store = rebuilt;
    Ok(())
}

/// What [`render_new`] wrote.
#[derive(Debug, Clone)]
pub struct NewStore {
    /// The file: a pretty JSON array, as `cookie_store::serde::json` writes it.
    pub bytes: Vec<u8>,
    /// Cookies left out because a later one had the same domain, path and name.
    pub replaced: usize,
    /// Cookies cookie_store could not hold.
    pub refused: usize,
}

/// A new jar holding `cookies` (what `convert` writes): each record built
/// with its own domain and path (no request URL to check them against, so
/// expired and public-suffix cookies are kept as they are), the store made
/// once, written as the pretty array.
pub fn render_new(cookies: impl Iterator<Item = NewCookie>) -> cookie_store::Result<NewStore> {
    let mut built = Vec::new();
    let mut refused = 0;
    for new in cookies {
        match store_cookie(&new) {
            Ok(c) => built.push(Ok::<_, Infallible>(c)),
            Err(_) => refused += 1,
        }
    }
    let tried = built.len();
    let Ok(store) = CookieStore::from_cookies(built, true);
    Ok(NewStore {
        bytes: render(&store, StoreForm::Array, false)?,
        replaced: tried - store.iter_any().count(),
        refused,
    })
}

/// The `cookie` crate's cookie for `new` (Domain set for a domain cookie),
/// and the domain as a name.
fn raw_cookie(new: &NewCookie) -> (RawCookie<'static>, String) {
    let domain = new.where_sent().into_name();
    let mut raw = RawCookie::new(new.name.clone(), new.value.clone());
    if !new.host_only {
        raw.set_domain(domain.clone());
    }
    raw.set_path(cookie_path(&new.path));
    raw.set_secure(new.secure);
    raw.set_http_only(new.http_only);
    raw.set_same_site(match new.same_site {
        SameSite::None => Some(RawSameSite::None),
        SameSite::Lax => Some(RawSameSite::Lax),
        SameSite::Strict => Some(RawSameSite::Strict),
        SameSite::Unset => None,
    });
    set_expiry(&mut raw, new.expiry);
    (raw, domain)
}

/// The store record for `new`, built from its parts (no request URL).
fn store_cookie(new: &NewCookie) -> Result<StoreCookie<'static>, EditError> {
    let (mut raw, domain) = raw_cookie(new);
    let path = cookie_path(&new.path);
    let expires = set_expiry(&mut raw, new.expiry);
    let domain = if new.host_only {
        CookieDomain::HostOnly(domain)
    } else {
        CookieDomain::Suffix(domain)
    };
    let path = CookiePath::parse(&path)
        .ok_or_else(|| EditError::unwritable(new, "its path is not a cookie path"))?;
    assemble(&raw, &path, &domain, &expires)
        .map_err(|_| EditError::unwritable(new, "cookie_store cannot hold it"))
}

/// A cookie path: `/` added in front when missing.
fn cookie_path(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// The one-based line of byte offset `at`.
fn line_at(bytes: &[u8], at: usize) -> usize {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// A serde_json error as a positioned message that says what was expected
/// and never repeats a string from the file (it may be a cookie value).
fn json_error(e: &serde_json::Error, text: &[u8], first_line: usize) -> ParseError {
    let h = JsonError::new(e, text);
    let what = match h.category {
        Category::Data => "expected a cookie_store cookie record",
        _ => h.summary(),
    };
    let mut detail = h.private();
    if h.detail.starts_with("Could not parse string '") {
        // cookie_store's date error quotes the date with single quotes.
        detail = "expected an RFC 3339 UTC time such as `2100-08-03T00:38:37Z`".into();
    }
    ParseError {
        line: first_line + h.line,
        message: format!("{what}: {detail}{}", h.at_column()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetCookie;

    /// A store written by cookie_store itself: a persistent, a session, an
    /// expired and a domain cookie, over three domains.
    fn crate_written(form: StoreForm) -> Vec<u8> {
        let a = url::Url::parse("https://a.example.com/app/page").expect("url");
        let b = url::Url::parse("http://b.example.org/").expect("url");
        let cookies = [
            (
                "sid=s1; Secure; HttpOnly; SameSite=Strict; Path=/; Expires=Tue, 03 Aug 2100 00:38:37 GMT",
                &a,
            ),
            ("sess=s2; SameSite=Lax", &a),
            ("old=s3; Path=/; Expires=Thu, 03 Aug 2000 00:38:37 GMT", &b),
            (
                "wide=s4; Domain=example.org; Path=/; Expires=Tue, 03 Aug 2100 00:38:37 GMT",
                &b,
            ),
            ("none=s5; SameSite=None; Secure; Path=/x", &b),
        ];
        let cookies = cookies
            .iter()
            .map(|(s, u)| StoreCookie::parse(*s, u).map(StoreCookie::into_owned));
        let store = CookieStore::from_cookies(cookies, true).expect("cookies");
        let mut out = Vec::new();
        match form {
            StoreForm::Array => {
                cookie_store::serde::json::save_incl_expired_and_nonpersistent(&store, &mut out)
                    .expect("save")
            }
            StoreForm::Lines => store
                .save_incl_expired_and_nonpersistent(&mut out, serde_json::to_string)
                .expect("save"),
        }
        out
    }

    fn key(domain: &str, path: &str, name: &str) -> CookieKey {
        CookieKey::Store(Box::new(StoreKey {
            domain: domain.into(),
            path: path.into(),
            name: name.into(),
        }))
    }

    #[test]
    fn array_view_and_identical_round_trip() {
        let bytes = crate_written(StoreForm::Array);
        let jar = StoreJar::parse(&bytes).expect("parse");
        assert_eq!(jar.form(), StoreForm::Array);
        assert_eq!(
            jar.render(),
            bytes,
            "cookie_store writes back what it wrote"
        );
        assert_eq!(jar.to_bytes(), bytes);
        let c = jar.cookies();
        let names: Vec<String> = c.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(names, ["sid", "sess", "old", "none", "wide"]);
        assert_eq!(
            c[0],
            Cookie {
                name: "sid".into(),
                value: "s1".into(),
                domain: "a.example.com".into(),
                host_only: true,
                path: "/".into(),
                secure: true,
                http_only: true,
                same_site: SameSite::Strict,
                expiry: Expiry::At(4_120_936_717),
                partition: "".into(),
                key: key("a.example.com", "/", "sid"),
            }
        );
        assert_eq!(c[1].expiry, Expiry::Session);
        assert_eq!(c[1].same_site, SameSite::Lax);
        assert_eq!(c[1].path, "/app");
        assert_eq!(c[2].expiry, Expiry::At(965_263_117));
        assert_eq!(c[3].same_site, SameSite::None);
        assert!(c[3].secure);
        assert_eq!(c[4].domain, "example.org");
        assert!(!c[4].host_only);
        assert_eq!(c[4].same_site, SameSite::Unset);
        assert_eq!(c[4].key, key("example.org", "/", "wide"));
    }

    #[test]
    fn lines_view_and_identical_round_trip() {
        let bytes = crate_written(StoreForm::Lines);
        assert!(bytes.starts_with(b"{\"raw_cookie\""));
        let jar = StoreJar::parse(&bytes).expect("parse");
        assert_eq!(jar.form(), StoreForm::Lines);
        assert_eq!(jar.render(), bytes);
        assert_eq!(jar.cookies().len(), 5);
    }

    #[test]
    fn empty_array() {
        let jar = StoreJar::parse(b"[]\n").expect("parse");
        assert!(jar.cookies().is_empty());
        assert_eq!(jar.render(), b"[]\n");
    }

    #[test]
    fn unedited_files_are_kept_as_read() {
        // Not as cookie_store would write it: CRLF, no final newline, and a
        // domain split in two runs (cookie_store groups records by domain).
        let text = "[{\"raw_cookie\":\"a=1\",\"path\":[\"/\",false],\"domain\":{\"HostOnly\":\"x.test\"},\"expires\":\"SessionEnd\"},\r\n\
{\"raw_cookie\":\"b=2\",\"path\":[\"/\",false],\"domain\":{\"HostOnly\":\"y.test\"},\"expires\":\"SessionEnd\"},\r\n\
{\"raw_cookie\":\"c=3\",\"path\":[\"/\",false],\"domain\":{\"HostOnly\":\"x.test\"},\"expires\":\"SessionEnd\"}]";
        let mut jar = StoreJar::parse(text.as_bytes()).expect("parse");
        assert_eq!(jar.to_bytes(), text.as_bytes());
        let names: Vec<String> = jar.cookies().iter().map(|c| c.name.to_string()).collect();
        assert_eq!(names, ["a", "c", "b"], "cookie_store's own order");
        jar.apply(&Edits {
            remove: vec![key("y.test", "/", "b")],
            set: None,
        })
        .expect("known key");
        let reread = StoreJar::parse(&jar.to_bytes()).expect("reparse");
        assert_eq!(reread.cookies(), jar.cookies());
        assert!(jar.to_bytes().starts_with(b"[\n  {\n"));
    }

    #[test]
    fn byte_order_mark_is_kept() {
        let mut jar = StoreJar::parse(b"\xEF\xBB\xBF[]\n").expect("parse");
        assert_eq!(jar.render(), b"\xEF\xBB\xBF[]\n");
        jar.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Add(pref(Expiry::Session))),
        })
        .expect("add");
        assert!(jar.to_bytes().starts_with(b"\xEF\xBB\xBF[\n"));
        assert_eq!(jar.cookies().len(), 1);
    }

    fn pref(expiry: Expiry) -> NewCookie {
        NewCookie {
            name: "cookies_preferences".into(),
            value: "%7B%22v%22%3A1%7D".into(),
            domain: "a.example.com".into(),
            host_only: true,
            path: "/".into(),
            secure: true,
            http_only: false,
            same_site: SameSite::Lax,
            expiry,
        }
    }

    fn check_apply(form: StoreForm) {
        let bytes = crate_written(form);
        let mut jar = StoreJar::parse(&bytes).expect("parse");
        let before = jar.cookies().to_vec();
        jar.apply(&Edits {
            remove: vec![
                key("b.example.org", "/", "old"),
                key("a.example.com", "/app", "sess"),
            ],
            set: Some(SetCookie::Replace {
                key: key("example.org", "/", "wide"),
                value: "new value".into(),
                expiry: Expiry::At(4_000_000_000),
            }),
        })
        .expect("known keys");
        let after = jar.cookies();
        let names: Vec<String> = after.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(names, ["sid", "none", "wide"]);
        let wide = &after[2];
        assert_eq!(wide.value, "new value");
        assert_eq!(wide.expiry, Expiry::At(4_000_000_000));
        let old_wide = &before[4];
        assert_eq!(
            (
                &wide.domain,
                wide.host_only,
                &wide.path,
                wide.secure,
                wide.http_only,
                wide.same_site
            ),
            (
                &old_wide.domain,
                old_wide.host_only,
                &old_wide.path,
                old_wide.secure,
                old_wide.http_only,
                old_wide.same_site
            )
        );
        // What was written reads back the same, in the same form.
        let reread = StoreJar::parse(&jar.to_bytes()).expect("reparse");
        assert_eq!(reread.form(), form);
        assert_eq!(reread.cookies(), jar.cookies());
        assert_eq!(reread.render(), jar.to_bytes());

        jar.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Add(pref(Expiry::At(4_100_000_000)))),
        })
        .expect("add");
        // cookie_store files it with its domain, a.example.com, right after sid.
        let names: Vec<String> = jar.cookies().iter().map(|c| c.name.to_string()).collect();
        assert_eq!(names, ["sid", "cookies_preferences", "none", "wide"]);
        let added = jar.cookies()[1].clone();
        assert_eq!(
            added,
            Cookie {
                name: "cookies_preferences".into(),
                value: "%7B%22v%22%3A1%7D".into(),
                domain: "a.example.com".into(),
                host_only: true,
                path: "/".into(),
                secure: true,
                http_only: false,
                same_site: SameSite::Lax,
                expiry: Expiry::At(4_100_000_000),
                partition: "".into(),
                key: key("a.example.com", "/", "cookies_preferences"),
            }
        );
        let reread = StoreJar::parse(&jar.to_bytes()).expect("reparse");
        assert_eq!(reread.cookies(), jar.cookies());
    }

    #[test]
    fn apply_array() {
        check_apply(StoreForm::Array);
    }

    #[test]
    fn apply_lines() {
        check_apply(StoreForm::Lines);
    }

    #[test]
    fn add_domain_session_and_expired_cookies() {
        let mut jar = StoreJar::parse(b"[]\n").expect("parse");
        let mut wide = pref(Expiry::Session);
        wide.host_only = false;
        wide.domain = ".Example.com".into();
        jar.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Add(wide)),
        })
        .expect("add");
        let c = &jar.cookies()[0];
        assert_eq!(
            (c.domain.as_ref(), c.host_only, c.expiry),
            ("example.com", false, Expiry::Session)
        );

        // cookie_store refuses to insert an expired cookie; it is kept anyway.
        jar.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Add(pref(Expiry::At(1_000)))),
        })
        .expect("add expired");
        assert_eq!(jar.cookies().len(), 2);
        assert_eq!(jar.cookies()[1].expiry, Expiry::At(1_000));
        let reread = StoreJar::parse(&jar.to_bytes()).expect("reparse");
        assert_eq!(reread.cookies(), jar.cookies());
    }

    #[test]
    fn a_cookie_the_store_cannot_hold_is_refused_as_such() {
        let bytes = crate_written(StoreForm::Array);
        let mut jar = StoreJar::parse(&bytes).expect("parse");
        let bad = NewCookie {
            name: "x;y".into(),
            domain: "no host".into(),
            ..pref(Expiry::Session)
        };
        let err = jar.apply(&Edits {
            remove: vec![key("a.example.com", "/", "sid")],
            set: Some(SetCookie::Add(bad)),
        });
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("cannot write cookie x;y on no host: cookie_store cannot hold it".into())
        );
        assert_eq!(jar.cookies().len(), 5);
        assert_eq!(jar.to_bytes(), bytes);
    }

    #[test]
    fn unknown_keys_change_nothing() {
        let bytes = crate_written(StoreForm::Array);
        let mut jar = StoreJar::parse(&bytes).expect("parse");
        let missing = key("a.example.com", "/", "nope");
        let err = jar.apply(&Edits {
            remove: vec![key("a.example.com", "/", "sid"), missing.clone()],
            set: None,
        });
        assert_eq!(err, Err(EditError::NoSuchRecord(missing)));
        assert_eq!(
            jar.apply(&Edits {
                remove: vec![CookieKey::Line(1)],
                set: None
            }),
            Err(EditError::NoSuchRecord(CookieKey::Line(1)))
        );
        let sid = key("a.example.com", "/", "sid");
        assert_eq!(
            jar.apply(&Edits {
                remove: vec![sid.clone()],
                set: Some(SetCookie::Replace {
                    key: sid.clone(),
                    value: "x".into(),
                    expiry: Expiry::Session
                }),
            }),
            Err(EditError::ReplaceRemoved(sid))
        );
        assert_eq!(jar.cookies().len(), 5);
        assert_eq!(jar.to_bytes(), bytes);
        jar.apply(&Edits::default()).expect("nothing to do");
        assert_eq!(jar.to_bytes(), bytes);
    }

    #[test]
    fn json_errors_name_the_line_and_hide_values() {
        let e = StoreJar::parse(
            b"[\n  {\n    \"raw_cookie\": \"a=b\",\n    \"path\": [\"/\", true]\n  }\n]\n",
        )
        .expect_err("missing fields");
        assert_eq!(e.line, 5);
        assert!(
            e.message
                .starts_with("expected a cookie_store cookie record: missing field `domain`"),
            "{}",
            e.message
        );

        let e = StoreJar::parse(b"[\n  {\"raw_cookie\": \"=s3cret; ;;\", \"path\": [\"/\", true], \"domain\": {\"HostOnly\": \"a\"}, \"expires\": \"SessionEnd\"}\n]")
            .expect_err("bad raw cookie");
        assert_eq!(e.line, 2);
        assert!(!e.message.contains("s3cret"), "{}", e.message);
        assert!(
            e.message.contains("expected a cookie string"),
            "{}",
            e.message
        );

        let e = StoreJar::parse(
            br#"[{"raw_cookie": "a=b", "path": ["/", true], "domain": {"HostOnly": "a"}, "expires": {"AtUtc": "s3cret"}}]"#,
        )
        .expect_err("bad date");
        assert_eq!(
            e.message,
            "expected a cookie_store cookie record: expected an RFC 3339 UTC time such as `2100-08-03T00:38:37Z` (column 103)"
        );

        let e = StoreJar::parse(b"[\n  {\"raw_cookie\": \"a=b\",\n").expect_err("eof");
        assert!(
            e.message.starts_with("the JSON ends too early"),
            "{}",
            e.message
        );

        let line = String::from_utf8(crate_written(StoreForm::Lines)).expect("utf8");
        let first = line.lines().next().expect("a line");
        let text = format!("{first}\n{{\"raw_cookie\": true}}\n");
        let e = StoreJar::parse(text.as_bytes()).expect_err("bad second line");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("invalid type: boolean"), "{}", e.message);

        let e = StoreJar::parse(b"[\n\xff]").expect_err("utf8");
        assert_eq!(e.line, 2);
    }
}
