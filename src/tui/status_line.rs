//! The status line: the message (or the keys' hints), the removal counter,
//! and the help key, always on the main screen. When space is short the
//! message wins over the counter, the jar's path in it shortens from the
//! middle and the rest is cut at a word (the help lists the last messages
//! whole); hints shorten to their first word before the least useful go.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::app::App;
use super::keymap;
use super::mode::Mode;
use super::status::{Level, Message};
use super::text;
use super::theme::Theme;
use crate::human::compact;

/// Draws the status line of `app` into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let mode = app.mode();
    let help = help_key(mode);
    let help_w = help.as_ref().map_or(0, |k| k.width() + " help".width() + 1);
    let counter = counter(app);
    let room = usize::from(area.width).saturating_sub(help_w);
    let mut spans = Vec::new();
    let mut show_counter = true;
    if mode == Mode::Filter {
        spans.push(Span::styled("/", theme.key()));
        spans.push(Span::raw(format!("{}█  ", app.list().filter())));
        let used = 3 + app.list().filter().width();
        let left = room.saturating_sub(used + counter.width());
        push_hints(&mut spans, &fit_hints(keymap::hints(mode), left), theme);
    } else if let Some(m) = app.message() {
        let path = app.session().jar().path.display().to_string();
        let whole = message_text(m, &path, usize::MAX);
        show_counter = whole.width() + counter.width() <= room;
        let text = if show_counter {
            whole
        } else {
            message_text(m, &path, room)
        };
        spans.push(match m.level {
            Level::Warn => Span::styled(text, theme.warn()),
            Level::Info => Span::raw(text),
        });
    } else {
        let left = room.saturating_sub(counter.width());
        push_hints(&mut spans, &fit_hints(hints(mode), left), theme);
    }
    let counter = if show_counter { counter } else { String::new() };
    let [left, right, end] = area.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(counter.width() as u16),
        Constraint::Length(help_w as u16),
    ]));
    Paragraph::new(Line::from(spans)).render(left, buf);
    Paragraph::new(Span::styled(counter, theme.muted())).render(right, buf);
    if let Some(key) = help {
        Paragraph::new(Line::from(vec![
            Span::raw(" "),
            Span::styled(key, theme.key()),
            Span::raw(" help"),
        ]))
        .render(end, buf);
    }
}

/// The key that opens the help in `mode`, if one does.
fn help_key(mode: Mode) -> Option<String> {
    keymap::for_mode(mode)
        .find(|b| b.action == Action::Help)
        .map(|b| b.keys[0].label())
}

/// The mode's hints but the help's, which has its own place.
fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    let help = help_key(mode);
    keymap::hints(mode)
        .into_iter()
        .filter(|(key, _)| Some(key) != help.as_ref())
        .collect()
}

/// `14 of 22 to remove`, in compact numbers.
fn counter(app: &App) -> String {
    let total = app.session().jar().cookies().len();
    let remove = app.choices().removals();
    format!(
        " {} of {} to remove ",
        compact(remove),
        compact(total).replace(' ', "")
    )
}

/// The message, with a warning's `!`, in `width` columns: the jar's `path`
/// shortened from the middle first, then cut at a word.
pub fn message_text(m: &Message, path: &str, width: usize) -> String {
    let bang = if m.level == Level::Warn { "! " } else { "" };
    let whole = format!("{bang}{}", m.text);
    let over = whole.width().saturating_sub(width);
    if over == 0 {
        return whole;
    }
    let shorter = if path.is_empty() || !whole.contains(path) {
        whole
    } else {
        // Never below `…/` and the file's name: that is what says which jar.
        let name = path.rsplit('/').next().unwrap_or(path);
        let keep = path.width().saturating_sub(over).max(name.width() + 2);
        whole.replace(path, &text::shorten_middle(path, keep))
    };
    text::cut_words(&shorter, width)
}

/// As many hints as fit in `width`: all in full; else each shortened to its
/// first word (`a accept`); else the least useful dropped.
fn fit_hints(hints: Vec<(String, &'static str)>, width: usize) -> Vec<(String, String)> {
    let size = |h: &[(String, String)]| -> usize {
        h.iter().map(|(k, w)| k.width() + w.width() + 3).sum()
    };
    let full: Vec<(String, String)> = hints
        .iter()
        .map(|(k, w)| (k.clone(), w.to_string()))
        .collect();
    if size(&full) <= width {
        return full;
    }
    let mut short: Vec<(String, String)> = hints
        .iter()
        .map(|(k, w)| (k.clone(), w.split(' ').next().unwrap_or(w).to_string()))
        .collect();
    while size(&short) > width && !short.is_empty() {
        short.pop();
    }
    short
}

/// Appends `key word` pairs, the way every hint row spells them.
pub(super) fn push_hints(spans: &mut Vec<Span<'static>>, hints: &[(String, String)], theme: Theme) {
    for (key, word) in hints {
        spans.push(Span::styled(key.clone(), theme.key()));
        spans.push(Span::raw(format!(" {word}  ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_shorten_before_they_go() {
        let h = || {
            vec![
                ("a".to_string(), "accept all"),
                ("r".to_string(), "reject all"),
                ("s".to_string(), "save"),
            ]
        };
        let words = |w: usize| -> Vec<String> {
            fit_hints(h(), w)
                .into_iter()
                .map(|(k, w)| format!("{k} {w}"))
                .collect()
        };
        assert_eq!(words(40), ["a accept all", "r reject all", "s save"]);
        assert_eq!(words(30), ["a accept", "r reject", "s save"]);
        assert_eq!(words(20), ["a accept", "r reject"]);
        assert!(words(3).is_empty());
    }

    #[test]
    fn a_message_shortens_the_path_then_cuts_at_a_word() {
        let path = "/tmp/crumbs-demo-lf4Lhl/cookies.txt";
        let m = Message::info(format!(
            "Saved {path}: removed 14 cookies; choice stored for robertleaf.my.opendatasoft.com; u undoes"
        ));
        let t = message_text(&m, path, 80);
        assert!(t.width() <= 80, "{t}");
        assert!(
            t.starts_with("Saved …/cookies.txt: removed 14 cookies; choice stored"),
            "{t}"
        );
        let w = Message::warn("Consent for a.test: unrecognised value in the jar");
        assert_eq!(
            message_text(&w, path, 40),
            "! Consent for a.test: unrecognised…"
        );
        assert_eq!(message_text(&w, "", 200), format!("! {}", w.text));
    }
}
