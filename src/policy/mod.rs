//! The platform's declared cookie policy: schema, loading, name patterns.

pub mod catalog;
mod decl_index;
pub mod diff;
pub mod host;
pub mod import;
mod json_path;
pub mod load;
pub mod model;
pub mod pattern;

pub use crate::domain::is_plain_host;
pub use host::{normalize_host, normalized_host};
pub use load::shipped;
pub use model::{Category, Declaration, PolicyDoc, Undeclared};

use crate::model::{Cookie, domain_matches};

/// Errors loading a policy.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{origin}: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The JSON is malformed or of the wrong shape.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The file (or `shipped:NAME`).
        origin: String,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// The JSON parses but breaks a rule of the schema.
    #[error("{origin}{}: {field}: {message}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        origin: String,
        /// One-based line of the offending value in the file, when it can be found.
        line: Option<usize>,
        /// The field path, e.g. `cookies[2].category`.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The known-cookie catalog (`--known FILE` or the data dir's CSV) could not be read.
    #[error(transparent)]
    Known(#[from] crate::known::KnownError),
}

/// A loaded, validated policy with its name patterns compiled.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy as written.
    pub doc: PolicyDoc,
    /// Where it came from (a path, or `shipped:NAME`).
    pub origin: String,
    /// `sha256:` + first 16 hex digits of the canonical JSON's hash.
    pub hash: String,
    /// Compiled matchers, one per declaration, same order as `doc.cookies`
    /// (none for the known-cookie catalog's policy: the catalog matches its cookies).
    matchers: Vec<pattern::NameMatcher>,
    /// The declarations by name, so a cookie is checked against the few
    /// that may match it, not all of them.
    index: decl_index::DeclIndex,
    /// The third-party domains declarations name (without the leading dot,
    /// and whether subdomains count), each once.
    third_party: Vec<(String, bool)>,
    /// True for the known-cookie catalog's policy (`known::governing`).
    catalog: bool,
}

impl Policy {
    /// Parses and validates policy JSON; `origin` names it in messages.
    pub fn from_json(text: &str, origin: &str) -> Result<Policy, PolicyError> {
        load::from_json(text, origin)
    }

    /// Reads, parses and validates the policy file at `path`.
    pub fn from_path(path: &std::path::Path) -> Result<Policy, PolicyError> {
        load::from_path(path)
    }

    /// True for the known-cookie catalog acting as a policy (the `*` scope's).
    pub fn is_catalog(&self) -> bool {
        self.catalog
    }

    /// Looks up a category by id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.doc.categories.iter().find(|c| c.id == id)
    }

    /// True when `id` names a required category.
    pub fn is_required(&self, id: &str) -> bool {
        self.category(id).is_some_and(|c| c.required)
    }

    /// Index of the category `id` in `doc.categories`.
    pub fn category_index(&self, id: &str) -> Option<usize> {
        self.doc.categories.iter().position(|c| c.id == id)
    }

    /// The `sites` patterns joined for messages (`*.a.test, b.test`).
    pub fn site_patterns(&self) -> String {
        self.doc.sites.join(", ")
    }

    /// True when the policy's `sites` cover `host`: an exact host, or `*.d` for
    /// any host ending in `.d`. Case, a port and a trailing dot are ignored.
    pub fn covers_site(&self, host: &str) -> bool {
        self.covers_normal_site(&normalized_host(host))
    }

    /// [`Policy::covers_site`] for a host already normalised (as
    /// [`normalized_host`] gives it).
    pub fn covers_normal_site(&self, host: &str) -> bool {
        !host.is_empty()
            && self
                .doc
                .sites
                .iter()
                .any(|p| host::site_pattern_covers(p, host))
    }

    /// True when `domain` (a cookie's domain) is named by a declaration whose
    /// `domain` is not the site's own: the site is not that domain nor under it,
    /// and the cookie's domain equals it, or is under it when it has a leading dot.
    /// `site` is a normalised host, as [`normalize_host`] or a [`crate::scopes::Scope`] gives it.
    pub fn is_third_party_domain(&self, domain: &str, site: &str) -> bool {
        self.third_party.iter().any(|(bare, with_subdomains)| {
            !domain_matches(site, bare, false) && domain_matches(domain, bare, !with_subdomains)
        })
    }

    /// The first declaration, in policy order, whose domain constraint fits the
    /// cookie and whose names match it. Without `domain`, a declaration fits the
    /// cookies a browser sends to `site`; with one, the cookies on that domain
    /// (and its subdomains when written with a leading dot). `site` is a
    /// normalised host, as [`normalize_host`] or a [`crate::scopes::Scope`] gives it.
    pub fn match_declaration(&self, cookie: &Cookie, site: &str) -> Option<usize> {
        self.index
            .candidates(&cookie.name)
            .into_iter()
            .map(|i| i as usize)
            .find(|&i| {
                let (Some(decl), Some(names)) = (self.doc.cookies.get(i), self.matchers.get(i))
                else {
                    return false;
                };
                let fits = match decl.domain.as_deref() {
                    None => cookie.sent_to(site),
                    Some(domain) => {
                        let (bare, with_subdomains) = split_domain(domain);
                        domain_matches(&cookie.domain, bare, !with_subdomains)
                    }
                };
                fits && names.matches(&cookie.name)
            })
    }

    /// The index and third-party domains of `doc`'s declarations.
    fn indexes(doc: &PolicyDoc) -> (decl_index::DeclIndex, Vec<(String, bool)>) {
        let mut third_party: Vec<(String, bool)> = Vec::new();
        for d in doc.cookies.iter().filter_map(|d| d.domain.as_deref()) {
            let (bare, with_subdomains) = split_domain(d);
            let entry = (bare.to_string(), with_subdomains);
            if !third_party.contains(&entry) {
                third_party.push(entry);
            }
        }
        (decl_index::DeclIndex::new(&doc.cookies), third_party)
    }
}

