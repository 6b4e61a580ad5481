//! What the details say of the selected row: every fact in the popup (wrapped
//! to its width, so a long value is read whole by scrolling), the main ones
//! and the value in the bottom pane (one line each, so the value always shows).
//! Text with styles only: the app counts these lines to scroll the popup, the
//! view draws them.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::rows::{Group, Row};
use super::text;
use super::text::{cell, clean};
use super::theme::Theme;
use crate::classify::Relation;
use crate::model::Cookie;
use crate::policy::Declaration;
use crate::scopes::ScopeKind;

/// Width of the labels (`Provider  `).
pub const LABEL: usize = 10;

/// One fact: a label (empty for a heading or free text), its text and style.
#[derive(Debug, Clone)]
struct Fact {
    label: &'static str,
    text: String,
    style: Style,
}

fn fact(label: &'static str, text: String) -> Fact {
    Fact {
        label,
        text,
        style: Style::new(),
    }
}

fn styled(label: &'static str, text: String, style: Style) -> Fact {
    Fact { label, text, style }
}

/// The popup's lines for the selected row, wrapped to `width` columns.
pub fn popup_lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    facts(app, theme)
        .iter()
        .flat_map(|f| wrapped(f, width, theme))
        .collect()
}

/// The bottom pane's lines for the selected row, `width` wide: the cookie's
/// name and action, its value, who sets it and why, one line each.
pub fn pane_lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let all = facts(app, theme);
    let Some(Row::Cookie(_)) = app.list().selected_row() else {
        let width = usize::from(width);
        return all.iter().flat_map(|f| wrapped(f, width, theme)).collect();
    };
    let get = |label: &str| all.iter().find(|f| f.label == label);
    let mut lines = Vec::new();
    if let (Some(name), Some(action)) = (get(""), get("Action")) {
        let name_w = u16::try_from(name.text.width() + 2).unwrap_or(u16::MAX);
        let name_w = name_w
            .min(width / 2)
            .max(width.saturating_sub(30).min(name_w));
        lines.push(Line::from(vec![
            Span::styled(cell(&name.text, name_w), name.style),
            Span::styled(
                cell(&action.text, width.saturating_sub(name_w)),
                action.style,
            ),
        ]));
    }
    let value_room = width.saturating_sub(LABEL as u16);
    if let Some(v) = get("Value") {
        lines.push(labelled(v, cell(&v.text, value_room), theme));
    }
    if let (Some(p), Some(f)) = (get("Provider"), get("Function")) {
        lines.push(Line::from(cell(&format!("{} · {}", p.text, f.text), width)));
    }
    for label in ["Purpose", "Declared"] {
        if let Some(f) = get(label) {
            lines.push(labelled(f, cell(&f.text, value_room), theme));
        }
    }
    lines
}

fn labelled(f: &Fact, text: String, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{:<LABEL$}", f.label), theme.muted()),
        Span::styled(text, f.style),
    ])
}

/// `f` on as many lines of `width` as it takes, continuation lines indented
/// under its text.
fn wrapped(f: &Fact, width: usize, theme: Theme) -> Vec<Line<'static>> {
    if f.label.is_empty() {
        return text::wrap(&f.text, width)
            .into_iter()
            .map(|t| Line::styled(t, f.style))
            .collect();
    }
    text::wrap(&f.text, width.saturating_sub(LABEL).max(8))
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let label = if i == 0 { f.label } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<LABEL$}"), theme.muted()),
                Span::styled(t, f.style),
            ])
        })
        .collect()
}

fn or_dash(s: &str) -> String {
    if s.is_empty() { "—".into() } else { clean(s) }
}

/// Everything the details say of the selected row.
fn facts(app: &App, theme: Theme) -> Vec<Fact> {
    let s = app.session();
    let doc = &s.policy().doc;
    match app.list().selected_row() {
        None => vec![fact("", "Nothing selected.".into())],
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
                styled(
                    "",
                    format!(
                        "{} — {state}; {} kept, {} to remove",
                        cat.label, n.keep, n.remove
                    ),
                    theme.strong(),
                ),
                fact("", cat.description.clone()),
            ]
        }
        Some(Row::Header(Group::OtherSites)) if s.scope().kind() == ScopeKind::Others => vec![
            styled("", "Sites with a declared policy".into(), theme.strong()),
            fact(
                "",
                format!(
                    "{} of the sites a declared policy covers: each is its own scope in the \
                     site picker, never touched from *.",
                    text::cookies(app.list().groups().other.len()),
                ),
            ),
        ],
        Some(Row::Header(Group::OtherSites)) => vec![
            styled("", "Other sites".into(), theme.strong()),
            fact(
                "",
                format!(
                    "{} of sites the policy does not cover for {}: shown, never removed.",
                    text::cookies(app.list().groups().other.len()),
                    s.site()
                ),
            ),
        ],
        Some(Row::Cookie(i)) => cookie_facts(app, i, theme),
    }
}

