//! Finds where a field path (`cookies[2].category`) sits in JSON text, so a
//! validation error can name the line. Only called on text serde_json already
//! accepted, so the scanner assumes well-formed JSON and gives up (None) otherwise.

use crate::json_error::line_column;

/// One step of a field path.
#[derive(Debug, PartialEq, Eq)]
enum Step<'p> {
    /// An object member.
    Key(&'p str),
    /// An array element.
    Index(usize),
}

/// The one-based line and column where the value at `path` starts in `text`.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let steps = parse_path(path)?;
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let pos = scanner.find(&steps)?;
    Some(line_column(text.as_bytes(), pos))
}

/// Splits `a.b[2].c` into steps; an empty path is the whole document.
fn parse_path(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    if path.is_empty() {
        return Some(steps);
    }
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let (index, after) = inner.split_once(']')?;
            steps.push(Step::Index(index.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// A forward-only reader over JSON bytes.
struct Scanner<'t> {
    /// The text.
    bytes: &'t [u8],
    /// The current byte offset.
    pos: usize,
}

impl Scanner<'_> {
    /// The byte at the cursor.
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips JSON whitespace.
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails.
    fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// From a value's start, the offset of the value that `steps` lead to.
    fn find(&mut self, steps: &[Step<'_>]) -> Option<usize> {
        self.ws();
        let Some((step, rest)) = steps.split_first() else {
            return Some(self.pos);
        };
        match step {
            Step::Key(wanted) => {
                self.eat(b'{')?;
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.eat(b':')?;
                    if key == *wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.eat(b',')?;
                }
            }
            Step::Index(wanted) => {
                self.eat(b'[')?;
                for _ in 0..*wanted {
                    self.skip_value()?;
                    self.eat(b',')?;
                }
                self.find(rest)
            }
        }
    }

    /// Reads a string at the cursor, decoding escapes.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let b = self.peek()?;
            self.pos += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    let decoded = match e {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => {
                            let hex = self.bytes.get(self.pos..self.pos + 4)?;
                            self.pos += 4;
                            let code =
                                u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        other => char::from(other),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(decoded.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(b),
            }
        }
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                self.ws();
                if self.peek() == Some(close) {
                    self.pos += 1;
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.ws();
                        self.string()?;
                        self.eat(b':')?;
                    }
                    self.skip_value()?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b if b == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "name": "x",
  "nested": {"a\"b": [1, {"k": []}], "skip": [{"x": "]}"}, 2.5e3, true, null]},
  "list": [
    {"category": "a", "names": ["n1", "n2"]},
    {"names": [], "category": "b"}
  ]
}"#;

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("cookies[2].names[0]"),
            Some(vec![
                Step::Key("cookies"),
                Step::Index(2),
                Step::Key("names"),
                Step::Index(0)
            ])
        );
        assert_eq!(parse_path(""), Some(vec![]));
        assert_eq!(parse_path("a[x]"), None);
        assert_eq!(parse_path("a[1]b"), None);
    }

    #[test]
    fn finds_values() {
        assert_eq!(locate(DOC, ""), Some((1, 1)));
        assert_eq!(locate(DOC, "name"), Some((2, 11)));
        assert_eq!(locate(DOC, "list[1].category"), Some((6, 31)));
        assert_eq!(locate(DOC, "list[0].names[1]"), Some((5, 39)));
        assert_eq!(locate(DOC, "list[1]"), Some((6, 5)));
        assert_eq!(locate(DOC, "nested.a\"b[1].k"), Some((3, 32)));
    }

    #[test]
    fn missing_paths_are_none() {
        assert_eq!(locate(DOC, "absent"), None);
        assert_eq!(locate(DOC, "list[5]"), None);
        assert_eq!(locate(DOC, "name[0]"), None);
        assert_eq!(locate("not json", "a"), None);
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("é\nab".as_bytes(), 4), (2, 2));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }
}
