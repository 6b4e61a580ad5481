//! What RFC 6265bis and the browsers would refuse or change in a cookie
//! (DESIGN §5b): each finding names the cookie's rule, so `check` can report
//! it and `list` can mark the row.

use crate::model::{Cookie, Cookies, Expiry, SameSite};

/// Name plus value longer than this is refused (RFC 6265bis §5.7).
pub const MAX_NAME_VALUE: usize = 4096;
/// A Domain or Path attribute longer than this is ignored (RFC 6265bis §5.7).
pub const MAX_ATTRIBUTE: usize = 1024;
/// Browsers cap an expiry this many days ahead (RFC 6265bis §5.6.1).
pub const MAX_DAYS: i64 = 400;

/// The kinds of lint, with their stable names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LintKind {
    /// Name and value over 4096 bytes.
    Oversize,
    /// Domain or path over 1024 bytes.
    AttributeOversize,
    /// A `__Secure-` or `__Host-` name without what the prefix demands.
    Prefix,
    /// SameSite=None without Secure.
    SameSiteNoneInsecure,
    /// An expiry more than 400 days from now.
    Lifetime,
    /// A domain cookie on a public suffix.
    PublicSuffix,
    /// Control characters in the name or value.
    ControlChars,
    /// Another cookie with the same name, domain, path and partition came before.
    Duplicate,
}

impl LintKind {
    /// The problem kind in `check` and `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            LintKind::Oversize => "oversize",
            LintKind::AttributeOversize => "attribute-oversize",
            LintKind::Prefix => "prefix",
            LintKind::SameSiteNoneInsecure => "samesite-none-insecure",
            LintKind::Lifetime => "lifetime",
            LintKind::PublicSuffix => "public-suffix",
            LintKind::ControlChars => "control-chars",
            LintKind::Duplicate => "duplicate",
        }
    }
}

/// One finding: its kind and the rule broken, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// The kind.
    pub kind: LintKind,
    /// The rule and how the cookie breaks it (without the cookie's name: the
    /// caller says which cookie).
    pub rule: String,
}

fn lint(kind: LintKind, rule: String) -> Lint {
    Lint { kind, rule }
}

/// The lints of one cookie on its own (every kind but `duplicate`, which
/// needs the others: see [`repeats`]).
pub fn cookie_lints(c: &Cookie, now: i64) -> Vec<Lint> {
    let mut out = Vec::new();
    let size = c.name.len() + c.value.len();
    if size > MAX_NAME_VALUE {
        out.push(lint(
            LintKind::Oversize,
            format!("name and value are {size} bytes; browsers refuse more than {MAX_NAME_VALUE}"),
        ));
    }
    for (what, len) in [("domain", c.domain.len()), ("path", c.path.len())] {
        if len > MAX_ATTRIBUTE {
            out.push(lint(
                LintKind::AttributeOversize,
                format!("its {what} is {len} bytes; browsers ignore more than {MAX_ATTRIBUTE}"),
            ));
        }
    }
    if let Some(rule) = prefix_rule(c) {
        out.push(lint(LintKind::Prefix, rule));
    }
    if c.same_site == SameSite::None && !c.secure {
        out.push(lint(
            LintKind::SameSiteNoneInsecure,
            "SameSite=None without Secure; browsers refuse it".into(),
        ));
    }
    if let Expiry::At(t) = c.expiry
        && t > now.saturating_add(MAX_DAYS * 86_400)
    {
        out.push(lint(
            LintKind::Lifetime,
            format!(
                "expires {} days from now; browsers cap a lifetime at {MAX_DAYS} days",
                (t - now) / 86_400
            ),
        ));
    }
    if !c.host_only && is_public_suffix(&c.domain) {
        out.push(lint(
            LintKind::PublicSuffix,
            format!(
                "a domain cookie on the public suffix {}; browsers refuse it",
                c.domain
            ),
        ));
    }
    for (what, text) in [("name", &c.name), ("value", &c.value)] {
        if text.bytes().any(is_forbidden_control) {
            out.push(lint(
                LintKind::ControlChars,
                format!("its {what} holds a control character; browsers refuse it"),
            ));
        }
    }
    out
}

