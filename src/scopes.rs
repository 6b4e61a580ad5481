//! The one resolution of scopes (DESIGN §1, §5b): which sites a jar holds
//! and which policy governs each. Every command and the TUI's site picker
//! call [`resolve`]; nothing else decides it.
//!
//! A site a declared policy covers is a site scope; every cookie no site
//! scope takes is in the `*` scope, governed by the known-cookie catalog;
//! `--site HOST` for a host no policy covers is that host's cookies under the
//! catalog.

use std::sync::Arc;

use crate::classify;
use crate::known::governing::Governing;
use crate::model::Cookies;
use crate::policy::catalog::Catalog;
use crate::policy::host::is_host;
use crate::policy::{Policy, normalize_host};

/// The name of the `*` scope (`--site '*'`, `"site": "*"` in `--json`).
pub const OTHERS: &str = "*";

/// What a scope is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// A site a declared policy covers: the cookies a browser sends to it
    /// plus those on the policy's third-party domains.
    Site,
    /// A host no policy covers (`--site HOST`): the cookies a browser sends
    /// to it, under the known-cookie catalog.
    Host,
    /// `*`, "other sites": every cookie no site scope takes, under the
    /// known-cookie catalog.
    Others,
}

impl ScopeKind {
    /// True for the scopes the known-cookie catalog governs.
    pub fn is_catalog(self) -> bool {
        self != ScopeKind::Site
    }
}

/// A site scope's site and policy, as the `*` scope remembers the site
/// scopes that take cookies before it.
pub type Claim = (String, Arc<Policy>);

/// One scope of a jar: a site and the policy that governs it.
#[derive(Debug, Clone)]
pub struct Scope {
    /// What kind of scope.
    kind: ScopeKind,
    /// The site (a normalised host), or `*`.
    site: String,
    /// Its policy (the catalog's for `Host` and `Others`).
    policy: Arc<Policy>,
    /// The catalog, for `Host` and `Others`.
    known: Option<Arc<Governing>>,
    /// For `Others`: the site scopes whose cookies it leaves out.
    claims: Arc<[Claim]>,
}

impl Scope {
    /// A site scope of `site` (normalised here) under `policy`.
    pub fn of_site(site: &str, policy: Arc<Policy>) -> Scope {
        Scope {
            kind: ScopeKind::Site,
            site: normalize_host(site),
            policy,
            known: None,
            claims: Arc::from([]),
        }
    }

    /// The scope of `host` (normalised here), which no policy covers, under the catalog.
    pub fn of_host(host: &str, known: &Arc<Governing>) -> Scope {
        Scope {
            kind: ScopeKind::Host,
            site: normalize_host(host),
            policy: Arc::clone(&known.policy),
            known: Some(Arc::clone(known)),
            claims: Arc::from([]),
        }
    }

    /// The `*` scope: every cookie none of `claims` takes, under the catalog.
    pub fn others(claims: Vec<Claim>, known: &Arc<Governing>) -> Scope {
        Scope {
            kind: ScopeKind::Others,
            site: OTHERS.into(),
            policy: Arc::clone(&known.policy),
            known: Some(Arc::clone(known)),
            claims: claims.into(),
        }
    }

    /// What kind of scope.
    pub fn kind(&self) -> ScopeKind {
        self.kind
    }

    /// The site (a normalised host), or `*`.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The policy that governs the scope.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The known-cookie catalog, when it governs the scope.
    pub fn known(&self) -> Option<&Governing> {
        self.known.as_deref()
    }

    /// For the `*` scope: the site scopes that take their cookies first.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// True when the scope has a preferences cookie in the jar (site scopes
    /// only: a catalog scope's choice lives in the consent record alone).
    pub fn has_preferences_cookie(&self) -> bool {
        self.kind == ScopeKind::Site
    }

    /// How people see the scope named (the picker, banners).
    pub fn label(&self) -> &str {
        match self.kind {
            ScopeKind::Others => "* (other sites)",
            _ => &self.site,
        }
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
    /// `--site HOST`: the scope of that host (a covered host's site scope,
    /// else the host under the catalog; it need not have cookies in the
    /// jar), or `--site '*'`: the `*` scope.
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
    /// `--site` names no host.
    #[error(
        "--site {site:?}: expected a host name (portal.example.com) or '*' for the other sites"
    )]
    BadHost {
        /// What was given.
        site: String,
    },
}

