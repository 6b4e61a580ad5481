//! Selenium / WebDriver `get_cookies()` saved as JSON (`json.dump(driver.get_cookies(), f)`):
//! an array of objects with `expiry` in integer seconds, absent for a
//! session cookie; `sameSite` `Strict`/`Lax`/`None`. Field order as
//! chromedriver's answer comes out of Python (alphabetical); see
//! [`super::cookie_array`]. A pickled list is refused by [`super::sniff`]:
//! loading a pickle runs code.

use super::cookie_array::{Dialect, Session};

/// WebDriver's spelling of a cookie.
pub static DIALECT: Dialect = Dialect {
    what: "a Selenium get_cookies() list",
    expiry_field: "expiry",
    session: Session::Absent,
    unset_same_site: None,
    partition_as_string: true,
    order: &[
        "domain", "expiry", "httpOnly", "name", "path", "sameSite", "secure", "value",
    ],
    optional_from: 8,
};
