//! What every page reader produces: the page as a flat list of headings,
//! paragraphs and tables, each with the line it starts on, and the text
//! clean-up they share (typographic quotes and spaces made plain).

/// One piece of a page, in page order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading. `level` is 1–6 for real headings (`#`, `<h1>`…); a table
    /// caption is level 7, below every real heading.
    Heading {
        /// 1–6, or 7 for a caption.
        level: u8,
        /// The heading's text, cleaned.
        text: String,
        /// Link targets written in it (`<https://…>`, `href`).
        links: Vec<String>,
        /// One-based line it starts on.
        line: usize,
    },
    /// A paragraph (or list item).
    Paragraph {
        /// The text, cleaned; wrapped lines joined by a space.
        text: String,
        /// Link targets written in it.
        links: Vec<String>,
        /// How many source lines it spans (a one-line paragraph may be a
        /// heading in a rendering without heading markup).
        lines: usize,
        /// One-based line it starts on.
        line: usize,
    },
    /// A table: its rows in order, the header (if any) among them.
    Table {
        /// The rows.
        rows: Vec<Row>,
        /// One-based line it starts on.
        line: usize,
    },
}

/// One table row: its cells, cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cells, left to right.
    pub cells: Vec<String>,
    /// One-based line the row starts on.
    pub line: usize,
}

/// Makes text plain: typographic quotes and apostrophes become ASCII ones
/// (`“Necessary”` → `"Necessary"`, `« Nécessaires »` → `"Nécessaires"`),
/// no-break and other odd spaces become spaces, runs of white space one
/// space, and the ends are trimmed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{00AB}' => {
                // French opening guillemet: the space after it belongs to it.
                while chars.peek().is_some_and(|c| is_space(*c)) {
                    chars.next();
                }
                '"'
            }
            '\u{00BB}' => {
                // French closing guillemet: so does the space before it.
                space = false;
                '"'
            }
            '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => continue,
            c if is_space(c) => {
                space = true;
                continue;
            }
            c => c,
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// White space, including no-break and thin spaces (French typography puts
/// them before `:` and inside guillemets).
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}')
}

/// Lower case without accents, for matching words in either language
/// (`Finalité` → `finalite`, `Nécessaires` → `necessaires`).
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ÿ' | 'ý' => 'y',
            c => c,
        })
        .collect()
}

/// The folded words of `text`: runs of letters and digits (`Cookie name(s)`
/// → `cookie`, `name`, `s`).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_spaces_become_plain() {
        assert_eq!(
            clean("\u{201C}Necessary\u{201D} internal cookies \u{2014} the user\u{2019}s"),
            "\"Necessary\" internal cookies \u{2014} the user's"
        );
        assert_eq!(
            clean("\u{00AB}\u{00A0}N\u{00E9}cessaires\u{00A0}\u{00BB} cookies\u{202F}:"),
            "\"N\u{00E9}cessaires\" cookies :"
        );
        assert_eq!(clean("  a \t\n b  "), "a b");
        assert_eq!(clean("co\u{00AD}okie"), "cookie");
    }

    #[test]
    fn folding_and_words() {
        assert_eq!(fold("Finalit\u{00E9}s"), "finalites");
        assert_eq!(words("Cookie name(s)"), ["cookie", "name", "s"]);
        assert_eq!(words("Nom du cookie"), ["nom", "du", "cookie"]);
        assert_eq!(
            words("Service provider's name"),
            ["service", "provider", "s", "name"]
        );
    }
}
