//! A policy page saved as HTML, parsed by html5ever (the HTML parser of the
//! Servo browser engine) into a small arena that keeps each node's source
//! line, then walked into blocks: `<h1>`–`<h6>` headings, paragraphs (text of
//! block elements such as `<p>`, `<li>`, `<div>`), and `<table>`s whose rows
//! are their `<tr>`s with `<th>`/`<td>` cells. Scripts, styles and forms are
//! left out.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, Namespace, QualName, local_name, ns};

use super::blocks::{Block, Row, clean};

/// Parses an HTML page into blocks.
pub fn read(html: &str) -> Vec<Block> {
    let sink = Sink::default();
    let dom = html5ever::parse_document(sink, Default::default()).one(html);
    let mut w = Walker {
        nodes: dom.nodes.into_inner(),
        blocks: Vec::new(),
        buffer: String::new(),
        links: Vec::new(),
        buffer_line: 0,
    };
    w.walk(0);
    w.flush();
    w.blocks
}

/// What a node is.
#[derive(Debug)]
enum Data {
    /// The document (or a template's contents).
    Document,
    /// An element: its name and `href`, if any.
    Element {
        /// Qualified name.
        name: QualName,
        /// The `href` attribute.
        href: Option<String>,
        /// A `<template>`'s contents node.
        template: Option<usize>,
    },
    /// Text.
    Text(String),
    /// A comment, doctype or processing instruction.
    Other,
}

/// One node of the arena.
#[derive(Debug)]
struct Node {
    /// The parent, when attached.
    parent: Option<usize>,
    /// The children, in order.
    children: Vec<usize>,
    /// What it is.
    data: Data,
    /// The source line the parser was on when it made the node.
    line: usize,
}

/// The tree builder's sink: nodes in a vector, handles are indexes.
#[derive(Debug)]
struct Sink {
    /// Every node; 0 is the document.
    nodes: RefCell<Vec<Node>>,
    /// The parser's current source line.
    line: Cell<u64>,
}

impl Default for Sink {
    fn default() -> Sink {
        Sink {
            nodes: RefCell::new(vec![Node {
                parent: None,
                children: Vec::new(),
                data: Data::Document,
                line: 1,
            }]),
            line: Cell::new(1),
        }
    }
}

/// An element's name, owned (the arena is behind a `RefCell`).
#[derive(Debug)]
struct Name(QualName);

