//! A JSON tree that keeps the order of object fields, and the layout of the
//! file it came from, so JSON jars save byte for byte as they were read and,
//! after an edit, in the style of the tool that wrote them.

use std::fmt;
use std::io;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::jar::ParseError;
use crate::json_error::JsonError;

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
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Json::String(s)) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key) {
            Some(Json::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn f64(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Some(Json::Number(n)) => n.as_f64(),
            _ => None,
        }
    }

    /// Sets `key` (in place when present, else appended).
    pub(crate) fn set(&mut self, key: &str, value: Json) {
        if let Json::Object(fields) = self {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => fields.push((key.to_owned(), value)),
            }
        }
    }

    /// Removes `key` if present.
    pub(crate) fn remove(&mut self, key: &str) {
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

/// The one-based line of byte offset `at`.
pub(crate) fn line_at(bytes: &[u8], at: usize) -> usize {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The line where element `i` of the array (or member `i` of the object)
/// that `body` starts with begins (best effort, for messages).
pub(crate) fn element_line(body: &[u8], i: usize) -> usize {
    // Scan outside strings; an element starts at the first significant byte
    // after the opening bracket or a comma at depth 1.
    let (mut depth, mut in_str, mut esc, mut seen) = (0usize, false, false, 0usize);
    let mut expecting = false;
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
        if depth == 1 && expecting && !b.is_ascii_whitespace() && b != b']' && b != b'}' {
            if seen == i {
                return line_at(body, at);
            }
            seen += 1;
            expecting = false;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                expecting = depth == 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    1
}

/// The line where element `i` of the array under top-level key `key` starts
/// (Playwright's `cookies`): best effort, for messages.
pub(crate) fn member_element_line(body: &[u8], key: &str, i: usize) -> usize {
    match top_level_value_offset(body, key) {
        Some(at) => line_at(body, at) - 1 + element_line(&body[at..], i),
        None => 1,
    }
}

/// The offset of the value of top-level key `key` in an object document.
fn top_level_value_offset(body: &[u8], key: &str) -> Option<usize> {
    let (mut depth, mut at) = (0usize, 0usize);
    while at < body.len() {
        match body[at] {
            b'"' => {
                let end = string_end(body, at + 1)?;
                if depth == 1 && &body[at + 1..end] == key.as_bytes() {
                    let rest = &body[end + 1..];
                    let colon = rest.iter().position(|b| !b.is_ascii_whitespace())?;
                    if rest[colon] == b':' {
                        let skip = rest[colon + 1..]
                            .iter()
                            .position(|b| !b.is_ascii_whitespace())?;
                        return Some(end + 1 + colon + 1 + skip);
                    }
                }
                at = end;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    None
}

/// The offset of the quote closing the string that starts at `from`.
fn string_end(body: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < body.len() {
        match body[at] {
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

/// A JSON object read for its `cookies` member (Playwright, httpie, newman):
/// the other members in file order, where `cookies` stood among them, and
/// its value.
#[derive(Debug)]
pub struct WithCookies {
    /// The members other than `cookies`, in file order.
    pub others: Vec<(String, Json)>,
    /// The position `cookies` had among the members.
    pub cookies_at: usize,
    /// The value of `cookies`.
    pub cookies: Json,
}

/// Parses `bytes` as a JSON object holding a `cookies` member; `what` names
/// the document expected, `missing` is the message when it has no `cookies`.
pub fn object_with_cookies(
    bytes: &[u8],
    what: &str,
    missing: &str,
) -> Result<WithCookies, ParseError> {
    let Json::Object(mut others) = parse(bytes, what)? else {
        return Err(ParseError {
            line: 1,
            message: format!("expected {what}"),
        });
    };
    let Some(cookies_at) = others.iter().position(|(k, _)| k == "cookies") else {
        return Err(ParseError {
            line: 1,
            message: missing.to_owned(),
        });
    };
    let (_, cookies) = others.remove(cookies_at);
    Ok(WithCookies {
        others,
        cookies_at,
        cookies,
    })
}

/// How a JSON file was laid out, to write it again the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The indent of pretty output (`None`: on one line).
    indent: Option<Vec<u8>>,
    /// One-line output with Python's `json.dumps` separators (`", "`, `": "`).
    spaced: bool,
    /// Non-ASCII characters written as `\uXXXX` (Python's `ensure_ascii`).
    ascii: bool,
    /// Whether the file ended with a newline.
    final_newline: bool,
    /// Whether the file started with a byte-order mark (kept: the file is
    /// the user's, as their editor wrote it).
    bom: bool,
}

impl Layout {
    /// The layout of a file's `bytes`.
    pub fn of(bytes: &[u8]) -> Layout {
        let body = super::without_bom(bytes);
        let indent = indent_of(body);
        let spaced = indent.is_none()
            && memchr::memmem::find(body, b"\":").is_some_and(|at| body.get(at + 2) == Some(&b' '));
        Layout {
            indent,
            spaced,
            ascii: body.is_ascii() && memchr::memmem::find(body, b"\\u").is_some(),
            final_newline: body.ends_with(b"\n"),
            bom: body.len() < bytes.len(),
        }
    }

    /// `value` written in this layout.
    pub fn render<T: Serialize + ?Sized>(&self, value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        if self.bom {
            out.extend_from_slice(super::BOM);
        }
        let style = Style {
            pretty: self.indent.as_deref().map(PrettyFormatter::with_indent),
            spaced: self.spaced,
            ascii: self.ascii,
        };
        let mut ser = serde_json::Serializer::with_formatter(&mut out, style);
        // Writing into a Vec fails only on a non-string map key, which Json cannot hold.
        let ok = value.serialize(&mut ser);
        debug_assert!(ok.is_ok());
        if self.final_newline {
            out.push(b'\n');
        }
        out
    }
}

/// The indentation unit of a pretty-printed file, or `None` when on one line.
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

/// A serde_json formatter for the three layouts tools write: pretty (any
/// indent), compact (`JSON.stringify`), or spaced (Python's `json.dumps`);
/// optionally ASCII-only.
struct Style<'a> {
    pretty: Option<PrettyFormatter<'a>>,
    spaced: bool,
    ascii: bool,
}

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $name<W: ?Sized + io::Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            match &mut self.pretty {
                Some(p) => p.$name(w $(, $arg)*),
                None => serde_json::ser::CompactFormatter.$name(w $(, $arg)*),
            }
        }
    )*};
}

impl Formatter for Style<'_> {
    delegate!(
        begin_array(),
        end_array(),
        end_array_value(),
        begin_object(),
        end_object(),
        end_object_value(),
    );

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        match &mut self.pretty {
            Some(p) => p.begin_array_value(w, first),
            None if first => Ok(()),
            None => w.write_all(if self.spaced { b", " } else { b"," }),
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        match &mut self.pretty {
            Some(p) => p.begin_object_key(w, first),
            None if first => Ok(()),
            None => w.write_all(if self.spaced { b", " } else { b"," }),
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.pretty {
            Some(p) => p.begin_object_value(w),
            None => w.write_all(if self.spaced { b": " } else { b":" }),
        }
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !self.ascii || fragment.is_ascii() {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Parses a JSON document (a leading byte-order mark skipped); `what` names
/// the expected content in the message.
pub fn parse(bytes: &[u8], what: &str) -> Result<Json, ParseError> {
    let body = super::without_bom(bytes);
    serde_json::from_slice(body).map_err(|e| {
        let h = JsonError::new(&e, body);
        ParseError {
            line: h.line,
            message: format!("{}{}; expected {what}", h.summary(), h.at_column()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(text: &str) -> String {
        let v = parse(text.as_bytes(), "JSON").unwrap();
        String::from_utf8(Layout::of(text.as_bytes()).render(&v)).unwrap()
    }

    #[test]
    fn the_three_layouts_come_back_as_written() {
        for text in [
            "{\"a\":[1,{\"b\":\"c\"}],\"d\":null}",
            "{\"a\": [1, {\"b\": \"c\"}], \"d\": null}\n",
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ],\n  \"d\": null\n}\n",
            "[\n\t{\n\t\t\"x\": true\n\t}\n]",
            "{\"n\": \"caf\\u00e9 \\ud83c\\udf6a\"}",
        ] {
            assert_eq!(round(text), text);
        }
    }

    #[test]
    fn lines_of_nested_elements() {
        let body = b"{\n  \"origins\": [],\n  \"cookies\": [\n    {\"a\": 1},\n    {\"b\": \"[\\\"\"}\n  ]\n}";
        assert_eq!(member_element_line(body, "cookies", 0), 4);
        assert_eq!(member_element_line(body, "cookies", 1), 5);
        assert_eq!(member_element_line(body, "none", 1), 1);
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse(b"{\n  \"cookies\": [\n", "a storage state").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message.starts_with("the JSON ends too early"),
            "{}",
            e.message
        );
        assert!(
            e.message.ends_with("expected a storage state"),
            "{}",
            e.message
        );
    }
}
