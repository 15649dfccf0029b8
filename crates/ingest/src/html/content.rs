//! Finds the article body in a parsed page.
//!
//! 1. Clutter is dropped: elements that never hold article prose (scripts,
//!    navigation, forms, media, hidden elements) and containers whose
//!    class or id names boilerplate (comments, share bars, newsletter and
//!    cookie boxes, related links, ads), unless they hold most of the
//!    page's prose.
//! 2. The rest is cut into text blocks at block-level element boundaries,
//!    each rated by length and link density: prose counts for, link lists
//!    and menus against.
//! 3. The article is the element whose blocks add up to the highest rating:
//!    it takes in every prose block while paying for the clutter it
//!    includes, so it is the tightest container around the article.
//! 4. Inside it, link lists and stray short lines are dropped; headings and
//!    short lines between prose are kept (with the context rule of jusText).

use super::dom::{Data, Dom, NodeId, ROOT};

/// A run of text between block boundaries.
#[derive(Debug, Clone)]
pub struct Block {
    /// Whitespace-normalised text; `\n` where a `<br>` was.
    pub text: String,
    /// The block-level element the text sits in.
    pub node: NodeId,
    pub kind: Kind,
    /// Characters, not counting spaces.
    pub chars: usize,
    /// Characters inside links.
    pub link_chars: usize,
    /// The text opens with a link (a teaser: linked headline and summary).
    pub starts_with_link: bool,
    /// A row of a table.
    pub table_row: bool,
    /// Not article text though it reads like it: part of a teaser card
    /// (a linked headline with a few lines of summary pointing to another
    /// page), or a cookie notice.
    pub teaser: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Heading(u8),
    ListItem,
    Preformatted,
    Quote,
    TableRow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    Short,
    Bad,
}

/// Elements that never hold article prose.
fn is_clutter_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "applet"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "select"
            | "option"
            | "optgroup"
            | "button"
            | "input"
            | "textarea"
            | "label"
            | "fieldset"
            | "legend"
            | "datalist"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "nav"
            | "aside"
            | "footer"
            | "menu"
            | "dialog"
            | "figcaption"
            | "figure"
            | "frameset"
            | "frame"
            | "noframes"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "caption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "figure"
            | "figcaption"
            | "form"
            | "hgroup"
            | "body"
            | "html"
            | "iframe"
            | "video"
            | "audio"
    )
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Words in class or id values that name page furniture rather than the
/// article. Matched as substrings of the lowercased value.
const CLUTTER_WORDS: &[&str] = &[
    "comment",
    "disqus",
    "respond",
    "reply",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "sign-up",
    "cookie",
    "consent",
    "gdpr",
    "related",
    "recommend",
    "more-stories",
    "most-popular",
    "mostpopular",
    "most-read",
    "trending",
    "promo",
    "sponsor",
    "advert",
    "adslot",
    "ad-slot",
    "ad-container",
    "ad-wrapper",
    "adunit",
    "ad-unit",
    "dfp",
    "taboola",
    "outbrain",
    "breadcrumb",
    "sidebar",
    "widget",
    "footer",
    "masthead",
    "navbar",
    "navigation",
    "menu",
    "pagination",
    "pager",
    "tag-list",
    "taglist",
    "byline",
    "author",
    "caption",
    "toolbar",
    "modal",
    "popup",
    "overlay",
    "banner",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "login",
    "skip",
    "print-only",
    "read-more",
    "readmore",
    "next-article",
    "prev-article",
    "jump",
];

/// Whole class or id tokens that name furniture (too short or too common
/// to match as substrings).
const CLUTTER_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "nav",
    "tags",
    "meta",
    "share",
    "credit",
    "credits",
    "timestamp",
    "date",
    "rating",
];

fn has_clutter_name(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    if CLUTTER_WORDS.iter().any(|w| v.contains(w)) {
        return true;
    }
    v.split(|c: char| c.is_ascii_whitespace() || c == '_' || c == '-')
        .any(|t| CLUTTER_TOKENS.contains(&t))
        || v.split_ascii_whitespace()
            .any(|t| HIDDEN_CLASSES.contains(&t))
}

