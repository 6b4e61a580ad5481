//! The plan: which cookies to keep, which to remove and why, and the
//! preferences cookie to write. A pure function every face reads.

use crate::classify::{Classified, Relation};
use crate::consent::Grants;
use crate::model::{Cookies, Edits, Expiry, NewCookie, SameSite, SetCookie};
use crate::policy::Policy;

/// Why a cookie stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeepReason {
    /// Its category is required.
    Required,
    /// Its category is granted.
    Granted,
    /// It is the site's preferences cookie.
    Preferences,
    /// It belongs to another site: never touched.
    OtherSite,
    /// The known-cookie catalog does not know it: no category choice prunes it.
    Unknown,
    /// Not named for removal (`crumbs remove`, which touches nothing else).
    NotNamed,
}

/// Why a cookie goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RemoveReason {
    /// Its category is refused.
    Refused,
    /// It expired and `--drop-expired` asked to drop expired cookies.
    Expired,
    /// A second preferences cookie competing with the one written.
    DuplicatePreferences,
    /// The user marked it for removal (the TUI's `d`, `crumbs remove`),
    /// whatever its category or site.
    Marked,
}

/// What happens to one cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Stays in the jar.
    Keep(KeepReason),
    /// Is removed from the jar.
    Remove(RemoveReason),
}

impl Action {
    /// `keep` or `remove`, as in `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Keep(_) => "keep",
            Action::Remove(_) => "remove",
        }
    }

    /// True for removals.
    pub fn is_remove(self) -> bool {
        matches!(self, Action::Remove(_))
    }

    /// A short reason for people.
    pub fn reason(self) -> &'static str {
        match self {
            Action::Keep(KeepReason::Required) => "required category",
            Action::Keep(KeepReason::Granted) => "category granted",
            Action::Keep(KeepReason::Preferences) => "preferences cookie",
            Action::Keep(KeepReason::OtherSite) => "other site, never touched",
            Action::Keep(KeepReason::NotNamed) => "not named",
            Action::Keep(KeepReason::Unknown) => {
                "unknown to the catalog, never pruned by a category"
            }
            Action::Remove(RemoveReason::Refused) => "category refused",
            Action::Remove(RemoveReason::Expired) => "expired",
            Action::Remove(RemoveReason::DuplicatePreferences) => "competing preferences cookie",
            Action::Remove(RemoveReason::Marked) => "marked for removal",
        }
    }
}

/// Everything the plan needs.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// The jar's cookies.
    pub cookies: &'a dyn Cookies,
    /// Their classification, one per cookie, same order.
    pub classified: &'a [Classified],
    /// The policy.
    pub policy: &'a Policy,
    /// The managed site.
    pub site: &'a str,
    /// Effective category choices (policy order; required are true).
    pub granted: &'a Grants,
    /// The encoded preferences value to store in the jar, with its expiry; None to leave it.
    pub write: Option<(&'a str, i64)>,
    /// Also remove the site's expired cookies.
    pub drop_expired: bool,
    /// Cookies the user marked for removal (indices): removed whatever
    /// their category or site, but for the preferences cookie a write
    /// replaces (it holds the consent being saved).
    pub marked: &'a [usize],
    /// Now, in Unix seconds.
    pub now: i64,
}

/// Keep / remove counts of one category under a plan (serialised as in
/// `--json`'s `summary.by_category`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Cookies kept.
    pub keep: usize,
    /// Cookies the plan removes.
    pub remove: usize,
}

/// The decision for a jar: one action per cookie and the preferences write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// One action per cookie, same order as the input.
    pub actions: Vec<Action>,
    /// The preferences cookie to write, if any.
    pub set: Option<SetCookie>,
    /// Keep / remove counts per policy category, in policy order (the
    /// scope's cookies only: other sites' have no category). Every face
    /// shows these, none counts again.
    pub by_category: Vec<Counts>,
}

impl Plan {
    /// Indices of the cookies to remove.
    pub fn removed(&self) -> impl Iterator<Item = usize> + '_ {
        self.actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.is_remove())
            .map(|(i, _)| i)
    }

    /// Number of removals.
    pub fn remove_count(&self) -> usize {
        self.removed().count()
    }

    /// True when applying the plan would change nothing.
    pub fn is_noop(&self) -> bool {
        self.set.is_none() && self.remove_count() == 0
    }

    /// The jar edits that carry the plan out.
    pub fn edits(&self, cookies: &dyn Cookies) -> Edits {
        Edits {
            remove: self.removed().map(|i| cookies.at(i).key.clone()).collect(),
            set: self.set.clone(),
        }
    }
}

/// Picks the preferences cookie a browser would prefer for the site: host-only
/// on the site first, then the most specific domain, then the longest path.
pub fn preferences_cookie(cookies: &dyn Cookies, classified: &[Classified]) -> Option<usize> {
    best_preferences(
        cookies,
        classified.iter().filter(|c| c.preferences).map(|c| c.index),
    )
}

