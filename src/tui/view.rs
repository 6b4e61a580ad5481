//! The main screen: `impl Widget for &App`. Rendering reads state only, and
//! builds only the rows in view, so a huge jar costs what a small one does.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::{App, CategoryItem, Level, Mode, Pane};
use super::keymap;
use super::overlays;
use super::rows::{Group, Row};
use super::text;
use super::theme::Theme;
use crate::classify::Scope;

/// Width of the `>[x] ` column of the categories pane (a click in it toggles).
pub const CHECKBOX_WIDTH: u16 = 5;

/// Where everything goes, for a terminal of a given size. The view draws into
/// these areas and the app hit-tests mouse clicks against the same ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// The three header lines.
    pub header: Rect,
    /// Everything between the header and the details pane.
    pub body: Rect,
    /// The site picker (empty unless the jar holds several sites).
    pub sites: Rect,
    /// The picker's rows.
    pub site_rows: Rect,
    /// First site in view.
    pub site_offset: usize,
    /// The categories pane.
    pub categories: Rect,
    /// Its column titles.
    pub category_head: Rect,
    /// Its rows.
    pub category_rows: Rect,
    /// First entry in view.
    pub category_offset: usize,
    /// The selected category's description.
    pub description: Rect,
    /// The cookies pane.
    pub cookies: Rect,
    /// Its column titles.
    pub cookie_head: Rect,
    /// Its rows.
    pub cookie_rows: Rect,
    /// The details pane (empty on short terminals; Enter shows details then).
    pub details: Rect,
    /// The status line.
    pub status: Rect,
}

/// Lays out a terminal of size `area` for `app`.
pub fn areas(area: Rect, app: &App) -> Areas {
    use Constraint::{Fill, Length, Percentage};
    let details_h = if area.height >= 24 { 7 } else { 0 };
    let [header, body, details, status] = area.layout(&Layout::vertical([
        Length(3),
        Fill(1),
        Length(details_h),
        Length(1),
    ]));
    let left_w = match area.width {
        100.. => Length(40),
        80..100 => Percentage(42),
        _ => Percentage(50),
    };
    let [left, cookies] = body.layout(&Layout::horizontal([left_w, Fill(1)]));
    let n_sites = app.sites().len();
    let sites_h = if n_sites > 1 {
        n_sites.min(3) as u16 + 2
    } else {
        0
    };
    let [sites, categories] = left.layout(&Layout::vertical([Length(sites_h), Fill(1)]));
    let site_rows = if sites_h > 0 {
        Block::bordered().inner(sites)
    } else {
        Rect::default()
    };
    let items = app.category_item_count();
    let [category_head, category_rows, description] =
        Block::bordered()
            .inner(categories)
            .layout(&Layout::vertical([
                Length(1),
                Length(u16::try_from(items).unwrap_or(u16::MAX)),
                Fill(1),
            ]));
    let [cookie_head, cookie_rows] = Block::bordered()
        .inner(cookies)
        .layout(&Layout::vertical([Length(1), Fill(1)]));
    Areas {
        header,
        body,
        sites,
        site_rows,
        site_offset: window(
            0,
            app.site_selected(),
            n_sites,
            usize::from(site_rows.height),
        ),
        categories,
        category_head,
        category_rows,
        category_offset: window(
            0,
            app.category_selected(),
            items,
            usize::from(category_rows.height),
        ),
        description,
        cookies,
        cookie_head,
        cookie_rows,
        details,
        status,
    }
}

/// The first row to show so that `sel` is in a view of `height` rows out of
/// `len`, moving `offset` as little as possible.
pub fn window(offset: usize, sel: usize, len: usize, height: usize) -> usize {
    if height == 0 || len == 0 {
        return 0;
    }
    let mut off = offset;
    if sel < off {
        off = sel;
    } else if sel >= off + height {
        off = sel + 1 - height;
    }
    off.min(len.saturating_sub(height))
}

