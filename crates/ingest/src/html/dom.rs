//! A forgiving HTML parser into an arena tree.
//!
//! It follows what browsers do where it matters for reading text: raw-text
//! elements, void elements, paragraphs and list items closed implicitly,
//! end tags that do not match being ignored rather than closing blocks.
//! Every step is linear in the input; nesting deeper than `MAX_DEPTH` is
//! flattened (as browsers cap it too), so no input can blow the stack of
//! code that walks the tree or make the parser quadratic.

use super::entities;

pub type NodeId = usize;

/// Nesting deeper than this is flattened into siblings.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug)]
pub enum Data {
    Document,
    Element(Element),
    Text(String),
}

#[derive(Debug)]
pub struct Element {
    /// Lowercase tag name.
    pub name: Box<str>,
    /// Lowercase attribute names with decoded values, first one wins.
    pub attrs: Vec<(Box<str>, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub struct Node {
    pub parent: Option<NodeId>,
    pub first_child: Option<NodeId>,
    pub last_child: Option<NodeId>,
    pub next: Option<NodeId>,
    pub data: Data,
}

/// Nodes in document order: a node's index is greater than its parent's,
/// and a subtree occupies a contiguous range of indices.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

pub const ROOT: NodeId = 0;

impl Dom {
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id].data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn name(&self, id: NodeId) -> &str {
        match &self.nodes[id].data {
            Data::Element(e) => &e.name,
            _ => "",
        }
    }

    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id).and_then(|e| e.attr(name))
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child,
        }
    }

    /// One past the last index of the subtree rooted at `id`.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        let mut n = id;
        loop {
            if let Some(next) = self.nodes[n].next {
                return next;
            }
            match self.nodes[n].parent {
                Some(p) => n = p,
                None => return self.nodes.len(),
            }
        }
    }

    pub fn ancestors(&self, id: NodeId) -> Ancestors<'_> {
        Ancestors {
            dom: self,
            next: self.nodes[id].parent,
        }
    }

    fn push(&mut self, parent: NodeId, data: Data) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: Some(parent),
            first_child: None,
            last_child: None,
            next: None,
            data,
        });
        match self.nodes[parent].last_child {
            Some(last) => self.nodes[last].next = Some(id),
            None => self.nodes[parent].first_child = Some(id),
        }
        self.nodes[parent].last_child = Some(id);
        id
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: Option<NodeId>,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        self.next = self.dom.nodes[id].next;
        Some(id)
    }
}

pub struct Ancestors<'a> {
    dom: &'a Dom,
    next: Option<NodeId>,
}

impl Iterator for Ancestors<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.next?;
        self.next = self.dom.nodes[id].parent;
        Some(id)
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
    )
}

/// Elements whose content is not markup. `title` and `textarea` still
/// decode character references.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

/// Start tags that close an open `<p>`.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "dd"
            | "dt"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "ul"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements that stop the search for an open element to close.
fn is_scope_boundary(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "table"
            | "td"
            | "th"
            | "caption"
            | "marquee"
            | "object"
            | "applet"
            | "template"
            | "svg"
            | "math"
    )
}

/// Inline formatting elements: a stray end tag for one of these never
/// closes the blocks opened inside it.
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
            | "span"
            | "abbr"
            | "cite"
            | "label"
            | "sub"
            | "sup"
            | "time"
            | "mark"
            | "q"
    )
}

