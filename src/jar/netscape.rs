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
//!
//! Edits touch only the lines they name. A new line follows the file's
//! habits: its usual line ending (CRLF when most lines use it), no final
//! newline if the file had none, and a session expiry written empty when the
//! file already writes them so (Python and yt-dlp read `0` as expired),
//! `0` otherwise (curl, wget).

use std::borrow::Cow;
use std::ops::Range;

use memchr::memchr;

use super::content::{Content, text};
use super::edit::{EditError, Replace, Resolved};
use crate::domain;
use crate::jar::{BOM, ParseError};
use crate::model::{Cookie, CookieKey, Cookies, Edits, Expiry, NewCookie, SameSite};

/// The prefix curl and Python write before the domain of an HttpOnly cookie.
const HTTP_ONLY_PREFIX: &[u8] = b"#HttpOnly_";
/// The header written when a cookie is added to an empty file.
const HEADER: &[u8] = b"# Netscape HTTP Cookie File";
/// The fields of a cookie line, for error messages.
const FIELD_NAMES: &str = "domain, include-subdomains, path, secure, expiry, name, value";

/// A parsed cookies.txt: the original bytes, where each line starts, and a
/// small record per cookie line. A cookie's strings are not copied: its
/// [`Cookie`] view borrows them from the line when asked for.
#[derive(Debug, Clone)]
pub struct NetscapeJar {
    /// The file content, byte for byte (after edits, the edited content).
    bytes: Content,
    /// The byte offset at which each line starts; a final newline does not start a line.
    starts: Vec<usize>,
    /// The cookie lines, in file order (so sorted by line index).
    records: Vec<Record>,
    /// How many lines end with CRLF.
    crlf_lines: usize,
    /// How many lines end with a bare LF.
    lf_lines: usize,
    /// Session cookies are written with an empty expiry (Python, yt-dlp)
    /// rather than curl's `0`: some cookie line of the file does so.
    empty_session_expiry: bool,
}

/// What the view of a cookie line needs besides the line's own bytes: the
/// fields that were parsed (and checked) when the line was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    /// The line index.
    line: usize,
    /// Seconds since the epoch, or [`SESSION`].
    expiry: i64,
    /// [`HOST_ONLY`], [`SECURE`], [`HTTP_ONLY`].
    flags: u8,
}

/// `Record::expiry` of a session cookie (parsed expiries saturate at ±i64::MAX).
const SESSION: i64 = i64::MIN;
const HOST_ONLY: u8 = 1;
const SECURE: u8 = 2;
const HTTP_ONLY: u8 = 4;

impl Record {
    fn expiry(self) -> Expiry {
        match self.expiry {
            SESSION => Expiry::Session,
            t => Expiry::At(t),
        }
    }
}

/// What one line of the file is.
enum LineKind {
    /// A cookie line, and whether its expiry field is empty.
    Cookie(Record, bool),
    /// A blank line, a comment or a header.
    Other,
    /// Not blank, not a comment, not a valid cookie line: what was expected.
    Malformed(LineError),
}

/// Why a line is not a cookie line. The messages never contain the value
/// field; a field they quote is cut to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum LineError {
    /// Fewer than six TAB-separated fields.
    #[error(
        "expected 7 TAB-separated fields ({FIELD_NAMES}), found {count}{}",
        if *.spaces { " (are the fields separated by spaces instead of TABs?)" } else { "" }
    )]
    Fields {
        /// How many fields there are.
        count: usize,
        /// One field holding spaces: probably separated by spaces.
        spaces: bool,
    },
    /// The domain field is empty (or only dots).
    #[error("the domain field is empty; expected a host name such as .example.com")]
    EmptyDomain,
    /// The include-subdomains field, quoted.
    #[error("include-subdomains must be TRUE or FALSE, found {0}")]
    IncludeSubdomains(String),
    /// The secure field, quoted.
    #[error("secure must be TRUE or FALSE, found {0}")]
    Secure(String),
    /// The expiry field, quoted.
    #[error("expiry must be a number of seconds (0 or empty for a session cookie), found {0}")]
    Expiry(String),
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

/// Files at least this big are parsed in two halves on two threads.
const PARALLEL_BYTES: usize = 8 << 20;

/// The lines of a part of the file, read (see [`NetscapeJar::parse`]).
struct Lines {
    starts: Vec<usize>,
    records: Vec<Record>,
    crlf_lines: usize,
    lf_lines: usize,
    empty_session_expiry: bool,
}

impl Lines {
    /// Reads the lines of `bytes[from..to]` (whole lines), the first being
    /// line `first_line` of the file; the first malformed cookie line is an
    /// error unless `lenient`.
    fn read(
        bytes: &[u8],
        from: usize,
        to: usize,
        first_line: usize,
        lenient: bool,
    ) -> Result<Lines, ParseError> {
        // Counting lines first (a fast SIMD scan) spares regrowth copies.
        let count = memchr::memchr_iter(b'\n', &bytes[from..to]).count() + 1;
        let mut out = Lines {
            starts: Vec::with_capacity(count),
            records: Vec::new(),
            crlf_lines: 0,
            lf_lines: 0,
            empty_session_expiry: false,
        };
        let mut pos = from;
        while pos < to {
            let index = first_line + out.starts.len();
            out.starts.push(pos);
            let end = memchr(b'\n', &bytes[pos..to]).map_or(to, |p| pos + p + 1);
            let line = &bytes[pos..end];
            match eol_of(line) {
                Eol::Crlf => out.crlf_lines += 1,
                Eol::Lf => out.lf_lines += 1,
                Eol::None => {}
            }
            match line_kind(content_of(line), index) {
                LineKind::Cookie(record, empty_expiry) => {
                    out.empty_session_expiry |= empty_expiry;
                    out.records.push(record);
                }
                LineKind::Other => {}
                LineKind::Malformed(problem) => {
                    if !lenient {
                        return Err(ParseError {
                            line: index + 1,
                            message: problem.to_string(),
                        });
                    }
                }
            }
            pos = end;
        }
        Ok(out)
    }
}

