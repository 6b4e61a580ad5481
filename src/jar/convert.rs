//! `crumbs convert`: the cookies of one jar written in another format, with
//! an account of every kind of information the target cannot hold.

use super::cookie_array::{Dialect, item_for};
use super::json_tree::{Json, Layout};
use super::{
    Body, Jar, cookie_store_json, extension, httpie, lwp, netscape, newman, playwright, puppeteer,
    selenium,
};
use crate::model::{Cookie, Expiry, NewCookie, SameSite};

/// The formats `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Netscape cookies.txt (curl, wget, Python's MozillaCookieJar, yt-dlp).
    Netscape,
    /// Python's `LWPCookieJar` (`#LWP-Cookies-2.0`).
    Lwp,
    /// cookie_store JSON (reqwest's `reqwest_cookie_store`), the pretty array.
    CookieStoreJson,
    /// A browser-extension export (Cookie-Editor, EditThisCookie).
    ExtensionJson,
    /// Playwright `storageState`.
    Playwright,
    /// Puppeteer / DevTools cookie array.
    Puppeteer,
    /// Selenium `get_cookies()` JSON.
    Selenium,
    /// An httpie session (3.1+ list layout).
    Httpie,
    /// A Postman/newman cookie jar (tough-cookie serialisation).
    Newman,
}

/// Why a conversion wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// The target's writer failed.
    #[error("cannot write the converted jar: {0}")]
    Render(String),
}

/// One kind of information the target cannot hold, and how many cookies had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// A stable identifier (`--json`).
    pub kind: &'static str,
    /// How many cookies (or entries) it concerns.
    pub count: usize,
    /// What is counted, plural ("cookies", "localStorage entries").
    pub of: &'static str,
    /// What happened to it, for people.
    pub note: &'static str,
}

/// The converted jar.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The target file's content.
    pub bytes: Vec<u8>,
    /// How many cookies it holds.
    pub cookies: usize,
    /// What the target could not hold (only kinds that occurred).
    pub losses: Vec<Loss>,
}

/// Writes every cookie of `jar` in `to`.
pub fn convert(jar: &Jar, to: Target) -> Result<Converted, ConvertError> {
    let cookies: Vec<Cookie<'_>> = jar.cookies().iter().collect();
    let mut losses = losses(jar, &cookies, to);
    let mut written = cookies.len();
    let bytes = match to {
        Target::Netscape => netscape_file(&cookies),
        Target::Lwp => lwp::render_new(cookies.iter().map(new_cookie)),
        Target::CookieStoreJson => {
            let store = cookie_store_json::render_new(cookies.iter().map(new_cookie))
                .map_err(|e| ConvertError::Render(e.to_string()))?;
            let mut lost = |kind, count, note| {
                if count > 0 {
                    written -= count;
                    losses.push(Loss {
                        kind,
                        count,
                        of: "cookies",
                        note,
                    });
                }
            };
            lost(
                "duplicate",
                store.replaced,
                "left out: cookie_store holds one cookie per domain, path and name (a later \
                 one, in another partition, replaced it)",
            );
            lost(
                "unwritable",
                store.refused,
                "left out: cookie_store cannot hold them (a path that is no cookie path)",
            );
            store.bytes
        }
        Target::ExtensionJson => extension::render_new(&cookies),
        Target::Playwright => playwright::render_new(items(&playwright::DIALECT, &cookies)),
        Target::Puppeteer => pretty_array(items(&puppeteer::DIALECT, &cookies)),
        Target::Selenium => pretty_array(items(&selenium::DIALECT, &cookies)),
        Target::Httpie => httpie::render_new(items(&httpie::DIALECT, &cookies)),
        Target::Newman => newman::render_new(&cookies),
    };
    Ok(Converted {
        bytes,
        cookies: written,
        losses,
    })
}

/// The cookie as one to write anew (its partition aside).
fn new_cookie(c: &Cookie<'_>) -> NewCookie {
    NewCookie {
        name: c.name.to_string(),
        value: c.value.to_string(),
        domain: c.domain.to_string(),
        host_only: c.host_only,
        path: c.path.to_string(),
        secure: c.secure,
        http_only: c.http_only,
        same_site: c.same_site,
        expiry: c.expiry,
    }
}

