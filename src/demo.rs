//! The embedded demo jar, opened by `crumbs` with no JAR (as a temporary copy).

/// The demo jar's content: a cookies.txt written by curl (see tests/fixtures).
pub const JAR: &str = include_str!("../assets/demo/cookies.txt");
