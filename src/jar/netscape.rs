//! Netscape cookies.txt (curl, wget, Python `MozillaCookieJar`, yt-dlp,
//! browser extensions), kept byte for byte.
//!
//! The file is kept as its original bytes plus the offset of every line, so
//! saving without edits gives back exactly what was read: headers, comments,
//! blank lines, unknown lines, CRLF or LF per line, and a missing final
//! newline. A cookie line is
//!
//! ```text
//! [#HttpOnly_]domain TAB include-subdomains TAB path TAB secure TAB expiry TAB name TAB value
//! ```
//!
//! split at most seven times (a value keeps any further TABs); six fields
//! mean an empty value, as curl reads them. An expiry of `0` or empty is a
//! session cookie. wget writes `host:port` as the domain; the port is dropped
//! from the [`Cookie`] view (the line itself is kept as written).

use memchr::memchr;

use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits, Expiry, NewCookie, SameSite, SetCookie};

/// The prefix curl and Python write before the domain of an HttpOnly cookie.
const HTTP_ONLY_PREFIX: &[u8] = b"#HttpOnly_";
/// The header written when a cookie is added to an empty file.
const HEADER: &[u8] = b"# Netscape HTTP Cookie File";
/// The fields of a cookie line, for error messages.
const FIELD_NAMES: &str = "domain, include-subdomains, path, secure, expiry, name, value";

/// A parsed cookies.txt: the original bytes, where each line starts, and the cookies.
#[derive(Debug, Clone)]
pub struct NetscapeJar {
    /// The file content, byte for byte (after edits, the edited content).
    bytes: Vec<u8>,
    /// The byte offset at which each line starts; a final newline does not start a line.
    starts: Vec<usize>,
    /// The cookie lines, in file order (so sorted by line index).
    cookies: Vec<Cookie>,
    /// How many lines end with CRLF.
    crlf_lines: usize,
    /// How many lines end with a bare LF.
    lf_lines: usize,
}

/// What one line of the file is.
enum LineKind {
    /// A cookie line.
    Cookie(Cookie),
    /// A blank line, a comment or a header.
    Other,
    /// Not blank, not a comment, not a valid cookie line: what was expected.
    Malformed(String),
}

/// How a line ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Eol {
    /// `\r\n`.
    Crlf,
    /// `\n`.
    Lf,
    /// The last line of a file without a final newline.
    None,
}

