//! The catalog acting as a policy (DESIGN §5b): the `*` scope and an
//! uncovered `--site HOST` are governed by it. Its categories are the
//! catalog's plus `unknown`; its declarations are the catalog's entries, in
//! entry order, so a classification's declaration index is an entry's.

use std::sync::Arc;

use super::{Catalog, Category, Entry};
use crate::policy::{self, Declaration, Policy, PolicyDoc, Undeclared};

/// The id of the category of cookies the catalog does not know.
pub const UNKNOWN: &str = "unknown";

/// The catalog and the policy it acts as, built once and shared by every
/// scope it governs.
#[derive(Debug)]
pub struct Governing {
    /// The catalog (it matches cookies: the policy's declarations are not matched by name).
    pub catalog: Catalog,
    /// The catalog as a policy.
    pub policy: Arc<Policy>,
}

impl Governing {
    /// The catalog and its policy.
    pub fn new(catalog: Catalog) -> Governing {
        let policy = Arc::new(policy_of(&catalog));
        Governing { catalog, policy }
    }

    /// The category index (in the policy) and declaration index of a cookie
    /// named `name` on `domain`: the entry's, or `unknown` and none.
    pub fn classify(&self, name: &str, domain: &str) -> (usize, Option<usize>) {
        match self.catalog.lookup_index(name, domain) {
            Some(i) => (category_index(self.catalog.entries()[i].category), Some(i)),
            None => (Category::ALL.len(), None),
        }
    }
}

/// The index of `category` among the policy's categories.
fn category_index(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|&c| c == category)
        .unwrap_or(Category::ALL.len())
}

/// The catalog as a policy document: its four categories (necessary
/// required) and `unknown`, which is marked required so that no category
/// choice ever prunes it (a cookie nobody can name is removed one by one).
fn policy_of(catalog: &Catalog) -> Policy {
    let mut categories: Vec<policy::Category> = Category::ALL
        .iter()
        .map(|&c| policy::Category {
            id: c.id().into(),
            label: c.label().into(),
            required: c == Category::Necessary,
            description: match c {
                Category::Necessary => {
                    "Functional, Necessary and Security cookies of the Open Cookie Database"
                }
                Category::Personalization => "Personalization cookies of the Open Cookie Database",
                Category::Analytics => "Analytics cookies of the Open Cookie Database",
                Category::Marketing => "Marketing cookies of the Open Cookie Database",
            }
            .into(),
        })
        .collect();
    categories.push(policy::Category {
        id: UNKNOWN.into(),
        label: "Unknown (not in the catalog)".into(),
        required: true,
        description: "Cookies the Open Cookie Database does not know: never pruned by a \
                      category choice; remove them one by one"
            .into(),
    });
    let doc = PolicyDoc {
        schema: 1,
        name: "Known-cookie catalog (Open Cookie Database)".into(),
        publisher: "Open Cookie Database".into(),
        sites: vec!["*".into()],
        revision: catalog.date.clone(),
        consent_lifetime_days: 365,
        // The `*` scope has no preferences cookie: its choice lives in the record only.
        preferences_cookie: String::new(),
        categories,
        cookies: catalog.entries().iter().map(declaration).collect(),
        undeclared: Undeclared {
            first_party: UNKNOWN.into(),
            third_party: UNKNOWN.into(),
        },
        source: Some(catalog.origin()),
    };
    policy::load::governing(doc, &format!("known:{}", catalog.origin()))
}

/// An entry as the declaration people see (provider, function, purpose).
fn declaration(e: &Entry) -> Declaration {
    let name = if e.wildcard {
        format!("{}*", e.name)
    } else {
        e.name.clone()
    };
    let retention = e.retention.trim();
    Declaration {
        names: vec![name],
        category: e.category.id().into(),
        provider: e.platform.clone(),
        function: if retention.is_empty() {
            "known cookie".into()
        } else {
            format!("known cookie, kept {retention}")
        },
        purpose: e.purpose.clone(),
        domain: None,
        max_age_days: None,
        source: None,
    }
}
