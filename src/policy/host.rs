//! Host names: normalising what users type, checking what policies write.

use std::borrow::Cow;

use crate::domain::is_plain_host;

/// Normalises a host as a user may type it: lower case, without scheme, path,
/// port or trailing dot (`HTTPS://Portal.Example.test:8443/x` → `portal.example.test`).
pub fn normalize_host(host: &str) -> String {
    normalized_host(host).into_owned()
}

/// [`normalize_host`], borrowing `host` when it is already normal (as a
/// jar's cookie domains are): classifying a million cookies allocates nothing.
pub fn normalized_host(host: &str) -> Cow<'_, str> {
    if is_plain_host(host) && !host.ends_with('.') {
        return Cow::Borrowed(host);
    }
    Cow::Owned(normalize_slow(host))
}

fn normalize_slow(host: &str) -> String {
    let mut h = host.trim();
    if let Some((_, rest)) = h.split_once("://") {
        h = rest;
    }
    if let Some(cut) = h.find(['/', '?', '#']) {
        h = &h[..cut];
    }
    if let Some(bracketed) = h.strip_prefix('[') {
        // An IPv6 literal keeps its brackets; only a port after `]` goes.
        if let Some(end) = bracketed.find(']') {
            h = &h[..end + 2];
        }
    } else if let Some((name, port)) = h.rsplit_once(':')
        && !name.contains(':')
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        h = name;
    }
    h.strip_suffix('.').unwrap_or(h).to_ascii_lowercase()
}

/// True when `s` is a plausible host name: dot-separated labels of ASCII
/// letters, digits, `-` and `_`, none empty, at most 63 bytes each and 253 in all.
pub fn is_host(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// True when a `sites` entry (`host` or `*.host`) is well formed.
pub fn is_site_pattern(pattern: &str) -> bool {
    is_host(pattern.strip_prefix("*.").unwrap_or(pattern))
}

/// True when the `sites` entry covers the already normalised `host`: an exact
/// host, or `*.d` for any host ending in `.d` (not `d` itself). ASCII case is ignored.
pub fn site_pattern_covers(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host.len() > suffix.len() + 1
                && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
                && host[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        }
        None => host.eq_ignore_ascii_case(pattern),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_full_normalisation(host in "[ -~]{0,24}") {
            proptest::prop_assert_eq!(normalized_host(&host), normalize_slow(&host));
        }
    }

    #[test]
    fn normalise() {
        assert_eq!(normalize_host("Portal.Example.TEST"), "portal.example.test");
        assert_eq!(
            normalize_host("portal.example.test."),
            "portal.example.test"
        );
        assert_eq!(
            normalize_host("portal.example.test:8443"),
            "portal.example.test"
        );
        assert_eq!(
            normalize_host(" portal.example.test "),
            "portal.example.test"
        );
        assert_eq!(
            normalize_host("https://robertleaf.my.opendatasoft.com/explore/?q=1"),
            "robertleaf.my.opendatasoft.com"
        );
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
        assert_eq!(normalize_host("::1"), "::1");
        assert_eq!(normalize_host(""), "");
    }

    #[test]
    fn hosts() {
        assert!(is_host("opendatasoft.com"));
        assert!(is_host("localhost"));
        assert!(is_host("a-b_c.example.test"));
        assert!(!is_host(""));
        assert!(!is_host(".example.com"));
        assert!(!is_host("example..com"));
        assert!(!is_host("example.com."));
        assert!(!is_host("exa mple.com"));
        assert!(!is_host("*.example.com"));
        assert!(!is_host("http://example.com"));
        assert!(!is_host(&"a".repeat(64)));
    }

    #[test]
    fn site_patterns() {
        assert!(is_site_pattern("*.opendatasoft.com"));
        assert!(is_site_pattern("portal.example.test"));
        assert!(!is_site_pattern("*"));
        assert!(!is_site_pattern("*.*.example.com"));
        assert!(!is_site_pattern("a.*.example.com"));
        assert!(!is_site_pattern(".example.com"));
    }

    #[test]
    fn coverage() {
        let p = "*.opendatasoft.com";
        assert!(site_pattern_covers(p, "robertleaf.my.opendatasoft.com"));
        assert!(site_pattern_covers(
            p,
            "tneacademiegrenoble.opendatasoft.com"
        ));
        assert!(site_pattern_covers(
            "*.OpenDataSoft.com",
            "x.opendatasoft.com"
        ));
        assert!(!site_pattern_covers(p, "opendatasoft.com"));
        assert!(!site_pattern_covers(p, "xopendatasoft.com"));
        assert!(!site_pattern_covers(p, "opendatasoft.com.evil.test"));
        assert!(site_pattern_covers(
            "portal.example.test",
            "portal.example.test"
        ));
        assert!(!site_pattern_covers(
            "portal.example.test",
            "a.portal.example.test"
        ));
    }
}
