//! Classification: each cookie × policy × site → scope, category, declaration.

use std::collections::BTreeMap;

use crate::chunks::in_chunks;
use crate::known::governing::Governing;
use crate::model::{Cookies, domain_matches};
use crate::policy::{Policy, normalize_host, normalized_host};
use crate::scopes::{Claim, Scope, ScopeKind};

/// Where a cookie stands relative to the managed site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// A browser would send it to the site.
    Site,
    /// On a third-party domain the policy names.
    ThirdParty,
    /// Anything else: shown apart, never pruned.
    OtherSite,
}

impl Relation {
    /// The name used in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Site => "site",
            Relation::ThirdParty => "third-party",
            Relation::OtherSite => "other-site",
        }
    }
}

/// One cookie's classification; `index` points into the jar's cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// Index into the cookie slice that was classified.
    pub index: usize,
    /// Where it stands relative to the site.
    pub relation: Relation,
    /// Index into `policy.doc.categories`; None for other-site cookies.
    /// (Narrow indices keep a million classifications small: planning reads them all.)
    pub category: Option<u16>,
    /// Index into `policy.doc.cookies` of the matching declaration.
    pub declaration: Option<u32>,
    /// True when this is the site's preferences cookie.
    pub preferences: bool,
    /// The cookie is Secure (in scope only: kept so planning need not look
    /// at the jar's cookies again).
    pub secure: bool,
}

impl Classified {
    /// [`Classified::category`] as an index into `policy.doc.categories`.
    pub fn category_idx(&self) -> Option<usize> {
        self.category.map(usize::from)
    }

    /// [`Classified::declaration`] as an index into `policy.doc.cookies`.
    pub fn declaration_idx(&self) -> Option<usize> {
        self.declaration.map(|d| d as usize)
    }

    /// In scope but matched by no declaration.
    pub fn undeclared(&self) -> bool {
        self.relation != Relation::OtherSite && self.declaration.is_none()
    }
}

/// Classifies every cookie for `site` (a host; normalised here).
///
/// Relation: `Site` when a browser would send the cookie to the site, else
/// `ThirdParty` when its domain is one of the policy's third-party domains, else
/// `OtherSite`. In scope, the category is the first matching declaration's, or
/// the policy's `undeclared` category for the scope. Other-site cookies get
/// neither a category nor a declaration: the policy does not speak for them here.
pub fn classify(cookies: &dyn Cookies, policy: &Policy, site: &str) -> Vec<Classified> {
    let site = normalize_host(site);
    let parts = in_chunks(cookies.len(), |range| {
        range
            .map(|index| classify_one(cookies, policy, &site, index))
            .collect::<Vec<_>>()
    });
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_default();
    out.reserve(cookies.len() - out.len());
    for part in parts {
        out.extend(part);
    }
    out
}

/// Classifies every cookie for a scope: a site scope by its policy
/// ([`classify`]); a catalog scope by the known-cookie catalog, its cookies
/// (those sent to the host, or, for `*`, those no site scope takes) in
/// [`Relation::Site`] with the catalog's category (`unknown` when it does not
/// know them) and the entry as declaration, the rest other sites'.
pub fn classify_scope(cookies: &dyn Cookies, scope: &Scope) -> Vec<Classified> {
    let Some(known) = scope.known().filter(|_| scope.kind().is_catalog()) else {
        return classify(cookies, scope.policy(), scope.site());
    };
    let parts = in_chunks(cookies.len(), |range| {
        range
            .map(|index| {
                let (domain, host_only) = cookies.domain(index).unwrap_or_default();
                let domain = normalized_host(&domain);
                let mine = match scope.kind() {
                    ScopeKind::Host => domain_matches(scope.site(), &domain, host_only),
                    _ => !claimed(scope.claims(), &domain, host_only),
                };
                catalog_one(cookies, known, index, mine.then_some(domain.as_ref()))
            })
            .collect::<Vec<_>>()
    });
    parts.into_iter().flatten().collect()
}

