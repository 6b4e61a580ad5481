//! Postman / newman cookie jars: tough-cookie's serialisation
//! (`newman run --export-cookie-jar FILE`, `CookieJar.serializeSync()`):
//!
//! ```json
//! {"version": "tough-cookie@4.1.3", "storeType": "MemoryCookieStore",
//!  "rejectPublicSuffixes": true, "cookies": [
//!    {"key": "sid", "value": "v", "expires": "2036-10-01T08:00:00.000Z",
//!     "maxAge": 3600, "domain": "x.com", "path": "/", "secure": true,
//!     "httpOnly": true, "hostOnly": true, "creation": "...",
//!     "lastAccessed": "...", "sameSite": "lax"}]}
//! ```
//!
//! `maxAge` (seconds from `creation`) wins over `expires`; neither is a
//! session cookie. Fields left at tough-cookie's defaults are not written.
//! Lossless: the jar's settings (`version`, `rejectPublicSuffixes`, ...) and
//! every field of every cookie are kept, the bytes as read until an edit. A
//! cookie's identity is its index in `cookies`.

use super::edit::{EditError, remove_sorted};
use super::json_tree::{self, Json, Layout, member_element_line};
use crate::domain;
use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, OwnedCookie, SameSite};

/// The latest date tough-cookie's `Infinity` maps to (9999-12-31T23:59:59Z).
const FOREVER: i64 = 253_402_300_799;

/// A tough-cookie jar: its settings, cookies, and how it was laid out.
#[derive(Debug, Clone)]
pub struct NewmanJar {
    others: Vec<(String, Json)>,
    cookies_at: usize,
    items: Vec<Json>,
    view: Vec<OwnedCookie>,
    layout: Layout,
    bytes: Vec<u8>,
}

impl NewmanJar {
    /// Parses a serialised tough-cookie jar: an object whose `cookies` is a
    /// list of objects with string `key` and `domain`.
    pub fn parse(bytes: &[u8]) -> Result<NewmanJar, ParseError> {
        let body = super::without_bom(bytes);
        let what = "a Postman/newman cookie jar (tough-cookie's \"storeType\" and \"cookies\")";
        let doc = json_tree::object_with_cookies(
            bytes,
            what,
            "a tough-cookie jar (\"storeType\") without a \"cookies\" field; \
             expected a Postman/newman cookie jar",
        )?;
        let Json::Array(items) = doc.cookies else {
            return Err(ParseError {
                line: member_element_line(body, "cookies", 0),
                message: "\"cookies\" is not a list of cookie objects".into(),
            });
        };
        let mut view = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            view.push(view_of(item, i).ok_or_else(|| ParseError {
                line: member_element_line(body, "cookies", i),
                message: format!(
                    "cookie #{} is not an object with string \"key\" and \"domain\" fields \
                     (expected a tough-cookie cookie)",
                    i + 1
                ),
            })?);
        }
        Ok(NewmanJar {
            others: doc.others,
            cookies_at: doc.cookies_at,
            items,
            view,
            layout: Layout::of(bytes),
            bytes: bytes.to_vec(),
        })
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.view
    }

    /// The file's content: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Removes cookies, rewrites one's value and expiry (other fields kept),
    /// or appends a new one as tough-cookie would serialise it.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let Some(edit) = edits.resolve_indexed(self.items.len())? else {
            return Ok(());
        };
        if let Some(r) = &edit.replace {
            let item = &mut self.items[r.at];
            item.set("value", Json::String(r.value.to_owned()));
            set_expiry(item, r.expiry);
        }
        remove_sorted(&mut self.items, &edit.remove);
        if let Some(new) = edit.add {
            self.items
                .push(item_for(&new.view(CookieKey::Index(0)), &now_iso()));
        }
        self.view = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| view_of(item, i))
            .collect();
        let mut fields = self.others.clone();
        let cookies = ("cookies".into(), Json::Array(self.items.clone()));
        fields.insert(self.cookies_at.min(fields.len()), cookies);
        self.bytes = self.layout.render(&Json::Object(fields));
        Ok(())
    }
}

