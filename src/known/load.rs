//! Reading the Open Cookie Database CSV: its columns, its categories, its
//! free-text Domain column. Anything unexpected is an error naming the line.

use std::path::Path;

use super::{Category, Entry};

/// Errors reading a catalog CSV.
#[derive(Debug, thiserror::Error)]
pub enum KnownError {
    /// The file could not be read.
    #[error("{origin}: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The CSV is malformed or a field is not what the database holds.
    #[error("{origin}:{line}: {message}")]
    Syntax {
        /// The file (or `embedded:...`).
        origin: String,
        /// One-based line.
        line: u64,
        /// What was expected.
        message: String,
    },
}

/// Why a record of the CSV is not an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum EntryError {
    /// The Category field, not one the database uses.
    #[error(
        "Category {0:?}: expected Functional, Necessary, Security, Personalization, Analytics or Marketing"
    )]
    Category(String),
    /// The Wildcard match field, neither 0 nor 1.
    #[error("Wildcard match {0:?}: expected 0 or 1")]
    Wildcard(String),
    /// No name, or a lone `*`.
    #[error("empty cookie name; expected a name or a name prefix")]
    EmptyName,
}

/// The columns crumbs reads, by their header names.
const COLUMNS: [&str; 10] = [
    "ID",
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Data Controller",
    "User Privacy & GDPR Rights Portals",
    "Wildcard match",
];

/// Reads the CSV at `path`; also gives the file's modification day as its date.
pub fn from_path(path: &Path) -> Result<(Vec<Entry>, String), KnownError> {
    let origin = path.display().to_string();
    let io = |source| KnownError::Io {
        origin: origin.clone(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let date = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| time::OffsetDateTime::from(t).date().to_string())
        .unwrap_or_else(|| "unknown date".into());
    Ok((parse(&bytes, &origin)?, date))
}

/// Parses the CSV; `origin` names it in messages.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Vec<Entry>, KnownError> {
    let syntax = |line: u64, message: String| KnownError::Syntax {
        origin: origin.to_string(),
        line,
        message,
    };
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, csv::Position::line);
        syntax(line, format!("malformed CSV: {e}"))
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut at = [0usize; COLUMNS.len()];
    for (slot, want) in at.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == want)
            .ok_or_else(|| {
                syntax(
                    1,
                    format!(
                        "expected the Open Cookie Database header with a {want:?} column; found {:?}",
                        headers.iter().collect::<Vec<_>>().join(",")
                    ),
                )
            })?;
    }
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, csv::Position::line);
        let field = |i: usize| record.get(at[i]).unwrap_or("").trim();
        let entry = entry(field).map_err(|e| syntax(line, e.to_string()))?;
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(syntax(
            1,
            "expected at least one entry after the header".into(),
        ));
    }
    Ok(entries)
}

/// One record's fields (by [`COLUMNS`] index) as an entry.
fn entry<'r>(field: impl Fn(usize) -> &'r str) -> Result<Entry, EntryError> {
    let category = Category::from_database(field(2))
        .ok_or_else(|| EntryError::Category(field(2).to_owned()))?;
    let raw_name = field(3);
    let wildcard = match field(9) {
        "1" => true,
        "0" | "" => false,
        other => return Err(EntryError::Wildcard(other.to_owned())),
    };
    // A few entries write their prefix as a glob (`SSPR_*`) rather than flag it.
    let (name, wildcard) = match raw_name.strip_suffix('*') {
        Some(prefix) => (prefix, true),
        None => (raw_name, wildcard),
    };
    if name.is_empty() {
        return Err(EntryError::EmptyName);
    }
    Ok(Entry {
        id: field(0).to_string(),
        platform: field(1).to_string(),
        category,
        name: name.to_string(),
        wildcard,
        domains: domains(field(4)),
        purpose: field(5).to_string(),
        retention: field(6).to_string(),
        controller: field(7).to_string(),
        privacy_link: field(8).to_string(),
    })
}

/// The platform domains of the free-text Domain column: `facebook.com (3rd
/// party)`, `.bing.com (3rd party) or .microsoft.com (3rd party)`,
/// `ads-[account].adhese.com` (a placeholder label: the domain after it).
pub fn domains(raw: &str) -> Vec<String> {
    let raw = raw.replace('\u{200b}', "");
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(" or ") {
        let mut d = part.replace("(3rd party)", "");
        if let Some((_, after)) = d.rsplit_once(']') {
            d = after.to_string();
        }
        let d = d
            .trim()
            .trim_start_matches("or ")
            .trim()
            .trim_matches('.')
            .to_ascii_lowercase();
        if !d.is_empty() && !out.contains(&d) {
            out.push(d);
        }
    }
    out
}