impl Cookies for NetscapeJar {
    fn len(&self) -> usize {
        self.records.len()
    }
    fn get(&self, index: usize) -> Option<Cookie<'_>> {
        self.records.get(index).map(|&r| self.view(r))
    }
    fn domain(&self, index: usize) -> Option<(Cow<'_, str>, bool)> {
        let r = *self.records.get(index)?;
        let (at, fields) = self.fields_at(r);
        let end = memchr(b'\t', fields).unwrap_or(fields.len());
        Some((
            domain_of(self.bytes.text(at..at + end)),
            r.flags & HOST_ONLY != 0,
        ))
    }
}

impl NetscapeJar {
    /// Parses the file (a big one in two halves at once); malformed cookie lines fail unless
    /// `lenient`, which keeps them as opaque lines instead.
    pub fn parse(bytes: Vec<u8>, lenient: bool) -> Result<Self, ParseError> {
        // A file saved by a Windows editor may start with a UTF-8 byte-order
        // mark: it belongs to the file, before its first line.
        let from = prefix_len(&bytes);
        // A big file is read in two halves at once, split at a line break.
        let split = match bytes.len() {
            n if n < PARALLEL_BYTES => None,
            n => memchr(b'\n', &bytes[n / 2..]).map(|p| n / 2 + p + 1),
        };
        let (first, second) = match split {
            Some(at) if at < bytes.len() => {
                let first_lines = memchr::memchr_iter(b'\n', &bytes[..at]).count();
                std::thread::scope(|scope| {
                    let second =
                        scope.spawn(|| Lines::read(&bytes, at, bytes.len(), first_lines, lenient));
                    let first = Lines::read(&bytes, from, at, 0, lenient);
                    match second.join() {
                        Ok(second) => (first, Some(second)),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                })
            }
            _ => (Lines::read(&bytes, from, bytes.len(), 0, lenient), None),
        };
        let mut all = first?;
        if let Some(second) = second {
            let second = second?;
            all.starts.extend(second.starts);
            all.records.extend(second.records);
            all.crlf_lines += second.crlf_lines;
            all.lf_lines += second.lf_lines;
            all.empty_session_expiry |= second.empty_session_expiry;
        }
        Ok(NetscapeJar {
            bytes: Content::new(bytes),
            starts: all.starts,
            records: all.records,
            crlf_lines: all.crlf_lines,
            lf_lines: all.lf_lines,
            empty_session_expiry: all.empty_session_expiry,
        })
    }

    /// The cookies, in file order; each key is its zero-based line index.
    pub fn cookies(&self) -> &dyn Cookies {
        self
    }

    /// The view of a cookie line: strings borrowed from the line, copied only
    /// when they must change (invalid UTF-8, a domain with upper-case or non-ASCII letters).
    fn view(&self, r: Record) -> Cookie<'_> {
        let (at, rest) = self.fields_at(r);
        let ([domain, _, path, _, _, name, value], _) = field_ranges(rest);
        let text = |f: Range<usize>| self.bytes.text(at + f.start..at + f.end);
        Cookie {
            name: text(name),
            value: text(value),
            domain: domain_of(text(domain)),
            host_only: r.flags & HOST_ONLY != 0,
            path: text(path),
            secure: r.flags & SECURE != 0,
            http_only: r.flags & HTTP_ONLY != 0,
            same_site: SameSite::Unset,
            expiry: r.expiry(),
            partition: Cow::Borrowed(""),
            key: CookieKey::Line(r.line),
        }
    }

    /// A cookie line's TAB-separated fields (the line without its
    /// terminator or an `#HttpOnly_` prefix), and the offset in the file at
    /// which they start.
    fn fields_at(&self, r: Record) -> (usize, &[u8]) {
        let mut at = self.starts[r.line];
        let mut content = content_of(self.line(r.line));
        if r.flags & HTTP_ONLY != 0
            && let Some(rest) = content.strip_prefix(HTTP_ONLY_PREFIX)
        {
            content = rest;
            at += HTTP_ONLY_PREFIX.len();
        }
        (at, content)
    }

    /// Line `i` with its terminator.
    fn line(&self, i: usize) -> &[u8] {
        let bytes = self.bytes.bytes();
        let end = self.starts.get(i + 1).copied().unwrap_or(bytes.len());
        &bytes[self.starts[i]..end]
    }

    /// The file content as it is now (after edits).
    pub fn bytes(&self) -> &[u8] {
        self.bytes.bytes()
    }

