//! The one guard that owns the terminal: raw mode, the alternate screen and
//! mouse capture, undone on normal exit, on error, on panic, and on SIGTERM
//! and SIGHUP (which also remove the folders registered with
//! [`remove_on_signal`], such as the demo's temporary copy).

use std::io::{self, Stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::widgets::Widget;

/// The terminal crumbs draws on.
pub type Tty = Terminal<CrosstermBackend<Stdout>>;

/// True while the terminal is in crumbs' state (raw, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// True while mouse capture is on.
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();
static SIGNALS: Once = Once::new();
/// Held while drawing, and by a signal's clean-up from the restore to the exit,
/// so no frame is drawn over the restored terminal.
static DRAWING: Mutex<()> = Mutex::new(());
/// Held while an effect (a save) runs: a signal's clean-up waits for it, so
/// a save is never cut short, as with Ctrl-C.
static WORKING: Mutex<()> = Mutex::new(());
/// Folders removed on SIGTERM and SIGHUP.
static REMOVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Owns the terminal set-up; dropping it restores the terminal.
pub struct TerminalGuard {
    terminal: Tty,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, and captures the mouse when
    /// `mouse`. A panic from now on restores the terminal before its message.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let set_up = || -> io::Result<Tty> {
            let mut out = io::stdout();
            execute!(out, EnterAlternateScreen)?;
            if mouse {
                execute!(out, EnableMouseCapture)?;
                MOUSE.store(true, Ordering::SeqCst);
            }
            let mut t = Terminal::new(CrosstermBackend::new(io::stdout()))?;
            t.clear()?;
            Ok(t)
        };
        match set_up() {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// The terminal, for its size and for drawing with [`TerminalGuard::draw`].
    pub fn terminal(&mut self) -> &mut Tty {
        &mut self.terminal
    }

    /// Draws `widget` over the whole terminal; gives the frame drawn.
    pub fn draw(&mut self, widget: impl Widget) -> io::Result<Buffer> {
        let _drawing = lock(&DRAWING);
        let done = self.terminal.draw(|f| f.render_widget(widget, f.area()))?;
        Ok(done.buffer.clone())
    }
}

impl TerminalGuard {
    /// Asks the terminal to put `text` on the clipboard (OSC 52).
    pub fn copy(&mut self, text: &str) -> io::Result<()> {
        use std::io::Write;
        let _drawing = lock(&DRAWING);
        let out = self.terminal.backend_mut();
        out.write_all(super::clipboard::osc52(text).as_bytes())?;
        out.flush()
    }
}

/// Marks an effect at work until the value is dropped (see [`WORKING`]).
pub fn working() -> MutexGuard<'static, ()> {
    lock(&WORKING)
}

/// Removes `dir` (and what it holds) when SIGTERM or SIGHUP ends crumbs;
/// catches them from now on.
pub fn remove_on_signal(dir: PathBuf) -> io::Result<()> {
    lock(&REMOVE).push(dir);
    catch_signals()
}

/// From now on SIGTERM and SIGHUP end crumbs cleanly: once any save at work
/// is done, the terminal is restored, the registered folders removed, and
/// the process exits with 128 + the signal's number. Choices not saved are
/// lost, as with Ctrl-C.
pub fn catch_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut result = Ok(());
    SIGNALS.call_once(|| {
        result = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP]).and_then(|mut signals| {
            std::thread::Builder::new()
                .name("crumbs-signals".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        let _working = lock(&WORKING);
                        let _drawing = lock(&DRAWING);
                        restore();
                        for dir in lock(&REMOVE).iter() {
                            let _ = std::fs::remove_dir_all(dir);
                        }
                        std::process::exit(128 + signal);
                    }
                })
                .map(drop)
        });
    });
    result
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as it was: mouse capture off, main screen, cursor
/// shown, raw mode off. Safe to call more than once; does nothing when crumbs
/// does not hold the terminal.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// Chains a panic hook that restores the terminal (mouse capture included)
/// before the previous hook prints the panic, so the message is readable.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
