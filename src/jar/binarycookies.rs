//! Safari's `Cookies.binarycookies` (CFNetwork's cookie file), read and
//! written by hand from its published layout:
//!
//! ```text
//! file:   "cook" | pages: u32 BE | page sizes: u32 BE each | pages
//!         | checksum: u32 BE (every 4th byte of every page, summed)
//!         | 07 17 20 05 | plist length: u32 BE | a binary plist (NSHTTPCookieAcceptPolicy)
//! page:   00 00 01 00 | cookies: u32 LE | offsets from the page start: u32 LE each
//!         | 00 00 00 00 | records
//! record: size u32 LE | ? u32 | flags u32 (1 Secure, 4 HttpOnly) | ? u32
//!         | offsets in the record of domain, name, path, value, comment,
//!           comment URL: u32 LE each (comment ones 0 when absent)
//!         | expiry f64 LE | creation f64 LE (seconds since 2001-01-01)
//!         | NUL-terminated strings
//! ```
//!
//! Every length and offset is checked before it is used: a wrong page
//! count, a page or record past its end, a string without its NUL are
//! errors naming the byte. Lossless: the file is kept as read until an
//! edit; an edit rebuilds only the pages it touches (a record rewritten
//! keeps its unknown fields and string order) and the checksum, and keeps
//! the footer and plist. Safari writes no session cookies here: a session
//! cookie cannot be added. A cookie's identity is its index, in file order.

use super::edit::EditError;
use crate::domain;
use crate::model::{
    APPLE_EPOCH, Cookie, CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite,
};

/// The file's first four bytes.
pub const MAGIC: &[u8] = b"cook";
/// What follows the checksum, before the plist's length.
const FOOTER: [u8; 4] = [0x07, 0x17, 0x20, 0x05];
/// The plist Safari writes after the footer, `{NSHTTPCookieAcceptPolicy: 2}`
/// (as Python's `plistlib` writes it in binary form): written only for a
/// file that had none, as a file built from nothing.
const DEFAULT_PLIST: &[u8] = b"bplist00\xd1\x01\x02_\x10\x18NSHTTPCookieAcceptPolicy\x10\x02\
    \x08\x0b&\x00\x00\x00\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x03\
    \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00(";
/// A page's first four bytes.
const PAGE_HEADER: [u8; 4] = [0, 0, 1, 0];
/// A record's fixed part, before its strings.
const RECORD_HEADER: usize = 56;
/// Where a record keeps the offsets of domain, name, path, value, comment, comment URL.
const STRING_FIELDS: [usize; 6] = [16, 20, 24, 28, 32, 36];

