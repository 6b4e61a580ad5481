//! A jar holding several scopes (as [`crate::scopes::resolve`] finds them),
//! pruned scope by scope: each scope's own consent applied in turn, and the
//! jar saved once.
//!
//! Each site's turn sees the jar as the earlier turns left it, so a cookie
//! sent to several sites (a domain cookie on `.example.com`) is removed when
//! any of them refuses its category, and reported once, by the first turn
//! that removes it.

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::consent::alongside::Records;
use crate::consent::resolve::Choice;
use crate::dirs::Dirs;
use crate::jar::Jar;
use crate::jar::save::{self, Saved, Target};
use crate::policy::catalog::Catalog;
use crate::scopes::Scope;
use crate::session::{Decision, Session, SessionError};

/// A jar with the scopes to handle in it, as [`crate::scopes::resolve`]
/// found them: what every jar command starts with.
#[derive(Debug)]
pub struct Scoped {
    /// The jar.
    pub jar: Jar,
    /// The scopes selected, each with its policy.
    pub scopes: Vec<Scope>,
    /// The policies they were resolved with.
    pub catalog: Catalog,
    /// Where records, logs and backups live.
    pub dirs: Dirs,
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
    scoped: Scoped,
    choice: &Choice,
    drop_expired: bool,
    now: OffsetDateTime,
    mut visit: impl FnMut(&Turn) -> Result<(), E>,
) -> Result<(Vec<Decision>, Jar), E> {
    each_turn(scoped, choice, drop_expired, now, |turn| {
        visit(&turn)?;
        let Turn { session, decision } = turn;
        let mut jar = session.into_jar();
        let edits = decision.plan.edits(jar.cookies());
        jar.apply(&edits).map_err(SessionError::from)?;
        Ok((decision, jar))
    })
}

/// Like [`decide_in_place`], but every turn is kept with the jar as it found
/// it (a copy per site), for reports written after the jar is saved.
pub fn decide_all(
    scoped: Scoped,
    choice: &Choice,
    drop_expired: bool,
    now: OffsetDateTime,
) -> Result<(Vec<Turn>, Jar), SessionError> {
    each_turn(scoped, choice, drop_expired, now, |turn| {
        let mut next = turn.session.jar().clone();
        next.apply(&turn.decision.plan.edits(turn.session.jar().cookies()))?;
        Ok((turn, next))
    })
}

/// The loop of both: each scope's turn on the jar `next` returned for the
/// turn before; `next` says what to keep of the turn and the jar after it.
fn each_turn<T, E: From<SessionError>>(
    scoped: Scoped,
    choice: &Choice,
    drop_expired: bool,
    now: OffsetDateTime,
    mut next: impl FnMut(Turn) -> Result<(T, Jar), E>,
) -> Result<(Vec<T>, Jar), E> {
    let Scoped {
        mut jar,
        scopes,
        catalog,
        dirs,
    } = scoped;
    let mut kept = Vec::with_capacity(scopes.len());
    for scope in scopes {
        let session = Session::new(jar, scope, catalog.clone(), dirs.clone())?;
        let decision = session.decide(choice, drop_expired, now)?;
        let (keep, after) = next(Turn { session, decision })?;
        kept.push(keep);
        jar = after;
    }
    Ok((kept, jar))
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
/// with each new choice's consent record and log line written at the jar's
/// commit point: all of it is written, or none.
pub fn write_all<'d>(
    decisions: impl IntoIterator<Item = &'d Decision>,
    edited: &mut Jar,
    target: Target<'_>,
    dirs: &Dirs,
    now: OffsetDateTime,
) -> Result<Written, SessionError> {
    let decisions: Vec<&Decision> = decisions.into_iter().collect();
    let values = decisions.iter().filter_map(|d| d.new_choice_value());
    let mut companion = Records::for_save(dirs, values, now)?;
    // The records are written at the jar's commit point: all or nothing.
    let saved = save::save(edited, target, dirs, &mut companion)?;
    let removed = decisions.iter().map(|d| d.plan.remove_count()).sum();
    let records = companion.paths();
    Ok(Written {
        saved,
        removed,
        records,
    })
}
