//! Browser-extension cookie exports: the JSON array that Cookie-Editor and
//! EditThisCookie write (`domain`, `hostOnly`, `path`, `secure`, `httpOnly`,
//! `sameSite`, `session`, `expirationDate`, `name`, `value`, `storeId`, and
//! whatever else an extension adds: `id`, `firstPartyDomain`, `partitionKey`).
//!
//! Lossless: every object is kept with its fields in their order, unknown
//! fields included, and the file's bytes are saved as read until an edit.
//! After an edit the array is written again with the file's indentation
//! (compact, or the indent of its first indented line) and final newline.
//! A cookie's identity is its index in the array.

use super::edit::{EditError, remove_sorted};
pub use super::json_tree::Json;
use super::json_tree::{Layout, element_line};
use crate::domain;
use crate::jar::ParseError;
use crate::json_error::JsonError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite};

/// A browser-extension export: its objects, how it was laid out, the view.
#[derive(Debug, Clone)]
pub struct ExtensionJar {
    /// The array's objects, in file order.
    items: Vec<Json>,
    /// How the file was laid out.
    layout: Layout,
    /// The bytes to save: the original until an edit.
    bytes: Vec<u8>,
    /// The read view, one per object.
    cookies: Vec<OwnedCookie>,
}

impl ExtensionJar {
    /// Parses the export; every element must be an object with a `name` and a `domain`.
    pub fn parse(bytes: &[u8]) -> Result<ExtensionJar, ParseError> {
        let body = super::without_bom(bytes);
        let value: Json = serde_json::from_slice(body).map_err(|e| {
            let h = JsonError::new(&e, body);
            ParseError {
                line: h.line,
                message: format!(
                    "{}{}; expected a browser-extension cookie export (a JSON array of cookie objects)",
                    h.summary(),
                    h.at_column()
                ),
            }
        })?;
        let Json::Array(items) = value else {
            return Err(ParseError {
                line: 1,
                message: "expected a JSON array of cookie objects".into(),
            });
        };
        let mut cookies = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            cookies.push(view(item, i).ok_or_else(|| ParseError {
                line: element_line(body, i),
                message: format!(
                    "cookie #{} is not an object with string \"name\" and \"domain\" fields",
                    i + 1
                ),
            })?);
        }
        Ok(ExtensionJar {
            items,
            layout: Layout::of(bytes),
            bytes: bytes.to_vec(),
            cookies,
        })
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// Removes objects, replaces a cookie's value and expiry (every other
    /// field kept), or appends a new object shaped like the file's first one.
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
            let item = new_item(new, &self.items);
            self.items.push(item);
        }
        self.cookies = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| view(item, i))
            .collect();
        self.bytes = self.render();
        Ok(())
    }

    /// Serialises: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The array as the file lays it out.
    fn render(&self) -> Vec<u8> {
        // Serialised as a slice: a JSON array of the same items, without copying them.
        let array: &[Json] = &self.items;
        self.layout.render(array)
    }
}

/// Sets `expirationDate` / `session` for `expiry`.
fn set_expiry(item: &mut Json, expiry: Expiry) {
    match expiry {
        Expiry::At(t) => {
            item.set("expirationDate", Json::Number(t.into()));
            if item.get("session").is_some() {
                item.set("session", Json::Bool(false));
            }
        }
        Expiry::Session => {
            item.remove("expirationDate");
            item.set("session", Json::Bool(true));
        }
    }
}