/// The read view of cookie object `i`; `None` when it is no cookie object.
fn view_of(item: &Json, i: usize) -> Option<OwnedCookie> {
    let name = item.str("key")?;
    let stored = item.str("domain")?;
    Some(Cookie {
        value: item.str("value").unwrap_or_default().to_owned().into(),
        domain: domain::normalize(stored).into_owned().into(),
        // `hostOnly` null (unknown) matches like a domain cookie in tough-cookie.
        host_only: item.bool("hostOnly").unwrap_or(false),
        path: item.str("path").unwrap_or("/").to_owned().into(),
        secure: item.bool("secure").unwrap_or(false),
        http_only: item.bool("httpOnly").unwrap_or(false),
        same_site: item
            .str("sameSite")
            .map_or(SameSite::Unset, SameSite::parse),
        expiry: expiry_of(item),
        partition: "".into(),
        key: CookieKey::Index(i),
        name: name.to_owned().into(),
    })
}

/// tough-cookie's `expiryTime()`: `maxAge` from `creation` first, then
/// `expires`; `Infinity` is a far date, `maxAge <= 0` already expired.
fn expiry_of(item: &Json) -> Expiry {
    let creation = item.str("creation").and_then(Expiry::from_iso8601);
    match (item.get("maxAge"), creation) {
        (Some(Json::Number(n)), Some(Expiry::At(c))) => {
            let age = n.as_f64().unwrap_or(0.0);
            return if age <= 0.0 {
                Expiry::At(0)
            } else {
                Expiry::At(c.saturating_add(age.min(FOREVER as f64) as i64))
            };
        }
        (Some(Json::String(s)), _) if s == "Infinity" => return Expiry::At(FOREVER),
        (Some(Json::String(s)), _) if s == "-Infinity" => return Expiry::At(0),
        _ => {}
    }
    match item.get("expires") {
        Some(Json::String(s)) if s == "Infinity" => Expiry::Session,
        Some(Json::String(s)) => Expiry::from_iso8601(s).unwrap_or(Expiry::Session),
        _ => Expiry::Session,
    }
}

/// `2036-10-01T08:00:00.000Z`, JavaScript's `toISOString()` (clamped to year 9999).
fn iso(t: i64) -> String {
    let dt = time::OffsetDateTime::from_unix_timestamp(t.clamp(0, FOREVER))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    iso_of(dt)
}

fn iso_of(dt: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.millisecond()
    )
}

/// Now, as tough-cookie stamps `creation` and `lastAccessed`.
fn now_iso() -> String {
    iso_of(time::OffsetDateTime::now_utc())
}

/// Sets the expiry: `expires` right after `value` as tough-cookie orders
/// it, `maxAge` dropped (it would win over `expires`); a session cookie has neither.
fn set_expiry(item: &mut Json, expiry: Expiry) {
    item.remove("maxAge");
    let Json::Object(fields) = item else { return };
    match expiry {
        Expiry::Session => fields.retain(|(k, _)| k != "expires"),
        Expiry::At(t) => match fields.iter_mut().find(|(k, _)| k == "expires") {
            Some((_, v)) => *v = Json::String(iso(t)),
            None => {
                let at = fields
                    .iter()
                    .position(|(k, _)| k == "value")
                    .map_or(fields.len(), |p| p + 1);
                fields.insert(at, ("expires".into(), Json::String(iso(t))));
            }
        },
    }
}

/// The object tough-cookie serialises for `c` (defaults left out), stamped `now`.
pub fn item_for(c: &Cookie<'_>, now: &str) -> Json {
    let string = |s: &str| Json::String(s.to_owned());
    let mut fields = vec![
        ("key".into(), string(&c.name)),
        ("value".into(), string(&c.value)),
    ];
    if let Expiry::At(t) = c.expiry {
        fields.push(("expires".into(), string(&iso(t))));
    }
    fields.push(("domain".into(), string(&c.domain)));
    fields.push(("path".into(), string(&c.path)));
    if c.secure {
        fields.push(("secure".into(), Json::Bool(true)));
    }
    if c.http_only {
        fields.push(("httpOnly".into(), Json::Bool(true)));
    }
    fields.push(("hostOnly".into(), Json::Bool(c.host_only)));
    fields.push(("creation".into(), string(now)));
    fields.push(("lastAccessed".into(), string(now)));
    if c.same_site != SameSite::Unset {
        fields.push(("sameSite".into(), string(c.same_site.as_str())));
    }
    Json::Object(fields)
}

