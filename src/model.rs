//! The uniform read view of a cookie that every jar format produces.

use std::borrow::Cow;
use std::fmt;

pub use crate::domain::{Domain, matches as domain_matches};

/// The SameSite attribute as a jar records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// `SameSite=None`.
    None,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// The jar records no SameSite attribute (or the format has none).
    Unset,
}

impl SameSite {
    /// The lower-case name used in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::None => "none",
            SameSite::Lax => "lax",
            SameSite::Strict => "strict",
            SameSite::Unset => "unset",
        }
    }

    /// Reads any tool's spelling, in any case: `Strict`, `lax`, `None`,
    /// `no_restriction` (browser extensions), `unspecified`; anything else is `Unset`.
    pub fn parse(spelling: &str) -> SameSite {
        match spelling.trim().to_ascii_lowercase().as_str() {
            "strict" => SameSite::Strict,
            "lax" => SameSite::Lax,
            "none" | "no_restriction" => SameSite::None,
            _ => SameSite::Unset,
        }
    }

    /// The capitalised spelling of Playwright, Puppeteer, the DevTools
    /// protocol and WebDriver; `None` for `Unset` (they leave the field out).
    pub fn title_case(self) -> Option<&'static str> {
        match self {
            SameSite::None => Some("None"),
            SameSite::Lax => Some("Lax"),
            SameSite::Strict => Some("Strict"),
            SameSite::Unset => None,
        }
    }
}

/// When a cookie expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Expiry {
    /// Lives until the browser session ends.
    Session,
    /// Expires at this many seconds since the Unix epoch.
    At(i64),
}

impl Expiry {
    /// True when the cookie has a fixed expiry that is not after `now`.
    pub fn is_expired(self, now: i64) -> bool {
        matches!(self, Expiry::At(t) if t <= now)
    }

    /// Seconds since the Unix epoch, fractions dropped; negative (Playwright's
    /// and the DevTools protocol's `-1`) or not finite means a session cookie.
    pub fn from_seconds(t: f64) -> Expiry {
        if t.is_finite() && t >= 0.0 {
            // `as` saturates: a date past year 292e9 stays a far date, not a wrap.
            Expiry::At(t.floor() as i64)
        } else {
            Expiry::Session
        }
    }

    /// An RFC 3339 / ISO 8601 date (HAR's `expires`); `None` if it is none.
    pub fn from_iso8601(text: &str) -> Option<Expiry> {
        let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .ok()?;
        Some(Expiry::At(t.unix_timestamp()))
    }

    /// Seconds since 2001-01-01 UTC (Apple's reference date: Safari's binarycookies).
    pub fn from_apple_seconds(t: f64) -> Expiry {
        Expiry::from_seconds(t + APPLE_EPOCH as f64)
    }

    /// Seconds since the Unix epoch, or `None` for a session cookie.
    pub fn unix_seconds(self) -> Option<i64> {
        match self {
            Expiry::Session => None,
            Expiry::At(t) => Some(t),
        }
    }
}

/// 2001-01-01T00:00:00Z in Unix seconds (Apple's reference date).
pub const APPLE_EPOCH: i64 = 978_307_200;

/// Identifies a cookie's record inside its own jar format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CookieKey {
    /// The zero-based index of the line in a cookies.txt file.
    Line(usize),
    /// cookie_store JSON: domain (as stored), path, name (boxed: keys stay small).
    Store(Box<StoreKey>),
    /// The zero-based index of the object in a browser-extension JSON export.
    Index(usize),
    /// Firefox `moz_cookies`: the columns of its unique index (boxed: keys stay small).
    Firefox(Box<FirefoxKey>),
    /// Chromium `cookies`: the columns of the database's unique index (boxed).
    Chromium(Box<ChromiumKey>),
}

/// A cookie_store record's identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreKey {
    /// The stored domain, without leading dot.
    pub domain: String,
    /// The cookie path.
    pub path: String,
    /// The cookie name.
    pub name: String,
}

/// A Firefox row's identity: the columns of `moz_uniqueid`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FirefoxKey {
    /// `name`.
    pub name: String,
    /// `host` as stored (leading dot for a domain cookie).
    pub host: String,
    /// `path`.
    pub path: String,
    /// `originAttributes` (containers, `partitionKey=`); empty when none.
    pub origin_attributes: String,
}

/// A Chromium row's identity: the columns of the database's unique index.
/// The integer columns are `None` when that version's index lacks them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChromiumKey {
    /// `host_key` as stored (leading dot for a domain cookie).
    pub host_key: String,
    /// `top_frame_site_key` (the partition); empty when none or not in the index.
    pub top_frame_site_key: String,
    /// `has_cross_site_ancestor` (version 21 and later).
    pub has_cross_site_ancestor: Option<i64>,
    /// `name`.
    pub name: String,
    /// `path`.
    pub path: String,
    /// `source_scheme` (version 18 and later).
    pub source_scheme: Option<i64>,
    /// `source_port` (version 18 and later).
    pub source_port: Option<i64>,
}

