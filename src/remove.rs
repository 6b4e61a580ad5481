//! Cookies named for removal (`crumbs remove JAR COOKIE...`, DESIGN §8):
//! `NAME`, `NAME@DOMAIN` or `NAME@DOMAIN/PATH` select cookies whatever
//! their site; [`crate::plan::removal`] removes them and touches nothing
//! else, and [`save`] writes the jar through the checked save (backup,
//! `undo`) every other write takes.

use time::OffsetDateTime;

use crate::consent::alongside::Records;
use crate::dirs::Dirs;
use crate::jar::Jar;
use crate::jar::save::{self, Saved, Target};
use crate::model::{Cookie, Cookies};
use crate::plan::Plan;
use crate::session::SessionError;

/// A cookie named on the command line is not usable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RemoveError {
    /// The name part is empty (`@example.com`).
    #[error("{0:?}: no cookie name before the @ (expected NAME, NAME@DOMAIN or NAME@DOMAIN/PATH)")]
    NoName(String),
    /// Names that match no cookie of the jar.
    #[error("no cookie of the jar matches {}", quoted(.0))]
    NoMatch(Vec<String>),
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One cookie named for removal: a name, and the domain and path that
/// narrow it down when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// As it was written.
    pub text: String,
    name: String,
    domain: Option<String>,
    path: Option<String>,
}

impl Named {
    /// Reads `NAME`, `NAME@DOMAIN` or `NAME@DOMAIN/PATH`. A domain matches
    /// with or without its leading dot, in any case; a path matches exactly.
    pub fn parse(text: &str) -> Result<Named, RemoveError> {
        // The last @: a domain holds none, a name might.
        let (name, place) = match text.rsplit_once('@') {
            Some((name, place)) => (name, Some(place)),
            None => (text, None),
        };
        if name.is_empty() {
            return Err(RemoveError::NoName(text.to_string()));
        }
        let (domain, path) =
            match place.map(|p| p.split_once('/').map_or((p, None), |(d, p)| (d, Some(p)))) {
                Some((d, p)) => (
                    Some(d.trim_start_matches('.').to_ascii_lowercase()),
                    p.map(|p| format!("/{p}")),
                ),
                None => (None, None),
            };
        Ok(Named {
            text: text.to_string(),
            name: name.to_string(),
            domain: domain.filter(|d| !d.is_empty()),
            path,
        })
    }

    /// True when `c` is a cookie this names.
    pub fn matches(&self, c: &Cookie) -> bool {
        c.name == self.name
            && self
                .domain
                .as_deref()
                .is_none_or(|d| c.domain.trim_start_matches('.').eq_ignore_ascii_case(d))
            && self.path.as_deref().is_none_or(|p| c.path == p)
    }
}

/// The indices of the cookies `named` selects, in jar order; an error
/// naming every one that matches nothing (then nothing is removed).
pub fn select(cookies: &dyn Cookies, named: &[Named]) -> Result<Vec<usize>, RemoveError> {
    let mut found = vec![false; named.len()];
    let mut picked = Vec::new();
    for i in 0..cookies.len() {
        let Some(c) = cookies.get(i) else { continue };
        let mut hit = false;
        for (n, f) in named.iter().zip(found.iter_mut()) {
            if n.matches(&c) {
                *f = true;
                hit = true;
            }
        }
        if hit {
            picked.push(i);
        }
    }
    let missing: Vec<String> = named
        .iter()
        .zip(&found)
        .filter(|(_, f)| !**f)
        .map(|(n, _)| n.text.clone())
        .collect();
    if missing.is_empty() {
        Ok(picked)
    } else {
        Err(RemoveError::NoMatch(missing))
    }
}

/// Carries `plan` out on `jar` and saves it to `target`, checked and
/// backed up like any save; no consent record is written.
pub fn save(
    jar: &mut Jar,
    plan: &Plan,
    target: Target<'_>,
    dirs: &Dirs,
    now: OffsetDateTime,
) -> Result<Saved, SessionError> {
    let edits = plan.edits(jar.cookies());
    jar.apply(&edits)?;
    let mut none = Records::for_save(dirs, [], now)?;
    save::save(jar, target, dirs, &mut none)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CookieKey;

    fn jar() -> Vec<Cookie<'static>> {
        [
            ("sid", "www.a.test", "/"),
            ("sid", ".a.test", "/app"),
            ("_ga", ".a.test", "/"),
            ("x@y", "b.test", "/"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (n, d, p))| Cookie {
            path: (*p).into(),
            ..Cookie::basic(n, d, CookieKey::Line(i))
        })
        .collect()
    }

    fn pick(names: &[&str]) -> Result<Vec<usize>, RemoveError> {
        let named: Vec<Named> = names
            .iter()
            .map(|n| Named::parse(n))
            .collect::<Result<_, _>>()?;
        select(&jar(), &named)
    }

    #[test]
    fn names_narrow_by_domain_then_path() {
        assert_eq!(pick(&["sid"]), Ok(vec![0, 1]));
        assert_eq!(pick(&["sid@www.a.test"]), Ok(vec![0]));
        assert_eq!(pick(&["sid@a.test"]), Ok(vec![1]), "the dot is optional");
        assert_eq!(pick(&["sid@.A.test/app"]), Ok(vec![1]));
        assert_eq!(pick(&["_ga", "sid@www.a.test"]), Ok(vec![0, 2]));
        assert_eq!(pick(&["x@y@b.test"]), Ok(vec![3]), "the last @ splits");
    }

    #[test]
    fn a_name_that_matches_nothing_is_named() {
        assert_eq!(
            pick(&["sid", "nope", "sid@a.test/other"]),
            Err(RemoveError::NoMatch(vec![
                "nope".into(),
                "sid@a.test/other".into()
            ]))
        );
        assert_eq!(
            Named::parse("@a.test"),
            Err(RemoveError::NoName("@a.test".into()))
        );
        let e = RemoveError::NoMatch(vec!["nope".into()]);
        assert_eq!(e.to_string(), "no cookie of the jar matches \"nope\"");
    }
}