fn items(d: &Dialect, cookies: &[Cookie<'_>]) -> Vec<Json> {
    cookies.iter().map(|c| item_for(d, c, None)).collect()
}

/// A JSON array with two-space indent and a final newline (`JSON.stringify(x, null, 2)`).
fn pretty_array(items: Vec<Json>) -> Vec<u8> {
    Layout::of(b"[\n  1\n]\n").render(&Json::Array(items))
}

/// A cookies.txt with curl's header; session cookies get expiry `0`.
fn netscape_file(cookies: &[Cookie<'_>]) -> Vec<u8> {
    let mut out = b"# Netscape HTTP Cookie File\n# Written by crumbs convert.\n\n".to_vec();
    for c in cookies {
        out.extend(netscape::new_line(&new_cookie(c), false));
        out.push(b'\n');
    }
    out
}

/// Each kind of information `to` cannot hold, counted.
fn losses(jar: &Jar, cookies: &[Cookie<'_>], to: Target) -> Vec<Loss> {
    let mut found = target_losses(cookies, to);
    if let Body::Playwright(state) = &jar.body {
        found.push((
            "local-storage",
            state.local_storage().1,
            "localStorage (the storage state's origins) not carried over",
        ));
    }
    if matches!(jar.body, Body::Puppeteer(_)) && to != Target::Puppeteer {
        found.push((
            "devtools-fields",
            cookies.len(),
            "priority, sameParty, sourceScheme, sourcePort (DevTools fields) dropped",
        ));
    }
    found
        .into_iter()
        .filter(|&(_, count, _)| count > 0)
        .map(|(kind, count, note)| Loss {
            kind,
            count,
            of: if kind == "local-storage" {
                "localStorage entries"
            } else {
                "cookies"
            },
            note,
        })
        .collect()
}

/// What `to` has no room for, of `cookies`: each kind, how many (maybe
/// none) and what becomes of it.
fn target_losses(cookies: &[Cookie<'_>], to: Target) -> Vec<(&'static str, usize, &'static str)> {
    let count = |f: &dyn Fn(&Cookie<'_>) -> bool| cookies.iter().filter(|c| f(c)).count();
    let partitioned = count(&|c| !c.partition.is_empty());
    match to {
        Target::Netscape => vec![
            (
                "same-site",
                count(&|c| c.same_site != SameSite::Unset),
                "SameSite dropped (cookies.txt has no field for it)",
            ),
            (
                "partition",
                partitioned,
                "partition dropped: the cookie becomes unpartitioned",
            ),
            (
                "http-only",
                count(&|c| c.http_only),
                "HttpOnly written as the #HttpOnly_ line prefix (curl, yt-dlp and Python read \
                 it; wget 1.x skips such lines as comments)",
            ),
            (
                "session-zero",
                count(&|c| c.expiry == Expiry::Session),
                "session cookies written with expiry 0, curl's and wget's spelling (Python's \
                 MozillaCookieJar loads them with ignore_discard=True, ignore_expires=True)",
            ),
        ],
        Target::Playwright => vec![(
            "same-site-unset",
            count(&|c| c.same_site == SameSite::Unset),
            "no SameSite: written as Lax (Playwright requires one; browsers default to Lax)",
        )],
        Target::Selenium => vec![(
            "partition",
            partitioned,
            "partition dropped (WebDriver cookies have none)",
        )],
        Target::Lwp => vec![(
            "partition",
            partitioned,
            "partition dropped (Python's cookiejar has none)",
        )],
        Target::CookieStoreJson => vec![(
            "partition",
            partitioned,
            "partition dropped (cookie_store has none)",
        )],
        Target::Newman => vec![(
            "partition",
            partitioned,
            "partition dropped (tough-cookie has none)",
        )],
        Target::Httpie => vec![
            (
                "http-only",
                count(&|c| c.http_only),
                "HttpOnly dropped (an httpie session has no field for it)",
            ),
            (
                "same-site",
                count(&|c| c.same_site != SameSite::Unset),
                "SameSite dropped (an httpie session has no field for it)",
            ),
            (
                "partition",
                partitioned,
                "partition dropped (an httpie session has none)",
            ),
        ],
        Target::Puppeteer | Target::ExtensionJson => Vec::new(),
    }
}
