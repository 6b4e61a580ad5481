//! Python's `http.cookiejar.LWPCookieJar` files: a `#LWP-Cookies-2.0` first
//! line, then one `Set-Cookie3:` line per cookie, in the attribute syntax of
//! `join_header_words`:
//!
//! ```text
//! #LWP-Cookies-2.0
//! Set-Cookie3: sid=abc; path="/"; domain=".x.com"; path_spec; domain_dot; secure; expires="2036-10-01 08:00:00Z"; HttpOnly=None; SameSite=Lax; version=0
//! ```
//!
//! `discard` (or no `expires`) is a session cookie; a domain cookie's
//! `domain` starts with a dot. Lossless: every line is kept as read (other
//! lines, which Python skips, included); an edit rewrites only the lines it
//! touches, their attributes in their order. A cookie's identity is its line.

use super::edit::{EditError, Replace};
use crate::domain;
use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite};

/// What starts every cookie line.
const SET_COOKIE3: &[u8] = b"Set-Cookie3:";
/// What the first line starts with (`#LWP-Cookies-2.0` as Python writes it).
pub const MAGIC: &[u8] = b"#LWP-Cookies-";

/// An attribute: its name as written and its value (`None`: a lone flag).
type Pair = (String, Option<String>);

/// One line of the file, without and with its end of line.
#[derive(Debug, Clone)]
struct Line {
    content: Vec<u8>,
    eol: &'static [u8],
}

/// An LWPCookieJar file: its lines, and the read view of its cookies.
#[derive(Debug, Clone)]
pub struct LwpJar {
    lines: Vec<Line>,
    cookies: Vec<OwnedCookie>,
    bytes: Vec<u8>,
}

impl LwpJar {
    /// Parses the file; a `Set-Cookie3` line crumbs cannot read is an error
    /// naming its line (Python refuses such a file whole).
    pub fn parse(bytes: &[u8]) -> Result<LwpJar, ParseError> {
        let lines = split_lines(bytes);
        let first = lines.first().map(|l| l.content.as_slice()).unwrap_or(b"");
        let first = super::without_bom(first);
        if !first.starts_with(MAGIC) {
            return Err(ParseError {
                line: 1,
                message: "expected the first line #LWP-Cookies-2.0 of a Python LWPCookieJar file"
                    .into(),
            });
        }
        let cookies = view_all(&lines)?;
        Ok(LwpJar {
            lines,
            cookies,
            bytes: bytes.to_vec(),
        })
    }

    /// The cookies, in file order; each key is its line.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// The file's content: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Removes cookie lines, rewrites one cookie's value and expiry (its
    /// other attributes kept in order), or appends a line for a new cookie.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let lines = &self.lines;
        let Some(edit) = edits.resolve(|key| match key {
            CookieKey::Line(i) if lines.get(*i).is_some_and(|l| is_cookie_line(&l.content)) => {
                Some(*i)
            }
            _ => None,
        })?
        else {
            return Ok(());
        };
        let replaced = edit.replace.as_ref().map(|r| rewrite(&self.lines[r.at], r));
        let mut out = Vec::with_capacity(self.lines.len() + 1);
        for (i, line) in self.lines.iter().enumerate() {
            if edit.removes(&i) {
                continue;
            }
            match (&edit.replace, &replaced) {
                (Some(r), Some(content)) if r.at == i => out.push(Line {
                    content: content.clone(),
                    eol: line.eol,
                }),
                _ => out.push(line.clone()),
            }
        }
        if let Some(new) = edit.add {
            let eol = self.lines.first().map_or(&b"\n"[..], |l| l.eol);
            let eol = if eol.is_empty() { &b"\n"[..] } else { eol };
            if let Some(last) = out.last_mut().filter(|l| l.eol.is_empty()) {
                last.eol = eol;
            }
            out.push(Line {
                content: new_line(new),
                eol,
            });
        }
        self.cookies = view_all(&out).map_err(|e| EditError::Render(e.message))?;
        self.bytes = out
            .iter()
            .flat_map(|l| [&l.content[..], l.eol])
            .flatten()
            .copied()
            .collect();
        self.lines = out;
        Ok(())
    }
}

/// Splits `bytes` into lines, each with its end of line (`\n`, `\r\n`, or none at the end).
fn split_lines(bytes: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (line, eol, next) = match memchr::memchr(b'\n', rest) {
            Some(p) if p > 0 && rest[p - 1] == b'\r' => (&rest[..p - 1], &b"\r\n"[..], p + 1),
            Some(p) => (&rest[..p], &b"\n"[..], p + 1),
            None => (rest, &b""[..], rest.len()),
        };
        lines.push(Line {
            content: line.to_vec(),
            eol,
        });
        rest = &rest[next..];
    }
    lines
}

