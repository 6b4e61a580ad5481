//! The interactive face: `crumbs [JAR]`. A view over the same engine
//! `crumbs prune` uses: the category toggles become a consent choice, the
//! engine's plan is the preview, and saving is the engine's commit.
//!
//! - [`app`]: the state and `App::update(Action) -> Vec<Effect>` (no I/O);
//! - [`keymap`]: the bindings table (dispatch, help, hints);
//! - [`view`] and [`overlays`]: rendering, reading state only;
//! - [`effects`]: carrying out saves, undo, reloads;
//! - [`terminal`]: the guard that always restores the terminal.

pub mod app;
pub mod effects;
pub mod keymap;
pub mod overlays;
pub mod rows;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;

use std::collections::VecDeque;
use std::io::{self, IsTerminal};

use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use time::OffsetDateTime;

use self::app::{Action, App, Effect, Options};
use self::terminal::TerminalGuard;
use crate::session::{Session, SessionError};

/// Why the TUI could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// Standard input or output is not a terminal.
    #[error("the interactive view needs a terminal (standard input and output)")]
    NoTerminal,
    /// The terminal could not be set up, read or drawn on.
    #[error("terminal: {0}")]
    Io(#[from] io::Error),
    /// The engine refused the session.
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// True when both standard input and output are terminals.
pub fn has_terminal() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// Runs the TUI on `session` until the user quits. `clock` gives the time
/// (the consent's dates come from it).
pub fn run(
    session: Session,
    opts: Options,
    clock: &dyn Fn() -> OffsetDateTime,
) -> Result<(), TuiError> {
    if !has_terminal() {
        return Err(TuiError::NoTerminal);
    }
    let mut app = App::new(session, opts, clock())?;
    let mut guard = TerminalGuard::enter(opts.mouse)?;
    let size = guard.terminal().size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    loop {
        guard.terminal().draw(|f| f.render_widget(&app, f.area()))?;
        let Some(action) = to_action(&app, event::read()?) else {
            continue;
        };
        app.update(Action::Clock(clock()));
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for effect in app.update(action) {
                if let Effect::Quit = effect {
                    return Ok(());
                }
                // Show "Saving…" and the like before the work starts.
                guard.terminal().draw(|f| f.render_widget(&app, f.area()))?;
                queue.extend(effects::perform(&effect, app.session(), clock()));
            }
        }
    }
}

/// Turns a terminal event into an action: key presses through the keymap
/// (releases and repeats ignored), clicks and the wheel, resizes.
pub fn to_action(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind == KeyEventKind::Press => keymap::resolve(app.mode(), &k),
        Event::Mouse(m) if app.options().mouse => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown {
                column: m.column,
                row: m.row,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    }
}
