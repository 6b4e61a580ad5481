//! Small text renderings the screen shares: expiry, flags, domains, consent state.

use crate::consent::resolve::{Resolved, State};
use crate::model::{Cookie, Expiry};

/// The mask shown instead of a cookie value until values are revealed.
pub const MASK: &str = "••••••";

pub use crate::human::{date, date_time, domain};

/// The expiry column: `session`, a date, or `expired` when past `now`.
pub fn expiry_short(e: Expiry, now: i64) -> String {
    match e {
        Expiry::Session => "session".into(),
        Expiry::At(t) if t <= now => "expired".into(),
        Expiry::At(t) => date(t),
    }
}

/// The expiry in full for the details.
pub fn expiry_long(e: Expiry, now: i64) -> String {
    match e {
        Expiry::Session => "at the end of the browser session".into(),
        Expiry::At(t) if t <= now => format!("{} (expired)", date_time(t)),
        Expiry::At(t) => date_time(t),
    }
}

/// Flags, compact: `secure httponly lax`.
pub fn flags(c: &Cookie) -> String {
    crate::human::flag_words(c).join(" ")
}

/// The consent state for the header: `none`, `valid until 2027-05-24`, …
pub fn consent_state(r: &Resolved, policy_hash: &str) -> String {
    let source = match r.source {
        crate::consent::resolve::Source::Jar => " (from the jar)",
        crate::consent::resolve::Source::Saved => " (saved record)",
        _ => "",
    };
    match r.state {
        State::None => "none yet".into(),
        State::Valid => match &r.found {
            Some(v) => format!("valid until {}{source}", v.expires.date()),
            None => "valid".into(),
        },
        State::Stale => match &r.found {
            Some(v) if v.hash != policy_hash => {
                format!("stale: the policy changed since it was given{source}; review it")
            }
            _ => format!("stale: given for another site{source}; review it"),
        },
        State::Expired => match &r.found {
            Some(v) => format!("expired on {}{source}; review it", v.expires.date()),
            None => "expired; review it".into(),
        },
        State::Unrecognised => "unrecognised value in the jar; review it".into(),
    }
}

/// `1 cookie` / `3 cookies`.
pub fn cookies(n: usize) -> String {
    if n == 1 {
        "1 cookie".into()
    } else {
        format!("{n} cookies")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_expiry() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date_time(90), "1970-01-01 00:01:30 UTC");
        assert_eq!(date(i64::MAX), i64::MAX.to_string());
        assert_eq!(expiry_short(Expiry::At(5), 10), "expired");
        assert_eq!(expiry_short(Expiry::Session, 10), "session");
        assert_eq!(cookies(1), "1 cookie");
        assert_eq!(cookies(2), "2 cookies");
    }
}