/// A declaration's `domain` without its leading dot, and whether it had one.
fn split_domain(domain: &str) -> (&str, bool) {
    match domain.strip_prefix('.') {
        Some(bare) => (bare, true),
        None => (domain, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CookieKey;
    use crate::model::OwnedCookie;

    const DOC: &str = r#"{"schema": 1, "name": "t", "publisher": "p",
        "sites": ["*.site.test", "exact.test"], "revision": "r", "consent_lifetime_days": 1,
        "preferences_cookie": "prefs",
        "categories": [{"id": "req", "label": "R", "required": true}, {"id": "ads", "label": "A"}],
        "cookies": [
            {"names": ["prefs", "dup"], "category": "req"},
            {"names": ["dup", "ad*"], "category": "ads", "domain": ".ads.test"},
            {"names": ["ad*"], "category": "ads", "domain": "site.test"}
        ],
        "undeclared": {"first_party": "ads", "third_party": "ads"}}"#;

    fn policy() -> Policy {
        Policy::from_json(DOC, "t.json").expect("valid")
    }

    fn cookie(name: &str, domain: &str, host_only: bool) -> OwnedCookie {
        Cookie {
            host_only,
            ..Cookie::basic(name, domain, CookieKey::Line(0))
        }
    }

    #[test]
    fn categories() {
        let p = policy();
        assert_eq!(p.category_index("ads"), Some(1));
        assert_eq!(p.category_index("nope"), None);
        assert!(p.is_required("req"));
        assert!(!p.is_required("ads"));
        assert!(!p.is_required("nope"));
        assert_eq!(p.site_patterns(), "*.site.test, exact.test");
    }

    #[test]
    fn covers_site_rules() {
        let p = policy();
        assert!(p.covers_site("www.site.test"));
        assert!(p.covers_site("WWW.Site.Test.:8080"));
        assert!(p.covers_site("exact.test"));
        assert!(!p.covers_site("site.test"));
        assert!(!p.covers_site("a.exact.test"));
    }

    #[test]
    fn third_party_domain_rules() {
        let p = policy();
        assert!(p.is_third_party_domain("ads.test", "www.site.test"));
        assert!(p.is_third_party_domain("x.ads.test", "www.site.test"));
        // `site.test` is the site's own (the site is under it), dot or not.
        assert!(!p.is_third_party_domain("site.test", "www.site.test"));
        // For a site outside site.test, that declaration names a third party,
        // but only exactly (no leading dot).
        assert!(p.is_third_party_domain("site.test", "exact.test"));
        assert!(!p.is_third_party_domain("www.site.test", "exact.test"));
    }

    #[test]
    fn match_declaration_rules() {
        let p = policy();
        let site = "www.site.test";
        let m = |c: Cookie| p.match_declaration(&c, site);
        assert_eq!(m(cookie("dup", site, true)), Some(0), "first in order");
        assert_eq!(m(cookie("dup", "ads.test", false)), Some(1));
        assert_eq!(
            m(cookie("dup", "other.site.test", true)),
            None,
            "not sent to the site"
        );
        assert_eq!(
            m(cookie("adx", "site.test", true)),
            Some(2),
            "domain given: on it is enough"
        );
        assert_eq!(
            m(cookie("adx", "sub.site.test", false)),
            None,
            "no leading dot: exact only"
        );
        assert_eq!(m(cookie("adx", "x.ads.test", true)), Some(1));
        assert_eq!(m(cookie("unknown", site, true)), None);
    }

    #[test]
    fn error_display() {
        let e = PolicyError::Invalid {
            origin: "p.json".into(),
            line: Some(4),
            field: "cookies[2].category".into(),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "p.json:4: cookies[2].category: bad");
        let e = PolicyError::Invalid {
            origin: "p.json".into(),
            line: None,
            field: "schema".into(),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "p.json: schema: bad");
        let e = PolicyError::Syntax {
            origin: "p.json".into(),
            line: 7,
            column: 3,
            message: "trailing comma".into(),
        };
        assert_eq!(e.to_string(), "p.json:7:3: trailing comma");
    }
}
