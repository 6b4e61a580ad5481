//! The edit protocol every jar format follows.
//!
//! A format hands [`Edits::resolve`] a function that finds a key's record in
//! its own terms (a line, an index, a row, a `(domain, path, name)` triple)
//! and gets back the removals sorted without duplicates, the record to
//! rewrite, and the cookie to add — or an error naming the key, before
//! anything changed — or `None` when there is nothing to do. Each writer then
//! only lays the result out in its own file.

use crate::model::{CookieKey, Edits, Expiry, NewCookie, SetCookie};

/// Why a jar refused edits; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// A key names no record of this jar.
    #[error("no such cookie record: {0}")]
    NoSuchRecord(CookieKey),
    /// The record to rewrite is also being removed.
    #[error("cookie record {0} is both removed and rewritten")]
    ReplaceRemoved(CookieKey),
    /// The format cannot hold the cookie as asked.
    #[error("cannot write cookie {cookie}: {reason}")]
    Unwritable {
        /// The cookie (its name and domain, or its record).
        cookie: String,
        /// What the format refused.
        reason: String,
    },
    /// The format is read only (a HAR capture): says why.
    #[error("{0}")]
    ReadOnly(&'static str),
    /// The format could not lay the edited jar out.
    #[error("cannot write the edited jar: {0}")]
    Render(String),
}

impl EditError {
    /// The format cannot hold `new` (a cookie to add), for `reason`.
    pub fn unwritable(new: &NewCookie, reason: impl ToString) -> EditError {
        EditError::Unwritable {
            cookie: format!("{} on {}", new.name, new.domain),
            reason: reason.to_string(),
        }
    }
}

/// Edits resolved against one jar: positions `P` in the format's own terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'e, P> {
    /// The records to remove, sorted, each once.
    pub remove: Vec<P>,
    /// The record whose value and expiry are rewritten (never one removed).
    pub replace: Option<Replace<'e, P>>,
    /// The cookie to add.
    pub add: Option<&'e NewCookie>,
}

/// A value-and-expiry rewrite of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace<'e, P> {
    /// Where the record is.
    pub at: P,
    /// Its key, for messages.
    pub key: &'e CookieKey,
    /// The new value.
    pub value: &'e str,
    /// The new expiry.
    pub expiry: Expiry,
}

impl<P: Ord> Resolved<'_, P> {
    /// True when the record at `at` is removed.
    pub fn removes(&self, at: &P) -> bool {
        self.remove.binary_search(at).is_ok()
    }

    /// True when only a cookie is added: every record stays where it is.
    pub fn adds_only(&self) -> bool {
        self.remove.is_empty() && self.replace.is_none()
    }
}

impl Edits {
    /// [`Edits::resolve`] for a jar whose records are its first `count`
    /// positions (keys [`CookieKey::Index`]): the JSON formats.
    pub fn resolve_indexed(&self, count: usize) -> Result<Option<Resolved<'_, usize>>, EditError> {
        self.resolve(|key| match key {
            CookieKey::Index(i) if *i < count => Some(*i),
            _ => None,
        })
    }

    /// Resolves every key with `locate` (None: the jar has no such record).
    /// Removals are sorted and deduplicated; a rewrite of a record also
    /// removed is refused. `Ok(None)` when the edits change nothing.
    pub fn resolve<'e, P: Ord>(
        &'e self,
        mut locate: impl FnMut(&'e CookieKey) -> Option<P>,
    ) -> Result<Option<Resolved<'e, P>>, EditError> {
        let mut remove = Vec::with_capacity(self.remove.len());
        for key in &self.remove {
            remove.push(locate(key).ok_or_else(|| EditError::NoSuchRecord(key.clone()))?);
        }
        remove.sort_unstable();
        remove.dedup();
        let (replace, add) = match &self.set {
            Some(SetCookie::Replace { key, value, expiry }) => {
                let at = locate(key).ok_or_else(|| EditError::NoSuchRecord(key.clone()))?;
                if remove.binary_search(&at).is_ok() {
                    return Err(EditError::ReplaceRemoved(key.clone()));
                }
                let replace = Replace {
                    at,
                    key,
                    value: value.as_str(),
                    expiry: *expiry,
                };
                (Some(replace), None)
            }
            Some(SetCookie::Add(new)) => (None, Some(new)),
            None => (None, None),
        };
        if remove.is_empty() && replace.is_none() && add.is_none() {
            return Ok(None);
        }
        Ok(Some(Resolved {
            remove,
            replace,
            add,
        }))
    }
}

