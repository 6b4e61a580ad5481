//! Classification: each cookie × policy × site → scope, category, declaration.

use crate::model::Cookie;
use crate::policy::Policy;

/// Where a cookie stands relative to the managed site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A browser would send it to the site.
    Site,
    /// On a third-party domain the policy names.
    ThirdParty,
    /// Anything else: shown apart, never pruned.
    OtherSite,
}

impl Scope {
    /// The name used in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Site => "site",
            Scope::ThirdParty => "third-party",
            Scope::OtherSite => "other-site",
        }
    }
}

/// One cookie's classification; `index` points into the jar's cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// Index into the cookie slice that was classified.
    pub index: usize,
    /// Scope relative to the site.
    pub scope: Scope,
    /// Index into `policy.doc.categories`; None for other-site cookies.
    pub category: Option<usize>,
    /// Index into `policy.doc.cookies` of the matching declaration.
    pub declaration: Option<usize>,
    /// True when this is the site's preferences cookie.
    pub preferences: bool,
}

impl Classified {
    /// In scope but matched by no declaration.
    pub fn undeclared(&self) -> bool {
        self.scope != Scope::OtherSite && self.declaration.is_none()
    }
}

/// Errors choosing the site to manage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteError {
    /// No cookie of the jar belongs to a site the policy covers.
    #[error(
        "no cookie in the jar belongs to a site the policy covers ({patterns}); name one with --site HOST"
    )]
    None {
        /// The policy's site patterns, joined.
        patterns: String,
    },
    /// Several sites; the user must pick.
    #[error("the jar holds cookies of several sites the policy covers: {}; pick one with --site HOST", .sites.join(", "))]
    Several {
        /// The sites found.
        sites: Vec<String>,
    },
    /// `--site` names a host the policy does not cover.
    #[error("--site {site}: the policy does not cover this host (it covers {patterns})")]
    NotCovered {
        /// The host asked for.
        site: String,
        /// The policy's site patterns, joined.
        patterns: String,
    },
}

/// Classifies every cookie for `site`.
pub fn classify(cookies: &[Cookie], policy: &Policy, site: &str) -> Vec<Classified> {
    let _ = (cookies, policy, site);
    todo!("policy helper")
}

/// The sites the policy covers that the jar holds cookies of, sorted.
pub fn sites_in_jar(cookies: &[Cookie], policy: &Policy) -> Vec<String> {
    let _ = (cookies, policy);
    todo!("policy helper")
}

/// The site to manage: `requested`, or the single covered site of the jar.
pub fn choose_site(
    cookies: &[Cookie],
    policy: &Policy,
    requested: Option<&str>,
) -> Result<String, SiteError> {
    let _ = (cookies, policy, requested);
    todo!("policy helper")
}