/// Number of lines of the help overlay (for scrolling).
pub fn help_line_count(app: &App) -> usize {
    overlays::help_lines(app, Theme::new(false)).len()
}

/// Jar text made safe for the screen: control characters become `�`.
pub fn clean(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    } else {
        s.to_string()
    }
}

/// `s` cut (with `…`) or padded to exactly `width` columns, the last one blank.
pub fn cell(s: &str, width: u16) -> String {
    let width = usize::from(width);
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    let mut out = String::new();
    if s.width() <= room {
        out.push_str(s);
    } else if room > 0 {
        let mut w = 0;
        for ch in s.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if w + cw + 1 > room {
                break;
            }
            out.push(ch);
            w += cw;
        }
        out.push('…');
    }
    let used = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = Theme::new(self.options().color);
        let a = areas(area, self);
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
            Paragraph::new(overlays::details_lines(self, theme, false))
                .wrap(Wrap { trim: false })
                .render(inner, buf);
        }
        status(self, a.status, buf, theme);
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
    let unsaved = if app.dirty() { " * unsaved " } else { "" };
    let [left, right] = l1.layout(&Layout::horizontal([
        Fill(1),
        Length(unsaved.width() as u16),
    ]));
    let mut first = vec![
        Span::styled("crumbs ", theme.strong()),
        Span::raw(clean(&s.jar().path.display().to_string())),
        Span::raw(format!(" ({})", s.jar().format().as_str())),
    ];
    if app.options().demo {
        first.push(Span::styled(
            " · demo: a temporary copy of the embedded jar",
            theme.warn(),
        ));
    }
    Paragraph::new(Line::from(first)).render(left, buf);
    Paragraph::new(Span::styled(unsaved, theme.warn())).render(right, buf);
    Paragraph::new(Line::from(vec![
        Span::styled("site ", theme.muted()),
        Span::styled(clean(s.site()), theme.strong()),
        Span::styled("  policy ", theme.muted()),
        Span::raw(format!("{} (revision {})", doc.name, doc.revision)),
    ]))
    .render(l2, buf);
    let state = app.in_force().state;
    let state_style = if state.needs_review() {
        theme.warn()
    } else {
        Style::new()
    };
    Paragraph::new(Line::from(vec![
        Span::styled("consent ", theme.muted()),
        Span::styled(
            text::consent_state(app.in_force(), &s.policy().hash),
            state_style,
        ),
    ]))
    .render(l3, buf);
}

fn sites(app: &App, a: &Areas, buf: &mut Buffer, theme: Theme) {
    let focused = app.focus() == Pane::Sites && app.mode() == Mode::Normal;
    pane_block(format!(" Sites ({}) ", app.sites().len()), focused, theme).render(a.sites, buf);
    let current = app.session().scope();
    let lines: Vec<Line> = app
        .sites()
        .iter()
        .enumerate()
        .skip(a.site_offset)
        .take(usize::from(a.site_rows.height))
        .map(|(i, scope)| {
            let sel = i == app.site_selected();
            let mark = if sel { "> " } else { "  " };
            let managing = if scope == current { "(•) " } else { "( ) " };
            let line = Line::from(format!("{mark}{managing}{}", clean(scope.label())));
            if sel {
                line.style(theme.selected(focused))
            } else {
                line
            }
        })
        .collect();
    Paragraph::new(lines).render(a.site_rows, buf);
}

