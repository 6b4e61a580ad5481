//! While a big jar loads: the work on its own thread ([`Loader`]) and the
//! screen shown meanwhile ([`Loading`]), so keys are read and the screen
//! drawn from the first frame, whatever the jar's size.

use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keymap::Key;
use super::text::clean;
use super::theme::Theme;

/// The keys that quit the loading screen: the main screen's q, Esc and Ctrl-C.
/// Nothing has been read into the view or written yet, so none of them asks.
pub const QUIT_KEYS: [Key; 3] = [Key::ch('q'), Key::plain(KeyCode::Esc), Key::ctrl('c')];

/// True when `key` is one of [`QUIT_KEYS`].
pub fn quits(key: &KeyEvent) -> bool {
    QUIT_KEYS.iter().any(|k| k.matches(key))
}

/// Work running on its own thread, with a way to wait for it with a timeout.
pub struct Loader<T> {
    done: Receiver<()>,
    thread: JoinHandle<T>,
}

impl<T: Send + 'static> Loader<T> {
    /// Starts `work` on a new thread.
    pub fn spawn(work: impl FnOnce() -> T + Send + 'static) -> io::Result<Loader<T>> {
        let (signal, done) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("crumbs-load".into())
            .spawn(move || {
                // Nothing is ever sent: the sender is dropped when the work
                // returns or panics, and the disconnection is the signal, so
                // a panic cannot leave the waiter waiting.
                let _signal = signal;
                work()
            })?;
        Ok(Loader { done, thread })
    }

    /// Waits up to `timeout` (zero: just looks); true once the work has ended.
    pub fn wait(&self, timeout: Duration) -> bool {
        matches!(
            self.done.recv_timeout(timeout),
            Err(RecvTimeoutError::Disconnected)
        )
    }

    /// The work's result, waiting for it if need be. A panic in the work
    /// carries on here, as it would have had the work run on this thread.
    pub fn join(self) -> T {
        match self.thread.join() {
            Ok(t) => t,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// The loading screen: what loads, its size, for how long, and how to quit.
#[derive(Debug, Clone, Copy)]
pub struct Loading<'a> {
    /// What is loading (the jar's path as given).
    pub label: &'a str,
    /// Its size in bytes, when known.
    pub bytes: Option<u64>,
    /// Time since the load started.
    pub elapsed: Duration,
    /// Colours allowed (false under `NO_COLOR`).
    pub color: bool,
}

/// The spinner's frames, one per tenth of a second.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

impl Widget for &Loading<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        use Constraint::{Fill, Length};
        let theme = Theme::new(self.color);
        let [header, _, middle, _, status] = area.layout(&Layout::vertical([
            Length(1),
            Fill(1),
            Length(2),
            Fill(1),
            Length(1),
        ]));
        // The same first line as the main screen, so the path stays put when the view comes.
        Paragraph::new(Line::from(vec![
            Span::styled("crumbs ", theme.strong()),
            Span::raw(clean(self.label)),
        ]))
        .render(header, buf);
        let tenths = self.elapsed.as_millis() / 100;
        let frame = SPINNER[(tenths % SPINNER.len() as u128) as usize];
        let mut facts = Vec::new();
        if let Some(b) = self.bytes {
            facts.push(crate::human::size(b));
        }
        facts.push(format!("{}.{} s", tenths / 10, tenths % 10));
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(format!("{frame} "), theme.key()),
                Span::styled("Loading…", theme.strong()),
            ]),
            Line::styled(facts.join(" · "), theme.muted()),
        ])
        .centered()
        .render(middle, buf);
        let mut hint = Vec::new();
        for (i, k) in QUIT_KEYS.iter().enumerate() {
            if i > 0 {
                hint.push(Span::raw("/"));
            }
            hint.push(Span::styled(k.label(), theme.key()));
        }
        hint.push(Span::raw(" quit, changing nothing"));
        Paragraph::new(Line::from(hint)).render(status, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    #[test]
    fn quit_keys() {
        let key = |c, m| KeyEvent::new(c, m);
        assert!(quits(&key(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert!(quits(&key(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(quits(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(!quits(&key(KeyCode::Char('c'), KeyModifiers::NONE)));
        assert!(!quits(&key(KeyCode::Char('r'), KeyModifiers::NONE)));
        assert!(!quits(&key(KeyCode::Enter, KeyModifiers::NONE)));
    }

    #[test]
    fn loader_waits_then_gives_the_result() {
        let (go, gate) = mpsc::channel::<()>();
        let loader = Loader::spawn(move || {
            let _ = gate.recv();
            42
        })
        .expect("spawn");
        assert!(!loader.wait(Duration::from_millis(20)), "still gated");
        assert!(!loader.wait(Duration::ZERO));
        go.send(()).expect("the loader listens");
        assert!(loader.wait(Duration::from_secs(10)));
        assert!(loader.wait(Duration::ZERO), "ended stays ended");
        assert_eq!(loader.join(), 42);
    }

    #[test]
    fn a_panic_in_the_work_carries_on_in_join() {
        let loader = Loader::spawn(|| -> u8 { panic!("boom in the loader") }).expect("spawn");
        assert!(
            loader.wait(Duration::from_secs(10)),
            "a panic ends the wait"
        );
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| loader.join()));
        let payload = caught.expect_err("join panics");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom in the loader"));
    }
}