/// Whether Python would read the line as a cookie.
fn is_cookie_line(content: &[u8]) -> bool {
    content.starts_with(SET_COOKIE3)
}

/// The read view of every cookie line.
fn view_all(lines: &[Line]) -> Result<Vec<OwnedCookie>, ParseError> {
    let mut cookies = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(1) {
        if !is_cookie_line(&line.content) {
            continue;
        }
        let at_line = |e: LineError| ParseError {
            line: i + 1,
            message: e.to_string(),
        };
        let pairs = parse_pairs(&line.content).map_err(at_line)?;
        cookies.push(view(&pairs, i).map_err(at_line)?);
    }
    Ok(cookies)
}

/// Why a `Set-Cookie3:` line is not one cookie.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum LineError {
    /// Nothing after `Set-Cookie3:`.
    #[error("a Set-Cookie3 line without a cookie; expected name=value; path=...; domain=...")]
    NoCookie,
    /// A top-level comma splits the line into several cookies.
    #[error(
        "several cookies on one Set-Cookie3 line (a comma outside quotes); \
         LWPCookieJar writes one cookie per line"
    )]
    Several,
    /// The cookie (named) has no `domain="..."` attribute.
    #[error(
        "Set-Cookie3 cookie {0:?} has no domain=\"...\" (LWPCookieJar writes one on every line)"
    )]
    NoDomain(String),
}

/// The attributes of a `Set-Cookie3:` line, as Python's `split_header_words` reads them.
fn parse_pairs(content: &[u8]) -> Result<Vec<Pair>, LineError> {
    let text = String::from_utf8_lossy(&content[SET_COOKIE3.len()..]);
    let groups = split_header_words(text.trim());
    match groups.len() {
        0 => Err(LineError::NoCookie),
        1 => Ok(groups.into_iter().next().unwrap_or_default()),
        _ => Err(LineError::Several),
    }
}

/// Python's `http.cookiejar.split_header_words` for one header value:
/// groups (split at top-level commas) of `name[=value]` pairs (split at `;`).
fn split_header_words(text: &str) -> Vec<Vec<Pair>> {
    let mut groups = Vec::new();
    let mut pairs: Vec<Pair> = Vec::new();
    let mut rest = text;
    let is_sep = |c: char| c == '=' || c.is_whitespace() || c == ';' || c == ',';
    while !rest.is_empty() {
        let trimmed = rest.trim_start();
        let token_len = trimmed.find(is_sep).unwrap_or(trimmed.len());
        if token_len > 0 {
            let name = trimmed[..token_len].to_owned();
            rest = &trimmed[token_len..];
            let after = rest.trim_start();
            let value = match after.strip_prefix('=') {
                Some(v) => {
                    let v = v.trim_start();
                    match v.strip_prefix('"').and_then(quoted) {
                        Some((value, used)) => {
                            rest = &v[1 + used..];
                            Some(value)
                        }
                        None => {
                            let end = v.find([' ', '\t', '\n', '\r', ';', ',']).unwrap_or(v.len());
                            rest = &v[end..];
                            Some(v[..end].trim_end().to_owned())
                        }
                    }
                }
                None => None,
            };
            pairs.push((name, value));
        } else if let Some(after) = trimmed.strip_prefix(',') {
            rest = after;
            if !pairs.is_empty() {
                groups.push(std::mem::take(&mut pairs));
            }
        } else {
            // Junk (`=`, `;`, space) is skipped, as Python does.
            let skip = trimmed
                .find(|c: char| !(c == '=' || c == ';' || c.is_whitespace()))
                .unwrap_or(trimmed.len());
            rest = &trimmed[skip.max(1).min(trimmed.len())..];
        }
    }
    if !pairs.is_empty() {
        groups.push(pairs);
    }
    groups
}

/// A quoted string's content after its opening quote, unescaped, and how
/// many bytes it used (closing quote included); `None` when it never closes.
fn quoted(text: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// Python's `join_header_words` for one cookie: values that are not all
/// word characters are quoted, `"` and `\` escaped.
fn join_header_words(pairs: &[Pair]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(k);
        let Some(v) = v else { continue };
        out.push('=');
        if !v.is_empty() && v.chars().all(|c| c.is_alphanumeric() || c == '_') {
            out.push_str(v);
        } else {
            out.push('"');
            for c in v.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
    }
    out
}

/// The value of attribute `key` (any case), `Some(None)` for a lone flag.
fn attr<'p>(pairs: &'p [Pair], key: &str) -> Option<Option<&'p str>> {
    pairs[1..]
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_deref())
}