/// A malformed file: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {offset}: {message}")]
pub struct BinaryError {
    /// The byte offset in the file where the problem is.
    pub offset: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

/// One page: its records' bytes, as read unless rebuilt.
#[derive(Debug, Clone)]
struct Page {
    raw: Vec<u8>,
    records: Vec<Vec<u8>>,
    dirty: bool,
}

/// A `Cookies.binarycookies` file.
#[derive(Debug, Clone)]
pub struct BinaryCookies {
    pages: Vec<Page>,
    tail: Vec<u8>,
    cookies: Vec<OwnedCookie>,
    bytes: Vec<u8>,
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn f64_le(b: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn err(offset: usize, message: impl Into<String>) -> BinaryError {
    BinaryError {
        offset,
        message: message.into(),
    }
}

impl BinaryCookies {
    /// Parses the file, checking every size and offset.
    pub fn parse(bytes: &[u8]) -> Result<BinaryCookies, BinaryError> {
        if !bytes.starts_with(MAGIC) {
            return Err(err(
                0,
                "expected the magic \"cook\" of Safari's Cookies.binarycookies",
            ));
        }
        let count =
            u32_be(bytes, 4).ok_or_else(|| err(4, "the file ends before its page count"))? as usize;
        let table_end = 8usize.saturating_add(count.saturating_mul(4));
        if table_end > bytes.len() {
            return Err(err(
                4,
                format!(
                    "a page count of {count} needs {} bytes of page sizes; the file has {} bytes",
                    count.saturating_mul(4),
                    bytes.len()
                ),
            ));
        }
        let mut pages = Vec::with_capacity(count);
        let mut at = table_end;
        for i in 0..count {
            let size = u32_be(bytes, 8 + 4 * i).unwrap_or(0) as usize;
            let end = at
                .checked_add(size)
                .filter(|&e| e <= bytes.len())
                .ok_or_else(|| {
                    err(
                        8 + 4 * i,
                        format!(
                            "page {} of {size} bytes from byte {at} runs past the end of the file \
                         ({} bytes)",
                            i + 1,
                            bytes.len()
                        ),
                    )
                })?;
            pages.push(parse_page(&bytes[at..end], at, i)?);
            at = end;
        }
        check_tail(&bytes[at..], at, count)?;
        let mut jar = BinaryCookies {
            pages,
            tail: bytes[at..].to_vec(),
            cookies: Vec::new(),
            bytes: bytes.to_vec(),
        };
        jar.cookies = jar.view();
        Ok(jar)
    }

    /// The cookies, in file order; each key is its index.
    pub fn cookies(&self) -> &Vec<OwnedCookie> {
        &self.cookies
    }

    /// The file's content: the original bytes if nothing was edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Removes records, rewrites one's value and expiry, or adds a record
    /// (to the page of its domain, or a new page).
    pub fn apply(&mut self, edits: &Edits) -> Result<(), EditError> {
        let places: Vec<(usize, usize)> = self
            .pages
            .iter()
            .enumerate()
            .flat_map(|(p, page)| (0..page.records.len()).map(move |r| (p, r)))
            .collect();
        let Some(edit) = edits.resolve(|key| match key {
            CookieKey::Index(i) if *i < places.len() => Some(*i),
            _ => None,
        })?
        else {
            return Ok(());
        };
        if let Some(new) = edit.add.filter(|n| n.expiry == Expiry::Session) {
            return Err(EditError::unwritable(new, SESSION_REFUSED));
        }
        if let Some(r) = &edit.replace {
            let Expiry::At(t) = r.expiry else {
                return Err(EditError::Unwritable {
                    cookie: r.key.to_string(),
                    reason: SESSION_REFUSED.into(),
                });
            };
            let (p, i) = places[r.at];
            let record = rewrite(&self.pages[p].records[i], r.value, t).ok_or_else(|| {
                EditError::Render("a record crumbs read cannot be rewritten".into())
            })?;
            self.pages[p].records[i] = record;
            self.pages[p].dirty = true;
        }
        for &i in edit.remove.iter().rev() {
            let (p, r) = places[i];
            self.pages[p].records.remove(r);
            self.pages[p].dirty = true;
        }
        if let Some(new) = edit.add {
            self.add(new);
        }
        self.pages.retain(|p| !p.records.is_empty() || !p.dirty);
        self.bytes = self.render();
        self.cookies = self.view();
        Ok(())
    }

    /// Adds a record for `new` to the page of its domain, or a new last page.
    fn add(&mut self, new: &NewCookie) {
        let stored = new.where_sent().label();
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let record = new_record(new, &stored, now);
        let page = self.pages.iter().position(|p| {
            p.records
                .first()
                .and_then(|r| record_string(r, 16))
                .is_some_and(|d| d == stored.as_bytes())
        });
        match page {
            Some(p) => {
                self.pages[p].records.push(record);
                self.pages[p].dirty = true;
            }
            None => self.pages.push(Page {
                raw: Vec::new(),
                records: vec![record],
                dirty: true,
            }),
        }
    }

    /// The file: header, page table, pages (rebuilt where edited), the
    /// checksum again, the rest of the tail as read.
    fn render(&mut self) -> Vec<u8> {
        for page in self.pages.iter_mut().filter(|p| p.dirty) {
            page.raw = render_page(&page.records);
        }
        let mut out = MAGIC.to_vec();
        out.extend((self.pages.len() as u32).to_be_bytes());
        for page in &self.pages {
            out.extend((page.raw.len() as u32).to_be_bytes());
        }
        for page in &self.pages {
            out.extend(&page.raw);
        }
        let sum: u32 = self
            .pages
            .iter()
            .map(|p| checksum(&p.raw))
            .fold(0, u32::wrapping_add);
        out.extend(sum.to_be_bytes());
        match self.tail.get(4..) {
            // Checked at parse: the footer and the plist as read.
            Some(rest) => out.extend(rest),
            None => {
                out.extend(FOOTER);
                out.extend((DEFAULT_PLIST.len() as u32).to_be_bytes());
                out.extend(DEFAULT_PLIST);
            }
        }
        out
    }

    /// The read view of every record.
    fn view(&self) -> Vec<OwnedCookie> {
        self.pages
            .iter()
            .flat_map(|p| &p.records)
            .enumerate()
            .map(|(i, r)| record_view(r, i))
            .collect()
    }
}

/// Why a session cookie cannot be written here.
const SESSION_REFUSED: &str = "Safari's Cookies.binarycookies holds no session cookies";

/// The sum of every 4th byte of `page` (the file's checksum, per page).
fn checksum(page: &[u8]) -> u32 {
    page.iter().step_by(4).map(|&b| u32::from(b)).sum()
}

/// Checks what follows the pages (starting at byte `base`): nothing, or a
/// checksum and the footer. Anything else means the page table is wrong
/// (a page count too small leaves pages there).
fn check_tail(tail: &[u8], base: usize, pages: usize) -> Result<(), BinaryError> {
    if tail.is_empty() || tail.get(4..8) == Some(&FOOTER[..]) {
        return Ok(());
    }
    Err(err(
        base,
        format!(
            "after its {pages} pages (the page count at byte 4) the file should end or hold a \
             checksum and 07 17 20 05; it holds {} other bytes: is the page count right?",
            tail.len()
        ),
    ))
}

/// Parses page `index` (starting at byte `base` of the file).
fn parse_page(page: &[u8], base: usize, index: usize) -> Result<Page, BinaryError> {
    let n = index + 1;
    if page.get(..4) != Some(&PAGE_HEADER[..]) {
        return Err(err(
            base,
            format!(
                "page {n} does not start with 00 00 01 00: the page sizes from byte 8 do not \
                 match the pages (is the page count at byte 4 right?)"
            ),
        ));
    }
    let count = u32_le(page, 4)
        .ok_or_else(|| err(base + 4, format!("page {n} ends before its cookie count")))?
        as usize;
    if 8usize.saturating_add(count.saturating_mul(4)) > page.len() {
        return Err(err(
            base + 4,
            format!(
                "page {n} says it holds {count} cookies; its {} bytes cannot hold their offsets",
                page.len()
            ),
        ));
    }
    let mut records = Vec::with_capacity(count);
    for c in 0..count {
        let at = u32_le(page, 8 + 4 * c).unwrap_or(0) as usize;
        let here = base + 8 + 4 * c;
        let size = u32_le(page, at).ok_or_else(|| {
            err(
                here,
                format!(
                    "cookie {} of page {n} starts at {at}, past the end of its page",
                    c + 1
                ),
            )
        })? as usize;
        let end = at
            .checked_add(size)
            .filter(|&e| e <= page.len() && size >= RECORD_HEADER);
        let Some(end) = end else {
            return Err(err(
                base + at,
                format!(
                    "cookie {} of page {n}: a record of {size} bytes at {at} does not fit its \
                     page of {} bytes (a record has at least {RECORD_HEADER})",
                    c + 1,
                    page.len()
                ),
            ));
        };
        let record = &page[at..end];
        check_record(record)
            .map_err(|m| err(base + at, format!("cookie {} of page {n}: {m}", c + 1)))?;
        records.push(record.to_vec());
    }
    Ok(Page {
        raw: page.to_vec(),
        records,
        dirty: false,
    })
}

/// A record string that is not inside its record or lacks its NUL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its {what} at offset {at} is not a NUL-terminated string inside its {len} bytes")]
struct BadString {
    /// Which string: domain, name, path, value, comment, comment URL.
    what: &'static str,
    /// Its offset in the record.
    at: usize,
    /// The record's size.
    len: usize,
}

/// Checks that every string a record points at is inside it and NUL-terminated.
fn check_record(r: &[u8]) -> Result<(), BadString> {
    for (n, &field) in STRING_FIELDS.iter().enumerate() {
        let at = u32_le(r, field).unwrap_or(0) as usize;
        if n >= 4 && at == 0 {
            continue;
        }
        if record_string(r, field).is_none() {
            return Err(BadString {
                what: ["domain", "name", "path", "value", "comment", "comment URL"][n],
                at,
                len: r.len(),
            });
        }
    }
    Ok(())
}

/// The string whose offset is at `field` of record `r`, without its NUL.
fn record_string(r: &[u8], field: usize) -> Option<&[u8]> {
    let at = u32_le(r, field)? as usize;
    if at < RECORD_HEADER {
        return None;
    }
    let rest = r.get(at..)?;
    Some(&rest[..memchr::memchr(0, rest)?])
}

/// The read view of a (checked) record.
fn record_view(r: &[u8], i: usize) -> OwnedCookie {
    let text =
        |field| String::from_utf8_lossy(record_string(r, field).unwrap_or_default()).into_owned();
    let stored = text(16);
    let flags = u32_le(r, 8).unwrap_or(0);
    Cookie {
        value: text(28).into(),
        domain: domain::normalize(&stored).into_owned().into(),
        host_only: !stored.starts_with('.'),
        path: text(24).into(),
        secure: flags & 1 != 0,
        http_only: flags & 4 != 0,
        same_site: SameSite::Unset,
        expiry: Expiry::from_apple_seconds(f64_le(r, 40).unwrap_or(0.0)),
        partition: "".into(),
        key: CookieKey::Index(i),
        name: text(20).into(),
    }
}

/// Seconds since 2001-01-01 as the file stores them.
fn apple(t: i64) -> [u8; 8] {
    ((t - APPLE_EPOCH) as f64).to_le_bytes()
}

/// Record `r` with a new value and expiry: its fixed part (unknown fields
/// included) kept, its strings in their order, offsets and size updated.
fn rewrite(r: &[u8], value: &str, expiry: i64) -> Option<Vec<u8>> {
    let mut strings: Vec<(usize, Vec<u8>)> = Vec::new();
    for (n, &field) in STRING_FIELDS.iter().enumerate() {
        if n >= 4 && u32_le(r, field)? == 0 {
            continue;
        }
        let s = match field {
            28 => value.as_bytes().to_vec(),
            _ => record_string(r, field)?.to_vec(),
        };
        strings.push((field, s));
    }
    strings.sort_by_key(|(field, _)| u32_le(r, *field).unwrap_or(0));
    let fixed = strings
        .iter()
        .filter_map(|(f, _)| u32_le(r, *f))
        .min()
        .map_or(RECORD_HEADER, |m| (m as usize).max(RECORD_HEADER));
    let mut out = r.get(..fixed)?.to_vec();
    for (field, s) in &strings {
        let at = out.len() as u32;
        out[*field..*field + 4].copy_from_slice(&at.to_le_bytes());
        out.extend(s);
        out.push(0);
    }
    let size = out.len() as u32;
    out[..4].copy_from_slice(&size.to_le_bytes());
    out[40..48].copy_from_slice(&apple(expiry));
    Some(out)
}

/// A record for `new` as Safari writes one (domain, name, path, value).
fn new_record(new: &NewCookie, stored: &str, now: i64) -> Vec<u8> {
    let mut out = vec![0u8; RECORD_HEADER];
    let flags = u32::from(new.secure) | (u32::from(new.http_only) << 2);
    out[8..12].copy_from_slice(&flags.to_le_bytes());
    let expiry = new.expiry.unix_seconds().unwrap_or(now);
    out[40..48].copy_from_slice(&apple(expiry));
    out[48..56].copy_from_slice(&apple(now));
    for (field, s) in [
        (16, stored),
        (20, &new.name),
        (24, &new.path),
        (28, &new.value),
    ] {
        let at = out.len() as u32;
        out[field..field + 4].copy_from_slice(&at.to_le_bytes());
        out.extend(s.as_bytes());
        out.push(0);
    }
    let size = out.len() as u32;
    out[..4].copy_from_slice(&size.to_le_bytes());
    out
}

/// A page holding `records`, offsets after the header, count and offset table.
fn render_page(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = PAGE_HEADER.to_vec();
    out.extend((records.len() as u32).to_le_bytes());
    let mut at = 8 + 4 * records.len() + 4;
    for r in records {
        out.extend((at as u32).to_le_bytes());
        at += r.len();
    }
    out.extend([0, 0, 0, 0]);
    for r in records {
        out.extend(r);
    }
    out
}

/// A whole file holding `cookies` (one page per domain, first-seen order),
/// stamped `now`; session cookies get `now` as their expiry.
pub fn render_new(cookies: &[NewCookie], now: i64) -> Vec<u8> {
    let mut jar = BinaryCookies {
        pages: Vec::new(),
        tail: Vec::new(),
        cookies: Vec::new(),
        bytes: Vec::new(),
    };
    for c in cookies {
        let stored = c.where_sent().label();
        let record = new_record(c, &stored, now);
        let page = jar.pages.iter_mut().find(|p| {
            p.records.first().and_then(|r| record_string(r, 16)) == Some(stored.as_bytes())
        });
        match page {
            Some(p) => p.records.push(record),
            None => jar.pages.push(Page {
                raw: Vec::new(),
                records: vec![record],
                dirty: true,
            }),
        }
    }
    jar.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetCookie;

    fn new(name: &str, domain: &str, host_only: bool, t: i64) -> NewCookie {
        NewCookie {
            name: name.into(),
            value: format!("{name}-value"),
            domain: domain.into(),
            host_only,
            path: "/".into(),
            secure: name.starts_with('s'),
            http_only: name.ends_with('h'),
            same_site: SameSite::Unset,
            expiry: Expiry::At(t),
        }
    }

    fn sample() -> Vec<u8> {
        render_new(
            &[
                new("sid_h", "x.example", true, 2_000_000_000),
                new("_ga", "example", false, 2_100_000_000),
                new("theme", "x.example", true, 1_900_000_000),
            ],
            1_700_000_000,
        )
    }

    #[test]
    fn reads_what_it_writes_one_page_per_domain() {
        let bytes = sample();
        assert_eq!(&bytes[..8], b"cook\0\0\0\x02");
        let j = BinaryCookies::parse(&bytes).unwrap();
        let c = j.cookies();
        let names: Vec<&str> = c.iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, ["sid_h", "theme", "_ga"]);
        assert!(c[0].secure && c[0].http_only && c[0].host_only);
        assert_eq!(c[0].expiry, Expiry::At(2_000_000_000));
        assert_eq!((c[2].domain.as_ref(), c[2].host_only), ("example", false));
        assert_eq!(c[1].value, "theme-value");
        assert_eq!(j.to_bytes(), bytes);
        // The checksum: every 4th byte of each page, summed, big-endian.
        let pages_end = bytes.len() - 12 - DEFAULT_PLIST.len();
        let p1 = u32_be(&bytes, 8).unwrap() as usize;
        let sum2 = checksum(&bytes[16..16 + p1]) + checksum(&bytes[16 + p1..pages_end]);
        assert_eq!(u32_be(&bytes, pages_end), Some(sum2));
        // The footer, the plist's length (75, as Safari writes it) and the plist.
        assert_eq!(
            &bytes[pages_end + 4..pages_end + 12],
            b"\x07\x17\x20\x05\0\0\0\x4b"
        );
        assert!(bytes.ends_with(DEFAULT_PLIST));
    }

    #[test]
    fn edits_rebuild_only_their_page_and_keep_the_tail() {
        let mut bytes = sample();
        bytes.extend(b"bplist00-kept");
        let mut j = BinaryCookies::parse(&bytes).unwrap();
        j.apply(&Edits {
            remove: vec![CookieKey::Index(1)],
            set: Some(SetCookie::Replace {
                key: CookieKey::Index(2),
                value: "a much longer value than before".into(),
                expiry: Expiry::At(2_200_000_000),
            }),
        })
        .unwrap();
        let out = j.to_bytes();
        assert!(out.ends_with(b"bplist00-kept"));
        let again = BinaryCookies::parse(&out).unwrap();
        let c = again.cookies();
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[1].name.as_ref(), c[1].value.as_ref()),
            ("_ga", "a much longer value than before")
        );
        assert_eq!(c[1].expiry, Expiry::At(2_200_000_000));
        assert_eq!(c[0].name, "sid_h");
    }

