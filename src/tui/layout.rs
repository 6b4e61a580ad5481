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
    /// The width the categories pane's content wants (its longest label,
    /// with the checkbox and count columns and the border).
    pub categories_wanted: u16,
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
    use Constraint::{Fill, Length};
    let details_h = if area.height >= 24 { 7 } else { 0 };
    let [header, body, details, status] = area.layout(&Layout::vertical([
        Length(3),
        Fill(1),
        Length(details_h),
        Length(1),
    ]));
    // The categories pane takes what its content wants, within a share of
    // the terminal that leaves the cookies room.
    let share = if area.width >= 80 { 42 } else { 50 };
    let left_w = Length(
        shape
            .categories_wanted
            .min(u16::try_from((u32::from(area.width) * share + 50) / 100).unwrap_or(u16::MAX)),
    );
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

/// Column widths of the categories pane for an inner width and the widest
/// keep and remove counts in it (`19.9k` is 5): checkbox, label, keep,
/// remove. The counts take what they hold (at least their title) and a
/// space; the label the rest.
pub fn category_widths(width: u16, counts: [u16; 2]) -> [u16; 4] {
    let [keep, remove] = category_count_widths(width, counts);
    // On a pane too narrow for all, the columns on the left come first.
    let mut room = width;
    let mut take = |want: u16| {
        let got = want.min(room);
        room -= got;
        got
    };
    let checkbox = take(CHECKBOX_WIDTH);
    let keep = take(keep);
    let remove = take(remove);
    [checkbox, room, keep, remove]
}

/// Widths of the keep and remove columns: the longer of title and count,
/// and a space.
fn category_count_widths(width: u16, [keep, remove]: [u16; 2]) -> [u16; 2] {
    let remove_title = if wide_categories(width) { 6 } else { 2 };
    [keep.max(4) + 1, remove.max(remove_title) + 1]
}

/// The outer width the categories pane wants: its border, the checkbox,
/// the longest label (`label`, in columns) and the counts.
pub fn categories_wanted(label: u16, counts: [u16; 2]) -> u16 {
    // The wide titles: the pane is wide when its content is.
    let [keep, remove] = category_count_widths(u16::MAX, counts);
    (label + 1)
        .saturating_add(CHECKBOX_WIDTH + keep + remove)
        .saturating_add(2)
}

/// The inner width from which the cookies pane's action column says
/// `✗ remove` / `keep` in words.
const ACTION_WORDS: u16 = 9;

/// What the cookies in view want of the cookies pane's columns, in
/// columns: their longest name, domain, path and flags, and whether one
/// has a note (undeclared, the consent cookie).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Longest name.
    pub name: u16,
    /// Longest domain.
    pub domain: u16,
    /// Longest path.
    pub path: u16,
    /// Longest flags (`secure httponly lax`).
    pub flags: u16,
    /// A cookie in view has a note.
    pub note: bool,
}

/// Width of the note column in words (`undeclared ` and `preferences `).
pub const NOTE_WORDS: u16 = 12;

/// Width of the note column as a mark (`? `), which the help explains.
pub const NOTE_MARK: u16 = 2;

/// Width of the expiry column (`2030-03-17 `).
const EXPIRES: u16 = 11;

/// Column widths of the cookies pane for an inner width and the content in
/// view: marker, action, name, domain, note, expiry, path, flags (0 = not
/// shown). Columns get room by importance: the note as a mark, then name
/// and domain (up to [`NAME_FLOOR`] each, shared when even that does not
/// fit), then the expiry, the path and the flags when they fit whole; then
/// name and domain grow to what they hold, then the path, then the note
/// says its word. What is left pads the last column, so no column is cut
/// while blank space is left.
pub fn cookie_widths(width: u16, wanted: Wanted) -> [u16; 8] {
    let action = if width < NARROW_COOKIES {
        2
    } else {
        ACTION_WORDS
    };
    let mut w = [0u16; 8];
    w[0] = 2.min(width);
    w[1] = action.min(width - w[0]);
    let mut room = width - w[0] - w[1];
    let want = |n: u16| n.saturating_add(1);
    // A column is never narrower than its title (`name`, `domain`, …).
    let (name, domain) = (want(wanted.name.max(4)), want(wanted.domain.max(6)));
    if wanted.note && room >= NOTE_MARK + 16 {
        w[4] = NOTE_MARK;
        room -= NOTE_MARK;
    }
    // Name and domain: their floor, shared when even that does not fit.
    let floor = [name.min(NAME_FLOOR), domain.min(NAME_FLOOR)];
    if floor[0] + floor[1] >= room {
        [w[2], w[3]] = share(room, floor);
        return w;
    }
    [w[2], w[3]] = floor;
    room -= floor[0] + floor[1];
    // Then each optional column, whole or not at all, by importance.
    let path = want(wanted.path.max(4));
    let path_floor = path.min(8);
    let flags = if wanted.flags > 0 {
        want(wanted.flags.max(5))
    } else {
        0
    };
    for (i, need) in [(5, EXPIRES), (6, path_floor), (7, flags)] {
        if need > 0 && need <= room {
            w[i] = need;
            room -= need;
        }
    }
    // Name and domain grow to what they hold.
    let short = [name - w[2], domain - w[3]];
    let grow = if short[0] + short[1] <= room {
        short
    } else {
        share(room, short)
    };
    w[2] += grow[0];
    w[3] += grow[1];
    room -= grow[0] + grow[1];
    // The path, then the note in words.
    if w[6] > 0 {
        let more = path.saturating_sub(w[6]).min(room);
        w[6] += more;
        room -= more;
    }
    if w[4] > 0 && NOTE_WORDS - w[4] <= room {
        room -= NOTE_WORDS - w[4];
        w[4] = NOTE_WORDS;
    }
    // What is left pads the last column shown.
    if let Some(last) = w.iter().rposition(|&x| x > 0) {
        w[last] += room;
    }
    w
}

