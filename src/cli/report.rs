//! The shared output of `list`, `check` and `prune`: the JSON object of
//! DESIGN §8 and its text rendering for people.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write as _;

use serde::Serialize;
use serde::ser::SerializeSeq as _;

use crumbs::check::Problem;
use crumbs::classify::{Classified, Relation};
use crumbs::human::{self, count};
use crumbs::known::Known;
use crumbs::known::governing::UNKNOWN;
use crumbs::lint::{self, LintKind};
use crumbs::model::{Cookie, Expiry};
use crumbs::plan::{Action, Counts};
use crumbs::scopes::ScopeKind;
use crumbs::session::{Decision, Session};

use super::fit::{self, Style};

fn expiry_text(e: Expiry) -> String {
    match e {
        Expiry::Session => "session".into(),
        Expiry::At(t) => human::date(t),
    }
}

fn flags_text(c: &Cookie) -> String {
    human::flag_words(c).join(",")
}

/// Serialises `(id, value)` pairs as a JSON object, keeping their order.
struct Pairs<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Pairs<'_, K, V> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[derive(Serialize)]
struct Report<'a> {
    jar: JarInfo<'a>,
    site: &'a str,
    policy: PolicyInfo<'a>,
    consent: ConsentInfo<'a>,
    cookies: Rows<'a>,
    summary: Summary<'a>,
    problems: Problems<'a>,
}

/// The problems, serialised as the iterator gives them (a million of them
/// are never held at once).
struct Problems<'a>(std::cell::RefCell<&'a mut dyn Iterator<Item = Problem>>);

impl Serialize for Problems<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut problems = self.0.borrow_mut();
        ser.collect_seq(&mut **problems)
    }
}

#[derive(Serialize)]
struct JarInfo<'a> {
    path: String,
    format: &'a str,
}

#[derive(Serialize)]
struct PolicyInfo<'a> {
    name: &'a str,
    revision: &'a str,
    hash: &'a str,
}

#[derive(Serialize)]
struct ConsentInfo<'a> {
    source: &'a str,
    state: &'a str,
    categories: Pairs<'a, String, bool>,
    /// False when the jar cannot hold the preferences cookie (the choice is
    /// then kept in the config-dir record only).
    preferences_in_jar: bool,
}

#[derive(Serialize)]
struct Summary<'a> {
    total: usize,
    keep: usize,
    remove: usize,
    by_category: Pairs<'a, &'a str, Counts>,
}

/// The cookie rows, serialised one by one so a million-cookie jar never
/// becomes a JSON tree in memory.
struct Rows<'a> {
    s: &'a Session,
    d: &'a Decision,
    show_values: bool,
    now: i64,
}

#[derive(Serialize)]
struct Row<'a> {
    name: Cow<'a, str>,
    domain: Cow<'a, str>,
    host_only: bool,
    path: Cow<'a, str>,
    /// Only when partitioned (or in a browser context of its own).
    #[serde(skip_serializing_if = "str::is_empty")]
    partition: Cow<'a, str>,
    secure: bool,
    http_only: bool,
    same_site: &'static str,
    expires: Option<String>,
    session: bool,
    expired: bool,
    scope: &'static str,
    category: Option<&'a str>,
    declared: bool,
    provider: Option<&'a str>,
    purpose: Option<&'a str>,
    action: &'static str,
    reason: &'static str,
    known: Option<KnownRow<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Cow<'a, str>>,
}

/// What the known-cookie catalog says of a cookie (DESIGN §5b, §8).
#[derive(Serialize)]
struct KnownRow<'a> {
    platform: &'a str,
    category: &'static str,
    purpose: &'a str,
    retention: &'a str,
    controller: &'a str,
    privacy_link: &'a str,
    /// How the entry matched: `name`, `name-on-domain`, `name-tag`, `prefix`, ...
    #[serde(rename = "match")]
    how: &'static str,
}

impl<'a> From<Known<'a>> for KnownRow<'a> {
    fn from(k: Known<'a>) -> KnownRow<'a> {
        let e = k.entry;
        KnownRow {
            platform: &e.platform,
            category: e.category.id(),
            purpose: e.purpose.trim(),
            retention: e.retention.trim(),
            controller: &e.controller,
            privacy_link: &e.privacy_link,
            how: k.how.as_str(),
        }
    }
}

