//! Overlays drawn over the main screen: help, details, and the questions
//! (save, undo, unsaved choices, jar changed on disk).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::app::App;
use super::event::After;
use super::keymap::{self, HelpLine};
use super::mode::{Mode, Overlay};
use super::rows::{Group, Row};
use super::text;
use super::theme::Theme;
use super::view::clean;
use crate::classify::Relation;
use crate::model::Cookie;
use crate::policy::Declaration;

/// Draws the open overlay, if any.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let Some(overlay) = app.overlays().get() else {
        return;
    };
    let path = || clean(&app.session().jar().path.display().to_string());
    match overlay {
        Overlay::Help => {
            let lines = help_lines(app, theme);
            let inner = popup(area, 90, lines.len() + 2, " Help — Esc closes ", buf, theme);
            let scroll = app
                .overlays()
                .help_scroll()
                .min(lines.len().saturating_sub(usize::from(inner.height)));
            Paragraph::new(lines)
                .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
                .render(inner, buf);
        }
        Overlay::Details => {
            let lines = details_lines(app, theme, true);
            let title = " Details — Esc closes, j/k next, v values ";
            let inner = popup(area, 90, lines.len() + 3, title, buf, theme);
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(inner, buf);
        }
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

/// The help (the bindings table's, see [`keymap::help`]), styled.
pub fn help_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    keymap::help(app.options().mouse)
        .into_iter()
        .map(|l| match l {
            HelpLine::Title(t) => Line::styled(t, theme.strong()),
            HelpLine::Keys(keys, what) => Line::from(vec![
                Span::styled(format!("  {keys:<16}"), theme.key()),
                Span::raw(what),
            ]),
            HelpLine::Text(t) => Line::from(t),
            HelpLine::Blank => Line::from(""),
        })
        .collect()
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
    match app.list().selected_row() {
        None => vec![Line::from("Nothing selected.")],
        Some(Row::Header(Group::Category(c))) => {
            let Some(cat) = doc.categories.get(c) else {
                return vec![];
            };
            let on = app.choices().toggles().get(c).copied().unwrap_or(false);
            let n = app.choices().counts().get(c).copied().unwrap_or_default();
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
                text::cookies(app.list().groups().other.len()),
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
    let action = app.choices().decision().plan.actions.get(i).copied();
    let decl = cl.declaration_idx().and_then(|d| doc.cookies.get(d));
    let category = cl.category_idx().and_then(|k| doc.categories.get(k));
    let (marker, style) = match action {
        Some(a) if a.is_remove() => (format!("✗ remove: {}", a.reason()), theme.remove()),
        Some(a) => (format!("keep: {}", a.reason()), Style::new()),
        None => ("keep".to_string(), Style::new()),
    };
    let declared = match (cl.relation, decl) {
        (Relation::OtherSite, _) => "not in this policy's scope".to_string(),
        (_, Some(d)) => format!("yes, as {}", clean(&d.names.join(", "))),
        (_, None) => format!(
            "undeclared: the policy does not name it (counted as {})",
            category.map_or("?", |k| k.label.as_str())
        ),
    };
    let value = if !app.revealed() {
        format!("{} (v shows it)", text::MASK)
    } else if c.value.is_empty() {
        "(empty)".to_string()
    } else {
        clean(&c.value)
    };
    let said = |f: fn(&Declaration) -> &str| or_dash(decl.map_or("", f));
    let mut lines = vec![Line::from(vec![
        Span::styled(clean(&c.name), theme.strong()),
        Span::raw("  "),
        Span::styled(marker, style),
    ])];
    if !full {
        lines.push(Line::from(format!(
            "{} · {}",
            said(|d| &d.provider),
            said(|d| &d.function)
        )));
        lines.push(field("Purpose", said(|d| &d.purpose), theme));
        lines.push(field("Declared", declared, theme));
        lines.push(field("Value", value, theme));
        return lines;
    }
    lines.push(field("Provider", said(|d| &d.provider), theme));
    lines.push(field("Function", said(|d| &d.function), theme));
    lines.push(field("Purpose", said(|d| &d.purpose), theme));
    lines.push(field("Declared", declared, theme));
    let category = category.map_or("— (other site)".to_string(), |k| k.label.clone());
    lines.push(field("Category", category, theme));
    lines.extend(cookie_facts(app, &c, cl.relation, theme));
    lines.push(field("Value", value, theme));
    lines
}

/// The details overlay's lines on where the cookie goes and how long it
/// lasts: scope, domain, path, expiry, flags, partition, record.
fn cookie_facts(app: &App, c: &Cookie, relation: Relation, theme: Theme) -> Vec<Line<'static>> {
    let scope = match relation {
        Relation::Site => format!("the site {}", app.session().site()),
        Relation::ThirdParty => "a third-party domain the policy names".to_string(),
        Relation::OtherSite => "another site: never touched".to_string(),
    };
    let domain_kind = if c.host_only {
        "host-only: sent to this host only"
    } else {
        "domain cookie: also sent to its subdomains"
    };
    let now = app.now().unix_timestamp();
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut lines = vec![
        field("Scope", scope, theme),
        field(
            "Domain",
            format!("{} ({domain_kind})", clean(&text::domain(c))),
            theme,
        ),
        field("Path", clean(&c.path), theme),
        field("Expires", text::expiry_long(c.expiry, now), theme),
        field(
            "Flags",
            format!(
                "Secure {} · HttpOnly {} · SameSite {}",
                yes(c.secure),
                yes(c.http_only),
                c.same_site.as_str()
            ),
            theme,
        ),
    ];
    if !c.partition.is_empty() {
        lines.push(field("Partition", clean(&c.partition), theme));
    }
    lines.push(field("Record", c.key.to_string(), theme));
    lines
}
