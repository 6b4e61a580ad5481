//! The site picker part of the app: the jar's scopes, each under its own
//! policy (from [`scopes::resolve`](crate::scopes::resolve), through the
//! session), and the one selected.

use crate::scopes::Scope;
use crate::session::Session;

/// The scopes of the jar and the selection among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitePicker {
    scopes: Vec<Scope>,
    selected: usize,
}

impl SitePicker {
    /// The picker for `session`'s jar, on the scope it manages.
    pub fn of(session: &Session) -> SitePicker {
        SitePicker::new(session.scopes(), session.scope())
    }

    /// A picker over `scopes`, on `current` (else the first).
    pub fn new(scopes: Vec<Scope>, current: &Scope) -> SitePicker {
        let selected = scopes.iter().position(|s| s == current).unwrap_or(0);
        SitePicker { scopes, selected }
    }

    /// The scopes.
    pub fn sites(&self) -> &[Scope] {
        &self.scopes
    }

    /// The selected entry.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected scope.
    pub fn site(&self) -> Option<&Scope> {
        self.scopes.get(self.selected)
    }

    /// True when there is a choice to make (the picker is shown).
    pub fn shown(&self) -> bool {
        self.scopes.len() > 1
    }

    /// Moves the selection by `delta`, within the list.
    pub fn move_by(&mut self, delta: isize) {
        self.selected = super::layout::step(self.selected, delta, self.scopes.len());
    }

    /// Selects entry `i`; false when there is none.
    pub fn select(&mut self, i: usize) -> bool {
        let ok = i < self.scopes.len();
        if ok {
            self.selected = i;
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::policy::Policy;

    fn scopes(sites: &[&str]) -> Vec<Scope> {
        let policy = Policy::from_json(
            include_str!("../../tests/data/policies/portal.json"),
            "portal.json",
        )
        .expect("policy");
        let policy = Arc::new(policy);
        sites
            .iter()
            .map(|s| Scope::of_site(s, policy.clone()))
            .collect()
    }

    fn label(p: &SitePicker) -> Option<&str> {
        p.site().map(Scope::label)
    }

    #[test]
    fn starts_on_the_managed_scope() {
        let all = scopes(&["a.test", "b.test", "c.test"]);
        let p = SitePicker::new(all.clone(), &all[1]);
        assert_eq!((p.selected(), label(&p)), (1, Some("b.test")));
        assert!(p.shown());
        let elsewhere = scopes(&["elsewhere.test"]);
        let lone = SitePicker::new(scopes(&["a.test"]), &elsewhere[0]);
        assert_eq!(lone.selected(), 0);
        assert!(!lone.shown());
    }

    #[test]
    fn moves_and_selects_within_the_list() {
        let all = scopes(&["a.test", "b.test", "c.test"]);
        let mut p = SitePicker::new(all.clone(), &all[1]);
        p.move_by(isize::MAX);
        assert_eq!(label(&p), Some("c.test"));
        p.move_by(-1);
        assert_eq!(p.selected(), 1);
        assert!(!p.select(3));
        assert_eq!(p.selected(), 1);
        assert!(p.select(0));
        assert_eq!(label(&p), Some("a.test"));
        assert_eq!(SitePicker::default().site(), None);
    }
}
