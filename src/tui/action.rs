//! What the user asks for: keys (through the [`keymap`](super::keymap)) and
//! the mouse become [`Action`]s. Outcomes of the loop's work are not actions
//! but [`Event`](super::event::Event)s.

/// A user intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Grant or refuse the selected category.
    Toggle,
    /// Grant every category.
    AcceptAll,
    /// Refuse every category that is not required.
    RejectAll,
    /// Start typing a filter.
    Filter,
    /// A character typed into the filter.
    Text(char),
    /// Delete the last filter character.
    Backspace,
    /// Keep the filter typed and leave text entry.
    KeepFilter,
    /// Restore the filter as it was and leave text entry.
    CancelFilter,
    /// Open what is selected: details, a category, a group, a site.
    Open,
    /// The next cookie (in the details).
    NextItem,
    /// The previous cookie (in the details).
    PrevItem,
    /// Copy the selected cookie's value to the clipboard (values shown only).
    Copy,
    /// Reveal or hide cookie values.
    Reveal,
    /// Mark the selected cookie for removal whatever its category, or unmark it.
    Mark,
    /// Save (asks for confirmation).
    Save,
    /// Undo the last save (asks for confirmation).
    Undo,
    /// Show or hide the help.
    Help,
    /// Quit (asks when choices are unsaved).
    Quit,
    /// Back out one level.
    Back,
    /// Quit at once.
    ForceQuit,
    /// Answer yes.
    Yes,
    /// Answer no / cancel.
    No,
    /// Discard unsaved choices.
    Discard,
    /// A mouse click at a cell.
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// Mouse wheel up over a cell.
    ScrollUp {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// Mouse wheel down over a cell.
    ScrollDown {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
}
