//! Format detection by content.

/// What a file looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A Netscape cookies.txt (or something that should be parsed as one).
    Netscape,
    /// cookie_store JSON (array or one object per line).
    CookieStoreJson,
    /// Not a supported jar; says what it looks like.
    Unsupported(String),
}

/// Guesses the format of jar content.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let _ = bytes;
    todo!("jar helper")
}
