//! Format detection from content, with the file extension as a hint.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    Rss,
    Atom,
    Warc,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Warc => "warc",
        }
    }
}

/// The format the extension suggests, if any.
pub fn hint_from_path(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "txt" | "text" | "md" => Format::Text,
        "html" | "htm" | "xhtml" => Format::Html,
        "jsonl" | "ndjson" | "json" => Format::Jsonl,
        "rss" => Format::Rss,
        "atom" => Format::Atom,
        "warc" => Format::Warc,
        _ => return None,
    })
}

/// How much of a file's start the markup formats are decided from.
pub(crate) const HEAD_BYTES: usize = 64 << 10;
/// How far to look for complete lines when deciding whether a file that
/// starts with `{` is JSONL; a first line longer than this is not prose.
pub(crate) const JSONL_SNIFF_BYTES: usize = 1 << 20;
/// How many complete lines are checked for JSON objects.
const JSONL_SNIFF_LINES: usize = 16;

/// Decides the format of decoded text. Content wins over the hint when it
/// is unambiguous; the hint breaks ties (e.g. a `.txt` file that quotes an
/// HTML tag stays text).
pub fn sniff(text: &str, hint: Option<Format>) -> Format {
    if jsonl_verdict(text.as_bytes(), true, hint) == Jsonl::Yes {
        return Format::Jsonl;
    }
    markup_format(text, hint)
}

/// Whether bytes that start a file are JSON Lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jsonl {
    Yes,
    /// One JSON document (pretty-printed object or array), not one object
    /// per line.
    Document,
    No,
}

/// Decides JSONL from the start of a file, line by line: it starts with
/// `{` and at least half of its first complete lines are JSON objects (a
/// malformed first line is one bad record, not a reason to call the file
/// text). `complete` says `head` is the whole file.
pub(crate) fn jsonl_verdict(head: &[u8], complete: bool, hint: Option<Format>) -> Jsonl {
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let whole_is_json = || complete && serde_json::from_slice::<serde_json::Value>(head).is_ok();
    match head.first() {
        Some(b'[') if hint == Some(Format::Jsonl) || whole_is_json() => return Jsonl::Document,
        Some(b'{') => {}
        _ => return Jsonl::No,
    }
    let mut pieces: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    if !complete {
        pieces.pop(); // cut by the window, not by a newline
    }
    let lines: Vec<&[u8]> = pieces
        .into_iter()
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .take(JSONL_SNIFF_LINES)
        .collect();
    if lines.is_empty() {
        return Jsonl::Yes; // a first line longer than the window
    }
    let objects = lines.iter().filter(|l| is_json_object(l)).count();
    if objects > 0 && objects * 2 >= lines.len() {
        return Jsonl::Yes;
    }
    if whole_is_json() || (hint == Some(Format::Jsonl) && lines[0] == b"{") {
        return Jsonl::Document;
    }
    if hint == Some(Format::Jsonl) {
        return Jsonl::Yes;
    }
    Jsonl::No
}

fn is_json_object(line: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(line).is_ok_and(|v| v.is_object())
}

/// HTML, RSS, Atom, WARC or text, from the first [`HEAD_BYTES`].
pub(crate) fn markup_format(text: &str, hint: Option<Format>) -> Format {
    let head = head_without_bom(text, HEAD_BYTES);
    let lower = head.to_ascii_lowercase();
    let trimmed = lower.trim_start();
    if trimmed.starts_with("warc/") {
        return Format::Warc;
    }
    if trimmed.starts_with('<') {
        match root_element(trimmed) {
            Some("rss") | Some("rdf:rdf") => return Format::Rss,
            Some("feed") => return Format::Atom,
            Some("html") => return Format::Html,
            _ => {}
        }
        if trimmed.starts_with("<!doctype html") {
            return Format::Html;
        }
    }
    if hint == Some(Format::Text) {
        return Format::Text;
    }
    let markup = ["<head", "<body", "<div", "<p>", "<p ", "<article", "<meta "];
    if trimmed.starts_with('<') && markup.iter().any(|m| lower.contains(m)) {
        return Format::Html;
    }
    match hint {
        Some(Format::Html) if trimmed.starts_with('<') => Format::Html,
        _ => Format::Text,
    }
}

