//! The cookie list: cookies grouped by category (other sites last), filtered,
//! flattened into the rows the cookies pane shows.

use crate::classify::{Classified, Relation};
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
            match (c.relation, c.category_idx()) {
                (Relation::OtherSite, _) | (_, None) => g.other.push(c.index),
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
/// is shown when its group has a matching cookie, or when it is the only group;
/// under a filter every group with a match is open, collapsed ones too.
pub fn build(
    groups: &Groups,
    cookies: &dyn Cookies,
    selection: Selection,
    filter: &str,
) -> Vec<Row> {
    let mut b = Builder::new(groups, selection, filter);
    while !b.step(groups, cookies, usize::MAX) {}
    b.into_rows().0
}

/// [`build`] a slice at a time: each [`Builder::step`] looks at a bounded
/// number of cookies, so filtering a million cookies never holds up a key
/// press for longer than a frame.
#[derive(Debug, Clone)]
pub struct Builder {
    /// The groups to go through: (group, expanded, shown even when empty).
    plan: Vec<(Group, bool, bool)>,
    /// The filter (lower case).
    filter: String,
    /// The group being gone through, and the position in it.
    group: usize,
    pos: usize,
    /// Whether the current group's header is pushed, where, and whether a cookie matched.
    started: bool,
    header_at: usize,
    any: bool,
    /// The rows so far.
    rows: Vec<Row>,
    /// Cookies looked at so far, and in all.
    seen: usize,
    total: usize,
    /// Cookie rows so far.
    shown: usize,
}

impl Builder {
    /// A builder of the rows for `selection` and `filter` (lower case).
    pub fn new(groups: &Groups, selection: Selection, filter: &str) -> Builder {
        // A filter searches every group: a collapsed one with a match opens.
        let searching = !filter.is_empty();
        let plan: Vec<(Group, bool, bool)> = match selection {
            Selection::All { other_expanded } => (0..groups.categories.len())
                .map(|i| (Group::Category(i), true, false))
                .chain([(Group::OtherSites, other_expanded || searching, false)])
                .collect(),
            Selection::Only(group) => vec![(group, true, true)],
        };
        let total = plan.iter().map(|&(g, _, _)| groups.of(g).len()).sum();
        Builder {
            plan,
            filter: filter.to_string(),
            group: 0,
            pos: 0,
            started: false,
            header_at: 0,
            any: false,
            rows: Vec::new(),
            seen: 0,
            total,
            shown: 0,
        }
    }

    /// Looks at up to `budget` more cookies; true when the rows are complete.
    pub fn step(&mut self, groups: &Groups, cookies: &dyn Cookies, budget: usize) -> bool {
        let mut left = budget;
        while let Some(&(group, expanded, always)) = self.plan.get(self.group) {
            let members = groups.of(group);
            if !self.started {
                self.started = true;
                self.header_at = self.rows.len();
                self.rows.push(Row::Header(group));
                self.any = false;
            }
            while self.pos < members.len() {
                if left == 0 {
                    return false;
                }
                left -= 1;
                let i = members[self.pos];
                self.pos += 1;
                self.seen += 1;
                // Without a filter every cookie shows: no need to look at it.
                let shown = self.filter.is_empty()
                    || cookies.get(i).is_some_and(|c| matches(&c, &self.filter));
                if shown {
                    self.any = true;
                    if !expanded {
                        self.seen += members.len() - self.pos;
                        self.pos = members.len();
                        break;
                    }
                    self.rows.push(Row::Cookie(i));
                    self.shown += 1;
                }
            }
            if !self.any && !always {
                self.rows.truncate(self.header_at);
            }
            self.group += 1;
            self.pos = 0;
            self.started = false;
        }
        true
    }

    /// The share of the cookies looked at, in percent.
    pub fn percent(&self) -> usize {
        (self.seen * 100).checked_div(self.total).unwrap_or(100)
    }

    /// The filter being applied.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The finished rows, and how many of them are cookies.
    pub fn into_rows(self) -> (Vec<Row>, usize) {
        (self.rows, self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_by_any_budget_builds_the_same_rows() {
        let cookies: Vec<OwnedCookie> = (0..40)
            .map(|i| {
                cookie(
                    &format!("c{i}"),
                    if i % 3 == 0 { "a.test" } else { "b.test" },
                )
            })
            .collect();
        let classified: Vec<Classified> = (0..40)
            .map(|i| match i % 4 {
                0 => classified(i, Relation::OtherSite, None),
                k => classified(i, Relation::Site, Some(k as u16 - 1)),
            })
            .collect();
        let groups = Groups::new(&classified, 4);
        let selections = [
            Selection::All {
                other_expanded: false,
            },
            Selection::All {
                other_expanded: true,
            },
            Selection::Only(Group::Category(3)),
            Selection::Only(Group::OtherSites),
        ];
        for selection in selections {
            for filter in ["", "c1", "a.t", "zz"] {
                let whole = build(&groups, &cookies, selection, filter);
                for budget in [1, 2, 3, 7, 100] {
                    let mut b = Builder::new(&groups, selection, filter);
                    let mut steps = 0;
                    while !b.step(&groups, &cookies, budget) {
                        steps += 1;
                        assert!(b.percent() < 100 || budget < 40, "{selection:?}");
                    }
                    assert_eq!(b.percent(), 100);
                    assert!(steps <= 40 / budget + 1);
                    let shown = whole.iter().filter(|r| matches!(r, Row::Cookie(_))).count();
                    assert_eq!(
                        b.into_rows(),
                        (whole.clone(), shown),
                        "{selection:?} {filter:?} by {budget}"
                    );
                }
            }
        }
    }
    use crate::model::CookieKey;
    use crate::model::OwnedCookie;

    fn cookie(name: &str, domain: &str) -> OwnedCookie {
        Cookie::basic(name, domain, CookieKey::Line(0))
    }

    fn classified(index: usize, relation: Relation, category: Option<u16>) -> Classified {
        Classified {
            index,
            relation,
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
            classified(0, Relation::Site, Some(0)),
            classified(1, Relation::Site, Some(1)),
            classified(2, Relation::OtherSite, None),
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
        for other_expanded in [true, false] {
            let f = build(&g, &cookies, Selection::All { other_expanded }, "other");
            assert_eq!(
                f,
                [Row::Header(Group::OtherSites), Row::Cookie(2)],
                "a filter opens a collapsed group with a match"
            );
        }
        let empty = build(&g, &cookies, Selection::Only(Group::Category(2)), "");
        assert_eq!(empty, [Row::Header(Group::Category(2))]);
    }
}
