//! httpie session files (`http --session=NAME_OR_PATH`): a JSON object with
//! `__meta__`, `auth`, `headers` and `cookies`, in one of two layouts:
//!
//! - httpie 3.1 and later: `cookies` is a list of objects with `domain`,
//!   `expires` (seconds, `null` for a session cookie), `name`, `path`,
//!   `secure`, `value`, keys sorted;
//! - before 3.1: `cookies` is an object keyed by cookie name, each entry with
//!   `expires`, `path`, `secure`, `value` and no domain: every cookie belongs
//!   to the host the session is bound to. That host is read from the folder
//!   httpie keeps named sessions in (`.../sessions/HOST[_PORT]/NAME.json`);
//!   elsewhere it is unknown and the cookies show an empty domain. A list
//!   entry with an empty `domain` (httpie's "explicitly none") is read the same way.
//!
//! Lossless: the rest of the session (headers, auth, `__meta__`, unknown
//! fields) and every field of every cookie are kept, the bytes as read until
//! an edit. A cookie's identity is its index in `cookies`.

use std::path::Path;

use super::cookie_array::{CookieArray, Dialect, Session};
use super::edit::{EditError, remove_sorted};
use super::json_tree::{self, Json, Layout, member_element_line};
use crate::domain;
use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite};

/// httpie's spelling of a cookie in the list layout (keys sorted).
pub static DIALECT: Dialect = Dialect {
    what: "an httpie session",
    expiry_field: "expires",
    session: Session::Null,
    unset_same_site: None,
    partition_as_string: true,
    order: &["domain", "expires", "name", "path", "secure", "value"],
    optional_from: 6,
};

/// The cookies of a session, in its layout.
#[derive(Debug, Clone)]
enum Layout2 {
    /// httpie 3.1+: a list of cookie objects.
    List(CookieArray),
    /// Before 3.1: an object keyed by name.
    Dict(Vec<(String, Json)>),
}

/// An httpie session: the whole document, its cookies, how it was laid out.
#[derive(Debug, Clone)]
pub struct HttpieSession {
    others: Vec<(String, Json)>,
    cookies_at: usize,
    cookies: Layout2,
    host: String,
    view: Vec<OwnedCookie>,
    layout: Layout,
    bytes: Vec<u8>,
}

/// The host a session file is bound to, from the folder httpie keeps it
/// in (`sessions/HOST_PORT/NAME.json`); empty when it is not there.
pub fn bound_host(path: &Path) -> String {
    let parent = path.parent();
    let in_sessions = parent
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .is_some_and(|n| n == "sessions");
    let Some(dir) = parent.and_then(Path::file_name).and_then(|n| n.to_str()) else {
        return String::new();
    };
    if !in_sessions {
        return String::new();
    }
    match dir.rsplit_once('_') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            host.to_owned()
        }
        _ => dir.to_owned(),
    }
}

impl HttpieSession {
    /// Parses a session; `host` is the host it is bound to ([`bound_host`]),
    /// used for cookies that name no domain.
    pub fn parse(bytes: &[u8], host: &str) -> Result<HttpieSession, ParseError> {
        let body = super::without_bom(bytes);
        let what = "an httpie session (an object with \"cookies\" and \"headers\")";
        let doc = json_tree::object_with_cookies(
            bytes,
            what,
            "an httpie session without a \"cookies\" field (a list since httpie \
             3.1, an object before)",
        )?;
        let line_of = |i| member_element_line(body, "cookies", i);
        let cookies = match doc.cookies {
            Json::Array(items) => Layout2::List(CookieArray::new(&DIALECT, items, line_of)?),
            Json::Object(entries) => {
                if let Some(i) = entries
                    .iter()
                    .position(|(_, e)| !matches!(e, Json::Object(_)))
                {
                    return Err(ParseError {
                        line: line_of(i),
                        message: format!(
                            "cookie {:?} is not an object with \"value\", \"path\", \"expires\"",
                            entries[i].0
                        ),
                    });
                }
                Layout2::Dict(entries)
            }
            _ => {
                return Err(ParseError {
                    line: line_of(0),
                    message: "\"cookies\" is neither a list (httpie 3.1+) nor an object".into(),
                });
            }
        };
        let mut session = HttpieSession {
            others: doc.others,
            cookies_at: doc.cookies_at,
            cookies,
            host: host.to_owned(),
            view: Vec::new(),
            layout: Layout::of(bytes),
            bytes: bytes.to_vec(),
        };
        session.view = session.make_view();
        Ok(session)
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.view
    }

    /// Whether the session has the layout of httpie before 3.1.
    pub fn is_legacy(&self) -> bool {
        matches!(self.cookies, Layout2::Dict(_))
    }