    /// Applies edits: removes the named cookie lines, rewrites the value and
    /// expiry of a replaced line (everything else on it kept as written), or
    /// appends a new line in the file's line-ending style.
    ///
    /// Line keys are those of the current content; afterwards the cookies and
    /// their keys are those of the new content. A key that names no cookie
    /// line (or a replace of a line also being removed) is refused and
    /// changes nothing. Line breaks cannot be written inside a cookies.txt
    /// field, so CR and LF are dropped from written values (and TABs from the
    /// name, domain and path of an added cookie).
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        if let Some(edit) = edits.resolve(|key| self.cookie_line(key))? {
            self.rebuild(&edit);
        }
        Ok(())
    }

    /// Serialises: untouched lines byte for byte.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes().to_vec()
    }

    /// The line index of the cookie record `key` names, if there is one.
    fn cookie_line(&self, key: &CookieKey) -> Option<usize> {
        let CookieKey::Line(line) = key else {
            return None;
        };
        self.records
            .binary_search_by_key(line, |r| r.line)
            .ok()
            .map(|_| *line)
    }

    /// Writes the edited content in one pass over the lines; the records of
    /// kept lines stay where they are in memory, with their new line index.
    fn rebuild(&mut self, edit: &Resolved<'_, usize>) {
        self.renumber(&edit.remove);
        let was_empty = self.bytes().len() == prefix_len(self.bytes());
        let final_newline = was_empty || self.bytes().ends_with(b"\n");
        let out = if edit.adds_only() {
            // Every line stays where it is.
            Out {
                bytes: self.bytes.take(),
                starts: std::mem::take(&mut self.starts),
                crlf_lines: self.crlf_lines,
                lf_lines: self.lf_lines,
            }
        } else {
            self.move_lines(&edit.remove, edit.replace.as_ref())
        };
        self.finish(out, final_newline, was_empty, edit.add);
    }

    /// Drops the records of removed lines and renumbers the rest, in place.
    fn renumber(&mut self, removed: &[usize]) {
        let mut before = 0; // removed lines before the current cookie's line
        self.records.retain_mut(|record| {
            let line = record.line;
            while removed.get(before).is_some_and(|&r| r < line) {
                before += 1;
            }
            if removed.get(before) == Some(&line) {
                return false;
            }
            record.line = line - before;
            true
        });
    }

    /// Moves the kept lines down over the removed ones, in place (a second
    /// copy of a large file would double the memory a prune needs), and
    /// rewrites the replaced line.
    fn move_lines(&mut self, removed: &[usize], replace: Option<&Replace<'_, usize>>) -> Out {
        let mut bytes = self.bytes.take();
        let old_starts = std::mem::take(&mut self.starts);
        let old_len = bytes.len();
        let mut out = Out {
            bytes: Vec::new(),
            starts: Vec::with_capacity(old_starts.len() + 2),
            crlf_lines: 0,
            lf_lines: 0,
        };
        // Write cursor, never past the line being read; the byte-order mark
        // stays where it is.
        let mut w = prefix_len(&bytes);
        // A rewritten line longer than the original cannot be written in
        // place; it is inserted after the pass (line index, bytes).
        let mut pending: Option<(usize, Vec<u8>)> = None;
        let mut removed = removed.iter().copied().peekable();
        for (i, &start) in old_starts.iter().enumerate() {
            let end = old_starts.get(i + 1).copied().unwrap_or(old_len);
            if removed.next_if_eq(&i).is_some() {
                continue;
            }
            let index = out.starts.len();
            out.starts.push(w);
            match replace {
                Some(r) if r.at == i => {
                    let line = &bytes[start..end];
                    let (content, eol) = line.split_at(content_of(line).len());
                    let mut new = rewrite(content, r.value, r.expiry, self.empty_session_expiry);
                    self.reparse(index, &new);
                    new.extend_from_slice(eol);
                    out.count(eol_of(eol));
                    if w + new.len() <= end {
                        bytes[w..w + new.len()].copy_from_slice(&new);
                        w += new.len();
                    } else {
                        pending = Some((index, new));
                    }
                }
                _ => {
                    out.count(eol_of(&bytes[start..end]));
                    bytes.copy_within(start..end, w);
                    w += end - start;
                }
            }
        }
        bytes.truncate(w);
        if let Some((index, new)) = pending {
            let at = out.starts[index];
            bytes.splice(at..at, new.iter().copied());
            for s in &mut out.starts[index + 1..] {
                *s += new.len();
            }
        }
        out.bytes = bytes;
        out
    }

    /// Updates the record of rewritten line `index` (content without its
    /// line ending) as a re-read would see it.
    fn reparse(&mut self, index: usize, content: &[u8]) {
        let parsed = match line_kind(content, index) {
            LineKind::Cookie(record, _) => Some(record),
            LineKind::Other | LineKind::Malformed(_) => None,
        };
        let at = self.records.binary_search_by_key(&index, |r| r.line);
        match (at, parsed) {
            (Ok(at), Some(record)) => self.records[at] = record,
            (Ok(at), None) => {
                self.records.remove(at);
            }
            (Err(at), Some(record)) => self.records.insert(at, record),
            (Err(_), None) => {}
        }
    }

    /// The end of an edit: the final newline as found, the added line, and
    /// the new content in place.
    fn finish(
        &mut self,
        mut out: Out,
        final_newline: bool,
        was_empty: bool,
        add: Option<&NewCookie>,
    ) {
        // The final newline is kept as found, even when the last line went
        // (unless the new last line is empty: without its newline it would vanish).
        if !final_newline
            && let Some(&last) = out.starts.last()
            && !content_of(&out.bytes[last..]).is_empty()
            && out.bytes.ends_with(b"\n")
        {
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
            if was_empty {
                out.push_line(HEADER, eol);
            } else if !out.starts.is_empty() && !out.bytes.ends_with(b"\n") {
                // No final newline: the previous last line gets a line ending
                // and the new last line goes without.
                if out.bytes.ends_with(b"\r") {
                    out.bytes.push(b'\n');
                    out.crlf_lines += 1;
                } else {
                    out.bytes.extend_from_slice(eol);
                    out.count(eol_of(eol));
                }
            }
            let line = new_line(new, self.empty_session_expiry);
            let eol: &[u8] = if final_newline { eol } else { b"" };
            if let Some(record) = out.push_line(&line, eol) {
                self.records.push(record);
            }
        }

        // A line that starts with a byte-order mark and now comes first
        // would lose it to a reader as the file's: the file gets one first.
        if out.starts.first() == Some(&0) && out.bytes.starts_with(BOM) {
            out.bytes.splice(0..0, BOM.iter().copied());
            out.starts.iter_mut().for_each(|s| *s += BOM.len());
        }
        self.bytes = Content::new(out.bytes);
        self.starts = out.starts;
        self.crlf_lines = out.crlf_lines;
        self.lf_lines = out.lf_lines;
    }
}

/// The lines being rebuilt by [`NetscapeJar::rebuild`].
struct Out {
    bytes: Vec<u8>,
    starts: Vec<usize>,
    crlf_lines: usize,
    lf_lines: usize,
}