/// Keeps the items of `items` whose index `removed` (sorted) does not name,
/// in one pass (removing one by one would move the tail for each removal).
pub fn remove_sorted<T>(items: &mut Vec<T>, removed: &[usize]) {
    let mut at = 0;
    let mut gone = removed.iter().peekable();
    items.retain(|_| {
        let drop = gone.next_if_eq(&&at).is_some();
        at += 1;
        !drop
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SameSite;

    fn line(i: usize) -> CookieKey {
        CookieKey::Line(i)
    }

    /// Lines 0..5 exist.
    fn locate(key: &CookieKey) -> Option<usize> {
        match key {
            CookieKey::Line(i) if *i < 5 => Some(*i),
            _ => None,
        }
    }

    fn replace(i: usize) -> Option<SetCookie> {
        Some(SetCookie::Replace {
            key: line(i),
            value: "v".into(),
            expiry: Expiry::At(9),
        })
    }

    #[test]
    fn removals_are_sorted_and_deduplicated() {
        let edits = Edits {
            remove: vec![line(3), line(1), line(3), line(0)],
            set: None,
        };
        let r = edits.resolve(locate).expect("resolves").expect("changes");
        assert_eq!(r.remove, vec![0, 1, 3]);
        assert!(r.removes(&1) && !r.removes(&2));
        assert_eq!((r.replace, r.add), (None, None));
    }

    #[test]
    fn nothing_to_do_is_none() {
        assert_eq!(Edits::default().resolve(locate), Ok(None));
    }

    #[test]
    fn an_unknown_key_is_named() {
        let edits = Edits {
            remove: vec![line(1), line(7)],
            set: None,
        };
        assert_eq!(edits.resolve(locate), Err(EditError::NoSuchRecord(line(7))));
        let edits = Edits {
            remove: vec![],
            set: replace(9),
        };
        assert_eq!(edits.resolve(locate), Err(EditError::NoSuchRecord(line(9))));
        assert_eq!(
            EditError::NoSuchRecord(line(7)).to_string(),
            "no such cookie record: line 8"
        );
    }

    #[test]
    fn a_replace_is_not_also_a_remove() {
        let edits = Edits {
            remove: vec![line(2)],
            set: replace(2),
        };
        assert_eq!(
            edits.resolve(locate),
            Err(EditError::ReplaceRemoved(line(2)))
        );
        let edits = Edits {
            remove: vec![line(2)],
            set: replace(4),
        };
        let r = edits.resolve(locate).expect("resolves").expect("changes");
        assert!(!r.adds_only());
        let rep = r.replace.expect("a replace");
        assert_eq!((rep.at, rep.value, rep.expiry), (4, "v", Expiry::At(9)));
    }

    #[test]
    fn an_add_alone_moves_nothing() {
        let new = NewCookie {
            name: "n".into(),
            value: "v".into(),
            domain: "a.example".into(),
            host_only: true,
            path: "/".into(),
            secure: false,
            http_only: false,
            same_site: SameSite::Lax,
            expiry: Expiry::Session,
        };
        let edits = Edits {
            remove: vec![],
            set: Some(SetCookie::Add(new.clone())),
        };
        let r = edits.resolve(locate).expect("resolves").expect("changes");
        assert!(r.adds_only());
        assert_eq!(r.add, Some(&new));
        assert_eq!(
            EditError::unwritable(&new, "bad path").to_string(),
            "cannot write cookie n on a.example: bad path"
        );
    }

    #[test]
    fn remove_sorted_keeps_the_rest_in_order() {
        let mut v: Vec<u32> = (0..8).collect();
        remove_sorted(&mut v, &[0, 3, 7]);
        assert_eq!(v, vec![1, 2, 4, 5, 6]);
    }

    #[test]
    fn a_browser_view_queues_each_removal_once() {
        use crate::jar::sqlite::{Op, apply_view};
        use crate::model::Cookie;
        let mut cookies: Vec<_> = (0..4)
            .map(|i| Cookie::basic(&format!("c{i}"), "a.example", line(i)))
            .collect();
        let mut ops = Vec::new();
        let bad = Edits {
            remove: vec![line(1)],
            set: replace(1),
        };
        let unchanged = cookies.clone();
        let err = apply_view(&mut cookies, &mut ops, &bad, |_| unreachable!());
        assert_eq!(err, Err(EditError::ReplaceRemoved(line(1))));
        assert_eq!(
            (cookies.as_slice(), ops.as_slice()),
            (&unchanged[..], &[][..])
        );

        let edits = Edits {
            remove: vec![line(2), line(0), line(2)],
            set: replace(3),
        };
        apply_view(&mut cookies, &mut ops, &edits, |_| unreachable!()).expect("applies");
        let names: Vec<&str> = cookies.iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, ["c1", "c3"]);
        assert_eq!(
            (cookies[1].value.as_ref(), cookies[1].expiry),
            ("v", Expiry::At(9))
        );
        assert_eq!(
            ops,
            [
                Op::Delete(line(0)),
                Op::Delete(line(2)),
                Op::Update {
                    key: line(3),
                    value: "v".into(),
                    expiry: Expiry::At(9)
                }
            ]
        );
    }
}
