//! The line-based renderings of a policy page: the plain text of a PDF or of
//! a browser's "save as text", and Markdown.
//!
//! Both lay tables out as one row per line with TAB-separated cells. The PDF
//! text wraps long cells: the rest of a row comes on the following lines,
//! which start with a TAB and hold the continuation of each cell in its
//! column. Blank lines may stray into a table (page breaks); a table goes on
//! until a line that is neither blank nor a row. Markdown adds `#` headings,
//! `|` pipe tables, `<https://…>` and `[text](url)` links, `**bold**`,
//! `` `code` `` and backslash escapes, which are read and made plain.

use super::blocks::{Block, Row, clean};

/// Splits a text page into blocks. The second value is true when Markdown
/// markup (a `#` heading or a pipe table) was seen.
pub fn read(text: &str) -> (Vec<Block>, bool) {
    let mut r = Reader::default();
    for (i, line) in text.lines().enumerate() {
        r.line(line.trim_end_matches('\r'), i + 1);
    }
    r.flush_paragraph();
    r.flush_table();
    (r.blocks, r.markdown)
}

/// Which kind of table is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    /// TAB-separated rows (with TAB-led continuation lines).
    Tab,
    /// Markdown `| a | b |` rows.
    Pipe,
}

/// The reader's state between lines.
#[derive(Debug, Default)]
struct Reader {
    /// Blocks finished so far.
    blocks: Vec<Block>,
    /// The paragraph being gathered: first line, its lines.
    paragraph: Option<(usize, Vec<String>)>,
    /// The table being gathered: kind, first line, rows (cells still raw).
    table: Option<(TableKind, usize, Vec<Row>)>,
    /// Markdown markup was seen.
    markdown: bool,
}

impl Reader {
    /// Takes one line (without its end of line) and its one-based number.
    fn line(&mut self, line: &str, n: usize) {
        if line.trim().is_empty() {
            // Ends a paragraph; a table may go on after stray blank lines.
            self.flush_paragraph();
            return;
        }
        if let Some(cells) = pipe_cells(line) {
            self.markdown = true;
            self.flush_paragraph();
            if !matches!(self.table, Some((TableKind::Pipe, ..))) {
                self.flush_table();
                self.table = Some((TableKind::Pipe, n, Vec::new()));
            }
            if !is_separator(&cells) {
                self.push_row(cells, n);
            }
            return;
        }
        if line.contains('\t') {
            self.flush_paragraph();
            let cells: Vec<String> = line.split('\t').map(str::to_string).collect();
            match &mut self.table {
                Some((TableKind::Tab, _, rows)) if line.starts_with('\t') && !rows.is_empty() => {
                    if let Some(last) = rows.last_mut() {
                        continue_row(last, &cells);
                    }
                }
                Some((TableKind::Tab, ..)) => self.push_row(cells, n),
                _ => {
                    self.flush_table();
                    self.table = Some((TableKind::Tab, n, Vec::new()));
                    self.push_row(cells, n);
                }
            }
            return;
        }
        self.flush_table();
        if let Some((level, text)) = atx_heading(line) {
            self.markdown = true;
            self.flush_paragraph();
            let (text, links) = inline(text);
            self.blocks.push(Block::Heading {
                level,
                text,
                links,
                line: n,
            });
            return;
        }
        if let Some(item) = list_item(line) {
            self.flush_paragraph();
            self.paragraph = Some((n, vec![item.to_string()]));
            return;
        }
        match &mut self.paragraph {
            Some((_, lines)) => lines.push(line.to_string()),
            None => self.paragraph = Some((n, vec![line.to_string()])),
        }
    }

    /// Adds a row to the open table.
    fn push_row(&mut self, cells: Vec<String>, line: usize) {
        if let Some((_, _, rows)) = &mut self.table {
            rows.push(Row { cells, line });
        }
    }

    /// Ends the open paragraph, if any.
    fn flush_paragraph(&mut self) {
        if let Some((line, lines)) = self.paragraph.take() {
            let (text, links) = inline(&lines.join(" "));
            if !text.is_empty() {
                self.blocks.push(Block::Paragraph {
                    text,
                    links,
                    lines: lines.len(),
                    line,
                });
            }
        }
    }

    /// Ends the open table, if any, cleaning its cells.
    fn flush_table(&mut self) {
        if let Some((_, line, rows)) = self.table.take() {
            let rows = rows
                .into_iter()
                .map(|r| Row {
                    cells: r.cells.iter().map(|c| inline(c).0).collect(),
                    line: r.line,
                })
                .collect();
            self.blocks.push(Block::Table { rows, line });
        }
    }
}

/// Appends a continuation line's cells to the row they continue, column by column.
fn continue_row(row: &mut Row, more: &[String]) {
    for (i, piece) in more.iter().enumerate() {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        while row.cells.len() <= i {
            row.cells.push(String::new());
        }
        let cell = &mut row.cells[i];
        if !cell.trim().is_empty() {
            cell.push(' ');
        }
        cell.push_str(piece);
    }
}

/// A Markdown ATX heading (`### Title`, closing `#`s dropped): level and text.
fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let t = line.trim_start();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some((hashes as u8, text))
}

