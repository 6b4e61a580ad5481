//! Which consent applies: flags, the jar's cookie, the saved record, or the default.
//!
//! First match wins (DESIGN §6): the jar's `cookies_preferences` value for the
//! site when it decodes, then the saved record, then nothing beyond the required
//! categories. Explicit flags modify that consent and take precedence. Pure: no I/O.

use time::OffsetDateTime;

use super::grants::Grants;
use super::value::ConsentValue;
use crate::policy::PolicyDoc;

/// The consent flags of the command line (`--accept-all`, `--reject-all`,
/// `--allow CAT,...`, `--deny CAT,...`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    /// Grant every category.
    pub accept_all: bool,
    /// Refuse every category that is not required.
    pub reject_all: bool,
    /// Category ids to grant (applied after `accept_all`/`reject_all`).
    pub allow: Vec<String>,
    /// Category ids to refuse (applied after `accept_all`/`reject_all`).
    pub deny: Vec<String>,
}

impl Choice {
    /// True when no flag was given (blank list entries do not count).
    pub fn is_empty(&self) -> bool {
        !self.accept_all
            && !self.reject_all
            && ids(&self.allow).next().is_none()
            && ids(&self.deny).next().is_none()
    }
}

/// The ids of a flag list: entries trimmed, split on `,`, blanks dropped.
fn ids(list: &[String]) -> impl Iterator<Item = &str> {
    list.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Where the consent in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Explicit command-line flags.
    Flags,
    /// The jar's own `cookies_preferences` cookie.
    Jar,
    /// The saved record in the config dir.
    Saved,
    /// Nothing found: required categories only.
    Default,
}

impl Source {
    /// The name used in `--json` output: `flags|jar|saved|default`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Flags => "flags",
            Source::Jar => "jar",
            Source::Saved => "saved",
            Source::Default => "default",
        }
    }
}

/// How good the consent in force is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Current: this site, this policy hash, not expired (or given by flags).
    Valid,
    /// Given for another policy hash or another site: to be reviewed; treated as refusal.
    Stale,
    /// Past its expiry: to be reviewed; treated as refusal.
    Expired,
    /// The jar holds a preferences value crumbs cannot read; treated as refusal.
    Unrecognised,
    /// No consent at all; silence is refusal.
    None,
}

impl State {
    /// The name used in `--json` output: `valid|stale|expired|unrecognised|none`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Valid => "valid",
            State::Stale => "stale",
            State::Expired => "expired",
            State::Unrecognised => "unrecognised",
            State::None => "none",
        }
    }

    /// True for the states a user should review (stale, expired, unrecognised).
    pub fn needs_review(self) -> bool {
        matches!(self, State::Stale | State::Expired | State::Unrecognised)
    }
}

/// The consent in force for one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Where it comes from.
    pub source: Source,
    /// How good it is.
    pub state: State,
    /// Effective grant per policy category, in policy order; required ones always true.
    pub granted: Grants,
    /// The value read from the jar or the record, if one decoded (even when stale
    /// or expired, so a UI can show what it said).
    pub found: Option<ConsentValue>,
    /// True when the jar held a preferences value that did not decode.
    pub jar_unrecognised: bool,
}

impl Resolved {
    /// True when someone chose this consent: flags, a saved record, or a
    /// preferences value crumbs wrote (it decodes), stale or not. Silence and
    /// the platform's own unrecognised value are only the default, which
    /// `prune` shows but does not act on (DESIGN §8).
    pub fn is_chosen(&self) -> bool {
        match self.source {
            Source::Flags | Source::Saved => true,
            Source::Jar => self.found.is_some(),
            Source::Default => false,
        }
    }
}

/// A flag combination that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    /// A flag names a category the policy does not have.
    #[error("unknown category `{id}` (valid categories: {valid})")]
    UnknownCategory {
        /// The id as given.
        id: String,
        /// The policy's category ids, comma-separated.
        valid: String,
    },
    /// `--deny` names a required category.
    #[error("category `{id}` is required and cannot be denied")]
    DenyRequired {
        /// The category id.
        id: String,
    },
    /// The same category is both allowed and denied.
    #[error("category `{id}` is both allowed and denied")]
    AllowAndDeny {
        /// The category id.
        id: String,
    },
    /// `--accept-all` together with `--reject-all`.
    #[error("--accept-all and --reject-all cannot be used together")]
    AcceptAndReject,
}