impl Rows<'_> {
    /// The row of one classified cookie.
    fn row(&self, c: &Classified) -> Row<'_> {
        let doc = &self.s.policy().doc;
        let cookie = self.s.jar().cookies().at(c.index);
        let decl = c.declaration_idx().map(|i| &doc.cookies[i]);
        let action = self.d.plan.actions[c.index];
        Row {
            host_only: cookie.host_only,
            secure: cookie.secure,
            http_only: cookie.http_only,
            same_site: cookie.same_site.as_str(),
            expires: match cookie.expiry {
                Expiry::Session => None,
                Expiry::At(t) => Some(human::rfc3339(t)),
            },
            session: cookie.expiry == Expiry::Session,
            expired: cookie.expiry.is_expired(self.now),
            scope: c.relation.as_str(),
            category: c.category_idx().map(|i| doc.categories[i].id.as_str()),
            declared: c.declaration.is_some(),
            provider: decl.map(|x| x.provider.as_str()),
            purpose: decl.map(|x| x.purpose.as_str()),
            action: action.as_str(),
            reason: action.reason(),
            known: self.s.known(c.index).map(KnownRow::from),
            name: cookie.name,
            domain: cookie.domain,
            path: cookie.path,
            partition: cookie.partition,
            value: self.show_values.then_some(cookie.value),
        }
    }
}

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let classified = self.s.classified();
        if crumbs::chunks::threads_for(classified.len()) <= 1 {
            return ser.collect_seq(classified.iter().map(|c| self.row(c)));
        }
        // A big jar's rows are made into JSON on every core, a batch at a
        // time (bounded memory), and written in jar order: one core spent
        // most of `list --json` of a million cookies escaping strings.
        let mut seq = ser.serialize_seq(Some(classified.len()))?;
        let batches = crumbs::chunks::in_batches(classified, |part| {
            part.iter()
                .map(|c| serde_json::value::to_raw_value(&self.row(c)))
                .collect::<Result<Vec<_>, _>>()
        });
        for parts in batches {
            for part in parts {
                for row in part.map_err(serde::ser::Error::custom)? {
                    seq.serialize_element(&row)?;
                }
            }
        }
        seq.end()
    }
}

/// Writes the `--json` object (DESIGN §8) and a newline.
pub fn write_json(
    out: &mut impl std::io::Write,
    s: &Session,
    d: &Decision,
    problems: &mut dyn Iterator<Item = Problem>,
    show_values: bool,
    now: i64,
) -> std::io::Result<()> {
    let doc = &s.policy().doc;
    let total = s.jar().cookies().len();
    let remove = d.plan.remove_count();
    let by_category: Vec<(&str, Counts)> = doc
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .zip(d.plan.by_category.iter().copied())
        .collect();
    let report = Report {
        jar: JarInfo {
            path: s.jar().path.display().to_string(),
            format: s.jar().format().as_str(),
        },
        site: s.site(),
        policy: PolicyInfo {
            name: &doc.name,
            revision: &doc.revision,
            hash: &s.policy().hash,
        },
        consent: ConsentInfo {
            source: d.resolved.source.as_str(),
            state: d.resolved.state.as_str(),
            categories: Pairs(d.resolved.granted.pairs()),
            preferences_in_jar: s.jar().stores_preferences() && s.scope().has_preferences_cookie(),
        },
        cookies: Rows {
            s,
            d,
            show_values,
            now,
        },
        summary: Summary {
            total,
            keep: total - remove,
            remove,
            by_category: Pairs(&by_category),
        },
        problems: Problems(std::cell::RefCell::new(problems)),
    };
    let mut w = std::io::BufWriter::new(out);
    serde_json::to_writer(&mut w, &report)?;
    w.write_all(b"\n")?;
    w.flush()
}

fn consent_line(d: &Decision) -> String {
    let r = &d.resolved;
    let granted: Vec<&str> = r.granted.granted_ids().collect();
    let until = d
        .value
        .as_ref()
        .or(r.found.as_ref())
        .map(|v| format!(", until {}", v.expires.date()))
        .unwrap_or_default();
    let state = r.state.as_str();
    let source = r.source.as_str();
    format!(
        "{state} (from {source}{until}); granted: {}",
        granted.join(", ")
    )
}