/// The facts of cookie `i`: what it is, what the choice does with it, its
/// value, then where it goes and how long it lasts.
fn cookie_facts(app: &App, i: usize, theme: Theme) -> Vec<Fact> {
    let s = app.session();
    let doc = &s.policy().doc;
    let (Some(c), Some(cl)) = (s.jar().cookies().get(i), s.classified().get(i)) else {
        return vec![];
    };
    let action = app.choices().decision().plan.actions.get(i).copied();
    let decl = cl.declaration_idx().and_then(|d| doc.cookies.get(d));
    let category = cl.category_idx().and_then(|k| doc.categories.get(k));
    let (marker, style) = match action {
        Some(a @ crate::plan::Action::Remove(crate::plan::RemoveReason::Marked)) => (
            format!("✗ remove: {} with d (d again keeps it)", a.reason()),
            theme.remove(),
        ),
        Some(a) if a.is_remove() => (format!("✗ remove: {}", a.reason()), theme.remove()),
        Some(a) => (format!("keep: {}", a.reason()), Style::new()),
        None => ("keep".to_string(), Style::new()),
    };
    let catalog = s.scope().kind().is_catalog();
    let known = s.known(i);
    let declared = match (cl.relation, decl) {
        (Relation::OtherSite, _) => "not in this policy's scope".to_string(),
        // Under the catalog its entry is the declaration.
        (_, Some(d)) if catalog => format!(
            "in the known-cookie catalog as {} ({})",
            clean(&d.names.join(", ")),
            known.map_or("name", |k| k.how.as_str())
        ),
        (_, None) if catalog => {
            "unknown to the known-cookie catalog: never pruned by a category choice (d marks it)"
                .to_string()
        }
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
    let category = category.map_or("— (other site)".to_string(), |k| k.label.clone());
    let mut facts = vec![
        styled("", clean(&c.name), theme.strong()),
        styled("Action", marker, style),
        fact("Value", value),
        fact("Provider", said(|d| &d.provider)),
        fact("Function", said(|d| &d.function)),
        fact("Purpose", said(|d| &d.purpose)),
        fact("Declared", declared),
        fact("Category", category),
    ];
    // In a site scope the policy speaks; the catalog adds what it knows.
    if !catalog && cl.relation != Relation::OtherSite {
        let k = known.map_or("not in the known-cookie catalog".to_string(), |k| {
            format!(
                "{} · {} · {}",
                clean(&k.entry.platform),
                k.entry.category.id(),
                clean(k.entry.purpose.trim())
            )
        });
        facts.push(fact("Known", k));
    }
    facts.extend(where_and_when(app, &c, cl.relation));
    facts
}

/// Where the cookie goes and how long it lasts: scope, domain, path, expiry,
/// flags, partition, record.
fn where_and_when(app: &App, c: &Cookie, relation: Relation) -> Vec<Fact> {
    let scope = match relation {
        Relation::Site => match app.session().scope().kind() {
            ScopeKind::Others => "other sites (*), under the known-cookie catalog".to_string(),
            ScopeKind::Host => format!(
                "the site {}, under the known-cookie catalog",
                app.session().site()
            ),
            ScopeKind::Site => format!("the site {}", app.session().site()),
        },
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
    let mut facts = vec![
        fact("Scope", scope),
        fact(
            "Domain",
            format!("{} ({domain_kind})", clean(&text::domain(c))),
        ),
        fact("Path", clean(&c.path)),
        fact("Expires", text::expiry_long(c.expiry, now)),
        fact(
            "Flags",
            format!(
                "Secure {} · HttpOnly {} · SameSite {}",
                yes(c.secure),
                yes(c.http_only),
                c.same_site.as_str()
            ),
        ),
    ];
    if !c.partition.is_empty() {
        facts.push(fact("Partition", clean(&c.partition)));
    }
    facts.push(fact("Record", c.key.to_string()));
    facts
}