/// The scopes of `cookies` that `selection` asks for, each with its policy:
/// a site takes the first policy of `catalog` (lookup order) that covers
/// it. Every asks for the site scopes sorted by site, then `*` when a cookie
/// is left for it or the jar has no site scope (an empty jar opens on `*`):
/// there is always at least one scope.
pub fn resolve(
    cookies: &dyn Cookies,
    catalog: &Catalog,
    selection: Selection<'_>,
) -> Result<Vec<Scope>, ScopeError> {
    match selection {
        Selection::Site(requested) if requested.trim() == OTHERS => {
            Ok(vec![others_of(site_scopes(cookies, catalog), catalog)])
        }
        Selection::Site(requested) => Ok(vec![for_site(catalog, requested)?]),
        Selection::Every => {
            let mut found = site_scopes(cookies, catalog);
            let others = others_of(found.clone(), catalog);
            if found.is_empty() || classify::any_unclaimed(cookies, others.claims()) {
                found.push(others);
            }
            Ok(found)
        }
    }
}

/// The site scopes of the jar, sorted by site.
fn site_scopes(cookies: &dyn Cookies, catalog: &Catalog) -> Vec<Scope> {
    let mut found: Vec<Scope> = Vec::new();
    for policy in catalog.policies() {
        for site in classify::sites_in_jar(cookies, policy) {
            if !found.iter().any(|f| f.site == site) {
                found.push(Scope::of_site(&site, Arc::clone(policy)));
            }
        }
    }
    found.sort_by(|a, b| a.site.cmp(&b.site));
    found
}

/// The `*` scope left by these site scopes.
fn others_of(sites: Vec<Scope>, catalog: &Catalog) -> Scope {
    let claims = sites
        .into_iter()
        .map(|s| (s.site, s.policy))
        .collect::<Vec<_>>();
    Scope::others(claims, catalog.known())
}

/// The scope of `host` alone, jar or no jar (`consent set --site HOST`,
/// and `--site HOST` on a jar): the first policy of `catalog` covering it,
/// else the known-cookie catalog; `*` is the `*` scope of a jar without
/// site scopes.
pub fn for_site(catalog: &Catalog, host: &str) -> Result<Scope, ScopeError> {
    if host.trim() == OTHERS {
        return Ok(Scope::others(Vec::new(), catalog.known()));
    }
    let site = normalize_host(host);
    if !is_host(&site) {
        return Err(ScopeError::BadHost {
            site: host.trim().to_string(),
        });
    }
    Ok(match catalog.covering(&site) {
        Some(policy) => Scope::of_site(&site, Arc::clone(policy)),
        None => Scope::of_host(&site, catalog.known()),
    })
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
                ("c.site.test", "broad"),
                // elsewhere.test's cookie, under the known-cookie catalog.
                ("*", "Known-cookie catalog (Open Cookie Database)")
            ]
        );
        let one = resolve(&jar, &catalog, Selection::Site("B.Site.test.")).expect("covered");
        assert_eq!(pairs(&one), [("b.site.test", "mine")]);
        // A covered site needs no cookie in the jar.
        let none = resolve(&jar, &catalog, Selection::Site("z.site.test")).expect("covered");
        assert_eq!(pairs(&none), [("z.site.test", "broad")]);
    }

    #[test]
    fn other_cookies_form_the_star_scope_and_uncovered_hosts_go_to_the_catalog() {
        let catalog = Catalog::of([
            policy("mine", r#""b.site.test""#),
            policy("broad", r#""*.site.test""#),
        ]);
        let jar = [cookie("a.site.test"), cookie("x.test")];
        let all = resolve(&jar, &catalog, Selection::Every).expect("scopes");
        let kinds: Vec<(ScopeKind, &str)> = all.iter().map(|s| (s.kind(), s.site())).collect();
        assert_eq!(
            kinds,
            [(ScopeKind::Site, "a.site.test"), (ScopeKind::Others, "*")]
        );
        assert_eq!(all[1].claims().len(), 1);
        assert_eq!(all[1].policy().doc.categories.len(), 5);
        // Only covered cookies: no `*` scope; none at all: `*` alone.
        let covered = resolve(&[cookie("a.site.test")], &catalog, Selection::Every);
        assert_eq!(covered.map(|s| s.len()), Ok(1));
        let empty = resolve(&[], &catalog, Selection::Every).expect("scopes");
        assert_eq!(pairs(&empty)[0].0, "*");
        let only_others = resolve(&[cookie("x.test")], &catalog, Selection::Every).expect("ok");
        assert_eq!(
            only_others.iter().map(Scope::kind).collect::<Vec<_>>(),
            [ScopeKind::Others]
        );
        // An uncovered host is that host under the catalog; `*` is the `*` scope.
        let host = resolve(&jar, &catalog, Selection::Site(" X.test ")).expect("host");
        assert_eq!(
            (host[0].kind(), host[0].site()),
            (ScopeKind::Host, "x.test")
        );
        let star = resolve(&jar, &catalog, Selection::Site("*")).expect("star");
        assert_eq!(
            (star[0].kind(), star[0].claims().len()),
            (ScopeKind::Others, 1)
        );
        assert_eq!(
            resolve(&jar, &catalog, Selection::Site("a b")),
            Err(ScopeError::BadHost { site: "a b".into() })
        );
    }
}