fn categories(app: &App, a: &Areas, buf: &mut Buffer, theme: Theme) {
    use Constraint::{Fill, Length};
    let focused = app.focus() == Pane::Categories && app.mode() == Mode::Normal;
    pane_block(" Categories ".into(), focused, theme).render(a.categories, buf);
    let wide = a.category_head.width >= 34;
    let widths = Layout::horizontal([
        Length(CHECKBOX_WIDTH),
        Fill(1),
        Length(5),
        Length(if wide { 7 } else { 4 }),
    ])
    .split(Rect::new(0, 0, a.category_head.width, 1));
    let w: Vec<u16> = widths.iter().map(|r| r.width).collect();
    let cols = |parts: [&str; 4]| -> String {
        parts
            .iter()
            .zip(&w)
            .map(|(p, &cw)| cell(p, cw))
            .collect::<String>()
    };
    Paragraph::new(Span::styled(
        cols(["", "category", "keep", if wide { "remove" } else { "rm" }]),
        theme.muted(),
    ))
    .render(a.category_head, buf);

    let doc = &app.session().policy().doc;
    let counts = app.counts();
    let toggles = app.toggles();
    let lines: Vec<Line> = (a.category_offset..app.category_item_count())
        .take(usize::from(a.category_rows.height))
        .map(|i| {
            let sel = i == app.category_selected();
            let mark = if sel { ">" } else { " " };
            let (check, label, keep, remove, style) = match app.category_item(i) {
                CategoryItem::All => (
                    "   ".to_string(),
                    "All cookies".to_string(),
                    counts.iter().map(|c| c.keep).sum::<usize>().to_string(),
                    counts.iter().map(|c| c.remove).sum::<usize>().to_string(),
                    Style::new(),
                ),
                CategoryItem::Category(c) => {
                    let cat = &doc.categories[c];
                    let on = toggles.get(c).copied().unwrap_or(false);
                    let n = counts.get(c).copied().unwrap_or_default();
                    let label = if cat.required {
                        format!("{} (required)", cat.label)
                    } else {
                        cat.label.clone()
                    };
                    let style = if n.remove > 0 {
                        theme.remove()
                    } else {
                        Style::new()
                    };
                    (
                        if on { "[x]" } else { "[ ]" }.to_string(),
                        label,
                        n.keep.to_string(),
                        n.remove.to_string(),
                        style,
                    )
                }
                CategoryItem::OtherSites => (
                    "   ".to_string(),
                    "Other sites (never touched)".to_string(),
                    app.other_count().to_string(),
                    "-".to_string(),
                    theme.muted(),
                ),
            };
            let text = cols([&format!("{mark}{check}"), &label, &keep, &remove]);
            let line = Line::from(Span::styled(text, style));
            if sel {
                line.style(theme.selected(focused))
            } else {
                line
            }
        })
        .collect();
    Paragraph::new(lines).render(a.category_rows, buf);

    // The selected category, explained.
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.muted());
    let inner = block.inner(a.description);
    block.render(a.description, buf);
    let about: Vec<Line> = match app.category_item(app.category_selected()) {
        CategoryItem::All => vec![Line::from(
            "Every cookie of the jar, grouped by category. Space on a category grants or refuses it.",
        )],
        CategoryItem::Category(c) => {
            let cat = &doc.categories[c];
            let on = toggles.get(c).copied().unwrap_or(false);
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
    };
    Paragraph::new(about)
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

/// Below this inner width the action column shrinks to the `✗` marker alone.
const NARROW_COOKIES: u16 = 40;

/// Column widths of the cookies pane for an inner width: marker, action, name,
/// domain, note, expiry, path, flags (0 = not shown).
fn cookie_widths(width: u16) -> [u16; 8] {
    use Constraint::{Fill, Length};
    let show = |min: u16, w: u16| if width >= min { w } else { 0 };
    let parts = Layout::horizontal([
        Length(2),
        Length(if width < NARROW_COOKIES { 2 } else { 9 }),
        Fill(3),
        Fill(3),
        Length(show(48, 12)),
        Length(show(60, 11)),
        Length(show(70, 9)),
        Length(show(92, 20)),
    ])
    .split(Rect::new(0, 0, width, 1));
    let mut out = [0; 8];
    for (o, r) in out.iter_mut().zip(parts.iter()) {
        *o = r.width;
    }
    out
}

fn cookies(app: &App, a: &Areas, buf: &mut Buffer, theme: Theme) {
    let focused = app.focus() == Pane::Cookies && matches!(app.mode(), Mode::Normal | Mode::Filter);
    let s = app.session();
    let shown = app.shown_cookies();
    let what = match app.category_item(app.category_selected()) {
        CategoryItem::All => "all".to_string(),
        CategoryItem::Category(c) => s.policy().doc.categories[c].label.clone(),
        CategoryItem::OtherSites => "other sites".to_string(),
    };
    let mut title = format!(" Cookies · {what}");
    if let Some((filter, percent)) = app.filtering().filter(|(f, _)| !f.is_empty()) {
        title.push_str(&format!(" · filtering \"{filter}\"… {percent}%"));
    } else if !app.filter().is_empty() {
        title.push_str(&format!(
            " · filter \"{}\" ({})",
            app.filter(),
            crate::human::count(shown, "match")
        ));
    }
    title.push(' ');
    pane_block(title, focused, theme).render(a.cookies, buf);

    let w = cookie_widths(a.cookie_head.width);
    let narrow = a.cookie_head.width < NARROW_COOKIES;
    let join = |parts: [&str; 8]| -> String {
        parts
            .iter()
            .zip(w)
            .map(|(p, cw)| cell(p, cw))
            .collect::<String>()
    };
    Paragraph::new(Span::styled(
        join([
            "",
            if narrow { "✗" } else { "action" },
            "name",
            "domain",
            "note",
            "expires",
            "path",
            "flags",
        ]),
        theme.muted(),
    ))
    .render(a.cookie_head, buf);

    let rows = app.rows();
    let height = usize::from(a.cookie_rows.height);
    if rows.is_empty() {
        let msg = if app.filter().is_empty() {
            "No cookies here."
        } else {
            "No cookie matches the filter (Esc clears it)."
        };
        Paragraph::new(Span::styled(msg, theme.muted())).render(a.cookie_rows, buf);
        return;
    }
    let offset = window(app.row_offset(), app.row_selected(), rows.len(), height);
    let cookies = s.jar().cookies();
    let doc = &s.policy().doc;
    let counts = app.counts();
    let now = app.now().unix_timestamp();
    let actions = &app.decision().plan.actions;
    let note_shown = w[4] > 0;
    let full = usize::from(a.cookie_rows.width);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let sel = i == app.row_selected();
            let mark = if sel { ">" } else { " " };
            let line = match *row {
                Row::Header(Group::Category(c)) => {
                    let n = counts.get(c).copied().unwrap_or_default();
                    let label = doc.categories.get(c).map_or("?", |k| k.label.as_str());
                    let mut t = format!("{mark} ▾ {label} — {}", text::cookies(n.keep + n.remove));
                    if n.remove > 0 {
                        t.push_str(&format!(", {} to remove", n.remove));
                    }
                    Line::from(Span::styled(cell(&t, full as u16), theme.strong()))
                }
                Row::Header(Group::OtherSites) => {
                    let open = !matches!(
                        app.category_item(app.category_selected()),
                        CategoryItem::All
                    ) || app.other_expanded();
                    let arrow = if open { "▾" } else { "▸" };
                    let hint = if open { "" } else { " · Enter shows them" };
                    let t = format!(
                        "{mark} {arrow} Other sites — {}, never touched{hint}",
                        text::cookies(app.other_count())
                    );
                    Line::from(Span::styled(cell(&t, full as u16), theme.muted()))
                }
                Row::Cookie(ci) => {
                    let Some(c) = cookies.get(ci) else {
                        return Line::from("");
                    };
                    let cl = s.classified().get(ci);
                    let remove = actions.get(ci).is_some_and(|a| a.is_remove());
                    let other = cl.is_none_or(|k| k.scope == Scope::OtherSite);
                    let undeclared = cl.is_some_and(|k| k.undeclared());
                    let action = match (remove, other, narrow) {
                        (true, _, true) => "✗",
                        (true, _, false) => "✗ remove",
                        (false, _, true) => "",
                        (false, true, false) => "  other",
                        (false, false, false) => "  keep",
                    };
                    let note = if cl.is_some_and(|k| k.preferences) {
                        "preferences"
                    } else if undeclared {
                        "undeclared"
                    } else {
                        ""
                    };
                    let mut name = clean(&c.name);
                    if !note_shown && undeclared {
                        name.push_str(" (undeclared)");
                    }
                    let style = if remove {
                        theme.remove()
                    } else if other {
                        theme.muted()
                    } else {
                        Style::new()
                    };
                    let mut spans = vec![
                        Span::raw(cell(mark, w[0])),
                        Span::styled(cell(action, w[1]), style),
                        Span::styled(cell(&name, w[2]), style),
                        Span::raw(cell(&clean(&text::domain(&c)), w[3])),
                    ];
                    if w[4] > 0 {
                        spans.push(Span::styled(cell(note, w[4]), theme.undeclared()));
                    }
                    if w[5] > 0 {
                        spans.push(Span::raw(cell(&text::expiry_short(c.expiry, now), w[5])));
                    }
                    if w[6] > 0 {
                        spans.push(Span::raw(cell(&clean(&c.path), w[6])));
                    }
                    if w[7] > 0 {
                        spans.push(Span::raw(cell(&text::flags(&c), w[7])));
                    }
                    Line::from(spans)
                }
            };
            if sel {
                line.style(theme.selected(focused))
            } else {
                line
            }
        })
        .collect();
    Paragraph::new(lines).render(a.cookie_rows, buf);
}

