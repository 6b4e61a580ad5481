//! Arrays of cookie objects as browser-automation tools write them
//! (Playwright, Puppeteer and the DevTools protocol, Selenium/WebDriver):
//! one shared reader and editor, each format a [`Dialect`] of spellings.
//!
//! Lossless: every object keeps its fields in their order, unknown ones
//! included (`size`, `priority`, `sameParty`, `sourceScheme`, `sourcePort`,
//! `partitionKey` as a string or an object, `_crHasCrossSiteAncestor`...).
//! An edit changes only the fields it must. A cookie's identity is its index.

use crate::domain;
use crate::jar::ParseError;
use crate::jar::edit::{EditError, remove_sorted};
use crate::jar::json_tree::{self, Json, Layout, element_line};
use crate::model::{Cookie, CookieKey, Edits, Expiry, OwnedCookie, SameSite};

/// How one tool spells a cookie object.
#[derive(Debug)]
pub struct Dialect {
    /// The format, for messages ("a Playwright storage state").
    pub what: &'static str,
    /// The expiry field: `expires` (Playwright, CDP) or `expiry` (WebDriver).
    pub expiry_field: &'static str,
    /// How a session cookie's expiry is written.
    pub session: Session,
    /// The SameSite written for a cookie that has none (Playwright requires one).
    pub unset_same_site: Option<&'static str>,
    /// A partition written as a string (Playwright) or a CDP object.
    pub partition_as_string: bool,
    /// Fields of a new cookie, in the tool's order. Those after `optional_from`
    /// are written only when the file's first cookie has them (or the file has none).
    pub order: &'static [&'static str],
    /// The index in `order` where the optional fields start.
    pub optional_from: usize,
}

/// How a tool writes the expiry of a session cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// `-1` (Playwright, the DevTools protocol).
    MinusOne,
    /// No expiry field (WebDriver).
    Absent,
    /// `null` (httpie).
    Null,
}

/// The cookie objects of one array, and their read view.
#[derive(Debug, Clone)]
pub struct CookieArray {
    dialect: &'static Dialect,
    items: Vec<Json>,
    cookies: Vec<OwnedCookie>,
}

impl CookieArray {
    /// Reads `items`; `line_of(i)` gives the line of element `i` for messages.
    pub fn new(
        dialect: &'static Dialect,
        items: Vec<Json>,
        line_of: impl Fn(usize) -> usize,
    ) -> Result<CookieArray, ParseError> {
        let mut cookies = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            cookies.push(view(dialect, item, i).ok_or_else(|| ParseError {
                line: line_of(i),
                message: format!(
                    "cookie #{} is not an object with string \"name\" and \"domain\" fields \
                     (expected {})",
                    i + 1,
                    dialect.what
                ),
            })?);
        }
        Ok(CookieArray {
            dialect,
            items,
            cookies,
        })
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// The objects, in file order.
    pub fn items(&self) -> &[Json] {
        &self.items
    }

    /// Removes objects, replaces a cookie's value and expiry (every other
    /// field kept), or appends a new object shaped like the file's first one.
    /// Returns whether anything changed.
    pub fn apply(&mut self, edits: &Edits) -> Result<bool, EditError> {
        let Some(edit) = edits.resolve_indexed(self.items.len())? else {
            return Ok(false);
        };
        if let Some(r) = &edit.replace {
            replace_value(self.dialect, &mut self.items[r.at], r.value, r.expiry);
        }
        remove_sorted(&mut self.items, &edit.remove);
        if let Some(new) = edit.add {
            let item = item_for(
                self.dialect,
                &new.view(CookieKey::Index(0)),
                self.items.first(),
            );
            self.items.push(item);
        }
        self.cookies = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| view(self.dialect, item, i))
            .collect();
        Ok(true)
    }
}

/// Sets value and expiry, and the fields that follow from them (`size`, `session`).
fn replace_value(d: &Dialect, item: &mut Json, value: &str, expiry: Expiry) {
    item.set("value", Json::String(value.to_owned()));
    match (expiry, d.session) {
        (Expiry::At(t), _) => item.set(d.expiry_field, Json::Number(t.into())),
        (Expiry::Session, Session::MinusOne) => item.set(d.expiry_field, Json::Number((-1).into())),
        (Expiry::Session, Session::Null) => item.set(d.expiry_field, Json::Null),
        (Expiry::Session, Session::Absent) => item.remove(d.expiry_field),
    }
    if item.get("session").is_some() {
        item.set("session", Json::Bool(expiry == Expiry::Session));
    }
    if item.get("size").is_some() {
        let name = item.str("name").map_or(0, str::len);
        item.set("size", Json::Number(((name + value.len()) as u64).into()));
    }
}

