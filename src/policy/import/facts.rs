//! The facts a policy page states, extracted from its blocks: which
//! category each section is about, the descriptions of the kinds of cookies, the platform's address,
//! and the cookie tables (their header matched by text, in any column order,
//! in English or French). Whatever cannot be placed becomes a warning.

use super::Warning;
use super::blocks::{Block, Row, fold, words};
use crate::policy::Declaration;

/// The categories an imported policy has: id, label, required.
pub const CATEGORIES: [(&str, &str, bool); 4] = [
    ("necessary", "Necessary / functionality", true),
    ("statistical", "Statistical", false),
    ("first-party", "Internal (first-party)", false),
    ("third-party", "Third-party", false),
];

/// What the page says, as far as crumbs can tell.
#[derive(Debug, Default)]
pub struct PageFacts {
    /// The platform's address and the line it is on.
    pub url: Option<(String, usize)>,
    /// The page calls the site a platform.
    pub platform: bool,
    /// A description (and its line) per entry of [`CATEGORIES`].
    pub descriptions: [Option<(String, usize)>; 4],
    /// The declarations, in page order.
    pub declarations: Vec<Declaration>,
    /// How many tables had a recognisable cookie header.
    pub cookie_tables: usize,
    /// How many tables the page has.
    pub tables: usize,
    /// What could not be placed.
    pub warnings: Vec<Warning>,
}

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Who sets the cookie.
    Provider,
    /// Function and location.
    Function,
    /// The cookie name(s).
    Names,
    /// Purpose(s).
    Purpose,
    /// The cookie's category, per row.
    Category,
}

impl Role {
    /// How the role is named in messages.
    fn as_str(self) -> &'static str {
        match self {
            Role::Provider => "provider",
            Role::Function => "function",
            Role::Names => "cookie names",
            Role::Purpose => "purpose",
            Role::Category => "category",
        }
    }
}

/// The section being read: its category, the heading's level and line.
#[derive(Debug, Clone, Copy)]
struct Section {
    /// Index into [`CATEGORIES`].
    category: usize,
    /// The heading's level (7 for a caption or a paragraph standing as heading).
    level: u8,
}

/// A recognised table header: each column's role, and where it was.
#[derive(Debug, Clone)]
struct Header {
    /// One entry per column; None for columns crumbs does not read.
    roles: Vec<Option<Role>>,
    /// The header row's line.
    line: usize,
}

impl Header {
    /// The column holding `role`.
    fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(role))
    }
}

/// Extracts the facts of a page from its blocks.
pub fn extract(blocks: &[Block]) -> PageFacts {
    let mut r = PageFacts::default();
    let mut section: Option<Section> = None;
    // The last heading naming no category, for messages.
    let mut unknown_heading: Option<(String, usize)> = None;
    let mut last_header: Option<Header> = None;
    for block in blocks {
        match block {
            Block::Heading {
                level,
                text,
                links,
                line,
            } => {
                if r.find_url(text, links, *line) {
                    section = None;
                    continue;
                }
                match category_of(text) {
                    Some(category) => {
                        section = Some(Section {
                            category,
                            level: *level,
                        });
                        unknown_heading = None;
                    }
                    None => {
                        if section.is_some_and(|s| *level <= s.level) {
                            section = None;
                        }
                        unknown_heading = Some((text.clone(), *line));
                    }
                }
            }
            Block::Paragraph {
                text,
                links,
                lines,
                line,
            } => {
                if r.find_url(text, links, *line) {
                    section = None;
                    continue;
                }
                if text.starts_with('"') {
                    r.description(text, 0, *line);
                } else if heading_like(text, *lines) {
                    match category_of(text) {
                        Some(category) => {
                            section = Some(Section { category, level: 7 });
                            unknown_heading = None;
                        }
                        // Only a paragraph standing as heading gives way to another.
                        None if section.is_some_and(|s| s.level == 7) => {
                            section = None;
                            unknown_heading = Some((text.clone(), *line));
                        }
                        None => {}
                    }
                } else if let Some(quote) = text.find('"').filter(|&q| q <= 40) {
                    // `Les cookies « Nécessaires » permettent…`
                    r.description(text, quote, *line);
                }
            }
            Block::Table { rows, line } => {
                r.tables += 1;
                r.table(
                    rows,
                    *line,
                    section.map(|s| s.category),
                    unknown_heading.as_ref(),
                    &mut last_header,
                );
            }
        }
    }
    r
}

