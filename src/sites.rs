//! A jar holding cookies of several sites that policies cover, handled site
//! by site: which sites, with which policy each (DESIGN §5 lookup order), and
//! a prune that applies each site's own consent in turn and saves once.
//!
//! Each site's turn sees the jar as the earlier turns left it, so a cookie
//! sent to several sites (a domain cookie on `.example.com`) is removed when
//! any of them refuses its category, and reported once, by the first turn
//! that removes it.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::classify::{self, SiteError};
use crate::consent::resolve::Choice;
use crate::dirs::Dirs;
use crate::jar::Jar;
use crate::jar::save::{self, Saved, Target};
use crate::policy::{Policy, normalize_host};
use crate::session::{self, Decision, Session, SessionError};

/// One site of a jar and the policy that covers it.
#[derive(Debug, Clone)]
pub struct SitePolicy {
    /// The site (a normalised host).
    pub site: String,
    /// Its policy.
    pub policy: Policy,
}

/// The sites to handle in `jar`, each with its policy, sorted by site.
///
/// With `explicit`, that policy is the only one; otherwise the user's
/// policies (`policies/` in `dirs`' config dir) come before the shipped ones
/// and each site takes the first that covers it. With `site`, only that site
/// (it must be covered, but need not have cookies); otherwise every site of
/// the jar a policy covers, and at least one.
pub fn find_sites(
    explicit: Option<&Path>,
    site: Option<&str>,
    jar: &Jar,
    dirs: Option<&Dirs>,
) -> Result<Vec<SitePolicy>, SessionError> {
    let cookies = jar.cookies();
    let policies = match explicit {
        Some(path) => vec![Policy::from_path(path)?],
        None => session::candidates(dirs)?,
    };
    let patterns = || {
        policies
            .iter()
            .map(Policy::site_patterns)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(requested) = site {
        let host = normalize_host(requested);
        return match policies.iter().find(|p| p.covers_site(&host)) {
            Some(p) => Ok(vec![SitePolicy {
                site: classify::choose_site(cookies, p, Some(requested))?,
                policy: p.clone(),
            }]),
            None => Err(SiteError::NotCovered {
                site: requested.trim().to_string(),
                patterns: patterns(),
            }
            .into()),
        };
    }
    let mut found: Vec<SitePolicy> = Vec::new();
    for p in &policies {
        for s in classify::sites_in_jar(cookies, p) {
            if !found.iter().any(|f| f.site == s) {
                found.push(SitePolicy {
                    site: s,
                    policy: p.clone(),
                });
            }
        }
    }
    if found.is_empty() {
        return Err(SiteError::None {
            patterns: patterns(),
        }
        .into());
    }
    found.sort_by(|a, b| a.site.cmp(&b.site));
    Ok(found)
}

/// One site's turn of a prune: the session as the turn found the jar, and
/// what its consent decides.
#[derive(Debug, Clone)]
pub struct Turn {
    /// The jar (as the earlier turns left it), the site's policy, its classification.
    pub session: Session,
    /// The consent in force for the site and its plan.
    pub decision: Decision,
}

/// Decides every site in turn, each on the jar as the earlier turns' plans
/// left it, editing the jar in memory (nothing is written) and without a
/// copy: `visit` sees each turn before its edits are applied. Returns the
/// decisions, in turn order, and the jar with every turn's edits applied.
pub fn decide_in_place<E: From<SessionError>>(
    jar: Jar,
    sites: Vec<SitePolicy>,
    dirs: &Dirs,
    choice: &Choice,
    drop_expired: bool,
    now: OffsetDateTime,
    mut visit: impl FnMut(&Turn) -> Result<(), E>,
) -> Result<(Vec<Decision>, Jar), E> {
    let mut decisions = Vec::with_capacity(sites.len());
    let mut jar = jar;
    for sp in sites {
        let session = Session::new(jar, sp.policy, Some(&sp.site), dirs.clone())?;
        let decision = session.decide(choice, drop_expired, now)?;
        let turn = Turn { session, decision };
        visit(&turn)?;
        let Turn { session, decision } = turn;
        jar = session.jar;
        let edits = decision.plan.edits(jar.cookies());
        jar.apply(&edits).map_err(SessionError::from)?;
        decisions.push(decision);
    }
    Ok((decisions, jar))
}

/// Like [`decide_in_place`], but every turn is kept with the jar as it found
/// it (a copy per site), for reports written after the jar is saved.
pub fn decide_all(
    jar: Jar,
    sites: Vec<SitePolicy>,
    dirs: &Dirs,
    choice: &Choice,
    drop_expired: bool,
    now: OffsetDateTime,
) -> Result<(Vec<Turn>, Jar), SessionError> {
    let mut turns = Vec::with_capacity(sites.len());
    let mut jar = jar;
    for sp in sites {
        let session = Session::new(jar, sp.policy, Some(&sp.site), dirs.clone())?;
        let decision = session.decide(choice, drop_expired, now)?;
        let mut next = session.jar.clone();
        next.apply(&decision.plan.edits(session.jar.cookies()))?;
        turns.push(Turn { session, decision });
        jar = next;
    }
    Ok((turns, jar))
}

/// What [`write_all`] did.
#[derive(Debug, Clone)]
pub struct Written {
    /// The jar write.
    pub saved: Saved,
    /// Cookies removed, all turns together.
    pub removed: usize,
    /// The consent records written, one per site with a new choice.
    pub records: Vec<PathBuf>,
}

/// Saves the jar the turns left (`edited`, from [`decide_in_place`] or
/// [`decide_all`]) once to `target` (checked and backed up like any save),
/// then stores each new choice's consent record and log line, site by site.
pub fn write_all<'d>(
    decisions: impl IntoIterator<Item = &'d Decision>,
    edited: &mut Jar,
    target: Target<'_>,
    dirs: &Dirs,
    now: OffsetDateTime,
) -> Result<Written, SessionError> {
    let saved = save::save(edited, target, dirs, &mut ())?;
    let mut records = Vec::new();
    let mut removed = 0;
    for d in decisions {
        removed += d.plan.remove_count();
        if let Some(path) = session::store_choice(dirs, d, now)? {
            records.push(path);
        }
    }
    Ok(Written {
        saved,
        removed,
        records,
    })
}
