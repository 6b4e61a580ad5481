//! Which consent applies: flags, the jar's cookie, the saved record, or the default.
