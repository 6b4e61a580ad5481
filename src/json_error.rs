//! The one way crumbs tells people what is wrong with a JSON document (a
//! policy, a jar, a consent value): serde_json's error with its position
//! kept apart, its wording made plain, and no string from the document in
//! it (a jar's strings may be cookie values). A leaf: it imports nothing of
//! crumbs.

pub use serde_json::error::Category;

/// A serde_json error made readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// One-based line (at least 1).
    pub line: usize,
    /// One-based column; 0 when serde_json gave none.
    pub column: usize,
    /// What kind of error: bad syntax, a cut-short document, or content of
    /// the wrong shape.
    pub category: Category,
    /// What went wrong, without the position (see [`JsonError::private`]).
    pub detail: String,
}

impl JsonError {
    /// Humanises `e`, an error from parsing `text`: a trailing comma is
    /// pointed at (serde_json points at the bracket after it) and said so,
    /// like trailing characters and a document cut short.
    pub fn new(e: &serde_json::Error, text: &[u8]) -> JsonError {
        let mut detail = e.to_string();
        if let Some(at) = detail.rfind(" at line ") {
            detail.truncate(at);
        }
        let (mut line, mut column) = (e.line().max(1), e.column());
        if detail == "trailing comma" {
            if let Some(at) = trailing_comma_offset(text, e.line(), e.column()) {
                (line, column) = line_column(text, at);
            }
            detail = "trailing comma; expected another value after it, or no comma".into();
        } else if detail == "trailing characters" {
            detail = "trailing characters; expected the end of the document".into();
        } else if let Some(rest) = detail.strip_prefix("EOF while parsing") {
            detail =
                format!("unexpected end of file while parsing{rest}; the document is cut short");
        }
        JsonError {
            line,
            column,
            category: e.classify(),
            detail,
        }
    }

    /// The detail for a document that holds cookie values: no quoted
    /// string of the input, and no list of the fields that were expected.
    pub fn private(&self) -> String {
        let mut detail = redact(&self.detail);
        // "unknown field `x`, expected one of `v`, ...": the list is noise.
        if let Some(i) = detail.find(", expected one of ") {
            detail.truncate(i);
        }
        detail
    }

    /// The kind of error in a few words: `invalid JSON`, `the JSON ends too
    /// early`, `unexpected JSON content`, `could not read the JSON`.
    pub fn summary(&self) -> &'static str {
        match self.category {
            Category::Syntax => "invalid JSON",
            Category::Eof => "the JSON ends too early",
            Category::Data => "unexpected JSON content",
            Category::Io => "could not read the JSON",
        }
    }

    /// ` (column C)`, or nothing when the column is unknown.
    pub fn at_column(&self) -> String {
        if self.column > 0 {
            format!(" (column {})", self.column)
        } else {
            String::new()
        }
    }
}

/// serde_json's own form, `DETAIL at line L column C`, with the detail
/// made private (see [`JsonError::private`]): for messages that quote it.
impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {}", self.private(), self.line)?;
        if self.column > 0 {
            write!(f, " column {}", self.column)?;
        }
        Ok(())
    }
}

/// The byte offset of the comma before the closing bracket serde_json
/// reported at (`line`, `column`), when only whitespace separates them.
fn trailing_comma_offset(text: &[u8], line: usize, column: usize) -> Option<usize> {
    let line_start = match line {
        0 => return None,
        1 => 0,
        n => {
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .nth(n - 2)?
                .0
                + 1
        }
    };
    let bracket = line_start + column.checked_sub(1)?;
    if !matches!(text.get(bracket), Some(b']' | b'}')) {
        return None;
    }
    let before = &text[..bracket];
    let comma = before.iter().rposition(|b| !b.is_ascii_whitespace())?;
    (before[comma] == b',').then_some(comma)
}

/// The one-based line and column (in characters) of byte offset `pos`.
pub(crate) fn line_column(text: &[u8], pos: usize) -> (usize, usize) {
    let before = &text[..pos.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let chars = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, chars + 1)
}

/// Drops every double-quoted string (serde quotes the offending input that
/// way) and the space before it.
fn redact(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        let mut escaped = false;
        for c in chars.by_ref() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                break;
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> JsonError {
        let e = serde_json::from_str::<serde_json::Value>(text).expect_err("bad JSON");
        JsonError::new(&e, text.as_bytes())
    }

    #[test]
    fn position_apart_and_plain_words() {
        let e = err("{\n  \"a\": 1,\n}");
        assert_eq!((e.line, e.column), (2, 9));
        assert_eq!(
            e.detail,
            "trailing comma; expected another value after it, or no comma"
        );
        assert_eq!(e.summary(), "invalid JSON");
        let e = err("{\"a\": [1, 2");
        assert_eq!(e.category, Category::Eof);
        assert_eq!(e.summary(), "the JSON ends too early");
        assert_eq!(
            e.detail,
            "unexpected end of file while parsing a list; the document is cut short"
        );
        let e = err("{} x");
        assert_eq!(
            e.detail,
            "trailing characters; expected the end of the document"
        );
        assert_eq!(e.at_column(), " (column 4)");
    }

    #[test]
    fn trailing_comma_points_at_the_comma() {
        let text = b"{\n  \"a\": [1,\n  ]\n}";
        assert_eq!(trailing_comma_offset(text, 3, 3), Some(11));
        assert_eq!(trailing_comma_offset(text, 3, 2), None);
        assert_eq!(trailing_comma_offset(text, 9, 1), None);
        assert_eq!(trailing_comma_offset(text, 0, 1), None);
    }

    #[test]
    fn redact_drops_quoted_strings() {
        assert_eq!(
            redact(r#"invalid value: string "a=\"b\"; x", expected a cookie string"#),
            "invalid value: string, expected a cookie string"
        );
        assert_eq!(redact("missing field `domain`"), "missing field `domain`");
    }

    #[test]
    fn never_repeats_a_string_of_the_document() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)] // Only its refusal is looked at.
        struct S {
            n: u8,
            o: u8,
            p: u8,
        }
        let text = r#"{"n": "secret=\"v\""}"#;
        let e = serde_json::from_str::<S>(text).expect_err("a string");
        let h = JsonError::new(&e, text.as_bytes());
        assert_eq!(h.category, Category::Data);
        assert_eq!(h.private(), "invalid type: string, expected u8");
        assert_eq!(
            h.to_string(),
            "invalid type: string, expected u8 at line 1 column 20"
        );
        assert!(h.detail.contains("secret"), "{}", h.detail);
        let text = r#"{"m": 1}"#;
        let e = serde_json::from_str::<S>(text).expect_err("unknown");
        let h = JsonError::new(&e, text.as_bytes());
        assert_eq!(h.private(), "unknown field `m`");
        assert!(h.detail.starts_with("unknown field `m`, expected one of"));
    }
}
