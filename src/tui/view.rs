//! The main screen: `impl Widget for &App`. Rendering reads state only, and
//! builds only the rows in view, so a huge jar costs what a small one does.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::{App, Pane};
use super::categories::{self, CategoryItem};
use super::details;
use super::layout::{self, Areas, NARROW_COOKIES, window};
use super::mode::Mode;
use super::overlays;
use super::rows::{Group, Row};
use super::status_line;
use super::text::{self, cell, clean};
use super::theme::Theme;
use crate::classify::Relation;
use crate::human::compact;
use crate::plan::{Action, RemoveReason};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = Theme::new(self.options().color);
        let a = layout::areas(area, self.shape());
        header(self, a.header, buf, theme);
        if a.sites.height > 0 {
            sites(self, &a, buf, theme);
        }
        categories(self, &a, buf, theme);
        cookies(self, &a, buf, theme);
        if a.details.height > 0 {
            let block = Block::bordered().title(" Details ");
            let inner = block.inner(a.details);
            block.render(a.details, buf);
            Paragraph::new(details::pane_lines(self, theme, inner.width)).render(inner, buf);
        }
        status_line::render(self, a.status, buf, theme);
        overlays::render(self, area, buf, theme);
    }
}

/// A pane's frame; the focused one says so in its title, not by colour alone.
fn pane_block(title: String, focused: bool, theme: Theme) -> Block<'static> {
    if focused {
        Block::bordered()
            .title(format!("▶{title}"))
            .border_style(theme.focus_border())
    } else {
        Block::bordered().title(title)
    }
}

fn header(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    use Constraint::{Fill, Length};
    let s = app.session();
    let doc = &s.policy().doc;
    let [l1, l2, l3] = area.layout(&Layout::vertical([Length(1); 3]));
    let unsaved = if app.choices().dirty() {
        " * unsaved "
    } else {
        ""
    };
    let [left, right] = l1.layout(&Layout::horizontal([
        Fill(1),
        Length(unsaved.width() as u16),
    ]));
    // A long path shortens from the middle, keeping the file's name.
    let format = format!(" ({})", s.jar().format().as_str());
    let mut demo = if app.options().demo {
        " · demo: a temporary copy of the embedded jar"
    } else {
        ""
    };
    let path = clean(&s.jar().path.display().to_string());
    let room = usize::from(left.width).saturating_sub("crumbs ".len() + format.width());
    // The demo's note goes short only when the path would otherwise be cut
    // below a readable length.
    if path.width() + demo.width() > room && room.saturating_sub(demo.width()) < 24 {
        demo = if demo.is_empty() { "" } else { " · demo copy" };
    }
    let path = text::shorten_middle(&path, room.saturating_sub(demo.width()).max(12));
    let mut first = vec![
        Span::styled("crumbs ", theme.strong()),
        Span::raw(path),
        Span::raw(format),
    ];
    if !demo.is_empty() {
        first.push(Span::styled(demo, theme.warn()));
    }
    Paragraph::new(Line::from(first)).render(left, buf);
    Paragraph::new(Span::styled(unsaved, theme.warn())).render(right, buf);
    let site = clean(s.site());
    let room =
        usize::from(l2.width).saturating_sub("site ".len() + site.width() + "  policy ".len());
    Paragraph::new(Line::from(vec![
        Span::styled("site ", theme.muted()),
        Span::styled(site, theme.strong()),
        Span::styled("  policy ", theme.muted()),
        Span::raw(policy_label(&clean(&doc.name), &doc.revision, room)),
    ]))
    .render(l2, buf);
    let state = app.choices().in_force().state;
    let state_style = if state.needs_review() {
        theme.warn()
    } else {
        Style::new()
    };
    Paragraph::new(Line::from(vec![
        Span::styled("consent ", theme.muted()),
        Span::styled(
            text::cut(
                &text::consent_state(app.choices().in_force(), &s.policy().hash),
                usize::from(l3.width).saturating_sub("consent ".len()),
            ),
            state_style,
        ),
    ]))
    .render(l3, buf);
}

/// The policy's name and revision in `room` columns: the revision goes first,
/// then the name is cut with `…`, so a narrow header never ends mid-word unmarked.
fn policy_label(name: &str, revision: &str, room: usize) -> String {
    let full = format!("{name} (revision {revision})");
    if full.width() <= room {
        full
    } else {
        text::cut(name, room)
    }
}

