//! What the help says: the last messages (so a message cut on the status
//! line, or gone, can be read again), then every binding of the table by mode
//! ([`keymap::help`]). The app counts these lines to scroll, the view draws them.

use ratatui::text::{Line, Span};

use super::app::App;
use super::keymap::{self, HelpLine};
use super::status::Level;
use super::text;
use super::theme::Theme;

/// Messages the help shows, newest first.
pub const MESSAGES: usize = 5;

/// The help's lines for a popup `width` columns wide inside.
pub fn lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let log = app.log();
    if !log.is_empty() {
        lines.push(Line::styled("Last messages (newest first)", theme.strong()));
        for m in log.iter().rev().take(MESSAGES) {
            let style = match m.level {
                Level::Warn => theme.warn(),
                Level::Info => ratatui::style::Style::new(),
            };
            let bang = if m.level == Level::Warn { "! " } else { "" };
            let text = format!("{bang}{}", m.text);
            for (i, part) in text::wrap(&text, usize::from(width).saturating_sub(4))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { "  · " } else { "    " };
                lines.push(Line::from(vec![Span::raw(lead), Span::styled(part, style)]));
            }
        }
        lines.push(Line::from(""));
    }
    // Keys take 18 columns; what they do wraps beside them.
    let room = usize::from(width).saturating_sub(18).max(10);
    for l in keymap::help(app.options().mouse) {
        match l {
            HelpLine::Title(t) => lines.push(Line::styled(t, theme.strong())),
            HelpLine::Keys(keys, what) => {
                for (i, part) in text::wrap(what, room).into_iter().enumerate() {
                    let keys = if i == 0 { keys.as_str() } else { "" };
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {keys:<16}"), theme.key()),
                        Span::raw(part),
                    ]));
                }
            }
            HelpLine::Text(t) => lines.push(Line::from(t)),
            HelpLine::Blank => lines.push(Line::from("")),
        }
    }
    lines
}
