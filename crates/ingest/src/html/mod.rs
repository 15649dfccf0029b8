//! HTML article extraction: the article body and its metadata, without the
//! page clutter around it.

mod content;
mod dom;
mod entities;
mod meta;

use dossier_core::Date;

/// What extraction found in one HTML page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// The article body; paragraphs separated by a blank line.
    pub text: String,
    /// From metadata (`<meta>`, JSON-LD `datePublished`, `<time>`), if any.
    pub published: Option<Date>,
    pub byline: Option<String>,
    /// ISO 639-1 code from `<html lang>` or metadata, if any.
    pub language: Option<String>,
    /// Canonical URL from `<link rel=canonical>` / `og:url`, if any.
    pub url: Option<String>,
}

/// Extracts the article from an HTML page. Never panics on malformed HTML.
pub fn extract(html: &str) -> HtmlArticle {
    let dom = dom::parse(html);
    let meta = meta::read(&dom);
    let text = content::article_text(&dom, meta.title.as_deref());
    HtmlArticle {
        title: meta.title,
        text,
        published: meta.published,
        byline: meta.byline,
        language: meta.language,
        url: meta.url,
    }
}

/// How far into a page to look for its charset declaration (browsers look
/// at the first 1024 bytes; some pages put a long `<head>` first).
const CHARSET_SCAN_BYTES: usize = 4096;

/// The character encoding a page declares in its first bytes, from
/// `<meta charset>`, `<meta http-equiv="Content-Type" content="...;
/// charset=...">` or an XML declaration; lowercased label as written, for
/// `encoding_rs::Encoding::for_label`. A declared UTF-16 means UTF-8, since
/// the declaration itself was readable as ASCII.
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(CHARSET_SCAN_BYTES)]);
    let label = xml_encoding(&head).or_else(|| {
        let dom = dom::parse(&head);
        (0..dom.nodes.len()).find_map(|id| {
            let e = dom.element(id)?;
            if &*e.name != "meta" {
                return None;
            }
            if let Some(c) = e.attr("charset") {
                return Some(c.to_string());
            }
            let content = e.attr("content")?;
            let equiv = e.attr("http-equiv")?;
            if !equiv.eq_ignore_ascii_case("content-type") {
                return None;
            }
            charset_param(content)
        })
    })?;
    let label = label
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_ascii_lowercase();
    if label.is_empty() || label.len() > 40 {
        return None;
    }
    if label.starts_with("utf-16") {
        return Some("utf-8".into());
    }
    Some(label)
}

/// The `charset=` parameter of a Content-Type value.
fn charset_param(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content[at + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_string())
}

fn xml_encoding(head: &str) -> Option<String> {
    let t = head.trim_start_matches('\u{feff}').trim_start();
    let decl = t.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_string())
}

#[cfg(test)]
mod tests;
