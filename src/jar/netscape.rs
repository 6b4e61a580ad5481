//! Netscape cookies.txt, kept byte for byte.

use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits};

/// A parsed cookies.txt: the original bytes, its lines, and the cookies.
#[derive(Debug, Clone)]
pub struct NetscapeJar {
    cookies: Vec<Cookie>,
}

impl NetscapeJar {
    /// Parses the file; malformed cookie lines fail unless `lenient`.
    pub fn parse(bytes: Vec<u8>, lenient: bool) -> Result<Self, ParseError> {
        let _ = (bytes, lenient);
        todo!("jar helper")
    }

    /// The cookies, in file order.
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// Applies edits; on an unknown key returns it.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), CookieKey> {
        let _ = edits;
        todo!("jar helper")
    }

    /// Serialises: untouched lines byte for byte.
    pub fn to_bytes(&self) -> Vec<u8> {
        todo!("jar helper")
    }
}