impl html5ever::tree_builder::ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    /// Adds a detached node.
    fn new_node(&self, data: Data) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            data,
            line: usize::try_from(self.line.get()).unwrap_or(usize::MAX),
        });
        nodes.len() - 1
    }

    /// Detaches `node` from its parent.
    fn detach(&self, node: usize) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(parent) = nodes[node].parent.take() {
            nodes[parent].children.retain(|&c| c != node);
        }
    }

    /// Inserts `child` into `parent`'s children at `at`, merging text with the
    /// text node before it.
    fn insert(&self, parent: usize, at: usize, child: NodeOrText<usize>) {
        let node = match child {
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                if let Some(&prev) = at
                    .checked_sub(1)
                    .and_then(|i| nodes[parent].children.get(i))
                    && let Data::Text(t) = &mut nodes[prev].data
                {
                    t.push_str(&text);
                    return;
                }
                drop(nodes);
                self.new_node(Data::Text(text.to_string()))
            }
            NodeOrText::AppendNode(node) => {
                self.detach(node);
                node
            }
        };
        let mut nodes = self.nodes.borrow_mut();
        let at = at.min(nodes[parent].children.len());
        nodes[parent].children.insert(at, node);
        nodes[node].parent = Some(parent);
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Sink;
    type ElemName<'a> = Name;

    fn finish(self) -> Sink {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Name {
        match &self.nodes.borrow()[*target].data {
            Data::Element { name, .. } => Name(name.clone()),
            _ => Name(QualName::new(None, ns!(), local_name!(""))),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let href = attrs
            .iter()
            .find(|a| a.name.local == local_name!("href"))
            .map(|a| a.value.to_string());
        let template = flags.template.then(|| self.new_node(Data::Document));
        self.new_node(Data::Element {
            name,
            href,
            template,
        })
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.new_node(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.new_node(Data::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let at = self.nodes.borrow()[*parent].children.len();
        self.insert(*parent, at, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let node = self.new_node(Data::Other);
        self.append(&0, NodeOrText::AppendNode(node));
    }

    fn get_template_contents(&self, target: &usize) -> usize {
        match &self.nodes.borrow()[*target].data {
            Data::Element {
                template: Some(t), ..
            } => *t,
            _ => *target,
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let parent = self.nodes.borrow()[*sibling].parent;
        if let Some(parent) = parent {
            let at = self.nodes.borrow()[parent]
                .children
                .iter()
                .position(|c| c == sibling)
                .unwrap_or(0);
            self.insert(parent, at, new_node);
        }
    }

    fn add_attrs_if_missing(&self, _target: &usize, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &usize) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let children = std::mem::take(&mut self.nodes.borrow_mut()[*node].children);
        for child in children {
            self.nodes.borrow_mut()[child].parent = None;
            self.append(new_parent, NodeOrText::AppendNode(child));
        }
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }
}

/// Elements whose content is never page text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "button",
    "select", "textarea", "input",
];

/// Elements that break the flow of text into separate blocks.
const BLOCK_LEVEL: &[&str] = &[
    "html",
    "body",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "pre",
    "form",
    "fieldset",
    "details",
    "summary",
    "center",
    "hr",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "caption",
];

/// Walks the arena into blocks.
struct Walker {
    /// The parsed nodes.
    nodes: Vec<Node>,
    /// Blocks made so far.
    blocks: Vec<Block>,
    /// Running text not yet made a paragraph.
    buffer: String,
    /// Links of the running text.
    links: Vec<String>,
    /// Line of the running text's first words.
    buffer_line: usize,
}

impl Walker {
    /// The local name of an element node.
    fn tag(&self, id: usize) -> Option<&str> {
        match &self.nodes[id].data {
            Data::Element { name, .. } => Some(&name.local),
            _ => None,
        }
    }

    /// Makes the running text a paragraph.
    fn flush(&mut self) {
        let text = clean(&std::mem::take(&mut self.buffer));
        let links = std::mem::take(&mut self.links);
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph {
                text,
                links,
                lines: 1,
                line: self.buffer_line,
            });
        }
    }

    /// Visits a node and everything under it, in document order, without
    /// recursion (a page may nest elements very deep).
    fn walk(&mut self, root: usize) {
        let mut stack = vec![Step::Enter(root)];
        while let Some(step) = stack.pop() {
            let id = match step {
                Step::Enter(id) => id,
                Step::Leave => {
                    self.flush();
                    continue;
                }
            };
            let children = |w: &Walker, stack: &mut Vec<Step>| {
                stack.extend(w.nodes[id].children.iter().rev().map(|&c| Step::Enter(c)));
            };
            let tag = self.tag(id).map(str::to_string);
            match tag.as_deref() {
                None => {
                    if let Data::Text(t) = &self.nodes[id].data {
                        if self.buffer.trim().is_empty() && !t.trim().is_empty() {
                            self.buffer_line = self.nodes[id].line;
                        }
                        let t = t.clone();
                        self.buffer.push_str(&t);
                    }
                    children(self, &mut stack);
                }
                Some(t) if SKIPPED.contains(&t) => {}
                Some(t @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6")) => {
                    self.flush();
                    let level = t.as_bytes()[1] - b'0';
                    let (text, links) = self.text_of(id);
                    if !text.is_empty() {
                        self.blocks.push(Block::Heading {
                            level,
                            text,
                            links,
                            line: self.nodes[id].line,
                        });
                    }
                }
                Some("table") if self.holds_a_table(id) => {
                    // A layout table (old pages put the whole page in one):
                    // its content is read like any other.
                    self.flush();
                    stack.push(Step::Leave);
                    children(self, &mut stack);
                }
                Some("table") => {
                    self.flush();
                    self.table(id);
                }
                Some("br") => self.buffer.push(' '),
                Some(t) if BLOCK_LEVEL.contains(&t) => {
                    self.flush();
                    stack.push(Step::Leave);
                    children(self, &mut stack);
                }
                Some(_) => {
                    if let Data::Element { href: Some(h), .. } = &self.nodes[id].data {
                        self.links.push(h.clone());
                    }
                    children(self, &mut stack);
                }
            }
        }
    }

    /// True when a `<table>` has another table inside it.
    fn holds_a_table(&self, id: usize) -> bool {
        let mut stack: Vec<usize> = self.nodes[id].children.clone();
        while let Some(n) = stack.pop() {
            if self.tag(n) == Some("table") {
                return true;
            }
            stack.extend(&self.nodes[n].children);
        }
        false
    }

    /// A table: its caption as a level-7 heading, then its rows.
    fn table(&mut self, id: usize) {
        let mut rows = Vec::new();
        let mut stack: Vec<usize> = self.nodes[id].children.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            match self.tag(n) {
                Some("caption") => {
                    let (text, links) = self.text_of(n);
                    if !text.is_empty() {
                        self.blocks.push(Block::Heading {
                            level: 7,
                            text,
                            links,
                            line: self.nodes[n].line,
                        });
                    }
                }
                Some("tr") => {
                    let cells = self.nodes[n]
                        .children
                        .iter()
                        .filter(|&&c| matches!(self.tag(c), Some("td" | "th")))
                        .map(|&c| self.text_of(c).0)
                        .collect();
                    rows.push(Row {
                        cells,
                        line: self.nodes[n].line,
                    });
                }
                Some("thead" | "tbody" | "tfoot") => {
                    stack.extend(self.nodes[n].children.iter().rev().copied());
                }
                _ => {}
            }
        }
        self.blocks.push(Block::Table {
            rows,
            line: self.nodes[id].line,
        });
    }

    /// The cleaned text of a node and the links in it.
    fn text_of(&self, id: usize) -> (String, Vec<String>) {
        let mut text = String::new();
        let mut links = Vec::new();
        self.gather(id, &mut text, &mut links);
        (clean(&text), links)
    }

    /// Appends the text under `root` to `text`; block elements and `<br>`
    /// add a space. Without recursion, like [`Walker::walk`].
    fn gather(&self, root: usize, text: &mut String, links: &mut Vec<String>) {
        let mut stack = vec![Step::Enter(root)];
        while let Some(step) = stack.pop() {
            let id = match step {
                Step::Enter(id) => id,
                Step::Leave => {
                    text.push(' ');
                    continue;
                }
            };
            match &self.nodes[id].data {
                Data::Text(t) => text.push_str(t),
                Data::Element { name, href, .. } => {
                    let tag: &str = &name.local;
                    if SKIPPED.contains(&tag) {
                        continue;
                    }
                    if let Some(h) = href {
                        links.push(h.clone());
                    }
                    if tag == "br" || BLOCK_LEVEL.contains(&tag) {
                        text.push(' ');
                        stack.push(Step::Leave);
                    }
                    stack.extend(
                        self.nodes[id]
                            .children
                            .iter()
                            .rev()
                            .map(|&c| Step::Enter(c)),
                    );
                }
                Data::Document | Data::Other => {}
            }
        }
    }
}

