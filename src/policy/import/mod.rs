//! `crumbs policy import`: a platform's published cookie-policy page → a
//! policy (DESIGN §5).
//!
//! Three renderings of the page are understood, told apart by their content:
//! the plain text of a PDF or of a browser's "save as text" (TAB-separated
//! table rows whose cells wrap onto TAB-led continuation lines), Markdown
//! (`#` headings, TAB or pipe tables, links) and HTML (`<h2>`–`<h4>`
//! headings, `<table>`s). Each reader turns the page into [`blocks`]; [`read`]
//! finds the facts in them; [`import`] makes the policy and checks it like
//! any policy file.

mod blocks;
mod facts;
mod html;
mod text;

use std::collections::HashMap;

use super::host::{is_host, normalize_host};
use super::pattern::PatternKind;
use super::{Category, Declaration, PolicyDoc, PolicyError, Undeclared};

pub use facts::CATEGORIES;

/// How long a consent lasts when the page does not say: about six months.
pub const DEFAULT_CONSENT_LIFETIME_DAYS: u32 = 182;

/// The preferences cookie when the page declares none.
pub const DEFAULT_PREFERENCES_COOKIE: &str = "cookies_preferences";

/// Choices the page cannot make.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The site (host) the policy is for, instead of the page's platform address.
    pub site: Option<String>,
    /// The revision label (the caller passes today's date).
    pub revision: String,
}

/// The rendering a page was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    /// Plain text (a PDF's text, a browser's "save as text").
    Text,
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
}

impl PageFormat {
    /// The name used in messages and the policy's `source`.
    pub fn as_str(self) -> &'static str {
        match self {
            PageFormat::Text => "plain text",
            PageFormat::Markdown => "Markdown",
            PageFormat::Html => "HTML",
        }
    }
}

/// Something on the page that crumbs could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// One-based line of the page, when it is about one place.
    pub line: Option<usize>,
    /// What was left out or assumed, and why.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// An imported policy and what could not be placed.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The policy, valid by the rules of [`crate::policy::Policy::from_json`].
    pub doc: PolicyDoc,
    /// Warnings, in page order (then general ones).
    pub warnings: Vec<Warning>,
    /// How the page was read.
    pub format: PageFormat,
}

/// Errors importing a page.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No table with a recognisable cookie header.
    #[error(
        "{origin}: no cookie table found (read as {}; {tables} tables); expected a table whose \
         header names the cookie names, such as \"Cookie name(s)\" or \"Nom du cookie\", \
         next to the provider, function or purpose",
        .format.as_str()
    )]
    NoTable {
        /// The page.
        origin: String,
        /// How it was read.
        format: PageFormat,
        /// How many tables it has (none of them of cookies).
        tables: usize,
    },
    /// No platform address, and no site given.
    #[error(
        "{origin}: no platform address found (expected a heading such as \"What cookies are used \
         on the https://… platform\"); give the site's host (--site HOST)"
    )]
    NoSite {
        /// The page.
        origin: String,
    },
    /// The site given, or the page's address, is not a host name.
    #[error("{site:?} is not a host name; expected a host such as portal.example.com")]
    BadSite {
        /// The site as found or given.
        site: String,
    },
    /// The policy made from the page breaks a rule of the schema.
    #[error("{origin}: the policy read from the page is not valid: {source}")]
    Invalid {
        /// The page.
        origin: String,
        /// The rule broken.
        source: PolicyError,
    },
}

/// Tells which rendering `page` is: HTML when it starts with markup or holds
/// a `<table>` with cells; Markdown when it has `#` headings or pipe tables;
/// plain text otherwise.
pub fn detect(page: &str) -> PageFormat {
    let head = page.trim_start_matches('\u{feff}').trim_start();
    let lower: String = head
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    let starts_with_markup = [
        "<!doctype",
        "<html",
        "<!--",
        "<head",
        "<body",
        "<meta",
        "<div",
        "<section",
        "<main",
        "<article",
        "<table",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<p>",
        "<p ",
    ]
    .iter()
    .any(|t| lower.starts_with(t));
    let lower_page = page.to_ascii_lowercase();
    let has_table =
        lower_page.contains("<table") && (lower_page.contains("<td") || lower_page.contains("<th"));
    if starts_with_markup || has_table {
        PageFormat::Html
    } else if text::read(page).1 {
        PageFormat::Markdown
    } else {
        PageFormat::Text
    }
}

