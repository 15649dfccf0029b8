//! Ingest: turns files of any supported format into documents.
//!
//! Formats are sniffed from content, with the extension as a hint: plain
//! text in any encoding, HTML pages (article body extracted), JSONL, RSS and
//! Atom feeds, and WARC archives, each optionally gzip-compressed. Every
//! problem is reported against the file (and line or item) it came from;
//! one bad file or item never stops the others.
//!
//! [`FileReader`] streams one file's documents and problems; [`read_file`]
//! collects them. [`discover`] expands folders and refuses special files.
//! Print sources and paths with [`escape_for_terminal`] /
//! [`path_for_terminal`] (a [`Problem`] displays escaped).

pub mod dates;
pub mod decode;
pub mod display;
mod feed;
mod files;
pub mod html;
mod input;
mod jsonl;
pub mod markup;
mod reader;
pub mod sniff;
pub mod textmeta;
mod warc;

pub use display::{escape_for_terminal, path_for_terminal};
pub use files::{discover, special_kind};
pub use reader::FileReader;
pub use sniff::Format;

use dossier_core::{content_id, Date, Document};
use std::fmt;
use std::path::Path;

/// Size limits that protect the run from pathological input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are skipped (compressed size for gzip); also
    /// the most bytes read from any file, and the largest WARC record.
    pub max_file_bytes: u64,
    /// Decompressed gzip data is cut off here (records before the cut are
    /// kept); also the most an HTML page, feed or HTTP body may hold.
    pub max_decompressed_bytes: u64,
    /// Documents with more characters than this are skipped.
    pub max_doc_chars: usize,
    /// Problems listed per file; the rest are counted in one last problem
    /// (a file of a million bad lines gives a short report).
    pub max_problems_per_file: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 << 20,
            max_decompressed_bytes: 256 << 20,
            max_doc_chars: 2_000_000,
            max_problems_per_file: 200,
        }
    }
}

/// A document as read from its source, before it gets an id.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDoc {
    /// Every place the document was read from, never empty. The first is
    /// its own location: the file for a file that is one document (text,
    /// HTML), the record's URL (or `file#id`, `file#L<line>`, `file#item<n>`)
    /// for a record in a JSONL file, feed or WARC. The others follow: the
    /// canonical URL an HTML page names, the file location of a record.
    pub sources: Vec<String>,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub byline: Option<String>,
    pub language: Option<String>,
    pub text: String,
    pub format: Format,
}

impl RawDoc {
    /// The document's own location, the first of [`RawDoc::sources`].
    pub fn source(&self) -> &str {
        self.sources.first().map_or("", String::as_str)
    }

    /// The id the document will have: a hash of its text. Identical texts
    /// (in one file or across files) have the same id, so a caller can
    /// analyse each text once.
    pub fn content_id(&self) -> String {
        content_id(&self.text)
    }

    /// The document with its content-derived id and detected language;
    /// `source` is the first source, `sources` all of them (duplicates
    /// dropped).
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
        let mut sources: Vec<String> = Vec::with_capacity(self.sources.len());
        for s in self.sources {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
        Document {
            id: content_id(&self.text),
            source: sources.first().cloned().unwrap_or_default(),
            sources,
            title: self.title,
            published: self.published.map(|d| d.to_string()),
            byline: self.byline,
            language,
            text: self.text,
        }
    }
}

/// What reading a file yields, in file order: documents and problems.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Doc(RawDoc),
    Problem(Problem),
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
    /// File path, optionally with `:line` or `#item`, as given (raw: print
    /// it through `Display` or [`escape_for_terminal`]).
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

/// `source: reason`, with control characters in both escaped (see
/// [`escape_for_terminal`]): safe to print as one line.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            escape_for_terminal(&self.source),
            escape_for_terminal(&self.reason)
        )
    }
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct FileOutput {
    pub format: Option<Format>,
    pub docs: Vec<RawDoc>,
    pub problems: Vec<Problem>,
}

/// Reads one file into documents, all at once. A thin wrapper over
/// [`FileReader`], which streams.
pub fn read_file(path: &Path, limits: &Limits) -> FileOutput {
    FileReader::open(path, limits).into_output()
}

/// Reads the bytes of one file (named `label` in messages) into documents.
pub fn read_bytes(label: &str, bytes: &[u8], hint: Option<Format>, limits: &Limits) -> FileOutput {
    FileReader::from_bytes(label, bytes, hint, limits).into_output()
}

/// A byte count for messages: `512 bytes`, `4.9 KB`, `64.0 MB`.
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

#[cfg(test)]
mod tests;
