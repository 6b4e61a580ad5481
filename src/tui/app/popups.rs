//! The app's popups: the help and the details scroll within their lines; the
//! details walk the cookies; `y` copies a value the user can see.

use super::App;
use crate::tui::action::Action;
use crate::tui::details;
use crate::tui::event::Effect;
use crate::tui::help;
use crate::tui::layout;
use crate::tui::theme::Theme;

impl App {
    pub(super) fn update_help(&mut self, action: Action) -> Vec<Effect> {
        let width = layout::popup_inner_width(self.size, layout::POPUP_PCT);
        let lines = help::lines(self, Theme::new(self.opts.color), width).len();
        if self.scroll_popup(action, lines) {
            return vec![];
        }
        if matches!(action, Action::Help | Action::Back) {
            self.overlays.close();
        }
        vec![]
    }

    pub(super) fn update_details(&mut self, action: Action) -> Vec<Effect> {
        if self.scroll_popup(action, self.details_lines()) {
            return vec![];
        }
        match action {
            Action::NextItem => self.next_details(1),
            Action::PrevItem => self.next_details(-1),
            Action::Reveal => self.toggle_reveal(),
            Action::Mark => self.mark(),
            Action::Copy => return self.copy(),
            Action::Back | Action::Open => {
                self.overlays.close();
            }
            _ => {}
        }
        vec![]
    }

    /// Lines of the details popup at the terminal's width.
    fn details_lines(&self) -> usize {
        let width = layout::popup_inner_width(self.size, layout::POPUP_PCT);
        details::popup_lines(self, Theme::new(self.opts.color), width).len()
    }

    /// Scrolls the open popup of `lines` lines for a moving action, keeping
    /// its end in view; false when the action does not scroll.
    fn scroll_popup(&mut self, action: Action, lines: usize) -> bool {
        let rect = layout::popup(self.size, layout::POPUP_PCT, lines + 2);
        let height = usize::from(rect.height.saturating_sub(2));
        let page = height.saturating_sub(1).max(1);
        self.overlays
            .scroll_by(action, lines.saturating_sub(height), page)
    }

    /// The details of the next (`delta` 1) or previous cookie, from their top.
    fn next_details(&mut self, delta: isize) {
        let h = self.cookie_rows();
        self.list.move_by(delta, h);
        self.overlays.scroll_to_top();
    }

    /// Copies the selected cookie's value, only when values are shown: a
    /// secret goes to the clipboard only when the user can see it.
    pub(super) fn copy(&mut self) -> Vec<Effect> {
        let Some(i) = self.list.selected_cookie() else {
            self.info("Select a cookie to copy its value");
            return vec![];
        };
        let Some(c) = self.session.jar().cookies().get(i) else {
            return vec![];
        };
        let name = crate::tui::text::clean(&c.name);
        if !self.reveal {
            self.warn(format!(
                "Values are hidden: v shows them, then y copies {name}'s"
            ));
            return vec![];
        }
        let value = c.value.to_string();
        self.info(format!(
            "Copied {name}'s value ({} bytes) to the clipboard (OSC 52: the terminal must allow it)",
            value.len()
        ));
        vec![Effect::Copy(value)]
    }
}
