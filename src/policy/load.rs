//! Reading policy JSON, validating it, and the shipped policies.

use sha2::{Digest, Sha256};

use super::host::{is_host, is_site_pattern};
use super::json_path::locate;
use super::pattern::NameMatcher;
use super::{Policy, PolicyDoc, PolicyError};
use crate::json_error::JsonError;

/// The policies embedded in the binary: (name, JSON text).
const SHIPPED: &[(&str, &str)] = &[(
    "opendatasoft",
    include_str!("../../assets/policies/opendatasoft.json"),
)];

/// Parses and validates policy JSON; `origin` (a path, or `shipped:NAME`) names it in messages.
pub fn from_json(text: &str, origin: &str) -> Result<Policy, PolicyError> {
    // Windows editors (Notepad) save UTF-8 with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: PolicyDoc = serde_json::from_str(text).map_err(|e| syntax_error(text, origin, &e))?;
    let invalid = |field: String, message: String| PolicyError::Invalid {
        origin: origin.to_string(),
        line: locate(text, &field).map(|(line, _)| line),
        field,
        message,
    };
    let matchers = validate(&doc).map_err(|p| invalid(p.field, p.message))?;
    let hash = canonical_hash(&doc).map_err(|e| invalid(String::new(), e.to_string()))?;
    let (index, third_party) = Policy::indexes(&doc);
    Ok(Policy {
        doc,
        origin: origin.to_string(),
        hash,
        matchers,
        index,
        third_party,
        catalog: false,
    })
}

/// The known-cookie catalog's policy (built by `known::governing`, not read
/// from a file). Its declarations are never matched by name (the catalog's
/// index does it), so it has no matchers. Its hash covers its categories
/// only: a choice for the `*` scope stays valid when a newer catalog CSV
/// comes (consent is given per category, not per entry).
pub(crate) fn governing(doc: PolicyDoc, origin: &str) -> Policy {
    let hashed = PolicyDoc {
        cookies: Vec::new(),
        revision: String::new(),
        source: None,
        ..doc.clone()
    };
    // Serialising plain strings and numbers into a hasher cannot fail.
    let hash = canonical_hash(&hashed).unwrap_or_else(|_| "sha256:0000000000000000".into());
    Policy {
        doc,
        origin: origin.to_string(),
        hash,
        matchers: Vec::new(),
        index: Default::default(),
        third_party: Vec::new(),
        catalog: true,
    }
}

/// Reads and validates the policy file at `path`.
pub fn from_path(path: &std::path::Path) -> Result<Policy, PolicyError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        origin: origin.clone(),
        source,
    })?;
    from_json(&text, &origin)
}

/// The policies embedded in the binary, in a fixed order (origin `shipped:NAME`).
pub fn shipped() -> Vec<Policy> {
    // Every shipped policy is checked by a unit test; one that failed could only be skipped.
    SHIPPED
        .iter()
        .filter_map(|(name, text)| from_json(text, &format!("shipped:{name}")).ok())
        .collect()
}

/// `sha256:` + the first 16 hex digits of the SHA-256 of the document's
/// canonical JSON (serde's compact output of the parsed document, so
/// whitespace, key order and defaulted fields in the file do not matter).
fn canonical_hash(doc: &PolicyDoc) -> Result<String, serde_json::Error> {
    // Hashed as it is serialised: no copy of a large policy's JSON.
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, doc)?;
    let digest = hasher.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

/// Turns a serde_json error into a `Syntax` error: the shared humaniser's
/// position and words, and what a policy file is expected to be.
fn syntax_error(text: &str, origin: &str, e: &serde_json::Error) -> PolicyError {
    let h = JsonError::new(e, text.as_bytes());
    let (line, column) = (h.line, h.column.max(1));
    let message = if h.detail == "expected ident" || h.detail == "expected value" {
        "this is not JSON; expected a policy object starting with `{`".into()
    } else if !h.detail.starts_with("trailing ")
        && text.trim_start().starts_with('[')
        && (line, column) <= (1, 2)
    {
        "expected a policy object `{ ... }`, found an array".into()
    } else {
        h.detail
    };
    PolicyError::Syntax {
        origin: origin.to_string(),
        line,
        column,
        message,
    }
}

/// A rule of the schema that a document breaks.
struct Problem {
    /// The field path.
    field: String,
    /// What is wrong and what was expected.
    message: String,
}