/// The line that opens one site's report when a jar holds several.
pub fn site_banner(s: &Session, i: usize, count: usize) -> String {
    format!("== site {} of {count}: {} ==", i + 1, s.scope().label())
}

/// The lines that open the text view: the jar, the site, the policy, the
/// consent, and the catalog where it matters.
fn head(s: &Session, d: &Decision) -> Vec<String> {
    let doc = &s.policy().doc;
    let mut lines = vec![
        format!(
            "jar:     {} ({}, {})",
            s.jar().path.display(),
            s.jar().format().as_str(),
            count(s.jar().cookies().len(), "cookie")
        ),
        format!("site:    {}", s.site()),
        format!(
            "policy:  {}, revision {} ({})",
            doc.name,
            doc.revision,
            s.policy().hash
        ),
        format!("consent: {}", consent_line(d)),
    ];
    // Which catalog explains the cookies, said where it governs them or
    // when it is not the embedded one (a newer CSV never goes unnoticed).
    let known = &s.catalog().known().catalog;
    if s.scope().kind().is_catalog() || known.source != crumbs::known::Source::Embedded {
        lines.push(match known.source {
            crumbs::known::Source::Embedded => {
                format!("catalog: embedded Open Cookie Database of {}", known.date)
            }
            _ => format!("catalog: {}, dated {}", known.origin(), known.date),
        });
    }
    lines
}

/// Writes the grouped text view for people (as it goes: a million rows are
/// never held in memory).
pub fn write_text(
    out: &mut impl std::io::Write,
    s: &Session,
    d: &Decision,
    show_values: bool,
    style: &Style,
    now: i64,
) -> std::io::Result<()> {
    let doc = &s.policy().doc;
    let cookies = s.jar().cookies();
    let catalog = s.scope().kind().is_catalog();
    for line in head(s, d) {
        writeln!(out, "{}", style.wrap(&line, 9))?;
    }
    let look = Look {
        show_values,
        style: *style,
        columns: style.width.map(|w| fit::list_columns(w, widest(s))),
        now,
        duplicates: lint::duplicate_indices(
            cookies,
            s.classified()
                .iter()
                .filter(|c| c.relation != Relation::OtherSite)
                .map(|c| c.index),
        ),
    };
    for (i, (cat, n)) in doc.categories.iter().zip(&d.plan.by_category).enumerate() {
        let rows: Vec<&Classified> = s
            .classified()
            .iter()
            .filter(|c| c.category_idx() == Some(i))
            .collect();
        let (keep, remove) = (n.keep, n.remove);
        let lock = match (catalog && cat.id == UNKNOWN, cat.required) {
            (true, _) => " [never pruned by a choice]",
            (false, true) => " [required]",
            (false, false) => "",
        };
        // Under the catalog, what it does not know is its own group (`unknown`).
        let undeclared = if catalog {
            0
        } else {
            rows.iter().filter(|c| c.undeclared()).count()
        };
        let und = if undeclared > 0 {
            format!(", {undeclared} undeclared")
        } else {
            String::new()
        };
        let heading = format!(
            "{}{lock}: {} (keep {keep}, remove {remove}{und})",
            cat.label,
            count(rows.len(), "cookie")
        );
        writeln!(out, "\n{}", style.wrap(&heading, 2))?;
        for c in rows {
            row(out, s, d, c, &cookies.at(c.index), &look)?;
        }
    }
    let others: Vec<&Classified> = s
        .classified()
        .iter()
        .filter(|c| c.relation == Relation::OtherSite)
        .collect();
    let star = s.scope().kind() == ScopeKind::Others;
    let heading = if star {
        "Sites with a declared policy (their own scopes)"
    } else {
        "Other sites (never touched)"
    };
    if !(star && others.is_empty()) {
        writeln!(out, "\n{heading}: {}", count(others.len(), "cookie"))?;
    }
    for c in others {
        row(out, s, d, c, &cookies.at(c.index), &look)?;
    }
    let remove = d.plan.remove_count();
    writeln!(
        out,
        "\nsummary: {}, keep {}, remove {remove}",
        count(cookies.len(), "cookie"),
        cookies.len() - remove
    )?;
    Ok(())
}