/// True when a cookie on `domain` falls in one of the site scopes `claims`.
fn claimed(claims: &[Claim], domain: &str, host_only: bool) -> bool {
    claims.iter().any(|(site, policy)| {
        domain_matches(site, domain, host_only) || policy.is_third_party_domain(domain, site)
    })
}

/// True when a cookie of the jar falls in none of the site scopes `claims`
/// (the `*` scope then has cookies).
pub fn any_unclaimed(cookies: &dyn Cookies, claims: &[Claim]) -> bool {
    in_chunks(cookies.len(), |mut range| {
        range.any(|index| {
            let (domain, host_only) = cookies.domain(index).unwrap_or_default();
            !claimed(claims, &normalized_host(&domain), host_only)
        })
    })
    .into_iter()
    .any(|found| found)
}

/// One cookie under the catalog: in scope when `domain` (its normalised
/// domain) is given.
fn catalog_one(
    cookies: &dyn Cookies,
    known: &Governing,
    index: usize,
    domain: Option<&str>,
) -> Classified {
    let Some(domain) = domain else {
        return Classified {
            index,
            relation: Relation::OtherSite,
            category: None,
            declaration: None,
            preferences: false,
            secure: false,
        };
    };
    let cookie = cookies.at(index);
    let (category, declaration) = known.classify(&cookie.name, domain);
    Classified {
        index,
        relation: Relation::Site,
        category: u16::try_from(category).ok(),
        declaration: declaration.and_then(|d| u32::try_from(d).ok()),
        preferences: false,
        secure: cookie.secure,
    }
}

/// One cookie's classification (see [`classify`]).
fn classify_one(cookies: &dyn Cookies, policy: &Policy, site: &str, index: usize) -> Classified {
    // Most cookies of a large jar are other sites': their domain alone says so.
    let (domain, host_only) = cookies.domain(index).unwrap_or_default();
    let relation = if domain_matches(site, &domain, host_only) {
        Relation::Site
    } else if policy.is_third_party_domain(&domain, site) {
        Relation::ThirdParty
    } else {
        Relation::OtherSite
    };
    let (declaration, category, preferences, secure) = match relation {
        Relation::OtherSite => (None, None, false, false),
        Relation::Site | Relation::ThirdParty => {
            let cookie = cookies.at(index);
            let declaration = policy.match_declaration(&cookie, site);
            let id = match (declaration, relation) {
                (Some(i), _) => &policy.doc.cookies[i].category,
                (None, Relation::Site) => &policy.doc.undeclared.first_party,
                (None, _) => &policy.doc.undeclared.third_party,
            };
            let preferences =
                relation == Relation::Site && cookie.name == policy.doc.preferences_cookie;
            (
                declaration,
                policy.category_index(id),
                preferences,
                cookie.secure,
            )
        }
    };
    Classified {
        index,
        relation,
        // Past u16/u32 indices (no real policy) a cookie counts as unmatched.
        category: category.and_then(|i| u16::try_from(i).ok()),
        declaration: declaration.and_then(|d| u32::try_from(d).ok()),
        preferences,
        secure,
    }
}