/// A jar holding `cookies` with newman's settings (what `convert` writes),
/// laid out as newman writes it.
pub fn render_new(cookies: &[Cookie<'_>]) -> Vec<u8> {
    let now = now_iso();
    let items = cookies.iter().map(|c| item_for(c, &now)).collect();
    let doc = Json::Object(vec![
        ("version".into(), Json::String("tough-cookie@4.1.3".into())),
        ("storeType".into(), Json::String("MemoryCookieStore".into())),
        ("rejectPublicSuffixes".into(), Json::Bool(false)),
        ("enableLooseMode".into(), Json::Bool(true)),
        ("allowSpecialUseDomain".into(), Json::Bool(true)),
        ("prefixSecurity".into(), Json::String("silent".into())),
        ("cookies".into(), Json::Array(items)),
    ]);
    Layout::of(b"{\n  \"a\": 1\n}").render(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetCookie;

    const JAR: &str = r#"{"version": "tough-cookie@4.1.3", "storeType": "MemoryCookieStore", "rejectPublicSuffixes": false, "cookies": [{"key": "csrf", "value": "1", "maxAge": 3600, "domain": "x.com", "path": "/", "secure": true, "hostOnly": true, "creation": "2026-01-01T00:00:00.000Z", "lastAccessed": "2026-01-01T00:00:00.000Z", "sameSite": "lax"}, {"key": "_ga", "value": "2", "expires": "2037-01-01T00:00:00.000Z", "domain": "x.com", "path": "/", "hostOnly": false, "creation": "2026-01-01T00:00:00.000Z", "extensions": ["Priority=High"]}, {"key": "s", "value": "3", "domain": "x.com", "path": "/p", "httpOnly": true, "hostOnly": true}]}"#;

    #[test]
    fn reads_tough_cookie_fields() {
        let j = NewmanJar::parse(JAR.as_bytes()).unwrap();
        let c = j.cookies();
        assert_eq!(
            c[0].expiry,
            Expiry::At(1_767_225_600 + 3600),
            "maxAge from creation"
        );
        assert_eq!(
            (c[0].same_site, c[0].host_only, c[0].secure),
            (SameSite::Lax, true, true)
        );
        assert_eq!(
            (c[1].host_only, c[1].expiry),
            (false, Expiry::At(2_114_380_800))
        );
        assert_eq!((c[2].expiry, c[2].http_only), (Expiry::Session, true));
        assert_eq!(j.to_bytes(), JAR.as_bytes());
    }

    #[test]
    fn a_rewrite_drops_max_age_and_keeps_the_rest() {
        let mut j = NewmanJar::parse(JAR.as_bytes()).unwrap();
        j.apply(&Edits {
            remove: vec![CookieKey::Index(2)],
            set: Some(SetCookie::Replace {
                key: CookieKey::Index(0),
                value: "v".into(),
                expiry: Expiry::At(2_106_460_800),
            }),
        })
        .unwrap();
        let text = String::from_utf8(j.to_bytes()).unwrap();
        assert!(text.starts_with(r#"{"version": "tough-cookie@4.1.3", "storeType": "MemoryCookieStore", "rejectPublicSuffixes": false, "cookies": [{"key": "csrf", "value": "v", "expires": "2036-10-01T08:00:00.000Z", "domain": "x.com""#), "{text}");
        assert!(text.contains(r#""extensions": ["Priority=High"]"#));
        assert_eq!(j.cookies().len(), 2);
        assert_eq!(j.cookies()[0].expiry, Expiry::At(2_106_460_800));
    }

    #[test]
    fn a_new_cookie_is_serialised_as_tough_cookie_does() {
        let c = Cookie {
            same_site: SameSite::Strict,
            expiry: Expiry::At(0),
            secure: true,
            ..Cookie::basic("n", "x.com", CookieKey::Index(0))
        };
        let item = item_for(&c, "NOW");
        let text = serde_json::to_string(&item).unwrap();
        assert_eq!(
            text,
            r#"{"key":"n","value":"","expires":"1970-01-01T00:00:00.000Z","domain":"x.com","path":"/","secure":true,"hostOnly":true,"creation":"NOW","lastAccessed":"NOW","sameSite":"strict"}"#
        );
    }

    #[test]
    fn bad_jars_say_what_is_missing() {
        let e = NewmanJar::parse(br#"{"storeType": "MemoryCookieStore"}"#).unwrap_err();
        assert!(
            e.message.contains("without a \"cookies\" field"),
            "{}",
            e.message
        );
        let e = NewmanJar::parse(b"{\"storeType\": 1,\n\"cookies\": [\n{\"key\": \"a\"}]}")
            .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("\"domain\""), "{}", e.message);
    }
}