/// Whole class names that hide an element ("hidden-xs" and the like only
/// hide it on some screens, so they do not count).
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "is-hidden",
    "u-hidden",
    "hide",
    "d-none",
    "invisible",
];

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// Nodes to skip with their subtrees, from tag and visibility alone.
fn tag_clutter(dom: &Dom) -> Vec<bool> {
    let mut dead = vec![false; dom.nodes.len()];
    for id in 0..dom.nodes.len() {
        let parent_dead = dom.nodes[id].parent.is_some_and(|p| dead[p]);
        dead[id] = parent_dead || is_clutter_tag(dom.name(id)) || is_hidden(dom, id);
    }
    dead
}

/// Adds containers named as furniture to `dead`, sparing any that hold
/// most of the page's prose (a page whose `<body>` or article wrapper has
/// such a class).
fn name_clutter(dom: &Dom, dead: &mut [bool], prose: &[usize]) {
    let total = prose[ROOT].max(1);
    for id in 0..dom.nodes.len() {
        if dead[id] {
            continue;
        }
        if let Some(p) = dom.nodes[id].parent {
            if dead[p] {
                dead[id] = true;
                continue;
            }
        }
        let Some(e) = dom.element(id) else {
            continue;
        };
        if matches!(
            &*e.name,
            "html" | "body" | "a" | "p" | "h1" | "h2" | "h3" | "article"
        ) {
            continue;
        }
        let named = [e.attr("class"), e.attr("id")]
            .into_iter()
            .flatten()
            .any(has_clutter_name)
            || e.attr("role").is_some_and(|r| {
                matches!(r, "navigation" | "complementary" | "banner" | "contentinfo")
            });
        if named && prose[id] * 3 < total * 2 {
            dead[id] = true;
        }
    }
}

/// Cuts the live part of the tree into blocks, in document order.
fn blocks(dom: &Dom, dead: &[bool]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut b = BlockBuilder::default();
    // Explicit stack of (node, entering) so deep trees cannot overflow.
    let mut stack: Vec<(NodeId, bool)> = vec![(ROOT, true)];
    let mut blocks_open: Vec<NodeId> = vec![ROOT];
    while let Some((id, entering)) = stack.pop() {
        if dead[id] {
            continue;
        }
        match &dom.nodes[id].data {
            Data::Text(t) => {
                let container = *blocks_open.last().unwrap_or(&ROOT);
                b.push_text(t, container);
            }
            Data::Document => {
                if entering {
                    stack.push((id, false));
                    push_children(dom, id, &mut stack);
                }
            }
            Data::Element(e) => {
                let name: &str = &e.name;
                if entering {
                    match name {
                        "br" => {
                            b.line_break(&mut out);
                            continue;
                        }
                        "img" | "hr" | "wbr" => {
                            if name == "hr" {
                                b.flush(&mut out);
                            }
                            continue;
                        }
                        _ => {}
                    }
                    if is_block(name) {
                        b.flush(&mut out);
                        blocks_open.push(id);
                        b.kind_stack.push(kind_of(name));
                    } else if matches!(name, "td" | "th") {
                        b.space();
                    } else if name == "a" {
                        b.link_depth += 1;
                    }
                    if name == "pre" {
                        b.pre_depth += 1;
                    }
                    stack.push((id, false));
                    push_children(dom, id, &mut stack);
                } else {
                    if is_block(name) {
                        b.flush(&mut out);
                        blocks_open.pop();
                        b.kind_stack.pop();
                    } else if name == "a" {
                        b.link_depth = b.link_depth.saturating_sub(1);
                    }
                    if name == "pre" {
                        b.pre_depth = b.pre_depth.saturating_sub(1);
                    }
                    // Inline elements that are table cells in disguise
                    // still separate words.
                    if matches!(name, "td" | "th" | "span" | "label") {
                        b.space();
                    }
                }
            }
        }
    }
    b.flush(&mut out);
    out
}

fn push_children(dom: &Dom, id: NodeId, stack: &mut Vec<(NodeId, bool)>) {
    let start = stack.len();
    for c in dom.children(id) {
        stack.push((c, true));
    }
    stack[start..].reverse();
}

fn kind_of(name: &str) -> Kind {
    if let Some(l) = heading_level(name) {
        return Kind::Heading(l);
    }
    match name {
        "li" | "dd" | "dt" => Kind::ListItem,
        "pre" => Kind::Preformatted,
        "blockquote" => Kind::Quote,
        "tr" => Kind::TableRow,
        _ => Kind::Text,
    }
}