fn status(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    use Constraint::{Fill, Length};
    let total = app.session().jar().cookies().len();
    let remove = app.remove_count();
    let right = format!(" {remove} of {} to remove ", text::cookies(total));
    let [left, right_area] =
        area.layout(&Layout::horizontal([Fill(1), Length(right.width() as u16)]));
    Paragraph::new(Span::styled(right, theme.muted())).render(right_area, buf);
    let mode = app.mode();
    let mut spans = Vec::new();
    if mode == Mode::Filter {
        spans.push(Span::styled("/", theme.key()));
        spans.push(Span::raw(format!("{}█  ", app.filter())));
        push_hints(&mut spans, mode, theme, left.width);
    } else if let Some(m) = app.message() {
        match m.level {
            Level::Warn => spans.push(Span::styled(format!("! {}", m.text), theme.warn())),
            Level::Info => spans.push(Span::raw(m.text.clone())),
        }
    } else {
        push_hints(&mut spans, mode, theme, left.width);
    }
    Paragraph::new(Line::from(spans)).render(left, buf);
}

/// Adds the mode's hints, most important first, as many whole ones as fit in `width`.
fn push_hints(spans: &mut Vec<Span<'static>>, mode: Mode, theme: Theme, width: u16) {
    let mut used: usize = spans.iter().map(|s| s.width()).sum();
    for (key, word) in keymap::hints(mode) {
        let text = format!(" {word}  ");
        let needed = key.width() + text.trim_end().width();
        if used + needed > usize::from(width) {
            break;
        }
        used += key.width() + text.width();
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_selection_in_view() {
        assert_eq!(window(0, 0, 10, 3), 0);
        assert_eq!(window(0, 5, 10, 3), 3);
        assert_eq!(window(5, 2, 10, 3), 2);
        assert_eq!(window(9, 9, 10, 3), 7);
        assert_eq!(window(0, 0, 0, 3), 0);
        assert_eq!(window(4, 4, 10, 0), 0);
    }

    #[test]
    fn cells_fit() {
        assert_eq!(cell("abc", 5), "abc  ");
        assert_eq!(cell("abcdef", 5), "abc… ");
        assert_eq!(cell("abc", 1), " ");
        assert_eq!(cell("abc", 0), "");
        assert_eq!(clean("a\u{1b}[31m"), "a\u{FFFD}[31m");
    }
}
