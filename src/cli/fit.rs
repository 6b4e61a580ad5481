//! Text reports on a terminal: rows fit its width (piped output keeps full
//! rows, for grep and scripts), and the action is coloured — never colour
//! alone, the word is there too; `NO_COLOR` turns it off.

use std::io::IsTerminal as _;

use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

pub use crumbs::human::cut;

/// How standard output shows text reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// The columns to fill (the terminal's width less one); `None` when
    /// stdout is not a terminal (full rows).
    pub width: Option<usize>,
    /// Whether to colour (a terminal, and `NO_COLOR` unset or empty).
    pub color: bool,
}

/// The shortest width rows are fitted to: narrower terminals wrap.
const MIN_WIDTH: usize = 40;

impl Style {
    /// The style for standard output as it is now.
    pub fn for_stdout() -> Style {
        if !std::io::stdout().is_terminal() {
            return Style::default();
        }
        let width = ratatui::crossterm::terminal::size()
            .ok()
            // The last column stays empty: some terminals wrap a full line.
            .map(|(cols, _)| usize::from(cols).saturating_sub(1).max(MIN_WIDTH));
        Style {
            width,
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// `word` in the SGR colour `code` (`31` red...) when colouring.
    pub fn paint(&self, word: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{word}\x1b[0m")
        } else {
            word.to_string()
        }
    }

    /// `text` in lines of at most the width, later lines indented by
    /// `indent` spaces; the text as one line when there is no width.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        match self.width {
            Some(w) => wrap(text, indent, w),
            None => text.to_string(),
        }
    }
}

/// `text` cut to `width` columns, padded with spaces to exactly `width`.
pub fn pad(text: &str, width: usize) -> String {
    let mut s = cut(text, width);
    let w = s.width();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

/// Word-wraps `text` to `width` columns, continuation lines indented by
/// `indent`; a word longer than a line is broken where the line ends.
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    // The text's own leading spaces stay as they are.
    let body = text.trim_start_matches(' ');
    let mut out = " ".repeat(text.len() - body.len());
    let mut line_w = out.len();
    let start = line_w;
    let new_line = |out: &mut String| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
        indent
    };
    for word in body.split(' ') {
        if line_w > indent && line_w + 1 + word.width() > width {
            line_w = new_line(&mut out);
        } else if out.len() > start {
            out.push(' ');
            line_w += 1;
        }
        for ch in word.chars() {
            let cw = ch.width().unwrap_or(0);
            if line_w + cw > width && line_w > indent {
                line_w = new_line(&mut out);
            }
            out.push(ch);
            line_w += cw;
        }
    }
    out
}

/// Widths of the name, domain and path columns of a `list` row on a
/// terminal of `width` columns, given the widest of each (`natural`): the
/// path shrinks first, then the name gives the domain three fifths of what is left.
pub fn list_columns(width: usize, natural: [usize; 3]) -> [usize; 3] {
    // "  remove  ", three separators, the expiry (10), a space, and
    // "(undeclared)" with room for the cut flags' "…" after it.
    let budget = width.saturating_sub(10 + 3 + 10 + 1 + 14);
    let [name, domain, path] = natural.map(|n| n.max(1));
    if name + domain + path <= budget {
        return [name, domain, path];
    }
    let path = path.min(8);
    let rest = budget.saturating_sub(path).max(8);
    if name + domain <= rest {
        return [name, domain, path];
    }
    let name = name.min((rest * 2 / 5).max(rest.saturating_sub(domain)));
    let domain = domain.min(rest - name).max(4);
    [name, domain, path]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_and_pad_count_columns() {
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("ééééé", 4), "ééé…");
    }

    #[test]
    fn wrap_breaks_at_words_with_a_hanging_indent() {
        assert_eq!(wrap("aaa bbb ccc", 2, 7), "aaa bbb\n  ccc");
        assert_eq!(wrap("abcdefghij", 2, 6), "abcdef\n  ghij");
        assert_eq!(wrap("one", 4, 80), "one");
        assert_eq!(wrap("    a b c", 4, 7), "    a b\n    c");
    }

    #[test]
    fn columns_fit_eighty() {
        assert_eq!(list_columns(200, [19, 30, 12]), [19, 30, 12]);
        assert_eq!(list_columns(80, [19, 30, 12]), [13, 21, 8]);
        assert_eq!(list_columns(80, [9, 30, 1]), [9, 30, 1]);
        assert_eq!(list_columns(80, [30, 10, 1]), [30, 10, 1]);
        assert_eq!(list_columns(80, [40, 40, 1]), [16, 25, 1]);
    }
}
