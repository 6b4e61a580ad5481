//! Encode and decode the `cookies_preferences` value (DESIGN §6).
//!
//! The value is compact JSON with a fixed key order
//! (`v, site, policy, hash, id, given, expires, categories`), percent-encoded so
//! that it is a valid RFC 6265 `cookie-octet` string.

use std::collections::HashSet;
use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode, utf8_percent_encode};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::json_error::{Category, JsonError};
use crate::policy::PolicyDoc;

/// A consent as crumbs writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentValue {
    /// Format version; 1.
    pub v: u32,
    /// The site (host) it was given for.
    pub site: String,
    /// The policy revision.
    pub policy: String,
    /// The policy hash (`sha256:...`).
    pub hash: String,
    /// A uuid v4 naming this consent.
    pub id: String,
    /// When it was given.
    pub given: OffsetDateTime,
    /// When it lapses.
    pub expires: OffsetDateTime,
    /// Category id → granted, in the policy's order.
    pub categories: Vec<(String, bool)>,
}

/// Why a value could not be read as a crumbs consent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unrecognised cookies_preferences value: {0}")]
pub struct DecodeError(pub String);

/// The only format version crumbs reads and writes.
pub const VERSION: u32 = 1;

/// Bytes that are not RFC 6265 `cookie-octet`s, plus `%` itself.
///
/// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E; `CONTROLS`
/// covers %x00-1F and %x7F, and every non-ASCII byte is always encoded.
const NOT_COOKIE_OCTET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// Longest reason text a [`DecodeError`] carries.
const MAX_REASON: usize = 120;

/// Longest field or category name a [`DecodeError`] repeats.
const MAX_NAME: usize = 24;

impl ConsentValue {
    /// A fresh consent for `site` under the policy `doc` (whose hash is `hash`):
    /// a new uuid v4, given `now` (truncated to whole seconds, UTC), expiring
    /// `doc.consent_lifetime_days` later.
    pub fn new(
        site: &str,
        doc: &PolicyDoc,
        hash: &str,
        categories: impl Into<Vec<(String, bool)>>,
        now: OffsetDateTime,
    ) -> ConsentValue {
        let given = to_utc_seconds(now);
        let expires = given
            .checked_add(Duration::days(i64::from(doc.consent_lifetime_days)))
            .unwrap_or_else(|| PrimitiveDateTime::MAX.assume_utc());
        ConsentValue {
            v: VERSION,
            site: site.to_owned(),
            policy: doc.revision.clone(),
            hash: hash.to_owned(),
            id: uuid::Uuid::new_v4().to_string(),
            given,
            expires,
            categories: categories.into(),
        }
    }

    /// True when the consent has lapsed at `now` (`now >= expires`).
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.expires
    }

    /// True when the consent grants category `cat_id` (false when it does not name it).
    pub fn granted(&self, cat_id: &str) -> bool {
        self.categories
            .iter()
            .any(|(id, granted)| id == cat_id && *granted)
    }

    /// The percent-encoded cookie value: compact JSON, keys in the fixed order,
    /// then every byte outside `cookie-octet` (and `%`) as upper-case `%XX`.
    pub fn encode(&self) -> String {
        utf8_percent_encode(&self.to_json(false), NOT_COOKIE_OCTET).to_string()
    }

    /// Reads a cookie value; never panics. Anything that is not exactly the
    /// shape [`encode`](Self::encode) writes (version 1) is a [`DecodeError`]
    /// with a short reason that does not repeat the value.
    pub fn decode(raw: &str) -> Result<ConsentValue, DecodeError> {
        // RFC 6265 allows a cookie value wrapped in double quotes; ours never contains one.
        let raw = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(inner) if !inner.contains('"') => inner,
            _ => raw,
        };
        check_escapes(raw.as_bytes())?;
        let bytes: Vec<u8> = percent_decode(raw.as_bytes()).collect();
        let text = String::from_utf8(bytes)
            .map_err(|e| reason(format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to())))?;
        from_json_text(&text).map_err(|e| reason(e.short()))
    }

    /// The value as JSON, keys in the fixed order; `pretty` indents it (records).
    pub(crate) fn to_json(&self, pretty: bool) -> String {
        let (nl, ind, sep) = if pretty {
            ("\n", "  ", ": ")
        } else {
            ("", "", ":")
        };
        let mut out = String::with_capacity(256);
        out.push('{');
        let fields: [(&str, String); 7] = [
            ("v", self.v.to_string()),
            ("site", json_string(&self.site)),
            ("policy", json_string(&self.policy)),
            ("hash", json_string(&self.hash)),
            ("id", json_string(&self.id)),
            ("given", json_string(&format_time(self.given))),
            ("expires", json_string(&format_time(self.expires))),
        ];
        for (key, val) in &fields {
            out.push_str(nl);
            out.push_str(ind);
            out.push_str(&json_string(key));
            out.push_str(sep);
            out.push_str(val);
            out.push(',');
        }
        out.push_str(nl);
        out.push_str(ind);
        out.push_str("\"categories\"");
        out.push_str(sep);
        out.push_str(&categories_json(&self.categories, pretty));
        out.push_str(nl);
        out.push('}');
        out
    }
}