impl fmt::Display for CookieKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CookieKey::Line(i) => write!(f, "line {}", i + 1),
            CookieKey::Store(k) => write!(f, "{} {} {}", k.domain, k.path, k.name),
            CookieKey::Index(i) => write!(f, "cookie #{}", i + 1),
            CookieKey::Firefox(k) => {
                write!(f, "{} {} {}", k.host, k.path, k.name)?;
                match k.origin_attributes.as_str() {
                    "" => Ok(()),
                    oa => write!(f, " {oa}"),
                }
            }
            CookieKey::Chromium(k) => {
                write!(f, "{} {} {}", k.host_key, k.path, k.name)?;
                match k.top_frame_site_key.as_str() {
                    "" => Ok(()),
                    top => write!(f, " (partition {top})"),
                }
            }
        }
    }
}

/// One cookie as read from a jar: its strings borrow from the jar where they
/// can (a million-cookie cookies.txt is viewed, not copied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie<'a> {
    /// The cookie name.
    pub name: Cow<'a, str>,
    /// The cookie value: a secret, never printed unless asked.
    pub value: Cow<'a, str>,
    /// The domain, lower case, without leading dot or port.
    pub domain: Cow<'a, str>,
    /// True when the cookie is sent only to exactly `domain`.
    pub host_only: bool,
    /// The cookie path.
    pub path: Cow<'a, str>,
    /// Sent only over secure connections.
    pub secure: bool,
    /// Hidden from scripts.
    pub http_only: bool,
    /// The SameSite attribute.
    pub same_site: SameSite,
    /// When the cookie expires.
    pub expiry: Expiry,
    /// Partition (Firefox originAttributes, Chromium top_frame_site_key); empty when none.
    pub partition: Cow<'a, str>,
    /// Where the cookie lives in its own format.
    pub key: CookieKey,
}

/// A cookie that owns its strings (what formats other than cookies.txt keep).
pub type OwnedCookie = Cookie<'static>;

impl Cookie<'_> {
    /// A session cookie on `/` with no flags, host-only on `domain`: a base
    /// to adjust with struct-update syntax (tests, synthetic jars).
    pub fn basic(name: &str, domain: &str, key: CookieKey) -> OwnedCookie {
        Cookie {
            name: Cow::Owned(name.into()),
            value: Cow::Borrowed(""),
            domain: Cow::Owned(domain.into()),
            host_only: true,
            path: Cow::Borrowed("/"),
            secure: false,
            http_only: false,
            same_site: SameSite::Unset,
            expiry: Expiry::Session,
            partition: Cow::Borrowed(""),
            key,
        }
    }

    /// True when a browser would send this cookie to `host` (DESIGN §3).
    pub fn sent_to(&self, host: &str) -> bool {
        domain_matches(host, &self.domain, self.host_only)
    }

    /// The domain as people read it: a leading dot marks a domain cookie.
    pub fn domain_label(&self) -> String {
        crate::domain::label(&self.domain, self.host_only)
    }

    /// Where the cookie is sent: its domain and host-only flag.
    pub fn where_sent(&self) -> Domain<'_> {
        Domain {
            name: Cow::Borrowed(&self.domain),
            host_only: self.host_only,
        }
    }

    /// The same cookie, its strings borrowed from this one.
    pub fn borrowed(&self) -> Cookie<'_> {
        Cookie {
            name: Cow::Borrowed(&self.name),
            value: Cow::Borrowed(&self.value),
            domain: Cow::Borrowed(&self.domain),
            host_only: self.host_only,
            path: Cow::Borrowed(&self.path),
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            expiry: self.expiry,
            partition: Cow::Borrowed(&self.partition),
            key: self.key.clone(),
        }
    }

    /// The same cookie owning its strings.
    pub fn into_owned(self) -> OwnedCookie {
        Cookie {
            name: Cow::Owned(self.name.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            domain: Cow::Owned(self.domain.into_owned()),
            host_only: self.host_only,
            path: Cow::Owned(self.path.into_owned()),
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            expiry: self.expiry,
            partition: Cow::Owned(self.partition.into_owned()),
            key: self.key,
        }
    }
}

/// A jar's cookies by index, however the jar keeps them: a slice of owned
/// cookies, or views made on demand from a file's bytes. (`Sync`: passes over
/// a big jar split it between threads.)
pub trait Cookies: Sync {
    /// How many cookies there are.
    fn len(&self) -> usize;
    /// The cookie at `index`, or None past the end.
    fn get(&self, index: usize) -> Option<Cookie<'_>>;
    /// The domain and host-only flag of the cookie at `index`: all that
    /// scoping a cookie needs, which a jar may give more cheaply than `get`.
    fn domain(&self, index: usize) -> Option<(Cow<'_, str>, bool)> {
        self.get(index).map(|c| (c.domain, c.host_only))
    }
    /// True when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for dyn Cookies + '_ {
    // Cookies hold secrets: a debug print says how many, not what.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cookies({})", self.len())
    }
}

