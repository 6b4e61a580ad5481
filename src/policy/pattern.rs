//! Cookie-name patterns: exact, `*` glob, `/regex/`.
//!
//! Each entry of a declaration's `names` is one of:
//!
//! - an **exact name**, compared case-sensitively (cookie names are);
//! - a **glob** containing `*`: `*` matches any run of characters, including
//!   none; every other character is literal (`_ga_*`, `_pk_id.*`). A glob
//!   always covers the whole name;
//! - a **regex** written between slashes (`/^_pk_(id|ses)\..*$/`), in the
//!   syntax of the `regex` crate. A regex that does not anchor itself must
//!   match the *whole* name: `/_ga_[A-Z0-9]+/` behaves like
//!   `/^(?:_ga_[A-Z0-9]+)$/`. A regex that starts with `^` (or `\A`) or ends
//!   with an unescaped `$` (or `\z`) anchors itself and is used exactly as
//!   written, so `/^_pk_/` matches every name that starts with `_pk_`
//!   (leading inline flags are looked past: `/(?i)^_pk_/` anchors itself too).
//!
//! A declaration's patterns are compiled once: exact names into a hash set,
//! globs into their literal pieces (matched without a regex: a policy of a
//! hundred thousand glob declarations would otherwise hold as many regex
//! caches), regexes into one [`RegexSet`].

use std::collections::HashSet;

use regex::{Regex, RegexSet};

/// What kind of pattern a `names` entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// Compared as is.
    Exact,
    /// Contains `*`.
    Glob,
    /// Written `/.../`.
    Regex,
}

impl PatternKind {
    /// Tells which kind of pattern `entry` is.
    pub fn of(entry: &str) -> PatternKind {
        if entry.starts_with('/') {
            PatternKind::Regex
        } else if entry.contains('*') {
            PatternKind::Glob
        } else {
            PatternKind::Exact
        }
    }
}

/// A `names` entry that cannot be compiled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{problem}")]
pub struct PatternError {
    /// Index of the bad entry in the `names` list.
    pub index: usize,
    /// What is wrong with it.
    pub problem: PatternProblem,
}

/// What is wrong with a `names` entry, and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatternProblem {
    /// The entry is the empty string.
    #[error("empty name; expected a cookie name, a glob or /regex/")]
    Empty,
    /// `//`: slashes with nothing between.
    #[error("empty regex {0}; expected /regex/ with a pattern inside")]
    EmptyRegex(String),
    /// Starts with `/` but does not end with one.
    #[error("{0:?} starts with / but does not end with /; expected /regex/")]
    Unclosed(String),
    /// The regex between the slashes does not compile.
    #[error("invalid regex {entry}: {source}")]
    Invalid {
        /// The entry, slashes included.
        entry: String,
        /// Why the regex crate refused it.
        source: regex::Error,
    },
    /// Each regex compiles but the set of them does not (too large).
    #[error("the patterns cannot be compiled together: {0}")]
    Together(regex::Error),
}

/// A compiled set of name patterns of one declaration.
#[derive(Debug, Clone)]
pub struct NameMatcher {
    /// Exact names.
    exact: HashSet<String>,
    /// Globs, as the literal pieces between their stars.
    globs: Vec<Vec<String>>,
    /// Regexes; None when there are none.
    patterns: Option<RegexSet>,
}

impl NameMatcher {
    /// Compiles the `names` entries of one declaration.
    pub fn new<S: AsRef<str>>(entries: &[S]) -> Result<NameMatcher, PatternError> {
        let mut exact = HashSet::new();
        let mut globs = Vec::new();
        let mut translated = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let entry = entry.as_ref();
            let fail = |problem: PatternProblem| PatternError { index, problem };
            if entry.is_empty() {
                return Err(fail(PatternProblem::Empty));
            }
            match PatternKind::of(entry) {
                PatternKind::Exact => {
                    exact.insert(entry.to_string());
                }
                PatternKind::Glob => globs.push(entry.split('*').map(str::to_string).collect()),
                PatternKind::Regex => {
                    let body = regex_body(entry).map_err(&fail)?;
                    let source = anchor(body);
                    // Compiled alone first, so a mistake is reported against its own entry.
                    Regex::new(&source).map_err(|source| {
                        fail(PatternProblem::Invalid {
                            entry: entry.to_string(),
                            source,
                        })
                    })?;
                    translated.push(source);
                }
            }
        }
        let patterns = if translated.is_empty() {
            None
        } else {
            let set = RegexSet::new(&translated).map_err(|e| PatternError {
                index: 0,
                problem: PatternProblem::Together(e),
            })?;
            Some(set)
        };
        Ok(NameMatcher {
            exact,
            globs,
            patterns,
        })
    }

    /// True when `name` matches one of the patterns.
    pub fn matches(&self, name: &str) -> bool {
        self.exact.contains(name)
            || self.globs.iter().any(|pieces| glob_matches(pieces, name))
            || self.patterns.as_ref().is_some_and(|set| set.is_match(name))
    }
}