fn head_without_bom(text: &str, max: usize) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The name of the first element, skipping the XML declaration, processing
/// instructions, comments and the doctype.
fn root_element(lower: &str) -> Option<&str> {
    let mut rest = lower;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(r.len());
            return Some(&r[..end]);
        } else {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides() {
        assert_eq!(
            sniff("<!DOCTYPE html><html><body>x</body></html>", None),
            Format::Html
        );
        assert_eq!(
            sniff(
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>",
                None
            ),
            Format::Rss
        );
        assert_eq!(
            sniff(
                "<?xml version='1.0'?><feed xmlns=\"http://www.w3.org/2005/Atom\"/>",
                None
            ),
            Format::Atom
        );
        assert_eq!(
            sniff("{\"text\": \"a\"}\n{\"text\": \"b\"}", None),
            Format::Jsonl
        );
        assert_eq!(
            sniff("WARC/1.0\r\nWARC-Type: warcinfo\r\n", None),
            Format::Warc
        );
        assert_eq!(sniff("Just some words.\n", None), Format::Text);
    }

    #[test]
    fn hint_breaks_ties() {
        let quoted = "<p> is a paragraph tag, said the manual.";
        assert_eq!(sniff(quoted, Some(Format::Text)), Format::Text);
        assert_eq!(sniff(quoted, None), Format::Html);
        assert_eq!(
            sniff("<div>fragment</div>", Some(Format::Html)),
            Format::Html
        );
        // A .json file holding text is not JSONL.
        assert_eq!(sniff("not json", Some(Format::Jsonl)), Format::Text);
    }

    #[test]
    fn jsonl_is_decided_line_by_line() {
        let long = format!(
            "{{\"text\": \"{}\"}}\n{{\"text\": \"b\"}}",
            "x".repeat(9000)
        );
        assert_eq!(sniff(&long, None), Format::Jsonl, "a 9 KB first record");
        let bad_first = "{\"text\": \"cut\n{\"text\": \"b\"}\n{\"text\": \"c\"}";
        assert_eq!(
            sniff(bad_first, None),
            Format::Jsonl,
            "a malformed first line"
        );
        let prose = "{Update: corrected.}\nOfficials met.\nThey talked.";
        assert_eq!(sniff(prose, None), Format::Text);
        // A window cut inside the first line: too long to be prose.
        let cut = format!("{{\"text\": \"{}", "y".repeat(100));
        assert_eq!(jsonl_verdict(cut.as_bytes(), false, None), Jsonl::Yes);
        assert_eq!(jsonl_verdict(cut.as_bytes(), true, None), Jsonl::No);
        // Only complete lines count: a cut last line is not held against it.
        let tail = "{\"text\": \"a\"}\n{\"text\": \"b";
        assert_eq!(jsonl_verdict(tail.as_bytes(), false, None), Jsonl::Yes);
        // One JSON document is not JSON Lines.
        let pretty = "{\n  \"text\": \"a\"\n}\n";
        assert_eq!(
            jsonl_verdict(pretty.as_bytes(), true, None),
            Jsonl::Document
        );
        assert_eq!(jsonl_verdict(b"[1, 2]", true, None), Jsonl::Document);
        assert_eq!(jsonl_verdict(b"[see below]", true, None), Jsonl::No);
        assert_eq!(
            jsonl_verdict(b"\xef\xbb\xbf {\"text\": \"a\"}", true, None),
            Jsonl::Yes
        );
    }

    #[test]
    fn extension_hints() {
        assert_eq!(hint_from_path(Path::new("a/b.HTML")), Some(Format::Html));
        assert_eq!(hint_from_path(Path::new("x.warc.gz")), Some(Format::Warc));
        assert_eq!(hint_from_path(Path::new("README")), None);
    }
}
