//! The choices part of the app: the consent in force, the toggles the user
//! sets, and the engine's decision for them (the preview), with the keep /
//! remove counts its plan gives each category.

use time::OffsetDateTime;

use super::text;
use crate::consent::resolve::{Choice, Resolved};
use crate::plan::{Action, RemoveReason};
use crate::policy::Category;
use crate::session::{Decision, Session, SessionError};

pub use crate::plan::Counts;

/// The consent in force, the toggles, and the decision they give.
#[derive(Debug, Clone)]
pub struct Choices {
    in_force: Resolved,
    initial: Vec<bool>,
    toggles: Vec<bool>,
    /// Cookies marked for removal with `d` (jar indices, sorted).
    marked: Vec<usize>,
    decision: Decision,
}

impl Choices {
    /// The choices of `session` at `now`: the toggles start on the consent in
    /// force, or on `keep` when it has one per category (a reload keeps them).
    pub fn new(
        session: &Session,
        now: OffsetDateTime,
        keep: Option<Vec<bool>>,
    ) -> Result<Choices, SessionError> {
        let in_force = session.decide(&Choice::default(), false, now)?.resolved;
        let initial: Vec<bool> = in_force.granted.bools();
        let toggles = keep
            .filter(|k| k.len() == initial.len())
            .unwrap_or_else(|| initial.clone());
        let decision = session.decide(&choice_of(session, &toggles), false, now)?;
        Ok(Choices {
            in_force,
            initial,
            toggles,
            marked: Vec::new(),
            decision,
        })
    }

    /// The consent in force as loaded (what the header reports).
    pub fn in_force(&self) -> &Resolved {
        &self.in_force
    }

    /// Grant per category, in policy order.
    pub fn toggles(&self) -> &[bool] {
        &self.toggles
    }

    /// True when the toggles differ from the consent in force, or a cookie
    /// is marked for removal.
    pub fn dirty(&self) -> bool {
        self.toggles != self.initial || !self.marked.is_empty()
    }

    /// The cookies marked for removal (jar indices, sorted).
    pub fn marked(&self) -> &[usize] {
        &self.marked
    }

    /// Marks cookie `i` for removal, or unmarks it; true when it is now marked.
    pub fn mark(&mut self, i: usize) -> bool {
        match self.marked.binary_search(&i) {
            Ok(at) => {
                self.marked.remove(at);
                false
            }
            Err(at) => {
                self.marked.insert(at, i);
                true
            }
        }
    }

    /// The engine's decision for the toggles: the preview.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// Keep / remove counts per category.
    pub fn counts(&self) -> &[Counts] {
        &self.decision.plan.by_category
    }

    /// Cookies the current choice removes.
    pub fn removals(&self) -> usize {
        self.decision.plan.remove_count()
    }

    /// What the status line says after a change (`what`): what the choice
    /// would remove.
    pub fn preview(&self, what: &str) -> String {
        let tail = match self.removals() {
            0 => "nothing would be removed".to_string(),
            n => format!("{} would be removed", text::cookies(n)),
        };
        format!("{what}: {tail} (s saves)")
    }

    /// Flips category `i`; its new grant, or None when it has no toggle.
    pub fn flip(&mut self, i: usize) -> Option<bool> {
        let t = self.toggles.get_mut(i)?;
        *t = !*t;
        Some(*t)
    }

    /// Grants every category, or refuses every one that is not required.
    pub fn set_all(&mut self, categories: &[Category], grant: bool) {
        self.toggles = categories.iter().map(|c| grant || c.required).collect();
    }

    /// Back to the consent in force, nothing marked.
    pub fn reset(&mut self) {
        self.toggles = self.initial.clone();
        self.marked.clear();
    }

    /// Asks the engine again after the toggles changed.
    pub fn recompute(
        &mut self,
        session: &Session,
        now: OffsetDateTime,
    ) -> Result<(), SessionError> {
        self.decision = self.decide(session, now)?;
        Ok(())
    }