impl PartialEq for dyn Cookies + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl dyn Cookies + '_ {
    /// The cookie at `index`; like slice indexing, an index past the end is a
    /// bug of the caller and panics.
    pub fn at(&self, index: usize) -> Cookie<'_> {
        match self.get(index) {
            Some(c) => c,
            None => panic!("cookie index {index} out of range ({} cookies)", self.len()),
        }
    }

    /// Every cookie, in order.
    pub fn iter(&self) -> impl Iterator<Item = Cookie<'_>> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every cookie, owned (tests and small jars).
    pub fn to_vec(&self) -> Vec<OwnedCookie> {
        self.iter().map(Cookie::into_owned).collect()
    }
}

impl Cookies for [Cookie<'_>] {
    fn len(&self) -> usize {
        <[Cookie<'_>]>::len(self)
    }
    fn get(&self, index: usize) -> Option<Cookie<'_>> {
        <[Cookie<'_>]>::get(self, index).map(Cookie::borrowed)
    }
}

impl<const N: usize> Cookies for [Cookie<'_>; N] {
    fn len(&self) -> usize {
        N
    }
    fn get(&self, index: usize) -> Option<Cookie<'_>> {
        self.as_slice().get(index).map(Cookie::borrowed)
    }
}

impl Cookies for Vec<Cookie<'_>> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn get(&self, index: usize) -> Option<Cookie<'_>> {
        self.as_slice().get(index).map(Cookie::borrowed)
    }
}

/// A cookie to be written into a jar (the preferences cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCookie {
    /// The cookie name.
    pub name: String,
    /// The value to write.
    pub value: String,
    /// Domain without leading dot.
    pub domain: String,
    /// Host-only or a domain cookie.
    pub host_only: bool,
    /// Path.
    pub path: String,
    /// Secure flag.
    pub secure: bool,
    /// HttpOnly flag.
    pub http_only: bool,
    /// SameSite.
    pub same_site: SameSite,
    /// Expiry.
    pub expiry: Expiry,
}

impl NewCookie {
    /// Where the cookie is to be sent: its domain, normalised, and host-only flag.
    pub fn where_sent(&self) -> Domain<'_> {
        Domain::new(&self.domain, self.host_only)
    }

    /// The read view of the cookie once a jar holds it as record `key`
    /// (unpartitioned; a format with its own spelling of an expiry or key
    /// overrides those fields).
    pub fn view(&self, key: CookieKey) -> OwnedCookie {
        Cookie {
            name: Cow::Owned(self.name.clone()),
            value: Cow::Owned(self.value.clone()),
            domain: Cow::Owned(self.where_sent().into_name()),
            host_only: self.host_only,
            path: Cow::Owned(self.path.clone()),
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            expiry: self.expiry,
            partition: Cow::Borrowed(""),
            key,
        }
    }
}

/// What a jar must change: records to drop and a cookie to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    /// Records to remove.
    pub remove: Vec<CookieKey>,
    /// The cookie to write, replacing the record named (value and expiry only), or added.
    pub set: Option<SetCookie>,
}

/// The preferences cookie write: in place over an existing record, or a new record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetCookie {
    /// Replace value and expiry of this record, keeping its domain, path and flags.
    Replace {
        /// The record to update.
        key: CookieKey,
        /// New value.
        value: String,
        /// New expiry.
        expiry: Expiry,
    },
    /// Add a new record.
    Add(NewCookie),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_spellings_normalise_once() {
        for (text, want) in [
            ("Strict", SameSite::Strict),
            ("strict", SameSite::Strict),
            ("Lax", SameSite::Lax),
            ("lax", SameSite::Lax),
            ("None", SameSite::None),
            ("none", SameSite::None),
            ("no_restriction", SameSite::None),
            ("unspecified", SameSite::Unset),
            ("", SameSite::Unset),
        ] {
            assert_eq!(SameSite::parse(text), want, "{text}");
        }
        assert_eq!(SameSite::Lax.title_case(), Some("Lax"));
        assert_eq!(SameSite::Unset.title_case(), None);
    }

    #[test]
    fn time_spellings() {
        assert_eq!(Expiry::from_seconds(-1.0), Expiry::Session);
        assert_eq!(
            Expiry::from_seconds(1830848692.749778),
            Expiry::At(1830848692)
        );
        assert_eq!(Expiry::from_seconds(f64::NAN), Expiry::Session);
        assert_eq!(
            Expiry::from_iso8601("2036-10-01T08:00:00.000Z"),
            Some(Expiry::At(2106460800))
        );
        assert_eq!(Expiry::from_iso8601("soon"), None);
        assert_eq!(Expiry::from_apple_seconds(0.0), Expiry::At(APPLE_EPOCH));
    }

    #[test]
    fn expiry_expired() {
        assert!(Expiry::At(10).is_expired(10));
        assert!(!Expiry::At(11).is_expired(10));
        assert!(!Expiry::Session.is_expired(i64::MAX));
    }
}
