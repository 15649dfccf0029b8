//! Ingest: turns files of any supported format into documents.
//!
//! Formats are sniffed from content, with the extension as a hint: plain
//! text in any encoding, HTML pages (article body extracted), JSONL, RSS and
//! Atom feeds, and WARC archives, each optionally gzip-compressed. Every
//! problem is reported against the file (and line or item) it came from;
//! one bad file or item never stops the others.

pub mod dates;
pub mod decode;
mod feed;
pub mod html;
mod jsonl;
pub mod markup;
pub mod sniff;
pub mod textmeta;
mod warc;

pub use sniff::Format;

use dossier_core::{content_id, Date, Document};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Size limits that protect the run from pathological input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are skipped (compressed size for gzip).
    pub max_file_bytes: u64,
    /// Decompressed gzip data is cut off here.
    pub max_decompressed_bytes: u64,
    /// Documents with more characters than this are skipped.
    pub max_doc_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 << 20,
            max_decompressed_bytes: 256 << 20,
            max_doc_chars: 2_000_000,
        }
    }
}

/// A document as read from its source, before it gets an id.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDoc {
    pub source: String,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub byline: Option<String>,
    pub language: Option<String>,
    pub text: String,
    pub format: Format,
}

impl RawDoc {
    /// The document with its content-derived id and detected language.
    pub fn into_document(self) -> Document {
        let language = self
            .language
            .map(|l| {
                l.split(['-', '_'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase()
            })
            .filter(|l| l.len() == 2)
            .unwrap_or_else(|| detect_language(&self.text));
        Document {
            id: content_id(&self.text),
            source: self.source.clone(),
            sources: vec![self.source],
            title: self.title,
            published: self.published.map(|d| d.to_string()),
            byline: self.byline,
            language,
            text: self.text,
        }
    }
}

/// ISO 639-1 code of the text's language; `en` when too little text to tell.
pub fn detect_language(text: &str) -> String {
    let sample: String = text.chars().take(4000).collect();
    let Some(info) = whatlang::detect(&sample) else {
        return "en".into();
    };
    if !info.is_reliable() && info.lang() != whatlang::Lang::Eng {
        return "en".into();
    }
    iso639_1(info.lang()).into()
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Ara => "ar",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Tur => "tr",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Heb => "he",
        Pol => "pl",
        Swe => "sv",
        Dan => "da",
        Fin => "fi",
        Ell => "el",
        Ind => "id",
        _ => "und",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file or item was not ingested.
    Skipped,
    /// Ingested, with a caveat (bytes replaced, a field ignored).
    Warning,
}

/// Something wrong with an input, named by where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File path, optionally with `:line` or `#item`.
    pub source: String,
    pub reason: String,
    pub severity: Severity,
}

impl Problem {
    pub fn skipped(source: &str, reason: impl Into<String>) -> Self {
        Problem {
            source: source.to_string(),
            reason: reason.into(),
            severity: Severity::Skipped,
        }
    }

    pub fn warning(source: &str, reason: impl Into<String>) -> Self {
        Problem {
            source: source.to_string(),
            reason: reason.into(),
            severity: Severity::Warning,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct FileOutput {
    pub format: Option<Format>,
    pub docs: Vec<RawDoc>,
    pub problems: Vec<Problem>,
}

/// Expands paths into the files under them, sorted; hidden entries inside
/// directories are ignored. Paths that do not exist are reported.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let label = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(Problem::skipped(&label, "path does not exist"))
            }
            Err(e) => problems.push(Problem::skipped(&label, format!("cannot read: {e}"))),
            Ok(m) if m.is_dir() => {
                let walker = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    });
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                        Ok(_) => {}
                        Err(e) => {
                            let at = e
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or(label.clone());
                            problems.push(Problem::skipped(&at, format!("cannot read: {e}")));
                        }
                    }
                }
            }
            Ok(_) => files.push(path.clone()),
        }
    }
    (files, problems)
}

/// Reads one file into documents.
pub fn read_file(path: &Path, limits: &Limits) -> FileOutput {
    let label = path.display().to_string();
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return skipped(&label, format!("cannot read: {e}")),
    };
    if size > limits.max_file_bytes {
        return skipped(
            &label,
            format!(
                "file is {}, over the {} limit (raise it with --max-file-size)",
                human_bytes(size),
                human_bytes(limits.max_file_bytes)
            ),
        );
    }
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&label, &bytes, sniff::hint_from_path(path), limits),
        Err(e) => skipped(&label, format!("cannot read: {e}")),
    }
}

fn skipped(label: &str, reason: String) -> FileOutput {
    FileOutput {
        format: None,
        docs: Vec::new(),
        problems: vec![Problem::skipped(label, reason)],
    }
}

pub fn human_bytes(n: u64) -> String {
    const MB: f64 = (1u64 << 20) as f64;
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / MB)
    } else if n >= 1 << 10 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Reads the bytes of one file (named `label` in messages) into documents.
