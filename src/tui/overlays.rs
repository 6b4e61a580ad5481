//! Overlays drawn over the main screen: help, details, and the questions
//! (save, undo, unsaved choices, jar changed on disk).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::details;
use super::event::After;
use super::help;
use super::keymap;
use super::layout;
use super::mode::{Mode, Overlay};
use super::text::clean;
use super::theme::Theme;

/// Draws the open overlay, if any.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let Some(overlay) = app.overlays().get() else {
        return;
    };
    let path = || clean(&app.session().jar().path.display().to_string());
    match overlay {
        Overlay::Help => {
            let width = layout::popup_inner_width(area, layout::POPUP_PCT);
            let lines = help::lines(app, theme, width);
            let title = " Help — Esc or q closes ";
            let inner = popup(area, layout::POPUP_PCT, lines.len() + 2, title, buf, theme);
            let scroll = app
                .overlays()
                .scroll()
                .min(lines.len().saturating_sub(usize::from(inner.height)));
            Paragraph::new(lines)
                .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
                .render(inner, buf);
        }
        Overlay::Details => details(app, area, buf, theme),
        Overlay::Confirm { .. } => question(
            area,
            " Save ",
            confirm_lines(app, theme),
            Mode::Confirm,
            buf,
            theme,
        ),
        Overlay::ConfirmUndo => {
            let lines = vec![
                Line::styled(
                    format!("Restore the newest backup of {}?", path()),
                    theme.strong(),
                ),
                Line::from("This undoes the last save. Choices not saved are dropped."),
            ];
            question(area, " Undo ", lines, Mode::ConfirmUndo, buf, theme);
        }
        Overlay::Unsaved { then } => {
            let site = clean(app.session().site());
            let ask = match then {
                After::Site(other) => format!(
                    "Your choices for {site} are not saved. Save them before managing {}?",
                    clean(other.label())
                ),
                _ => format!("Your choices for {site} are not saved. Save them before quitting?"),
            };
            let lines = vec![Line::styled(ask, theme.strong())];
            question(area, " Unsaved choices ", lines, Mode::Unsaved, buf, theme);
        }
        Overlay::Changed => {
            let lines = vec![
                Line::styled(
                    format!(
                        "{} changed on disk since crumbs read it. Nothing was written.",
                        path()
                    ),
                    theme.warn(),
                ),
                Line::from("Read it again? Your choices are kept; then s saves them."),
            ];
            let title = " Jar changed on disk ";
            question(area, title, lines, Mode::Changed, buf, theme);
        }
    }
}

/// The save confirmation: the question naming the effect, what is granted
/// and refused, and the backup.
fn confirm_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let s = app.session();
    let names = |want: bool| -> String {
        let v: Vec<&str> = s
            .policy()
            .doc
            .categories
            .iter()
            .zip(app.choices().toggles())
            .filter(|(_, on)| **on == want)
            .map(|(c, _)| c.label.as_str())
            .collect();
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    };
    vec![
        Line::styled(app.choices().confirm_question(s), theme.strong()),
        Line::from(""),
        Line::from(format!("Granted: {}", names(true))),
        Line::from(format!("Refused: {}", names(false))),
        Line::from(format!(
            "A backup of {} is kept; u undoes the save.",
            clean(&s.jar().path.display().to_string())
        )),
    ]
}

/// Clears a centred box of `pct`% width and `height` rows (see
/// [`layout::popup`]), draws its border and returns the inside.
fn popup(area: Rect, pct: u16, height: usize, title: &str, buf: &mut Buffer, theme: Theme) -> Rect {
    let rect = layout::popup(area, pct, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(title.to_string())
        .border_style(theme.focus_border());
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// The details popup: the selected row's facts, scrolled, with the keys on
/// its bottom border and, when it does not all fit, where the view is.
fn details(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let width = layout::popup_inner_width(area, layout::POPUP_PCT);
    let lines = details::popup_lines(app, theme, width);
    let n = lines.len();
    let inner = popup(area, layout::POPUP_PCT, n + 2, " Details ", buf, theme);
    let h = usize::from(inner.height);
    let scroll = app.overlays().scroll().min(n.saturating_sub(h));
    Paragraph::new(lines)
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .render(inner, buf);
    let bottom = Rect::new(inner.x, inner.bottom(), inner.width, 1);
    if bottom.bottom() > area.bottom() || inner.width == 0 {
        return;
    }
    let more = if n > h {
        let arrow = match (scroll > 0, scroll + h < n) {
            (true, true) => "↑↓",
            (false, true) => "↓",
            _ => "↑",
        };
        format!(" {arrow} {}-{} of {n} ", scroll + 1, (scroll + h).min(n))
    } else {
        String::new()
    };
    let [keys, place] = bottom.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(more.width() as u16),
    ]));
    Paragraph::new(Span::styled(more, theme.key())).render(place, buf);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, word) in keymap::hints(Mode::Details) {
        let word = format!(" {word} ");
        used += key.width() + word.width();
        if used > usize::from(keys.width) {
            break;
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(word));
    }
    Paragraph::new(Line::from(spans)).render(keys, buf);
}

/// A question box: the text (wrapped) above, the answers of `mode` from the
/// bindings table on the bottom line, where they stay visible however it wraps.
fn question(
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    mode: Mode,
    buf: &mut Buffer,
    theme: Theme,
) {
    // Long questions wrap: leave room for a few extra lines.
    let height = lines.len() + 6;
    let pct = if area.width < 80 { 96 } else { 80 };
    let inner = popup(area, pct, height, title, buf, theme);
    let [text, _, answers] = inner.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(text, buf);
    Paragraph::new(hint_line(mode, theme)).render(answers, buf);
}

/// The dialog's answers, from the key table and spelt as the status line's hints.
fn hint_line(mode: Mode, theme: Theme) -> Line<'static> {
    let hints: Vec<(String, String)> = keymap::hints(mode)
        .into_iter()
        .map(|(key, word)| (key, word.to_string()))
        .collect();
    let mut spans = Vec::new();
    super::status_line::push_hints(&mut spans, &hints, theme);
    Line::from(spans)
}
