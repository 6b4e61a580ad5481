//! The one resolution of scopes (DESIGN §1, §5b): which sites a jar holds
//! and which policy governs each. Every command and the TUI's site picker
//! call [`resolve`]; nothing else decides it.
//!
//! Only site scopes exist so far. The `*` scope (the cookies no site scope
//! takes, under the known-cookie catalog) and the scope of an uncovered
//! `--site HOST` are further [`ScopeKind`]s to come.

use std::sync::Arc;

use crate::classify;
use crate::model::Cookies;
use crate::policy::catalog::Catalog;
use crate::policy::{Policy, normalize_host};

/// What a scope is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// A site a declared policy covers: the cookies a browser sends to it
    /// plus those on the policy's third-party domains.
    Site,
}

/// One scope of a jar: a site and the policy that governs it.
#[derive(Debug, Clone)]
pub struct Scope {
    /// What kind of scope.
    kind: ScopeKind,
    /// The site (a normalised host).
    site: String,
    /// Its policy.
    policy: Arc<Policy>,
}

impl Scope {
    /// A site scope of `site` (normalised here) under `policy`.
    pub fn of_site(site: &str, policy: Arc<Policy>) -> Scope {
        Scope {
            kind: ScopeKind::Site,
            site: normalize_host(site),
            policy,
        }
    }

    /// What kind of scope.
    pub fn kind(&self) -> ScopeKind {
        self.kind
    }

    /// The site (a normalised host).
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The policy that governs the scope.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// How people see the scope named (the picker, banners).
    pub fn label(&self) -> &str {
        &self.site
    }
}

/// Two scopes are the same when they are of the same kind and site under
/// the same policy (same origin and content hash).
impl PartialEq for Scope {
    fn eq(&self, other: &Scope) -> bool {
        self.kind == other.kind
            && self.site == other.site
            && (Arc::ptr_eq(&self.policy, &other.policy)
                || (self.policy.origin == other.policy.origin
                    && self.policy.hash == other.policy.hash))
    }
}

impl Eq for Scope {}

/// Which scopes a command asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection<'a> {
    /// Every scope the jar holds.
    Every,
    /// `--site HOST`: the scope of that host (it must be covered, but need
    /// not have cookies in the jar).
    Site(&'a str),
}

impl<'a> Selection<'a> {
    /// `--site HOST` when given, else every scope.
    pub fn from_flag(site: Option<&'a str>) -> Selection<'a> {
        site.map_or(Selection::Every, Selection::Site)
    }
}

/// Errors resolving scopes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// No cookie of the jar belongs to a site a policy covers.
    #[error(
        "no cookie in the jar belongs to a site the policy covers ({patterns}); name one with --site HOST"
    )]
    None {
        /// The policies' site patterns, joined.
        patterns: String,
    },
    /// `--site` names a host no policy covers.
    #[error("--site {site}: the policy does not cover this host (it covers {patterns})")]
    NotCovered {
        /// The host asked for.
        site: String,
        /// The policies' site patterns, joined.
        patterns: String,
    },
}

/// The scopes of `cookies` that `selection` asks for, each with its policy:
/// a site takes the first policy of `catalog` (lookup order) that covers
/// it. Every scope comes sorted by site, and there is at least one.
pub fn resolve(
    cookies: &dyn Cookies,
    catalog: &Catalog,
    selection: Selection<'_>,
) -> Result<Vec<Scope>, ScopeError> {
    match selection {
        Selection::Site(requested) => Ok(vec![for_site(catalog, requested)?]),
        Selection::Every => {
            let mut found: Vec<Scope> = Vec::new();
            for policy in catalog.policies() {
                for site in classify::sites_in_jar(cookies, policy) {
                    if !found.iter().any(|f| f.site == site) {
                        found.push(Scope {
                            kind: ScopeKind::Site,
                            site,
                            policy: Arc::clone(policy),
                        });
                    }
                }
            }
            if found.is_empty() {
                return Err(ScopeError::None {
                    patterns: catalog.site_patterns(),
                });
            }
            found.sort_by(|a, b| a.site.cmp(&b.site));
            Ok(found)
        }
    }
}

/// The scope of `host` alone, jar or no jar (`consent set --site HOST`,
/// and `--site HOST` on a jar): the first policy of `catalog` covering it.
pub fn for_site(catalog: &Catalog, host: &str) -> Result<Scope, ScopeError> {
    match catalog.covering(host) {
        Some(policy) => Ok(Scope::of_site(host, Arc::clone(policy))),
        None => Err(ScopeError::NotCovered {
            site: host.trim().to_string(),
            patterns: catalog.site_patterns(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cookie, CookieKey, OwnedCookie};

    fn policy(name: &str, sites: &str) -> Policy {
        let doc = format!(
            r#"{{"schema": 1, "name": "{name}", "publisher": "p", "sites": [{sites}],
            "revision": "r", "consent_lifetime_days": 1, "preferences_cookie": "prefs",
            "categories": [{{"id": "req", "label": "R", "required": true}}, {{"id": "own", "label": "O"}}],
            "cookies": [{{"names": ["prefs"], "category": "req"}}],
            "undeclared": {{"first_party": "own", "third_party": "own"}}}}"#
        );
        Policy::from_json(&doc, &format!("{name}.json")).expect("valid")
    }

    fn cookie(domain: &str) -> OwnedCookie {
        Cookie {
            host_only: true,
            ..Cookie::basic("a", domain, CookieKey::Line(0))
        }
    }

    fn pairs(scopes: &[Scope]) -> Vec<(&str, &str)> {
        scopes
            .iter()
            .map(|s| (s.site(), s.policy().doc.name.as_str()))
            .collect()
    }

    #[test]
    fn each_site_takes_the_first_policy_that_covers_it() {
        let catalog = Catalog::of([
            policy("mine", r#""b.site.test""#),
            policy("broad", r#""*.site.test""#),
        ]);
        let jar = [
            cookie("c.site.test"),
            cookie("b.site.test"),
            cookie("a.site.test"),
            cookie("elsewhere.test"),
        ];
        let all = resolve(&jar, &catalog, Selection::Every).expect("covered");
        assert_eq!(
            pairs(&all),
            [
                ("a.site.test", "broad"),
                ("b.site.test", "mine"),
                ("c.site.test", "broad")
            ]
        );
        let one = resolve(&jar, &catalog, Selection::Site("B.Site.test.")).expect("covered");
        assert_eq!(pairs(&one), [("b.site.test", "mine")]);
        // A covered site needs no cookie in the jar.
        let none = resolve(&jar, &catalog, Selection::Site("z.site.test")).expect("covered");
        assert_eq!(pairs(&none), [("z.site.test", "broad")]);
    }

    #[test]
    fn uncovered_jars_and_hosts_are_errors_naming_every_pattern() {
        let catalog = Catalog::of([
            policy("mine", r#""b.site.test""#),
            policy("broad", r#""*.site.test""#),
        ]);
        let patterns = "b.site.test, *.site.test".to_string();
        assert_eq!(
            resolve(&[cookie("x.test")], &catalog, Selection::Every),
            Err(ScopeError::None {
                patterns: patterns.clone()
            })
        );
        assert_eq!(
            resolve(
                &[cookie("x.test")],
                &catalog,
                Selection::Site(" Site.test ")
            ),
            Err(ScopeError::NotCovered {
                site: "Site.test".into(),
                patterns
            })
        );
    }
}
