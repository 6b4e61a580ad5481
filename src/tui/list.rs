//! The cookie list part of the app: the jar's cookies grouped, the rows the
//! cookies pane shows (built a slice at a time under a filter), the selected
//! row and the first row in view, and the filter being typed or kept.

use super::layout::{step, window};
use super::rows::{self, Group, Groups, Row, Selection};
use crate::model::Cookies;

/// Cookies a filter looks at per key press or tick: about 1.5 ms on a
/// million-cookie jar, so input never waits more than a frame.
pub const FILTER_STEP: usize = 16_384;

/// Rows being built a slice at a time (see [`rows::Builder`]).
#[derive(Debug, Clone)]
struct Filtering {
    builder: rows::Builder,
    /// The row to select again when done (None: the first).
    keep: Option<Row>,
    /// Scroll back to the top when done.
    top: bool,
    /// Say how many cookies the filter shows when done, and select the
    /// first match (Enter was pressed).
    announce: bool,
}

/// The cookies pane's content and position.
#[derive(Debug, Clone, Default)]
pub struct CookieList {
    groups: Groups,
    rows: Vec<Row>,
    shown: usize,
    selected: usize,
    offset: usize,
    filter: String,
    /// The filter before typing began, while typing (Esc restores it).
    before: Option<String>,
    filtering: Option<Filtering>,
    other_expanded: bool,
}

impl CookieList {
    /// A list over `groups`, with no rows until [`CookieList::rebuild`].
    pub fn new(groups: Groups) -> CookieList {
        CookieList {
            groups,
            ..CookieList::default()
        }
    }

    /// The jar's cookies by group.
    pub fn groups(&self) -> &Groups {
        &self.groups
    }

    /// Replaces the groups (a new session), keeping the filter.
    pub fn set_groups(&mut self, groups: Groups) {
        self.groups = groups;
        self.filtering = None;
    }

    /// The rows of the cookies pane.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Cookie rows among them.
    pub fn shown(&self) -> usize {
        self.shown
    }

    /// The selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected row's content.
    pub fn selected_row(&self) -> Option<Row> {
        self.rows.get(self.selected).copied()
    }

    /// The selected cookie's index, if a cookie row is selected.
    pub fn selected_cookie(&self) -> Option<usize> {
        match self.selected_row() {
            Some(Row::Cookie(i)) => Some(i),
            _ => None,
        }
    }

    /// The first row in view.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The filter (lower case).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// True while a filter is being typed.
    pub fn typing(&self) -> bool {
        self.before.is_some()
    }

    /// True when the other-sites group is expanded in the "all" view.
    pub fn other_expanded(&self) -> bool {
        self.other_expanded
    }

    /// True while rows are being built: the loop then sends ticks.
    pub fn busy(&self) -> bool {
        self.filtering.is_some()
    }

    /// The filtering in progress: its filter and how far it got (percent).
    pub fn filtering(&self) -> Option<(&str, usize)> {
        self.filtering
            .as_ref()
            .map(|f| (f.builder.filter(), f.builder.percent()))
    }

    /// The rows' selection: every group (None) or one.
    fn selection(&self, only: Option<Group>) -> Selection {
        match only {
            None => Selection::All {
                other_expanded: self.other_expanded,
            },
            Some(g) => Selection::Only(g),
        }
    }

    /// Starts building the rows of `only` (None: every group) again; the
    /// current rows stay until the new ones are complete. `top`: then select
    /// the first row. True when a kept filter's count is to be announced.
    pub fn rebuild(
        &mut self,
        only: Option<Group>,
        cookies: &dyn Cookies,
        top: bool,
        height: usize,
    ) -> bool {
        let keep = match self.filtering.take() {
            Some(f) => f.keep,
            None => self.selected_row(),
        };
        if top {
            self.selected = 0;
            self.offset = 0;
        }
        let builder = rows::Builder::new(&self.groups, self.selection(only), &self.filter);
        self.filtering = Some(Filtering {
            builder,
            keep: if top { None } else { keep },
            top,
            announce: false,
        });
        self.work(cookies, height)
    }

    /// One slice of the rows being built; installs them when complete. True
    /// when a kept filter's count is to be announced now.
    pub fn work(&mut self, cookies: &dyn Cookies, height: usize) -> bool {
        let Some(mut f) = self.filtering.take() else {
            return false;
        };
        // Without a filter no cookie is looked at, only rows are listed: a
        // bigger slice costs the same time.
        let budget = if self.filter.is_empty() {
            16 * FILTER_STEP
        } else {
            FILTER_STEP
        };
        if !f.builder.step(&self.groups, cookies, budget) {
            self.filtering = Some(f);
            return false;
        }
        (self.rows, self.shown) = f.builder.into_rows();
        self.selected = f
            .keep
            .and_then(|k| self.rows.iter().position(|r| *r == k))
            .unwrap_or(0);
        if f.announce {
            self.select_first_match();
        }
        if f.top {
            self.offset = 0;
        }
        self.scroll_into_view(height);
        f.announce
    }

