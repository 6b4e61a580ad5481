//! Playwright's `storageState` JSON (`context.storage_state(path=...)`):
//! `{"cookies": [...], "origins": [{"origin", "localStorage": [...]}]}`.
//!
//! `expires` is in seconds (`-1`: a session cookie), `sameSite` is `Strict`,
//! `Lax` or `None` (always written). Everything but the cookies that an edit
//! touches — `origins` and its localStorage, unknown top-level fields, every
//! field of every other cookie — is kept as read; with no edit, the bytes.

use super::cookie_array::{CookieArray, Dialect, Session};
use super::json_tree::{self, Json, Layout, member_element_line};
use crate::jar::ParseError;
use crate::jar::edit::EditError;
use crate::model::{Edits, OwnedCookie};

/// Playwright's spelling of a cookie.
pub static DIALECT: Dialect = Dialect {
    what: "a Playwright storage state",
    expiry_field: "expires",
    session: Session::MinusOne,
    unset_same_site: Some("Lax"),
    partition_as_string: true,
    order: &[
        "name",
        "value",
        "domain",
        "path",
        "expires",
        "httpOnly",
        "secure",
        "sameSite",
        "partitionKey",
    ],
    optional_from: 9,
};

/// A storage state: the whole document, its cookies, how it was laid out.
#[derive(Debug, Clone)]
pub struct StorageState {
    /// The top-level object's fields other than `cookies`, in order, with
    /// the position `cookies` had among them.
    others: Vec<(String, Json)>,
    cookies_at: usize,
    cookies: CookieArray,
    layout: Layout,
    bytes: Vec<u8>,
}

impl StorageState {
    /// Parses a storage state: an object whose `cookies` is an array of cookie objects.
    pub fn parse(bytes: &[u8]) -> Result<StorageState, ParseError> {
        let body = super::without_bom(bytes);
        let what = "a Playwright storage state (an object with \"cookies\" and \"origins\")";
        let doc = json_tree::object_with_cookies(
            bytes,
            what,
            "a JSON object without a \"cookies\" field; expected a Playwright \
             storage state (\"cookies\" and \"origins\")",
        )?;
        let Json::Array(items) = doc.cookies else {
            return Err(ParseError {
                line: member_element_line(body, "cookies", 0),
                message: "\"cookies\" is not an array; expected a list of cookie objects".into(),
            });
        };
        let cookies =
            CookieArray::new(&DIALECT, items, |i| member_element_line(body, "cookies", i))?;
        Ok(StorageState {
            others: doc.others,
            cookies_at: doc.cookies_at,
            cookies,
            layout: Layout::of(bytes),
            bytes: bytes.to_vec(),
        })
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        self.cookies.cookies()
    }

    /// How many origins keep localStorage entries, and how many entries (for `convert`).
    pub fn local_storage(&self) -> (usize, usize) {
        let origins = self.others.iter().find(|(k, _)| k == "origins");
        let Some((_, Json::Array(origins))) = origins else {
            return (0, 0);
        };
        let entries = origins
            .iter()
            .filter_map(|o| match o.get("localStorage") {
                Some(Json::Array(items)) => Some(items.len()),
                _ => None,
            })
            .sum();
        (origins.len(), entries)
    }

    /// Applies the edits to the cookies; `origins` is never touched.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        if self.cookies.apply(edits)? {
            self.bytes = self.render();
        }
        Ok(())
    }

    /// The file's content: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The document, `cookies` back at its place.
    fn render(&self) -> Vec<u8> {
        let mut fields = self.others.clone();
        let items = Json::Array(self.cookies.items().to_vec());
        fields.insert(self.cookies_at.min(fields.len()), ("cookies".into(), items));
        self.layout.render(&Json::Object(fields))
    }
}

/// A storage state holding `items` and no origins (what `convert` writes),
/// laid out as Playwright writes it (two-space indent).
pub fn render_new(items: Vec<Json>) -> Vec<u8> {
    let doc = Json::Object(vec![
        ("cookies".into(), Json::Array(items)),
        ("origins".into(), Json::Array(Vec::new())),
    ]);
    Layout::of(b"{\n  \"a\": 1\n}").render(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CookieKey, Expiry, NewCookie, SameSite, SetCookie};

    const STATE: &str = r#"{"cookies": [{"name": "a", "value": "1", "domain": ".x.com", "path": "/", "expires": -1, "httpOnly": false, "secure": true, "sameSite": "None", "partitionKey": "https://x.com", "_crHasCrossSiteAncestor": false}, {"name": "b", "value": "2", "domain": "www.x.com", "path": "/p", "expires": 1830848692.749778, "httpOnly": true, "secure": false, "sameSite": "Strict"}], "origins": [{"origin": "https://x.com", "localStorage": [{"name": "k", "value": "v\u00e9"}]}], "extra": 1}"#;

    #[test]
    fn reads_cookies_keeps_the_rest() {
        let s = StorageState::parse(STATE.as_bytes()).unwrap();
        let c = s.cookies();
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].domain.as_ref(), c[0].host_only), ("x.com", false));
        assert_eq!(c[0].expiry, Expiry::Session);
        assert_eq!(c[0].same_site, SameSite::None);
        assert_eq!(c[0].partition, "https://x.com");
        assert_eq!(c[1].expiry, Expiry::At(1830848692));
        assert!(c[1].host_only && c[1].http_only);
        assert_eq!(c[1].same_site, SameSite::Strict);
        assert_eq!(s.local_storage(), (1, 1));
        assert_eq!(s.to_bytes(), STATE.as_bytes());
    }

    #[test]
    fn edits_touch_only_the_cookies() {
        let mut s = StorageState::parse(STATE.as_bytes()).unwrap();
        s.apply(&Edits {
            remove: vec![CookieKey::Index(0)],
            set: Some(SetCookie::Add(NewCookie {
                name: "cookies_preferences".into(),
                value: "v".into(),
                domain: "x.com".into(),
                host_only: true,
                path: "/".into(),
                secure: true,
                http_only: false,
                same_site: SameSite::Unset,
                expiry: Expiry::At(2000000000),
            })),
        })
        .unwrap();
        let text = String::from_utf8(s.to_bytes()).unwrap();
        assert_eq!(
            text,
            r#"{"cookies": [{"name": "b", "value": "2", "domain": "www.x.com", "path": "/p", "expires": 1830848692.749778, "httpOnly": true, "secure": false, "sameSite": "Strict"}, {"name": "cookies_preferences", "value": "v", "domain": "x.com", "path": "/", "expires": 2000000000, "httpOnly": false, "secure": true, "sameSite": "Lax"}], "origins": [{"origin": "https://x.com", "localStorage": [{"name": "k", "value": "v\u00e9"}]}], "extra": 1}"#
        );
        let again = StorageState::parse(text.as_bytes()).unwrap();
        assert_eq!(again.cookies().len(), 2);
    }

    #[test]
    fn bad_states_say_where_and_what() {
        let e = StorageState::parse(b"{\"origins\": []}").unwrap_err();
        assert!(
            e.message.contains("without a \"cookies\" field"),
            "{}",
            e.message
        );
        let e = StorageState::parse(b"{\n\"cookies\": [\n{\"name\": \"a\"},\n  3\n]}").unwrap_err();
        assert_eq!(e.line, 3, "{}", e.message);
        assert!(e.message.contains("cookie #1"), "{}", e.message);
        let e = StorageState::parse(b"{\n\"cookies\": [\n").unwrap_err();
        assert_eq!(e.line, 3);
    }
}