/// The object a tool would write for `c`, its fields in the tool's order;
/// optional fields only when `template` (the file's first cookie) has them,
/// or there is no template.
pub fn item_for(d: &Dialect, c: &Cookie<'_>, template: Option<&Json>) -> Json {
    let mut fields = Vec::with_capacity(d.order.len());
    for (n, &field) in d.order.iter().enumerate() {
        if n >= d.optional_from && template.is_some_and(|t| t.get(field).is_none()) {
            continue;
        }
        if let Some(value) = field_value(d, c, field) {
            fields.push((field.to_owned(), value));
        }
    }
    Json::Object(fields)
}

/// One field of [`item_for`]; `None` leaves it out.
fn field_value(d: &Dialect, c: &Cookie<'_>, field: &str) -> Option<Json> {
    let string = |s: &str| Some(Json::String(s.to_owned()));
    let secure = c.secure;
    match field {
        "name" => string(&c.name),
        "value" => string(&c.value),
        "domain" => string(&c.domain_label()),
        "path" => string(&c.path),
        "httpOnly" => Some(Json::Bool(c.http_only)),
        "secure" => Some(Json::Bool(secure)),
        "session" => Some(Json::Bool(c.expiry == Expiry::Session)),
        "size" => Some(Json::Number(((c.name.len() + c.value.len()) as u64).into())),
        "sameSite" => c
            .same_site
            .title_case()
            .or(d.unset_same_site)
            .and_then(string),
        "priority" => string("Medium"),
        "sameParty" => Some(Json::Bool(false)),
        "sourceScheme" => string(if secure { "Secure" } else { "NonSecure" }),
        "sourcePort" => Some(Json::Number(if secure { 443 } else { 80 }.into())),
        "partitionKey" if c.partition.is_empty() => None,
        "partitionKey" if d.partition_as_string => string(&c.partition),
        "partitionKey" => Some(Json::Object(vec![
            ("topLevelSite".into(), Json::String(c.partition.to_string())),
            ("hasCrossSiteAncestor".into(), Json::Bool(false)),
        ])),
        f if f == d.expiry_field => match c.expiry {
            Expiry::At(t) => Some(Json::Number(t.into())),
            Expiry::Session => match d.session {
                Session::MinusOne => Some(Json::Number((-1).into())),
                Session::Null => Some(Json::Null),
                Session::Absent => None,
            },
        },
        _ => None,
    }
}

/// The read view of object `i`; `None` when it is no cookie object.
fn view(d: &Dialect, item: &Json, i: usize) -> Option<OwnedCookie> {
    let name = item.str("name")?;
    let domain_written = item.str("domain")?;
    let expiry = match (item.bool("session"), item.f64(d.expiry_field)) {
        (Some(true), _) | (_, None) => Expiry::Session,
        (_, Some(t)) => Expiry::from_seconds(t),
    };
    let partition = match item.get("partitionKey") {
        Some(Json::String(s)) => s.clone(),
        Some(p @ Json::Object(_)) => p.str("topLevelSite").unwrap_or_default().to_owned(),
        _ => String::new(),
    };
    Some(Cookie {
        value: item.str("value").unwrap_or_default().to_owned().into(),
        domain: domain::normalize(domain_written).into_owned().into(),
        host_only: !domain_written.starts_with('.'),
        path: item.str("path").unwrap_or("/").to_owned().into(),
        secure: item.bool("secure").unwrap_or(false),
        http_only: item.bool("httpOnly").unwrap_or(false),
        same_site: item
            .str("sameSite")
            .map_or(SameSite::Unset, SameSite::parse),
        expiry,
        partition: partition.into(),
        key: CookieKey::Index(i),
        name: name.to_owned().into(),
    })
}

/// A file that is one JSON array of cookie objects (Puppeteer, Selenium).
#[derive(Debug, Clone)]
pub struct ArrayFile {
    cookies: CookieArray,
    layout: Layout,
    bytes: Vec<u8>,
}

impl ArrayFile {
    /// Parses the array in `dialect`.
    pub fn parse(dialect: &'static Dialect, bytes: &[u8]) -> Result<ArrayFile, ParseError> {
        let body = super::without_bom(bytes);
        let what = format!("{} (a JSON array of cookie objects)", dialect.what);
        let Json::Array(items) = json_tree::parse(bytes, &what)? else {
            return Err(ParseError {
                line: 1,
                message: format!("expected {what}"),
            });
        };
        let cookies = CookieArray::new(dialect, items, |i| element_line(body, i))?;
        Ok(ArrayFile {
            cookies,
            layout: Layout::of(bytes),
            bytes: bytes.to_vec(),
        })
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        self.cookies.cookies()
    }

    /// Applies the edits; the file is laid out again only when one changed it.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        if self.cookies.apply(edits)? {
            let items: &[Json] = self.cookies.items();
            self.bytes = self.layout.render(items);
        }
        Ok(())
    }

    /// The file's content: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }
}