impl NetscapeJar {
    /// Parses the file in one pass; malformed cookie lines fail unless
    /// `lenient`, which keeps them as opaque lines instead.
    pub fn parse(bytes: Vec<u8>, lenient: bool) -> Result<Self, ParseError> {
        let mut starts = Vec::new();
        let mut cookies = Vec::new();
        let (mut crlf_lines, mut lf_lines) = (0, 0);
        let mut pos = 0;
        while pos < bytes.len() {
            let index = starts.len();
            starts.push(pos);
            let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |p| pos + p + 1);
            let line = &bytes[pos..end];
            match eol_of(line) {
                Eol::Crlf => crlf_lines += 1,
                Eol::Lf => lf_lines += 1,
                Eol::None => {}
            }
            match classify(content_of(line), index) {
                LineKind::Cookie(cookie) => cookies.push(cookie),
                LineKind::Other => {}
                LineKind::Malformed(message) => {
                    if !lenient {
                        return Err(ParseError {
                            line: index + 1,
                            message,
                        });
                    }
                }
            }
            pos = end;
        }
        Ok(NetscapeJar {
            bytes,
            starts,
            cookies,
            crlf_lines,
            lf_lines,
        })
    }

    /// The cookies, in file order; each key is its zero-based line index.
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// Applies edits: removes the named cookie lines, rewrites the value and
    /// expiry of a replaced line (everything else on it kept as written), or
    /// appends a new line in the file's line-ending style.
    ///
    /// Line keys are those of the current content; afterwards the cookies and
    /// their keys are those of the new content. A key that names no cookie
    /// line (or a replace of a line also being removed) returns that key and
    /// changes nothing. Line breaks cannot be written inside a cookies.txt
    /// field, so CR and LF are dropped from written values (and TABs from the
    /// name, domain and path of an added cookie).
    pub fn apply(&mut self, edits: &Edits) -> Result<(), CookieKey> {
        let mut removed = Vec::with_capacity(edits.remove.len());
        for key in &edits.remove {
            removed.push(self.cookie_line(key).ok_or_else(|| key.clone())?);
        }
        removed.sort_unstable();
        removed.dedup();
        let (replace, add) = match &edits.set {
            Some(SetCookie::Replace { key, value, expiry }) => {
                let line = self
                    .cookie_line(key)
                    .filter(|line| removed.binary_search(line).is_err())
                    .ok_or_else(|| key.clone())?;
                (
                    Some(Replace {
                        line,
                        value,
                        expiry: *expiry,
                    }),
                    None,
                )
            }
            Some(SetCookie::Add(new)) => (None, Some(new)),
            None => (None, None),
        };
        if removed.is_empty() && replace.is_none() && add.is_none() {
            return Ok(());
        }
        self.rebuild(&removed, replace, add);
        Ok(())
    }

    /// Serialises: untouched lines byte for byte.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The line index of the cookie record `key` names, if there is one.
    fn cookie_line(&self, key: &CookieKey) -> Option<usize> {
        let CookieKey::Line(line) = key else {
            return None;
        };
        self.cookies
            .binary_search_by_key(line, line_of)
            .ok()
            .map(|_| *line)
    }

    /// Writes the edited content in one pass over the lines and carries the
    /// cookies of kept lines over with their new line index.
    fn rebuild(
        &mut self,
        removed: &[usize],
        replace: Option<Replace<'_>>,
        add: Option<&NewCookie>,
    ) {
        let old_bytes = std::mem::take(&mut self.bytes);
        let old_starts = std::mem::take(&mut self.starts);
        let old_cookies = std::mem::take(&mut self.cookies);
        let mut out = Out {
            bytes: Vec::with_capacity(old_bytes.len() + 256),
            starts: Vec::with_capacity(old_starts.len() + 2),
            cookies: Vec::with_capacity(old_cookies.len() + 1),
            crlf_lines: 0,
            lf_lines: 0,
        };
        let mut old_cookies = old_cookies.into_iter().peekable();
        let mut removed = removed.iter().copied().peekable();
        for (i, &start) in old_starts.iter().enumerate() {
            let end = old_starts.get(i + 1).copied().unwrap_or(old_bytes.len());
            let line = &old_bytes[start..end];
            let cookie = old_cookies.next_if(|c| line_of(c) == i);
            if removed.next_if_eq(&i).is_some() {
                continue;
            }
            match &replace {
                Some(r) if r.line == i => {
                    let (content, eol) = line.split_at(content_of(line).len());
                    let new = rewrite(content, r.value, r.expiry);
                    out.push_line(&new, eol);
                }
                _ => {
                    let index = out.starts.len();
                    out.starts.push(out.bytes.len());
                    out.bytes.extend_from_slice(line);
                    out.count(eol_of(line));
                    if let Some(mut cookie) = cookie {
                        cookie.key = CookieKey::Line(index);
                        out.cookies.push(cookie);
                    }
                }
            }
        }

        // The final newline is kept as found, even when the last line went.
        let final_newline = old_bytes.is_empty() || old_bytes.ends_with(b"\n");
        if !final_newline && out.bytes.ends_with(b"\n") {
            let eol = if out.bytes.ends_with(b"\r\n") {
                out.crlf_lines -= 1;
                2
            } else {
                out.lf_lines -= 1;
                1
            };
            out.bytes.truncate(out.bytes.len() - eol);
        }

        if let Some(new) = add {
            let eol: &[u8] = if self.crlf_lines > self.lf_lines {
                b"\r\n"
            } else {
                b"\n"
            };
            if old_bytes.is_empty() {
                out.push_line(HEADER, eol);
            } else if !final_newline && !out.bytes.is_empty() {
                // The previous last line gets a line ending; the new one goes without.
                if out.bytes.ends_with(b"\r") {
                    out.bytes.push(b'\n');
                    out.crlf_lines += 1;
                } else {
                    out.bytes.extend_from_slice(eol);
                    out.count(if eol == b"\r\n" { Eol::Crlf } else { Eol::Lf });
                }
            }
            let line = new_line(new);
            out.push_line(&line, if final_newline { eol } else { b"" });
        }

        self.bytes = out.bytes;
        self.starts = out.starts;
        self.cookies = out.cookies;
        self.crlf_lines = out.crlf_lines;
        self.lf_lines = out.lf_lines;
    }
}

/// A value-and-expiry rewrite of one cookie line.
struct Replace<'a> {
    /// The line index.
    line: usize,
    /// The new value.
    value: &'a str,
    /// The new expiry.
    expiry: Expiry,
}

/// The content being rebuilt by [`NetscapeJar::rebuild`].
struct Out {
    bytes: Vec<u8>,
    starts: Vec<usize>,
    cookies: Vec<Cookie>,
    crlf_lines: usize,
    lf_lines: usize,
}