/// The `__Secure-` / `__Host-` rule the cookie breaks, if any (prefixes
/// compare case-insensitively, as browsers now do).
fn prefix_rule(c: &Cookie) -> Option<String> {
    let starts = |p: &str| {
        c.name
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    if starts("__Host-") {
        let mut broken = Vec::new();
        if !c.secure {
            broken.push("without Secure");
        }
        if !c.host_only {
            broken.push("with a Domain");
        }
        if c.path != "/" {
            broken.push("with a Path other than /");
        }
        return (!broken.is_empty())
            .then(|| format!("a __Host- cookie {}; browsers refuse it", broken.join(", ")));
    }
    (starts("__Secure-") && !c.secure)
        .then(|| "a __Secure- cookie without Secure; browsers refuse it".to_string())
}

/// True when `domain` is itself a suffix of the Public Suffix List (ICANN or
/// private section, as browsers use it), as the `psl` crate embeds it.
pub fn is_public_suffix(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.');
    psl::suffix(domain.as_bytes()).is_some_and(|s| {
        s.is_known() && s.trim().as_bytes().eq_ignore_ascii_case(domain.as_bytes())
    })
}

/// RFC 6265bis refuses %x00-08, %x0A-1F and %x7F (a tab is allowed).
fn is_forbidden_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// For each of `items` (a cookie's index in the jar and its
/// [`identity_hash`], in jar order), the jar index of the earlier cookie it
/// repeats — same name, domain, path and partition — if any.
///
/// The items are sorted on their hash, in one group per core, rather than
/// put in a hash map: on a million cookies the map's random accesses were a
/// tenth of `check`. A cookie is looked at again only when its hash repeats.
pub fn repeats(cookies: &dyn Cookies, items: &[(usize, u64)]) -> Vec<Option<usize>> {
    let groups = crate::chunks::threads_for(items.len());
    let mut parts: Vec<Vec<(u64, usize)>> = (0..groups)
        .map(|_| Vec::with_capacity(items.len() / groups + 1))
        .collect();
    for (k, &(_, hash)) in items.iter().enumerate() {
        // The high half picks the group; the sort inside it uses the whole hash.
        parts[(hash >> 32) as usize % groups].push((hash, k));
    }
    let found = crate::chunks::each_part(parts, |part| repeats_in(cookies, items, part));
    let mut out = vec![None; items.len()];
    for (k, earlier) in found.into_iter().flatten() {
        out[k] = Some(earlier);
    }
    out
}

/// The repeats within one group of `(hash, position in items)`: in each run
/// of equal hashes, in jar order, a cookie repeats the first earlier one of
/// the same identity (a run may hold several identities: a 64-bit collision).
fn repeats_in(
    cookies: &dyn Cookies,
    items: &[(usize, u64)],
    mut part: Vec<(u64, usize)>,
) -> Vec<(usize, usize)> {
    part.sort_unstable();
    let mut out = Vec::new();
    for run in part.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        let first = items[run[0].1].0;
        let Some(first_cookie) = cookies.get(first) else {
            continue;
        };
        // Other identities of the run (a collision): rare, so made only when met.
        let mut others: Vec<usize> = Vec::new();
        for &(_, k) in &run[1..] {
            let index = items[k].0;
            let Some(c) = cookies.get(index) else {
                continue;
            };
            if same_identity(&first_cookie, &c) {
                out.push((k, first));
                continue;
            }
            let same = |j: usize| cookies.get(j).is_some_and(|o| same_identity(&o, &c));
            match others.iter().copied().find(|&j| same(j)) {
                Some(earlier) => out.push((k, earlier)),
                None => others.push(index),
            }
        }
    }
    out
}

fn same_identity(a: &Cookie, b: &Cookie) -> bool {
    a.name == b.name && a.domain == b.domain && a.path == b.path && a.partition == b.partition
}