/// Builds a [`Problem`].
fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks the schema's rules; returns the compiled name matchers, one per declaration.
fn validate(doc: &PolicyDoc) -> Result<Vec<NameMatcher>, Problem> {
    if doc.schema != 1 {
        return Err(problem(
            "schema",
            format!("unsupported schema {}; expected 1", doc.schema),
        ));
    }
    for (field, value) in [
        ("name", &doc.name),
        ("revision", &doc.revision),
        ("preferences_cookie", &doc.preferences_cookie),
    ] {
        if value.trim().is_empty() {
            return Err(problem(field, "empty; expected a non-empty string"));
        }
    }
    validate_sites(&doc.sites)?;
    if doc.consent_lifetime_days == 0 {
        return Err(problem(
            "consent_lifetime_days",
            "0; expected a number of days of at least 1",
        ));
    }
    validate_categories(doc)?;
    let ids = || {
        doc.categories
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let known = |field: String, id: &str| {
        if doc.categories.iter().any(|c| c.id == id) {
            Ok(())
        } else {
            Err(problem(
                field,
                format!("unknown category `{id}`; expected one of {}", ids()),
            ))
        }
    };
    let mut matchers = Vec::with_capacity(doc.cookies.len());
    for (i, decl) in doc.cookies.iter().enumerate() {
        known(format!("cookies[{i}].category"), &decl.category)?;
        if decl.names.is_empty() {
            return Err(problem(
                format!("cookies[{i}].names"),
                "empty; expected at least one cookie name, glob or /regex/",
            ));
        }
        let matcher = NameMatcher::new(&decl.names)
            .map_err(|e| problem(format!("cookies[{i}].names[{}]", e.index), e.to_string()))?;
        if let Some(domain) = &decl.domain
            && !is_host(domain.strip_prefix('.').unwrap_or(domain))
        {
            return Err(problem(
                format!("cookies[{i}].domain"),
                format!(
                    "{domain:?} is not a host; expected a host such as example.com, \
                     or .example.com to include its subdomains"
                ),
            ));
        }
        matchers.push(matcher);
    }
    known("undeclared.first_party".into(), &doc.undeclared.first_party)?;
    known("undeclared.third_party".into(), &doc.undeclared.third_party)?;
    validate_preferences(doc, &matchers)?;
    Ok(matchers)
}

/// `sites`: at least one, each a host or `*.host`.
fn validate_sites(sites: &[String]) -> Result<(), Problem> {
    if sites.is_empty() {
        return Err(problem(
            "sites",
            "empty; expected at least one host or *.host pattern",
        ));
    }
    match sites.iter().position(|s| !is_site_pattern(s)) {
        Some(i) => Err(problem(
            format!("sites[{i}]"),
            format!(
                "{:?} is not a site pattern; expected a host (portal.example.com) or *.host (*.example.com)",
                sites[i]
            ),
        )),
        None => Ok(()),
    }
}

/// `categories`: at least one, ids non-empty, usable on a command line, unique; one required.
fn validate_categories(doc: &PolicyDoc) -> Result<(), Problem> {
    if doc.categories.is_empty() {
        return Err(problem(
            "categories",
            "empty; expected at least one category",
        ));
    }
    for (i, cat) in doc.categories.iter().enumerate() {
        let field = format!("categories[{i}].id");
        if cat.id.is_empty() {
            return Err(problem(field, "empty; expected a category id"));
        }
        if cat.id.contains(|c: char| c == ',' || c.is_whitespace()) {
            return Err(problem(
                field,
                format!(
                    "{:?} contains a comma or a space; expected an id usable in --allow ID,...",
                    cat.id
                ),
            ));
        }
        if let Some(j) = doc.categories[..i].iter().position(|c| c.id == cat.id) {
            return Err(problem(
                field,
                format!(
                    "duplicate category id `{}` (also categories[{j}]); expected unique ids",
                    cat.id
                ),
            ));
        }
    }
    if !doc.categories.iter().any(|c| c.required) {
        return Err(problem(
            "categories",
            "no category is required; expected at least one with \"required\": true \
             (the preferences cookie belongs to one)",
        ));
    }
    Ok(())
}

/// The preferences cookie is declared (by a declaration without `domain`, the
/// first such that matches it) and that declaration's category is required.
fn validate_preferences(doc: &PolicyDoc, matchers: &[NameMatcher]) -> Result<(), Problem> {
    let name = &doc.preferences_cookie;
    let found = doc
        .cookies
        .iter()
        .zip(matchers)
        .position(|(d, m)| d.domain.is_none() && m.matches(name));
    let Some(i) = found else {
        return Err(problem(
            "preferences_cookie",
            format!(
                "`{name}` is not declared; expected a declaration without \"domain\" whose names match it"
            ),
        ));
    };
    let category = &doc.cookies[i].category;
    if doc
        .categories
        .iter()
        .any(|c| &c.id == category && c.required)
    {
        Ok(())
    } else {
        Err(problem(
            format!("cookies[{i}].category"),
            format!(
                "this declaration covers the preferences cookie `{name}`, so its category must be \
                 required; `{category}` is not"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let (_, text) = SHIPPED[0];
        let with_bom = format!("\u{feff}{text}");
        let policy = from_json(&with_bom, "bom.json").unwrap_or_else(|e| panic!("{e}"));
        let plain = from_json(text, "plain.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(policy.hash, plain.hash);
        assert_eq!(policy.doc.categories.len(), plain.doc.categories.len());
    }

    #[test]
    fn every_shipped_policy_loads() {
        for (name, text) in SHIPPED {
            let origin = format!("shipped:{name}");
            if let Err(e) = from_json(text, &origin) {
                panic!("{e}");
            }
        }
        assert_eq!(shipped().len(), SHIPPED.len());
        assert_eq!(shipped()[0].origin, "shipped:opendatasoft");
    }

    #[test]
    fn hash_format() {
        let p = &shipped()[0];
        assert!(p.hash.starts_with("sha256:"));
        assert_eq!(p.hash.len(), "sha256:".len() + 16);
        assert!(
            p.hash[7..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn empty_and_cut_short_documents() {
        for (text, line) in [("", 1), ("{\n  \"schema\": 1,\n", 3)] {
            match from_json(text, "p.json") {
                Err(PolicyError::Syntax {
                    line: l,
                    column,
                    message,
                    ..
                }) => {
                    assert_eq!(l, line);
                    assert!(column >= 1);
                    assert!(message.starts_with("unexpected end of file"), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
