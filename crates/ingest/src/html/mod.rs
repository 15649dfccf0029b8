//! HTML article extraction: the article body and its metadata, without the
//! page clutter around it.

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
pub fn extract(_html: &str) -> HtmlArticle {
    HtmlArticle::default()
}
