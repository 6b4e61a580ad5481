//! Cookie-name patterns: exact, `*` glob, `/regex/`.

/// A compiled set of name patterns of one declaration.
#[derive(Debug, Clone)]
pub struct NameMatcher {}

impl NameMatcher {
    /// True when `name` matches one of the patterns.
    pub fn matches(&self, name: &str) -> bool {
        let _ = name;
        todo!("policy helper")
    }
}
