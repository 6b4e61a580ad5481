//! Small text renderings the screen shares: expiry, flags, domains, consent state.

use crate::consent::resolve::{Resolved, State};
use crate::model::{Cookie, Expiry};

/// The mask shown instead of a cookie value until values are revealed.
pub const MASK: &str = "••••••";

pub use crate::human::{cut, date, date_time, domain};

/// Jar text made safe for the screen: control characters become `�`.
pub fn clean(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    } else {
        s.to_string()
    }
}

/// `s` cut (with `…`) or padded to exactly `width` columns, the last one blank.
pub fn cell(s: &str, width: u16) -> String {
    let width = usize::from(width);
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    let mut out = String::new();
    if unicode_width::UnicodeWidthStr::width(s) <= room {
        out.push_str(s);
    } else if room > 0 {
        let mut w = 0;
        for ch in s.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if w + cw + 1 > room {
                break;
            }
            out.push(ch);
            w += cw;
        }
        out.push('…');
    }
    let used = unicode_width::UnicodeWidthStr::width(out.as_str());
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

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
        State::Unrecognised => {
            "the platform's own choice (unreadable): choose and save to replace it".into()
        }
    }
}

/// `s` broken into lines of at most `width` columns: at spaces where it can,
/// inside a word only when the word is longer than a line (cookie values).
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split(' ') {
        let w = word.width();
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for ch in word.chars() {
            let cw = ch.width().unwrap_or(0);
            if used + cw > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(ch);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `path` in at most `width` columns, shortened from the middle so its
/// start and its file name stay: `/tmp/crumbs-d…/cookies.txt`.
pub fn shorten_middle(path: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if path.width() <= width {
        return path.to_string();
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let tail = format!("…/{name}");
    if tail.width() > width || name.len() == path.len() {
        return cut(path, width);
    }
    let head = cut_plain(path, width - tail.width());
    format!("{head}{tail}")
}

/// The longest start of `s` that fits in `width` columns.
fn cut_plain(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    s.chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect()
}

/// `s` cut at a space to fit `width` columns, ending with `…` when cut (a
/// word longer than the whole width is cut inside).
pub fn cut_words(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if s.width() <= width {
        return s.to_string();
    }
    let room = width.saturating_sub(1);
    let start = cut_plain(s, room);
    match start.rfind(' ') {
        Some(at) if at > 0 => format!("{}…", start[..at].trim_end()),
        _ => cut(s, width),
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
        assert_eq!(date(i64::MAX), "9999-12-31");
        assert_eq!(expiry_short(Expiry::At(5), 10), "expired");
        assert_eq!(expiry_short(Expiry::Session, 10), "session");
        assert_eq!(cookies(1), "1 cookie");
        assert_eq!(cookies(2), "2 cookies");
    }

    #[test]
    fn paths_shorten_from_the_middle_and_messages_at_words() {
        let p = "/tmp/crumbs-demo-lf4Lhl/cookies.txt";
        assert_eq!(shorten_middle(p, 40), p);
        assert_eq!(shorten_middle(p, 26), "/tmp/crumbs-d…/cookies.txt");
        assert_eq!(shorten_middle(p, 13), "…/cookies.txt");
        assert_eq!(shorten_middle(p, 8), "/tmp/cr…");
        assert_eq!(cut_words("nothing would be removed", 16), "nothing would…");
        assert_eq!(cut_words("unrecognised", 6), "unrec…");
        assert_eq!(cut_words("short", 6), "short");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("ab cd ef", 5), ["ab cd", "ef"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a bcdefg", 4), ["a", "bcde", "fg"]);
        assert_eq!(wrap("x", 0), ["x"]);
        let value = "%7B%22necessary%22%3Atrue%7D";
        assert_eq!(wrap(value, 10).concat(), value, "nothing lost");
    }
}
