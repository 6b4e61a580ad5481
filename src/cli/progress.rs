//! A progress note on stderr for work that outlasts a second, when stderr is
//! a terminal: `crumbs: pruning cookies.txt (88.9 MB)… 1.4 s`, redrawn in
//! place and erased when the work is done (before any output is written).
//! `CRUMBS_PROGRESS_AFTER_MS` changes the one-second wait (tests use 0).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The note being shown: dropping the sender tells its thread to erase it.
struct Note {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

static CURRENT: Mutex<Option<Note>> = Mutex::new(None);

/// Starts the note for `verb`ing the jar at `path` (shown only if the work
/// is still going after the wait, and only on a terminal).
pub fn start(verb: &str, path: &Path) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    let what = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => format!(
            "{verb} {} ({})",
            path.display(),
            crumbs::human::size(m.len())
        ),
        _ => format!("{verb} {}", path.display()),
    };
    let wait = std::env::var("CRUMBS_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis);
    let (stop, rx) = mpsc::channel::<()>();
    let started = Instant::now();
    let thread = std::thread::spawn(move || {
        if rx.recv_timeout(wait) != Err(RecvTimeoutError::Timeout) {
            return;
        }
        let mut err = std::io::stderr();
        loop {
            let secs = started.elapsed().as_secs_f64();
            let _ = write!(err, "\r\x1b[2Kcrumbs: {what}… {secs:.1} s");
            let _ = err.flush();
            if rx.recv_timeout(Duration::from_millis(100)) != Err(RecvTimeoutError::Timeout) {
                break;
            }
        }
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    });
    if let Ok(mut current) = CURRENT.lock() {
        *current = Some(Note { stop, thread });
    }
}

/// Erases the note (if one was shown) and waits until it is gone, so the
/// output that follows starts on a clean line.
pub fn done() {
    let note = CURRENT.lock().ok().and_then(|mut c| c.take());
    if let Some(Note { stop, thread }) = note {
        drop(stop);
        let _ = thread.join();
    }
}

/// Called before writing to stdout: on a terminal the note goes first (the
/// output would break its line); redirected output lets it run on.
pub fn before_output() {
    if std::io::stdout().is_terminal() {
        done();
    }
}
