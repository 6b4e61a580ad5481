//! What changed between two policies: top-level fields, categories, and the
//! declared cookies (added, removed, changed), and the categories a user
//! should be asked about again because of it.
//!
//! Categories are paired by id. Declarations are paired by their names: first
//! those with the same names and domain, then those sharing a name and the
//! domain, then those sharing a name; what is left is added or removed.

use serde::Serialize;
use serde_json::Value;

use super::{Category, Declaration, PolicyDoc};

/// One field whose value differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field's name (`revision`, `purpose`, …).
    pub field: String,
    /// Its old value (null when absent).
    pub old: Value,
    /// Its new value (null when absent).
    pub new: Value,
}

/// A category present in both policies whose fields differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryChange {
    /// The category id.
    pub id: String,
    /// The fields that differ.
    pub changes: Vec<FieldChange>,
}

/// A declaration present in both policies (paired by names) whose fields differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclarationChange {
    /// As the old policy has it.
    pub old: Declaration,
    /// As the new policy has it.
    pub new: Declaration,
    /// The fields that differ.
    pub changes: Vec<FieldChange>,
}

/// Categories and declarations added, removed and changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes<T, C> {
    /// Only in the new policy.
    pub added: Vec<T>,
    /// Only in the old policy.
    pub removed: Vec<T>,
    /// In both, with differences.
    pub changed: Vec<C>,
}