/// Decides which consent applies for `site` under the policy `doc` (hash `hash`).
///
/// `jar_value` is the raw value of the jar's preferences cookie for the site,
/// `saved` the saved record. Stale, expired and unrecognised consent grants the
/// required categories only. Non-empty `choice` flags modify the consent in force
/// and make the source [`Source::Flags`], state [`State::Valid`].
pub fn resolve(
    doc: &PolicyDoc,
    hash: &str,
    site: &str,
    choice: &Choice,
    jar_value: Option<&str>,
    saved: Option<&ConsentValue>,
    now: OffsetDateTime,
) -> Result<Resolved, ChoiceError> {
    let mut jar_unrecognised = false;
    let mut found = None;
    if let Some(raw) = jar_value {
        match ConsentValue::decode(raw) {
            Ok(v) => found = Some((Source::Jar, v)),
            Err(_) => jar_unrecognised = true,
        }
    }
    if found.is_none() {
        found = saved.map(|v| (Source::Saved, v.clone()));
    }

    let required_only = || Grants::required_only(doc);
    let (source, state, granted, found) = match found {
        Some((source, v)) => {
            let state = state_of(&v, Some(hash), site, now);
            let granted = if state == State::Valid {
                Grants::new(doc, |c| v.granted(&c.id))
            } else {
                required_only()
            };
            (source, state, granted, Some(v))
        }
        None if jar_unrecognised => (Source::Jar, State::Unrecognised, required_only(), None),
        None => (Source::Default, State::None, required_only(), None),
    };

    let mut resolved = Resolved {
        source,
        state,
        granted,
        found,
        jar_unrecognised,
    };
    if !choice.is_empty() {
        resolved.granted = apply_choice(doc, choice, resolved.granted)?;
        resolved.source = Source::Flags;
        resolved.state = State::Valid;
    }
    Ok(resolved)
}

/// How good a decoded consent value is for `site` under the policy of hash
/// `policy_hash` at `now`: expired, else stale when given for another site or
/// another policy hash, else valid. Without a policy (none covers the site)
/// only expiry can be judged.
pub fn state_of(
    v: &ConsentValue,
    policy_hash: Option<&str>,
    site: &str,
    now: OffsetDateTime,
) -> State {
    if v.is_expired(now) {
        State::Expired
    } else if policy_hash.is_some_and(|h| h != v.hash) || v.site != site {
        State::Stale
    } else {
        State::Valid
    }
}

