//! The cookie list: cookies grouped by category (other sites last), filtered,
//! flattened into the rows the cookies pane shows.

use crate::classify::{Classified, Scope};
use crate::model::{Cookie, Cookies};

/// A group of cookies in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The cookies of a policy category (index into the policy's categories).
    Category(usize),
    /// Cookies of other sites: shown apart, never touched.
    OtherSites,
}

/// One row of the cookies pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A group header.
    Header(Group),
    /// A cookie (index into the jar's cookies).
    Cookie(usize),
}

/// Which cookies the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Every group, under headers; other sites collapsed unless expanded.
    All {
        /// Show the other-site cookies under their header.
        other_expanded: bool,
    },
    /// One group only.
    Only(Group),
}

/// The jar's cookies split by group, computed once per session.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    /// Cookie indices per category, in jar order.
    pub categories: Vec<Vec<usize>>,
    /// Cookie indices of other sites, in jar order.
    pub other: Vec<usize>,
}

impl Groups {
    /// Groups the classified cookies; `n` is the number of policy categories.
    pub fn new(classified: &[Classified], n: usize) -> Groups {
        let mut g = Groups {
            categories: vec![Vec::new(); n],
            other: Vec::new(),
        };
        for c in classified {
            match (c.scope, c.category_idx()) {
                (Scope::OtherSite, _) | (_, None) => g.other.push(c.index),
                (_, Some(i)) => match g.categories.get_mut(i) {
                    Some(v) => v.push(c.index),
                    None => g.other.push(c.index),
                },
            }
        }
        g
    }

    /// The cookies of one group.
    pub fn of(&self, group: Group) -> &[usize] {
        match group {
            Group::Category(i) => self.categories.get(i).map_or(&[], Vec::as_slice),
            Group::OtherSites => &self.other,
        }
    }
}

/// True when the cookie's name or domain contains `filter` (ASCII case ignored).
/// `filter` must already be lower case.
pub fn matches(cookie: &Cookie, filter: &str) -> bool {
    filter.is_empty()
        || contains_lower(&cookie.name, filter)
        || contains_lower(&cookie.domain, filter)
}

fn contains_lower(hay: &str, needle_lower: &str) -> bool {
    if hay.len() < needle_lower.len() {
        return false;
    }
    if hay.bytes().all(|b| !b.is_ascii_uppercase()) {
        return hay.contains(needle_lower);
    }
    hay.to_ascii_lowercase().contains(needle_lower)
}

/// The rows to show for `selection` and `filter` (lower case). A group header
/// is shown when its group has a matching cookie, or when it is the only group.
pub fn build(
    groups: &Groups,
    cookies: &dyn Cookies,
    selection: Selection,
    filter: &str,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut push_group = |group: Group, expanded: bool, always: bool| {
        let header_at = rows.len();
        rows.push(Row::Header(group));
        let mut any = false;
        for &i in groups.of(group) {
            // Without a filter every cookie shows: no need to look at it.
            if filter.is_empty() || cookies.get(i).is_some_and(|c| matches(&c, filter)) {
                any = true;
                if !expanded {
                    break;
                }
                rows.push(Row::Cookie(i));
            }
        }
        if !any && !always {
            rows.truncate(header_at);
        }
    };
    match selection {
        Selection::All { other_expanded } => {
            for i in 0..groups.categories.len() {
                push_group(Group::Category(i), true, false);
            }
            push_group(Group::OtherSites, other_expanded, false);
        }
        Selection::Only(group) => push_group(group, true, true),
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CookieKey;
    use crate::model::OwnedCookie;

    fn cookie(name: &str, domain: &str) -> OwnedCookie {
        Cookie::basic(name, domain, CookieKey::Line(0))
    }

    fn classified(index: usize, scope: Scope, category: Option<u16>) -> Classified {
        Classified {
            index,
            scope,
            category,
            declaration: None,
            preferences: false,
            secure: false,
        }
    }

    #[test]
    fn groups_filters_and_collapses() {
        let cookies = [
            cookie("a", "site.test"),
            cookie("B", "site.test"),
            cookie("c", "Other.test"),
        ];
        let cl = [
            classified(0, Scope::Site, Some(0)),
            classified(1, Scope::Site, Some(1)),
            classified(2, Scope::OtherSite, None),
        ];
        let g = Groups::new(&cl, 3);
        let all = build(
            &g,
            &cookies,
            Selection::All {
                other_expanded: false,
            },
            "",
        );
        assert_eq!(
            all,
            [
                Row::Header(Group::Category(0)),
                Row::Cookie(0),
                Row::Header(Group::Category(1)),
                Row::Cookie(1),
                Row::Header(Group::OtherSites),
            ]
        );
        let open = build(
            &g,
            &cookies,
            Selection::All {
                other_expanded: true,
            },
            "",
        );
        assert_eq!(open.last(), Some(&Row::Cookie(2)));
        let f = build(
            &g,
            &cookies,
            Selection::All {
                other_expanded: true,
            },
            "b",
        );
        assert_eq!(f, [Row::Header(Group::Category(1)), Row::Cookie(1)]);
        let f = build(
            &g,
            &cookies,
            Selection::All {
                other_expanded: true,
            },
            "other",
        );
        assert_eq!(f, [Row::Header(Group::OtherSites), Row::Cookie(2)]);
        let empty = build(&g, &cookies, Selection::Only(Group::Category(2)), "");
        assert_eq!(empty, [Row::Header(Group::Category(2))]);
    }
}
