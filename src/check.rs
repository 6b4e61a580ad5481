//! Problems a jar has against its policy and consent (what `crumbs check` reports).

use crate::classify::{Classified, Relation};
use crate::consent::resolve::State;
use crate::lint::{self, LintKind};
use crate::model::{Cookie, Expiry};
use crate::session::{Decision, Session};

/// What kind of problem: the JSON names it by [`ProblemKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A cookie of the site that the policy does not declare.
    Undeclared,
    /// An undeclared cookie of the site that the known-cookie catalog knows
    /// as analytics or marketing (DESIGN §5b): what an auditor wants first.
    UndeclaredTracker,
    /// A cookie living longer than the policy allows.
    OverLifetime,
    /// A consent given for another policy version or site.
    StaleConsent,
    /// A consent past its expiry.
    ExpiredConsent,
    /// A preferences value crumbs cannot read.
    UnrecognisedConsent,
    /// More than one preferences cookie for the site.
    DuplicatePreferences,
    /// Cookies the consent in force does not allow.
    NotConsented,
    /// What browsers would refuse or change in a cookie (DESIGN §5b lint).
    Lint(LintKind),
}

impl ProblemKind {
    /// The stable name used in `--json` output and the text report.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Undeclared => "undeclared",
            ProblemKind::UndeclaredTracker => "undeclared-tracker",
            ProblemKind::OverLifetime => "over-lifetime",
            ProblemKind::StaleConsent => "stale-consent",
            ProblemKind::ExpiredConsent => "expired-consent",
            ProblemKind::UnrecognisedConsent => "unrecognised-consent",
            ProblemKind::DuplicatePreferences => "duplicate-preferences",
            ProblemKind::NotConsented => "not-consented",
            ProblemKind::Lint(k) => k.as_str(),
        }
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ProblemKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The cookie concerned (`name` on `domain`), when one is.
    pub cookie: Option<String>,
    /// What is wrong, for people.
    pub message: String,
}

/// Lists the problems of the session under the decision in force.
pub fn problems(session: &Session, decision: &Decision, now: i64) -> Vec<Problem> {
    Findings::find(session, decision, now).iter().collect()
}

/// A cookie with problems, found by the counting pass; its messages are
/// made when written.
#[derive(Debug, Clone, Copy)]
struct Flagged {
    /// Position in the session's classifications.
    position: usize,
    /// The earlier cookie this one repeats (a `duplicate`), if any.
    earlier: Option<usize>,
}

/// The problems of a session under a decision, found once and written one
/// at a time: a jar of a million undeclared cookies is counted and reported
/// without holding a million messages.
#[derive(Debug)]
pub struct Findings<'a> {
    session: &'a Session,
    now: i64,
    /// The cookies with problems, in jar order.
    flagged: Vec<Flagged>,
    /// The problems of the jar as a whole.
    jar: Vec<Problem>,
    /// How many problems in all.
    count: usize,
}

impl<'a> Findings<'a> {
    /// Finds the problems (each cookie's on its own in parallel; duplicates
    /// in jar order, so the first of a repeated identity is the one kept).
    pub fn find(session: &'a Session, decision: &Decision, now: i64) -> Findings<'a> {
        let classified = session.classified();
        let cookies = session.jar().cookies();
        // Per cookie in scope: its own problem count and identity hash.
        let parts = crate::chunks::in_chunks(classified.len(), |range| {
            range
                .filter(|&p| classified[p].relation != Relation::OtherSite)
                .map(|p| {
                    let c = &classified[p];
                    let cookie = cookies.at(c.index);
                    let own = cookie_problems(session, c, &cookie, now).len()
                        + lint::cookie_lints(&cookie, now).len();
                    (p, own, lint::identity_hash(&cookie))
                })
                .collect::<Vec<_>>()
        });
        let own: Vec<(usize, usize, u64)> = parts.into_iter().flatten().collect();
        let items: Vec<(usize, u64)> = own
            .iter()
            .map(|&(p, _, hash)| (classified[p].index, hash))
            .collect();
        let repeats = lint::repeats(cookies, &items);
        let mut flagged = Vec::new();
        let mut count = 0;
        for (&(position, own, _), earlier) in own.iter().zip(repeats) {
            let n = own + usize::from(earlier.is_some());
            if n > 0 {
                flagged.push(Flagged { position, earlier });
                count += n;
            }
        }
        let jar = jar_problems(session, decision);
        count += jar.len();
        Findings {
            session,
            now,
            flagged,
            jar,
            count,
        }
    }

    /// How many problems there are.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The problems, cookie by cookie in jar order, then the jar's own.
    pub fn iter(&self) -> impl Iterator<Item = Problem> + '_ {
        self.batches().flatten()
    }