/// The text between the slashes of a `/regex/` entry.
pub(crate) fn regex_body(entry: &str) -> Result<&str, PatternProblem> {
    match entry
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix('/'))
    {
        Some("") => Err(PatternProblem::EmptyRegex(entry.to_string())),
        Some(body) => Ok(body),
        None => Err(PatternProblem::Unclosed(entry.to_string())),
    }
}

/// Whether `name` matches the glob whose literal pieces (split at `*`) are
/// `pieces`: the first starts it, the last ends it, the others follow in
/// order between (leftmost is enough when `*` is the only wildcard).
fn glob_matches(pieces: &[String], name: &str) -> bool {
    let [first, middle @ .., last] = pieces else {
        return pieces.first().is_some_and(|p| p == name);
    };
    let Some(mut rest) = name.strip_prefix(first.as_str()) else {
        return false;
    };
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last.as_str())
}

/// The regex source with full-name anchoring added unless it anchors itself.
pub(crate) fn anchor(body: &str) -> String {
    if anchors_itself(body) {
        body.to_string()
    } else {
        format!("^(?:{body})$")
    }
}

/// True when a regex starts with `^`/`\A` (after any leading `(?flags)`) or
/// ends with an unescaped `$` or `\z`.
fn anchors_itself(body: &str) -> bool {
    let mut start = body;
    while let Some(rest) = start.strip_prefix("(?")
        && let Some((flags, after)) = rest.split_once(')')
        && flags.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
    {
        start = after;
    }
    if start.starts_with('^') || start.starts_with("\\A") {
        return true;
    }
    let ends_with_unescaped = |suffix: &str| {
        body.strip_suffix(suffix).is_some_and(|before| {
            let backslashes = before.bytes().rev().take_while(|&b| b == b'\\').count();
            backslashes % 2 == 0
        })
    };
    ends_with_unescaped("$") || ends_with_unescaped("\\z")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(entries: &[&str]) -> NameMatcher {
        NameMatcher::new(entries).expect("valid patterns")
    }

    proptest::proptest! {
        /// The piecewise glob match agrees with the glob read as a regex.
        #[test]
        fn glob_matches_as_its_regex_would(glob in "[ab*.]{0,8}", name in "[ab.]{0,10}") {
            let literal: Vec<String> = glob.split('*').map(regex::escape).collect();
            let re = Regex::new(&format!("^{}$", literal.join("(?s:.*)"))).expect("regex");
            let pieces: Vec<String> = glob.split('*').map(str::to_string).collect();
            proptest::prop_assert_eq!(glob_matches(&pieces, &name), re.is_match(&name), "{} {}", glob, name);
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(PatternKind::of("sessionid"), PatternKind::Exact);
        assert_eq!(PatternKind::of("_ga_*"), PatternKind::Glob);
        assert_eq!(PatternKind::of("/x/"), PatternKind::Regex);
        assert_eq!(PatternKind::of("/_ga*/"), PatternKind::Regex);
    }

    #[test]
    fn exact_is_case_sensitive_and_whole() {
        let m = matcher(&["sessionid", "csrftoken"]);
        assert!(m.matches("sessionid"));
        assert!(m.matches("csrftoken"));
        assert!(!m.matches("SessionId"));
        assert!(!m.matches("sessionid2"));
        assert!(!m.matches("xsessionid"));
        assert!(!m.matches(""));
    }

    #[test]
    fn glob_star_matches_any_run_including_empty() {
        let m = matcher(&["_ga_*"]);
        assert!(m.matches("_ga_"));
        assert!(m.matches("_ga_ABC123"));
        assert!(!m.matches("_ga"));
        assert!(!m.matches("x_ga_ABC"));
        assert!(!m.matches("_GA_ABC"));
    }

    #[test]
    fn glob_other_characters_are_literal() {
        let m = matcher(&["_pk_id.*"]);
        assert!(m.matches("_pk_id.1.abcd"));
        assert!(m.matches("_pk_id."));
        assert!(!m.matches("_pk_idX1"), ". is literal, not any character");
        let specials = matcher(&["a+b(c)*"]);
        assert!(specials.matches("a+b(c)"));
        assert!(!specials.matches("aab(c)"));
    }

    #[test]
    fn glob_several_stars() {
        let m = matcher(&["*mid*dle*"]);
        assert!(m.matches("middle"));
        assert!(m.matches("xxmidyydlezz"));
        assert!(!m.matches("mdle"));
        assert!(matcher(&["*"]).matches(""));
        assert!(matcher(&["*"]).matches("anything"));
    }

    #[test]
    fn unanchored_regex_matches_the_whole_name() {
        let m = matcher(&["/_ga_[A-Z0-9]+/"]);
        assert!(m.matches("_ga_ABC1"));
        assert!(!m.matches("x_ga_ABC1"));
        assert!(!m.matches("_ga_ABC1x"));
        // Alternation stays inside the anchors.
        let alt = NameMatcher::new(&["/a|b/"]).expect("valid");
        assert!(alt.matches("a"));
        assert!(!alt.matches("ab"));
        assert!(!alt.matches("xa"));
    }

    #[test]
    fn self_anchored_regex_is_used_as_written() {
        let full = matcher(&[r"/^_pk_(id|ses)\..*$/"]);
        assert!(full.matches("_pk_id.1.abc"));
        assert!(full.matches("_pk_ses.1.abc"));
        assert!(!full.matches("_pk_ref.1.abc"));
        assert!(!full.matches("x_pk_id.1"));
        let prefix = matcher(&["/^_pk_/"]);
        assert!(prefix.matches("_pk_anything"));
        assert!(!prefix.matches("x_pk_"));
        let suffix = matcher(&["/_id$/"]);
        assert!(suffix.matches("visitor_id"));
        assert!(!suffix.matches("visitor_idx"));
        let escaped_dollar = matcher(&[r"/price\$/"]);
        assert!(escaped_dollar.matches("price$"));
        assert!(!escaped_dollar.matches("xprice$"), r"\$ is not an anchor");
    }

    #[test]
    fn regex_flags_work() {
        let m = matcher(&["/(?i)session/"]);
        assert!(m.matches("SESSION"));
        assert!(!m.matches("SESSIONS"));
        let prefix = matcher(&["/(?i)^pk_/"]);
        assert!(prefix.matches("PK_anything"));
        assert!(!prefix.matches("x_pk_"));
    }

    #[test]
    fn anchoring_rule() {
        assert!(anchors_itself("^a"));
        assert!(anchors_itself("\\Aa"));
        assert!(anchors_itself("a$"));
        assert!(anchors_itself("a\\z"));
        assert!(anchors_itself("(?i)^a"));
        assert!(anchors_itself("(?i)(?-u)^a"));
        assert!(
            anchors_itself("a\\\\$"),
            "an escaped backslash, then an anchor"
        );
        assert!(!anchors_itself("a\\$"));
        assert!(!anchors_itself("a|b"));
        assert!(!anchors_itself("(?:^a)|b"), "only the very start counts");
        assert!(!anchors_itself("(?i)a"));
    }

    #[test]
    fn mixed_kinds_in_one_declaration() {
        let m = matcher(&["sessionid", "_ga_*", "/_gid|_gat/"]);
        for name in ["sessionid", "_ga_X", "_gid", "_gat"] {
            assert!(m.matches(name), "{name}");
        }
        for name in ["_ga", "_gidx", "session"] {
            assert!(!m.matches(name), "{name}");
        }
    }

    #[test]
    fn errors_name_the_entry() {
        let e = NameMatcher::new(&["ok", ""]).expect_err("empty");
        assert_eq!(e.index, 1);
        assert_eq!(e.problem, PatternProblem::Empty);
        assert!(e.to_string().contains("empty name"), "{e}");
        let e = NameMatcher::new(&["ok", "_ga_*", "/(unclosed/"]).expect_err("bad regex");
        assert_eq!(e.index, 2);
        assert!(
            matches!(&e.problem, PatternProblem::Invalid { entry, .. } if entry == "/(unclosed/")
        );
        assert!(e.to_string().contains("invalid regex /(unclosed/"), "{e}");
        let e = NameMatcher::new(&["/abc"]).expect_err("no closing slash");
        assert_eq!(e.index, 0);
        assert_eq!(e.problem, PatternProblem::Unclosed("/abc".into()));
        assert!(e.to_string().contains("expected /regex/"), "{e}");
        let e = NameMatcher::new(&["//"]).expect_err("empty regex");
        assert_eq!(e.problem, PatternProblem::EmptyRegex("//".into()));
        assert!(e.to_string().contains("empty regex"), "{e}");
        let e = NameMatcher::new(&["/"]).expect_err("lone slash");
        assert_eq!(e.problem, PatternProblem::Unclosed("/".into()));
        assert!(e.to_string().contains("expected /regex/"), "{e}");
    }
}