fn sites(app: &App, a: &Areas, buf: &mut Buffer, theme: Theme) {
    let focused = app.focus() == Pane::Sites && app.mode() == Mode::Normal;
    pane_block(
        format!(" Sites ({}) ", app.picker().sites().len()),
        focused,
        theme,
    )
    .render(a.sites, buf);
    let current = app.session().scope();
    let lines: Vec<Line> = app
        .picker()
        .sites()
        .iter()
        .enumerate()
        .skip(a.site_offset)
        .take(usize::from(a.site_rows.height))
        .map(|(i, scope)| {
            let sel = i == app.picker().selected();
            let mark = if sel { "> " } else { "  " };
            let managing = if scope == current { "(•) " } else { "( ) " };
            let line = Line::from(format!("{mark}{managing}{}", clean(scope.label())));
            selected(line, sel, focused, theme)
        })
        .collect();
    Paragraph::new(lines).render(a.site_rows, buf);
}

fn categories(app: &App, a: &Areas, buf: &mut Buffer, theme: Theme) {
    let focused = app.focus() == Pane::Categories && app.mode() == Mode::Normal;
    pane_block(" Categories ".into(), focused, theme).render(a.categories, buf);
    let w = layout::category_widths(a.category_head.width, app.count_widths());
    let wide = layout::wide_categories(a.category_head.width);
    Paragraph::new(Span::styled(
        columns(
            &["", "category", "keep", if wide { "remove" } else { "rm" }],
            &w,
        ),
        theme.muted(),
    ))
    .render(a.category_head, buf);
    let lines: Vec<Line> = (a.category_offset..app.categories().len())
        .take(usize::from(a.category_rows.height))
        .map(|i| category_line(app, i, &w, focused, theme))
        .collect();
    Paragraph::new(lines).render(a.category_rows, buf);
    // The selected category, explained.
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.muted());
    let inner = block.inner(a.description);
    block.render(a.description, buf);
    Paragraph::new(category_about(app, theme))
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

/// `parts` each cut or padded to its column's width, side by side.
fn columns(parts: &[&str], widths: &[u16]) -> String {
    parts.iter().zip(widths).map(|(p, &w)| cell(p, w)).collect()
}

/// Entry `i` of the categories pane: checkbox, label, keep and remove counts.
fn category_line(app: &App, i: usize, w: &[u16], focused: bool, theme: Theme) -> Line<'static> {
    let counts = app.choices().counts();
    let sel = i == app.categories().selected();
    let mark = if sel { ">" } else { " " };
    let (check, label, keep, remove, style) = match app.categories().item(i) {
        CategoryItem::All => (
            "   ",
            "All cookies".to_string(),
            compact(counts.iter().map(|c| c.keep).sum::<usize>()),
            compact(counts.iter().map(|c| c.remove).sum::<usize>()),
            Style::new(),
        ),
        CategoryItem::Category(c) => {
            let cat = &app.session().policy().doc.categories[c];
            let on = app.choices().toggles().get(c).copied().unwrap_or(false);
            let n = counts.get(c).copied().unwrap_or_default();
            let label = categories::label(cat);
            let style = if n.remove > 0 {
                theme.remove()
            } else {
                Style::new()
            };
            let check = if on { "[x]" } else { "[ ]" };
            (check, label, compact(n.keep), compact(n.remove), style)
        }
        CategoryItem::OtherSites => (
            "   ",
            categories::other_sites_label(app.session().scope().kind()).to_string(),
            compact(app.list().groups().other.len()),
            "-".to_string(),
            theme.muted(),
        ),
    };
    let text = columns(&[&format!("{mark}{check}"), &label, &keep, &remove], w);
    selected(Line::from(Span::styled(text, style)), sel, focused, theme)
}

/// `line`, highlighted when `sel`.
fn selected(line: Line<'static>, sel: bool, focused: bool, theme: Theme) -> Line<'static> {
    if sel {
        line.style(theme.selected(focused))
    } else {
        line
    }
}

/// What the selected entry of the categories pane is.
fn category_about(app: &App, theme: Theme) -> Vec<Line<'static>> {
    match app.categories().selected_item() {
        CategoryItem::All => vec![Line::from(
            "Every cookie of the jar, grouped by category. Space on a category grants or refuses it.",
        )],
        CategoryItem::Category(c) => {
            let cat = &app.session().policy().doc.categories[c];
            let on = app.choices().toggles().get(c).copied().unwrap_or(false);
            let state = if cat.required {
                "required: always kept, cannot be refused"
            } else if on {
                "granted: its cookies are kept"
            } else {
                "refused: its cookies are removed on save"
            };
            vec![
                Line::from(vec![
                    Span::styled(cat.label.clone(), theme.strong()),
                    Span::raw(format!(" — {state}")),
                ]),
                Line::from(cat.description.clone()),
            ]
        }
        CategoryItem::OtherSites => vec![Line::from(format!(
            "Cookies of sites the policy does not cover for {}. crumbs shows them and never removes them.",
            app.session().site()
        ))],
    }
}