pub fn read_bytes(label: &str, bytes: &[u8], hint: Option<Format>, limits: &Limits) -> FileOutput {
    let mut out = FileOutput::default();
    if bytes.is_empty() {
        out.problems.push(Problem::skipped(label, "empty file"));
        return out;
    }
    let mut data = std::borrow::Cow::Borrowed(bytes);
    let mut gzip_error = None;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let (inflated, err) = gunzip(bytes, limits.max_decompressed_bytes);
        if inflated.is_empty() {
            out.problems.push(Problem::skipped(
                label,
                format!(
                    "gzip data could not be read: {}",
                    err.unwrap_or_else(|| "empty".into())
                ),
            ));
            return out;
        }
        gzip_error = err;
        data = std::borrow::Cow::Owned(inflated);
    }
    let data: &[u8] = &data;
    if data.starts_with(b"WARC/") {
        out.format = Some(Format::Warc);
        if let Some(e) = gzip_error {
            out.problems.push(Problem::skipped(
                label,
                format!("{e}; kept the records before it"),
            ));
        }
        read_warc(label, data, limits, &mut out);
        return out;
    }
    if let Some(e) = gzip_error {
        out.problems.push(Problem::skipped(label, e));
        return out;
    }
    if data.starts_with(b"%PDF") {
        out.problems.push(Problem::skipped(
            label,
            "PDF files are not supported; convert to text first",
        ));
        return out;
    }
    if decode::looks_binary(data) {
        out.problems.push(Problem::skipped(
            label,
            "binary file (not text, HTML, JSONL, RSS/Atom or WARC)",
        ));
        return out;
    }
    let declared = html::declared_charset(data);
    let decoded = decode::decode(data, declared.as_deref());
    if let Some(r) = &decoded.replaced {
        out.problems.push(Problem::warning(label, r.clone()));
    }
    let format = sniff::sniff(&decoded.text, hint);
    out.format = Some(format);
    match format {
        Format::Text => read_text(label, &decoded.text, &mut out),
        Format::Html => read_html(label, &decoded.text, None, &mut out),
        Format::Jsonl => jsonl::read(label, &decoded.text, &mut out.docs, &mut out.problems),
        Format::Rss | Format::Atom => feed::read(
            label,
            &decoded.text,
            format,
            &mut out.docs,
            &mut out.problems,
        ),
        Format::Warc => read_warc(label, data, limits, &mut out),
    }
    enforce_doc_limit(limits, &mut out);
    out
}

fn gunzip(bytes: &[u8], cap: u64) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(cap + 1);
    let err = match reader.read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > cap => {
            out.truncate(cap as usize);
            Some(format!(
                "decompressed data is over the {} limit",
                human_bytes(cap)
            ))
        }
        Ok(_) => None,
        Err(e) => Some(format!("truncated or corrupt gzip stream ({e})")),
    };
    (out, err)
}

fn read_text(label: &str, text: &str, out: &mut FileOutput) {
    let body = text.trim();
    if body.is_empty() {
        out.problems
            .push(Problem::skipped(label, "file has no text"));
        return;
    }
    let meta = textmeta::read(body);
    out.docs.push(RawDoc {
        source: label.to_string(),
        title: meta.title,
        published: meta.published,
        byline: meta.byline,
        language: None,
        text: body.to_string(),
        format: Format::Text,
    });
}

fn read_html(label: &str, page: &str, source: Option<&str>, out: &mut FileOutput) {
    let article = html::extract(page);
    let body = article.text.trim();
    let at = source.unwrap_or(label);
    if body.is_empty() {
        out.problems
            .push(Problem::skipped(at, "no article text found in the HTML"));
        return;
    }
    // Metadata wins; the text's own dateline fills what metadata lacks.
    let from_text = textmeta::read(body);
    out.docs.push(RawDoc {
        source: source
            .or(article.url.as_deref())
            .unwrap_or(label)
            .to_string(),
        title: article.title.or(from_text.title),
        published: article.published.or(from_text.published),
        byline: article.byline.or(from_text.byline),
        language: article.language,
        text: body.to_string(),
        format: Format::Html,
    });
}

fn read_warc(label: &str, data: &[u8], limits: &Limits, out: &mut FileOutput) {
    let (pages, err) = warc::pages(data);
    if let Some(e) = err {
        out.problems
            .push(Problem::skipped(label, format!("WARC: {e}")));
    }
    if pages.is_empty() && out.problems.is_empty() {
        out.problems
            .push(Problem::skipped(label, "WARC has no HTML responses"));
    }
    for page in pages {
        let decoded = decode::decode(&page.body, page.charset.as_deref());
        let before = out.docs.len();
        let at = if page.uri.is_empty() {
            label.to_string()
        } else {
            page.uri.clone()
        };
        read_html(label, &decoded.text, Some(&at), out);
        if out.docs.len() > before {
            if let Some(d) = out.docs.last_mut() {
                // The crawl date is when the page was fetched, not published:
                // it is not used as the publication date.
                d.format = Format::Warc;
            }
        }
        let _ = &page.date;
    }
    enforce_doc_limit(limits, out);
}

fn enforce_doc_limit(limits: &Limits, out: &mut FileOutput) {
    let max = limits.max_doc_chars;
    let mut kept = Vec::with_capacity(out.docs.len());
    for d in out.docs.drain(..) {
        let n = d.text.chars().count();
        if n > max {
            out.problems.push(Problem::skipped(
                &d.source,
                format!("document has {n} characters, over the {max} limit"),
            ));
        } else {
            kept.push(d);
        }
    }
    out.docs = kept;
}

#[cfg(test)]
mod tests;
