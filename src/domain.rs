//! A cookie's domain: how every jar format normalises what it stores, how a
//! browser matches it against a host (DESIGN §3), and how people read it.

use std::borrow::Cow;

/// A cookie's domain as the model holds it: lower case, without the leading
/// dot or a port; `host_only` says whether it is sent to that host only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain<'a> {
    /// The domain, normalised.
    pub name: Cow<'a, str>,
    /// Sent to exactly `name` only (no leading dot where a jar stores one).
    pub host_only: bool,
}

impl<'a> Domain<'a> {
    /// A domain as a jar stores it where the leading dot is the flag (browser
    /// databases: `.x.com` is a domain cookie on `x.com`, `x.com` host-only).
    pub fn from_stored(stored: &'a str) -> Domain<'a> {
        Domain {
            host_only: !stored.trim_start().starts_with('.'),
            name: normalize(stored),
        }
    }

    /// A domain whose host-only flag the jar records apart from it.
    pub fn new(name: &'a str, host_only: bool) -> Domain<'a> {
        Domain {
            name: normalize(name),
            host_only,
        }
    }

    /// True when a browser would send the cookie to `host`.
    pub fn matches(&self, host: &str) -> bool {
        matches(host, &self.name, self.host_only)
    }

    /// The domain as people (and cookies.txt) read it: a leading dot marks a domain cookie.
    pub fn label(&self) -> String {
        label(&self.name, self.host_only)
    }

    /// The domain as a browser database stores it (a leading dot for a domain cookie).
    pub fn stored(&self) -> String {
        self.label()
    }

    /// The name, owned.
    pub fn into_name(self) -> String {
        self.name.into_owned()
    }
}

/// [`Domain::label`] of a normalised domain.
pub fn label(name: &str, host_only: bool) -> String {
    if host_only {
        name.to_owned()
    } else {
        format!(".{name}")
    }
}

/// A stored domain, normalised: no surrounding space, leading dot or port
/// (wget writes `host:port`), lower case. Borrows when the domain is already
/// plain, as nearly every one is: a million-cookie jar is viewed, not copied.
#[inline]
pub fn normalize(stored: &str) -> Cow<'_, str> {
    if is_plain_host(stored) {
        return Cow::Borrowed(stored.strip_prefix('.').unwrap_or(stored));
    }
    let d = stored.trim();
    let d = strip_port(d.strip_prefix('.').unwrap_or(d));
    if d.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(d.to_lowercase())
    } else {
        Cow::Borrowed(d)
    }
}

/// `host:port` → `host` (also `[v6]:port` → `[v6]`); a bare IPv6 address is left alone.
fn strip_port(d: &str) -> &str {
    if let Some(colon) = memchr::memrchr(b':', d.as_bytes())
        && let (host, port) = (&d[..colon], &d[colon + 1..])
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && ((host.starts_with('[') && host.ends_with(']')) || !host.contains(':'))
    {
        return host;
    }
    d
}

/// Bytes a normal host is made of: lower-case ASCII letters, digits, `-`, `_`, `.`.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_' || c == b'.';
        b += 1;
    }
    t
};

/// True when `host` has only the bytes of a normal host (no upper case, port,
/// scheme, path or space): what most cookie domains are, checked by table.
#[inline]
pub fn is_plain_host(host: &str) -> bool {
    host.bytes().all(|b| PLAIN[usize::from(b)])
}

/// The browser's domain-match rule: `host` equals `domain`, or, for a domain
/// cookie, `host` ends with `.` + `domain`. Comparison ignores ASCII case.
pub fn matches(host: &str, domain: &str, host_only: bool) -> bool {
    if host.eq_ignore_ascii_case(domain) {
        return true;
    }
    if host_only || domain.is_empty() || host.len() <= domain.len() {
        return false;
    }
    let cut = host.len() - domain.len();
    host.as_bytes()[cut - 1] == b'.' && host[cut..].eq_ignore_ascii_case(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_match_rule() {
        assert!(matches("a.example.com", "a.example.com", true));
        assert!(matches("A.Example.com", "a.example.COM", true));
        assert!(!matches("b.a.example.com", "a.example.com", true));
        assert!(matches("b.a.example.com", "a.example.com", false));
        assert!(matches("a.example.com", "example.com", false));
        assert!(!matches("aexample.com", "example.com", false));
        assert!(!matches("example.com", "a.example.com", false));
        assert!(!matches("example.com", "", false));
    }

    #[test]
    fn every_stored_form_normalises_alike() {
        for stored in [
            ".x.com",
            ".X.com",
            " .x.com ",
            ".x.com:8080",
            "x.com",
            "X.COM:443",
        ] {
            assert_eq!(normalize(stored), "x.com", "{stored:?}");
        }
        assert_eq!(normalize("[::1]:80"), "[::1]");
        assert_eq!(normalize("::1"), "::1");
        assert!(matches!(normalize(".x.com"), Cow::Borrowed("x.com")));
        assert!(matches!(normalize("x.com:80"), Cow::Borrowed("x.com")));
    }

    #[test]
    fn from_stored_reads_the_dot_as_the_flag() {
        let d = Domain::from_stored(".Shop.Example");
        assert_eq!((d.name.as_ref(), d.host_only), ("shop.example", false));
        assert!(d.matches("www.shop.example") && d.matches("shop.example"));
        assert_eq!(
            (d.label(), d.stored()),
            (".shop.example".into(), ".shop.example".into())
        );
        let h = Domain::from_stored("shop.example");
        assert!(h.host_only && !h.matches("www.shop.example"));
        assert_eq!(h.label(), "shop.example");
        assert_eq!(Domain::new(".a.test", false).label(), ".a.test");
    }
}
