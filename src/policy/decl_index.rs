//! The index of a policy's declarations by name (DESIGN §5b "Speed"): exact
//! names by hash, globs by their literal prefix (or, for a glob starting with
//! `*`, their literal suffix), every regex of every declaration in one
//! [`RegexSet`]. A lookup gives the few declarations that may match a name,
//! in policy order; the caller checks each one's domain and names, so the
//! index only has to never miss one.

use std::collections::HashMap;

use regex::RegexSet;

use super::model::Declaration;
use super::pattern::{self, PatternKind};

/// Declarations (by position in `doc.cookies`) that may match a name.
#[derive(Debug, Clone, Default)]
pub struct DeclIndex {
    /// Exact names.
    exact: HashMap<String, Vec<u32>>,
    /// Globs by the literal text before their first `*`, when not empty.
    prefixes: HashMap<String, Vec<u32>>,
    /// The lengths of those prefixes, ascending.
    prefix_lengths: Vec<usize>,
    /// Globs starting with `*`, by the literal text after their last `*`, when not empty.
    suffixes: HashMap<String, Vec<u32>>,
    /// The lengths of those suffixes, ascending.
    suffix_lengths: Vec<usize>,
    /// Globs starting and ending with `*` (`*`, `*id*`): candidates for every name.
    always: Vec<u32>,
    /// Every regex, and the declaration each belongs to.
    regexes: Option<(RegexSet, Vec<u32>)>,
}

impl DeclIndex {
    /// Indexes `decls`, whose names were validated (a regex that does not
    /// compile leaves the set out: validation has refused such a policy).
    pub fn new(decls: &[Declaration]) -> DeclIndex {
        let mut index = DeclIndex::default();
        let mut sources = Vec::new();
        let mut owners = Vec::new();
        for (i, d) in decls.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            for name in &d.names {
                match PatternKind::of(name) {
                    PatternKind::Exact => push(&mut index.exact, name, i),
                    PatternKind::Glob => index.add_glob(name, i),
                    PatternKind::Regex => {
                        if let Ok(body) = pattern::regex_body(name) {
                            sources.push(pattern::anchor(body));
                            owners.push(i);
                        }
                    }
                }
            }
        }
        for lengths in [&mut index.prefix_lengths, &mut index.suffix_lengths] {
            lengths.sort_unstable();
            lengths.dedup();
        }
        if !sources.is_empty() {
            index.regexes = RegexSet::new(&sources).ok().map(|set| (set, owners));
        }
        index
    }

    fn add_glob(&mut self, glob: &str, i: u32) {
        let first = glob.split('*').next().unwrap_or("");
        let last = glob.rsplit('*').next().unwrap_or("");
        if !first.is_empty() {
            push(&mut self.prefixes, first, i);
            self.prefix_lengths.push(first.len());
        } else if !last.is_empty() {
            push(&mut self.suffixes, last, i);
            self.suffix_lengths.push(last.len());
        } else {
            self.always.push(i);
        }
    }

    /// The declarations whose names may match `name`, ascending, each once.
    pub fn candidates(&self, name: &str) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        if let Some(v) = self.exact.get(name) {
            out.extend(v);
        }
        for &len in &self.prefix_lengths {
            let Some(head) = name.get(..len) else {
                if len > name.len() {
                    break;
                }
                continue;
            };
            if let Some(v) = self.prefixes.get(head) {
                out.extend(v);
            }
        }
        for &len in &self.suffix_lengths {
            if len > name.len() {
                break;
            }
            if let Some(v) = name
                .get(name.len() - len..)
                .and_then(|t| self.suffixes.get(t))
            {
                out.extend(v);
            }
        }
        out.extend(&self.always);
        if let Some((set, owners)) = &self.regexes {
            out.extend(set.matches(name).iter().map(|p| owners[p]));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn push(map: &mut HashMap<String, Vec<u32>>, key: &str, i: u32) {
    let v = map.entry(key.to_string()).or_default();
    if v.last() != Some(&i) {
        v.push(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(names: &[&str]) -> Declaration {
        Declaration {
            names: names.iter().map(|n| n.to_string()).collect(),
            category: "c".into(),
            provider: String::new(),
            function: String::new(),
            purpose: String::new(),
            domain: None,
            max_age_days: None,
            source: None,
        }
    }

    #[test]
    fn every_kind_of_name_finds_its_declarations_in_order() {
        let index = DeclIndex::new(&[
            decl(&["_ga", "_ga_*"]),
            decl(&["*_id"]),
            decl(&["/^_pk_(id|ses)\\./"]),
            decl(&["*"]),
            decl(&["_ga"]),
            decl(&["é*"]),
        ]);
        assert_eq!(index.candidates("_ga"), [0, 3, 4]);
        assert_eq!(index.candidates("_ga_XYZ"), [0, 3]);
        assert_eq!(index.candidates("visitor_id"), [1, 3]);
        assert_eq!(index.candidates("_pk_id.1.ab"), [2, 3]);
        // A prefix longer than the name, or cut inside a character, is skipped.
        assert_eq!(index.candidates("x"), [3]);
        assert_eq!(index.candidates("éa"), [3, 5]);
        assert_eq!(DeclIndex::new(&[]).candidates("a"), Vec::<u32>::new());
    }

    /// The index never misses a declaration whose names match (checked
    /// against every declaration's own matcher, the unindexed way).
    #[test]
    fn never_misses_a_match() {
        let patterns = [
            "a", "ab", "a*", "ab*", "*b", "*ab", "a*b", "*a*", "*", "a*b*c", "/a.+/", "/^b/",
            "/c$/", "_ga_*", "*_id", "b", "abc", "é", "é*",
        ];
        let decls: Vec<Declaration> = patterns.iter().map(|p| decl(&[p])).collect();
        let index = DeclIndex::new(&decls);
        let names = [
            "", "a", "ab", "abc", "b", "ba", "bab", "cab", "xyz", "_ga_1", "user_id", "é", "éé",
            "aXbYc", "c", "ac",
        ];
        for name in names {
            let found = index.candidates(name);
            for (i, p) in patterns.iter().enumerate() {
                let m = pattern::NameMatcher::new(&[p]).expect("valid");
                if m.matches(name) {
                    assert!(
                        found.contains(&(i as u32)),
                        "{name:?} misses {p}: {found:?}"
                    );
                }
            }
        }
    }
}