/// The cookies among `indices` that repeat an earlier one (what `list` marks).
pub fn duplicate_indices(
    cookies: &dyn Cookies,
    indices: impl Iterator<Item = usize>,
) -> std::collections::HashSet<usize> {
    let indices: Vec<usize> = indices.collect();
    let items: Vec<(usize, u64)> = crate::chunks::in_chunks(indices.len(), |range| {
        indices[range]
            .iter()
            .filter_map(|&i| cookies.get(i).map(|c| (i, identity_hash(&c))))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    repeats(cookies, &items)
        .into_iter()
        .zip(&items)
        .filter_map(|(earlier, &(i, _))| earlier.map(|_| i))
        .collect()
}

/// The hash of a cookie's identity (name, domain, path, partition) that
/// [`repeats`] sorts on.
pub fn identity_hash(c: &Cookie) -> u64 {
    // Each part hashed on its own, seeded with the hash so far: parts stay
    // apart ("ab","c" is not "a","bc"), and four one-shot hashes of a few
    // bytes cost less than setting up a streaming hasher per cookie.
    [&c.name, &c.domain, &c.path, &c.partition]
        .iter()
        .fold(0, |h, part| {
            xxhash_rust::xxh3::xxh3_64_with_seed(part.as_bytes(), h)
        })
}

/// The [`Lint`] of a duplicate of the cookie at `earlier`.
pub fn duplicate_lint(earlier: &Cookie) -> Lint {
    lint(
        LintKind::Duplicate,
        format!(
            "another cookie has the same name, domain ({}), path ({}) and partition; a browser keeps one",
            earlier.domain, earlier.path
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CookieKey, OwnedCookie};
    use std::borrow::Cow;
    use std::collections::HashMap;

    const NOW: i64 = 1_795_000_000;

    fn base(name: &str) -> OwnedCookie {
        Cookie {
            secure: true,
            ..Cookie::basic(name, "shop.example", CookieKey::Line(0))
        }
    }

    fn kinds(c: &Cookie) -> Vec<LintKind> {
        cookie_lints(c, NOW).into_iter().map(|l| l.kind).collect()
    }

    #[test]
    fn a_plain_cookie_has_none() {
        assert_eq!(kinds(&base("id")), []);
    }

    #[test]
    fn oversize_counts_name_and_value() {
        let mut c = base("n");
        c.value = Cow::Owned("v".repeat(MAX_NAME_VALUE - 1));
        assert_eq!(kinds(&c), []);
        c.value = Cow::Owned("v".repeat(MAX_NAME_VALUE));
        let l = cookie_lints(&c, NOW);
        assert_eq!(l[0].kind, LintKind::Oversize);
        assert!(l[0].rule.contains("4097 bytes"), "{}", l[0].rule);
    }

    #[test]
    fn attribute_oversize_for_domain_or_path() {
        let mut c = base("n");
        c.path = Cow::Owned(format!("/{}", "p".repeat(MAX_ATTRIBUTE)));
        let l = cookie_lints(&c, NOW);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].kind, LintKind::AttributeOversize);
        assert!(
            l[0].rule.starts_with("its path is 1025 bytes"),
            "{}",
            l[0].rule
        );
        c.path = Cow::Borrowed("/");
        c.domain = Cow::Owned(format!("{}.example", "d".repeat(MAX_ATTRIBUTE)));
        assert_eq!(kinds(&c), [LintKind::AttributeOversize]);
    }

    #[test]
    fn prefixes_need_what_they_promise() {
        assert_eq!(kinds(&base("__Secure-id")), []);
        assert_eq!(kinds(&base("__Host-id")), []);
        let insecure = |name: &str| Cookie {
            secure: false,
            ..base(name)
        };
        assert_eq!(kinds(&insecure("__Secure-id")), [LintKind::Prefix]);
        assert_eq!(
            kinds(&insecure("__secure-id")),
            [LintKind::Prefix],
            "any case"
        );
        let l = cookie_lints(
            &Cookie {
                host_only: false,
                path: Cow::Borrowed("/app"),
                ..insecure("__HOST-id")
            },
            NOW,
        );
        assert_eq!(
            l[0].rule,
            "a __Host- cookie without Secure, with a Domain, with a Path other than /; browsers refuse it"
        );
        assert_eq!(kinds(&base("__Hostile")), [], "not the prefix");
    }

    #[test]
    fn samesite_none_needs_secure() {
        let c = Cookie {
            same_site: SameSite::None,
            ..base("n")
        };
        assert_eq!(kinds(&c), []);
        let c = Cookie { secure: false, ..c };
        assert_eq!(kinds(&c), [LintKind::SameSiteNoneInsecure]);
    }

    #[test]
    fn lifetime_over_400_days() {
        let at = |days: i64| Cookie {
            expiry: Expiry::At(NOW + days * 86_400),
            ..base("n")
        };
        assert_eq!(kinds(&at(400)), []);
        let l = cookie_lints(&at(800), NOW);
        assert_eq!(l[0].kind, LintKind::Lifetime);
        assert!(
            l[0].rule.starts_with("expires 800 days from now"),
            "{}",
            l[0].rule
        );
        assert_eq!(
            kinds(&Cookie {
                expiry: Expiry::At(i64::MAX),
                ..base("n")
            }),
            [LintKind::Lifetime]
        );
    }

    #[test]
    fn domain_cookies_on_public_suffixes() {
        let on = |domain: &str, host_only: bool| Cookie {
            domain: Cow::Owned(domain.into()),
            host_only,
            ..base("n")
        };
        for suffix in ["com", "co.uk", "github.io", "s3.amazonaws.com"] {
            assert_eq!(
                kinds(&on(suffix, false)),
                [LintKind::PublicSuffix],
                "{suffix}"
            );
        }
        // A host-only cookie of a host that is a suffix is allowed.
        assert_eq!(kinds(&on("github.io", true)), []);
        for fine in [
            "example.co.uk",
            "shop.example",
            "localhost",
            "user.github.io",
        ] {
            assert_eq!(kinds(&on(fine, false)), [], "{fine}");
        }
    }

    #[test]
    fn control_characters_but_not_tab() {
        let with_value = |v: &str| Cookie {
            value: Cow::Owned(v.into()),
            ..base("n")
        };
        assert_eq!(kinds(&with_value("a\tb")), []);
        assert_eq!(kinds(&with_value("a\u{1}b")), [LintKind::ControlChars]);
        assert_eq!(kinds(&with_value("a\u{7f}")), [LintKind::ControlChars]);
        let l = cookie_lints(&base("bad\rname"), NOW);
        assert_eq!(
            l[0].rule,
            "its name holds a control character; browsers refuse it"
        );
    }

    #[test]
    fn duplicates_by_name_domain_path_and_partition() {
        let jar: Vec<OwnedCookie> = vec![
            base("a"),
            base("a"),
            Cookie {
                path: Cow::Borrowed("/x"),
                ..base("a")
            },
            Cookie {
                partition: Cow::Borrowed("p"),
                ..base("a")
            },
            base("b"),
            base("a"),
        ];
        let items: Vec<(usize, u64)> = jar
            .iter()
            .enumerate()
            .map(|(i, c)| (i, identity_hash(c)))
            .collect();
        let got = repeats(&jar, &items);
        assert_eq!(got, [None, Some(0), None, None, None, Some(0)]);
        assert!(
            duplicate_lint(&jar[0])
                .rule
                .contains("domain (shop.example), path (/)")
        );
    }

    #[test]
    fn a_hash_collision_is_not_a_duplicate() {
        // Every cookie given the same hash: only real repeats are reported,
        // each against its own first occurrence.
        let jar: Vec<OwnedCookie> = vec![base("a"), base("b"), base("b"), base("c"), base("a")];
        let items: Vec<(usize, u64)> = (0..jar.len()).map(|i| (i, 7)).collect();
        let got = repeats(&jar, &items);
        assert_eq!(got, [None, None, Some(1), None, Some(0)]);
    }

    #[test]
    fn repeats_in_parallel_groups_are_those_of_one_pass() {
        // Past the parallel threshold: each cookie repeats the first of its
        // identity, whichever group its hash falls in.
        let n = crate::chunks::PARALLEL_FROM + 4_321;
        let jar: Vec<OwnedCookie> = (0..n)
            .map(|i| base(&format!("c{}", (i * 7919) % (n / 3))))
            .collect();
        let items: Vec<(usize, u64)> = jar
            .iter()
            .enumerate()
            .map(|(i, c)| (i, identity_hash(c)))
            .collect();
        let mut first = HashMap::new();
        let expected: Vec<Option<usize>> = (0..n)
            .map(|i| {
                let at = *first.entry(jar[i].name.to_string()).or_insert(i);
                (at != i).then_some(at)
            })
            .collect();
        assert!(expected.iter().filter(|e| e.is_some()).count() > n / 2);
        assert_eq!(repeats(&jar, &items), expected);
    }

    #[test]
    fn the_identity_hash_keeps_the_parts_apart() {
        let a = Cookie {
            domain: Cow::Borrowed("c.example"),
            ..base("ab")
        };
        let b = Cookie {
            domain: Cow::Borrowed("bc.example"),
            ..base("a")
        };
        assert_ne!(identity_hash(&a), identity_hash(&b));
        assert_eq!(identity_hash(&a), identity_hash(&a.clone()));
        let other_partition = Cookie {
            partition: Cow::Borrowed("p"),
            ..a.clone()
        };
        assert_ne!(identity_hash(&a), identity_hash(&other_partition));
    }

    #[test]
    fn kinds_have_stable_names() {
        let all = [
            (LintKind::Oversize, "oversize"),
            (LintKind::AttributeOversize, "attribute-oversize"),
            (LintKind::Prefix, "prefix"),
            (LintKind::SameSiteNoneInsecure, "samesite-none-insecure"),
            (LintKind::Lifetime, "lifetime"),
            (LintKind::PublicSuffix, "public-suffix"),
            (LintKind::ControlChars, "control-chars"),
            (LintKind::Duplicate, "duplicate"),
        ];
        for (k, s) in all {
            assert_eq!(k.as_str(), s);
        }
    }
}