/// A one-line paragraph that may stand as a heading in a rendering without
/// heading markup: short, not a sentence, about cookies.
fn heading_like(text: &str, lines: usize) -> bool {
    lines == 1
        && text.chars().count() <= 160
        && !text.ends_with(['.', ';', ','])
        && fold(text).contains("cookie")
}

/// The category a heading or a kind of cookie names, if any (English or French).
pub fn category_of(text: &str) -> Option<usize> {
    let f = fold(text);
    let w = words(text);
    let has = |s: &str| f.contains(s);
    let word = |s: &str| w.iter().any(|x| x == s);
    if has("necessa")
        || has("essenti")
        || has("functionality")
        || has("fonctionnalit")
        || has("fonctionnement")
        || has("strictly")
        || has("indispensable")
    {
        Some(0)
    } else if has("statisti") || has("analytic") || has("analytique") || has("audience") {
        Some(1)
    } else if has("third-part")
        || has("third part")
        || word("tiers")
        || word("tierce")
        || word("tierces")
    {
        Some(3)
    } else if has("first-part")
        || has("first part")
        || has("internal")
        || word("interne")
        || word("internes")
        || has("proprietaire")
    {
        Some(2)
    } else {
        None
    }
}

/// The role a header cell names, if any.
fn role_of(cell: &str) -> Option<Role> {
    let w = words(cell);
    if w.is_empty() || w.len() > 6 {
        return None;
    }
    let has = |s: &str| w.iter().any(|x| x == s);
    let starts = |s: &str| w.iter().any(|x| x.starts_with(s));
    if starts("provider")
        || starts("fournisseur")
        || starts("prestataire")
        || starts("emetteur")
        || starts("editeur")
        || starts("vendor")
        || starts("issuer")
        || starts("publisher")
    {
        Some(Role::Provider)
    } else if starts("categor") || has("type") || has("types") {
        Some(Role::Category)
    } else if starts("purpose")
        || starts("finalit")
        || starts("objectif")
        || starts("description")
        || w == ["but"]
    {
        Some(Role::Purpose)
    } else if starts("function")
        || starts("fonction")
        || has("location")
        || has("localisation")
        || has("emplacement")
        || has("role")
    {
        Some(Role::Function)
    } else if w.len() <= 4
        && (starts("cookie") && (starts("name") || starts("nom"))
            || matches!(
                w.iter().map(String::as_str).collect::<Vec<_>>()[..],
                ["name"]
                    | ["names"]
                    | ["name", "s"]
                    | ["nom"]
                    | ["noms"]
                    | ["nom", "s"]
                    | ["cookie"]
                    | ["cookies"]
                    | ["cookie", "s"]
            ))
    {
        Some(Role::Names)
    } else {
        None
    }
}

/// The header a row is, if it is one: it names the cookie-name column and at least one other.
fn header_of(row: &Row) -> Option<Header> {
    let roles: Vec<Option<Role>> = row.cells.iter().map(|c| role_of(c)).collect();
    let known = roles.iter().flatten().count();
    (roles.contains(&Some(Role::Names)) && known >= 2).then_some(Header {
        roles,
        line: row.line,
    })
}