    /// The file's content: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Applies the edits to the cookies; the rest of the session is kept.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let changed = match &mut self.cookies {
            Layout2::List(array) => array.apply(edits)?,
            Layout2::Dict(entries) => apply_dict(entries, edits)?,
        };
        if changed {
            self.view = self.make_view();
            self.bytes = self.render();
        }
        Ok(())
    }

    /// The read view: list cookies as read (an empty domain is the bound
    /// host), dict cookies on the bound host.
    fn make_view(&self) -> Vec<OwnedCookie> {
        match &self.cookies {
            Layout2::List(array) => array
                .cookies()
                .iter()
                .map(|c| match c.domain.is_empty() {
                    true => Cookie {
                        domain: domain::normalize(&self.host).into_owned().into(),
                        host_only: true,
                        ..c.clone()
                    },
                    false => c.clone(),
                })
                .collect(),
            Layout2::Dict(entries) => entries
                .iter()
                .enumerate()
                .map(|(i, (name, e))| dict_view(name, e, &self.host, i))
                .collect(),
        }
    }

    /// The document, `cookies` back at its place.
    fn render(&self) -> Vec<u8> {
        let mut fields = self.others.clone();
        let cookies = match &self.cookies {
            Layout2::List(array) => Json::Array(array.items().to_vec()),
            Layout2::Dict(entries) => Json::Object(entries.clone()),
        };
        fields.insert(
            self.cookies_at.min(fields.len()),
            ("cookies".into(), cookies),
        );
        self.layout.render(&Json::Object(fields))
    }
}

/// The read view of a dict-layout entry (`i`: its index).
fn dict_view(name: &str, e: &Json, host: &str, i: usize) -> OwnedCookie {
    let stored = e.str("domain").filter(|d| !d.is_empty()).unwrap_or(host);
    Cookie {
        value: e.str("value").unwrap_or_default().to_owned().into(),
        domain: domain::normalize(stored).into_owned().into(),
        host_only: !stored.starts_with('.'),
        path: e.str("path").unwrap_or("/").to_owned().into(),
        secure: e.bool("secure").unwrap_or(false),
        http_only: false,
        same_site: SameSite::Unset,
        expiry: e
            .f64("expires")
            .map_or(Expiry::Session, Expiry::from_seconds),
        partition: "".into(),
        key: CookieKey::Index(i),
        name: name.to_owned().into(),
    }
}

/// The `expires` httpie writes.
fn expires(expiry: Expiry) -> Json {
    match expiry {
        Expiry::At(t) => Json::Number(t.into()),
        Expiry::Session => Json::Null,
    }
}

/// Edits on the dict layout; a new cookie whose name is taken is refused
/// (the layout holds one cookie per name).
fn apply_dict(entries: &mut Vec<(String, Json)>, edits: &Edits) -> Result<bool, EditError> {
    let Some(edit) = edits.resolve_indexed(entries.len())? else {
        return Ok(false);
    };
    if let Some(new) = edit.add {
        let kept = |i: usize| !edit.removes(&i);
        if entries
            .iter()
            .enumerate()
            .any(|(i, (n, _))| kept(i) && *n == new.name)
        {
            return Err(EditError::unwritable(
                new,
                "this httpie session (the layout before 3.1) holds one cookie per name",
            ));
        }
    }
    if let Some(r) = &edit.replace {
        let e = &mut entries[r.at].1;
        e.set("value", Json::String(r.value.to_owned()));
        e.set("expires", expires(r.expiry));
    }
    remove_sorted(entries, &edit.remove);
    if let Some(new) = edit.add {
        entries.push((new.name.clone(), dict_entry(new)));
    }
    Ok(true)
}

/// A dict-layout entry as httpie 3.0 writes it (keys sorted).
fn dict_entry(new: &NewCookie) -> Json {
    Json::Object(vec![
        ("expires".into(), expires(new.expiry)),
        ("path".into(), Json::String(new.path.clone())),
        ("secure".into(), Json::Bool(new.secure)),
        ("value".into(), Json::String(new.value.clone())),
    ])
}

