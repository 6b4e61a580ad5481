//! Carrying out effects: the only TUI code that touches the disk. Each returns
//! the event that reports its outcome to [`App::on`](super::app::App::on).

use time::OffsetDateTime;

use super::event::{Effect, Event, Failure, Loaded, Saved};
use crate::jar::{Jar, JarError};
use crate::session::{Session, SessionError};

/// Carries out `effect` on the app's `session` (lent by the app) at time
/// `now`. A save edits and writes the session in place, with no copy of it;
/// the others read a new session. `Quit` and `Copy` are the loop's to
/// handle (they touch the terminal, not the disk) and yield nothing.
pub fn perform(effect: &Effect, session: &mut Session, now: OffsetDateTime) -> Option<Event> {
    let path = session.jar().path.display().to_string();
    let event = match effect {
        Effect::Quit | Effect::Copy(_) => return None,
        Effect::Save { decision, then } => {
            let changed = Event::Failed {
                what: Failure::Changed,
                message: format!("Not saved: {path} changed on disk since crumbs read it"),
            };
            // Looked at before the session is touched, so the app still shows
            // the jar it read and asks before reading it again.
            if changed_on_disk(session.jar()) {
                return Some(changed);
            }
            // The same commit `crumbs prune` does: backup, atomic write, record, log.
            match session.commit(decision, false, now) {
                Ok(done) => Event::Saved(Saved {
                    removed: done.removed,
                    backup: done.saved.backup,
                    record: done.record,
                    then: then.clone(),
                }),
                Err(SessionError::Jar(JarError::Changed { .. })) => changed,
                Err(e) => Event::Failed {
                    what: Failure::Save,
                    message: format!("Not saved: {e}"),
                },
            }
        }
        Effect::CheckUndo => Event::UndoChecked {
            backup: crate::jar::backup::list(&session.jar().path, session.dirs())
                .is_ok_and(|b| !b.is_empty()),
        },
        Effect::Undo => match crate::undo::undo(&session.jar().path, session.dirs(), false, now) {
            Ok(Some(used)) => match reopen(session) {
                Ok(s) => Event::Loaded {
                    session: Box::new(s),
                    why: Loaded::Undone {
                        backup: used.backup,
                    },
                },
                Err(e) => Event::Failed {
                    what: Failure::Undo,
                    message: format!("Restored {path}, but reading it back failed: {e}"),
                },
            },
            Ok(None) => Event::Failed {
                what: Failure::Undo,
                message: format!("No backup of {path} to restore: nothing was saved yet"),
            },
            Err(e) => Event::Failed {
                what: Failure::Undo,
                message: format!("Undo failed: {e}"),
            },
        },
        Effect::Reload => match reopen(session) {
            Ok(s) => Event::Loaded {
                session: Box::new(s),
                why: Loaded::Reloaded,
            },
            Err(e) => Event::Failed {
                what: Failure::Reload,
                message: format!("Could not read {path} again: {e}"),
            },
        },
        Effect::SwitchSite(scope) => match session.switch(scope.clone()) {
            Ok(s) => Event::Loaded {
                session: Box::new(s),
                why: Loaded::Site,
            },
            Err(e) => Event::Failed {
                what: Failure::Site,
                message: format!("Cannot manage {}: {e}", scope.label()),
            },
        },
    };
    Some(event)
}

/// True when a file jar is no longer what was read (a browser database is
/// checked by the save itself, inside its transaction).
fn changed_on_disk(jar: &Jar) -> bool {
    jar.loaded
        .as_ref()
        .is_some_and(|fp| !fp.still_matches(&jar.path).unwrap_or(true))
}

/// Reads the session's jar again from disk, for the same scope.
fn reopen(session: &Session) -> Result<Session, SessionError> {
    let jar = Jar::open(&session.jar().path, session.jar().opts)?;
    Session::new(
        jar,
        session.scope().clone(),
        session.catalog().clone(),
        session.dirs().clone(),
    )
}