/// A new object with the fields the extensions write, in their order, plus
/// `storeId` (and `id`) when the file's cookies have them.
fn new_item(new: &NewCookie, items: &[Json]) -> Json {
    let domain = new.where_sent().into_name();
    let mut fields: Vec<(String, Json)> = vec![
        (
            "domain".into(),
            Json::String(if new.host_only {
                domain
            } else {
                format!(".{domain}")
            }),
        ),
        ("hostOnly".into(), Json::Bool(new.host_only)),
        ("httpOnly".into(), Json::Bool(new.http_only)),
        ("name".into(), Json::String(new.name.clone())),
        ("path".into(), Json::String(new.path.clone())),
        (
            "sameSite".into(),
            Json::String(
                match new.same_site {
                    SameSite::None => "no_restriction",
                    SameSite::Lax => "lax",
                    SameSite::Strict => "strict",
                    SameSite::Unset => "unspecified",
                }
                .into(),
            ),
        ),
        ("secure".into(), Json::Bool(new.secure)),
        ("session".into(), Json::Bool(new.expiry == Expiry::Session)),
    ];
    if let Expiry::At(t) = new.expiry {
        fields.insert(1, ("expirationDate".into(), Json::Number(t.into())));
    }
    let first = items.first();
    if let Some(store) = first.and_then(|f| f.get("storeId")) {
        fields.push(("storeId".into(), store.clone()));
    }
    fields.push(("value".into(), Json::String(new.value.clone())));
    if first.and_then(|f| f.get("id")).is_some() {
        let next = items
            .iter()
            .filter_map(|i| i.f64("id"))
            .fold(0.0_f64, f64::max) as i64
            + 1;
        fields.push(("id".into(), Json::Number(next.into())));
    }
    Json::Object(fields)
}

/// A new export holding `cookies` (what `convert` writes), as Cookie-Editor
/// lays it out (four-space indent); a partition is written as Chrome's
/// `partitionKey` object, which this reader (and Chrome's cookies API) takes.
pub fn render_new(cookies: &[Cookie<'_>]) -> Vec<u8> {
    let items: Vec<Json> = cookies
        .iter()
        .map(|c| {
            let new = NewCookie {
                name: c.name.to_string(),
                value: c.value.to_string(),
                domain: c.domain.to_string(),
                host_only: c.host_only,
                path: c.path.to_string(),
                secure: c.secure,
                http_only: c.http_only,
                same_site: c.same_site,
                expiry: c.expiry,
            };
            let mut item = new_item(&new, &[]);
            if !c.partition.is_empty() {
                let key = vec![("topLevelSite".into(), Json::String(c.partition.to_string()))];
                item.set("partitionKey", Json::Object(key));
            }
            item
        })
        .collect();
    Layout::of(b"[\n    1\n]").render(&Json::Array(items))
}

/// The read view of object `i`; `None` when it is no cookie object.
fn view(item: &Json, i: usize) -> Option<OwnedCookie> {
    let name = item.str("name")?.to_owned();
    let domain_written = item.str("domain")?;
    let expiry = match (item.bool("session"), item.f64("expirationDate")) {
        (Some(true), _) | (_, None) => Expiry::Session,
        (_, Some(t)) => Expiry::At(t.floor() as i64),
    };
    let partition = match item.get("partitionKey") {
        Some(Json::String(s)) => s.clone(),
        Some(p @ Json::Object(_)) => p.str("topLevelSite").unwrap_or_default().to_owned(),
        _ => item.str("firstPartyDomain").unwrap_or_default().to_owned(),
    };
    Some(Cookie {
        value: item.str("value").unwrap_or_default().to_owned().into(),
        domain: domain::normalize(domain_written).into_owned().into(),
        host_only: item
            .bool("hostOnly")
            .unwrap_or(!domain_written.starts_with('.')),
        path: (item.str("path").unwrap_or("/").to_owned()).into(),
        secure: item.bool("secure").unwrap_or(false),
        http_only: item.bool("httpOnly").unwrap_or(false),
        same_site: match item.str("sameSite").map(str::to_ascii_lowercase).as_deref() {
            Some("no_restriction" | "none") => SameSite::None,
            Some("lax") => SameSite::Lax,
            Some("strict") => SameSite::Strict,
            _ => SameSite::Unset,
        },
        expiry,
        partition: partition.into(),
        key: CookieKey::Index(i),
        name: name.into(),
    })
}