/// The categories as a JSON object in their order; `pretty` indents them as a
/// field of a pretty top-level object.
pub(crate) fn categories_json(categories: &[(String, bool)], pretty: bool) -> String {
    if categories.is_empty() {
        return "{}".to_owned();
    }
    let mut out = String::from("{");
    for (i, (id, granted)) in categories.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if pretty {
            out.push_str("\n    ");
        }
        out.push_str(&json_string(id));
        out.push_str(if pretty { ": " } else { ":" });
        out.push_str(if *granted { "true" } else { "false" });
    }
    if pretty {
        out.push_str("\n  ");
    }
    out.push('}');
    out
}

/// A time as RFC 3339 in UTC with whole seconds and `Z`, e.g. `2026-11-23T11:00:00Z`.
pub fn format_time(t: OffsetDateTime) -> String {
    let t = to_utc_seconds(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses an RFC 3339 time into UTC, truncated to whole seconds.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
    let t = t.checked_to_offset(UtcOffset::UTC)?;
    t.replace_nanosecond(0).ok()
}

/// `t` in UTC with the sub-second part dropped; a time that cannot be moved to
/// UTC (at the edge of the representable range) is kept as it is.
fn to_utc_seconds(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.checked_to_offset(UtcOffset::UTC).unwrap_or(t);
    t.replace_nanosecond(0).unwrap_or(t)
}

/// A JSON string literal for `s` (the same escapes serde_json writes).
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn reason(msg: impl Into<String>) -> DecodeError {
    let mut msg: String = msg.into();
    if msg.len() > MAX_REASON {
        let mut cut = MAX_REASON;
        while !msg.is_char_boundary(cut) {
            cut -= 1;
        }
        msg.truncate(cut);
        msg.push('…');
    }
    DecodeError(msg)
}

/// Every `%` must start a two-hex-digit escape.
fn check_escapes(bytes: &[u8]) -> Result<(), DecodeError> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if !ok {
                return Err(reason(format!("bad percent escape at byte {i}")));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// Why JSON text is not a consent: a message and, when known, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonProblem {
    /// What is wrong.
    pub message: String,
    /// One-based line, 0 when not known.
    pub line: usize,
    /// One-based column, 0 when not known.
    pub column: usize,
}

impl JsonProblem {
    fn new(message: impl Into<String>) -> JsonProblem {
        JsonProblem {
            message: message.into(),
            line: 0,
            column: 0,
        }
    }

    /// A short reason that drops quoted strings and cuts long `backticked`
    /// names (both may come from the value).
    fn short(&self) -> String {
        let mut out = String::new();
        let mut in_quote = false;
        let mut escaped = false;
        let mut tick: Option<usize> = None;
        for c in self.message.chars() {
            if let Some(n) = tick.as_mut() {
                if c == '`' {
                    tick = None;
                    out.push(c);
                } else {
                    *n += 1;
                    if *n <= MAX_NAME {
                        out.push(c);
                    } else if *n == MAX_NAME + 1 {
                        out.push('…');
                    }
                }
            } else if c == '`' {
                tick = Some(0);
                out.push(c);
            } else if in_quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_quote = false;
                    out.push_str("\"…\"");
                }
            } else if c == '"' {
                in_quote = true;
            } else {
                out.push(c);
            }
        }
        if in_quote {
            out.push_str("\"…");
        }
        if self.column > 0 {
            out.push_str(&format!(" (column {})", self.column));
        }
        out
    }
}

impl fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The JSON shape, as read (times still text).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a consent object")]
struct Wire {
    v: u32,
    site: String,
    policy: String,
    hash: String,
    id: String,
    given: String,
    expires: String,
    categories: Categories,
}

/// A JSON object of booleans, read in its order; a repeated id is an error.
struct Categories(Vec<(String, bool)>);

