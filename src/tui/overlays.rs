//! Overlays drawn over the main screen: help, details, and the questions
//! (save, undo, unsaved choices, jar changed on disk).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::app::{After, App, Mode, Overlay};
use super::keymap::{self, BINDINGS};
use super::rows::{Group, Row};
use super::text;
use super::theme::Theme;
use super::view::clean;
use crate::classify::Scope;

/// Draws the open overlay, if any.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let Some(overlay) = app.overlay() else {
        return;
    };
    match overlay {
        Overlay::Help => {
            let lines = help_lines(app, theme);
            let inner = popup(area, 90, lines.len() + 2, " Help — Esc closes ", buf, theme);
            let scroll = app
                .help_scroll()
                .min(lines.len().saturating_sub(usize::from(inner.height)));
            Paragraph::new(lines)
                .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
                .render(inner, buf);
        }
        Overlay::Details => {
            let lines = details_lines(app, theme, true);
            let inner = popup(
                area,
                90,
                lines.len() + 3,
                " Details — Esc closes, j/k next, v values ",
                buf,
                theme,
            );
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(inner, buf);
        }
        Overlay::Confirm { .. } => {
            let s = app.session();
            let doc = &s.policy().doc;
            let names = |want: bool| -> String {
                let v: Vec<&str> = doc
                    .categories
                    .iter()
                    .zip(app.toggles())
                    .filter(|(_, on)| **on == want)
                    .map(|(c, _)| c.label.as_str())
                    .collect();
                if v.is_empty() {
                    "none".into()
                } else {
                    v.join(", ")
                }
            };
            let lines = vec![
                Line::styled(app.confirm_question(), theme.strong()),
                Line::from(""),
                Line::from(format!("Granted: {}", names(true))),
                Line::from(format!("Refused: {}", names(false))),
                Line::from(format!(
                    "A backup of {} is kept; u undoes the save.",
                    clean(&s.jar().path.display().to_string())
                )),
            ];
            question(area, " Save ", lines, Mode::Confirm, buf, theme);
        }
        Overlay::ConfirmUndo => {
            let lines = vec![
                Line::styled(
                    format!(
                        "Restore the newest backup of {}?",
                        clean(&app.session().jar().path.display().to_string())
                    ),
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
                        clean(&app.session().jar().path.display().to_string())
                    ),
                    theme.warn(),
                ),
                Line::from("Read it again? Your choices are kept; then s saves them."),
            ];
            question(
                area,
                " Jar changed on disk ",
                lines,
                Mode::Changed,
                buf,
                theme,
            );
        }
    }
}

/// Clears a centred box of `pct`% width and `height` rows (both capped to
/// `area`), draws its border and returns the inside.
fn popup(area: Rect, pct: u16, height: usize, title: &str, buf: &mut Buffer, theme: Theme) -> Rect {
    let height = u16::try_from(height).unwrap_or(u16::MAX).min(area.height);
    let rect = area.centered(Constraint::Percentage(pct), Constraint::Length(height));
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(title.to_string())
        .border_style(theme.focus_border());
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
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

fn hint_line(mode: Mode, theme: Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, word) in keymap::hints(mode) {
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {word}   ")));
    }
    spans.push(Span::styled("Esc", theme.key()));
    spans.push(Span::raw(" back"));
    Line::from(spans)
}

/// The help: every binding of the table, by mode, then the mouse and the markers.
pub fn help_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let order = [
        Mode::Normal,
        Mode::Filter,
        Mode::Details,
        Mode::Confirm,
        Mode::Unsaved,
    ];
    for mode in order {
        lines.push(Line::styled(mode.title().to_string(), theme.strong()));
        for b in BINDINGS.iter().filter(|b| b.modes.contains(&mode)) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<16}", b.keys_label()), theme.key()),
                Span::raw(b.description),
            ]));
        }
        if mode == Mode::Filter {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<16}", "any other key"), theme.key()),
                Span::raw("is text: the filter matches cookie names and domains"),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("Mouse", theme.strong()));
    if app.options().mouse {
        lines.push(Line::from(
            "  click selects; a click on [x]/[ ] toggles; the wheel scrolls (--no-mouse turns it off)",
        ));
    } else {
        lines.push(Line::from("  off (--no-mouse)"));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Markers", theme.strong()));
    for m in [
        "  [x] granted   [ ] refused   (required) cannot be refused",
        "  ✗ remove      the current choice removes this cookie when you save",
        "  undeclared    the policy does not declare this cookie",
        "  other         another site's cookie: never touched",
        "  > row         the selection    * unsaved   choices not saved yet",
    ] {
        lines.push(Line::from(m));
    }
    lines
}

fn field(name: &str, value: String, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<10}"), theme.muted()),
        Span::raw(value),
    ])
}

fn or_dash(s: &str) -> String {
    if s.is_empty() { "—".into() } else { clean(s) }
}

