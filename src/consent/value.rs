//! Encode and decode the `cookies_preferences` value (DESIGN §6).

use time::OffsetDateTime;

/// A consent as crumbs writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentValue {
    /// Format version; 1.
    pub v: u32,
    /// The site (host) it was given for.
    pub site: String,
    /// The policy revision.
    pub policy: String,
    /// The policy hash (`sha256:...`).
    pub hash: String,
    /// A uuid v4 naming this consent.
    pub id: String,
    /// When it was given.
    pub given: OffsetDateTime,
    /// When it lapses.
    pub expires: OffsetDateTime,
    /// Category id → granted, in the policy's order.
    pub categories: Vec<(String, bool)>,
}

/// Why a value could not be read as a crumbs consent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unrecognised cookies_preferences value: {0}")]
pub struct DecodeError(pub String);

impl ConsentValue {
    /// The percent-encoded cookie value.
    pub fn encode(&self) -> String {
        todo!("consent helper")
    }

    /// Reads a cookie value; never panics.
    pub fn decode(raw: &str) -> Result<ConsentValue, DecodeError> {
        let _ = raw;
        todo!("consent helper")
    }
}
