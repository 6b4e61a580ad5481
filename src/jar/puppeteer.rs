//! Puppeteer's and the DevTools protocol's cookie arrays (`page.cookies()`,
//! `browser.cookies()`, `Network.getAllCookies`, `Storage.getCookies`), and
//! Playwright's `context.cookies()` list, which has the same spelling.
//!
//! `expires` in seconds (`-1` and `session: true`: a session cookie);
//! `size`, `priority`, `sameParty`, `sourceScheme`, `sourcePort` and
//! `partitionKey` (a string, or an object with `topLevelSite` and
//! `hasCrossSiteAncestor`) are kept as read; see [`super::cookie_array`].

use super::cookie_array::{Dialect, Session};

/// The DevTools protocol's spelling of a cookie.
pub static DIALECT: Dialect = Dialect {
    what: "a Puppeteer / DevTools cookie list",
    expiry_field: "expires",
    session: Session::MinusOne,
    unset_same_site: None,
    partition_as_string: false,
    order: &[
        "name",
        "value",
        "domain",
        "path",
        "expires",
        "size",
        "httpOnly",
        "secure",
        "session",
        "sameSite",
        "priority",
        "sameParty",
        "sourceScheme",
        "sourcePort",
        "partitionKey",
    ],
    optional_from: 5,
};