/// What the details pane (`full` false) or overlay (`full` true) shows for the
/// selected row.
pub fn details_lines(app: &App, theme: Theme, full: bool) -> Vec<Line<'static>> {
    let s = app.session();
    let doc = &s.policy().doc;
    match app.rows().get(app.row_selected()).copied() {
        None => vec![Line::from("Nothing selected.")],
        Some(Row::Header(Group::Category(c))) => {
            let Some(cat) = doc.categories.get(c) else {
                return vec![];
            };
            let on = app.toggles().get(c).copied().unwrap_or(false);
            let n = app.counts().get(c).copied().unwrap_or_default();
            let state = if cat.required {
                "required (locked)"
            } else if on {
                "granted"
            } else {
                "refused"
            };
            vec![
                Line::from(vec![
                    Span::styled(cat.label.clone(), theme.strong()),
                    Span::raw(format!(
                        " — {state}; {} kept, {} to remove",
                        n.keep, n.remove
                    )),
                ]),
                Line::from(cat.description.clone()),
            ]
        }
        Some(Row::Header(Group::OtherSites)) => vec![
            Line::styled("Other sites", theme.strong()),
            Line::from(format!(
                "{} of sites the policy does not cover for {}: shown, never removed.",
                text::cookies(app.other_count()),
                s.site()
            )),
        ],
        Some(Row::Cookie(i)) => cookie_details(app, i, theme, full),
    }
}

fn cookie_details(app: &App, i: usize, theme: Theme, full: bool) -> Vec<Line<'static>> {
    let s = app.session();
    let doc = &s.policy().doc;
    let (Some(c), Some(cl)) = (s.jar().cookies().get(i), s.classified().get(i)) else {
        return vec![];
    };
    let now = app.now().unix_timestamp();
    let action = app.decision().plan.actions.get(i).copied();
    let decl = cl.declaration_idx().and_then(|d| doc.cookies.get(d));
    let category = cl.category_idx().and_then(|k| doc.categories.get(k));
    let (marker, style) = match action {
        Some(a) if a.is_remove() => (format!("✗ remove: {}", a.reason()), theme.remove()),
        Some(a) => (format!("keep: {}", a.reason()), Style::new()),
        None => ("keep".to_string(), Style::new()),
    };
    let declared = match (cl.scope, decl) {
        (Scope::OtherSite, _) => "not in this policy's scope".to_string(),
        (_, Some(d)) => format!("yes, as {}", clean(&d.names.join(", "))),
        (_, None) => format!(
            "undeclared: the policy does not name it (counted as {})",
            category.map_or("?", |k| k.label.as_str())
        ),
    };
    let scope = match cl.scope {
        Scope::Site => format!("the site {}", s.site()),
        Scope::ThirdParty => "a third-party domain the policy names".to_string(),
        Scope::OtherSite => "another site: never touched".to_string(),
    };
    let value = if app.revealed() {
        if c.value.is_empty() {
            "(empty)".to_string()
        } else {
            clean(&c.value)
        }
    } else {
        format!("{} (v shows it)", text::MASK)
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(clean(&c.name), theme.strong()),
        Span::raw("  "),
        Span::styled(marker, style),
    ])];
    if !full {
        lines.push(Line::from(format!(
            "{} · {}",
            or_dash(decl.map_or("", |d| d.provider.as_str())),
            or_dash(decl.map_or("", |d| d.function.as_str()))
        )));
        lines.push(field(
            "Purpose",
            or_dash(decl.map_or("", |d| d.purpose.as_str())),
            theme,
        ));
        lines.push(field("Declared", declared, theme));
        lines.push(field("Value", value, theme));
        return lines;
    }
    lines.push(field(
        "Provider",
        or_dash(decl.map_or("", |d| d.provider.as_str())),
        theme,
    ));
    lines.push(field(
        "Function",
        or_dash(decl.map_or("", |d| d.function.as_str())),
        theme,
    ));
    lines.push(field(
        "Purpose",
        or_dash(decl.map_or("", |d| d.purpose.as_str())),
        theme,
    ));
    lines.push(field("Declared", declared, theme));
    lines.push(field(
        "Category",
        category.map_or("— (other site)".to_string(), |k| k.label.clone()),
        theme,
    ));
    lines.push(field("Scope", scope, theme));
    let domain_kind = if c.host_only {
        "host-only: sent to this host only"
    } else {
        "domain cookie: also sent to its subdomains"
    };
    lines.push(field(
        "Domain",
        format!("{} ({domain_kind})", clean(&text::domain(&c))),
        theme,
    ));
    lines.push(field("Path", clean(&c.path), theme));
    lines.push(field("Expires", text::expiry_long(c.expiry, now), theme));
    let yes = |b: bool| if b { "yes" } else { "no" };
    lines.push(field(
        "Flags",
        format!(
            "Secure {} · HttpOnly {} · SameSite {}",
            yes(c.secure),
            yes(c.http_only),
            c.same_site.as_str()
        ),
        theme,
    ));
    if !c.partition.is_empty() {
        lines.push(field("Partition", clean(&c.partition), theme));
    }
    lines.push(field("Record", c.key.to_string(), theme));
    lines.push(field("Value", value, theme));
    lines
}
