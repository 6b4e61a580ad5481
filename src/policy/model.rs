//! The policy schema (DESIGN §5), as serde types.

use serde::{Deserialize, Serialize};

/// A platform's declared cookie policy, as written in its JSON file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDoc {
    /// Schema version; 1.
    pub schema: u32,
    /// Human name of the policy.
    pub name: String,
    /// Who publishes it.
    pub publisher: String,
    /// Host patterns the policy covers (`*.example.com`, or exact hosts).
    pub sites: Vec<String>,
    /// Revision label (a date).
    pub revision: String,
    /// How long a consent lasts.
    pub consent_lifetime_days: u32,
    /// Name of the cookie that stores the consent.
    pub preferences_cookie: String,
    /// The categories, in display order.
    pub categories: Vec<Category>,
    /// The declared cookies.
    pub cookies: Vec<Declaration>,
    /// Where undeclared cookies go.
    pub undeclared: Undeclared,
    /// Where the facts come from (free text), when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A cookie category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable id (`necessary`, `statistical`, ...).
    pub id: String,
    /// Label shown to people.
    pub label: String,
    /// Required categories can never be refused.
    #[serde(default)]
    pub required: bool,
    /// What the category is for.
    #[serde(default)]
    pub description: String,
}

/// One declared cookie (or family of cookies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// Exact names, `*` globs, or `/regex/`.
    pub names: Vec<String>,
    /// Category id.
    pub category: String,
    /// Who sets it.
    #[serde(default)]
    pub provider: String,
    /// Function and location, as the policy page words it.
    #[serde(default)]
    pub function: String,
    /// Purpose, as the policy page words it.
    #[serde(default)]
    pub purpose: String,
    /// Narrows the declaration to this domain (`.d` includes subdomains).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Longest lifetime the policy allows for this cookie, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_days: Option<u32>,
    /// Where this declaration comes from when not the published page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Categories for cookies no declaration matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Undeclared {
    /// Category of the site's own undeclared cookies.
    pub first_party: String,
    /// Category of undeclared cookies on the policy's third-party domains.
    pub third_party: String,
}