impl<'de> Deserialize<'de> for Categories {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Categories;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of category id to boolean")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Categories, A::Error> {
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                while let Some((id, granted)) = map.next_entry::<String, bool>()? {
                    if !seen.insert(id.clone()) {
                        return Err(de::Error::custom("repeated category id"));
                    }
                    out.push((id, granted));
                }
                Ok(Categories(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses consent JSON (compact or pretty) and checks its rules.
pub(crate) fn from_json_text(text: &str) -> Result<ConsentValue, JsonProblem> {
    // serde would also read a struct from a JSON array; only an object is a consent.
    let start = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if start.starts_with('[') {
        return Err(JsonProblem::new(
            "invalid type: array, expected a consent object",
        ));
    }
    let wire: Wire = serde_json::from_str(text).map_err(|e| {
        let h = JsonError::new(&e, text.as_bytes());
        JsonProblem {
            message: match h.category {
                Category::Data => h.private(),
                _ => h.summary().to_owned(),
            },
            line: h.line,
            column: h.column,
        }
    })?;
    if wire.v != VERSION {
        return Err(JsonProblem::new(format!(
            "unsupported version {} (expected {VERSION})",
            wire.v
        )));
    }
    if wire.site.is_empty() {
        return Err(JsonProblem::new("empty site"));
    }
    let given = parse_time(&wire.given)
        .ok_or_else(|| JsonProblem::new("`given` is not an RFC 3339 time"))?;
    let expires = parse_time(&wire.expires)
        .ok_or_else(|| JsonProblem::new("`expires` is not an RFC 3339 time"))?;
    Ok(ConsentValue {
        v: wire.v,
        site: wire.site,
        policy: wire.policy,
        hash: wire.hash,
        id: wire.id,
        given,
        expires,
        categories: wire.categories.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn sample() -> ConsentValue {
        ConsentValue {
            v: 1,
            site: "robertleaf.my.opendatasoft.com".into(),
            policy: "2026-11-22".into(),
            hash: "sha256:0123456789abcdef".into(),
            id: "6f1c2a4e-8b3d-4c1e-9f2a-1b2c3d4e5f60".into(),
            given: datetime!(2026-11-23 11:00:00 UTC),
            expires: datetime!(2027-05-24 11:00:00 UTC),
            categories: vec![
                ("necessary".into(), true),
                ("statistical".into(), false),
                ("first-party".into(), false),
                ("third-party".into(), true),
            ],
        }
    }

    #[test]
    fn compact_json_has_fixed_key_order() {
        assert_eq!(
            sample().to_json(false),
            "{\"v\":1,\"site\":\"robertleaf.my.opendatasoft.com\",\"policy\":\"2026-11-22\",\
             \"hash\":\"sha256:0123456789abcdef\",\"id\":\"6f1c2a4e-8b3d-4c1e-9f2a-1b2c3d4e5f60\",\
             \"given\":\"2026-11-23T11:00:00Z\",\"expires\":\"2027-05-24T11:00:00Z\",\
             \"categories\":{\"necessary\":true,\"statistical\":false,\"first-party\":false,\
             \"third-party\":true}}"
        );
    }

    #[test]
    fn pretty_json_parses_back() {
        let v = sample();
        let pretty = v.to_json(true);
        assert!(pretty.contains("\n  \"categories\": {\n    \"necessary\": true,"));
        assert_eq!(from_json_text(&pretty).unwrap(), v);
        let parsed: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(parsed["v"], 1);
    }

    #[test]
    fn json_string_matches_serde_json() {
        let s: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é€😀".chars())
            .collect();
        assert_eq!(json_string(&s), serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn time_format_and_parse() {
        let t = datetime!(2026-11-23 12:00:00.75 +01:00);
        assert_eq!(format_time(t), "2026-11-23T11:00:00Z");
        assert_eq!(
            parse_time("2026-11-23T12:00:00.9+01:00"),
            Some(datetime!(2026-11-23 11:00:00 UTC))
        );
        assert_eq!(parse_time("2026-11-23 11:00:00"), None);
        assert_eq!(parse_time("9999-12-31T23:00:00-05:00"), None);
    }

    #[test]
    fn reasons_drop_quoted_text_and_stay_short() {
        let p = JsonProblem {
            message: "invalid type: string \"sec\\\"ret\", expected u32".into(),
            line: 1,
            column: 9,
        };
        assert_eq!(
            p.short(),
            "invalid type: string \"…\", expected u32 (column 9)"
        );
        let long = reason("x".repeat(500));
        assert!(long.0.chars().count() <= MAX_REASON + 1);
    }

    #[test]
    fn granted_and_expiry() {
        let v = sample();
        assert!(v.granted("necessary"));
        assert!(!v.granted("statistical"));
        assert!(!v.granted("nope"));
        assert!(!v.is_expired(datetime!(2027-05-24 10:59:59 UTC)));
        assert!(v.is_expired(datetime!(2027-05-24 11:00:00 UTC)));
    }

    #[test]
    fn quoted_value_is_accepted() {
        let v = sample();
        assert_eq!(ConsentValue::decode(&format!("\"{}\"", v.encode())), Ok(v));
    }
}
