//! The interactive face: `crumbs [JAR]`. A view over the same engine
//! `crumbs prune` uses: the category toggles become a consent choice, the
//! engine's plan is the preview, and saving is the engine's commit.
//!
//! - [`app`]: the state and `App::update(Action) -> Vec<Effect>` (no I/O);
//! - [`keymap`]: the bindings table (dispatch, help, hints);
//! - [`view`] and [`overlays`]: rendering, reading state only;
//! - [`effects`]: carrying out saves, undo, reloads;
//! - [`terminal`]: the guard that always restores the terminal;
//! - [`loading`]: the thread and the screen of a slow load ([`run_loading`]).

pub mod app;
pub mod effects;
pub mod keymap;
pub mod loading;
pub mod overlays;
pub mod rows;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;

use std::collections::VecDeque;
use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use time::OffsetDateTime;

use self::app::{Action, App, Effect, Options};
use self::loading::{Loader, Loading};
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

/// Why [`run_loading`] failed: the load, or the TUI itself.
#[derive(Debug, thiserror::Error)]
pub enum LoadingError<E> {
    /// The loader's own error (the terminal is restored by then).
    #[error(transparent)]
    Load(E),
    /// The terminal or the engine failed.
    #[error(transparent)]
    Tui(#[from] TuiError),
}

/// How long a load may take before the loading screen comes up: quick loads
/// (and quick errors) never flash the screen.
const QUIET: Duration = Duration::from_millis(100);

/// How long the loading screen waits for a key before it redraws (spinner,
/// elapsed time) and looks whether the load has ended.
const TICK: Duration = Duration::from_millis(50);

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
    let app = App::new(session, opts, clock())?;
    let guard = TerminalGuard::enter(opts.mouse)?;
    main_loop(app, guard, clock)
}

/// Runs the TUI on the session `load` makes, loading on another thread. A
/// load that ends within a tenth of a second goes as [`run`] would; a longer one gets a
/// loading screen (`label`, `bytes` when known, the time so far) where q, Esc
/// and Ctrl-C quit at once, leaving the load behind. A load error comes back
/// as [`LoadingError::Load`] with the terminal restored.
pub fn run_loading<E: Send + 'static>(
    load: impl FnOnce() -> Result<Session, E> + Send + 'static,
    label: String,
    bytes: Option<u64>,
    opts: Options,
    clock: &dyn Fn() -> OffsetDateTime,
) -> Result<(), LoadingError<E>> {
    if !has_terminal() {
        return Err(TuiError::NoTerminal.into());
    }
    let started = Instant::now();
    // The app is built on the loader thread too: on a big jar its first plan
    // costs a good part of the load. The clock stays on this thread, so the
    // app starts with the time the load began and is moved on after.
    let now = clock();
    let loader =
        Loader::spawn(move || load().map(|s| App::new(s, opts, now))).map_err(TuiError::from)?;
    let mut guard = None;
    if !loader.wait(QUIET) {
        let g = guard.insert(TerminalGuard::enter(opts.mouse).map_err(TuiError::from)?);
        let screen = Loading {
            label: &label,
            bytes,
            elapsed: started.elapsed(),
            color: opts.color,
        };
        if !wait_on_screen(&loader, g, screen, started).map_err(TuiError::from)? {
            // The user quit. The load is left to end with the process: it
            // writes nothing, so stopping it anywhere is safe.
            return Ok(());
        }
    }
    let mut app = match loader.join() {
        Ok(app) => app.map_err(TuiError::from)?,
        Err(e) => {
            // Restore the terminal before the caller prints the error.
            drop(guard);
            return Err(LoadingError::Load(e));
        }
    };
    let guard = match guard {
        Some(g) => g,
        None => TerminalGuard::enter(opts.mouse).map_err(TuiError::from)?,
    };
    // The app's clock is from before the load: the first screen gets now.
    app.update(Action::Clock(clock()));
    main_loop(app, guard, clock).map_err(LoadingError::Tui)
}

/// Draws the loading screen until the load ends (true) or a quit key is
/// pressed (false). Other keys are dropped: they were typed at a screen that
/// offers nothing to act on.
fn wait_on_screen<T: Send + 'static>(
    loader: &Loader<T>,
    guard: &mut TerminalGuard,
    mut screen: Loading<'_>,
    started: Instant,
) -> io::Result<bool> {
    loop {
        if loader.wait(Duration::ZERO) {
            return Ok(true);
        }
        screen.elapsed = started.elapsed();
        guard
            .terminal()
            .draw(|f| f.render_widget(&screen, f.area()))?;
        // A resize needs nothing more: the next draw fits the new size.
        if event::poll(TICK)?
            && let Event::Key(k) = event::read()?
            && k.kind == KeyEventKind::Press
            && loading::quits(&k)
        {
            return Ok(false);
        }
    }
}

/// Carries out `effect` on a worker thread while this one keeps reading the
/// terminal and redrawing (a save or reload of a million-cookie jar takes a
/// second). Keys typed meanwhile are dropped, as on the loading screen, but
/// for Ctrl-C and resizes, which are returned to be applied after the effect.
fn perform_answering(
    app: &App,
    guard: &mut TerminalGuard,
    effect: &Effect,
    now: OffsetDateTime,
) -> Result<(Option<Action>, Vec<Action>), TuiError> {
    std::thread::scope(|scope| {
        let session = app.session();
        let work = scope.spawn(move || effects::perform(effect, session, now));
        let mut after = Vec::new();
        while !work.is_finished() {
            if event::poll(Duration::from_millis(50))?
                && let Some(a @ (Action::ForceQuit | Action::Resize { .. })) =
                    to_action(app, event::read()?)
            {
                after.push(a);
            }
            guard.terminal().draw(|f| f.render_widget(app, f.area()))?;
        }
        match work.join() {
            Ok(next) => Ok((next, after)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The main loop: draw, read an event, update, carry out the effects.
fn main_loop(
    mut app: App,
    mut guard: TerminalGuard,
    clock: &dyn Fn() -> OffsetDateTime,
) -> Result<(), TuiError> {
    let size = guard.terminal().size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    loop {
        guard.terminal().draw(|f| f.render_widget(&app, f.area()))?;
        // Filtering a big jar goes a slice per frame, between key presses.
        if app.busy() && !event::poll(std::time::Duration::ZERO)? {
            app.update(Action::Tick);
            continue;
        }
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
                let (next, after) = perform_answering(&app, &mut guard, &effect, clock())?;
                queue.extend(next);
                queue.extend(after);
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