fn cookies(app: &App, a: &Areas, buf: &mut Buffer, theme: Theme) {
    let focused = app.focus() == Pane::Cookies && matches!(app.mode(), Mode::Normal | Mode::Filter);
    pane_block(cookies_title(app), focused, theme).render(a.cookies, buf);
    let narrow = a.cookie_head.width < NARROW_COOKIES;
    let action = if narrow { "✗" } else { "action" };
    let list = app.list();
    let rows = list.rows();
    let height = usize::from(a.cookie_rows.height);
    let offset = window(list.offset(), list.selected(), rows.len(), height);
    let in_view = rows.iter().skip(offset).take(height);
    let w = layout::cookie_widths(a.cookie_head.width, wanted(app, in_view));
    let note = if w[4] < layout::NOTE_WORDS {
        ""
    } else {
        "note"
    };
    let titles = [
        "", action, "name", "domain", note, "expires", "path", "flags",
    ];
    Paragraph::new(Span::styled(columns(&titles, &w), theme.muted())).render(a.cookie_head, buf);
    if rows.is_empty() {
        let msg = if list.filter().is_empty() {
            "No cookies here."
        } else {
            "No cookie matches the filter (Esc clears it)."
        };
        Paragraph::new(Span::styled(msg, theme.muted())).render(a.cookie_rows, buf);
        return;
    }
    let full = a.cookie_rows.width;
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let sel = i == list.selected();
            let mark = if sel { ">" } else { " " };
            let line = match *row {
                Row::Header(g) => group_header(app, g, mark, full, theme),
                Row::Cookie(ci) => cookie_line(app, ci, mark, &w, theme),
            };
            selected(line, sel, focused, theme)
        })
        .collect();
    Paragraph::new(lines).render(a.cookie_rows, buf);
}

/// What the cookies in `rows` want of the columns: their longest name,
/// domain, path and flags, and whether one has a note.
fn wanted<'r>(app: &App, rows: impl Iterator<Item = &'r Row>) -> layout::Wanted {
    let s = app.session();
    let cookies = s.jar().cookies();
    let width = |s: &str| u16::try_from(s.width()).unwrap_or(u16::MAX);
    let mut w = layout::Wanted::default();
    for row in rows {
        if let Row::Cookie(i) = row
            && let Some(c) = cookies.get(*i)
        {
            w.name = w.name.max(width(&c.name));
            w.domain = w.domain.max(width(&text::domain(&c)));
            w.path = w.path.max(width(&c.path));
            w.flags = w.flags.max(width(&text::flags(&c)));
            w.note |= !note(app, *i, false).is_empty();
        }
    }
    w
}

/// The note on cookie `ci`: in words (`undeclared`, `preferences`) when
/// `words`, else a mark the help explains (`?`, `p`); empty when none.
fn note(app: &App, ci: usize, words: bool) -> &'static str {
    let cl = app.session().classified().get(ci);
    match (
        cl.is_some_and(|k| k.preferences),
        cl.is_some_and(|k| k.undeclared()),
        words,
    ) {
        (true, _, true) => "preferences",
        (true, _, false) => "p",
        (false, true, true) => "undeclared",
        (false, true, false) => "?",
        _ => "",
    }
}

/// The cookies pane's title: what it shows, and the filter.
fn cookies_title(app: &App) -> String {
    let list = app.list();
    let what = match app.categories().selected_item() {
        CategoryItem::All => "all".to_string(),
        CategoryItem::Category(c) => app.session().policy().doc.categories[c].label.clone(),
        CategoryItem::OtherSites => "other sites".to_string(),
    };
    let mut title = format!(" Cookies · {what}");
    if let Some((filter, percent)) = list.filtering().filter(|(f, _)| !f.is_empty()) {
        title.push_str(&format!(" · filtering \"{filter}\"… {percent}%"));
    } else if !list.filter().is_empty() {
        let shown = list.shown();
        title.push_str(&format!(
            " · filter \"{}\" ({})",
            list.filter(),
            crate::human::count(shown, "match")
        ));
    }
    title.push(' ');
    title
}