/// Checks the flags against the policy and applies them to `base`.
fn apply_choice(doc: &PolicyDoc, choice: &Choice, mut base: Grants) -> Result<Grants, ChoiceError> {
    if choice.accept_all && choice.reject_all {
        return Err(ChoiceError::AcceptAndReject);
    }
    let category = |id: &str| doc.categories.iter().find(|c| c.id == id);
    for id in ids(&choice.allow).chain(ids(&choice.deny)) {
        if category(id).is_none() {
            return Err(ChoiceError::UnknownCategory {
                id: id.to_owned(),
                valid: doc
                    .categories
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    for id in ids(&choice.deny) {
        if ids(&choice.allow).any(|a| a == id) {
            return Err(ChoiceError::AllowAndDeny { id: id.to_owned() });
        }
    }
    for id in ids(&choice.deny) {
        if category(id).is_some_and(|c| c.required) {
            return Err(ChoiceError::DenyRequired { id: id.to_owned() });
        }
    }
    if choice.accept_all || choice.reject_all {
        base.set_all(choice.accept_all);
    }
    for id in ids(&choice.allow) {
        base.set(id, true);
    }
    for id in ids(&choice.deny) {
        base.set(id, false);
    }
    Ok(base)
}

/// True when `a` already records exactly this choice for `site` under policy
/// `hash`: the same site, the same hash and the same grant for every category
/// (order aside). The caller then keeps `a` (same id, no new record, no new log
/// line). It does not look at expiry: check [`State::Valid`] first.
pub fn same_choice(a: &ConsentValue, granted: &Grants, site: &str, hash: &str) -> bool {
    same_pairs(a, granted.pairs(), site, hash)
}

/// [`same_choice`] on the grants as id and grant pairs, in any order.
fn same_pairs(a: &ConsentValue, granted: &[(String, bool)], site: &str, hash: &str) -> bool {
    a.site == site
        && a.hash == hash
        && a.categories.len() == granted.len()
        && granted.iter().all(|(id, g)| {
            a.categories
                .iter()
                .filter(|(c, _)| c == id)
                .map(|(_, v)| v)
                .eq(std::iter::once(g))
        })
        && a.categories
            .iter()
            .all(|(id, _)| granted.iter().any(|(c, _)| c == id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Category, Undeclared};
    use time::macros::datetime;

    const HASH: &str = "sha256:0123456789abcdef";
    const SITE: &str = "portal.example.test";

    fn doc() -> PolicyDoc {
        let cat = |id: &str, required: bool| Category {
            id: id.into(),
            label: id.into(),
            required,
            description: String::new(),
        };
        PolicyDoc {
            schema: 1,
            name: "Test".into(),
            publisher: "Test".into(),
            sites: vec![SITE.into()],
            revision: "2026-11-22".into(),
            consent_lifetime_days: 182,
            preferences_cookie: "cookies_preferences".into(),
            categories: vec![
                cat("necessary", true),
                cat("statistical", false),
                cat("first-party", false),
                cat("third-party", false),
            ],
            cookies: vec![],
            undeclared: Undeclared {
                first_party: "first-party".into(),
                third_party: "third-party".into(),
            },
            source: None,
        }
    }

    fn now() -> OffsetDateTime {
        datetime!(2026-12-01 00:00:00 UTC)
    }

    fn g(v: &[bool]) -> Vec<(String, bool)> {
        ["necessary", "statistical", "first-party", "third-party"]
            .iter()
            .zip(v)
            .map(|(id, b)| (id.to_string(), *b))
            .collect()
    }

    fn value(cats: &[bool]) -> ConsentValue {
        ConsentValue::new(
            SITE,
            &doc(),
            HASH,
            g(cats),
            datetime!(2026-11-23 11:00:00 UTC),
        )
    }

    #[test]
    fn names() {
        assert_eq!(Source::Flags.as_str(), "flags");
        assert_eq!(Source::Default.as_str(), "default");
        assert_eq!(State::Unrecognised.as_str(), "unrecognised");
        assert_eq!(State::None.as_str(), "none");
    }

    #[test]
    fn same_choice_ignores_order_but_not_content() {
        let v = value(&[true, true, false, false]);
        let mut rev = g(&[true, true, false, false]);
        rev.reverse();
        assert!(same_pairs(&v, &rev, SITE, HASH));
        assert!(!same_pairs(
            &v,
            &g(&[true, false, false, false]),
            SITE,
            HASH
        ));
        assert!(!same_pairs(&v, &rev, "other.test", HASH));
        assert!(!same_pairs(&v, &rev, SITE, "sha256:ffff"));
        assert!(!same_pairs(&v, &rev[..3], SITE, HASH));
    }

    #[test]
    fn only_flags_records_and_crumbs_values_are_a_choice() {
        let none = Choice::default();
        let reject = Choice {
            reject_all: true,
            ..Choice::default()
        };
        let v = value(&[true, false, false, false]);
        let old = ConsentValue {
            hash: "sha256:ffff".into(),
            ..v.clone()
        };
        let chosen = |choice: &Choice, jar: Option<&str>, saved: Option<&ConsentValue>| {
            resolve(&doc(), HASH, SITE, choice, jar, saved, now())
                .unwrap()
                .is_chosen()
        };
        assert!(!chosen(&none, None, None), "silence");
        assert!(!chosen(&none, Some("platform%20own"), None), "unrecognised");
        assert!(chosen(&reject, None, None), "flags");
        assert!(chosen(&reject, Some("platform%20own"), None), "flags win");
        assert!(chosen(&none, Some(&v.encode()), None), "crumbs' value");
        assert!(chosen(&none, None, Some(&v)), "saved record");
        assert!(
            chosen(&none, None, Some(&old)),
            "a stale record is a choice"
        );
        assert!(
            chosen(&none, Some("platform%20own"), Some(&v)),
            "record behind an unrecognised value"
        );
    }

    #[test]
    fn flags_on_valid_jar_change_only_what_they_name() {
        let v = value(&[true, true, true, true]);
        let choice = Choice {
            deny: vec![" third-party ".into()],
            ..Choice::default()
        };
        let r = resolve(&doc(), HASH, SITE, &choice, Some(&v.encode()), None, now()).unwrap();
        assert_eq!(r.source, Source::Flags);
        assert_eq!(r.state, State::Valid);
        assert_eq!(r.granted.pairs(), g(&[true, true, true, false]));
        assert_eq!(r.found, Some(v));
    }
}