impl<T, C> Default for Changes<T, C> {
    fn default() -> Self {
        Changes {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

impl<T, C> Changes<T, C> {
    /// Nothing added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The differences between two policies.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PolicyDiff {
    /// Top-level fields that differ (name, sites, revision, …).
    pub fields: Vec<FieldChange>,
    /// Categories, paired by id.
    pub categories: Changes<Category, CategoryChange>,
    /// Declarations, paired by names.
    pub cookies: Changes<Declaration, DeclarationChange>,
    /// Refusable categories of the new policy whose cookies or wording
    /// changed: what a user should be asked about again, in policy order.
    pub review: Vec<String>,
}

impl PolicyDiff {
    /// True when the policies are the same.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.categories.is_empty() && self.cookies.is_empty()
    }
}

/// Compares two policies.
pub fn diff(old: &PolicyDoc, new: &PolicyDoc) -> PolicyDiff {
    let mut d = PolicyDiff {
        fields: top_level(old, new),
        ..PolicyDiff::default()
    };
    for c in &new.categories {
        match old.categories.iter().find(|o| o.id == c.id) {
            None => d.categories.added.push(c.clone()),
            Some(o) => {
                let changes = fields(o, c, &["id"]);
                if !changes.is_empty() {
                    d.categories.changed.push(CategoryChange {
                        id: c.id.clone(),
                        changes,
                    });
                }
            }
        }
    }
    d.categories.removed = old
        .categories
        .iter()
        .filter(|o| !new.categories.iter().any(|c| c.id == o.id))
        .cloned()
        .collect();
    let pairs = pair(&old.cookies, &new.cookies);
    for (j, n) in new.cookies.iter().enumerate() {
        match pairs.iter().find(|(_, nj)| *nj == j) {
            None => d.cookies.added.push(n.clone()),
            Some((i, _)) => {
                let o = &old.cookies[*i];
                let changes = fields(o, n, &[]);
                if !changes.is_empty() {
                    d.cookies.changed.push(DeclarationChange {
                        old: o.clone(),
                        new: n.clone(),
                        changes,
                    });
                }
            }
        }
    }
    d.cookies.removed = old
        .cookies
        .iter()
        .enumerate()
        .filter(|(i, _)| !pairs.iter().any(|(oi, _)| oi == i))
        .map(|(_, o)| o.clone())
        .collect();
    d.review = review(&d, new);
    d
}

/// A test that two declarations are the same cookie.
type Rule = fn(&Declaration, &Declaration) -> bool;

/// A declaration's names, sorted.
fn sorted_names(d: &Declaration) -> Vec<&str> {
    let mut n: Vec<&str> = d.names.iter().map(String::as_str).collect();
    n.sort_unstable();
    n
}

/// True when the declarations share a name.
fn share_a_name(a: &Declaration, b: &Declaration) -> bool {
    a.names.iter().any(|n| b.names.contains(n))
}

/// Pairs old and new declarations: (old index, new index).
fn pair(old: &[Declaration], new: &[Declaration]) -> Vec<(usize, usize)> {
    let rules: [Rule; 3] = [
        |a, b| a.domain == b.domain && sorted_names(a) == sorted_names(b),
        |a, b| a.domain == b.domain && share_a_name(a, b),
        share_a_name,
    ];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for rule in rules {
        for (j, n) in new.iter().enumerate() {
            if pairs.iter().any(|(_, pj)| *pj == j) {
                continue;
            }
            let found = old
                .iter()
                .enumerate()
                .find(|(i, o)| !pairs.iter().any(|(pi, _)| pi == i) && rule(o, n));
            if let Some((i, _)) = found {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// The top-level fields that differ (everything but the lists compared apart).
fn top_level(old: &PolicyDoc, new: &PolicyDoc) -> Vec<FieldChange> {
    fields(old, new, &["categories", "cookies"])
}

/// The fields of two serialisable records that differ, in the order of the
/// new one's fields, leaving out `skip`.
fn fields<T: Serialize>(old: &T, new: &T, skip: &[&str]) -> Vec<FieldChange> {
    let as_map = |v: &T| match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (o, n) = (as_map(old), as_map(new));
    let mut keys: Vec<&String> = n.keys().collect();
    keys.extend(o.keys().filter(|k| !n.contains_key(*k)));
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .filter_map(|k| {
            let (ov, nv) = (
                o.get(k).cloned().unwrap_or(Value::Null),
                n.get(k).cloned().unwrap_or(Value::Null),
            );
            (ov != nv).then(|| FieldChange {
                field: k.clone(),
                old: ov,
                new: nv,
            })
        })
        .collect()
}

/// The refusable categories of `new` touched by the changes.
fn review(d: &PolicyDiff, new: &PolicyDoc) -> Vec<String> {
    let mut touched: Vec<&str> = Vec::new();
    touched.extend(d.categories.added.iter().map(|c| c.id.as_str()));
    touched.extend(d.categories.changed.iter().map(|c| c.id.as_str()));
    touched.extend(d.cookies.added.iter().map(|c| c.category.as_str()));
    for c in &d.cookies.changed {
        if c.changes.iter().any(|f| f.field != "source") {
            touched.push(&c.new.category);
        }
    }
    new.categories
        .iter()
        .filter(|c| !c.required && touched.contains(&c.id.as_str()))
        .map(|c| c.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PolicyDoc {
        crate::policy::shipped()[0].doc.clone()
    }

    #[test]
    fn same_policy_no_differences() {
        assert!(diff(&doc(), &doc()).is_empty());
    }

    #[test]
    fn added_removed_changed() {
        let old = doc();
        let mut new = doc();
        new.revision = "2027-01-01".into();
        new.cookies.remove(2); // csrftoken
        new.cookies[0].purpose = "Another purpose".into();
        new.cookies[1].names.push("lang".into());
        let mut ga = new.cookies[0].clone();
        ga.names = vec!["_ga".into(), "_ga_*".into()];
        ga.category = "statistical".into();
        new.cookies.push(ga);
        new.categories[2].description = "changed".into();
        let d = diff(&old, &new);
        assert_eq!(
            d.fields,
            [FieldChange {
                field: "revision".into(),
                old: "2026-11-22".into(),
                new: "2027-01-01".into()
            }]
        );
        assert_eq!(d.cookies.added.len(), 1);
        assert_eq!(d.cookies.added[0].names, ["_ga", "_ga_*"]);
        assert_eq!(d.cookies.removed.len(), 1);
        assert_eq!(d.cookies.removed[0].names, ["csrftoken"]);
        let changed: Vec<(&str, Vec<&str>)> = d
            .cookies
            .changed
            .iter()
            .map(|c| {
                (
                    c.old.names[0].as_str(),
                    c.changes.iter().map(|f| f.field.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            changed,
            [
                ("sessionid", vec!["purpose"]),
                ("django_language", vec!["names"])
            ]
        );
        assert_eq!(d.categories.changed.len(), 1);
        assert_eq!(d.categories.changed[0].id, "first-party");
        assert_eq!(d.review, ["statistical", "first-party"]);
    }
}