/// The cookie names of a cell (`_ga, _ga_*`; `a et b`; `_ga_<id>` → `_ga_*`),
/// and the pieces that are not cookie names.
pub fn split_names(cell: &str) -> (Vec<String>, Vec<String>) {
    let mut plain = String::with_capacity(cell.len());
    let mut rejected = Vec::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        let close = match c {
            '<' => '>',
            '{' => '}',
            '(' => ')',
            _ => {
                plain.push(c);
                continue;
            }
        };
        let mut inside = String::new();
        for d in chars.by_ref() {
            if d == close {
                break;
            }
            inside.push(d);
        }
        if c == '(' {
            // A remark such as (see below): not a name.
            rejected.push(format!("({inside})"));
            plain.push(' ');
        } else {
            // A placeholder such as <container-id>: any characters.
            plain.push('*');
        }
    }
    let mut names = Vec::new();
    for piece in plain.split(|c: char| c == ',' || c == ';' || c == '/' || c.is_whitespace()) {
        if piece.is_empty() || matches!(fold(piece).as_str(), "and" | "et" | "or" | "ou" | "&") {
            continue;
        }
        if is_cookie_name(piece) {
            if !names.iter().any(|n| n == piece) {
                names.push(piece.to_string());
            }
        } else {
            rejected.push(piece.to_string());
        }
    }
    (names, rejected)
}

/// A cookie-name token (RFC 6265), `*` allowed as a glob, not only `*`s.
fn is_cookie_name(s: &str) -> bool {
    s.bytes().any(|b| b != b'*')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The first `http://` or `https://` address in `text`, without trailing punctuation.
fn url_in(text: &str) -> Option<&str> {
    let start = text.find("https://").or_else(|| text.find("http://"))?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | ']'))
        .unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']))
}

/// Short text for messages: the first 60 characters.
fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