/// A step of a walk over the tree.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Visit this node, then its children.
    Enter(usize),
    /// The children of a block element are done.
    Leave,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_tables_with_lines() {
        let page = "<!doctype html>\n<html><head><title>x</title><script>var a = '<h2>no</h2>';</script></head>\n<body>\n\
            <h2>What cookies are used on the <a href=\"https://p.example\">https://p.example</a> platform</h2>\n\
            <p>Some &ldquo;text&rdquo;<br>here</p>\n\
            <table><caption>Statistical cookies</caption>\n<thead><tr><th>Name<th>Purpose</tr></thead>\n\
            <tbody>\n<tr><td>_ga,<br>_gid<td>Stats &amp; more\n</tbody></table>\n</body></html>\n";
        let blocks = read(page);
        assert_eq!(blocks.len(), 4, "{blocks:?}");
        match &blocks[0] {
            Block::Heading {
                level: 2,
                text,
                links,
                line: 4,
            } => {
                assert_eq!(
                    text,
                    "What cookies are used on the https://p.example platform"
                );
                assert_eq!(links, &["https://p.example"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&blocks[1], Block::Paragraph { text, line: 5, .. } if text == "Some \"text\" here")
        );
        assert!(
            matches!(&blocks[2], Block::Heading { level: 7, text, line: 6, .. } if text == "Statistical cookies")
        );
        match &blocks[3] {
            Block::Table { rows, line: 6 } => {
                let got: Vec<(Vec<String>, usize)> =
                    rows.iter().map(|r| (r.cells.clone(), r.line)).collect();
                assert_eq!(
                    got,
                    [
                        (vec!["Name".into(), "Purpose".into()], 7),
                        (vec!["_ga, _gid".into(), "Stats & more".into()], 9)
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let n = 3000;
        let page = format!(
            "{}x{}{}<p>after</p>",
            "<b>".repeat(n),
            "</b>".repeat(n),
            "<div>".repeat(n)
        );
        let blocks = read(&page);
        assert!(
            matches!(blocks.as_slice(), [Block::Paragraph { text: a, .. }, Block::Paragraph { text: b, .. }] if a == "x" && b == "after"),
            "{blocks:?}"
        );
    }

    #[test]
    fn a_layout_table_is_read_as_content() {
        let page = "<table><tr><td>Left</td><td><h3>Statistical cookies</h3>\n\
                    <table><tr><th>Cookie name</th><th>Purpose</th></tr>\n\
                    <tr><td>_ga</td><td>Stats</td></tr></table></td></tr></table>";
        let blocks = read(page);
        assert!(matches!(&blocks[0], Block::Paragraph { text, .. } if text == "Left"));
        assert!(
            matches!(&blocks[1], Block::Heading { level: 3, text, .. } if text == "Statistical cookies")
        );
        match &blocks[2] {
            Block::Table { rows, .. } => assert_eq!(rows[1].cells, ["_ga", "Stats"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_directly_in_a_div_is_a_paragraph() {
        let blocks = read("<div>loose <b>text</b><p>para</p>tail</div>");
        let texts: Vec<&str> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { text, .. } => text.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["loose text", "para", "tail"]);
    }
}
