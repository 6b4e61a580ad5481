//! Consent: the `cookies_preferences` value, which consent applies, the saved records.

pub mod resolve;
pub mod store;
pub mod value;