#[derive(Default)]
struct BlockBuilder {
    text: String,
    node: NodeId,
    chars: usize,
    link_chars: usize,
    link_depth: usize,
    pre_depth: usize,
    pending_space: bool,
    starts_with_link: bool,
    /// A `<br>` was seen since the last text.
    breaks: usize,
    kind_stack: Vec<Kind>,
}

impl BlockBuilder {
    fn push_text(&mut self, t: &str, container: NodeId) {
        if self.chars == 0 {
            self.node = container;
            self.starts_with_link = self.link_depth > 0;
        }
        for c in t.chars() {
            if self.pre_depth > 0 {
                // Preformatted text keeps its spacing and lines.
                if c == '\r' {
                    continue;
                }
                if self.pending_space {
                    self.text.push(' ');
                    self.pending_space = false;
                }
                if c.is_whitespace() {
                    if !self.text.is_empty() {
                        self.text.push(if c == '\n' { '\n' } else { ' ' });
                    }
                    continue;
                }
                self.text.push(c);
                self.chars += 1;
                if self.link_depth > 0 {
                    self.link_chars += 1;
                }
                continue;
            }
            let c = if c == '\u{a0}' { ' ' } else { c };
            if c.is_whitespace() || c == '\u{200b}' {
                if !self.text.is_empty() {
                    self.pending_space = true;
                }
                continue;
            }
            if self.breaks > 0 {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                self.breaks = 0;
                self.pending_space = false;
            } else if self.pending_space {
                self.text.push(' ');
                self.pending_space = false;
            }
            self.text.push(c);
            self.chars += 1;
            if self.link_depth > 0 {
                self.link_chars += 1;
            }
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() {
            self.pending_space = true;
        }
    }

    fn line_break(&mut self, out: &mut Vec<Block>) {
        if self.text.is_empty() {
            return;
        }
        self.breaks += 1;
        // Two breaks in a row end a paragraph.
        if self.breaks >= 2 {
            self.flush(out);
        }
    }

    fn flush(&mut self, out: &mut Vec<Block>) {
        self.breaks = 0;
        self.pending_space = false;
        if self.chars == 0 {
            self.text.clear();
            return;
        }
        let trimmed = self.text.trim_end().len();
        self.text.truncate(trimmed);
        // The innermost block decides; text in a paragraph inside a list
        // item or quote takes the outer kind, but only text right in a
        // table row is a row (layout tables hold whole pages).
        let kind = match self.kind_stack.last() {
            Some(Kind::Text) | None => self
                .kind_stack
                .iter()
                .rev()
                .find(|k| !matches!(k, Kind::Text | Kind::TableRow))
                .copied()
                .unwrap_or(Kind::Text),
            Some(k) => *k,
        };
        let cookie_notice = is_cookie_notice(&self.text);
        out.push(Block {
            text: std::mem::take(&mut self.text),
            node: self.node,
            kind,
            chars: self.chars,
            link_chars: self.link_chars,
            starts_with_link: self.starts_with_link,
            table_row: kind == Kind::TableRow,
            teaser: cookie_notice,
        });
        self.chars = 0;
        self.link_chars = 0;
    }
}

fn link_density(b: &Block) -> f64 {
    b.link_chars as f64 / b.chars.max(1) as f64
}

fn classify(b: &Block) -> Class {
    let density = link_density(b);
    if density > 0.5 || b.teaser {
        return Class::Bad;
    }
    // A linked headline with its summary is a teaser for another page.
    let max_density = if b.starts_with_link { 0.1 } else { 0.25 };
    if density >= max_density {
        return Class::Short;
    }
    if b.chars >= 70 || (b.chars >= 40 && ends_sentence(&b.text)) {
        return Class::Good;
    }
    Class::Short
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', '"', '\u{201d}', '\u{bb}', ':', '\u{3002}'])
}

/// Marks the blocks of teaser cards: the largest element around a linked
/// heading that is still small (a few short blocks) and holds more than
/// the heading. A linked subheading inside an article sits in a large
/// container and is left alone.
fn mark_teasers(dom: &Dom, blocks: &mut [Block]) {
    let count = subtree_sums(dom, blocks, |_| 1.0);
    let chars = subtree_sums(dom, blocks, |b| b.chars as f64);
    let mut card = vec![false; dom.nodes.len()];
    let mut any = false;
    for b in blocks.iter() {
        let linked_heading = matches!(b.kind, Kind::Heading(_)) && link_density(b) > 0.5;
        if !linked_heading {
            continue;
        }
        // The largest small element around the heading.
        let around = dom
            .ancestors(b.node)
            .take(8)
            .take_while(|&a| count[a] <= 5.0 && chars[a] <= 800.0)
            .last();
        if let Some(a) = around.filter(|&a| count[a] > count[b.node]) {
            card[a] = true;
            any = true;
        }
    }
    if !any {
        return;
    }
    for id in 1..dom.nodes.len() {
        if let Some(p) = dom.nodes[id].parent {
            card[id] = card[id] || card[p];
        }
    }
    for b in blocks.iter_mut() {
        b.teaser |= card[b.node];
    }
}

/// "This website uses cookies. By continuing ..." without a class that
/// says so.
fn is_cookie_notice(text: &str) -> bool {
    if text.len() > 600 || !text.contains("ookie") {
        return false;
    }
    let t = text.to_lowercase();
    [
        "uses cookies",
        "use cookies",
        "use of cookies",
        "accept cookies",
        "cookie policy",
        "cookie settings",
    ]
    .iter()
    .any(|p| t.contains(p))
}

/// How much a block speaks for the container around it.
fn weight(b: &Block) -> f64 {
    match classify(b) {
        Class::Good => b.chars as f64,
        Class::Short => {
            if link_density(b) > 0.2 {
                -(b.chars as f64) * 0.5
            } else if b.table_row {
                // Data tables are content; layout noise rarely has rows.
                0.0
            } else {
                -3.0
            }
        }
        // Link text is strong evidence of navigation: it counts double.
        Class::Bad => -2.0 * (b.chars as f64).max(10.0),
    }
}

/// Sum over each element's subtree of `per_block` values of its blocks.
fn subtree_sums(dom: &Dom, blocks: &[Block], per_block: impl Fn(&Block) -> f64) -> Vec<f64> {
    let mut sums = vec![0.0; dom.nodes.len()];
    for b in blocks {
        sums[b.node] += per_block(b);
    }
    for id in (1..dom.nodes.len()).rev() {
        if let Some(p) = dom.nodes[id].parent {
            let v = sums[id];
            sums[p] += v;
        }
    }
    sums
}

/// A line that only states when the page was published ("Nov. 20, 2019,
/// 9:28 AM UTC", "Updated: 3 January 2022 10:15").
fn is_dateline(text: &str) -> bool {
    if text.chars().count() > 80 {
        return false;
    }
    let mut t = text.trim();
    loop {
        let lower = t.to_lowercase();
        let Some(word) = [
            "published",
            "updated",
            "posted",
            "last updated",
            "on",
            "am",
            "le",
            "el",
        ]
        .iter()
        .find(|w| lower.starts_with(*w) && !lower[w.len()..].starts_with(char::is_alphabetic)) else {
            break;
        };
        t = t[word.len()..].trim_start_matches([':', ' ', ',', '-']);
    }
    let Some((_, end)) = crate::dates::date_at_start(t) else {
        return false;
    };
    t[end..]
        .split(|c: char| c.is_whitespace() || ",|/()-–·".contains(c))
        .all(|w| {
            let w = w.trim_end_matches('.').to_ascii_lowercase();
            w.is_empty()
                || w.chars().all(|c| c.is_ascii_digit() || c == ':')
                || matches!(
                    w.as_str(),
                    "am" | "pm"
                        | "a.m"
                        | "p.m"
                        | "utc"
                        | "gmt"
                        | "et"
                        | "est"
                        | "edt"
                        | "pt"
                        | "pst"
                        | "pdt"
                        | "ct"
                        | "cst"
                        | "cet"
                        | "cest"
                        | "bst"
                        | "ist"
                        | "at"
                        | "updated"
                        | "published"
                )
                || (w.starts_with('+') && w[1..].chars().all(|c| c.is_ascii_digit() || c == ':'))
        })
}

/// A short "By Jane Doe" line.
fn is_byline(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    (lower.starts_with("by ")
        || lower.starts_with("written by ")
        || lower.starts_with("posted by "))
        && t.split_whitespace().count() <= 8
        && !t.ends_with(['.', '!', '?'])
}

/// A photo credit: "Jane Doe | Bloomberg | Getty Images", "Photo: AP".
fn is_credit(text: &str) -> bool {
    let t = text.trim();
    if t.chars().count() > 120 {
        return false;
    }
    let lower = t.to_lowercase();
    lower.ends_with("getty images")
        || lower.ends_with("/ap")
        || lower.ends_with("(ap)")
        || [
            "photo:",
            "photo by",
            "photograph:",
            "image:",
            "credit:",
            "photo credit",
            "foto:",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Lines that are page furniture wherever they appear.
fn is_furniture_line(text: &str) -> bool {
    if is_dateline(text) || is_byline(text) || is_credit(text) {
        return true;
    }
    let t = text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    matches!(
        t.as_str(),
        "advertisement"
            | "advertising"
            | "ad"
            | "sponsored"
            | "story continues below"
            | "story continues below advertisement"
            | "article continues below advertisement"
            | "continue reading"
            | "continue reading below"
            | "read more"
            | "read more below"
            | "see also"
            | "related"
            | "related articles"
            | "related stories"
            | "share"
            | "share this"
            | "share this article"
            | "share this story"
            | "tweet"
            | "email"
            | "print"
            | "comments"
            | "close"
            | "skip"
            | "skip ad"
            | "loading"
            | "play video"
            | "watch"
    )
}

/// The article body as paragraphs.
pub fn article_text(dom: &Dom, title: Option<&str>) -> String {
    let mut dead = tag_clutter(dom);
    let first = blocks(dom, &dead);
    let prose = subtree_sums(dom, &first, |b| {
        if classify(b) == Class::Good {
            b.chars as f64
        } else {
            0.0
        }
    });
    let prose: Vec<usize> = prose.iter().map(|&v| v as usize).collect();
    name_clutter(dom, &mut dead, &prose);
    let mut all = blocks(dom, &dead);
    mark_teasers(dom, &mut all);
    if all.is_empty() {
        return String::new();
    }
    let best = best_container(dom, &all);
    let best = narrow_to_marked_body(dom, &all, best);
    let end = dom.subtree_end(best);
    let inside: Vec<&Block> = all
        .iter()
        .filter(|b| b.node >= best && b.node < end)
        .collect();
    let text = select(&inside, title).join("\n\n");
    if text.is_empty() {
        return semantic_article(dom, &all);
    }
    text
}

/// When no block reads like prose (short words, no sentence marks), the
/// page's own `<article>` element still says where the text is: its blocks
/// that are not mostly links.
fn semantic_article(dom: &Dom, blocks: &[Block]) -> String {
    let Some(article) =
        (0..dom.nodes.len()).find(|&id| dom.element(id).is_some_and(|e| &*e.name == "article"))
    else {
        return String::new();
    };
    let end = dom.subtree_end(article);
    blocks
        .iter()
        .filter(|b| b.node >= article && b.node < end && b.link_chars * 2 < b.chars.max(1))
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The element whose blocks rate highest: the prose it holds, discounted
/// by the share of clutter that comes with it.
fn best_container(dom: &Dom, blocks: &[Block]) -> NodeId {
    let pos = subtree_sums(dom, blocks, |b| weight(b).max(0.0));
    let neg = subtree_sums(dom, blocks, |b| (-weight(b)).max(0.0));
    let score = |id: NodeId| {
        let p = pos[id];
        if p <= 0.0 {
            return -neg[id];
        }
        p * p / (p + neg[id])
    };
    // Deeper elements come later in document order: scanning backwards and
    // keeping only strict improvements prefers the tightest container.
    let mut best = ROOT;
    let mut best_score = f64::MIN;
    for id in (0..dom.nodes.len()).rev() {
        if dom.element(id).is_none() && id != ROOT {
            continue;
        }
        let s = score(id);
        if s > best_score {
            best_score = s;
            best = id;
        }
    }
    best
}

/// Class, id or itemprop values that sites use for the article body.
fn is_marked_body(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    if e.attr("itemprop") == Some("articleBody") {
        return true;
    }
    [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            BODY_WORDS.iter().any(|w| v.contains(w))
        })
}

const BODY_WORDS: &[&str] = &[
    "articlebody",
    "article-body",
    "article__body",
    "article_body",
    "article-content",
    "article__content",
    "article-text",
    "articletext",
    "story-body",
    "storybody",
    "story-content",
    "entry-content",
    "post-content",
    "post-body",
    "post-entry",
    "body-text",
];

/// The deepest element inside `best` that the site marks as the article
/// body and that holds nearly all of its prose: the marking cuts off
/// summaries, datelines and credits next to the body.
fn narrow_to_marked_body(dom: &Dom, blocks: &[Block], best: NodeId) -> NodeId {
    let prose = subtree_sums(dom, blocks, |b| weight(b).max(0.0));
    let total = prose[best];
    if total <= 0.0 {
        return best;
    }
    let end = dom.subtree_end(best);
    let mut chosen = best;
    for (id, &p) in prose.iter().enumerate().take(end).skip(best + 1) {
        if p >= 0.9 * total && is_marked_body(dom, id) {
            // Later matches in document order are deeper, since each holds
            // nearly all the prose and so contains the next.
            chosen = id;
        }
    }
    chosen
}

/// The blocks of the chosen container worth keeping.
fn select<'a>(blocks: &[&'a Block], title: Option<&str>) -> Vec<&'a str> {
    let classes: Vec<Class> = blocks.iter().map(|b| classify(b)).collect();
    let n = classes.len();
    // Nearest non-short class before and after each block, and whether
    // prose comes anywhere before or after it: one pass each way keeps
    // this linear however many short blocks there are.
    let mut prev_class = vec![None; n];
    let mut good_before = vec![false; n];
    let (mut last, mut seen_good) = (None, false);
    for i in 0..n {
        prev_class[i] = last;
        good_before[i] = seen_good;
        if classes[i] != Class::Short {
            last = Some(classes[i]);
        }
        seen_good |= classes[i] == Class::Good;
    }
    let mut next_class = vec![None; n];
    let mut good_after = vec![false; n];
    let (mut last, mut seen_good) = (None, false);
    for i in (0..n).rev() {
        next_class[i] = last;
        good_after[i] = seen_good;
        if classes[i] != Class::Short {
            last = Some(classes[i]);
        }
        seen_good |= classes[i] == Class::Good;
    }
    let mut keep = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if b.kind == Kind::Heading(1) {
            continue;
        }
        if title.is_some_and(|t| same_text(t, &b.text)) {
            continue;
        }
        if is_furniture_line(&b.text) {
            continue;
        }
        let keep_it = match classes[i] {
            Class::Good => true,
            Class::Bad => false,
            Class::Short if b.table_row && link_density(b) < 0.2 => true,
            Class::Short => {
                let (prev, next) = (prev_class[i], next_class[i]);
                match b.kind {
                    // A heading introduces what follows.
                    Kind::Heading(_) => next == Some(Class::Good),
                    // Inside the article, short lines between prose are
                    // part of it; at its edges only sentence-length ones
                    // next to prose.
                    _ => {
                        let sentence_like = b.chars >= 30
                            || (b.kind == Kind::ListItem && b.link_chars == 0)
                            || (b.chars >= 10 && ends_sentence(&b.text));
                        (good_before[i] && good_after[i])
                            || (prev == Some(Class::Good) && next.is_none() && sentence_like)
                            || (next == Some(Class::Good) && prev.is_none() && sentence_like)
                    }
                }
            }
        };
        if keep_it {
            keep.push(b.text.as_str());
        }
    }
    keep
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::dom::parse;

    /// Development aid: `HTML_DEBUG=page.html[.gz] cargo test -p
    /// dossier-ingest --lib debug_page -- --ignored --nocapture` prints the
    /// blocks of a page with their rating and the chosen container.
    #[test]
    #[ignore]
    fn debug_page() {
        use std::io::Read;
        let Ok(path) = std::env::var("HTML_DEBUG") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let mut raw = Vec::new();
        if path.ends_with(".gz") {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut raw)
                .unwrap();
        } else {
            raw = bytes;
        }
        let html = String::from_utf8_lossy(&raw);
        let dom = parse(&html);
        let describe = |id: NodeId| -> String {
            let mut path: Vec<String> = std::iter::once(id)
                .chain(dom.ancestors(id))
                .filter_map(|n| {
                    let e = dom.element(n)?;
                    let mut s = e.name.to_string();
                    if let Some(i) = e.attr("id") {
                        s.push_str(&format!("#{i}"));
                    }
                    if let Some(c) = e.attr("class") {
                        s.push_str(&format!(
                            ".{}",
                            c.split_whitespace().collect::<Vec<_>>().join(".")
                        ));
                    }
                    Some(s)
                })
                .collect();
            path.truncate(6);
            path.reverse();
            path.join(" > ")
        };
        let mut dead = tag_clutter(&dom);
        let first = blocks(&dom, &dead);
        let prose = subtree_sums(&dom, &first, |b| {
            if classify(b) == Class::Good {
                b.chars as f64
            } else {
                0.0
            }
        });
        let prose: Vec<usize> = prose.iter().map(|&v| v as usize).collect();
        name_clutter(&dom, &mut dead, &prose);
        let mut all = blocks(&dom, &dead);
        mark_teasers(&dom, &mut all);
        let pos = subtree_sums(&dom, &all, |b| weight(b).max(0.0));
        let neg = subtree_sums(&dom, &all, |b| (-weight(b)).max(0.0));
        let best = best_container(&dom, &all);
        let mut arts: Vec<NodeId> = (0..dom.nodes.len())
            .filter(|&i| pos[i] > pos[ROOT] * 0.3)
            .collect();
        arts.sort_by_key(|&i| std::cmp::Reverse(dom.ancestors(i).count()));
        for &id in arts.iter().take(4) {
            println!(
                "cand pos {:.0} neg {:.0}: {}",
                pos[id],
                neg[id],
                describe(id)
            );
        }
        for id in std::iter::once(best).chain(dom.ancestors(best)) {
            println!("pos {:.0} neg {:.0}: {}", pos[id], neg[id], describe(id));
        }
        let end = dom.subtree_end(best);
        for b in &first {
            let alive = all.iter().any(|a| a.node == b.node && a.text == b.text);
            let inside = b.node >= best && b.node < end;
            let t: String = b.text.chars().take(70).collect();
            println!(
                "{}{} {:?} {:>5} {:.2} {:?} [{}] {}",
                if alive { ' ' } else { 'X' },
                if inside { '*' } else { ' ' },
                classify(b),
                b.chars,
                link_density(b),
                b.kind,
                describe(b.node),
                t.replace('\n', " / ")
            );
        }
    }

    fn text_of(html: &str) -> String {
        article_text(&parse(html), None)
    }

    #[test]
    fn block_text_is_normalised() {
        let dom = parse("<div><p>  a\n b&nbsp;c <b>d</b>e</p><p>x<br>y</p></div>");
        let dead = tag_clutter(&dom);
        let bs = blocks(&dom, &dead);
        let texts: Vec<&str> = bs.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["a b c de", "x\ny"]);
    }

    #[test]
    fn double_break_splits_paragraphs() {
        let dom = parse("<div>one<br><br>two<br/>three</div>");
        let dead = tag_clutter(&dom);
        let bs = blocks(&dom, &dead);
        let texts: Vec<&str> = bs.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["one", "two\nthree"]);
    }

    #[test]
    fn unnamed_cookie_notice_and_teaser_cards_are_dropped() {
        let para = "This sentence is long enough to count as article prose, with commas, words and a full stop.";
        let teaser =
            "A summary of another story that is long enough to look like prose on its own, sadly.";
        let html = format!(
            "<body><div class=bar><p>This website uses cookies. By continuing to browse you agree to our use of cookies.</p></div>\
             <div class=main><p>{para}</p><p>{para}</p></div>\
             <div class=more><div class=card><h3><a href=/x>Another story</a></h3><p>{teaser}</p></div>\
             <div class=card><h3><a href=/y>Yet another story</a></h3><p>{teaser}</p></div></div></body>"
        );
        assert_eq!(text_of(&html), format!("{para}\n\n{para}"));
    }

    #[test]
    fn picks_the_prose_container() {
        let para = "This sentence is long enough to count as article prose, with commas, words and a full stop.";
        let html = format!(
            "<body><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li></ul>\
             <div id=story><p>{para}</p><h2>More</h2><p>{para}</p></div>\
             <div class=comments><p>{para}</p></div></body>"
        );
        assert_eq!(text_of(&html), format!("{para}\n\nMore\n\n{para}"));
    }
}
