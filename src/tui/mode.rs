//! What the keys mean now ([`Mode`]), and the overlay part of the state: the
//! open dialog or overlay and the scroll of the help or details.

use super::action::Action;
use super::event::After;

/// What the keys currently mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The main screen.
    Normal,
    /// Typing a filter: printable keys are text.
    Filter,
    /// The help overlay.
    Help,
    /// The details of the selected cookie.
    Details,
    /// The save confirmation.
    Confirm,
    /// The undo confirmation.
    ConfirmUndo,
    /// Unsaved choices: save, discard or cancel.
    Unsaved,
    /// The jar changed on disk: reload?
    Changed,
}

impl Mode {
    /// Every mode.
    pub const ALL: &'static [Mode] = &[
        Mode::Normal,
        Mode::Filter,
        Mode::Help,
        Mode::Details,
        Mode::Confirm,
        Mode::ConfirmUndo,
        Mode::Unsaved,
        Mode::Changed,
    ];

    /// The mode's name in the help.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Normal => "Main screen",
            Mode::Filter => "Typing a filter",
            Mode::Help => "Help",
            Mode::Details => "Cookie details",
            Mode::Confirm => "Save confirmation",
            Mode::ConfirmUndo => "Undo confirmation",
            Mode::Unsaved => "Unsaved choices",
            Mode::Changed => "Jar changed on disk",
        }
    }
}

/// An open dialog or overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The help.
    Help,
    /// Details of the selected row.
    Details,
    /// Save confirmation.
    Confirm {
        /// What to do once saved.
        then: After,
    },
    /// Undo confirmation.
    ConfirmUndo,
    /// Unsaved choices: save / discard / cancel before doing `then`.
    Unsaved {
        /// What was asked for.
        then: After,
    },
    /// The jar changed on disk; reload?
    Changed,
}

impl Overlay {
    /// The mode the overlay puts the keys in.
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Help => Mode::Help,
            Overlay::Details => Mode::Details,
            Overlay::Confirm { .. } => Mode::Confirm,
            Overlay::ConfirmUndo => Mode::ConfirmUndo,
            Overlay::Unsaved { .. } => Mode::Unsaved,
            Overlay::Changed => Mode::Changed,
        }
    }
}

/// What an answer to the open question asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The action answers nothing here.
    None,
    /// Yes to the save confirmation: save, then `then`.
    Save(After),
    /// Yes to the undo confirmation.
    Undo,
    /// Yes to reading the changed jar again.
    Reload,
    /// Save in the unsaved-choices question: confirm a save before `then`.
    SaveFirst(After),
    /// Discard in the unsaved-choices question: drop the choices, then `then`.
    Discard(After),
    /// No (or Esc) to this question.
    Declined(Overlay),
}

/// The overlay part of the app: what is open over the main screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlays {
    open: Option<Overlay>,
    scroll: usize,
}

impl Overlays {
    /// The open overlay.
    pub fn get(&self) -> Option<&Overlay> {
        self.open.as_ref()
    }

    /// Opens `overlay` (the help and the details from their top).
    pub fn open(&mut self, overlay: Overlay) {
        self.scroll = 0;
        self.open = Some(overlay);
    }

    /// Closes what is open, returning it.
    pub fn close(&mut self) -> Option<Overlay> {
        self.open.take()
    }

    /// Takes `action` as an answer to the open question, closing it when it
    /// is one.
    pub fn answer(&mut self, action: Action) -> Answer {
        let Some(open) = self.open.clone() else {
            return Answer::None;
        };
        let answer = match (open, action) {
            (Overlay::Confirm { then }, Action::Yes) => Answer::Save(then),
            (Overlay::ConfirmUndo, Action::Yes) => Answer::Undo,
            (Overlay::Changed, Action::Yes) => Answer::Reload,
            (Overlay::Unsaved { then }, Action::Save) => Answer::SaveFirst(then),
            (Overlay::Unsaved { then }, Action::Discard) => Answer::Discard(then),
            (Overlay::Help | Overlay::Details, _) => return Answer::None,
            (question, Action::No | Action::Back) => Answer::Declined(question),
            _ => return Answer::None,
        };
        self.open = None;
        answer
    }

    /// The first line in view of the help or the details.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Back to the top of the help or the details (another cookie's).
    pub fn scroll_to_top(&mut self) {
        self.scroll = 0;
    }

    /// Scrolls the help or the details for a moving action, `last` being the
    /// last first line (so the end stays in view) and `page` rows a page;
    /// false when the action does not scroll.
    pub fn scroll_by(&mut self, action: Action, last: usize, page: usize) -> bool {
        let s = self.scroll.min(last);
        self.scroll = match action {
            Action::Up | Action::ScrollUp { .. } => s.saturating_sub(1),
            Action::Down | Action::ScrollDown { .. } => (s + 1).min(last),
            Action::PageUp => s.saturating_sub(page),
            Action::PageDown => (s + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_the_help_starts_at_its_top() {
        let mut o = Overlays::default();
        o.open(Overlay::Help);
        assert!(o.scroll_by(Action::Bottom, 29, 10));
        assert_eq!(o.scroll(), 29);
        assert_eq!(o.close(), Some(Overlay::Help));
        o.open(Overlay::Details);
        assert!(o.scroll_by(Action::Down, 29, 10));
        assert_eq!(o.scroll(), 1, "the details scroll too");
        o.open(Overlay::Help);
        assert_eq!(o.scroll(), 0);
        assert_eq!(o.get().map(Overlay::mode), Some(Mode::Help));
    }

    #[test]
    fn answers_close_the_question_they_answer() {
        let mut o = Overlays::default();
        assert_eq!(o.answer(Action::Yes), Answer::None);
        o.open(Overlay::Confirm { then: After::Quit });
        assert_eq!(o.answer(Action::Save), Answer::None);
        assert!(o.get().is_some(), "still asking");
        assert_eq!(o.answer(Action::Yes), Answer::Save(After::Quit));
        assert_eq!(o.get(), None);
        let unsaved = Overlay::Unsaved { then: After::Stay };
        o.open(unsaved.clone());
        assert_eq!(o.answer(Action::Discard), Answer::Discard(After::Stay));
        o.open(unsaved.clone());
        assert_eq!(o.answer(Action::Back), Answer::Declined(unsaved));
        o.open(Overlay::Changed);
        assert_eq!(o.answer(Action::Yes), Answer::Reload);
        o.open(Overlay::Help);
        assert_eq!(o.answer(Action::Back), Answer::None, "not a question");
        assert_eq!(o.get(), Some(&Overlay::Help));
    }

    #[test]
    fn the_help_scrolls_within_its_lines() {
        let mut o = Overlays::default();
        o.open(Overlay::Help);
        for (action, want) in [
            (Action::Up, 0),
            (Action::Down, 1),
            (Action::PageDown, 9),
            (Action::PageDown, 9),
            (Action::PageUp, 1),
            (Action::ScrollUp { column: 0, row: 0 }, 0),
            (Action::Bottom, 9),
            (Action::Top, 0),
        ] {
            assert!(o.scroll_by(action, 9, 8));
            assert_eq!(o.scroll(), want, "after {action:?}");
        }
        assert!(!o.scroll_by(Action::Save, 9, 8));
    }
}