    #[test]
    fn a_session_cookie_is_refused() {
        let mut j = BinaryCookies::parse(&sample()).unwrap();
        let mut n = new("p", "x.example", true, 0);
        n.expiry = Expiry::Session;
        let e = j.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Add(n)),
        });
        assert!(matches!(e, Err(EditError::Unwritable { .. })), "{e:?}");
        assert_eq!(j.to_bytes(), sample());
    }

    #[test]
    fn bad_files_name_the_byte() {
        let bytes = sample();
        let mut wrong_count = bytes.clone();
        wrong_count[4..8].copy_from_slice(&1000u32.to_be_bytes());
        let e = BinaryCookies::parse(&wrong_count).unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(e.message.contains("page count of 1000"), "{}", e.message);
        let e = BinaryCookies::parse(&bytes[..40]).unwrap_err();
        assert_eq!(e.offset, 8);
        assert!(e.message.contains("runs past the end"), "{}", e.message);
        let mut bad_offset = bytes.clone();
        bad_offset[16 + 8..16 + 12].copy_from_slice(&9999u32.to_le_bytes());
        let e = BinaryCookies::parse(&bad_offset).unwrap_err();
        assert_eq!(e.offset, 24);
        assert!(
            e.message.contains("past the end of its page"),
            "{}",
            e.message
        );
        assert!(BinaryCookies::parse(b"coo").is_err());
        // A page count one off moves the first page by 4 bytes.
        for wrong in [1u32, 3] {
            let mut count = bytes.clone();
            count[4..8].copy_from_slice(&wrong.to_be_bytes());
            let e = BinaryCookies::parse(&count).unwrap_err();
            assert_eq!(e.offset, 8 + 4 * wrong as usize);
            assert!(
                e.message.contains("is the page count at byte 4 right?"),
                "{}",
                e.message
            );
        }
        // Bytes after the pages that are no checksum and footer.
        let pages_end = bytes.len() - 12 - DEFAULT_PLIST.len();
        let mut junk = bytes[..pages_end].to_vec();
        junk.extend(b"00000000");
        let e = BinaryCookies::parse(&junk).unwrap_err();
        assert_eq!(e.offset, pages_end);
        assert!(e.message.contains("holds 8 other bytes"), "{}", e.message);
    }

    #[test]
    fn a_file_ending_after_its_pages_gets_a_checksum_footer_and_plist_when_edited() {
        let bytes = sample();
        let pages_end = bytes.len() - 12 - DEFAULT_PLIST.len();
        let mut j = BinaryCookies::parse(&bytes[..pages_end]).unwrap();
        assert_eq!(j.to_bytes(), &bytes[..pages_end], "kept as read");
        j.apply(&Edits {
            remove: vec![CookieKey::Index(0)],
            set: None,
        })
        .unwrap();
        let out = j.to_bytes();
        assert!(out.ends_with(DEFAULT_PLIST));
        assert_eq!(BinaryCookies::parse(&out).unwrap().cookies().len(), 2);
    }
}
