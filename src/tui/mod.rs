//! The interactive face: `crumbs [JAR]`. A view over the same engine
//! `crumbs prune` uses: the category toggles become a consent choice, the
//! engine's plan is the preview, and saving is the engine's commit.
//!
//! Dependencies point one way: keymap → action; app → action, event, layout
//! and its parts; view → app, layout. Nothing in the state imports rendering.
//!
//! - [`action`]: what the user asks for; [`keymap`]: the bindings table that
//!   turns keys into actions (and writes the help and hints);
//! - [`event`]: what the loop hands the app (outcomes, size, clock, ticks) and
//!   the effects the app hands the loop;
//! - [`app`]: the state, composed of parts: [`choices`], [`categories`],
//!   [`list`] (the cookies), [`picker`] (the sites) and [`mode`] (the
//!   overlays); `App::update(Action)` and `App::on(Event)`;
//! - [`layout`]: where everything goes (a leaf both the app and the view read);
//! - [`view`] and [`overlays`]: rendering, reading state only;
//! - [`effects`]: carrying out saves, undo, reloads (the only disk access);
//! - [`terminal`]: the guard that always restores the terminal, signals too;
//! - [`loading`]: the thread and the screen of a slow load ([`run_loading`]).

pub mod action;
pub mod app;
pub mod categories;
pub mod choices;
pub mod clipboard;
pub mod details;
pub mod effects;
pub mod event;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod loading;
pub mod mode;
pub mod overlays;
pub mod picker;
pub mod rows;
pub mod status;
pub mod status_line;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;

use std::collections::VecDeque;
use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self as term, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use time::OffsetDateTime;

use self::action::Action;
use self::app::{App, Options};
use self::event::{Effect, Event};
use self::loading::{Loader, Loading};
use self::mode::Mode;
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

/// Runs the TUI on the session `load` makes, loading on another thread. A
/// load that ends within a tenth of a second goes straight to the view; a
/// longer one gets a loading screen (`label`, `bytes` when known, the time so far) where q, Esc
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
    terminal::catch_signals().map_err(TuiError::from)?;
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
    app.on(Event::Clock(clock()));
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
        guard.draw(&screen)?;
        // A resize needs nothing more: the next draw fits the new size.
        if term::poll(TICK)?
            && let term::Event::Key(k) = term::read()?
            && k.kind == KeyEventKind::Press
            && loading::quits(&k)
        {
            return Ok(false);
        }
    }
}

/// What the loop gives the app: a user intent or an event.
#[derive(Debug)]
enum Input {
    Action(Action),
    Event(Event),
}

impl App {
    fn take(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Action(a) => self.update(a),
            Input::Event(e) => self.on(e),
        }
    }
}

/// Carries out `effect` on a worker thread, which the app lends its session
/// to (a save edits it in place: no copy of a million-cookie jar). This
/// thread meanwhile keeps reading the terminal and redraws the last frame
/// (`frame`: the state cannot be drawn while the worker holds it). Keys typed
/// meanwhile are dropped, as on the loading screen, but for Ctrl-C and
/// resizes, which are returned to be applied after the effect.
fn perform_answering(
    app: &mut App,
    guard: &mut TerminalGuard,
    effect: &Effect,
    frame: &Buffer,
    now: OffsetDateTime,
) -> Result<(Option<Event>, Vec<Input>), TuiError> {
    let (mode, mouse) = (app.mode(), app.options().mouse);
    let _busy = terminal::working();
    std::thread::scope(|scope| {
        let session = app.session_for_effect();
        let work = scope.spawn(move || effects::perform(effect, session, now));
        let mut after = Vec::new();
        while !work.is_finished() {
            if term::poll(Duration::from_millis(50))?
                && let Some(input) = to_input(mode, mouse, term::read()?)
                && matches!(
                    input,
                    Input::Action(Action::ForceQuit) | Input::Event(Event::Resize { .. })
                )
            {
                after.push(input);
            }
            guard.draw(Frame(frame))?;
        }
        match work.join() {
            Ok(next) => Ok((next, after)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// A frame drawn before, drawn again as it was (cut to a smaller terminal).
struct Frame<'a>(&'a Buffer);

impl Widget for Frame<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(self.0.area);
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                if let (Some(from), Some(to)) = (self.0.cell((x, y)), buf.cell_mut((x, y))) {
                    *to = from.clone();
                }
            }
        }
    }
}

/// The main loop: draw, read an event, update, carry out the effects.
fn main_loop(
    mut app: App,
    mut guard: TerminalGuard,
    clock: &dyn Fn() -> OffsetDateTime,
) -> Result<(), TuiError> {
    let size = guard.terminal().size()?;
    app.on(Event::Resize {
        width: size.width,
        height: size.height,
    });
    loop {
        guard.draw(&app)?;
        // Filtering a big jar goes a slice per frame, between key presses.
        if app.list().busy() && !term::poll(Duration::ZERO)? {
            app.on(Event::Tick);
            continue;
        }
        let Some(input) = to_input(app.mode(), app.options().mouse, term::read()?) else {
            continue;
        };
        app.on(Event::Clock(clock()));
        let mut queue = VecDeque::from([input]);
        while let Some(input) = queue.pop_front() {
            for effect in app.take(input) {
                match &effect {
                    Effect::Quit => return Ok(()),
                    Effect::Copy(text) => {
                        guard.copy(text)?;
                        continue;
                    }
                    _ => {}
                }
                // Show "Saving…" and the like before the work starts.
                let frame = guard.draw(&app)?;
                let (next, after) =
                    perform_answering(&mut app, &mut guard, &effect, &frame, clock())?;
                queue.extend(next.map(Input::Event));
                queue.extend(after);
            }
        }
    }
}

/// Turns a terminal event into an input: key presses through the keymap
/// for `mode` (releases and repeats ignored), clicks and the wheel when
/// `mouse`, resizes.
fn to_input(mode: Mode, mouse: bool, event: term::Event) -> Option<Input> {
    let action = match event {
        term::Event::Key(k) if k.kind == KeyEventKind::Press => keymap::resolve(mode, &k)?,
        term::Event::Mouse(m) if mouse => {
            let (column, row) = (m.column, m.row);
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Action::Click { column, row },
                MouseEventKind::ScrollUp => Action::ScrollUp { column, row },
                MouseEventKind::ScrollDown => Action::ScrollDown { column, row },
                _ => return None,
            }
        }
        term::Event::Resize(width, height) => {
            return Some(Input::Event(Event::Resize { width, height }));
        }
        _ => return None,
    };
    Some(Input::Action(action))
}