/// What a name and a domain get before the optional columns (`expires`,
/// `path`, `flags`) come in: most names whole, the rest grows later.
pub const NAME_FLOOR: u16 = 16;

/// `total` columns for two columns that want `wants`: each its want when both
/// fit, else in proportion, neither below a third of `total` unless it
/// wants less.
fn share(total: u16, wants: [u16; 2]) -> [u16; 2] {
    let [a, b] = wants;
    if a + b <= total {
        return [total - b, b];
    }
    if a + b == 0 {
        return [total, 0];
    }
    let third = total / 3;
    let prop = u16::try_from(u32::from(total) * u32::from(b) / (u32::from(a) + u32::from(b)))
        .unwrap_or(total);
    let b = prop
        .max(third.min(b))
        .min(total.saturating_sub(third.min(a)));
    [total - b, b]
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
                categories_wanted: 47,
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
                categories_wanted: 47,
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
                categories_wanted: 47,
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

    /// The demo's cookies: names up to 11, domains up to 18, paths `/`.
    const DEMO: Wanted = Wanted {
        name: 11,
        domain: 18,
        path: 5,
        flags: 15,
        note: true,
    };

    #[test]
    fn columns_fill_the_width() {
        for w in [0, 1, 5, 10, 30, 39, 40, 44, 56, 60, 100, 200, 400] {
            assert_eq!(cookie_widths(w, DEMO).iter().sum::<u16>(), w, "{w}");
            assert_eq!(category_widths(w, [2, 1]).iter().sum::<u16>(), w, "{w}");
        }
        assert_eq!(category_widths(40, [2, 1])[0], CHECKBOX_WIDTH);
    }

    #[test]
    fn columns_follow_the_content() {
        // 80×24: name and domain whole, undeclared as a mark.
        let w = cookie_widths(44, DEMO);
        assert_eq!(&w[..5], &[2, 9, 12, 19, 2], "{w:?}");
        // 100×30: the expiry comes in, the path waits for room.
        let w = cookie_widths(56, DEMO);
        assert_eq!(&w[2..7], &[12, 19, 2, 12, 0], "{w:?}");
        // 200 columns: everything whole, the note in words, no cut path.
        let long_path = Wanted { path: 30, ..DEMO };
        let w = cookie_widths(150, long_path);
        assert_eq!(&w[2..7], &[12, 19, NOTE_WORDS, 11, 31], "{w:?}");
        assert!(w[7] >= 16, "flags whole: {w:?}");
        // No notes in view: no note column.
        let w = cookie_widths(
            44,
            Wanted {
                note: false,
                ..DEMO
            },
        );
        assert_eq!(w[4], 0, "{w:?}");
        // Long names and domains share what there is, neither squeezed out.
        let long = Wanted {
            name: 60,
            domain: 40,
            ..DEMO
        };
        let w = cookie_widths(44, long);
        assert!(w[2] >= 11 && w[3] >= 11, "{w:?}");
        let w = cookie_widths(100, long);
        assert_eq!(w[5], 11, "the expiry before a longer name: {w:?}");
        assert!(w[2] > w[3], "the longer name takes more: {w:?}");
    }

    #[test]
    fn category_counts_take_what_they_hold() {
        // Two-digit counts: `keep ` and `rm `, the label the rest.
        assert_eq!(category_widths(32, [2, 1]), [5, 19, 5, 3]);
        // `19.9k` to remove, `980k` kept.
        assert_eq!(category_widths(32, [4, 5]), [5, 16, 5, 6]);
        assert_eq!(
            category_widths(40, [2, 2]),
            [5, 23, 5, 7],
            "remove in words"
        );
    }

    #[test]
    fn the_categories_pane_follows_its_labels() {
        let shape = |wanted| Shape {
            sites: 1,
            items: 6,
            categories_wanted: wanted,
            ..Shape::default()
        };
        let at = |w, wanted| {
            areas(Rect::new(0, 0, w, 40), shape(wanted))
                .categories
                .width
        };
        assert_eq!(at(200, 56), 56, "its content, at 200 columns");
        assert_eq!(at(200, 100), 84, "at most 42%");
        assert_eq!(at(100, 47), 42);
        assert_eq!(at(80, 47), 34, "42% at 80 columns");
        assert_eq!(at(60, 47), 30, "half below 80");
        assert_eq!(
            categories_wanted(27, [2, 1]),
            2 + 5 + 28 + 5 + 7,
            "border, checkbox, label and a space, keep, remove"
        );
    }
}