    /// The engine's decision for the toggles at `now` (a save dates the consent then).
    pub fn decide(&self, session: &Session, now: OffsetDateTime) -> Result<Decision, SessionError> {
        session.decide_marked(&choice_of(session, &self.toggles), false, &self.marked, now)
    }

    /// Cookies the current choice removes, per category label, in policy order.
    pub fn removals_by_category(&self, categories: &[Category]) -> Vec<(String, usize)> {
        categories
            .iter()
            .zip(self.counts())
            .filter(|(_, n)| n.remove > 0)
            .map(|(c, n)| (c.label.clone(), n.remove))
            .collect()
    }

    /// The question the save confirmation asks for `session`, naming its
    /// effect: removals per category, other sites' marked cookies, and how
    /// many of them were marked with `d`.
    pub fn confirm_question(&self, session: &Session) -> String {
        let d = &self.decision;
        let stores = d.new_choice || d.plan.set.is_some();
        let site = session.site();
        let mut by: Vec<String> = self
            .removals_by_category(&session.policy().doc.categories)
            .into_iter()
            .map(|(label, n)| format!("{label} {n}"))
            .collect();
        let in_categories: usize = self.counts().iter().map(|n| n.remove).sum();
        let elsewhere = d.plan.remove_count().saturating_sub(in_categories);
        if elsewhere > 0 {
            by.push(format!("other sites {elsewhere}"));
        }
        let mut why = by.join(", ");
        let marked = d
            .plan
            .actions
            .iter()
            .filter(|a| **a == Action::Remove(RemoveReason::Marked))
            .count();
        if marked > 0 {
            why.push_str(&format!("; {marked} marked with d"));
        }
        match (d.plan.remove_count(), stores) {
            (0, true) => format!("Remove no cookies and store your choice for {site}?"),
            (n, true) => format!(
                "Remove {} ({why}) and store your choice for {site}?",
                text::cookies(n),
            ),
            (n, false) => format!("Remove {} ({why}) from the jar?", text::cookies(n)),
        }
    }
}

