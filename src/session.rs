//! One scope of a jar opened (its site under its policy): the engine entry
//! point the CLI and the TUI share. It decides (resolve consent, plan) and
//! commits (apply, save, record the consent).

use std::borrow::Cow;
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::classify::{self, Classified};
use crate::consent::alongside::Records;
use crate::consent::resolve::{self, Choice, ChoiceError, Resolved, Source, State};
use crate::consent::store::{self, StoreError};
use crate::consent::value::ConsentValue;
use crate::dirs::Dirs;
use crate::jar::save::{self, Saved, Target};
use crate::jar::{Jar, JarError};
use crate::known::Known;
use crate::plan::{self, Plan, PlanInput};
use crate::policy::catalog::Catalog;
use crate::policy::{Policy, PolicyError};
use crate::scopes::{self, Scope, ScopeError, ScopeKind, Selection};

/// Errors of the engine entry points.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The jar could not be read, parsed or written.
    #[error(transparent)]
    Jar(#[from] JarError),
    /// The policy could not be read or is invalid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// No covered site in the jar, or `--site` names one no policy covers.
    #[error(transparent)]
    Scope(#[from] ScopeError),
    /// The consent flags are contradictory or name unknown categories.
    #[error(transparent)]
    Choice(#[from] ChoiceError),
    /// The consent record or log could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SessionError {
    /// Whether the failed write may have changed the jar (a live save that
    /// stopped partway); every other failure leaves the jar as it was.
    pub fn changed_something(&self) -> bool {
        matches!(
            self,
            SessionError::Jar(JarError::Live(
                crate::live::jar::LiveSaveError::Partial { .. }
            ))
        )
    }
}

/// What the engine decided for one consent choice.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The consent in force after the choice.
    pub resolved: Resolved,
    /// What happens to every cookie.
    pub plan: Plan,
    /// The consent value the jar will hold after the commit, if one is written.
    pub value: Option<ConsentValue>,
    /// True when the choice is new: committing stores a record and a log line.
    pub new_choice: bool,
}

impl Decision {
    /// The consent value a commit stores as a record: the new choice's, if any.
    pub fn new_choice_value(&self) -> Option<&ConsentValue> {
        self.value.as_ref().filter(|_| self.new_choice)
    }

    /// True when acting on this decision needs a choice first: the consent
    /// in force is only the default (silence, or the platform's own value)
    /// and the plan would change the jar. `prune` then writes nothing (DESIGN §8).
    pub fn needs_choice(&self) -> bool {
        !self.resolved.is_chosen() && !self.plan.is_noop()
    }
}

/// What a commit did.
#[derive(Debug, Clone)]
pub struct Committed {
    /// The jar write.
    pub saved: Saved,
    /// Cookies removed.
    pub removed: usize,
    /// The consent record written, if any.
    pub record: Option<PathBuf>,
}

/// A jar and one of its scopes (site and policy), classified, plus the
/// saved consent record.
#[derive(Debug, Clone)]
pub struct Session {
    /// The jar.
    jar: Jar,
    /// The scope managed: its site and policy.
    scope: Scope,
    /// The policies the jar's scopes were resolved with (for the site picker).
    catalog: Catalog,
    /// One classification per cookie.
    classified: Vec<Classified>,
    /// The site's preferences cookie in the jar (index), found once per classification.
    preferences: Option<usize>,
    /// The saved consent record for the site.
    saved: Option<ConsentValue>,
    /// Where records, logs and backups live.
    dirs: Dirs,
}

impl Session {
    /// Opens `scope` (one of [`scopes::resolve`]'s answers for `catalog`):
    /// classifies the jar for it and loads the site's saved record.
    pub fn new(
        jar: Jar,
        scope: Scope,
        catalog: Catalog,
        dirs: Dirs,
    ) -> Result<Session, SessionError> {
        let classified = classify::classify_scope(jar.cookies(), &scope);
        let preferences = plan::preferences_cookie(jar.cookies(), &classified);
        let saved = store::load_record(&dirs, scope.site())?;
        Ok(Session {
            jar,
            scope,
            catalog,
            classified,
            preferences,
            saved,
            dirs,
        })
    }

    /// Opens the first scope `selection` asks for (the TUI starts there; its
    /// site picker offers the others).
    pub fn open(
        jar: Jar,
        catalog: Catalog,
        selection: Selection<'_>,
        dirs: Dirs,
    ) -> Result<Session, SessionError> {
        let first = scopes::resolve(jar.cookies(), &catalog, selection)?.swap_remove(0);
        Session::new(jar, first, catalog, dirs)
    }

    /// Another scope of the same jar (a copy of it), for the site picker.
    pub fn switch(&self, scope: Scope) -> Result<Session, SessionError> {
        Session::new(
            self.jar.clone(),
            scope,
            self.catalog.clone(),
            self.dirs.clone(),
        )
    }

    /// The jar, as the session last read or saved it.
    pub fn jar(&self) -> &Jar {
        &self.jar
    }

    /// The jar, given back (the session's classification goes with it).
    pub fn into_jar(self) -> Jar {
        self.jar
    }

    /// One classification per cookie of [`Session::jar`], same order.
    pub fn classified(&self) -> &[Classified] {
        &self.classified
    }

    /// The index of the site's preferences cookie in the jar, if it holds one.
    pub fn preferences(&self) -> Option<usize> {
        self.preferences
    }

    /// The saved consent record for the site.
    pub fn saved(&self) -> Option<&ConsentValue> {
        self.saved.as_ref()
    }

    /// Where records, logs and backups live.
    pub fn dirs(&self) -> &Dirs {
        &self.dirs
    }

    /// The scope managed.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The managed site (a normalised host).
    pub fn site(&self) -> &str {
        self.scope.site()
    }

    /// The policy governing the managed site.
    pub fn policy(&self) -> &Policy {
        self.scope.policy()
    }

    /// The policies the jar's scopes are resolved with.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// What the known-cookie catalog says of the jar's cookie `index`
    /// (DESIGN §5b): in a site scope an annotation beside the declared
    /// policy, under the catalog the entry that governs it; None when the
    /// catalog does not know it.
    pub fn known(&self, index: usize) -> Option<Known<'_>> {
        let cookie = self.jar.cookies().get(index)?;
        let domain = crate::policy::normalized_host(&cookie.domain);
        self.catalog.known().catalog.lookup(&cookie.name, &domain)
    }

    /// Every scope of the jar as it is now ([`scopes::resolve`]), with the
    /// open one among them even when the jar holds none of its cookies.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut all = scopes::resolve(self.jar.cookies(), &self.catalog, Selection::Every)
            .unwrap_or_default();
        if !all.contains(&self.scope) {
            all.push(self.scope.clone());
            // Site scopes by name, then `*` last, as `resolve` gives them.
            all.sort_by(|a, b| {
                let others = |s: &Scope| s.kind() == ScopeKind::Others;
                (others(a), a.site()).cmp(&(others(b), b.site()))
            });
        }
        all
    }

    /// Classifies the jar again after it changed.
    fn reclassify(&mut self) {
        self.classified = classify::classify_scope(self.jar.cookies(), &self.scope);
        self.preferences = plan::preferences_cookie(self.jar.cookies(), &self.classified);
    }

    /// The raw value of the site's preferences cookie in the jar, if any.
    pub fn jar_value(&self) -> Option<Cow<'_, str>> {
        self.preferences.map(|i| self.jar.cookies().at(i).value)
    }

    /// Resolves the consent for `choice` and plans the jar's changes.
    pub fn decide(
        &self,
        choice: &Choice,
        drop_expired: bool,
        now: OffsetDateTime,
    ) -> Result<Decision, SessionError> {
        self.decide_marked(choice, drop_expired, &[], now)
    }

    /// [`Session::decide`], with cookies the user marked for removal
    /// (indices into the jar): the plan removes them whatever their category.
    pub fn decide_marked(
        &self,
        choice: &Choice,
        drop_expired: bool,
        marked: &[usize],
        now: OffsetDateTime,
    ) -> Result<Decision, SessionError> {
        let (site, policy) = (self.site(), self.policy());
        let (doc, hash) = (&policy.doc, &policy.hash);
        let resolved = resolve::resolve(
            doc,
            hash,
            site,
            choice,
            self.jar_value().as_deref(),
            self.saved.as_ref(),
            now,
        )?;
        let still_good = |v: &ConsentValue| {
            !v.is_expired(now) && resolve::same_choice(v, &resolved.granted, site, hash)
        };
        let (value, new_choice) = match (resolved.source, resolved.state) {
            (Source::Flags, _) => match resolved.found.as_ref().filter(|v| still_good(v)) {
                Some(v) => (Some(v.clone()), false),
                None => (
                    Some(ConsentValue::new(site, doc, hash, &resolved.granted, now)),
                    true,
                ),
            },
            // A valid saved record that the jar lacks is carried into the jar.
            (Source::Saved, State::Valid) => (resolved.found.clone(), false),
            _ => (None, false),
        };
        // A jar that cannot hold a readable value (a Chromium jar under a key
        // crumbs cannot use) gets no preferences write: the record keeps it.
        // Nor does a catalog scope: it has no preferences cookie.
        let encoded = value
            .as_ref()
            .filter(|_| self.jar.stores_preferences() && self.scope.has_preferences_cookie())
            .map(|v| (v.encode(), v.expires.unix_timestamp()));
        let plan = plan::plan(PlanInput {
            cookies: self.jar.cookies(),
            classified: &self.classified,
            policy,
            site,
            granted: &resolved.granted,
            write: encoded.as_ref().map(|(s, t)| (s.as_str(), *t)),
            drop_expired,
            marked,
            now: now.unix_timestamp(),
        });
        Ok(Decision {
            resolved,
            plan,
            value,
            new_choice,
        })
    }

    /// Saves the decision in place and the session holds the result: the
    /// jar is edited where it is (no copy: a million-cookie jar stays one
    /// jar in memory), saved, re-classified, and the consent stored. If the
    /// save fails, the jar is read again from disk so the session shows what
    /// is really there.
    pub fn commit(
        &mut self,
        decision: &Decision,
        no_backup: bool,
        now: OffsetDateTime,
    ) -> Result<Committed, SessionError> {
        let dirs = self.dirs.clone();
        let mut records = Records::for_save(&dirs, decision.new_choice_value(), now)?;
        let edits = decision.plan.edits(self.jar.cookies());
        self.jar.apply(&edits)?;
        // The record is written at the jar's commit point: both or neither.
        let saved = match save::save(
            &mut self.jar,
            Target::InPlace {
                no_backup,
                break_links: false,
            },
            &dirs,
            &mut records,
        ) {
            Ok(saved) => saved,
            Err(e) => {
                if let Ok(again) = Jar::open(&self.jar.path, self.jar.opts) {
                    self.jar = again;
                }
                self.reclassify();
                return Err(e);
            }
        };
        self.reclassify();
        let record = records.paths().into_iter().next();
        if record.is_some() {
            self.saved = decision.value.clone();
        }
        Ok(Committed {
            saved,
            removed: decision.plan.remove_count(),
            record,
        })
    }
}

/// Stores a new choice's consent record and log line; returns the record's
/// path, or None when the decision holds no new choice.
pub fn store_choice(
    dirs: &Dirs,
    decision: &Decision,
    now: OffsetDateTime,
) -> Result<Option<PathBuf>, SessionError> {
    match (decision.new_choice, &decision.value) {
        (true, Some(v)) => Ok(Some(store_value(dirs, v, now)?)),
        _ => Ok(None),
    }
}

/// Stores `value` as its site's consent record and appends the log line:
/// what every save of a new choice does (`prune`, the TUI, `consent set`).
/// Returns the record's path.
pub fn store_value(
    dirs: &Dirs,
    value: &ConsentValue,
    now: OffsetDateTime,
) -> Result<PathBuf, SessionError> {
    store::save_record(dirs, value)?;
    store::append_log(dirs, value, "set", now)?;
    Ok(store::record_path(dirs, &value.site)?)
}