    /// [`Findings::iter`] in batches, the messages of each made in parallel
    /// (a million messages are as many formatted strings; a batch bounds the
    /// memory they take at once).
    pub fn batches(&self) -> impl Iterator<Item = Vec<Problem>> + '_ {
        let of_cookies = crate::chunks::in_batches(&self.flagged, |part| {
            part.iter()
                .flat_map(|f| self.of_cookie(f))
                .collect::<Vec<_>>()
        })
        .map(|parts| parts.into_iter().flatten().collect::<Vec<_>>());
        of_cookies.chain(std::iter::once_with(|| self.jar.clone()))
    }

    /// The problems of one flagged cookie, with their messages.
    fn of_cookie(&self, f: &Flagged) -> Vec<Problem> {
        let session = self.session;
        let c = &session.classified()[f.position];
        let cookies = session.jar().cookies();
        let cookie = cookies.at(c.index);
        let mut out = cookie_problems(session, c, &cookie, self.now);
        let mut lints = lint::cookie_lints(&cookie, self.now);
        if let Some(earlier) = f.earlier {
            lints.push(lint::duplicate_lint(&cookies.at(earlier)));
        }
        let who = who(&cookie);
        out.extend(lints.into_iter().map(|l| Problem {
            kind: ProblemKind::Lint(l.kind),
            // Joined, not `format!`ted: a million lint messages are made here.
            message: [who.as_str(), ": ", &l.rule].concat(),
            cookie: Some(who.clone()),
        }));
        out
    }
}

/// How a problem names its cookie: `NAME on DOMAIN` (a leading dot for a
/// domain cookie).
fn who(cookie: &Cookie) -> String {
    let dot = if cookie.host_only { "" } else { "." };
    [&*cookie.name, " on ", dot, &cookie.domain].concat()
}

/// A cookie's own problems: undeclared, over the policy's lifetime.
fn cookie_problems(session: &Session, c: &Classified, cookie: &Cookie, now: i64) -> Vec<Problem> {
    let doc = &session.policy().doc;
    let mut out = Vec::new();
    let who = || who(cookie);
    // Under the catalog a cookie it does not know is `unknown`, not a fault.
    if c.undeclared() && !session.scope().kind().is_catalog() {
        let cat = c
            .category_idx()
            .and_then(|i| doc.categories.get(i))
            .map_or("?", |k| k.label.as_str());
        let who = who();
        out.push(Problem {
            kind: ProblemKind::Undeclared,
            message: format!("{who} is not declared by the policy (counted as {cat})"),
            cookie: Some(who.clone()),
        });
        if let Some(k) = session
            .known(c.index)
            .filter(|k| k.entry.category.is_tracking())
        {
            out.push(Problem {
                kind: ProblemKind::UndeclaredTracker,
                message: format!(
                    "{who} is not declared by the policy, and the known-cookie catalog knows it \
                     as {} ({}: {})",
                    k.entry.category.id(),
                    k.entry.platform,
                    k.entry.purpose.trim()
                ),
                cookie: Some(who),
            });
        }
    }
    let limit_days = if c.preferences {
        Some(doc.consent_lifetime_days)
    } else {
        c.declaration_idx()
            .and_then(|d| doc.cookies[d].max_age_days)
    };
    if let (Some(days), Expiry::At(t)) = (limit_days, cookie.expiry) {
        // A day of slack: the limit counts from when the cookie was set, which jars do not record.
        let limit = now + (i64::from(days) + 1) * 86_400;
        if t > limit {
            let who = who();
            out.push(Problem {
                kind: ProblemKind::OverLifetime,
                message: format!(
                    "{who} lives {} days from now; the policy allows {days}",
                    (t - now) / 86_400
                ),
                cookie: Some(who),
            });
        }
    }
    out
}