/// The engine choice the toggles stand for: every category named, so the
/// result never depends on what the jar or the record said.
pub fn choice_of(session: &Session, toggles: &[bool]) -> Choice {
    let mut choice = Choice::default();
    for (cat, &on) in session.policy().doc.categories.iter().zip(toggles) {
        if on {
            choice.allow.push(cat.id.clone());
        } else if !cat.required {
            choice.deny.push(cat.id.clone());
        }
    }
    choice
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dirs::Dirs;
    use crate::jar::{Jar, OpenOptions};
    use crate::policy::Policy;
    use time::macros::datetime;

    /// A session on a small jar for www.portal.test under the tests' policy:
    /// one necessary, one statistical, two first-party cookies, one other site's.
    pub(crate) fn session(root: &std::path::Path) -> Session {
        let text = "# Netscape HTTP Cookie File\n\
www.portal.test\tFALSE\t/\tTRUE\t0\tsessionid\ts\n\
.portal.test\tTRUE\t/\tFALSE\t1900000000\t_ga\tg\n\
www.portal.test\tFALSE\t/\tFALSE\t0\t_hjSession\t1\n\
www.portal.test\tFALSE\t/\tFALSE\t0\tmystery\tx\n\
other.example\tFALSE\t/\tFALSE\t0\tsid\tq\n";
        let jar = Jar::from_bytes(
            std::path::Path::new("cookies.txt"),
            text.as_bytes().to_vec(),
            OpenOptions::default(),
        )
        .expect("jar");
        let policy = Policy::from_json(
            include_str!("../../tests/data/policies/portal.json"),
            "portal.json",
        )
        .expect("policy");
        let dirs = Dirs {
            config: root.join("config"),
            data: root.join("data"),
        };
        let catalog = crate::policy::catalog::Catalog::of([policy]);
        Session::open(
            jar,
            catalog,
            crate::scopes::Selection::from_flag(None),
            dirs,
        )
        .expect("session")
    }

    pub(crate) fn now() -> OffsetDateTime {
        datetime!(2026-12-01 10:00:00 UTC)
    }

    fn choices(s: &Session) -> Choices {
        Choices::new(s, now(), None).expect("choices")
    }

    #[test]
    fn silence_is_refusal_and_the_counts_follow_the_plan() {
        let dir = tempfile::tempdir().expect("dir");
        let s = session(dir.path());
        let c = choices(&s);
        assert_eq!(c.toggles(), [true, false, false, false]);
        assert!(!c.dirty());
        assert_eq!(c.counts()[0], Counts { keep: 1, remove: 0 });
        assert_eq!(c.counts()[1], Counts { keep: 0, remove: 1 });
        assert_eq!(c.counts()[2], Counts { keep: 0, remove: 2 });
        assert_eq!(c.removals(), 3);
    }

    #[test]
    fn flipping_and_setting_all_change_the_preview() {
        let dir = tempfile::tempdir().expect("dir");
        let s = session(dir.path());
        let mut c = choices(&s);
        assert_eq!(c.flip(1), Some(true));
        c.recompute(&s, now()).expect("decide");
        assert!(c.dirty());
        assert_eq!(c.removals(), 2);
        assert_eq!(c.preview("x"), "x: 2 cookies would be removed (s saves)");
        assert_eq!(c.flip(9), None);
        let cats = &s.policy().doc.categories;
        c.set_all(cats, true);
        c.recompute(&s, now()).expect("decide");
        assert_eq!((c.toggles(), c.removals()), (&[true; 4][..], 0));
        c.set_all(cats, false);
        c.recompute(&s, now()).expect("decide");
        assert_eq!(
            c.toggles(),
            [true, false, false, false],
            "required stays on"
        );
        assert_eq!(
            c.removals_by_category(cats),
            [
                ("Statistical".to_string(), 1),
                ("Internal (first-party)".to_string(), 2)
            ]
        );
        assert_eq!(
            c.confirm_question(&s),
            "Remove 3 cookies (Statistical 1, Internal (first-party) 2) and store your choice for www.portal.test?"
        );
        c.flip(2);
        c.reset();
        assert!(!c.dirty());
    }

    #[test]
    fn a_marked_cookie_goes_whatever_its_category_and_is_counted() {
        let dir = tempfile::tempdir().expect("dir");
        let s = session(dir.path());
        let mut c = choices(&s);
        // sessionid (necessary: required) and another site's sid.
        assert!(c.mark(4));
        assert!(c.mark(0));
        assert_eq!(c.marked(), [0, 4]);
        c.recompute(&s, now()).expect("decide");
        assert!(c.dirty(), "a mark is a change to save");
        assert_eq!(c.removals(), 5);
        assert_eq!(c.counts()[0], Counts { keep: 0, remove: 1 });
        assert_eq!(
            c.confirm_question(&s),
            "Remove 5 cookies (Necessary 1, Statistical 1, Internal (first-party) 2, \
             other sites 1; 2 marked with d) and store your choice for www.portal.test?"
        );
        assert!(!c.mark(0), "d again unmarks");
        c.recompute(&s, now()).expect("decide");
        assert_eq!((c.removals(), c.counts()[0].remove), (4, 0));
        c.reset();
        c.recompute(&s, now()).expect("decide");
        assert!(!c.dirty());
        assert_eq!((c.marked(), c.removals()), (&[][..], 3));
    }

    #[test]
    fn a_reload_keeps_toggles_that_still_fit() {
        let dir = tempfile::tempdir().expect("dir");
        let s = session(dir.path());
        let kept = Choices::new(&s, now(), Some(vec![true; 4])).expect("choices");
        assert_eq!(kept.toggles(), [true; 4]);
        assert!(kept.dirty());
        let wrong = Choices::new(&s, now(), Some(vec![true; 2])).expect("choices");
        assert_eq!(wrong.toggles(), [true, false, false, false]);
    }
}