impl Out {
    /// Appends a new line (`content` then `eol`) and its cookie, parsed as a re-read would.
    fn push_line(&mut self, content: &[u8], eol: &[u8]) {
        let index = self.starts.len();
        self.starts.push(self.bytes.len());
        self.bytes.extend_from_slice(content);
        self.bytes.extend_from_slice(eol);
        self.count(eol_of(eol));
        if let LineKind::Cookie(cookie) = classify(content_of(content), index) {
            self.cookies.push(cookie);
        }
    }

    /// Counts a line ending.
    fn count(&mut self, eol: Eol) {
        match eol {
            Eol::Crlf => self.crlf_lines += 1,
            Eol::Lf => self.lf_lines += 1,
            Eol::None => {}
        }
    }
}

/// The line index a cookie of this format is keyed by.
fn line_of(cookie: &Cookie) -> usize {
    match cookie.key {
        CookieKey::Line(i) => i,
        CookieKey::Store { .. } => usize::MAX,
    }
}

/// How `line` (with its terminator) ends.
fn eol_of(line: &[u8]) -> Eol {
    if line.ends_with(b"\r\n") {
        Eol::Crlf
    } else if line.ends_with(b"\n") {
        Eol::Lf
    } else {
        Eol::None
    }
}

/// The line without its terminator: `\n`, `\r\n`, or a lone `\r` at the end of the file.
fn content_of(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Splits `s` at TABs into at most seven fields; returns them and how many there are.
fn split_fields(s: &[u8]) -> ([&[u8]; 7], usize) {
    let mut fields: [&[u8]; 7] = [&[]; 7];
    let mut rest = s;
    for (n, field) in fields.iter_mut().enumerate() {
        if n == 6 {
            *field = rest;
            return (fields, 7);
        }
        match memchr(b'\t', rest) {
            Some(p) => {
                *field = &rest[..p];
                rest = &rest[p + 1..];
            }
            None => {
                *field = rest;
                return (fields, n + 1);
            }
        }
    }
    (fields, 7)
}

/// Reads one line's content (without terminator) as line `index`.
fn classify(content: &[u8], index: usize) -> LineKind {
    let (http_only, rest) = match content.strip_prefix(HTTP_ONLY_PREFIX) {
        Some(rest) => (true, rest),
        None => {
            let trimmed = content.trim_ascii_start();
            if trimmed.is_empty() || trimmed.starts_with(b"#") {
                return LineKind::Other;
            }
            (false, content)
        }
    };
    match parse_cookie(rest, http_only, index) {
        Ok(cookie) => LineKind::Cookie(cookie),
        Err(message) => LineKind::Malformed(message),
    }
}

/// Parses the TAB-separated fields of a cookie line. Error messages never
/// contain the value field.
fn parse_cookie(rest: &[u8], http_only: bool, index: usize) -> Result<Cookie, String> {
    let (fields, count) = split_fields(rest);
    if count < 6 {
        let hint = if count == 1 && rest.contains(&b' ') {
            " (are the fields separated by spaces instead of TABs?)"
        } else {
            ""
        };
        return Err(format!(
            "expected 7 TAB-separated fields ({FIELD_NAMES}), found {count}{hint}"
        ));
    }
    let [domain, flag, path, secure, expiry, name, value] = fields;
    let domain_view = view_domain(&String::from_utf8_lossy(domain));
    if domain_view.is_empty() {
        return Err("the domain field is empty; expected a host name such as .example.com".into());
    }
    let include_subdomains = parse_bool(flag).ok_or_else(|| {
        format!(
            "include-subdomains must be TRUE or FALSE, found {}",
            quoted(flag)
        )
    })?;
    let secure = parse_bool(secure)
        .ok_or_else(|| format!("secure must be TRUE or FALSE, found {}", quoted(secure)))?;
    let expiry = parse_expiry(expiry).ok_or_else(|| {
        format!(
            "expiry must be a number of seconds (0 or empty for a session cookie), found {}",
            quoted(expiry)
        )
    })?;
    Ok(Cookie {
        name: String::from_utf8_lossy(name).into_owned(),
        value: String::from_utf8_lossy(value).into_owned(),
        domain: domain_view,
        host_only: !include_subdomains,
        path: String::from_utf8_lossy(path).into_owned(),
        secure,
        http_only,
        same_site: SameSite::Unset,
        expiry,
        partition: String::new(),
        key: CookieKey::Line(index),
    })
}

/// `TRUE` or `FALSE`, in any case.
fn parse_bool(field: &[u8]) -> Option<bool> {
    if field.eq_ignore_ascii_case(b"TRUE") {
        Some(true)
    } else if field.eq_ignore_ascii_case(b"FALSE") {
        Some(false)
    } else {
        None
    }
}

/// Seconds since the epoch; empty or zero is a session cookie. A fraction
/// (some exporters write one) is dropped; a number too large saturates.
fn parse_expiry(field: &[u8]) -> Option<Expiry> {
    if field.is_empty() {
        return Some(Expiry::Session);
    }
    let (negative, unsigned) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, field),
    };
    let (int, frac) = match memchr(b'.', unsigned) {
        Some(p) => (&unsigned[..p], &unsigned[p + 1..]),
        None => (unsigned, &[][..]),
    };
    if int.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = int.iter().fold(0i64, |acc, d| {
        acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    let secs = if negative { -magnitude } else { magnitude };
    Some(if secs == 0 {
        Expiry::Session
    } else {
        Expiry::At(secs)
    })
}

/// The domain as the model shows it: trimmed, lower case, without leading dot
/// and without wget's `:port`.
fn view_domain(raw: &str) -> String {
    let d = raw.trim();
    let d = d.strip_prefix('.').unwrap_or(d);
    strip_port(d).to_lowercase()
}

/// `host:port` → `host` (also `[v6]:port` → `[v6]`); a bare IPv6 address is left alone.
fn strip_port(d: &str) -> &str {
    if let Some((host, port)) = d.rsplit_once(':')
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && ((host.starts_with('[') && host.ends_with(']')) || !host.contains(':'))
    {
        return host;
    }
    d
}

/// A field for an error message: quoted, escaped, cut to a readable length.
fn quoted(field: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(field);
    let mut shown: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        shown.push('…');
    }
    format!("\"{}\"", shown.escape_debug())
}