/// Parses a page. Never fails: anything unreadable becomes text or is
/// dropped, as a browser would.
pub fn parse(html: &str) -> Dom {
    let mut b = Builder {
        dom: Dom {
            nodes: vec![Node {
                parent: None,
                first_child: None,
                last_child: None,
                next: None,
                data: Data::Document,
            }],
        },
        stack: vec![ROOT],
        foreign: 0,
    };
    let bytes = html.as_bytes();
    let mut pos = 0;
    let mut text_start = 0;
    while pos < bytes.len() {
        let Some(lt) = memchr(b'<', &bytes[pos..]) else {
            break;
        };
        let at = pos + lt;
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        if next == b'!' || next == b'?' {
            b.text(&html[text_start..at]);
            pos = skip_markup_declaration(bytes, at);
            text_start = pos;
        } else if next == b'/' && bytes.get(at + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
            b.text(&html[text_start..at]);
            let (name, end) = read_name(html, at + 2);
            pos = skip_past_gt(bytes, end);
            text_start = pos;
            b.end_tag(&name);
        } else if next.is_ascii_alphabetic() {
            b.text(&html[text_start..at]);
            let tag = read_start_tag(html, at + 1);
            pos = tag.end;
            text_start = pos;
            let name = tag.name.clone();
            let raw_text = b.foreign == 0 && is_raw_text(&name);
            let Some((id, pushed)) = b.start_tag(tag) else {
                continue;
            };
            if raw_text {
                let (content_end, resume) = find_raw_end(bytes, pos, &name);
                let raw = &html[pos..content_end];
                if !raw.is_empty() {
                    let text = if &*name == "title" || &*name == "textarea" {
                        entities::decode(raw).into_owned()
                    } else {
                        raw.to_string()
                    };
                    b.dom.push(id, Data::Text(text));
                }
                if pushed {
                    let top = b.stack.len() - 1;
                    b.pop_to(top);
                }
                pos = resume;
                text_start = pos;
            }
        } else {
            // A lone '<' is text.
            pos = at + 1;
        }
    }
    b.text(&html[text_start.min(html.len())..]);
    b.dom
}

struct Builder {
    dom: Dom,
    stack: Vec<NodeId>,
    /// How many svg/math elements are open (self-closing tags count there).
    foreign: usize,
}

struct StartTag {
    name: Box<str>,
    attrs: Vec<(Box<str>, String)>,
    self_closing: bool,
    end: usize,
}

