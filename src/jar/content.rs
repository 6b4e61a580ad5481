//! A text file's bytes, held as a `String` when they are UTF-8 (nearly
//! always): a field of it is then sliced as text without being validated
//! again. Validating the fields of a million cookies one by one, on every
//! pass over the jar, was a tenth of `crumbs check`.

use std::borrow::Cow;
use std::ops::Range;

/// The bytes of a file, as text when they are UTF-8.
#[derive(Debug, Clone)]
pub enum Content {
    /// Valid UTF-8 (validated once, when held).
    Text(String),
    /// Anything else: fields are validated (or made lossy) one by one.
    Raw(Vec<u8>),
}

impl Default for Content {
    fn default() -> Content {
        Content::Text(String::new())
    }
}

impl Content {
    /// Holds `bytes`, as text when they are UTF-8.
    pub fn new(bytes: Vec<u8>) -> Content {
        match String::from_utf8(bytes) {
            Ok(text) => Content::Text(text),
            Err(e) => Content::Raw(e.into_bytes()),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Content::Text(t) => t.as_bytes(),
            Content::Raw(b) => b,
        }
    }

    /// Takes the bytes out, leaving the content empty.
    pub fn take(&mut self) -> Vec<u8> {
        match std::mem::take(self) {
            Content::Text(t) => t.into_bytes(),
            Content::Raw(b) => b,
        }
    }

    /// The bytes at `range` as text: borrowed when they are UTF-8, else with
    /// U+FFFD for the bad bytes.
    pub fn text(&self, range: Range<usize>) -> Cow<'_, str> {
        match self {
            Content::Text(t) => match t.get(range.clone()) {
                Some(s) => Cow::Borrowed(s),
                // A range cutting a character (not one of a TAB-separated field).
                None => String::from_utf8_lossy(&t.as_bytes()[range]),
            },
            Content::Raw(b) => text(&b[range]),
        }
    }
}

/// Bytes as text: borrowed when they are UTF-8 (the common case, checked by
/// the fast validator), else with U+FFFD for the bad bytes.
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_held_as_text_and_anything_else_as_bytes() {
        let c = Content::new(b"a\tb\xc3\xa9".to_vec());
        assert!(matches!(c, Content::Text(_)));
        assert_eq!(c.text(2..5), Cow::<str>::Borrowed("bé"));
        let c = Content::new(b"a\t\xff".to_vec());
        assert!(matches!(c, Content::Raw(_)));
        assert_eq!(c.text(0..1), "a");
        assert_eq!(c.text(2..3), "\u{fffd}");
        assert_eq!(c.bytes(), b"a\t\xff");
    }

    #[test]
    fn a_range_cutting_a_character_is_lossy_not_a_panic() {
        let c = Content::new("é".as_bytes().to_vec());
        assert_eq!(c.text(0..1), "\u{fffd}");
    }

    #[test]
    fn take_leaves_it_empty() {
        let mut c = Content::new(b"abc".to_vec());
        assert_eq!(c.take(), b"abc");
        assert!(c.bytes().is_empty());
    }
}
