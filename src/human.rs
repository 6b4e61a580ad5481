//! Text for people that both faces show alike: sizes, dates, cookie flags
//! and domains (the TUI's screen, the CLI's reports and progress note).

use time::OffsetDateTime;

use crate::model::{Cookie, SameSite};

/// A file size for people: `512 B`, `26.6 MB` (decimal units, as `ls -lh --si`).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A count in at most five columns, for narrow panes: `980`, `19.9k`,
/// `980k`, `1.2M` (three significant figures, decimal units).
pub fn compact(n: usize) -> String {
    const UNITS: [&str; 3] = ["k", "M", "G"];
    if n < 1000 {
        return n.to_string();
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.5 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    let text = if value < 99.95 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}{}", UNITS[unit])
}

/// `n` and the noun, plural unless one: `1 cookie`, `0 cookies`, `2 problems`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

/// The first and last second a date can be written with a four-digit year
/// (0000-01-01, 9999-12-31 23:59:59 UTC): a jar may hold any number.
const FIRST: i64 = -62_167_219_200;
const LAST: i64 = 253_402_300_799;

/// Unix seconds as a date and time, clamped to years 0000..=9999: an
/// expiry at `i64::MAX` is a far date, not an error.
fn clamped(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.clamp(FIRST, LAST)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A date `2027-05-24` for Unix seconds (clamped to years 0000..=9999).
pub fn date(t: i64) -> String {
    clamped(t).date().to_string()
}

/// Date and time `2027-05-24 11:00:00 UTC` for Unix seconds (clamped).
pub fn date_time(t: i64) -> String {
    let d = clamped(t);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        d.date(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// RFC 3339 `2027-05-24T11:00:00Z` for Unix seconds (clamped), as `--json` gives dates.
pub fn rfc3339(t: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    clamped(t)
        .format(&Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// The cookie's flags as words: `secure`, `httponly`, then its SameSite.
pub fn flag_words(c: &Cookie) -> Vec<&'static str> {
    let mut f = Vec::with_capacity(3);
    if c.secure {
        f.push("secure");
    }
    if c.http_only {
        f.push("httponly");
    }
    if c.same_site != SameSite::Unset {
        f.push(c.same_site.as_str());
    }
    f
}

/// The domain as people read it: a leading dot marks a domain cookie.
pub fn domain(c: &Cookie) -> String {
    c.domain_label()
}

/// `s` cut to at most `width` columns, ending with `…` when cut.
pub fn cut(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CookieKey;

    #[test]
    fn cut_ends_with_an_ellipsis_within_the_width() {
        assert_eq!(cut("cookies_preferences", 10), "cookies_p…");
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("consent", 7), "consent");
        assert_eq!(cut("consent", 6), "conse…");
        assert_eq!(cut("日本語", 4), "日…");
        assert_eq!(cut("consent", 0), "");
    }

    #[test]
    fn dates_flags_and_domains() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date_time(90), "1970-01-01 00:01:30 UTC");
        // Past year 9999 (or before year 0) a date is clamped, never a raw number.
        assert_eq!(date(i64::MAX), "9999-12-31");
        assert_eq!(date_time(i64::MAX), "9999-12-31 23:59:59 UTC");
        assert_eq!(rfc3339(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(i64::MIN), "0000-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        let c = Cookie {
            secure: true,
            same_site: SameSite::Lax,
            host_only: false,
            ..Cookie::basic("n", "a.test", CookieKey::Line(0))
        };
        assert_eq!(flag_words(&c), ["secure", "lax"]);
        assert_eq!(domain(&c), ".a.test");
    }

    #[test]
    fn counts() {
        assert_eq!(count(1, "cookie"), "1 cookie");
        assert_eq!(count(0, "match"), "0 matches");
        assert_eq!(count(2, "problem"), "2 problems");
    }

    #[test]
    fn compact_counts() {
        for (n, text) in [
            (0, "0"),
            (980, "980"),
            (1000, "1k"),
            (1234, "1.2k"),
            (19_900, "19.9k"),
            (99_960, "100k"),
            (980_000, "980k"),
            (999_600, "1M"),
            (1_234_567, "1.2M"),
            (20_000_000, "20M"),
        ] {
            assert_eq!(compact(n), text, "{n}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1000), "1.0 kB");
        assert_eq!(size(26_581_181), "26.6 MB");
        assert_eq!(size(88_868_502), "88.9 MB");
        assert_eq!(size(999_960), "1.0 MB");
        assert_eq!(size(u64::MAX), "18446744.1 TB");
    }
}