/// Reads a published cookie-policy page into a policy. `origin` names the
/// page in messages and in the policy's `source`.
pub fn import(page: &str, origin: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let page = page.strip_prefix('\u{feff}').unwrap_or(page);
    let format = detect(page);
    let blocks = match format {
        PageFormat::Html => html::read(page),
        PageFormat::Text | PageFormat::Markdown => text::read(page).0,
    };
    let mut reading = facts::extract(&blocks);
    if reading.cookie_tables == 0 {
        return Err(ImportError::NoTable {
            origin: origin.to_string(),
            format,
            tables: reading.tables,
        });
    }
    let site = match (&opts.site, &reading.url) {
        (Some(site), _) => site.clone(),
        (None, Some((url, _))) => url.clone(),
        (None, None) => {
            return Err(ImportError::NoSite {
                origin: origin.to_string(),
            });
        }
    };
    let host = normalize_host(&site);
    if !is_host(&host) {
        return Err(ImportError::BadSite { site });
    }
    let mut warnings = std::mem::take(&mut reading.warnings);
    let preferences = preferences_cookie(&mut reading.declarations, &mut warnings);
    let publisher = publisher(&reading.declarations).unwrap_or_else(|| host.clone());
    let name = if reading.platform {
        format!("{publisher} platform cookie policy")
    } else {
        format!("{publisher} cookie policy")
    };
    let source = source_note(origin, format, &reading, &host, &preferences);
    let categories = CATEGORIES
        .iter()
        .zip(&reading.descriptions)
        .map(|((id, label, required), description)| Category {
            id: id.to_string(),
            label: label.to_string(),
            required: *required,
            description: description
                .as_ref()
                .map(|(d, _)| d.clone())
                .unwrap_or_default(),
        })
        .collect();
    let doc = PolicyDoc {
        schema: 1,
        name,
        publisher,
        sites: vec![host],
        revision: opts.revision.clone(),
        consent_lifetime_days: DEFAULT_CONSENT_LIFETIME_DAYS,
        preferences_cookie: preferences.name,
        categories,
        cookies: reading.declarations,
        undeclared: Undeclared {
            first_party: "first-party".into(),
            third_party: "third-party".into(),
        },
        source: Some(source),
    };
    check(&doc, origin)?;
    Ok(Imported {
        doc,
        warnings,
        format,
    })
}

/// Checks the policy by the rules every policy file obeys.
fn check(doc: &PolicyDoc, origin: &str) -> Result<(), ImportError> {
    let invalid = |source| ImportError::Invalid {
        origin: origin.to_string(),
        source,
    };
    let json = serde_json::to_string(doc).map_err(|e| {
        invalid(PolicyError::Invalid {
            origin: origin.to_string(),
            line: None,
            field: String::new(),
            message: e.to_string(),
        })
    })?;
    super::Policy::from_json(&json, origin)
        .map(|_| ())
        .map_err(invalid)
}

/// The preferences cookie and whether crumbs had to add its declaration.
struct Preferences {
    /// Its name.
    name: String,
    /// True when the page does not declare it and crumbs added it.
    added: bool,
}

/// Finds the cookie that stores the visitor's choices: a necessary cookie
/// whose function or purpose speaks of cookie preferences or consent. When
/// the page declares none, `cookies_preferences` is declared as necessary,
/// with a warning.
fn preferences_cookie(decls: &mut Vec<Declaration>, warnings: &mut Vec<Warning>) -> Preferences {
    let found = decls.iter().find_map(|d| {
        let text = blocks::fold(&format!("{} {}", d.function, d.purpose));
        let about = (text.contains("cookie")
            && (text.contains("preference") || text.contains("choice") || text.contains("choix")))
            || text.contains("consent");
        let exact = d
            .names
            .iter()
            .find(|n| PatternKind::of(n) == PatternKind::Exact);
        (d.category == CATEGORIES[0].0 && about)
            .then_some(exact)
            .flatten()
    });
    if let Some(name) = found {
        return Preferences {
            name: name.clone(),
            added: false,
        };
    }
    let name = DEFAULT_PREFERENCES_COOKIE.to_string();
    if let Some(d) = decls.iter().find(|d| d.names.contains(&name)) {
        if d.category != CATEGORIES[0].0 {
            warnings.push(Warning {
                line: None,
                message: format!(
                    "the page puts {name}, the cookie crumbs stores the consent in, in {}; \
                     crumbs needs it necessary, so the policy will not load until that is changed",
                    d.category
                ),
            });
        }
        return Preferences { name, added: false };
    }
    warnings.push(Warning {
        line: None,
        message: format!(
            "the page declares no cookie for the visitor's choices; {name} is declared as a \
             necessary cookie (crumbs stores the consent in it)"
        ),
    });
    decls.push(Declaration {
        names: vec![name.clone()],
        category: CATEGORIES[0].0.into(),
        provider: String::new(),
        function: "Choices related to your cookie preferences".into(),
        purpose: "To remember the visitor's cookie preferences".into(),
        domain: None,
        max_age_days: None,
        source: Some("crumbs: not on the page; crumbs stores the consent in this cookie".into()),
    });
    Preferences { name, added: true }
}

