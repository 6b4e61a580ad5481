//! Where everything goes on the screen, for a terminal of a given size: the
//! view draws into these areas, and the app hit-tests clicks and sizes pages
//! against the same ones. A leaf: it knows the shape of the state (counts and
//! selections), not the state.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::Block;

/// Width of the `>[x] ` column of the categories pane (a click in it toggles).
pub const CHECKBOX_WIDTH: u16 = 5;

/// Below this inner width the cookies pane's action column shrinks to the
/// `✗` marker alone.
pub const NARROW_COOKIES: u16 = 40;

/// What the layout depends on in the state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Sites in the site picker (shown when more than one).
    pub sites: usize,
    /// The selected site.
    pub site_selected: usize,
    /// Entries of the categories pane.
    pub items: usize,
    /// The selected entry.
    pub item_selected: usize,
}

/// Where everything goes, for a terminal of a given size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// The three header lines.
    pub header: Rect,
    /// Everything between the header and the details pane.
    pub body: Rect,
    /// The site picker (empty unless the jar holds several sites).
    pub sites: Rect,
    /// The picker's rows.
    pub site_rows: Rect,
    /// First site in view.
    pub site_offset: usize,
    /// The categories pane.
    pub categories: Rect,
    /// Its column titles.
    pub category_head: Rect,
    /// Its rows.
    pub category_rows: Rect,
    /// First entry in view.
    pub category_offset: usize,
    /// The selected category's description.
    pub description: Rect,
    /// The cookies pane.
    pub cookies: Rect,
    /// Its column titles.
    pub cookie_head: Rect,
    /// Its rows.
    pub cookie_rows: Rect,
    /// The details pane (empty on short terminals; Enter shows details then).
    pub details: Rect,
    /// The status line.
    pub status: Rect,
}

/// What a mouse position is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// Entry `i` of the site picker.
    Site(usize),
    /// An entry of the categories pane; `checkbox`: on its `[x]`.
    Category {
        /// The entry.
        item: usize,
        /// On the checkbox column.
        checkbox: bool,
    },
    /// The cookies pane's row `i` from the top of the view.
    Cookie(usize),
    /// Anything else.
    Elsewhere,
}

impl Areas {
    /// What the cell at `column`, `row` is over.
    pub fn hit(&self, column: u16, row: u16) -> Hit {
        let at = Position::new(column, row);
        if self.site_rows.contains(at) {
            Hit::Site(self.site_offset + usize::from(row - self.site_rows.y))
        } else if self.category_rows.contains(at) {
            Hit::Category {
                item: self.category_offset + usize::from(row - self.category_rows.y),
                checkbox: column < self.category_rows.x + CHECKBOX_WIDTH,
            }
        } else if self.cookie_rows.contains(at) {
            Hit::Cookie(usize::from(row - self.cookie_rows.y))
        } else {
            Hit::Elsewhere
        }
    }
}

/// Lays out a terminal of size `area` for a state of shape `shape`.
pub fn areas(area: Rect, shape: Shape) -> Areas {
    use Constraint::{Fill, Length, Percentage};
    let details_h = if area.height >= 24 { 7 } else { 0 };
    let [header, body, details, status] = area.layout(&Layout::vertical([
        Length(3),
        Fill(1),
        Length(details_h),
        Length(1),
    ]));
    let left_w = match area.width {
        100.. => Length(40),
        80..100 => Percentage(42),
        _ => Percentage(50),
    };
    let [left, cookies] = body.layout(&Layout::horizontal([left_w, Fill(1)]));
    let sites_h = if shape.sites > 1 {
        shape.sites.min(3) as u16 + 2
    } else {
        0
    };
    let [sites, categories] = left.layout(&Layout::vertical([Length(sites_h), Fill(1)]));
    let site_rows = if sites_h > 0 {
        Block::bordered().inner(sites)
    } else {
        Rect::default()
    };
    let [category_head, category_rows, description] =
        Block::bordered()
            .inner(categories)
            .layout(&Layout::vertical([
                Length(1),
                Length(u16::try_from(shape.items).unwrap_or(u16::MAX)),
                Fill(1),
            ]));
    let [cookie_head, cookie_rows] = Block::bordered()
        .inner(cookies)
        .layout(&Layout::vertical([Length(1), Fill(1)]));
    Areas {
        header,
        body,
        sites,
        site_rows,
        site_offset: window(
            0,
            shape.site_selected,
            shape.sites,
            usize::from(site_rows.height),
        ),
        categories,
        category_head,
        category_rows,
        category_offset: window(
            0,
            shape.item_selected,
            shape.items,
            usize::from(category_rows.height),
        ),
        description,
        cookies,
        cookie_head,
        cookie_rows,
        details,
        status,
    }
}

/// Width of the help and details popups, in percent of the terminal's.
pub const POPUP_PCT: u16 = 90;

/// A centred box of `pct`% of `area`'s width and `height` rows, both capped
/// to `area`: where a popup goes.
pub fn popup(area: Rect, pct: u16, height: usize) -> Rect {
    let height = u16::try_from(height).unwrap_or(u16::MAX).min(area.height);
    area.centered(Constraint::Percentage(pct), Constraint::Length(height))
}