/// The expiry field as written: `0` for a session cookie.
fn expiry_text(expiry: Expiry) -> String {
    match expiry {
        Expiry::Session => "0".to_owned(),
        Expiry::At(t) => t.to_string(),
    }
}

/// `s` without the bytes that would break a line (and TABs, when `tabs`).
fn clean(s: &str, tabs: bool) -> impl Iterator<Item = u8> + '_ {
    s.bytes()
        .filter(move |&b| b != b'\n' && b != b'\r' && !(tabs && b == b'\t'))
}

/// A valid cookie line's content with a new expiry and value; the domain,
/// flag, path, secure and name fields (and any `#HttpOnly_`) kept as written.
fn rewrite(content: &[u8], value: &str, expiry: Expiry) -> Vec<u8> {
    let prefix = if content.starts_with(HTTP_ONLY_PREFIX) {
        HTTP_ONLY_PREFIX.len()
    } else {
        0
    };
    // Offsets (in `content`) of the TABs after secure, expiry and name.
    let mut tabs = [content.len(); 6];
    let mut found = 0;
    for (i, &b) in content.iter().enumerate().skip(prefix) {
        if b == b'\t' {
            tabs[found] = i;
            found += 1;
            if found == tabs.len() {
                break;
            }
        }
    }
    let head = &content[..(tabs[3] + 1).min(content.len())];
    let name = content.get(tabs[4] + 1..tabs[5]).unwrap_or(&[]);
    let mut out = Vec::with_capacity(content.len() + value.len() + 16);
    out.extend_from_slice(head);
    out.extend_from_slice(expiry_text(expiry).as_bytes());
    out.push(b'\t');
    out.extend_from_slice(name);
    out.push(b'\t');
    out.extend(clean(value, false));
    out
}

/// The content of a new cookie line.
fn new_line(new: &NewCookie) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + new.name.len() + new.value.len() + new.domain.len());
    if new.http_only {
        out.extend_from_slice(HTTP_ONLY_PREFIX);
    }
    if !new.host_only {
        out.push(b'.');
    }
    let domain = new.domain.strip_prefix('.').unwrap_or(&new.domain);
    out.extend(clean(domain, true));
    out.extend_from_slice(if new.host_only {
        b"\tFALSE\t"
    } else {
        b"\tTRUE\t"
    });
    if new.path.is_empty() {
        out.push(b'/');
    } else {
        out.extend(clean(&new.path, true));
    }
    out.extend_from_slice(if new.secure {
        b"\tTRUE\t"
    } else {
        b"\tFALSE\t"
    });
    out.extend_from_slice(expiry_text(new.expiry).as_bytes());
    out.push(b'\t');
    out.extend(clean(&new.name, true));
    out.push(b'\t');
    out.extend(clean(&new.value, false));
    out
}