/// The provider named most often (the first of the most frequent).
fn publisher(decls: &[Declaration]) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, d) in decls.iter().enumerate() {
        if !d.provider.is_empty() {
            counts.entry(&d.provider).or_insert((0, i)).0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
        .map(|(p, _)| p.to_string())
}

/// A number in words when small (`four`), else in digits.
fn count(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// The policy's `source`: where its facts come from, and which are crumbs'.
fn source_note(
    origin: &str,
    format: PageFormat,
    r: &facts::PageFacts,
    host: &str,
    prefs: &Preferences,
) -> String {
    let described = r.descriptions.iter().flatten().count();
    let declared = r.declarations.len() - usize::from(prefs.added);
    let mut note = format!(
        "Imported by crumbs policy import from {origin} (read as {})",
        format.as_str()
    );
    if let Some((url, _)) = &r.url {
        note.push_str(&format!(", the cookie policy page of {url}"));
    }
    note.push_str(": ");
    let mut facts = Vec::new();
    if described > 0 {
        facts.push(format!(
            "the {} kinds of cookies and their descriptions",
            count(described)
        ));
    }
    facts.push(format!(
        "the {} cookies of its {} with provider, function and purpose",
        count(declared),
        if r.cookie_tables == 1 {
            "table"
        } else {
            "tables"
        }
    ));
    note.push_str(&facts.join(", and "));
    note.push_str(&format!(
        ". revision (the import date) and consent_lifetime_days are crumbs defaults, not stated \
         by the page; the category ids and labels, the site {host} and the undeclared mapping \
         are crumbs' reading of the page."
    ));
    let empty: Vec<&str> = CATEGORIES
        .iter()
        .map(|c| c.0)
        .filter(|id| !r.declarations.iter().any(|d| d.category == *id))
        .collect();
    if !empty.is_empty() {
        let list = match empty.as_slice() {
            [one] => one.to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
            [] => String::new(),
        };
        note.push_str(&format!(
            " The page names no {list} cookies, so none are declared here."
        ));
    }
    if prefs.added {
        note.push_str(&format!(
            " The page declares no cookie for the visitor's choices: {} is crumbs' own.",
            prefs.name
        ));
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        assert_eq!(detect("<!DOCTYPE html><html>"), PageFormat::Html);
        assert_eq!(detect("\u{feff}  <html>"), PageFormat::Html);
        assert_eq!(
            detect("Title\n\n<table><tr><td>a</td></tr></table>"),
            PageFormat::Html
        );
        assert_eq!(detect("## Title\n\ntext"), PageFormat::Markdown);
        assert_eq!(detect("<https://a.example> is a link\n"), PageFormat::Text);
        assert_eq!(detect("Title\n\na\tb\n"), PageFormat::Text);
    }

    #[test]
    fn publisher_is_the_most_named_provider() {
        let d = |p: &str| Declaration {
            names: vec!["x".into()],
            category: "necessary".into(),
            provider: p.into(),
            function: String::new(),
            purpose: String::new(),
            domain: None,
            max_age_days: None,
            source: None,
        };
        assert_eq!(publisher(&[d("B"), d("A"), d("A")]).as_deref(), Some("A"));
        assert_eq!(publisher(&[d("B"), d("A")]).as_deref(), Some("B"));
        assert_eq!(publisher(&[d("")]), None);
    }
}
