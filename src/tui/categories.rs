//! The categories pane part of the app: its entries ("all", each policy
//! category, other sites) and the one selected, which decides what the
//! cookies pane lists.

use unicode_width::UnicodeWidthStr;

use super::layout::{self, step};
use super::rows::Group;
use crate::human::compact;
use crate::plan::Counts;
use crate::policy::Category;

/// The other-sites entry's label.
pub const OTHER_SITES: &str = "Other sites (never touched)";

/// The same entry in the `*` scope: the cookies of the sites a declared
/// policy covers, each in its own scope (as wide as [`OTHER_SITES`]).
pub const DECLARED_SITES: &str = "Declared sites (own scopes)";

/// The other-sites entry's label for a scope of `kind`.
pub fn other_sites_label(kind: crate::scopes::ScopeKind) -> &'static str {
    match kind {
        crate::scopes::ScopeKind::Others => DECLARED_SITES,
        _ => OTHER_SITES,
    }
}

/// A category's label in the pane: `Necessary (required)`.
pub fn label(cat: &Category) -> String {
    if cat.required {
        format!("{} (required)", cat.label)
    } else {
        cat.label.clone()
    }
}

/// The widths (in columns) of the widest keep and remove counts the pane
/// shows, compact (`19.9k`): the totals of "all" and the other sites' count.
pub fn count_widths(counts: &[Counts], other: usize) -> [u16; 2] {
    let width = |n: usize| u16::try_from(compact(n).width()).unwrap_or(u16::MAX);
    let keep = counts.iter().map(|c| c.keep).sum::<usize>();
    let remove = counts.iter().map(|c| c.remove).sum::<usize>();
    [width(keep).max(width(other)), width(remove)]
}

/// The outer width the pane wants for `categories` and counts as wide as
/// `counts`: its border, the checkbox, the longest label and the counts.
pub fn wanted(categories: &[Category], counts: [u16; 2]) -> u16 {
    let longest = categories
        .iter()
        .map(|c| label(c).width())
        .chain([OTHER_SITES.width()])
        .max()
        .unwrap_or(0);
    layout::categories_wanted(u16::try_from(longest).unwrap_or(u16::MAX), counts)
}

/// An entry of the categories pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryItem {
    /// Every cookie, grouped.
    All,
    /// One policy category.
    Category(usize),
    /// Other sites' cookies.
    OtherSites,
}

/// The entries for a policy of `n` categories, and the selection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategoryPane {
    n: usize,
    selected: usize,
}

impl CategoryPane {
    /// The pane for a policy of `n` categories, on "all".
    pub fn new(n: usize) -> CategoryPane {
        CategoryPane { n, selected: 0 }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.n + 2
    }

    /// Never empty: "all" and "other sites" are always there.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The entry at `i`.
    pub fn item(&self, i: usize) -> CategoryItem {
        match i {
            0 => CategoryItem::All,
            i if i <= self.n => CategoryItem::Category(i - 1),
            _ => CategoryItem::OtherSites,
        }
    }

    /// The selected entry's position.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected entry.
    pub fn selected_item(&self) -> CategoryItem {
        self.item(self.selected)
    }

    /// The group the selection lists (None: every group).
    pub fn only(&self) -> Option<Group> {
        match self.selected_item() {
            CategoryItem::All => None,
            CategoryItem::Category(i) => Some(Group::Category(i)),
            CategoryItem::OtherSites => Some(Group::OtherSites),
        }
    }

    /// Selects entry `i` (kept within the list); true when the selection changed.
    pub fn select(&mut self, i: usize) -> bool {
        let before = self.selected;
        self.selected = i.min(self.len() - 1);
        before != self.selected
    }

    /// Moves the selection by `delta`; true when it changed.
    pub fn move_by(&mut self, delta: isize) -> bool {
        self.select(step(self.selected, delta, self.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_then_each_category_then_other_sites() {
        let mut p = CategoryPane::new(2);
        assert_eq!(p.len(), 4);
        assert_eq!((p.selected_item(), p.only()), (CategoryItem::All, None));
        assert!(p.move_by(2));
        assert_eq!(p.selected_item(), CategoryItem::Category(1));
        assert_eq!(p.only(), Some(Group::Category(1)));
        assert!(p.move_by(isize::MAX));
        assert_eq!(p.only(), Some(Group::OtherSites));
        assert!(!p.move_by(1), "already last");
        assert!(!p.select(99), "kept within the list");
        assert!(p.select(0));
    }
}