/// The width inside the border of a popup of `pct`% of `area`'s width.
pub fn popup_inner_width(area: Rect, pct: u16) -> u16 {
    Block::bordered().inner(popup(area, pct, 3)).width
}

/// The first row to show so that `sel` is in a view of `height` rows out of
/// `len`, moving `offset` as little as possible.
pub fn window(offset: usize, sel: usize, len: usize, height: usize) -> usize {
    if height == 0 || len == 0 {
        return 0;
    }
    let mut off = offset;
    if sel < off {
        off = sel;
    } else if sel >= off + height {
        off = sel + 1 - height;
    }
    off.min(len.saturating_sub(height))
}

/// Moves a selection `at` by `delta` within `0..len`, saturating.
pub fn step(at: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let to = if delta < 0 {
        at.saturating_sub(delta.unsigned_abs())
    } else {
        at.saturating_add(delta.unsigned_abs())
    };
    to.min(len - 1)
}

/// True when the categories pane is wide enough for the long column titles.
pub fn wide_categories(width: u16) -> bool {
    width >= 34
}

/// Column widths of the categories pane for an inner width: checkbox, label,
/// keep, remove.
pub fn category_widths(width: u16) -> [u16; 4] {
    use Constraint::{Fill, Length};
    let remove = if wide_categories(width) { 7 } else { 4 };
    widths(
        width,
        [Length(CHECKBOX_WIDTH), Fill(1), Length(5), Length(remove)],
    )
}

/// Column widths of the cookies pane for an inner width: marker, action, name,
/// domain, note, expiry, path, flags (0 = not shown).
pub fn cookie_widths(width: u16) -> [u16; 8] {
    use Constraint::{Fill, Length};
    let show = |min: u16, w: u16| if width >= min { w } else { 0 };
    widths(
        width,
        [
            Length(2),
            Length(if width < NARROW_COOKIES { 2 } else { 9 }),
            Fill(3),
            Fill(3),
            Length(show(48, 12)),
            Length(show(60, 11)),
            Length(show(70, 9)),
            Length(show(92, 20)),
        ],
    )
}

fn widths<const N: usize>(width: u16, columns: [Constraint; N]) -> [u16; N] {
    let parts: [Rect; N] = Rect::new(0, 0, width, 1).layout(&Layout::horizontal(columns));
    parts.map(|r| r.width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_selection_in_view() {
        assert_eq!(window(0, 0, 10, 3), 0);
        assert_eq!(window(0, 5, 10, 3), 3);
        assert_eq!(window(5, 2, 10, 3), 2);
        assert_eq!(window(9, 9, 10, 3), 7);
        assert_eq!(window(0, 0, 0, 3), 0);
        assert_eq!(window(4, 4, 10, 0), 0);
    }

    #[test]
    fn steps_saturate() {
        assert_eq!(step(0, -1, 5), 0);
        assert_eq!(step(3, 1, 5), 4);
        assert_eq!(step(4, isize::MAX, 5), 4);
        assert_eq!(step(2, isize::MIN, 5), 0);
        assert_eq!(step(7, 1, 0), 0);
    }

    #[test]
    fn the_site_picker_takes_room_only_for_several_sites() {
        let area = Rect::new(0, 0, 100, 30);
        let one = areas(
            area,
            Shape {
                sites: 1,
                items: 6,
                ..Shape::default()
            },
        );
        assert_eq!(one.sites.height, 0);
        assert_eq!(one.category_rows.height, 6);
        let many = areas(
            area,
            Shape {
                sites: 5,
                site_selected: 4,
                items: 6,
                item_selected: 0,
            },
        );
        assert_eq!(many.site_rows.height, 3);
        assert_eq!(many.site_offset, 2, "the selected site is in view");
        assert_eq!(many.categories.y, many.sites.y + many.sites.height);
    }

    #[test]
    fn hits_name_the_pane_and_row() {
        let a = areas(
            Rect::new(0, 0, 100, 30),
            Shape {
                sites: 1,
                items: 6,
                ..Shape::default()
            },
        );
        let r = a.category_rows;
        assert_eq!(
            a.hit(r.x, r.y + 2),
            Hit::Category {
                item: 2,
                checkbox: true
            }
        );
        assert_eq!(
            a.hit(r.x + CHECKBOX_WIDTH, r.y),
            Hit::Category {
                item: 0,
                checkbox: false
            }
        );
        assert_eq!(a.hit(a.cookie_rows.x, a.cookie_rows.y + 3), Hit::Cookie(3));
        assert_eq!(a.hit(0, 0), Hit::Elsewhere);
        assert_eq!(a.hit(999, 999), Hit::Elsewhere);
    }

    #[test]
    fn columns_fill_the_width() {
        for w in [10, 39, 40, 60, 100] {
            assert_eq!(cookie_widths(w).iter().sum::<u16>(), w);
            assert_eq!(category_widths(w).iter().sum::<u16>(), w);
        }
        assert_eq!(cookie_widths(47)[4], 0, "no note column under 48");
        assert_eq!(category_widths(40)[0], CHECKBOX_WIDTH);
    }
}
