//! The known-cookie catalog (DESIGN §5b): the Open Cookie Database, embedded
//! or read from a newer CSV, indexed so that a cookie's name and domain find
//! the entry that explains it.

pub mod governing;
mod index;
pub mod load;

use std::path::{Path, PathBuf};

pub use load::KnownError;

use crate::dirs::Dirs;
use index::Index;

/// The embedded Open Cookie Database CSV.
pub const EMBEDDED_CSV: &str = include_str!("../../assets/known/open-cookie-database.csv");

/// Its licence, shipped beside it as the Apache License asks.
pub const EMBEDDED_LICENSE: &str = include_str!("../../assets/known/LICENSE-open-cookie-database");

/// The date of the upstream commit the embedded CSV comes from.
pub const EMBEDDED_DATE: &str = "2026-01-21";

/// Where the embedded data comes from, for the README, `--version` and `policy show`.
pub const ATTRIBUTION: &str = "Open Cookie Database by Jan Kwakman and contributors \
(Apache License 2.0), github.com/jkwakman/Open-Cookie-Database, commit 0ee5a17 (2026-01-21)";

/// `crumbs --version`: the version and the catalog's attribution.
pub const VERSION_TEXT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nknown-cookie catalog: Open Cookie Database by Jan Kwakman and contributors \
(Apache License 2.0), github.com/jkwakman/Open-Cookie-Database, commit 0ee5a17 (2026-01-21)"
);

/// The file name a newer CSV has in the data dir.
pub const FILE_NAME: &str = "open-cookie-database.csv";

/// A catalog category (DESIGN §5b table); cookies in none are `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// The database's Functional, Necessary and Security: required, kept.
    Necessary,
    /// Personalization.
    Personalization,
    /// Analytics.
    Analytics,
    /// Marketing.
    Marketing,
}

impl Category {
    /// Every category, in the catalog policy's order.
    pub const ALL: [Category; 4] = [
        Category::Necessary,
        Category::Personalization,
        Category::Analytics,
        Category::Marketing,
    ];

    /// The database's category name → crumbs' category.
    pub fn from_database(name: &str) -> Option<Category> {
        match name.trim() {
            "Functional" | "Necessary" | "Security" => Some(Category::Necessary),
            "Personalization" => Some(Category::Personalization),
            "Analytics" => Some(Category::Analytics),
            "Marketing" => Some(Category::Marketing),
            _ => None,
        }
    }

    /// The category id of the catalog policy and of `--json`.
    pub fn id(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Personalization => "personalization",
            Category::Analytics => "analytics",
            Category::Marketing => "marketing",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Category::Necessary => "Necessary (functional, security)",
            Category::Personalization => "Personalization",
            Category::Analytics => "Analytics",
            Category::Marketing => "Marketing",
        }
    }

    /// True for what an auditor looks for first: analytics and marketing.
    pub fn is_tracking(self) -> bool {
        matches!(self, Category::Analytics | Category::Marketing)
    }
}

/// One entry of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The database's ID column.
    pub id: String,
    /// Who makes the script or service (`Google Analytics`).
    pub platform: String,
    /// crumbs' category.
    pub category: Category,
    /// The name, or the name's prefix for a wildcard entry.
    pub name: String,
    /// True when `name` is a prefix.
    pub wildcard: bool,
    /// The platform domains the entry is restricted to (lower case, no dot); empty: any.
    pub domains: Vec<String>,
    /// What the cookie is for.
    pub purpose: String,
    /// How long it lives, as the database words it.
    pub retention: String,
    /// The data controller.
    pub controller: String,
    /// Where users exercise their rights.
    pub privacy_link: String,
}

/// How an entry matched a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The exact name, on the entry's platform domain.
    NameOnDomain,
    /// The exact name; the entry names no domain.
    Name,
    /// The exact name starting with `_`, set by the platform's tag on the site's own domain.
    NameTag,
    /// The name's prefix, on the entry's platform domain.
    PrefixOnDomain,
    /// The name's prefix; the entry names no domain.
    Prefix,
    /// The name's prefix (starting with `_`), set by the platform's tag on the site's domain.
    PrefixTag,
}

impl MatchKind {
    /// The name used in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::NameOnDomain => "name-on-domain",
            MatchKind::Name => "name",
            MatchKind::NameTag => "name-tag",
            MatchKind::PrefixOnDomain => "prefix-on-domain",
            MatchKind::Prefix => "prefix",
            MatchKind::PrefixTag => "prefix-tag",
        }
    }
}

