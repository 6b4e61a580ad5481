//! What passes between the app and the loop: the work the app asks for
//! ([`Effect`]) and what comes back from the loop ([`Event`]): outcomes of
//! that work, the terminal's size, the clock, idle ticks.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::text;
use crate::scopes::Scope;
use crate::session::{Decision, Session};

/// What happens after a save or a discard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// Stay on the screen.
    Stay,
    /// Quit.
    Quit,
    /// Switch to managing another site (its scope carries its policy).
    Site(Scope),
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
    /// Find out whether the jar has a backup to restore, before asking.
    CheckUndo,
    /// Read the jar again from disk.
    Reload,
    /// Manage another site of the jar, under the scope's own policy.
    SwitchSite(Scope),
    /// Put this text (a cookie value the user asked for) on the clipboard,
    /// through the terminal (OSC 52).
    Copy(String),
    /// Leave.
    Quit,
}

/// A save done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// Cookies removed.
    pub removed: usize,
    /// The backup taken.
    pub backup: Option<PathBuf>,
    /// The consent record written.
    pub record: Option<PathBuf>,
    /// What to do next.
    pub then: After,
}

impl Saved {
    /// What the status line says of it, for the jar at `path` and `site`.
    pub fn message(&self, path: &Path, site: &str) -> String {
        let mut m = format!(
            "Saved {}: removed {}",
            path.display(),
            text::cookies(self.removed)
        );
        if self.record.is_some() {
            m.push_str(&format!("; choice stored for {site}"));
        }
        if self.backup.is_some() {
            m.push_str("; u undoes");
        }
        m
    }
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

impl Loaded {
    /// What the status line says of it, for the jar at `path` and `site`.
    pub fn message(&self, path: &Path, site: &str) -> String {
        let path = path.display();
        match self {
            Loaded::Reloaded => format!("Read {path} again; your choices are kept (s saves them)"),
            Loaded::Undone { backup } => format!(
                "Restored {path} from its backup {}",
                backup
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
            Loaded::Site => format!("Managing {site}"),
        }
    }
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
    /// Whether the jar has a backup `u` can restore.
    UndoChecked {
        /// A backup exists.
        backup: bool,
    },
    /// The choice was saved: the app's own session (lent to the save) holds
    /// the jar as written.
    Saved(Saved),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_say_what_happened() {
        let path = Path::new("/j/cookies.txt");
        let mut saved = Saved {
            removed: 1,
            backup: None,
            record: None,
            then: After::Stay,
        };
        assert_eq!(
            saved.message(path, "a.test"),
            "Saved /j/cookies.txt: removed 1 cookie"
        );
        saved.record = Some(PathBuf::from("r"));
        saved.backup = Some(PathBuf::from("b"));
        assert_eq!(
            saved.message(path, "a.test"),
            "Saved /j/cookies.txt: removed 1 cookie; choice stored for a.test; u undoes"
        );
        let undone = Loaded::Undone {
            backup: PathBuf::from("/b/cookies.txt.1"),
        };
        assert_eq!(
            undone.message(path, "a.test"),
            "Restored /j/cookies.txt from its backup cookies.txt.1"
        );
        assert_eq!(Loaded::Site.message(path, "a.test"), "Managing a.test");
        assert!(After::Stay.effects().is_empty());
    }
}
