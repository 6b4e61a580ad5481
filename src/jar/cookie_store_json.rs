//! cookie_store JSON (array, or the older one object per line).

use crate::jar::ParseError;
use crate::model::{Cookie, CookieKey, Edits};

/// A cookie_store jar and the form it was read in.
#[derive(Debug, Clone)]
pub struct StoreJar {
    cookies: Vec<Cookie>,
}

impl StoreJar {
    /// Parses the file; errors name the line.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let _ = bytes;
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

    /// Serialises: in the form that was read.
    pub fn to_bytes(&self) -> Vec<u8> {
        todo!("jar helper")
    }
}