/// The read view of one cookie line (line index `i`).
fn view(pairs: &[Pair], i: usize) -> Result<OwnedCookie, LineError> {
    let Some((name, value)) = pairs.first() else {
        return Err(LineError::NoCookie);
    };
    let Some(Some(stored)) = attr(pairs, "domain") else {
        return Err(LineError::NoDomain(name.clone()));
    };
    let expiry = match (attr(pairs, "discard"), attr(pairs, "expires")) {
        (Some(_), _) | (None, None) | (None, Some(None)) => Expiry::Session,
        (None, Some(Some(text))) => parse_iso(text).unwrap_or(Expiry::Session),
    };
    Ok(Cookie {
        value: value.clone().unwrap_or_default().into(),
        domain: domain::normalize(stored).into_owned().into(),
        host_only: !stored.starts_with('.'),
        path: attr(pairs, "path")
            .flatten()
            .unwrap_or("/")
            .to_owned()
            .into(),
        secure: attr(pairs, "secure").is_some(),
        http_only: attr(pairs, "HttpOnly").is_some(),
        same_site: attr(pairs, "SameSite")
            .flatten()
            .map_or(SameSite::Unset, SameSite::parse),
        expiry,
        partition: "".into(),
        key: CookieKey::Line(i),
        name: name.clone().into(),
    })
}

/// Python's `iso2time` for the forms it is given in practice:
/// `YYYY-MM-DD HH:MM:SS[.fff][Z|UTC|GMT|±HHMM]` (`T` between date and time
/// accepted). `None` when it is none of them (Python then treats the cookie
/// as a session cookie).
fn parse_iso(text: &str) -> Option<Expiry> {
    let t = text.trim();
    let num = |s: &str| s.parse::<i64>().ok();
    let (date, rest) = t.split_at_checked(10)?;
    let mut d = date.split('-');
    let (y, mo, da) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    let rest = rest.strip_prefix([' ', 'T']).unwrap_or(rest).trim_start();
    let (hms, zone) = rest.split_at_checked(8.min(rest.len()))?;
    let mut h = hms.split(':');
    let (hh, mm, ss) = (
        num(h.next().filter(|s| !s.is_empty()).unwrap_or("0"))?,
        num(h.next().unwrap_or("0"))?,
        num(h.next().unwrap_or("0"))?,
    );
    let zone = zone
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit())
        .trim();
    let offset = match zone {
        "" | "Z" | "UTC" | "GMT" | "z" => 0,
        z if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
            let v = num(&z[1..])?;
            let secs = (v / 100) * 3600 + (v % 100) * 60;
            if z.starts_with('-') { -secs } else { secs }
        }
        _ => return None,
    };
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(da).ok()?)
            .ok()?;
    let days =
        date.to_julian_day() as i64 - time::macros::date!(1970 - 01 - 01).to_julian_day() as i64;
    if !(0..24).contains(&hh) || !(0..60).contains(&mm) || !(0..62).contains(&ss) {
        return None;
    }
    Some(Expiry::At(
        days * 86_400 + hh * 3600 + mm * 60 + ss - offset,
    ))
}

/// Python's `time2isoz`: `2036-10-01 08:00:00Z` (years past 9999 written as 9999-12-31).
fn format_iso(t: i64) -> String {
    let max = 253_402_300_799; // 9999-12-31T23:59:59Z
    let dt = time::OffsetDateTime::from_unix_timestamp(t.clamp(-62_135_596_800, max))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Where Python's `lwp_cookie_str` puts an attribute: standard ones in a
/// fixed order, the others (`HttpOnly`, `SameSite`) sorted, then `version`.
fn rank(key: &str) -> usize {
    const ORDER: [&str; 12] = [
        "path",
        "domain",
        "port",
        "path_spec",
        "port_spec",
        "domain_dot",
        "secure",
        "expires",
        "discard",
        "comment",
        "commenturl",
        "version",
    ];
    let lc = key.to_ascii_lowercase();
    match ORDER.iter().position(|k| *k == lc) {
        Some(11) => 13,
        Some(p) => p + 1,
        None => 12,
    }
}

/// Puts `pair` where Python would write it (after every attribute that comes before it).
fn insert_ranked(pairs: &mut Vec<Pair>, pair: Pair) {
    let r = rank(&pair.0);
    let at = (1..pairs.len())
        .find(|&i| rank(&pairs[i].0) > r)
        .unwrap_or(pairs.len());
    pairs.insert(at, pair);
}

/// The line `line` with the new value and expiry; every other attribute kept in order.
fn rewrite(line: &Line, r: &Replace<'_, usize>) -> Vec<u8> {
    let Ok(mut pairs) = parse_pairs(&line.content) else {
        return line.content.clone();
    };
    pairs[0].1 = Some(r.value.to_owned());
    let has = |pairs: &[Pair], k: &str| pairs[1..].iter().any(|(x, _)| x.eq_ignore_ascii_case(k));
    match r.expiry {
        Expiry::At(t) => {
            pairs.retain(|(k, _)| !k.eq_ignore_ascii_case("discard"));
            match pairs[1..]
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case("expires"))
            {
                Some((_, v)) => *v = Some(format_iso(t)),
                None => insert_ranked(&mut pairs, ("expires".into(), Some(format_iso(t)))),
            }
        }
        Expiry::Session => {
            let first = pairs.remove(0);
            pairs.retain(|(k, _)| !k.eq_ignore_ascii_case("expires"));
            pairs.insert(0, first);
            if !has(&pairs, "discard") {
                insert_ranked(&mut pairs, ("discard".into(), None));
            }
        }
    }
    format!("Set-Cookie3: {}", join_header_words(&pairs)).into_bytes()
}