    /// Moves the selection by `delta` rows.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        self.selected = step(self.selected, delta, self.rows.len());
        self.scroll_into_view(height);
    }

    /// Selects row `i`; false when there is none.
    pub fn select(&mut self, i: usize, height: usize) -> bool {
        let ok = i < self.rows.len();
        if ok {
            self.selected = i;
            self.scroll_into_view(height);
        }
        ok
    }

    /// Scrolls as little as needed for the selection to be in view.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.offset = window(self.offset, self.selected, self.rows.len(), height);
    }

    /// Expands or collapses the other sites' group.
    pub fn flip_other(&mut self) {
        self.other_expanded = !self.other_expanded;
    }

    /// Starts typing a filter.
    pub fn begin_typing(&mut self) {
        self.before = Some(self.filter.clone());
    }

    /// Adds a typed character (lower case) to the filter.
    pub fn push(&mut self, c: char) {
        self.filter.extend(c.to_lowercase());
    }

    /// Deletes the filter's last character.
    pub fn pop(&mut self) {
        self.filter.pop();
    }

    /// Keeps the typed filter, the selection on its first match (so Enter
    /// again opens its details); true when its count can be announced now
    /// (otherwise it is when the rows are done).
    pub fn keep_typed(&mut self, height: usize) -> bool {
        self.before = None;
        match self.filtering.as_mut() {
            Some(f) => {
                f.announce = true;
                false
            }
            None => {
                self.select_first_match();
                self.scroll_into_view(height);
                true
            }
        }
    }

    /// Selects the first cookie row, when a filter is kept.
    fn select_first_match(&mut self) {
        if self.filter.is_empty() {
            return;
        }
        if let Some(i) = self.rows.iter().position(|r| matches!(r, Row::Cookie(_))) {
            self.selected = i;
        }
    }

    /// Puts back the filter from before typing.
    pub fn cancel_typed(&mut self) {
        if let Some(before) = self.before.take() {
            self.filter = before;
        }
    }

    /// Clears a kept filter; false when there was none.
    pub fn clear_filter(&mut self) -> bool {
        let had = !self.filter.is_empty();
        self.filter.clear();
        had
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Classified, Relation};
    use crate::model::{Cookie, CookieKey, OwnedCookie};

    /// `n` cookies `c0…`: even ones in category 0, odd ones of other sites.
    fn list(n: usize) -> (Vec<OwnedCookie>, CookieList) {
        let cookies: Vec<OwnedCookie> = (0..n)
            .map(|i| Cookie::basic(&format!("c{i}"), "a.test", CookieKey::Line(0)))
            .collect();
        let classified: Vec<Classified> = (0..n)
            .map(|index| Classified {
                index,
                relation: if index % 2 == 0 {
                    Relation::Site
                } else {
                    Relation::OtherSite
                },
                category: (index % 2 == 0).then_some(0),
                declaration: None,
                preferences: false,
                secure: false,
            })
            .collect();
        (cookies, CookieList::new(Groups::new(&classified, 1)))
    }

    #[test]
    fn rows_keep_the_selected_row_and_scroll_it_into_view() {
        let (cookies, mut l) = list(20);
        assert!(!l.rebuild(None, &cookies, false, 5));
        assert_eq!(
            l.rows().len(),
            12,
            "a header, ten cookies, other sites' header"
        );
        l.move_by(isize::MAX, 5);
        assert_eq!((l.selected(), l.offset()), (11, 7));
        l.move_by(-3, 5);
        assert_eq!(l.selected_row(), Some(Row::Cookie(14)));
        // Expanding the other sites keeps the selected cookie selected.
        l.flip_other();
        l.rebuild(None, &cookies, false, 5);
        assert_eq!(l.selected_cookie(), Some(14));
        assert_eq!(l.rows().len(), 22);
        // A new group starts at the top.
        l.rebuild(Some(Group::OtherSites), &cookies, true, 5);
        assert_eq!((l.selected(), l.offset()), (0, 0));
        assert!(l.select(3, 5));
        assert!(!l.select(99, 5));
        assert_eq!(l.selected_cookie(), Some(5));
    }

    #[test]
    fn typing_keeping_and_cancelling_a_filter() {
        let (cookies, mut l) = list(30);
        l.rebuild(None, &cookies, false, 5);
        l.begin_typing();
        assert!(l.typing());
        l.push('C');
        l.push('1');
        assert!(!l.rebuild(None, &cookies, false, 5));
        assert_eq!(l.filter(), "c1");
        assert_eq!(
            l.shown(),
            11,
            "c10 c12 … c18, and the collapsed c1 c11 … c19"
        );
        assert!(l.keep_typed(5), "done already: announce now");
        assert_eq!(l.selected_cookie(), Some(10), "on the first match");
        assert!(!l.typing());
        l.begin_typing();
        l.push('x');
        l.cancel_typed();
        assert_eq!(l.filter(), "c1");
        l.pop();
        assert_eq!(l.filter(), "c");
        assert!(l.clear_filter());
        assert!(!l.clear_filter());
    }

    #[test]
    fn a_big_filter_goes_a_slice_at_a_time_and_announces_when_done() {
        let (cookies, mut l) = list(4 * FILTER_STEP);
        l.rebuild(None, &cookies, false, 5);
        let before = l.rows().to_vec();
        l.begin_typing();
        l.push('1');
        assert!(!l.rebuild(None, &cookies, false, 5));
        assert!(l.busy());
        assert_eq!(l.filtering().map(|(f, _)| f), Some("1"));
        assert_eq!(
            l.rows(),
            before,
            "the old rows stay until the new ones are whole"
        );
        assert!(!l.keep_typed(5), "announced once done");
        let mut announced = false;
        while l.busy() {
            announced = l.work(&cookies, 5);
        }
        assert!(announced);
        assert!(l.shown() > 0);
        assert!(l.selected_cookie().is_some(), "on the first match");
    }
}