impl Builder {
    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&ROOT)
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let text = entities::decode(raw);
        let parent = self.current();
        // Adjacent text (split by a comment) is merged.
        if let Some(last) = self.dom.nodes[parent].last_child {
            if let Data::Text(t) = &mut self.dom.nodes[last].data {
                t.push_str(&text);
                return;
            }
        }
        self.dom.push(parent, Data::Text(text.into_owned()));
    }

    /// Position in the stack of the nearest open `name`, searching down to
    /// a scope boundary (and, when `stop_at_block`, to any non-formatting
    /// element).
    fn find_open(&self, name: &str, extra_boundary: &[&str], stop_at_block: bool) -> Option<usize> {
        for i in (1..self.stack.len()).rev() {
            let n = self.dom.name(self.stack[i]);
            if n == name {
                return Some(i);
            }
            if is_scope_boundary(n) || extra_boundary.contains(&n) {
                return None;
            }
            if stop_at_block && !is_formatting(n) {
                return None;
            }
        }
        None
    }

    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index.max(1) {
            if let Some(id) = self.stack.pop() {
                if matches!(self.dom.name(id), "svg" | "math") {
                    self.foreign = self.foreign.saturating_sub(1);
                }
            }
        }
    }

    fn close_if_open(&mut self, name: &str, extra_boundary: &[&str]) {
        if let Some(i) = self.find_open(name, extra_boundary, false) {
            self.pop_to(i);
        }
    }

    /// Adds the element; returns its id and whether it was left open.
    /// `None` for a repeated `<html>`, `<head>` or `<body>`.
    fn start_tag(&mut self, tag: StartTag) -> Option<(NodeId, bool)> {
        let name: &str = &tag.name;
        if self.foreign == 0 {
            match name {
                "html" | "body" | "head"
                    if self.stack.iter().any(|&n| self.dom.name(n) == name) =>
                {
                    return None;
                }
                "body" => self.close_if_open("head", &[]),
                "li" => self.close_if_open("li", &["ul", "ol"]),
                "dt" | "dd" => {
                    self.close_if_open("dt", &["dl"]);
                    self.close_if_open("dd", &["dl"]);
                }
                "tr" => {
                    self.close_if_open("td", &["tr"]);
                    self.close_if_open("th", &["tr"]);
                    self.close_if_open("tr", &[]);
                }
                "td" | "th" => {
                    self.close_if_open("td", &["tr"]);
                    self.close_if_open("th", &["tr"]);
                }
                "option" => self.close_if_open("option", &["select"]),
                "a" => {
                    if let Some(i) = self.find_open("a", &[], true) {
                        self.pop_to(i);
                    }
                }
                _ => {}
            }
            if closes_p(name) {
                self.close_if_open("p", &["button"]);
            }
            if is_heading(name) && is_heading(self.dom.name(self.current())) {
                let top = self.stack.len() - 1;
                self.pop_to(top);
            }
        }
        let name_is_foreign = matches!(name, "svg" | "math");
        let void = is_void(name) || (tag.self_closing && (self.foreign > 0 || name_is_foreign));
        let parent = self.current();
        let id = self.dom.push(
            parent,
            Data::Element(Element {
                name: tag.name,
                attrs: tag.attrs,
            }),
        );
        let open = !void && self.stack.len() < MAX_DEPTH;
        if open {
            self.stack.push(id);
            if name_is_foreign {
                self.foreign += 1;
            }
        }
        Some((id, open))
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            // Content after </body> or </html> still belongs to the body.
            "html" | "body" => return,
            "head" => {
                self.close_if_open("head", &[]);
                return;
            }
            "br" => {
                let parent = self.current();
                self.dom.push(
                    parent,
                    Data::Element(Element {
                        name: "br".into(),
                        attrs: Vec::new(),
                    }),
                );
                return;
            }
            _ => {}
        }
        let found = if self.foreign > 0 {
            self.find_open(name, &[], false)
                .or_else(|| self.stack.iter().rposition(|&n| self.dom.name(n) == name))
        } else if is_formatting(name) {
            self.find_open(name, &[], true)
        } else {
            let extra: &[&str] = match name {
                "li" => &["ul", "ol"],
                "p" => &["button"],
                _ => &[],
            };
            self.find_open(name, extra, false)
        };
        if let Some(i) = found {
            self.pop_to(i);
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Skips `<!-- ... -->`, `<!DOCTYPE ...>`, `<![CDATA[...]]>` and `<?...>`.
fn skip_markup_declaration(bytes: &[u8], at: usize) -> usize {
    let rest = &bytes[at..];
    if rest.starts_with(b"<!--") {
        // "<!-->" and "<!--->" are empty comments.
        let body = at + 4;
        if bytes[body..].starts_with(b">") {
            return body + 1;
        }
        if bytes[body..].starts_with(b"->") {
            return body + 2;
        }
        return find(bytes, body, b"-->").map_or(bytes.len(), |i| i + 3);
    }
    if rest.starts_with(b"<![CDATA[") {
        return find(bytes, at + 9, b"]]>").map_or(bytes.len(), |i| i + 3);
    }
    skip_past_gt(bytes, at + 2)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= bytes.len() {
        let off = memchr(first, &bytes[i..])?;
        i += off;
        if bytes[i..].starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn skip_past_gt(bytes: &[u8], from: usize) -> usize {
    let from = from.min(bytes.len());
    memchr(b'>', &bytes[from..]).map_or(bytes.len(), |i| from + i + 1)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// A tag or attribute name from `from`, lowercased, and where it ends.
fn read_name(html: &str, from: usize) -> (Box<str>, usize) {
    let bytes = html.as_bytes();
    let mut end = from;
    while end < bytes.len() && !is_space(bytes[end]) && bytes[end] != b'/' && bytes[end] != b'>' {
        end += 1;
    }
    (html[from..end].to_ascii_lowercase().into_boxed_str(), end)
}

fn read_start_tag(html: &str, from: usize) -> StartTag {
    let bytes = html.as_bytes();
    let (name, mut i) = read_name(html, from);
    let mut attrs: Vec<(Box<str>, String)> = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            self_closing = bytes[i] == b'/';
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        self_closing = false;
        // Attribute name: up to space, '/', '>' or '=' (a leading '=' is
        // part of the name, as in browsers).
        let start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr_name = html[start..i].to_ascii_lowercase();
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let vstart = i + 1;
                let vend = memchr(quote, &bytes[vstart..]).map_or(bytes.len(), |j| vstart + j);
                value = entities::decode(&html[vstart..vend]).into_owned();
                i = (vend + 1).min(bytes.len());
            } else {
                let vstart = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                value = entities::decode(&html[vstart..i]).into_owned();
            }
        }
        if !attrs.iter().any(|(n, _)| **n == *attr_name) {
            attrs.push((attr_name.into_boxed_str(), value));
        }
    }
    StartTag {
        name,
        attrs,
        self_closing,
        end: i,
    }
}

/// Where the content of a raw-text element ends (its `</name`), and where
/// parsing resumes after the end tag. Unclosed: everything to the end.
fn find_raw_end(bytes: &[u8], from: usize, name: &str) -> (usize, usize) {
    if name == "plaintext" {
        return (bytes.len(), bytes.len());
    }
    let n = name.len();
    let mut i = from;
    while let Some(off) = find(bytes, i, b"</") {
        let after = off + 2;
        if bytes.len() >= after + n
            && bytes[after..after + n].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(after + n)
                .is_none_or(|&c| is_space(c) || c == b'>' || c == b'/')
        {
            return (off, skip_past_gt(bytes, after + n));
        }
        i = off + 2;
    }
    (bytes.len(), bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serialises the tree compactly for assertions.
    fn show(dom: &Dom, id: NodeId, out: &mut String) {
        match &dom.nodes[id].data {
            Data::Document => {}
            Data::Text(t) => out.push_str(&format!("{t:?}")),
            Data::Element(e) => out.push_str(&format!("<{}", e.name)),
        }
        for c in dom.children(id) {
            show(dom, c, out);
        }
        if let Data::Element(_) = &dom.nodes[id].data {
            out.push('>');
        }
    }

    fn tree(html: &str) -> String {
        let dom = parse(html);
        let mut s = String::new();
        show(&dom, ROOT, &mut s);
        s
    }

    #[test]
    fn implied_ends_and_voids() {
        assert_eq!(tree("<p>a<p>b<div>c</div>"), r#"<p"a"><p"b"><div"c">"#);
        assert_eq!(tree("<ul><li>a<li>b</ul>"), r#"<ul<li"a"><li"b">>"#);
        assert_eq!(tree("a<br>b<img src=x>c"), r#""a"<br>"b"<img>"c""#);
        assert_eq!(tree("<h2>a<h3>b</h3>"), r#"<h2"a"><h3"b">"#);
    }

    #[test]
    fn stray_end_tags_do_not_close_blocks() {
        assert_eq!(tree("<div><span>a</div>b"), r#"<div<span"a">>"b""#);
        assert_eq!(tree("<b><div>a</b>c</div>"), r#"<b<div"ac">>"#);
        assert_eq!(tree("<div>a</span>b</div>"), r#"<div"ab">"#);
        assert_eq!(
            tree("<table><tr><td><div>x</td></tr></table>y"),
            r#"<table<tr<td<div"x">>>>"y""#
        );
    }

    #[test]
    fn raw_text_comments_and_entities() {
        assert_eq!(
            tree("<script>if (a<b) x='</div>';</script><p>a&amp;b<!-- c --> d</p>"),
            r#"<script"if (a<b) x='</div>';"><p"a&b d">"#
        );
        assert_eq!(tree("<title>A &amp; B</title>"), r#"<title"A & B">"#);
        assert_eq!(tree("<style>p{}</STYLE >x"), r#"<style"p{}">"x""#);
        assert_eq!(tree("a < b <!DOCTYPE html> c"), r#""a < b  c""#);
    }

    #[test]
    fn attributes() {
        let dom = parse(r#"<div CLASS="a b" id=main data-x='1' hidden title="x &amp; y">"#);
        let e = dom.element(1).unwrap();
        assert_eq!(e.attr("class"), Some("a b"));
        assert_eq!(e.attr("id"), Some("main"));
        assert_eq!(e.attr("data-x"), Some("1"));
        assert_eq!(e.attr("hidden"), Some(""));
        assert_eq!(e.attr("title"), Some("x & y"));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = "<div>".repeat(100_000) + "x";
        let dom = parse(&html);
        let depth = dom.ancestors(dom.nodes.len() - 1).count();
        assert!(depth <= MAX_DEPTH, "depth {depth}");
    }

    #[test]
    fn subtree_ranges() {
        let dom = parse("<div><p>a</p><p>b</p></div><p>c</p>");
        assert_eq!(dom.subtree_end(1), 6);
        assert_eq!(dom.subtree_end(2), 4);
        assert_eq!(dom.subtree_end(ROOT), dom.nodes.len());
    }

    #[test]
    fn truncated_input() {
        for html in [
            "<",
            "<a",
            "<a href=\"x",
            "<!--",
            "<script>x",
            "</",
            "<p>a</p",
            "&#x",
        ] {
            let _ = parse(html);
        }
    }
}