/// The line Python's `LWPCookieJar.save` writes for `new`.
pub(crate) fn new_line(new: &NewCookie) -> Vec<u8> {
    let domain = new.where_sent().label();
    let mut pairs: Vec<Pair> = vec![
        (new.name.clone(), Some(new.value.clone())),
        ("path".into(), Some(new.path.clone())),
        ("domain".into(), Some(domain)),
        ("path_spec".into(), None),
    ];
    if new.secure {
        pairs.push(("secure".into(), None));
    }
    match new.expiry {
        Expiry::At(t) => pairs.push(("expires".into(), Some(format_iso(t)))),
        Expiry::Session => pairs.push(("discard".into(), None)),
    }
    if new.http_only {
        pairs.push(("HttpOnly".into(), Some("None".into())));
    }
    if let Some(s) = new.same_site.title_case() {
        pairs.push(("SameSite".into(), Some(s.into())));
    }
    pairs.push(("version".into(), Some("0".into())));
    format!("Set-Cookie3: {}", join_header_words(&pairs)).into_bytes()
}

/// A new file holding `cookies` (what `convert` writes), as Python writes it.
pub fn render_new(cookies: impl Iterator<Item = NewCookie>) -> Vec<u8> {
    let mut out = b"#LWP-Cookies-2.0\n".to_vec();
    for c in cookies {
        out.extend(new_line(&c));
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetCookie;

    const FILE: &str = "#LWP-Cookies-2.0\n\
Set-Cookie3: sessionid=k3; path=\"/\"; domain=\"x.example.com\"; path_spec; secure; discard; HttpOnly=None; SameSite=Lax; version=0\n\
Set-Cookie3: _ga=\"GA1.2.3\"; path=\"/\"; domain=\".example.com\"; path_spec; domain_dot; expires=\"2037-01-01 00:00:00Z\"; version=0\n\
# not a cookie, kept\n\
Set-Cookie3: quoted_note=\"\\\"a b=c\\\"\"; path=\"/p\"; domain=\"x.example.com\"; path_spec; expires=\"2036-10-01 08:00:00Z\"; SameSite=Strict; version=0\n";

    fn jar() -> LwpJar {
        LwpJar::parse(FILE.as_bytes()).expect("parses")
    }

    #[test]
    fn reads_every_attribute() {
        let j = jar();
        let c = j.cookies();
        assert_eq!(c.len(), 3);
        assert_eq!(
            (c[0].name.as_ref(), c[0].value.as_ref()),
            ("sessionid", "k3")
        );
        assert!(c[0].secure && c[0].http_only && c[0].host_only);
        assert_eq!(
            (c[0].expiry, c[0].same_site),
            (Expiry::Session, SameSite::Lax)
        );
        assert_eq!(c[0].key, CookieKey::Line(1));
        assert_eq!(
            (c[1].domain.as_ref(), c[1].host_only),
            ("example.com", false)
        );
        assert_eq!(c[1].expiry, Expiry::At(2_114_380_800));
        assert_eq!(c[1].value, "GA1.2.3");
        assert_eq!(c[2].value, "\"a b=c\"");
        assert_eq!(
            (c[2].path.as_ref(), c[2].same_site),
            ("/p", SameSite::Strict)
        );
        assert_eq!(c[2].expiry, Expiry::At(2_106_460_800));
        assert_eq!(c[2].key, CookieKey::Line(4));
        assert_eq!(j.to_bytes(), FILE.as_bytes());
    }

    #[test]
    fn remove_replace_and_add_keep_the_rest() {
        let mut j = jar();
        j.apply(&Edits {
            remove: vec![CookieKey::Line(2)],
            set: Some(SetCookie::Replace {
                key: CookieKey::Line(1),
                value: "new value".into(),
                expiry: Expiry::At(2_106_460_800),
            }),
        })
        .expect("applies");
        let text = String::from_utf8(j.to_bytes()).expect("utf-8");
        assert_eq!(
            text,
            "#LWP-Cookies-2.0\n\
Set-Cookie3: sessionid=\"new value\"; path=\"/\"; domain=\"x.example.com\"; path_spec; secure; expires=\"2036-10-01 08:00:00Z\"; HttpOnly=None; SameSite=Lax; version=0\n\
# not a cookie, kept\n\
Set-Cookie3: quoted_note=\"\\\"a b=c\\\"\"; path=\"/p\"; domain=\"x.example.com\"; path_spec; expires=\"2036-10-01 08:00:00Z\"; SameSite=Strict; version=0\n"
        );
        assert_eq!(j.cookies()[0].value, "new value");
        j.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Add(NewCookie {
                name: "cookies_preferences".into(),
                value: "%7B%7D".into(),
                domain: "x.example.com".into(),
                host_only: true,
                path: "/".into(),
                secure: true,
                http_only: false,
                same_site: SameSite::Lax,
                expiry: Expiry::At(2_106_460_800),
            })),
        })
        .expect("adds");
        let text = String::from_utf8(j.to_bytes()).expect("utf-8");
        assert!(text.ends_with(
            "Set-Cookie3: cookies_preferences=\"%7B%7D\"; path=\"/\"; domain=\"x.example.com\"; path_spec; secure; expires=\"2036-10-01 08:00:00Z\"; SameSite=Lax; version=0\n"
        ), "{text}");
        assert_eq!(j.cookies().len(), 3);
    }

    #[test]
    fn a_session_rewrite_drops_expires_and_adds_discard() {
        let mut j = jar();
        j.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Replace {
                key: CookieKey::Line(2),
                value: "v".into(),
                expiry: Expiry::Session,
            }),
        })
        .expect("applies");
        let text = String::from_utf8(j.to_bytes()).expect("utf-8");
        assert!(text.contains("Set-Cookie3: _ga=v; path=\"/\"; domain=\".example.com\"; path_spec; domain_dot; discard; version=0\n"), "{text}");
    }

    #[test]
    fn a_line_that_is_no_cookie_is_no_key() {
        let mut j = jar();
        let err = j.apply(&Edits {
            remove: vec![CookieKey::Line(3)],
            set: None,
        });
        assert_eq!(err, Err(EditError::NoSuchRecord(CookieKey::Line(3))));
        assert_eq!(j.to_bytes(), FILE.as_bytes());
    }

    #[test]
    fn bad_files_name_line_and_field() {
        let e = LwpJar::parse(b"Set-Cookie3: a=b; domain=x.com\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("#LWP-Cookies-2.0"), "{}", e.message);
        let e = LwpJar::parse(b"#LWP-Cookies-2.0\n\nSet-Cookie3: a=b; path=\"/\"\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("no domain="), "{}", e.message);
        let e = LwpJar::parse(b"#LWP-Cookies-2.0\nSet-Cookie3: a=b; domain=x, c=d; domain=y\n")
            .unwrap_err();
        assert!(e.message.contains("several cookies"), "{}", e.message);
    }

    #[test]
    fn python_time_forms() {
        assert_eq!(parse_iso("1970-01-01 00:00:00Z"), Some(Expiry::At(0)));
        assert_eq!(
            parse_iso("2036-10-01T08:00:00Z"),
            Some(Expiry::At(2_106_460_800))
        );
        assert_eq!(parse_iso("1970-01-01 01:00:00 +0100"), Some(Expiry::At(0)));
        assert_eq!(parse_iso("soon"), None);
        assert_eq!(format_iso(2_106_460_800), "2036-10-01 08:00:00Z");
        assert_eq!(format_iso(i64::MAX), "9999-12-31 23:59:59Z");
    }

    #[test]
    fn quoting_follows_python() {
        let pairs = vec![
            ("n".to_owned(), Some("a\"b\\c".to_owned())),
            ("w".to_owned(), Some("word_1".to_owned())),
            ("e".to_owned(), Some(String::new())),
            ("flag".to_owned(), None),
        ];
        let text = join_header_words(&pairs);
        assert_eq!(text, r#"n="a\"b\\c"; w=word_1; e=""; flag"#);
        assert_eq!(split_header_words(&text), vec![pairs]);
    }
}
