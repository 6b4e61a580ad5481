//! The grant of each category of a policy: what a consent in force says,
//! in policy order, with the required categories always granted.

use crate::policy::{Category, PolicyDoc};

/// Granted or not, per category of one policy, in policy order. Required
/// categories are granted by construction and stay granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    /// Category id and grant, in policy order.
    pairs: Vec<(String, bool)>,
    /// Whether each category (same order) is required.
    required: Vec<bool>,
}

impl Grants {
    /// Each category of `doc` granted when `grant` says so; required ones always.
    pub fn new(doc: &PolicyDoc, mut grant: impl FnMut(&Category) -> bool) -> Grants {
        let pairs = doc
            .categories
            .iter()
            .map(|c| (c.id.clone(), c.required || grant(c)))
            .collect();
        let required = doc.categories.iter().map(|c| c.required).collect();
        Grants { pairs, required }
    }

    /// The required categories of `doc` only: what silence grants.
    pub fn required_only(doc: &PolicyDoc) -> Grants {
        Grants::new(doc, |_| false)
    }

    /// Grants (`true`) or refuses category `id`; a required category stays
    /// granted, an id the policy lacks changes nothing.
    pub fn set(&mut self, id: &str, to: bool) {
        if let Some(i) = self.index(id) {
            self.pairs[i].1 = to || self.required[i];
        }
    }

    /// Grants every category (`true`), or refuses every optional one.
    pub fn set_all(&mut self, to: bool) {
        for (pair, required) in self.pairs.iter_mut().zip(&self.required) {
            pair.1 = to || *required;
        }
    }

    /// True when category `id` is granted (false when the policy lacks it).
    pub fn is_granted(&self, id: &str) -> bool {
        self.index(id).is_some_and(|i| self.pairs[i].1)
    }

    /// The grant of the `i`-th category of the policy.
    pub fn at(&self, i: usize) -> bool {
        self.pairs.get(i).is_some_and(|p| p.1)
    }

    /// Category id and grant, in policy order.
    pub fn pairs(&self) -> &[(String, bool)] {
        &self.pairs
    }

    /// The grants alone, in policy order.
    pub fn bools(&self) -> Vec<bool> {
        self.pairs.iter().map(|p| p.1).collect()
    }

    /// The ids of the granted categories, in policy order.
    pub fn granted_ids(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().filter(|p| p.1).map(|(id, _)| id.as_str())
    }

    /// The position of category `id` in the policy.
    fn index(&self, id: &str) -> Option<usize> {
        self.pairs.iter().position(|(c, _)| c == id)
    }
}

impl From<Grants> for Vec<(String, bool)> {
    fn from(g: Grants) -> Self {
        g.pairs
    }
}

impl From<&Grants> for Vec<(String, bool)> {
    fn from(g: &Grants) -> Self {
        g.pairs.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped policy: `necessary` (required), `statistical`,
    /// `first-party`, `third-party`.
    fn doc() -> PolicyDoc {
        crate::policy::load::shipped().remove(0).doc
    }

    #[test]
    fn required_categories_cannot_be_refused() {
        let mut g = Grants::new(&doc(), |_| false);
        assert_eq!(g.bools(), [true, false, false, false]);
        g.set("necessary", false);
        g.set_all(false);
        assert!(g.is_granted("necessary"));
        g.set("third-party", true);
        g.set("nope", true);
        assert_eq!(g.bools(), [true, false, false, true]);
        assert_eq!(
            g.granted_ids().collect::<Vec<_>>(),
            ["necessary", "third-party"]
        );
        assert!(!g.is_granted("nope"));
        assert!(g.at(3) && !g.at(1) && !g.at(9));
        g.set_all(true);
        assert_eq!(g, Grants::new(&doc(), |_| true));
        assert_eq!(
            Grants::required_only(&doc()).bools(),
            [true, false, false, false]
        );
    }
}