/// How rows are shown: values or not, and on a terminal its style and the
/// name, domain and path column widths.
struct Look {
    show_values: bool,
    style: Style,
    columns: Option<[usize; 3]>,
    now: i64,
    /// The in-scope cookies that repeat an earlier one.
    duplicates: HashSet<usize>,
}

/// The short lint mark of an in-scope cookie (`! lifetime, prefix`), empty when clean.
fn lint_mark(look: &Look, c: &Classified, cookie: &Cookie) -> String {
    if c.relation == Relation::OtherSite {
        return String::new();
    }
    let mut kinds: Vec<&str> = lint::cookie_lints(cookie, look.now)
        .iter()
        .map(|l| l.kind.as_str())
        .collect();
    if look.duplicates.contains(&c.index) {
        kinds.push(LintKind::Duplicate.as_str());
    }
    kinds.dedup();
    if kinds.is_empty() {
        String::new()
    } else {
        format!("! {}", kinds.join(", "))
    }
}

/// The widest name, domain label and path of the session's cookies, in
/// terminal columns (only a terminal's rows are fitted, so only then read).
fn widest(s: &Session) -> [usize; 3] {
    use unicode_width::UnicodeWidthStr as _;
    let cookies = s.jar().cookies();
    s.classified().iter().fold([1, 1, 1], |[n, l, p], c| {
        let cookie = cookies.at(c.index);
        [
            n.max(cookie.name.width()),
            l.max(human::domain(&cookie).width()),
            p.max(cookie.path.width()),
        ]
    })
}

fn row(
    out: &mut impl std::io::Write,
    s: &Session,
    d: &Decision,
    c: &Classified,
    cookie: &Cookie,
    look: &Look,
) -> std::io::Result<()> {
    let style = &look.style;
    let action = d.plan.actions[c.index];
    let (mark, colour) = match action {
        Action::Remove(_) => ("remove", "31"),
        Action::Keep(_) => ("keep  ", "32"),
    };
    let undeclared = if c.undeclared() && !s.scope().kind().is_catalog() {
        "(undeclared)"
    } else {
        ""
    };
    let linted = lint_mark(look, c, cookie);
    let label = human::domain(cookie);
    let expiry = expiry_text(cookie.expiry);
    let flags = flags_text(cookie);
    let rest = match (style.width, look.columns) {
        (None, _) | (_, None) => format!(
            "{:<24} {:<34} {:<12} {:<10} {flags}  {undeclared}  {linted}",
            cookie.name, label, cookie.path, expiry
        ),
        // On a terminal the columns shrink to its width and the
        // undeclared mark comes before the flags, so a cut takes flags first.
        (Some(w), Some([nw, lw, pw])) => {
            let marks = [undeclared, &linted, &flags];
            let line = format!(
                "{} {} {} {expiry:<10} {}",
                fit::pad(&cookie.name, nw),
                fit::pad(&label, lw),
                fit::pad(&cookie.path, pw),
                marks
                    .iter()
                    .filter(|m| !m.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            fit::cut(line.trim_end(), w - 10)
        }
    };
    writeln!(out, "  {}  {}", style.paint(mark, colour), rest.trim_end())?;
    if let Some(decl) = c.declaration_idx().map(|i| &s.policy().doc.cookies[i]) {
        let line = format!(
            "          {} · {} · {}",
            decl.provider, decl.function, decl.purpose
        );
        writeln!(out, "{}", style.wrap(&line, 10))?;
    }
    // In a site scope the policy speaks; the catalog explains what it does not declare.
    if c.undeclared()
        && !s.scope().kind().is_catalog()
        && let Some(k) = s.known(c.index)
    {
        let e = k.entry;
        let line = format!(
            "          known: {} · {} · {}",
            e.platform,
            e.category.id(),
            e.purpose.trim()
        );
        writeln!(out, "{}", style.wrap(&line, 10))?;
    }
    if look.show_values {
        writeln!(
            out,
            "{}",
            style.wrap(&format!("          value: {}", cookie.value), 10)
        )?;
    }
    Ok(())
}
