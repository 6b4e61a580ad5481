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

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

use super::edit::{EditError, remove_sorted};
use crate::domain;
use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite};

/// A JSON value whose objects keep their field order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as serde_json read it.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, fields in file order.
    Object(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Json::String(s)) => Some(s),
            _ => None,
        }
    }

    fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key) {
            Some(Json::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn f64(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Some(Json::Number(n)) => n.as_f64(),
            _ => None,
        }
    }

    /// Sets `key` (in place when present, else appended).
    fn set(&mut self, key: &str, value: Json) {
        if let Json::Object(fields) = self {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => fields.push((key.to_owned(), value)),
            }
        }
    }

    /// Removes `key` if present.
    fn remove(&mut self, key: &str) {
        if let Json::Object(fields) = self {
            fields.retain(|(k, _)| k != key);
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Json, E> {
                Number::from_f64(n)
                    .map(Json::Number)
                    .ok_or_else(|| E::custom("a finite number"))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Json, E> {
                Ok(Json::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Json::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    out.push((k, v));
                }
                Ok(Json::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(x) => s.serialize_str(x),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Json::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A browser-extension export: its objects, how it was laid out, the view.
#[derive(Debug, Clone)]
pub struct ExtensionJar {
    /// The array's objects, in file order.
    items: Vec<Json>,
    /// The indent of pretty output (`None`: compact).
    indent: Option<Vec<u8>>,
    /// Whether the file ended with a newline.
    final_newline: bool,
    /// The bytes to save: the original until an edit.
    bytes: Vec<u8>,
    /// The read view, one per object.
    cookies: Vec<OwnedCookie>,
}

/// The one-based line of byte offset `at`.
fn line_at(bytes: &[u8], at: usize) -> usize {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

impl ExtensionJar {
    /// Parses the export; every element must be an object with a `name` and a `domain`.
    pub fn parse(bytes: &[u8]) -> Result<ExtensionJar, ParseError> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let value: Json = serde_json::from_slice(body).map_err(|e| ParseError {
            line: e.line().max(1),
            message: format!(
                "{}; expected a browser-extension cookie export (a JSON array of cookie objects)",
                e.classify_message()
            ),
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
            indent: indent_of(body),
            final_newline: bytes.ends_with(b"\n"),
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
        let count = self.items.len();
        let Some(edit) = edits.resolve(|key| match key {
            CookieKey::Index(i) if *i < count => Some(*i),
            _ => None,
        })?
        else {
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
        let mut out = Vec::new();
        let ok = match &self.indent {
            None => serde_json::to_writer(&mut out, array),
            Some(indent) => {
                let fmt = serde_json::ser::PrettyFormatter::with_indent(indent);
                let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
                array.serialize(&mut ser)
            }
        };
        // Writing into a Vec fails only on a non-string map key, which Json cannot hold.
        debug_assert!(ok.is_ok());
        if self.final_newline {
            out.push(b'\n');
        }
        out
    }
}

/// The line where array element `i` starts (best effort, for messages).
fn element_line(body: &[u8], i: usize) -> usize {
    // Count top-level objects by scanning braces outside strings.
    let (mut depth, mut in_str, mut esc, mut seen) = (0usize, false, false, 0usize);
    for (at, &b) in body.iter().enumerate() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                if depth == 1 {
                    if seen == i {
                        return line_at(body, at);
                    }
                    seen += 1;
                }
                depth += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ if depth == 1 && !b.is_ascii_whitespace() && b != b',' => {
                if seen == i {
                    return line_at(body, at);
                }
                seen += 1;
            }
            _ => {}
        }
    }
    1
}

/// The indentation unit of a pretty-printed file, or `None` when compact.
fn indent_of(body: &[u8]) -> Option<Vec<u8>> {
    body.split(|&b| b == b'\n').skip(1).find_map(|line| {
        let ws: Vec<u8> = line
            .iter()
            .copied()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .collect();
        (!ws.is_empty() && ws.len() < line.len()).then_some(ws)
    })
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

/// serde_json's message without its position suffix.
trait ClassifyMessage {
    fn classify_message(&self) -> String;
}

impl ClassifyMessage for serde_json::Error {
    fn classify_message(&self) -> String {
        match self.classify() {
            serde_json::error::Category::Eof => "the file ends early".into(),
            serde_json::error::Category::Syntax => "invalid JSON syntax".into(),
            serde_json::error::Category::Data => "unexpected JSON content".into(),
            serde_json::error::Category::Io => "read error".into(),
        }
    }
}
