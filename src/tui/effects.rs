//! Carrying out effects: the only TUI code that touches the disk. Each returns
//! the action that reports its outcome to [`App::update`](super::app::App::update).

use time::OffsetDateTime;

use super::app::{Action, Effect, Failure, Loaded};
use crate::jar::{Jar, JarError, OpenOptions};
use crate::session::{Session, SessionError};

/// Carries out `effect` on the app's `session` at time `now`. `Quit` is the
/// loop's to handle and yields nothing.
pub fn perform(effect: &Effect, session: &Session, now: OffsetDateTime) -> Option<Action> {
    let path = session.jar.path.display().to_string();
    let action = match effect {
        Effect::Quit => return None,
        Effect::Save { decision, then } => {
            // The same commit `crumbs prune` does: backup, atomic write, record, log.
            let mut s = session.clone();
            match s.commit(decision, false, now) {
                Ok(done) => Action::Loaded {
                    session: Box::new(s),
                    why: Loaded::Saved {
                        removed: done.removed,
                        backup: done.saved.backup,
                        record: done.record,
                        then: then.clone(),
                    },
                },
                Err(SessionError::Jar(JarError::Changed { .. })) => Action::Failed {
                    what: Failure::Changed,
                    message: format!("Not saved: {path} changed on disk since crumbs read it"),
                },
                Err(e) => Action::Failed {
                    what: Failure::Save,
                    message: format!("Not saved: {e}"),
                },
            }
        }
        Effect::Undo => match crate::undo::undo(&session.jar.path, &session.dirs, false, now) {
            Ok(Some(used)) => match reopen(session) {
                Ok(s) => Action::Loaded {
                    session: Box::new(s),
                    why: Loaded::Undone {
                        backup: used.backup,
                    },
                },
                Err(e) => Action::Failed {
                    what: Failure::Undo,
                    message: format!("Restored {path}, but reading it back failed: {e}"),
                },
            },
            Ok(None) => Action::Failed {
                what: Failure::Undo,
                message: format!("No backup of {path} to restore: nothing was saved yet"),
            },
            Err(e) => Action::Failed {
                what: Failure::Undo,
                message: format!("Undo failed: {e}"),
            },
        },
        Effect::Reload => match reopen(session) {
            Ok(s) => Action::Loaded {
                session: Box::new(s),
                why: Loaded::Reloaded,
            },
            Err(e) => Action::Failed {
                what: Failure::Reload,
                message: format!("Could not read {path} again: {e}"),
            },
        },
        Effect::SwitchSite(scope) => match session.switch(scope.clone()) {
            Ok(s) => Action::Loaded {
                session: Box::new(s),
                why: Loaded::Site,
            },
            Err(e) => Action::Failed {
                what: Failure::Site,
                message: format!("Cannot manage {}: {e}", scope.label()),
            },
        },
    };
    Some(action)
}

/// Reads the session's jar again from disk, for the same scope.
fn reopen(session: &Session) -> Result<Session, SessionError> {
    let jar = Jar::open(&session.jar.path, OpenOptions::default())?;
    Session::new(
        jar,
        session.scope().clone(),
        session.catalog().clone(),
        session.dirs.clone(),
    )
}