/// The problems of the jar as a whole: competing preferences cookies, the
/// consent's state, cookies the consent does not allow.
fn jar_problems(session: &Session, decision: &Decision) -> Vec<Problem> {
    let doc = &session.policy().doc;
    let mut out = Vec::new();
    let prefs = session
        .classified()
        .iter()
        .filter(|c| c.preferences)
        .count();
    if prefs > 1 {
        out.push(Problem {
            kind: ProblemKind::DuplicatePreferences,
            cookie: Some(doc.preferences_cookie.clone()),
            message: format!(
                "{prefs} {} cookies compete for {}",
                doc.preferences_cookie,
                session.site()
            ),
        });
    }
    let r = &decision.resolved;
    let consent_problem = match r.state {
        State::Stale => Some((
            ProblemKind::StaleConsent,
            "the stored consent was given for another policy version or site; it counts as refusal until renewed",
        )),
        State::Expired => Some((
            ProblemKind::ExpiredConsent,
            "the stored consent has expired; it counts as refusal until renewed",
        )),
        State::Unrecognised => Some((
            ProblemKind::UnrecognisedConsent,
            "the jar's preferences cookie is not a value crumbs can read; it counts as refusal",
        )),
        _ => None,
    };
    if r.jar_unrecognised && r.state != State::Unrecognised {
        out.push(Problem {
            kind: ProblemKind::UnrecognisedConsent,
            cookie: Some(doc.preferences_cookie.clone()),
            message: format!(
                "the jar's {} value is not one crumbs can read (the saved record applies)",
                doc.preferences_cookie
            ),
        });
    }
    if let Some((kind, message)) = consent_problem {
        out.push(Problem {
            kind,
            cookie: None,
            message: message.to_string(),
        });
    }
    let refused = decision
        .plan
        .actions
        .iter()
        .filter(|a| a.is_remove())
        .count();
    if refused > 0 {
        out.push(Problem {
            kind: ProblemKind::NotConsented,
            cookie: None,
            message: format!(
                "{} in the jar that the consent in force does not allow (crumbs prune removes {})",
                match refused {
                    1 => "1 cookie is".to_string(),
                    n => format!("{n} cookies are"),
                },
                if refused == 1 { "it" } else { "them" }
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_keep_their_json_names() {
        let p = Problem {
            kind: ProblemKind::UnrecognisedConsent,
            cookie: None,
            message: "m".into(),
        };
        assert_eq!(
            serde_json::to_string(&p).expect("serialises"),
            r#"{"kind":"unrecognised-consent","cookie":null,"message":"m"}"#
        );
        let names: Vec<&str> = [
            ProblemKind::Undeclared,
            ProblemKind::UndeclaredTracker,
            ProblemKind::OverLifetime,
            ProblemKind::StaleConsent,
            ProblemKind::ExpiredConsent,
            ProblemKind::DuplicatePreferences,
            ProblemKind::NotConsented,
        ]
        .iter()
        .map(|k| k.as_str())
        .collect();
        assert_eq!(
            names,
            [
                "undeclared",
                "undeclared-tracker",
                "over-lifetime",
                "stale-consent",
                "expired-consent",
                "duplicate-preferences",
                "not-consented"
            ]
        );
    }
}
