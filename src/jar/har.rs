//! HAR 1.2 captures (browsers' devtools, Playwright's `record_har_path`),
//! read only: the cookies of `log.entries[].response.cookies` (what the
//! server set) and of `request.cookies` (what the browser sent), one per
//! name, domain and path, the latest attributes kept.
//!
//! A response cookie without `domain` is host-only on the entry's URL host,
//! without `path` on the URL's default path (RFC 6265 §5.1.4). A request
//! cookie carries only its name and value: it is shown when no response
//! cookie of that name would be sent to the URL's host, host-only on that
//! host with path `/`. A HAR is a record of traffic, not a jar: every edit
//! is refused, and it is saved as read.

use serde::Deserialize;

use super::edit::EditError;
use crate::domain;
use crate::jar::ParseError;
use crate::json_error::JsonError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, OwnedCookie, SameSite};

/// The part of a HAR file crumbs reads (serde skips the rest).
#[derive(Deserialize)]
struct Har {
    log: Log,
}

#[derive(Deserialize)]
struct Log {
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    request: Request,
    #[serde(default)]
    response: Option<Response>,
}

#[derive(Deserialize)]
struct Request {
    url: String,
    #[serde(default)]
    cookies: Vec<HarCookie>,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    cookies: Vec<HarCookie>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HarCookie {
    name: String,
    #[serde(default)]
    value: String,
    path: Option<String>,
    domain: Option<String>,
    expires: Option<String>,
    http_only: Option<bool>,
    secure: Option<bool>,
    same_site: Option<String>,
}

/// A HAR file: its bytes and the cookies read from it.
#[derive(Debug, Clone)]
pub struct HarFile {
    cookies: Vec<OwnedCookie>,
    bytes: Vec<u8>,
}

/// Why a HAR is never edited (shown by `prune`, `remove`, `consent`, the TUI's save).
pub const READ_ONLY: &str = "a HAR file is a record of HTTP traffic, not a cookie jar: crumbs \
     lists, checks and converts its cookies but never changes it (crumbs convert FILE --to \
     netscape --output cookies.txt makes a jar of them)";

impl HarFile {
    /// Reads the cookies of every entry.
    pub fn parse(bytes: &[u8]) -> Result<HarFile, ParseError> {
        let body = super::without_bom(bytes);
        let har: Har = serde_json::from_slice(body).map_err(|e| {
            // A HAR holds cookie values: the message quotes none of it.
            let h = JsonError::new(&e, body);
            ParseError {
                line: h.line,
                message: format!(
                    "{} ({}); expected a HAR 1.2 file (\"log\" with \"entries\", each with a \
                     \"request\" and its \"url\")",
                    h.summary(),
                    h.private()
                ),
            }
        })?;
        Ok(HarFile {
            cookies: collect(&har.log.entries),
            bytes: bytes.to_vec(),
        })
    }

    /// The cookies, deduplicated by name, domain and path; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// Refuses every edit: a HAR is read only.
    pub fn apply(&mut self, _edits: &Edits) -> Result<(), EditError> {
        Err(EditError::ReadOnly(READ_ONLY))
    }

