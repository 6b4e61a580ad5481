//! One jar opened against one policy for one site: the engine entry point the
//! CLI and the TUI share. It decides (resolve consent, plan) and commits
//! (apply, save, record the consent).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::classify::{self, Classified, SiteError};
use crate::consent::resolve::{self, Choice, ChoiceError, Resolved, Source, State};
use crate::consent::store::{self, StoreError};
use crate::consent::value::ConsentValue;
use crate::dirs::Dirs;
use crate::jar::write::{self, Saved, Target};
use crate::jar::{Jar, JarError};
use crate::plan::{self, Plan, PlanInput};
use crate::policy::{Policy, PolicyError};

/// Errors of the engine entry points.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The jar could not be read, parsed or written.
    #[error(transparent)]
    Jar(#[from] JarError),
    /// The policy could not be read or is invalid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// No site, or several, or one the policy does not cover.
    #[error(transparent)]
    Site(#[from] SiteError),
    /// The consent flags are contradictory or name unknown categories.
    #[error(transparent)]
    Choice(#[from] ChoiceError),
    /// The consent record or log could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No shipped or user policy covers any site of the jar.
    #[error("no known policy covers a site of this jar; pass --policy FILE")]
    NoPolicy,
}

/// Finds the policy: `explicit` if given, else the first policy covering a
/// site of the jar among the user's (`policies/` in the config dir named by
/// the environment) and the shipped ones (DESIGN §5).
pub fn find_policy(explicit: Option<&Path>, jar: &Jar) -> Result<Policy, SessionError> {
    find_policy_in(explicit, jar, Dirs::from_env().as_ref())
}

/// [`find_policy`] with the user's folders given: `explicit` if given, else
/// the first of the user's and the shipped policies that covers a site of
/// the jar (or the only one there is, so the site error can explain).
pub fn find_policy_in(
    explicit: Option<&Path>,
    jar: &Jar,
    dirs: Option<&Dirs>,
) -> Result<Policy, SessionError> {
    if let Some(path) = explicit {
        return Ok(Policy::from_path(path)?);
    }
    let mut all = candidates(dirs)?;
    if let Some(i) = all
        .iter()
        .position(|p| !classify::sites_in_jar(jar.cookies(), p).is_empty())
    {
        return Ok(all.swap_remove(i));
    }
    match all.len() {
        1 => Ok(all.remove(0)),
        _ => Err(SessionError::NoPolicy),
    }
}

/// The policies in lookup order: the user's (when `dirs` is known), then the shipped ones.
pub fn candidates(dirs: Option<&Dirs>) -> Result<Vec<Policy>, SessionError> {
    let folder = dirs.map(Dirs::policies_dir);
    Ok(crate::policy::catalog::candidates(folder.as_deref())?)
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

/// A jar, its policy and site, classified, plus the saved consent record.
#[derive(Debug, Clone)]
pub struct Session {
    /// The jar.
    pub jar: Jar,
    /// The policy.
    pub policy: Policy,
    /// The managed site.
    pub site: String,
    /// One classification per cookie.
    pub classified: Vec<Classified>,
    /// The site's preferences cookie in the jar (index), found once per classification.
    pub preferences: Option<usize>,
    /// The saved consent record for the site.
    pub saved: Option<ConsentValue>,
    /// Where records, logs and backups live.
    pub dirs: Dirs,
}

impl Session {
    /// Classifies the jar for the chosen site and loads the site's saved record.
    pub fn new(
        jar: Jar,
        policy: Policy,
        site: Option<&str>,
        dirs: Dirs,
    ) -> Result<Session, SessionError> {
        let site = classify::choose_site(jar.cookies(), &policy, site)?;
        let classified = classify::classify(jar.cookies(), &policy, &site);
        let preferences = plan::preferences_cookie(jar.cookies(), &classified);
        let saved = store::load_record(&dirs, &site)?;
        Ok(Session {
            jar,
            policy,
            site,
            classified,
            preferences,
            saved,
            dirs,
        })
    }

    /// Classifies the jar again after it changed.
    fn reclassify(&mut self) {
        self.classified = classify::classify(self.jar.cookies(), &self.policy, &self.site);
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
        let doc = &self.policy.doc;
        let hash = &self.policy.hash;
        let resolved = resolve::resolve(
            doc,
            hash,
            &self.site,
            choice,
            self.jar_value().as_deref(),
            self.saved.as_ref(),
            now,
        )?;
        let still_good = |v: &ConsentValue| {
            !v.is_expired(now) && resolve::same_choice(v, &resolved.granted, &self.site, hash)
        };
        let (value, new_choice) = match (resolved.source, resolved.state) {
            (Source::Flags, _) => match resolved.found.as_ref().filter(|v| still_good(v)) {
                Some(v) => (Some(v.clone()), false),
                None => (
                    Some(ConsentValue::new(
                        &self.site,
                        doc,
                        hash,
                        resolved.granted.clone(),
                        now,
                    )),
                    true,
                ),
            },
            // A valid saved record that the jar lacks is carried into the jar.
            (Source::Saved, State::Valid) => (resolved.found.clone(), false),
            _ => (None, false),
        };
        // A jar that cannot hold a readable value (a Chromium jar under a key
        // crumbs cannot use) gets no preferences write: the record keeps it.
        let encoded = value
            .as_ref()
            .filter(|_| self.jar.stores_preferences())
            .map(|v| (v.encode(), v.expires.unix_timestamp()));
        let plan = plan::plan(PlanInput {
            cookies: self.jar.cookies(),
            classified: &self.classified,
            policy: &self.policy,
            site: &self.site,
            granted: &resolved.granted,
            write: encoded.as_ref().map(|(s, t)| (s.as_str(), *t)),
            drop_expired,
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
        let edits = decision.plan.edits(self.jar.cookies());
        self.jar.apply(&edits)?;
        let saved = match write::save(&mut self.jar, Target::InPlace { no_backup }, &self.dirs) {
            Ok(saved) => saved,
            Err(e) => {
                if let Ok(again) = Jar::open(&self.jar.path, self.jar.opts) {
                    self.jar = again;
                }
                self.reclassify();
                return Err(e.into());
            }
        };
        self.reclassify();
        let record = self.store_choice(decision, now)?;
        if record.is_some() {
            self.saved = decision.value.clone();
        }
        Ok(Committed {
            saved,
            removed: decision.plan.remove_count(),
            record,
        })
    }

    /// For a new choice: the consent record and the log line.
    fn store_choice(
        &self,
        decision: &Decision,
        now: OffsetDateTime,
    ) -> Result<Option<PathBuf>, SessionError> {
        store_choice(&self.dirs, decision, now)
    }
}

/// Finds the policy for a site with no jar: `explicit`, else the first of the
/// user's (config dir named by the environment) and the shipped ones covering it.
pub fn find_policy_for_site(explicit: Option<&Path>, site: &str) -> Result<Policy, SessionError> {
    find_policy_for_site_in(explicit, site, Dirs::from_env().as_ref())
}

/// [`find_policy_for_site`] with the user's folders given.
pub fn find_policy_for_site_in(
    explicit: Option<&Path>,
    site: &str,
    dirs: Option<&Dirs>,
) -> Result<Policy, SessionError> {
    match explicit {
        Some(path) => Ok(Policy::from_path(path)?),
        None => candidates(dirs)?
            .into_iter()
            .find(|p| p.covers_site(site))
            .ok_or(SessionError::NoPolicy),
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
        (true, Some(v)) => {
            store::save_record(dirs, v)?;
            store::append_log(dirs, v, "set", now)?;
            Ok(Some(store::record_path(dirs, &v.site)?))
        }
        _ => Ok(None),
    }
}
