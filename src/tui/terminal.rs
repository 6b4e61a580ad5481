//! The one guard that owns the terminal: raw mode, the alternate screen and
//! mouse capture, undone on normal exit, on error and on panic.

use std::io::{self, Stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// The terminal crumbs draws on.
pub type Tty = Terminal<CrosstermBackend<Stdout>>;

/// True while the terminal is in crumbs' state (raw, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// True while mouse capture is on.
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

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

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut Tty {
        &mut self.terminal
    }
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