/// The text of a list item (`- a`, `* a`, `+ a`, `• a`, `1. a`, `1) a`), if the line is one.
fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for marker in ["- ", "* ", "+ ", "\u{2022} ", "\u{2013} "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(rest);
        }
    }
    None
}

/// The cells of a Markdown pipe-table line (`| a | b |`), if it is one.
fn pipe_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !t.starts_with('|') || t.len() < 2 {
        return None;
    }
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = t[1..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    if !cell.trim().is_empty() {
        cells.push(cell);
    }
    if cells.is_empty() {
        return None;
    }
    Some(cells.into_iter().map(|c| c.trim().to_string()).collect())
}

/// True for a pipe table's `|---|:---:|` line.
fn is_separator(cells: &[String]) -> bool {
    cells.iter().all(|c| {
        let c = c.trim();
        let inner = c.trim_start_matches(':').trim_end_matches(':');
        !inner.is_empty() && inner.bytes().all(|b| b == b'-')
    })
}

/// Reads Markdown inline markup and makes the text plain: links keep their
/// text (their targets are returned), `<https://…>` keeps the address,
/// `**`, backticks and `<br>` go, `\x` escapes become `x`. Then [`clean`].
fn inline(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        match c {
            '\\' => match rest[1..].chars().next() {
                Some(p) if p.is_ascii_punctuation() => {
                    out.push(p);
                    rest = &rest[1 + p.len_utf8()..];
                }
                _ => {
                    out.push('\\');
                    rest = &rest[1..];
                }
            },
            '<' => {
                if let Some(end) = rest.find('>') {
                    let inside = &rest[1..end];
                    if inside.starts_with("http://") || inside.starts_with("https://") {
                        out.push_str(inside);
                        links.push(inside.to_string());
                        rest = &rest[end + 1..];
                        continue;
                    }
                    let tag = inside.trim_end_matches('/').trim().to_ascii_lowercase();
                    if tag == "br" {
                        out.push(' ');
                        rest = &rest[end + 1..];
                        continue;
                    }
                }
                out.push('<');
                rest = &rest[1..];
            }
            '[' | '!' if link_at(rest).is_some() => {
                if let Some((label, url, used)) = link_at(rest) {
                    out.push_str(label);
                    links.push(url.to_string());
                    rest = &rest[used..];
                }
            }
            '*' if rest.starts_with("**") => rest = &rest[2..],
            '`' => rest = &rest[1..],
            c => {
                out.push(c);
                rest = &rest[len..];
            }
        }
    }
    (clean(&out), links)
}

/// A Markdown link or image at the start of `s` (`[text](url)`, `![alt](src)`):
/// its text, its target, and the bytes it spans.
fn link_at(s: &str) -> Option<(&str, &str, usize)> {
    let skip = usize::from(s.starts_with('!'));
    let body = s[skip..].strip_prefix('[')?;
    let close = body.find(']')?;
    let after = body[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let url = after[..end].split_whitespace().next().unwrap_or("");
    let used = skip + 1 + close + 1 + 1 + end + 1;
    Some((&body[..close], url, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(blocks: &[Block]) -> Vec<Vec<String>> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table { rows, .. } => Some(rows.iter().map(|r| r.cells.clone())),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn wrapped_cells_join_their_column_across_blank_lines() {
        let page = "Heading\n\nA\tB\tC\nx\ty one\tz\n\ty two\tz2\n\n\n\nu\tv\tw\nafter\n";
        let (blocks, md) = read(page);
        assert!(!md);
        assert_eq!(
            rows(&blocks),
            [
                vec!["A", "B", "C"],
                vec!["x", "y one y two", "z z2"],
                vec!["u", "v", "w"]
            ]
        );
        let lines: Vec<usize> = match &blocks[1] {
            Block::Table { rows, line } => {
                assert_eq!(*line, 3);
                rows.iter().map(|r| r.line).collect()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(lines, [3, 4, 9]);
        assert!(matches!(&blocks[2], Block::Paragraph { text, line: 10, .. } if text == "after"));
    }

    #[test]
    fn markdown_headings_links_and_pipe_tables() {
        let page = "## Title ##\n\n### On the <https://a.example> platform\n\n\
                    | Name | **Purpose** |\n|---|:--:|\n| `_ga`, \\_gid | see [docs](https://d.example) |\n";
        let (blocks, md) = read(page);
        assert!(md);
        assert!(matches!(&blocks[0], Block::Heading { level: 2, text, .. } if text == "Title"));
        match &blocks[1] {
            Block::Heading {
                level: 3,
                text,
                links,
                line: 3,
            } => {
                assert_eq!(text, "On the https://a.example platform");
                assert_eq!(links, &["https://a.example"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            rows(&blocks),
            [vec!["Name", "Purpose"], vec!["_ga, _gid", "see docs"]]
        );
    }

    #[test]
    fn paragraphs_join_lines_and_list_items_stand_alone() {
        let (blocks, _) = read("one\ntwo\n- item a\n- item b\n");
        let texts: Vec<(&str, usize)> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { text, lines, .. } => (text.as_str(), *lines),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, [("one two", 2), ("item a", 1), ("item b", 1)]);
    }
}