/// A session holding `items` (list layout) and nothing else of a session
/// but what httpie writes (what `convert` writes), laid out as httpie writes it.
pub fn render_new(items: Vec<Json>) -> Vec<u8> {
    let null = || Json::Null;
    let doc = Json::Object(vec![
        (
            "__meta__".into(),
            Json::Object(vec![
                ("about".into(), Json::String("HTTPie session file".into())),
                (
                    "help".into(),
                    Json::String("https://httpie.io/docs#sessions".into()),
                ),
                ("httpie".into(), Json::String("3.2.4".into())),
            ]),
        ),
        (
            "auth".into(),
            Json::Object(vec![
                ("password".into(), null()),
                ("type".into(), null()),
                ("username".into(), null()),
            ]),
        ),
        ("cookies".into(), Json::Array(items)),
        ("headers".into(), Json::Array(Vec::new())),
    ]);
    let mut out = Layout::of(b"{\n    \"a\": 1\n}").render(&doc);
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetCookie;

    const LIST: &str = "{\n    \"__meta__\": {\"httpie\": \"3.2.4\"},\n    \"cookies\": [\n        {\"domain\": \".x.com\", \"expires\": null, \"name\": \"a\", \"path\": \"/\", \"secure\": true, \"value\": \"1\"},\n        {\"domain\": \"\", \"expires\": 2106460800, \"name\": \"b\", \"path\": \"/p\", \"secure\": false, \"value\": \"2\"}\n    ],\n    \"headers\": [{\"name\": \"X\", \"value\": \"y\"}]\n}\n";
    const DICT: &str = "{\n    \"cookies\": {\n        \"a\": {\"expires\": null, \"path\": \"/\", \"secure\": true, \"value\": \"1\"},\n        \"b\": {\"expires\": 2106460800, \"path\": \"/p\", \"secure\": false, \"value\": \"2\"}\n    },\n    \"headers\": {\"X\": \"y\"}\n}\n";

    fn set(key: usize, expiry: Expiry) -> Edits {
        Edits {
            remove: vec![],
            set: Some(SetCookie::Replace {
                key: CookieKey::Index(key),
                value: "v".into(),
                expiry,
            }),
        }
    }

    #[test]
    fn both_layouts_read_and_round_trip() {
        let s = HttpieSession::parse(LIST.as_bytes(), "h.example").unwrap();
        let c = s.cookies();
        assert_eq!((c[0].domain.as_ref(), c[0].host_only), ("x.com", false));
        assert_eq!((c[0].expiry, c[0].secure), (Expiry::Session, true));
        assert_eq!((c[1].domain.as_ref(), c[1].host_only), ("h.example", true));
        assert_eq!(c[1].expiry, Expiry::At(2_106_460_800));
        assert_eq!(s.to_bytes(), LIST.as_bytes());
        let d = HttpieSession::parse(DICT.as_bytes(), "h.example").unwrap();
        assert!(d.is_legacy());
        let c = d.cookies();
        assert_eq!((c[1].name.as_ref(), c[1].path.as_ref()), ("b", "/p"));
        assert_eq!(c[0].domain, "h.example");
        assert_eq!(d.to_bytes(), DICT.as_bytes());
    }

    #[test]
    fn a_session_expiry_is_null_and_the_rest_is_kept() {
        let mut s = HttpieSession::parse(LIST.as_bytes(), "").unwrap();
        s.apply(&set(1, Expiry::Session)).unwrap();
        let text = String::from_utf8(s.to_bytes()).unwrap();
        assert!(
            text.contains("\"expires\": null,\n            \"name\": \"b\""),
            "{text}"
        );
        assert!(text.contains("\"headers\": [\n        {\n            \"name\": \"X\""));
        let mut d = HttpieSession::parse(DICT.as_bytes(), "").unwrap();
        d.apply(&set(0, Expiry::At(5))).unwrap();
        let text = String::from_utf8(d.to_bytes()).unwrap();
        assert!(
            text.contains("\"a\": {\n            \"expires\": 5,"),
            "{text}"
        );
        assert!(
            text.contains("\"headers\": {\n        \"X\": \"y\"\n    }"),
            "{text}"
        );
    }

    #[test]
    fn the_old_layout_holds_one_cookie_per_name() {
        let mut d = HttpieSession::parse(DICT.as_bytes(), "").unwrap();
        let new = NewCookie {
            name: "a".into(),
            value: "v".into(),
            domain: "h.example".into(),
            host_only: true,
            path: "/other".into(),
            secure: false,
            http_only: false,
            same_site: SameSite::Lax,
            expiry: Expiry::Session,
        };
        let add = Edits {
            remove: vec![],
            set: Some(SetCookie::Add(new.clone())),
        };
        assert!(matches!(d.apply(&add), Err(EditError::Unwritable { .. })));
        assert_eq!(d.to_bytes(), DICT.as_bytes());
        let replace_it = Edits {
            remove: vec![CookieKey::Index(0)],
            set: Some(SetCookie::Add(new)),
        };
        d.apply(&replace_it).unwrap();
        assert_eq!(d.cookies()[1].path, "/other");
    }

    #[test]
    fn bound_host_comes_from_httpie_s_folder() {
        let p = Path::new("/home/u/.config/httpie/sessions/localhost_8000/dev.json");
        assert_eq!(bound_host(p), "localhost");
        let p = Path::new("/c/httpie/sessions/api.example.org/s.json");
        assert_eq!(bound_host(p), "api.example.org");
        assert_eq!(bound_host(Path::new("/tmp/s.json")), "");
    }

    #[test]
    fn bad_sessions_say_what_is_missing() {
        let e = HttpieSession::parse(b"{\"headers\": {}}", "").unwrap_err();
        assert!(
            e.message.contains("without a \"cookies\" field"),
            "{}",
            e.message
        );
        let e = HttpieSession::parse(b"{\n\"cookies\": {\n\"a\": 3}, \"headers\": {}}", "")
            .unwrap_err();
        assert_eq!(e.line, 3, "{}", e.message);
        let e = HttpieSession::parse(b"{\"cookies\": 3, \"headers\": {}}", "").unwrap_err();
        assert!(e.message.contains("neither a list"), "{}", e.message);
    }
}