impl Out {
    /// Appends a new line (`content` then `eol`); returns its cookie record,
    /// parsed as a re-read would.
    fn push_line(&mut self, content: &[u8], eol: &[u8]) -> Option<Record> {
        let index = self.starts.len();
        self.starts.push(self.bytes.len());
        self.bytes.extend_from_slice(content);
        self.bytes.extend_from_slice(eol);
        self.count(eol_of(eol));
        match line_kind(content_of(content), index) {
            LineKind::Cookie(record, _) => Some(record),
            LineKind::Other | LineKind::Malformed(_) => None,
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

/// How many bytes of the file come before its first line: a UTF-8
/// byte-order mark, or none.
fn prefix_len(bytes: &[u8]) -> usize {
    bytes.len() - super::without_bom(bytes).len()
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
    let (ranges, n) = field_ranges(s);
    (ranges.map(|r| &s[r]), n)
}

/// [`split_fields`] as ranges of `s`.
fn field_ranges(s: &[u8]) -> ([Range<usize>; 7], usize) {
    let mut fields: [Range<usize>; 7] = Default::default();
    let mut at = 0;
    for (n, field) in fields.iter_mut().enumerate() {
        if n == 6 {
            *field = at..s.len();
            return (fields, 7);
        }
        match memchr(b'\t', &s[at..]) {
            Some(p) => {
                *field = at..at + p;
                at += p + 1;
            }
            None => {
                *field = at..s.len();
                return (fields, n + 1);
            }
        }
    }
    (fields, 7)
}

/// Reads one line's content (without terminator) as line `index`.
fn line_kind(content: &[u8], index: usize) -> LineKind {
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
        Ok((cookie, empty_expiry)) => LineKind::Cookie(cookie, empty_expiry),
        Err(problem) => LineKind::Malformed(problem),
    }
}

/// Parses the TAB-separated fields of a cookie line; also says whether the
/// expiry field is empty. Error messages never contain the value field.
fn parse_cookie(rest: &[u8], http_only: bool, index: usize) -> Result<(Record, bool), LineError> {
    let (fields, count) = split_fields(rest);
    if count < 6 {
        return Err(LineError::Fields {
            count,
            spaces: count == 1 && rest.contains(&b' '),
        });
    }
    // The path, name and value stay in the line: the view reads them there.
    let [domain, flag, _, secure, expiry_field, _, _] = fields;
    // A domain starting with a letter or digit cannot come out empty.
    if !domain.first().is_some_and(u8::is_ascii_alphanumeric) && view_domain(domain).is_empty() {
        return Err(LineError::EmptyDomain);
    }
    let include_subdomains =
        parse_bool(flag).ok_or_else(|| LineError::IncludeSubdomains(quoted(flag)))?;
    let secure = parse_bool(secure).ok_or_else(|| LineError::Secure(quoted(secure)))?;
    let expiry =
        parse_expiry(expiry_field).ok_or_else(|| LineError::Expiry(quoted(expiry_field)))?;
    let flags = [
        (!include_subdomains, HOST_ONLY),
        (secure, SECURE),
        (http_only, HTTP_ONLY),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .fold(0, |acc, (_, bit)| acc | bit);
    let record = Record {
        line: index,
        expiry: match expiry {
            Expiry::Session => SESSION,
            Expiry::At(t) => t,
        },
        flags,
    };
    Ok((record, expiry_field.is_empty()))
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
    // Saturated at ±i64::MAX: i64::MIN stays free to mean "session" in a record.
    let secs = if negative { -magnitude } else { magnitude };
    Some(if secs == 0 {
        Expiry::Session
    } else {
        Expiry::At(secs)
    })
}

/// The domain as the model shows it: trimmed, lower case, without leading dot
/// and without wget's `:port` (borrowed from the line when it already is).
fn view_domain(raw: &[u8]) -> Cow<'_, str> {
    domain_of(text(raw))
}

/// A domain field's text, normalised (see [`domain::normalize`]).
fn domain_of(field: Cow<'_, str>) -> Cow<'_, str> {
    match field {
        Cow::Borrowed(s) => domain::normalize(s),
        Cow::Owned(s) => Cow::Owned(domain::normalize(&s).into_owned()),
    }
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

/// The expiry field as written: `0` for a session cookie (curl, wget), or
/// empty when the file writes its session cookies so (Python, yt-dlp).
fn expiry_text(expiry: Expiry, empty_session: bool) -> String {
    match expiry {
        Expiry::Session if empty_session => String::new(),
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
fn rewrite(content: &[u8], value: &str, expiry: Expiry, empty_session: bool) -> Vec<u8> {
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
    out.extend_from_slice(expiry_text(expiry, empty_session).as_bytes());
    out.push(b'\t');
    out.extend_from_slice(name);
    out.push(b'\t');
    out.extend(clean(value, false));
    out
}

/// The content of a new cookie line.
pub(crate) fn new_line(new: &NewCookie, empty_session: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + new.name.len() + new.value.len() + new.domain.len());
    if new.http_only {
        out.extend_from_slice(HTTP_ONLY_PREFIX);
    }
    if !new.host_only {
        out.push(b'.');
    }
    out.extend(clean(&new.where_sent().name, true));
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
    out.extend_from_slice(expiry_text(new.expiry, empty_session).as_bytes());
    out.push(b'\t');
    out.extend(clean(&new.name, true));
    out.push(b'\t');
    out.extend(clean(&new.value, false));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OwnedCookie, SetCookie};

    fn parse(text: &[u8]) -> NetscapeJar {
        NetscapeJar::parse(text.to_vec(), false).expect("valid sample")
    }

    fn parse_err(text: &[u8]) -> ParseError {
        NetscapeJar::parse(text.to_vec(), false).expect_err("malformed sample")
    }

    /// A host-only session cookie on `/` at line `line`, to adjust with `..`.
    fn cookie(name: &str, value: &str, domain: &str, line: usize) -> OwnedCookie {
        Cookie {
            value: value.to_owned().into(),
            ..Cookie::basic(name, domain, CookieKey::Line(line))
        }
    }

    const CURL: &[u8] = b"# Netscape HTTP Cookie File\n\
# https://curl.se/docs/http-cookies.html\n\
# This file was generated by libcurl! Edit at your own risk.\n\
\n\
#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1767225600\tsid\tabc123\n\
www.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\n";

    #[test]
    fn curl_file_attributes_and_round_trip() {
        let jar = parse(CURL);
        assert_eq!(
            jar.cookies().to_vec(),
            &[
                Cookie {
                    host_only: false,
                    secure: true,
                    http_only: true,
                    expiry: Expiry::At(1_767_225_600),
                    ..cookie("sid", "abc123", "example.com", 4)
                },
                Cookie {
                    path: "/app".into(),
                    ..cookie("lang", "en", "www.example.com", 5)
                },
            ]
        );
        assert_eq!(jar.to_bytes(), CURL);
    }

    #[test]
    fn wget_header_and_port() {
        let text = b"# HTTP Cookie File\n# Generated by Wget on 2025-01-01 10:00:00.\n\
# Edit at your own risk.\n\nlocalhost:8080\tFALSE\t/\tFALSE\t1767225600\tk\tv\n\
[::1]:8443\tFALSE\t/\tTRUE\t1767225600\tk6\tv6\n";
        let jar = parse(text);
        let c = jar.cookies().to_vec();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].domain, "localhost");
        assert!(c[0].host_only);
        assert_eq!(c[0].key, CookieKey::Line(4));
        assert_eq!(c[1].domain, "[::1]");
        assert!(c[1].secure);
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn python_empty_expiry_is_session() {
        let text = b"# Netscape HTTP Cookie File\n# http://curl.haxx.se/rfc/cookie_spec.html\n\
# This is a generated file!  Do not edit.\n\n.example.org\tTRUE\t/\tFALSE\t\tsess\tval\n";
        let jar = parse(text);
        assert_eq!(
            jar.cookies().to_vec(),
            &[Cookie {
                host_only: false,
                ..cookie("sess", "val", "example.org", 4)
            }]
        );
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn dot_and_flag_may_disagree_flag_wins() {
        let text =
            b".Example.NET\tFALSE\t/\tFALSE\t0\ta\t1\nexample.net\tTRUE\t/\tFALSE\t0\tb\t2\n";
        let jar = parse(text);
        let c = jar.cookies().to_vec();
        assert_eq!(
            (c[0].domain.as_ref(), c[0].host_only),
            ("example.net", true)
        );
        assert_eq!(
            (c[1].domain.as_ref(), c[1].host_only),
            ("example.net", false)
        );
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn value_keeps_tabs_and_six_fields_mean_empty_value() {
        let text = b"x.com\tFALSE\t/\tFALSE\t0\tn\tva\tl\tue\nx.com\tFALSE\t/\tFALSE\t0\tbare\n\
x.com\tFALSE\t/\tFALSE\t0\tempty\t\n";
        let jar = parse(text);
        let c = jar.cookies().to_vec();
        assert_eq!(
            (c[0].name.as_ref(), c[0].value.as_ref()),
            ("n", "va\tl\tue")
        );
        assert_eq!((c[1].name.as_ref(), c[1].value.as_ref()), ("bare", ""));
        assert_eq!((c[2].name.as_ref(), c[2].value.as_ref()), ("empty", ""));
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn flags_are_case_insensitive() {
        let jar = parse(b"x.com\ttrue\t/\tTrue\t0\tn\tv\n");
        assert!(!jar.cookies().to_vec()[0].host_only);
        assert!(jar.cookies().to_vec()[0].secure);
    }

    #[test]
    fn expiry_forms() {
        let text = b"a\tFALSE\t/\tFALSE\t-1\tneg\tv\na\tFALSE\t/\tFALSE\t1700000000.75\tfrac\tv\n\
a\tFALSE\t/\tFALSE\t99999999999999999999999\tbig\tv\na\tFALSE\t/\tFALSE\t00\tzero\tv\n";
        let jar = parse(text);
        let e: Vec<Expiry> = jar.cookies().to_vec().iter().map(|c| c.expiry).collect();
        assert_eq!(
            e,
            [
                Expiry::At(-1),
                Expiry::At(1_700_000_000),
                Expiry::At(i64::MAX),
                Expiry::Session
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_lossy_in_the_view_and_kept_in_the_file() {
        let text = b"ex\xe9.com\tFALSE\t/\tFALSE\t0\tn\xff\tv\xfe\xff\n";
        let jar = parse(text);
        let c = &jar.cookies().to_vec()[0];
        assert_eq!(c.domain, "ex\u{fffd}.com");
        assert_eq!(c.name, "n\u{fffd}");
        assert_eq!(c.value, "v\u{fffd}\u{fffd}");
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn crlf_mixed_and_no_final_newline_round_trip() {
        let text = b"# Netscape HTTP Cookie File\r\n\r\na.com\tFALSE\t/\tFALSE\t0\tx\t1\n\
b.com\tFALSE\t/\tFALSE\t0\ty\t2\r\nc.com\tFALSE\t/\tFALSE\t0\tz\t3";
        let jar = parse(text);
        let c = jar.cookies().to_vec();
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].value, "2");
        assert_eq!(c[2].value, "3");
        assert_eq!(c[2].key, CookieKey::Line(4));
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn blank_comment_and_indented_lines_are_not_cookies() {
        let text = b"\n   \n\t\n  # indented comment\n#HttpOnlyish comment\n";
        let jar = parse(text);
        assert!(jar.cookies().to_vec().is_empty());
        assert_eq!(jar.to_bytes(), text);
    }

    #[test]
    fn byte_order_mark_before_the_first_line() {
        let header =
            b"\xEF\xBB\xBF# Netscape HTTP Cookie File\r\nx.com\tFALSE\t/\tFALSE\t0\tn\tv\r\n";
        assert_eq!(parse(header).to_bytes(), header);
        let cookie = b"\xEF\xBB\xBFx.com\tFALSE\t/\tFALSE\t0\tn\tv";
        let mut jar = parse(cookie);
        assert_eq!(jar.cookies().to_vec()[0].domain, "x.com");
        jar.apply(&edits(
            &[],
            Some(SetCookie::Replace {
                key: CookieKey::Line(0),
                value: "w".into(),
                expiry: Expiry::At(9),
            }),
        ))
        .expect("known key");
        assert_eq!(
            jar.to_bytes(),
            b"\xEF\xBB\xBFx.com\tFALSE\t/\tFALSE\t9\tn\tw"
        );
        assert_eq!(jar.cookies().to_vec()[0].value, "w");
    }

    /// The byte-order mark belongs to the file, not to its first line:
    /// removing the first line keeps it, and a later line that starts with
    /// one (a cookie for crumbs and curl alike) still reads the same when it
    /// comes first (a fuzz finding: it had turned into a comment).
    #[test]
    fn removing_the_first_line_keeps_what_every_line_means() {
        let bom = b"\xEF\xBB\xBFa.com\tFALSE\t/\tFALSE\t0\tn\tv\nb.com\tFALSE\t/\tFALSE\t0\tm\tw\n";
        let mut jar = parse(bom);
        jar.apply(&edits(&[0], None)).expect("known key");
        assert_eq!(
            jar.to_bytes(),
            b"\xEF\xBB\xBFb.com\tFALSE\t/\tFALSE\t0\tm\tw\n"
        );
        assert_eq!(jar.cookies().to_vec()[0].domain, "b.com");

        let inner =
            b"a.com\tFALSE\t/\tFALSE\t0\tn\tv\n\xEF\xBB\xBF#b.com\tFALSE\t/\tFALSE\t0\tm\tw\n";
        let mut jar = parse(inner);
        assert_eq!(
            jar.cookies().len(),
            2,
            "a BOM-led later line is a cookie line"
        );
        jar.apply(&edits(&[0], None)).expect("known key");
        let shown = jar.cookies().to_vec();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].domain, "\u{FEFF}#b.com");
        let again = NetscapeJar::parse(jar.to_bytes(), false).expect("parses");
        assert_eq!(again.cookies().to_vec(), shown);
        // Both at once, with the new first line rewritten.
        let both = b"\xEF\xBB\xBFa.com\tFALSE\t/\tFALSE\t0\tn\tv\n\xEF\xBB\xBF#b.com\tFALSE\t/\tFALSE\t0\tm\tw\n";
        let mut jar = parse(both);
        jar.apply(&edits(
            &[0],
            Some(SetCookie::Replace {
                key: CookieKey::Line(1),
                value: "x".into(),
                expiry: Expiry::At(9),
            }),
        ))
        .expect("known keys");
        let shown = jar.cookies().to_vec();
        assert_eq!((shown.len(), &*shown[0].value), (1, "x"));
        let again = NetscapeJar::parse(jar.to_bytes(), false).expect("parses");
        assert_eq!(again.cookies().to_vec(), shown);
    }

    /// Removing every line of a file with a byte-order mark and adding a
    /// cookie: the mark stays, and the added line is the file's first (a
    /// fuzz finding: a line break was put after the mark, so the new line's
    /// key was not the line a re-read gives it).
    #[test]
    fn remove_all_and_add_after_a_byte_order_mark() {
        let text = b"\xEF\xBB\xBFa.com\tFALSE\t/\tFALSE\t0\tn\t";
        let mut jar = parse(text);
        jar.apply(&edits(
            &[0],
            Some(SetCookie::Add(pref(true, false, Expiry::At(2_000_000_000)))),
        ))
        .expect("known key");
        let again = NetscapeJar::parse(jar.to_bytes(), false).expect("parses");
        assert_eq!(again.cookies().to_vec(), jar.cookies().to_vec());
        assert_eq!(jar.cookies().to_vec()[0].key, CookieKey::Line(0));
        assert!(
            jar.to_bytes()
                .starts_with(b"\xEF\xBB\xBFportal.example.com\t")
        );
    }

    /// A file that is only a byte-order mark gets the header when a cookie
    /// is added, after the mark.
    #[test]
    fn add_to_a_file_of_only_a_byte_order_mark() {
        let mut jar = parse(b"\xEF\xBB\xBF");
        assert_eq!(jar.to_bytes(), b"\xEF\xBB\xBF");
        jar.apply(&edits(
            &[],
            Some(SetCookie::Add(pref(true, false, Expiry::Session))),
        ))
        .expect("add");
        let bytes = jar.to_bytes();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF# Netscape HTTP Cookie File\n"),
            "{bytes:?}"
        );
        let again = NetscapeJar::parse(bytes, false).expect("parses");
        assert_eq!(again.cookies().to_vec(), jar.cookies().to_vec());
    }

    #[test]
    fn empty_file() {
        let jar = parse(b"");
        assert!(jar.cookies().to_vec().is_empty());
        assert_eq!(jar.to_bytes(), b"");
    }

    #[test]
    fn malformed_lines_name_line_and_expectation() {
        let e = parse_err(b"# Netscape HTTP Cookie File\n\na\tb\tc\n");
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "expected 7 TAB-separated fields (domain, include-subdomains, path, secure, \
             expiry, name, value), found 3"
        );

        let e = parse_err(b"x.com\tFALSE\t/\tFALSE\tabc\tn\ts3cret\n");
        assert_eq!(e.line, 1);
        assert_eq!(
            e.message,
            "expiry must be a number of seconds (0 or empty for a session cookie), found \"abc\""
        );

        let e =
            parse_err(b"ok.com\tFALSE\t/\tFALSE\t0\tn\tv\nx.com\tYES\t/\tFALSE\t0\tn\ts3cret\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "include-subdomains must be TRUE or FALSE, found \"YES\""
        );

        let e = parse_err(b"x.com\tFALSE\t/\tno\t0\tn\ts3cret\n");
        assert_eq!(e.message, "secure must be TRUE or FALSE, found \"no\"");

        let e = parse_err(b"x.com FALSE / FALSE 0 n s3cret\n");
        assert!(
            e.message
                .ends_with("found 1 (are the fields separated by spaces instead of TABs?)")
        );
        assert!(!e.message.contains("s3cret"));

        let e = parse_err(b"#HttpOnly_\n");
        assert!(e.message.ends_with("found 1"), "{}", e.message);

        let e = parse_err(b"\tFALSE\t/\tFALSE\t0\tn\tv\n");
        assert!(e.message.starts_with("the domain field is empty"));
    }

    #[test]
    fn lenient_keeps_malformed_lines_opaque() {
        let text = b"# Netscape HTTP Cookie File\njunk line\nx.com\tFALSE\t/\tFALSE\t0\tn\tv\r\n\
Set-Cookie: a=b\n";
        let jar = NetscapeJar::parse(text.to_vec(), true).expect("lenient");
        assert_eq!(jar.cookies().to_vec().len(), 1);
        assert_eq!(jar.cookies().to_vec()[0].key, CookieKey::Line(2));
        assert_eq!(jar.to_bytes(), text);
        assert_eq!(parse_err(text).line, 2);
    }

    fn edits(remove: &[usize], set: Option<SetCookie>) -> Edits {
        Edits {
            remove: remove.iter().map(|&i| CookieKey::Line(i)).collect(),
            set,
        }
    }

    fn pref(host_only: bool, http_only: bool, expiry: Expiry) -> NewCookie {
        NewCookie {
            name: "cookies_preferences".into(),
            value: "%7B%22v%22%3A1%7D".into(),
            domain: "portal.example.com".into(),
            host_only,
            path: "/".into(),
            secure: true,
            http_only,
            same_site: SameSite::Lax,
            expiry,
        }
    }

    #[test]
    fn remove_lines() {
        let mut jar = parse(CURL);
        jar.apply(&edits(&[4], None)).expect("known key");
        assert_eq!(
            jar.to_bytes(),
            b"# Netscape HTTP Cookie File\n\
# https://curl.se/docs/http-cookies.html\n\
# This file was generated by libcurl! Edit at your own risk.\n\
\n\
www.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\n"
        );
        assert_eq!(jar.cookies().to_vec().len(), 1);
        assert_eq!(jar.cookies().to_vec()[0].key, CookieKey::Line(4));
        assert_eq!(
            jar.cookies().to_vec(),
            parse(&jar.to_bytes()).cookies().to_vec()
        );
    }

    #[test]
    fn unknown_keys_change_nothing() {
        let mut jar = parse(CURL);
        // Line 0 is a header, 9 does not exist.
        assert_eq!(
            jar.apply(&edits(&[4, 0], None)),
            Err(EditError::NoSuchRecord(CookieKey::Line(0)))
        );
        assert_eq!(
            jar.apply(&edits(&[9], None)),
            Err(EditError::NoSuchRecord(CookieKey::Line(9)))
        );
        let store = CookieKey::Store(Box::new(crate::model::StoreKey {
            domain: "example.com".into(),
            path: "/".into(),
            name: "sid".into(),
        }));
        let bad = Edits {
            remove: vec![store.clone()],
            set: None,
        };
        assert_eq!(jar.apply(&bad), Err(EditError::NoSuchRecord(store)));
        let replace_removed = edits(
            &[4],
            Some(SetCookie::Replace {
                key: CookieKey::Line(4),
                value: "x".into(),
                expiry: Expiry::Session,
            }),
        );
        assert_eq!(
            jar.apply(&replace_removed),
            Err(EditError::ReplaceRemoved(CookieKey::Line(4)))
        );
        assert_eq!(jar.to_bytes(), CURL);
        assert_eq!(jar.cookies().to_vec().len(), 2);
        jar.apply(&Edits::default()).expect("no edits");
        assert_eq!(jar.to_bytes(), CURL);
    }

    #[test]
    fn a_big_file_read_in_two_halves_reads_as_one_pass() {
        let mut text = Vec::new();
        let mut n = 0;
        while text.len() < PARALLEL_BYTES + 4096 {
            let line = match n % 5 {
                0 => format!("# comment {n}"),
                1 => format!("#HttpOnly_.a{n}.test\tTRUE\t/\tTRUE\t\tname{n}\tv"),
                _ => format!("b{n}.test\tFALSE\t/p\tFALSE\t1900000000\tname{n}\tvalue"),
            };
            text.extend_from_slice(line.as_bytes());
            text.extend_from_slice(if n % 3 == 0 { b"\r\n" } else { b"\n" });
            n += 1;
        }
        let jar = parse(&text);
        let one = Lines::read(&text, 0, text.len(), 0, false).expect("valid");
        assert_eq!(jar.starts, one.starts);
        assert_eq!(jar.records, one.records);
        assert_eq!(
            (jar.crlf_lines, jar.lf_lines),
            (one.crlf_lines, one.lf_lines)
        );
        assert!(jar.empty_session_expiry && one.empty_session_expiry);
        assert_eq!(jar.to_bytes(), text);
        // A bad line in the second half is reported with its own line number,
        // and one in the first half wins over it.
        let mut bad = text.clone();
        let late = n - 3;
        let at = jar.starts[late];
        bad.splice(at..at, b"oops\n".iter().copied());
        assert_eq!(parse_err(&bad).line, late + 1);
        let early = 7;
        let at = jar.starts[early];
        bad.splice(at..at, b"worse\n".iter().copied());
        assert_eq!(parse_err(&bad).line, early + 1);
    }

    #[test]
    fn edits_in_place_around_a_removed_line() {
        // A removed line before the replaced one: the rewrite (shorter, then
        // longer than the line) lands where the kept lines moved to.
        let text = b"a.com\tFALSE\t/\tFALSE\t0\tgone\tlong-value-to-drop\n\
b.com\tFALSE\t/\tFALSE\t0\tprefs\tan-old-long-value\n\
c.com\tFALSE\t/\tFALSE\t0\tkept\tk\n";
        for (value, expected) in [
            ("short", &b"b.com\tFALSE\t/\tFALSE\t0\tprefs\tshort\n"[..]),
            (
                "a-much-longer-value-than-the-old-one",
                &b"b.com\tFALSE\t/\tFALSE\t0\tprefs\ta-much-longer-value-than-the-old-one\n"[..],
            ),
        ] {
            let mut jar = parse(text);
            jar.apply(&edits(
                &[0],
                Some(SetCookie::Replace {
                    key: CookieKey::Line(1),
                    value: value.into(),
                    expiry: Expiry::Session,
                }),
            ))
            .expect("known keys");
            let mut want = expected.to_vec();
            want.extend_from_slice(b"c.com\tFALSE\t/\tFALSE\t0\tkept\tk\n");
            assert_eq!(jar.to_bytes(), want);
            assert_eq!(
                jar.cookies().to_vec(),
                parse(&jar.to_bytes()).cookies().to_vec()
            );
            assert_eq!(jar.cookies().at(1).key, CookieKey::Line(1));
        }
    }

    #[test]
    fn replace_rewrites_value_and_expiry_only() {
        let text = b"#HttpOnly_.Example.com:8080\ttrue\t/p\tTRUE\t123\tcookies_preferences\told\tvalue\r\n\
x.com\tFALSE\t/\tFALSE\t0\tbare\n";
        let mut jar = parse(text);
        jar.apply(&edits(
            &[],
            Some(SetCookie::Replace {
                key: CookieKey::Line(0),
                value: "new".into(),
                expiry: Expiry::At(1_800_000_000),
            }),
        ))
        .expect("known key");
        assert_eq!(
            jar.to_bytes(),
            b"#HttpOnly_.Example.com:8080\ttrue\t/p\tTRUE\t1800000000\tcookies_preferences\tnew\r\n\
x.com\tFALSE\t/\tFALSE\t0\tbare\n"
        );
        let c = &jar.cookies().to_vec()[0];
        assert_eq!(
            (c.value.as_ref(), c.expiry),
            ("new", Expiry::At(1_800_000_000))
        );
        assert!(c.http_only && c.secure && !c.host_only);

        // A six-field line gains its value field; a session expiry is written as 0.
        jar.apply(&edits(
            &[],
            Some(SetCookie::Replace {
                key: CookieKey::Line(1),
                value: "v\r\nx".into(),
                expiry: Expiry::Session,
            }),
        ))
        .expect("known key");
        assert!(
            jar.to_bytes()
                .ends_with(b"\r\nx.com\tFALSE\t/\tFALSE\t0\tbare\tvx\n")
        );
        assert_eq!(
            jar.cookies().to_vec(),
            parse(&jar.to_bytes()).cookies().to_vec()
        );
    }

    #[test]
    fn add_uses_lf_by_default() {
        let mut jar = parse(CURL);
        jar.apply(&edits(
            &[5],
            Some(SetCookie::Add(pref(
                false,
                false,
                Expiry::At(1_800_000_000),
            ))),
        ))
        .expect("known key");
        let mut expected = CURL
            [..CURL.len() - b"www.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\n".len()]
            .to_vec();
        expected.extend_from_slice(
            b".portal.example.com\tTRUE\t/\tTRUE\t1800000000\tcookies_preferences\t%7B%22v%22%3A1%7D\n",
        );
        assert_eq!(jar.to_bytes(), expected);
        assert_eq!(jar.cookies().to_vec(), parse(&expected).cookies().to_vec());
        assert_eq!(jar.cookies().to_vec()[1].key, CookieKey::Line(5));
    }

    #[test]
    fn add_to_crlf_file_without_final_newline() {
        let text = b"# Netscape HTTP Cookie File\r\na.com\tFALSE\t/\tFALSE\t0\tx\t1";
        let mut jar = parse(text);
        jar.apply(&edits(
            &[],
            Some(SetCookie::Add(pref(true, true, Expiry::Session))),
        ))
        .expect("add");
        assert_eq!(
            jar.to_bytes(),
            b"# Netscape HTTP Cookie File\r\na.com\tFALSE\t/\tFALSE\t0\tx\t1\r\n\
#HttpOnly_portal.example.com\tFALSE\t/\tTRUE\t0\tcookies_preferences\t%7B%22v%22%3A1%7D"
                .as_slice()
        );
        let c = &jar.cookies().to_vec()[1];
        assert!(c.host_only && c.http_only && c.secure);
        assert_eq!(c.expiry, Expiry::Session);
        assert_eq!(c.key, CookieKey::Line(2));
        assert_eq!(
            jar.cookies().to_vec(),
            parse(&jar.to_bytes()).cookies().to_vec()
        );
    }

    #[test]
    fn removing_the_last_line_keeps_no_final_newline() {
        let text = b"# h\r\na.com\tFALSE\t/\tFALSE\t0\tx\t1\r\nb.com\tFALSE\t/\tFALSE\t0\ty\t2";
        let mut jar = parse(text);
        jar.apply(&edits(&[2], None)).expect("known key");
        assert_eq!(jar.to_bytes(), b"# h\r\na.com\tFALSE\t/\tFALSE\t0\tx\t1");
        jar.apply(&edits(
            &[1],
            Some(SetCookie::Add(pref(true, false, Expiry::Session))),
        ))
        .expect("known key");
        assert_eq!(
            jar.to_bytes(),
            b"# h\r\nportal.example.com\tFALSE\t/\tTRUE\t0\tcookies_preferences\t%7B%22v%22%3A1%7D"
                .as_slice()
        );
    }

    #[test]
    fn session_expiry_follows_the_file() {
        // Python writes session cookies with an empty expiry and drops `0` ones
        // as expired when it loads; such a file gets empty expiries.
        let text = b"# Netscape HTTP Cookie File\n.a.com\tTRUE\t/\tFALSE\t\ts\tv\n\
a.com\tFALSE\t/\tFALSE\t1900000000\tt\tv\n";
        let mut jar = parse(text);
        jar.apply(&edits(
            &[],
            Some(SetCookie::Replace {
                key: CookieKey::Line(2),
                value: "w".into(),
                expiry: Expiry::Session,
            }),
        ))
        .expect("known key");
        jar.apply(&edits(
            &[],
            Some(SetCookie::Add(pref(true, false, Expiry::Session))),
        ))
        .expect("add");
        assert_eq!(
            jar.to_bytes(),
            b"# Netscape HTTP Cookie File\n.a.com\tTRUE\t/\tFALSE\t\ts\tv\n\
a.com\tFALSE\t/\tFALSE\t\tt\tw\n\
portal.example.com\tFALSE\t/\tTRUE\t\tcookies_preferences\t%7B%22v%22%3A1%7D\n"
                .as_slice()
        );
    }

    #[test]
    fn add_to_empty_file_writes_a_header() {
        let mut jar = parse(b"");
        jar.apply(&edits(
            &[],
            Some(SetCookie::Add(pref(true, false, Expiry::At(5)))),
        ))
        .expect("add");
        assert_eq!(
            jar.to_bytes(),
            b"# Netscape HTTP Cookie File\n\
portal.example.com\tFALSE\t/\tTRUE\t5\tcookies_preferences\t%7B%22v%22%3A1%7D\n"
                .as_slice()
        );
        assert_eq!(jar.cookies().to_vec()[0].key, CookieKey::Line(1));
    }

    #[test]
    fn remove_many_and_keys_follow() {
        let mut text = Vec::new();
        for i in 0..10 {
            text.extend_from_slice(
                format!("# c{i}\nh{i}.com\tFALSE\t/\tFALSE\t0\tn{i}\tv{i}\n").as_bytes(),
            );
        }
        let mut jar = parse(&text);
        jar.apply(&edits(&[1, 5, 5, 19], None)).expect("known keys");
        let reparsed = parse(&jar.to_bytes());
        assert_eq!(jar.cookies().to_vec(), reparsed.cookies().to_vec());
        assert_eq!(jar.cookies().to_vec().len(), 7);
        assert_eq!(jar.cookies().to_vec()[0].key, CookieKey::Line(2));
    }
}