/// A cookie the catalog knows: the entry and how it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known<'c> {
    /// The entry.
    pub entry: &'c Entry,
    /// How it matched.
    pub how: MatchKind,
}

/// Where the catalog in use comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The copy embedded in the binary.
    Embedded,
    /// A newer CSV in the data dir.
    DataDir(PathBuf),
    /// `--known FILE`.
    Flag(PathBuf),
}

/// The known-cookie catalog, indexed.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
    index: Index,
    /// Where it comes from.
    pub source: Source,
    /// The data's date (`YYYY-MM-DD`): the upstream commit's, or the file's modification day.
    pub date: String,
}

/// Counts of the catalog's entries (the mapping figures of `policy show --known`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    /// Entries in all.
    pub entries: usize,
    /// Entries per crumbs category, in [`Category::ALL`] order.
    pub by_category: Vec<(&'static str, usize)>,
    /// Entries whose name is a prefix.
    pub wildcards: usize,
    /// Entries restricted to platform domains.
    pub domain_restricted: usize,
}

impl Catalog {
    /// The embedded catalog.
    pub fn embedded() -> Result<Catalog, KnownError> {
        let entries = load::parse(EMBEDDED_CSV.as_bytes(), "embedded:open-cookie-database.csv")?;
        Ok(Catalog::new(
            entries,
            Source::Embedded,
            EMBEDDED_DATE.into(),
        ))
    }

    /// A catalog that knows no cookie (stands in for an embedded CSV that
    /// failed to parse, which a unit test rules out).
    pub fn empty() -> Catalog {
        Catalog::new(Vec::new(), Source::Embedded, EMBEDDED_DATE.into())
    }

    /// The catalog read from `path`.
    pub fn from_path(path: &Path, source: Source) -> Result<Catalog, KnownError> {
        let (entries, date) = load::from_path(path)?;
        Ok(Catalog::new(entries, source, date))
    }

    /// The catalog in use: `explicit` (`--known FILE`), else a CSV in the data
    /// dir, else the embedded one. A file that is there but malformed is an
    /// error, never a reason to fall back.
    pub fn locate(explicit: Option<&Path>, dirs: Option<&Dirs>) -> Result<Catalog, KnownError> {
        if let Some(path) = explicit {
            return Catalog::from_path(path, Source::Flag(path.to_path_buf()));
        }
        if let Some(path) = dirs.map(|d| d.data.join(FILE_NAME))
            && path.exists()
        {
            return Catalog::from_path(&path, Source::DataDir(path.clone()));
        }
        Catalog::embedded()
    }

    fn new(entries: Vec<Entry>, source: Source, date: String) -> Catalog {
        let index = Index::new(&entries);
        Catalog {
            entries,
            index,
            source,
            date,
        }
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry that explains a cookie named `name` on `domain` (lower case,
    /// no leading dot), and how it matched; None when the catalog does not know it.
    pub fn lookup(&self, name: &str, domain: &str) -> Option<Known<'_>> {
        self.index
            .lookup(&self.entries, name, domain)
            .map(|(i, how)| Known {
                entry: &self.entries[i],
                how,
            })
    }

    /// [`Catalog::lookup`] as the entry's position in [`Catalog::entries`].
    pub fn lookup_index(&self, name: &str, domain: &str) -> Option<usize> {
        self.index
            .lookup(&self.entries, name, domain)
            .map(|(i, _)| i)
    }

    /// Where the catalog comes from, for people (`embedded (...)` or the path).
    pub fn origin(&self) -> String {
        match &self.source {
            Source::Embedded => format!("embedded: {ATTRIBUTION}"),
            Source::DataDir(p) => format!("{} (data dir)", p.display()),
            Source::Flag(p) => format!("{} (--known)", p.display()),
        }
    }

    /// The mapping figures.
    pub fn figures(&self) -> Figures {
        let by_category = Category::ALL
            .iter()
            .map(|&c| {
                let n = self.entries.iter().filter(|e| e.category == c).count();
                (c.id(), n)
            })
            .collect();
        Figures {
            entries: self.entries.len(),
            by_category,
            wildcards: self.entries.iter().filter(|e| e.wildcard).count(),
            domain_restricted: self
                .entries
                .iter()
                .filter(|e| !e.domains.is_empty())
                .count(),
        }
    }
}

#[cfg(test)]
mod tests;