/// A group's header row in the cookies pane, `width` wide.
fn group_header(app: &App, group: Group, mark: &str, width: u16, theme: Theme) -> Line<'static> {
    match group {
        Group::Category(c) => {
            let n = app.choices().counts().get(c).copied().unwrap_or_default();
            let doc = &app.session().policy().doc;
            let label = doc.categories.get(c).map_or("?", |k| k.label.as_str());
            let mut t = format!("{mark} ▾ {label} — {}", text::cookies(n.keep + n.remove));
            if n.remove > 0 {
                t.push_str(&format!(", {} to remove", n.remove));
            }
            Line::from(Span::styled(cell(&t, width), theme.strong()))
        }
        Group::OtherSites => {
            let all = app.categories().selected_item() == CategoryItem::All;
            let open = !all || app.list().other_expanded() || !app.list().filter().is_empty();
            let arrow = if open { "▾" } else { "▸" };
            let hint = if open { "" } else { " · Enter shows them" };
            let what = match app.session().scope().kind() {
                crate::scopes::ScopeKind::Others => "Declared sites — {n}, in their own scopes",
                _ => "Other sites — {n}, never touched",
            };
            let n = text::cookies(app.list().groups().other.len());
            let t = format!("{mark} {arrow} {}{hint}", what.replace("{n}", &n));
            Line::from(Span::styled(cell(&t, width), theme.muted()))
        }
    }
}

/// Cookie `ci`'s row in the cookies pane, in the columns `w`.
fn cookie_line(app: &App, ci: usize, mark: &str, w: &[u16; 8], theme: Theme) -> Line<'static> {
    let s = app.session();
    let Some(c) = s.jar().cookies().get(ci) else {
        return Line::from("");
    };
    let cl = s.classified().get(ci);
    let actions = &app.choices().decision().plan.actions;
    let remove = actions.get(ci).is_some_and(|a| a.is_remove());
    let marked = actions.get(ci) == Some(&Action::Remove(RemoveReason::Marked));
    let other = cl.is_none_or(|k| k.relation == Relation::OtherSite);
    let narrow = w[1] < 9;
    let action = match (remove, other, narrow) {
        // Marked with `d`: said apart from what the categories remove.
        (true, _, true) if marked => "d",
        (true, _, false) if marked => "✗ marked",
        (true, _, true) => "✗",
        (true, _, false) => "✗ remove",
        (false, _, true) => "",
        (false, true, false) => "  other",
        (false, false, false) => "  keep",
    };
    let note = note(app, ci, w[4] >= layout::NOTE_WORDS);
    let name = clean(&c.name);
    let style = if remove {
        theme.remove()
    } else if other {
        theme.muted()
    } else {
        Style::new()
    };
    let now = app.now().unix_timestamp();
    let optional = [
        (w[4], cell(note, w[4]), theme.undeclared()),
        (
            w[5],
            cell(&text::expiry_short(c.expiry, now), w[5]),
            Style::new(),
        ),
        (w[6], cell(&clean(&c.path), w[6]), Style::new()),
        (w[7], cell(&text::flags(&c), w[7]), Style::new()),
    ];
    let mut spans = vec![
        Span::raw(cell(mark, w[0])),
        Span::styled(cell(action, w[1]), style),
        Span::styled(cell(&name, w[2]), style),
        Span::raw(cell(&clean(&text::domain(&c)), w[3])),
    ];
    spans.extend(
        optional
            .into_iter()
            .filter(|(width, _, _)| *width > 0)
            .map(|(_, text, style)| Span::styled(text, style)),
    );
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_fit() {
        assert_eq!(cell("abc", 5), "abc  ");
        assert_eq!(cell("abcdef", 5), "abc… ");
        assert_eq!(cell("abc", 1), " ");
        assert_eq!(cell("abc", 0), "");
        assert_eq!(clean("a\u{1b}[31m"), "a\u{FFFD}[31m");
    }

    #[test]
    fn the_policy_label_drops_the_revision_then_cuts_the_name() {
        let name = "Opendatasoft platform cookie policy";
        assert_eq!(
            policy_label(name, "2024-05-01", 60),
            "Opendatasoft platform cookie policy (revision 2024-05-01)"
        );
        assert_eq!(policy_label(name, "2024-05-01", 40), name);
        assert_eq!(policy_label(name, "2024-05-01", 20), "Opendatasoft platfo…");
        assert_eq!(policy_label(name, "2024-05-01", 0), "");
    }
}
