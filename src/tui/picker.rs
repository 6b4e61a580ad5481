//! The site picker part of the app: the jar's sites the policy covers, and
//! the one selected. Where the sites come from is decided once, in
//! [`SitePicker::of`]; the rest is selection.

use crate::classify;
use crate::session::Session;

/// The sites of the jar and the selection among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitePicker {
    sites: Vec<String>,
    selected: usize,
}

impl SitePicker {
    /// The picker for `session`'s jar, on the site it manages.
    pub fn of(session: &Session) -> SitePicker {
        let sites = classify::sites_in_jar(session.jar.cookies(), &session.policy);
        SitePicker::new(sites, &session.site)
    }

    /// A picker over `sites`, on `current` (else the first).
    pub fn new(sites: Vec<String>, current: &str) -> SitePicker {
        let selected = sites.iter().position(|s| s == current).unwrap_or(0);
        SitePicker { sites, selected }
    }

    /// The sites.
    pub fn sites(&self) -> &[String] {
        &self.sites
    }

    /// The selected entry.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected site.
    pub fn site(&self) -> Option<&str> {
        self.sites.get(self.selected).map(String::as_str)
    }

    /// True when there is a choice to make (the picker is shown).
    pub fn shown(&self) -> bool {
        self.sites.len() > 1
    }

    /// Moves the selection by `delta`, within the list.
    pub fn move_by(&mut self, delta: isize) {
        self.selected = super::layout::step(self.selected, delta, self.sites.len());
    }

    /// Selects entry `i`; false when there is none.
    pub fn select(&mut self, i: usize) -> bool {
        let ok = i < self.sites.len();
        if ok {
            self.selected = i;
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker() -> SitePicker {
        SitePicker::new(
            vec!["a.test".into(), "b.test".into(), "c.test".into()],
            "b.test",
        )
    }

    #[test]
    fn starts_on_the_managed_site() {
        let p = picker();
        assert_eq!((p.selected(), p.site()), (1, Some("b.test")));
        assert!(p.shown());
        let lone = SitePicker::new(vec!["a.test".into()], "elsewhere.test");
        assert_eq!(lone.selected(), 0);
        assert!(!lone.shown());
    }

    #[test]
    fn moves_and_selects_within_the_list() {
        let mut p = picker();
        p.move_by(isize::MAX);
        assert_eq!(p.site(), Some("c.test"));
        p.move_by(-1);
        assert_eq!(p.selected(), 1);
        assert!(!p.select(3));
        assert_eq!(p.selected(), 1);
        assert!(p.select(0));
        assert_eq!(p.site(), Some("a.test"));
        assert_eq!(SitePicker::default().site(), None);
    }
}