/// The sites the policy covers that the jar holds cookies of, sorted.
///
/// Each distinct cookie domain the policy covers is a candidate. A candidate
/// that only domain cookies live on and that is a parent of another candidate
/// is dropped: a `.my.example.com` cookie set by `portal.my.example.com` does
/// not make `my.example.com` a site. A host-only cookie is only ever set by its
/// own host, so a domain holding one stays a site.
pub fn sites_in_jar(cookies: &dyn Cookies, policy: &Policy) -> Vec<String> {
    // Covered domain → whether a host-only cookie lives on it.
    let parts = in_chunks(cookies.len(), |range| {
        let mut found: BTreeMap<String, bool> = BTreeMap::new();
        for index in range {
            let Some((domain, host_only)) = cookies.domain(index) else {
                continue;
            };
            let domain = normalized_host(&domain);
            if policy.covers_normal_site(&domain) {
                match found.get_mut(domain.as_ref()) {
                    Some(seen) => *seen |= host_only,
                    None => {
                        found.insert(domain.into_owned(), host_only);
                    }
                }
            }
        }
        found
    });
    let mut candidates: BTreeMap<String, bool> = BTreeMap::new();
    for (domain, host_only) in parts.into_iter().flatten() {
        *candidates.entry(domain).or_default() |= host_only;
    }
    candidates
        .iter()
        .filter(|&(domain, &host_only)| {
            host_only
                || !candidates
                    .keys()
                    .any(|other| other != domain && domain_matches(other, domain, false))
        })
        .map(|(domain, _)| domain.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OwnedCookie;

    #[test]
    fn a_big_jar_split_between_threads_classifies_as_one_pass_would() {
        let p = policy();
        let domains = [
            "www.site.test",
            "site.test",
            "ads.test",
            "x.other.test",
            "deep.www.site.test",
        ];
        let jar: Vec<Cookie<'_>> = (0..crate::chunks::PARALLEL_FROM + 12_345)
            .map(|i| {
                let name = if i % 7 == 0 { "prefs" } else { "id" };
                cookie(name, domains[i % domains.len()], i % 3 == 0)
            })
            .collect();
        let whole = classify(&jar, &p, "www.site.test");
        let one: Vec<Classified> = (0..jar.len())
            .map(|i| classify_one(&jar, &p, "www.site.test", i))
            .collect();
        assert_eq!(whole, one);
        assert_eq!(
            sites_in_jar(&jar, &p),
            sites_in_jar(&jar[..10].to_vec(), &p)
        );
    }
    use crate::model::{Cookie, CookieKey};

    const DOC: &str = r#"{"schema": 1, "name": "t", "publisher": "p", "sites": ["*.site.test"],
        "revision": "r", "consent_lifetime_days": 1, "preferences_cookie": "prefs",
        "categories": [{"id": "req", "label": "R", "required": true}, {"id": "own", "label": "O"},
                       {"id": "ads", "label": "A"}],
        "cookies": [{"names": ["prefs"], "category": "req"},
                    {"names": ["id"], "category": "ads", "domain": ".ads.test"}],
        "undeclared": {"first_party": "own", "third_party": "ads"}}"#;

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
    fn scopes_categories_and_flags() {
        let p = policy();
        let jar = [
            cookie("prefs", "www.site.test", true),
            cookie("x", "site.test", false),
            cookie("id", "ads.test", false),
            cookie("other", "ads.test", false),
            cookie("prefs", "elsewhere.test", true),
        ];
        let got: Vec<_> = classify(&jar, &p, "WWW.site.test")
            .into_iter()
            .map(|k| {
                (
                    k.relation,
                    k.category,
                    k.declaration,
                    k.preferences,
                    k.undeclared(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Relation::Site, Some(0), Some(0), true, false),
                (Relation::Site, Some(1), None, false, true),
                (Relation::ThirdParty, Some(2), Some(1), false, false),
                (Relation::ThirdParty, Some(2), None, false, true),
                (Relation::OtherSite, None, None, false, false),
            ]
        );
    }

    #[test]
    fn sites_drop_parents_that_hold_only_domain_cookies() {
        let p = policy();
        let jar = [
            cookie("a", "my.site.test", false),
            cookie("b", "portal.my.site.test", false),
            cookie("c", "deeper.portal.my.site.test", true),
        ];
        assert_eq!(sites_in_jar(&jar, &p), ["deeper.portal.my.site.test"]);
        let jar = [
            cookie("a", "my.site.test", true),
            cookie("b", "x.my.site.test", true),
        ];
        assert_eq!(sites_in_jar(&jar, &p), ["my.site.test", "x.my.site.test"]);
        // Siblings are both sites; uncovered domains never are.
        let jar = [
            cookie("a", "b.site.test", false),
            cookie("a", "a.site.test", false),
            cookie("a", "site.test", false),
        ];
        assert_eq!(sites_in_jar(&jar, &p), ["a.site.test", "b.site.test"]);
    }
}
