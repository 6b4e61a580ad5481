//! What passes between the app and the loop: the work the app asks for
//! ([`Effect`]) and what comes back from the loop ([`Event`]): outcomes of
//! that work, the terminal's size, the clock, idle ticks.

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::session::{Decision, Session};

/// What happens after a save or a discard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// Stay on the screen.
    Stay,
    /// Quit.
    Quit,
    /// Switch to managing another site.
    Site(String),
}

impl After {
    /// The work this asks of the loop.
    pub fn effects(self) -> Vec<Effect> {
        match self {
            After::Stay => vec![],
            After::Quit => vec![Effect::Quit],
            After::Site(s) => vec![Effect::SwitchSite(s)],
        }
    }
}

/// Work for the event loop: everything that touches the disk or ends the program.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Commit this decision to the jar (backup, atomic write, consent record, log).
    Save {
        /// The decision confirmed by the user.
        decision: Box<Decision>,
        /// What to do once saved.
        then: After,
    },
    /// Restore the newest backup, then read the jar again.
    Undo,
    /// Read the jar again from disk.
    Reload,
    /// Manage another site of the jar.
    SwitchSite(String),
    /// Leave.
    Quit,
}

/// Why a new session arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// The jar was read again from disk (it had changed).
    Reloaded,
    /// The newest backup was restored.
    Undone {
        /// The backup used.
        backup: PathBuf,
    },
    /// Another site of the jar is managed now.
    Site,
}

/// What failed while the loop carried out an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The jar changed on disk since it was loaded: nothing was written.
    Changed,
    /// Saving failed otherwise.
    Save,
    /// Undo failed, or there was no backup.
    Undo,
    /// Reading the jar again failed.
    Reload,
    /// Switching site failed.
    Site,
}

/// Something that happened to the loop rather than a user intent.
#[derive(Debug)]
pub enum Event {
    /// The terminal's size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// The time now (used for the consent's dates when saving).
    Clock(OffsetDateTime),
    /// No input came: carry on with the filtering in progress (see [`App::busy`](super::app::App::busy)).
    Tick,
    /// The choice was saved: the app's own session (lent to the save) holds
    /// the jar as written.
    Saved {
        /// Cookies removed.
        removed: usize,
        /// The backup taken.
        backup: Option<PathBuf>,
        /// The consent record written.
        record: Option<PathBuf>,
        /// What to do next.
        then: After,
    },
    /// A new session (after a reload, undo or site switch).
    Loaded {
        /// The session.
        session: Box<Session>,
        /// Why.
        why: Loaded,
    },
    /// An effect failed.
    Failed {
        /// Which.
        what: Failure,
        /// What happened, for people.
        message: String,
    },
}
