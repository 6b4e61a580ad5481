//! Consent: the `cookies_preferences` value, which consent applies, the saved records.

pub mod alongside;
pub mod grants;
pub mod resolve;
pub mod store;
pub mod value;

pub use grants::Grants;
pub use resolve::{Choice, ChoiceError, Resolved, Source, State, resolve, same_choice};
pub use store::{StoreError, append_log, list_records, load_record, remove_record, save_record};
pub use value::{ConsentValue, DecodeError};
