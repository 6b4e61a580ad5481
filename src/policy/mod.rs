//! The platform's declared cookie policy: schema, loading, name patterns.

pub mod load;
pub mod model;
pub mod pattern;

pub use model::{Category, Declaration, PolicyDoc, Undeclared};

use crate::model::Cookie;

/// Errors loading a policy.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{origin}: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The JSON is malformed or of the wrong shape.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The file (or `shipped:NAME`).
        origin: String,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// The JSON parses but breaks a rule of the schema.
    #[error("{origin}: {field}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// The field path, e.g. `cookies[2].category`.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
}

/// A loaded, validated policy with its name patterns compiled.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy as written.
    pub doc: PolicyDoc,
    /// Where it came from (a path, or `shipped:NAME`).
    pub origin: String,
    /// `sha256:` + first 16 hex digits of the canonical JSON's hash.
    pub hash: String,
    /// Compiled matchers, one per declaration, same order as `doc.cookies`.
    matchers: Vec<pattern::NameMatcher>,
}

impl Policy {
    /// Parses and validates policy JSON; `origin` names it in messages.
    pub fn from_json(text: &str, origin: &str) -> Result<Policy, PolicyError> {
        load::from_json(text, origin)
    }

    /// Looks up a category by id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.doc.categories.iter().find(|c| c.id == id)
    }

    /// True when `id` names a required category.
    pub fn is_required(&self, id: &str) -> bool {
        self.category(id).is_some_and(|c| c.required)
    }

    /// True when the policy's `sites` cover `host`.
    pub fn covers_site(&self, host: &str) -> bool {
        let _ = host;
        todo!("policy helper")
    }

    /// True when `domain` is (under) a domain named by a declaration that is not the site's.
    pub fn is_third_party_domain(&self, domain: &str, site: &str) -> bool {
        let _ = (domain, site);
        todo!("policy helper")
    }

    /// The first declaration matching the cookie's name and domain, for `site`.
    pub fn match_declaration(&self, cookie: &Cookie, site: &str) -> Option<usize> {
        let _ = (cookie, site, &self.matchers);
        todo!("policy helper")
    }
}