impl PageFacts {
    /// Adds a warning.
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning {
            line: Some(line),
            message,
        });
    }

    /// Takes the platform's address from a heading or paragraph that names a
    /// platform or portal and holds an address; true when this one did.
    fn find_url(&mut self, text: &str, links: &[String], line: usize) -> bool {
        let w = words(text);
        let platform = w.iter().any(|x| x == "platform" || x == "plateforme");
        let portal = w.iter().any(|x| x == "portal" || x == "portail");
        if !(platform || portal) {
            return false;
        }
        let url = url_in(text).or_else(|| {
            links
                .iter()
                .map(String::as_str)
                .find(|l| l.starts_with("http://") || l.starts_with("https://"))
        });
        let Some(url) = url else {
            return false;
        };
        match &self.url {
            None => {
                self.url = Some((url.to_string(), line));
                self.platform = platform;
            }
            Some((first, first_line)) if first != url => {
                let message = format!(
                    "another platform address, {url}; the first one ({first}, line {first_line}) is used"
                );
                self.warn(line, message);
            }
            Some(_) => {}
        }
        true
    }

    /// A paragraph that names a quoted kind of cookie at its start (its quote
    /// at byte `quote`: 0, or within the first words): its description. A
    /// kind crumbs has no category for is a warning when the paragraph starts
    /// with it, and is passed over otherwise (`A "cookie" is…`).
    fn description(&mut self, text: &str, quote: usize, line: usize) {
        let Some(term) = text[quote + 1..].split('"').next() else {
            return;
        };
        if term.split_whitespace().count() > 5 || !fold(text).contains("cookie") {
            return;
        }
        match category_of(term) {
            Some(i) => match &self.descriptions[i] {
                None => self.descriptions[i] = Some((text.to_string(), line)),
                Some((_, first)) => {
                    let message = format!(
                        "a second description of {} cookies (\"{}\"); the one on line {first} is kept",
                        CATEGORIES[i].0,
                        excerpt(text)
                    );
                    self.warn(line, message);
                }
            },
            None if quote == 0 => {
                let message = format!(
                    "a kind of cookie crumbs has no category for (\"{term}\"): its description is \
                     left out; crumbs' categories are {}",
                    category_ids()
                );
                self.warn(line, message);
            }
            None => {}
        }
    }

    /// Reads one table.
    fn table(
        &mut self,
        rows: &[Row],
        line: usize,
        section: Option<usize>,
        unknown_heading: Option<&(String, usize)>,
        last_header: &mut Option<Header>,
    ) {
        let rows: Vec<&Row> = rows
            .iter()
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        let Some(first) = rows.iter().position(|r| header_of(r).is_some()) else {
            self.headerless(&rows, line, section, unknown_heading, last_header);
            return;
        };
        for r in &rows[..first] {
            let message = format!(
                "a row above the table's header (\"{}\"); left out",
                excerpt(&r.cells.join(" | "))
            );
            self.warn(r.line, message);
        }
        self.cookie_tables += 1;
        let mut header: Option<Header> = None;
        for r in &rows[first..] {
            if let Some(h) = header_of(r) {
                let same = header.as_ref().is_some_and(|old| old.roles == h.roles);
                if !same {
                    self.check_header(r, &h);
                }
                *last_header = Some(h.clone());
                header = Some(h);
                continue;
            }
            if let Some(h) = &header {
                self.row(r, h, section, unknown_heading);
            }
        }
    }

    /// A table without a header: read with the previous cookie table's
    /// columns when it has as many, else left out. Either way, a warning.
    fn headerless(
        &mut self,
        rows: &[&Row],
        line: usize,
        section: Option<usize>,
        unknown_heading: Option<&(String, usize)>,
        last_header: &Option<Header>,
    ) {
        let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        match last_header {
            Some(h) if !rows.is_empty() && width == h.roles.len() => {
                let message = format!(
                    "a table without a header row; read with the columns of the header on line {}",
                    h.line
                );
                self.warn(line, message);
                for r in rows {
                    self.row(r, h, section, unknown_heading);
                }
            }
            _ if rows.is_empty() => {}
            _ => {
                let message = format!(
                    "a table without a header naming a cookie-name column (such as \"Cookie \
                     name(s)\" or \"Nom du cookie\"); its {} rows are left out",
                    rows.len()
                );
                self.warn(line, message);
            }
        }
    }

    /// Warns about the columns of a header crumbs does not read, or reads twice.
    fn check_header(&mut self, row: &Row, h: &Header) {
        for (i, (cell, role)) in row.cells.iter().zip(&h.roles).enumerate() {
            match role {
                None if !cell.trim().is_empty() => {
                    let message = format!(
                        "column {} (\"{cell}\") is not one crumbs reads (provider, function, \
                         cookie names, purpose, category); ignored",
                        i + 1
                    );
                    self.warn(row.line, message);
                }
                Some(role) if h.column(*role) != Some(i) => {
                    let message = format!(
                        "column {} (\"{cell}\") is a second {} column; ignored",
                        i + 1,
                        role.as_str()
                    );
                    self.warn(row.line, message);
                }
                _ => {}
            }
        }
    }

    /// Reads one data row under `h`.
    fn row(
        &mut self,
        r: &Row,
        h: &Header,
        section: Option<usize>,
        unknown_heading: Option<&(String, usize)>,
    ) {
        let cell = |role: Role| {
            h.column(role)
                .and_then(|i| r.cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        for (i, extra) in r.cells.iter().enumerate().skip(h.roles.len()) {
            if !extra.trim().is_empty() {
                let message = format!(
                    "cell {} (\"{}\") is beyond the header's {} columns; ignored",
                    i + 1,
                    excerpt(extra),
                    h.roles.len()
                );
                self.warn(r.line, message);
            }
        }
        let (mut names, rejected) = split_names(&cell(Role::Names));
        for bad in rejected {
            let message = format!("\"{bad}\" is not a cookie name; left out");
            self.warn(r.line, message);
        }
        let row_text = || excerpt(&r.cells.join(" | "));
        if names.is_empty() {
            let message = format!("a row without a cookie name (\"{}\"); left out", row_text());
            self.warn(r.line, message);
            return;
        }
        let category = match h.column(Role::Category).map(|_| cell(Role::Category)) {
            Some(text) if !text.is_empty() => match category_of(&text) {
                Some(c) => Some(c),
                None => {
                    let message = format!(
                        "category \"{text}\" is none of crumbs' ({}); the section's is used",
                        category_ids()
                    );
                    self.warn(r.line, message);
                    section
                }
            },
            _ => section,
        };
        let Some(category) = category else {
            let under = match unknown_heading {
                Some((text, line)) => format!(
                    "the heading above it (line {line}: \"{}\") names no category crumbs knows",
                    excerpt(text)
                ),
                None => "no heading above it names a category".to_string(),
            };
            let message = format!(
                "{} not declared: {under} ({}); name the category in a heading or a \
                 category column",
                names.join(", "),
                category_ids()
            );
            self.warn(r.line, message);
            return;
        };
        let taken: Vec<String> = names
            .iter()
            .filter(|n| self.declarations.iter().any(|d| d.names.contains(n)))
            .cloned()
            .collect();
        if !taken.is_empty() {
            let message = format!(
                "{} already declared by an earlier row; left out of this one",
                taken.join(", ")
            );
            self.warn(r.line, message);
            names.retain(|n| !taken.contains(n));
            if names.is_empty() {
                return;
            }
        }
        self.declarations.push(Declaration {
            names,
            category: CATEGORIES[category].0.to_string(),
            provider: cell(Role::Provider),
            function: cell(Role::Function),
            purpose: cell(Role::Purpose),
            domain: None,
            max_age_days: None,
            source: None,
        });
    }
}

/// The category ids, joined for messages.
fn category_ids() -> String {
    CATEGORIES.map(|c| c.0).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Row {
        Row {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            line: 1,
        }
    }

    #[test]
    fn categories_in_both_languages() {
        let cases = [
            (
                "Cookies necessary for the platform to function properly/functionality cookies",
                Some(0),
            ),
            ("Cookies n\u{e9}cessaires au bon fonctionnement", Some(0)),
            ("Statistical cookies", Some(1)),
            ("Cookies de mesure d'audience", Some(1)),
            ("Internal", Some(2)),
            ("Cookies internes", Some(2)),
            ("first-party", Some(2)),
            ("Third-party", Some(3)),
            ("Cookies tiers", Some(3)),
            ("What is a cookie?", None),
            ("Advertising", None),
        ];
        for (text, want) in cases {
            assert_eq!(category_of(text), want, "{text}");
        }
    }

    #[test]
    fn header_roles() {
        let h = header_of(&row(&[
            "Service provider's name",
            "Function and location",
            "Cookie name(s)",
            "Purposes",
        ]))
        .expect("header");
        assert_eq!(
            h.roles,
            [
                Some(Role::Provider),
                Some(Role::Function),
                Some(Role::Names),
                Some(Role::Purpose)
            ]
        );
        let h = header_of(&row(&[
            "Finalit\u{e9}",
            "Nom du cookie",
            "Dur\u{e9}e",
            "Fournisseur",
        ]))
        .expect("french header");
        assert_eq!(
            h.roles,
            [
                Some(Role::Purpose),
                Some(Role::Names),
                None,
                Some(Role::Provider)
            ]
        );
        for data in [
            [
                "Opendatasoft",
                "Authentication (front and back office)",
                "sessionid",
                "To remember the user from one page to another",
            ],
            [
                "Opendatasoft",
                "Choices related to your cookie preferences",
                "cookies_preferences",
                "To remember the visitor's cookie preferences",
            ],
            [
                "Google",
                "Authentication function",
                "uid",
                "To remember the user's name",
            ],
        ] {
            assert!(header_of(&row(&data)).is_none(), "{data:?}");
        }
    }

    #[test]
    fn names_in_a_cell() {
        assert_eq!(
            split_names("_ga, _ga_*"),
            (vec!["_ga".into(), "_ga_*".into()], vec![])
        );
        assert_eq!(
            split_names("_pk_id.* / _pk_ses.* et _ga_<container-id>"),
            (
                vec!["_pk_id.*".into(), "_pk_ses.*".into(), "_ga_*".into()],
                vec![]
            )
        );
        assert_eq!(
            split_names("sessionid (HttpOnly) *"),
            (
                vec!["sessionid".into()],
                vec!["(HttpOnly)".into(), "*".into()]
            )
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            url_in("What cookies are used on the https://a.example.com platform"),
            Some("https://a.example.com")
        );
        assert_eq!(
            url_in("see <https://a.example/x>."),
            Some("https://a.example/x")
        );
        assert_eq!(url_in("no address"), None);
    }
}
