//! The plan: which cookies to keep, which to remove and why, and the preferences cookie to write.
