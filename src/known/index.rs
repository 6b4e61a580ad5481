//! The catalog's index: exact names by hash, wildcard entries in a prefix
//! trie, so a lookup costs a hash probe and a walk down the name's bytes
//! whatever the catalog's size.

use std::collections::HashMap;

use super::{Entry, MatchKind};
use crate::model::domain_matches;

/// A node of the prefix trie: children by byte (sorted), entries ending here.
#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<(u8, u32)>,
    entries: Vec<u32>,
}

/// Exact names and prefixes of a catalog's entries.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    exact: HashMap<String, Vec<u32>>,
    trie: Vec<Node>,
}

impl Index {
    /// Indexes `entries` (entry numbers are their positions).
    pub(super) fn new(entries: &[Entry]) -> Index {
        let mut index = Index {
            exact: HashMap::new(),
            trie: vec![Node::default()],
        };
        for (i, e) in entries.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if e.wildcard {
                index.insert_prefix(&e.name, i);
            } else {
                index.exact.entry(e.name.clone()).or_default().push(i);
            }
        }
        index
    }

    fn insert_prefix(&mut self, prefix: &str, entry: u32) {
        let mut node = 0usize;
        for b in prefix.bytes() {
            let children = &self.trie[node].children;
            node = match children.binary_search_by_key(&b, |&(c, _)| c) {
                Ok(at) => children[at].1 as usize,
                Err(at) => {
                    let next = self.trie.len();
                    self.trie.push(Node::default());
                    // Past u32::MAX nodes (no real catalog) prefixes stop being indexed.
                    let Ok(id) = u32::try_from(next) else { return };
                    self.trie[node].children.insert(at, (b, id));
                    next
                }
            };
        }
        self.trie[node].entries.push(entry);
    }

    /// The best entry for `name` on `domain`: an exact name before a prefix;
    /// then the platform's own domain, an entry for any domain, a platform tag
    /// on the site's domain; then the longest prefix; then file order.
    pub(super) fn lookup(
        &self,
        entries: &[Entry],
        name: &str,
        domain: &str,
    ) -> Option<(usize, MatchKind)> {
        let exact = self.exact.get(name).into_iter().flatten();
        if let Some(best) = best(entries, exact.map(|&i| (i, 0)), name, domain, false) {
            return Some(best);
        }
        let mut found = Vec::new();
        let mut node = 0usize;
        for (depth, b) in name.bytes().enumerate() {
            let children = &self.trie[node].children;
            match children.binary_search_by_key(&b, |&(c, _)| c) {
                Ok(at) => node = children[at].1 as usize,
                Err(_) => break,
            }
            found.extend(self.trie[node].entries.iter().map(|&i| (i, depth + 1)));
        }
        found.sort_by_key(|&(i, len)| (std::cmp::Reverse(len), i));
        best(entries, found.into_iter(), name, domain, true)
    }
}

/// The best-ranked candidate that fits the domain (see [`Index::lookup`]);
/// candidates come in preference order within a rank.
fn best(
    entries: &[Entry],
    candidates: impl Iterator<Item = (u32, usize)>,
    name: &str,
    domain: &str,
    prefix: bool,
) -> Option<(usize, MatchKind)> {
    let mut best: Option<(u8, usize, MatchKind)> = None;
    for (i, _) in candidates {
        let i = i as usize;
        let Some(rank) = fit(&entries[i], name, domain) else {
            continue;
        };
        if best.is_none_or(|(r, _, _)| rank < r) {
            best = Some((rank, i, kind(rank, prefix)));
        }
    }
    best.map(|(_, i, how)| (i, how))
}

/// How an entry fits a cookie's domain: 0 on the platform's domain, 1 an entry
/// for any domain, 2 a platform tag (a `_` name) on another domain; None: it
/// is not that entry (`fr` on a French site is not Facebook's).
fn fit(entry: &Entry, name: &str, domain: &str) -> Option<u8> {
    if entry.domains.is_empty() {
        Some(1)
    } else if entry
        .domains
        .iter()
        .any(|d| domain_matches(domain, d, false))
    {
        Some(0)
    } else if name.starts_with('_') {
        Some(2)
    } else {
        None
    }
}

fn kind(rank: u8, prefix: bool) -> MatchKind {
    match (rank, prefix) {
        (0, false) => MatchKind::NameOnDomain,
        (1, false) => MatchKind::Name,
        (_, false) => MatchKind::NameTag,
        (0, true) => MatchKind::PrefixOnDomain,
        (1, true) => MatchKind::Prefix,
        (_, true) => MatchKind::PrefixTag,
    }
}