    /// The file as read.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }
}

/// The cookies of `entries`: response cookies first (a later one replaces
/// the attributes of an earlier one with the same name, domain and path),
/// then request cookies that no response cookie accounts for.
fn collect(entries: &[Entry]) -> Vec<OwnedCookie> {
    let mut out: Vec<OwnedCookie> = Vec::new();
    let put = |c: OwnedCookie, out: &mut Vec<OwnedCookie>| {
        let same = |o: &OwnedCookie| {
            o.name == c.name
                && o.domain == c.domain
                && o.host_only == c.host_only
                && o.path == c.path
        };
        match out.iter_mut().find(|o| same(o)) {
            Some(o) => {
                *o = Cookie {
                    key: o.key.clone(),
                    ..c
                }
            }
            None => {
                let key = CookieKey::Index(out.len());
                out.push(Cookie { key, ..c });
            }
        }
    };
    for e in entries {
        let Some(url) = url::Url::parse(&e.request.url).ok() else {
            continue;
        };
        let Some(host) = url.host_str() else { continue };
        for c in e.response.iter().flat_map(|r| &r.cookies) {
            put(response_cookie(c, host, url.path()), &mut out);
        }
    }
    for e in entries {
        let Some(url) = url::Url::parse(&e.request.url).ok() else {
            continue;
        };
        let Some(host) = url.host_str() else { continue };
        for c in &e.request.cookies {
            if !out.iter().any(|o| o.name == c.name && o.sent_to(host)) {
                let mut sent = response_cookie(c, host, "/");
                sent.path = c.path.clone().unwrap_or_else(|| "/".into()).into();
                put(sent, &mut out);
            }
        }
    }
    out
}

/// A cookie as a response set it, at `host` for a request to `path`.
fn response_cookie(c: &HarCookie, host: &str, path: &str) -> OwnedCookie {
    let (stored, host_only) = match c.domain.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => (d, false),
        None => (host, true),
    };
    Cookie {
        value: c.value.clone().into(),
        domain: domain::normalize(stored).into_owned().into(),
        host_only,
        path: c.path.clone().unwrap_or_else(|| default_path(path)).into(),
        secure: c.secure.unwrap_or(false),
        http_only: c.http_only.unwrap_or(false),
        same_site: c
            .same_site
            .as_deref()
            .map_or(SameSite::Unset, SameSite::parse),
        expiry: c
            .expires
            .as_deref()
            .and_then(Expiry::from_iso8601)
            .unwrap_or(Expiry::Session),
        partition: "".into(),
        key: CookieKey::Index(0),
        name: c.name.clone().into(),
    }
}

/// RFC 6265's default path: the request path up to its last `/`.
fn default_path(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => path[..i].into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAR: &str = r#"{"log": {"version": "1.2", "entries": [
{"request": {"url": "https://www.x.com/a/b", "cookies": [{"name": "sid", "value": "1"}, {"name": "old", "value": "9"}]},
 "response": {"cookies": [{"name": "sid", "value": "2", "path": "/", "secure": true, "httpOnly": true, "sameSite": "Lax"},
                          {"name": "_ga", "value": "g", "domain": ".x.com", "expires": "2037-01-01T00:00:00.000Z"},
                          {"name": "deep", "value": "d"}]}},
{"request": {"url": "https://www.x.com/", "cookies": [{"name": "_ga", "value": "g"}]},
 "response": {"cookies": [{"name": "sid", "value": "3", "path": "/"}]}}
]}}"#;

    #[test]
    fn cookies_of_requests_and_responses_once_each() {
        let h = HarFile::parse(HAR.as_bytes()).unwrap();
        let c = h.cookies();
        let names: Vec<&str> = c.iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, ["sid", "_ga", "deep", "old"]);
        assert_eq!(
            (c[0].value.as_ref(), c[0].secure),
            ("3", false),
            "the latest wins"
        );
        assert_eq!((c[0].domain.as_ref(), c[0].host_only), ("www.x.com", true));
        assert_eq!((c[1].domain.as_ref(), c[1].host_only), ("x.com", false));
        assert_eq!(c[1].expiry, Expiry::At(2_114_380_800));
        assert_eq!(c[2].path, "/a", "the default path");
        assert_eq!((c[3].path.as_ref(), c[3].value.as_ref()), ("/", "9"));
        assert_eq!(c[3].key, CookieKey::Index(3));
        assert_eq!(h.to_bytes(), HAR.as_bytes());
    }

    #[test]
    fn every_edit_is_refused() {
        let mut h = HarFile::parse(HAR.as_bytes()).unwrap();
        let e = h.apply(&Edits::default()).unwrap_err();
        assert!(e.to_string().contains("record of HTTP traffic"), "{e}");
    }

    #[test]
    fn a_broken_har_names_line_and_field() {
        let e = HarFile::parse(b"{\"log\": {\n\"version\": \"1.2\"}}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("missing field `entries`"),
            "{}",
            e.message
        );
        let e = HarFile::parse(b"{\"log\": {\"entries\": [\n{\"request\": {}}]}}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("missing field `url`"), "{}", e.message);
    }
}