/// [`preferences_cookie`] among the given preferences cookies.
fn best_preferences(cookies: &dyn Cookies, prefs: impl Iterator<Item = usize>) -> Option<usize> {
    prefs.max_by_key(|&i| {
        let c = cookies.at(i);
        (
            c.host_only,
            c.domain.len(),
            c.path.len(),
            std::cmp::Reverse(i),
        )
    })
}

/// Decides, for every cookie, keep or remove, and what preferences cookie to write.
pub fn plan(input: PlanInput<'_>) -> Plan {
    let PlanInput {
        cookies,
        classified,
        policy,
        site,
        granted: choices,
        write,
        drop_expired,
        marked,
        now,
    } = input;
    // Per category, once: a million cookies then cost an index each.
    let verdicts: Vec<Action> = policy
        .doc
        .categories
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            if policy.is_catalog() && cat.id == crate::known::governing::UNKNOWN {
                Action::Keep(KeepReason::Unknown)
            } else if cat.required {
                Action::Keep(KeepReason::Required)
            } else if choices.at(i) {
                Action::Keep(KeepReason::Granted)
            } else {
                Action::Remove(RemoveReason::Refused)
            }
        })
        .collect();
    let mut prefs = Vec::new();
    let mut actions = vec![Action::Keep(KeepReason::OtherSite); cookies.len()];
    for c in classified {
        let verdict = c
            .category_idx()
            .and_then(|i| verdicts.get(i).copied())
            .unwrap_or(Action::Remove(RemoveReason::Refused));
        actions[c.index] = if c.relation == Relation::OtherSite {
            Action::Keep(KeepReason::OtherSite)
        } else if c.preferences {
            prefs.push(c.index);
            Action::Keep(KeepReason::Preferences)
        } else if matches!(
            verdict,
            Action::Keep(KeepReason::Required | KeepReason::Unknown)
        ) {
            verdict
        } else if drop_expired && cookies.at(c.index).expiry.is_expired(now) {
            Action::Remove(RemoveReason::Expired)
        } else {
            verdict
        };
    }
    let chosen_pref = best_preferences(cookies, prefs.iter().copied());
    if write.is_some() {
        for &i in prefs.iter().filter(|&&i| Some(i) != chosen_pref) {
            actions[i] = Action::Remove(RemoveReason::DuplicatePreferences);
        }
    }
    for &i in marked {
        let holds_the_write = write.is_some() && Some(i) == chosen_pref;
        if let Some(a) = actions.get_mut(i).filter(|_| !holds_the_write) {
            *a = Action::Remove(RemoveReason::Marked);
        }
    }
    let set = write.and_then(|(value, expires)| match chosen_pref {
        Some(i) if cookies.at(i).value == value && cookies.at(i).expiry == Expiry::At(expires) => {
            None
        }
        Some(i) => Some(SetCookie::Replace {
            key: cookies.at(i).key.clone(),
            value: value.to_string(),
            expiry: Expiry::At(expires),
        }),
        None => Some(SetCookie::Add(NewCookie {
            name: policy.doc.preferences_cookie.clone(),
            value: value.to_string(),
            domain: site.to_string(),
            host_only: true,
            path: "/".into(),
            secure: site_is_https(classified),
            http_only: false,
            same_site: SameSite::Lax,
            expiry: Expiry::At(expires),
        })),
    });
    let by_category = count_by_category(classified, &actions, policy.doc.categories.len());
    Plan {
        actions,
        set,
        by_category,
    }
}

/// The plan of `crumbs remove`: the `marked` cookies of a jar of `len`
/// removed, every other kept, no consent written, no category counted.
pub fn removal(len: usize, marked: &[usize]) -> Plan {
    let mut actions = vec![Action::Keep(KeepReason::NotNamed); len];
    for &i in marked {
        if let Some(a) = actions.get_mut(i) {
            *a = Action::Remove(RemoveReason::Marked);
        }
    }
    Plan {
        actions,
        set: None,
        by_category: Vec::new(),
    }
}

/// Keep / remove counts per category of the final actions.
fn count_by_category(classified: &[Classified], actions: &[Action], n: usize) -> Vec<Counts> {
    let mut counts = vec![Counts::default(); n];
    for c in classified {
        if let Some(count) = c.category_idx().and_then(|i| counts.get_mut(i)) {
            if actions[c.index].is_remove() {
                count.remove += 1;
            } else {
                count.keep += 1;
            }
        }
    }
    counts
}

/// A jar does not say which scheme the site used; a site that set any Secure
/// cookie (or set none at all) is taken to be https.
fn site_is_https(classified: &[Classified]) -> bool {
    let mut site = classified
        .iter()
        .filter(|c| c.relation == Relation::Site)
        .peekable();
    site.peek().is_none() || site.any(|c| c.secure)
}
