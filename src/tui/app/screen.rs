//! The app on the screen: what the layout depends on, the areas and pages it
//! gives, and the mouse (a click or the wheel lands in one of those areas).

use super::{App, Pane};
use crate::tui::event::Effect;
use crate::tui::layout::{self, Areas, Hit, Shape};
use crate::tui::mode::Overlay;

impl App {
    /// What the layout depends on.
    pub fn shape(&self) -> Shape {
        Shape {
            sites: self.picker.sites().len(),
            site_selected: self.picker.selected(),
            items: self.categories.len(),
            item_selected: self.categories.selected(),
            categories_wanted: self.left_wanted(),
        }
    }

    /// The width the left column wants: the categories pane's, or the site
    /// picker's when a site's name is longer (`> (•) ` and the border).
    fn left_wanted(&self) -> u16 {
        let categories = crate::tui::categories::wanted(
            &self.session.policy().doc.categories,
            self.count_widths(),
        );
        let sites = self
            .picker
            .sites()
            .iter()
            .map(|s| unicode_width::UnicodeWidthStr::width(s.label()) + 6 + 2)
            .max()
            .unwrap_or(0);
        categories.max(u16::try_from(sites).unwrap_or(u16::MAX))
    }

    /// The widths of the widest keep and remove counts of the categories pane.
    pub fn count_widths(&self) -> [u16; 2] {
        crate::tui::categories::count_widths(self.choices.counts(), self.list.groups().other.len())
    }

    pub(super) fn areas(&self) -> Areas {
        layout::areas(self.size, self.shape())
    }

    /// Rows of the cookies pane in view.
    pub(super) fn cookie_rows(&self) -> usize {
        usize::from(self.areas().cookie_rows.height)
    }

    pub(super) fn page(&self) -> usize {
        let a = self.areas();
        let h = match (self.overlays.get(), self.focus) {
            (Some(Overlay::Help), _) => a.body.height,
            (_, Pane::Cookies) => a.cookie_rows.height,
            (_, Pane::Categories) => a.category_rows.height,
            (_, Pane::Sites) => a.site_rows.height,
        };
        usize::from(h).saturating_sub(1).max(1)
    }

    pub(super) fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let a = self.areas();
        match a.hit(column, row) {
            Hit::Site(i) if self.picker.select(i) => self.focus = Pane::Sites,
            Hit::Category { item, checkbox } if item < self.categories.len() => {
                self.focus = Pane::Categories;
                if self.categories.select(item) {
                    self.rebuild_rows(true);
                }
                if checkbox {
                    return self.toggle();
                }
            }
            Hit::Cookie(i) => {
                let h = usize::from(a.cookie_rows.height);
                if self.list.select(self.list.offset() + i, h) {
                    self.focus = Pane::Cookies;
                }
            }
            _ => {}
        }
        vec![]
    }

    pub(super) fn wheel(&mut self, column: u16, row: u16, delta: isize) {
        match self.areas().hit(column, row) {
            Hit::Category { .. } => {
                self.focus = Pane::Categories;
                self.move_by(delta.signum());
            }
            Hit::Site(_) => {
                self.focus = Pane::Sites;
                self.move_by(delta.signum());
            }
            _ => {
                self.focus = Pane::Cookies;
                self.move_by(delta);
            }
        }
    }
}
