//! Reading one file as a stream of documents and problems.
//!
//! The start of the file decides how it is read: gzip is undone as it is
//! read, a WARC is walked record by record, JSONL line by line, so memory
//! holds one record, not the file. Text, HTML and feeds are read whole, up
//! to the size limits. Every byte is checked in its format: a bad record
//! is one problem, not the file's end.

use crate::decode::{self, binary_kind, binary_signature};
use crate::input::{Capped, Gunzip, Input, Notes, ToUtf8};
use crate::jsonl::JsonlReader;
use crate::sniff::{self, Jsonl, HEAD_BYTES, JSONL_SNIFF_BYTES};
use crate::warc::{WarcEvent, WarcReader};
use crate::{feed, FileOutput};
use crate::{files, html, human_bytes, textmeta, Format, Item, Limits, Problem, RawDoc, Severity};
use std::collections::VecDeque;
use std::path::Path;

/// Reads one file, yielding its documents and problems in file order. It
/// never fails: a file that cannot be read yields one problem saying why.
/// Memory is bounded per record for JSONL and WARC and by the size limits
/// for the formats read whole; the reader is `Send`, so files can be read
/// on worker threads.
pub struct FileReader<'a> {
    label: String,
    format: Option<Format>,
    state: State<'a>,
    notes: Notes,
    limits: Limits,
    budget: ProblemBudget,
    finished: bool,
}

enum State<'a> {
    Queue(VecDeque<Item>),
    Jsonl(JsonlReader<'a>),
    Warc(Box<WarcPages<'a>>),
}

impl FileReader<'static> {
    /// Opens `path`. Special files (pipes, sockets, devices) and files over
    /// the size limit are refused without being read.
    pub fn open(path: &Path, limits: &Limits) -> Self {
        let label = path.display().to_string();
        let (file, size) = match files::open_regular(path) {
            Ok(opened) => opened,
            Err(why) => return Self::refused(label, why, limits),
        };
        if size > limits.max_file_bytes {
            let why = format!(
                "file is {}, over the {} limit (raise it with --max-file-size)",
                human_bytes(size),
                human_bytes(limits.max_file_bytes)
            );
            return Self::refused(label, why, limits);
        }
        let input = Input::new(Capped::new(file, limits.max_file_bytes));
        Self::start(label, input, sniff::hint_from_path(path), limits)
    }
}

impl<'a> FileReader<'a> {
    /// Reads bytes already in memory, named `label` in messages.
    pub fn from_bytes(label: &str, bytes: &'a [u8], hint: Option<Format>, limits: &Limits) -> Self {
        Self::start(label.to_string(), Input::new(bytes), hint, limits)
    }

    /// The format the file was read as; `None` when it was refused before
    /// its format was known.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// The name used for the file in problems (its path as given).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Every document and problem, collected.
    pub fn into_output(self) -> FileOutput {
        let mut out = FileOutput {
            format: self.format,
            ..FileOutput::default()
        };
        for item in self {
            match item {
                Item::Doc(d) => out.docs.push(d),
                Item::Problem(p) => out.problems.push(p),
            }
        }
        out
    }

    fn new(label: String, limits: &Limits) -> Self {
        FileReader {
            label,
            format: None,
            state: State::Queue(VecDeque::new()),
            notes: Notes::default(),
            limits: *limits,
            budget: ProblemBudget::new(limits.max_problems_per_file),
            finished: false,
        }
    }

    fn refused(label: String, why: String, limits: &Limits) -> Self {
        let mut r = Self::new(label, limits);
        r.state = State::Queue(VecDeque::from([Item::Problem(Problem::skipped(
            &r.label, why,
        ))]));
        r
    }

    pub(crate) fn start(
        label: String,
        input: Input<'a>,
        hint: Option<Format>,
        limits: &Limits,
    ) -> Self {
        let mut r = Self::new(label, limits);
        r.state = match r.prepare(input, hint) {
            Ok(state) => state,
            Err(why) => State::Queue(VecDeque::from([Item::Problem(Problem::skipped(
                &r.label, why,
            ))])),
        };
        r
    }

    /// Decides from the start of the stream how to read it.
    fn prepare(&mut self, mut input: Input<'a>, hint: Option<Format>) -> Result<State<'a>, String> {
        if input.at_end() {
            return Err(match input.error() {
                Some(e) => format!("cannot read: {e}"),
                None => "empty file".into(),
            });
        }
        if input.peek(2) == [0x1f, 0x8b] {
            let cap = self.limits.max_decompressed_bytes;
            input = Input::new(Gunzip::new(input, cap, self.notes.clone()));
            if input.at_end() {
                return Err(match input.error() {
                    Some(e) => format!("gzip data could not be read: {e}"),
                    None => "gzip data is empty".into(),
                });
            }
        }
        let head = input.peek(HEAD_BYTES);
        if head.trim_ascii_start().starts_with(b"WARC/") {
            return Ok(self.warc(input));
        }
        if head.starts_with(b"%PDF") {
            return Err("PDF files are not supported; convert to text first".into());
        }
        if let Some(kind) = binary_signature(head) {
            return Err(format!("binary file ({kind})"));
        }
        input = self.to_utf8(input);
        let head = input.peek(HEAD_BYTES);
        if matches!(head.trim_ascii_start().first(), Some(b'{' | b'[')) {
            let window = input.peek(JSONL_SNIFF_BYTES);
            let complete = window.len() < JSONL_SNIFF_BYTES;
            match sniff::jsonl_verdict(window, complete, hint) {
                Jsonl::Yes => {
                    self.format = Some(Format::Jsonl);
                    let max_line = self
                        .limits
                        .max_doc_chars
                        .saturating_mul(6)
                        .saturating_add(64 << 10);
                    return Ok(State::Jsonl(JsonlReader::new(input, &self.label, max_line)));
                }
                Jsonl::Document => {
                    return Err(
                        "a JSON document, not JSON Lines (one object per line, each with `text`)"
                            .into(),
                    )
                }
                Jsonl::No => {}
            }
        }
        let head = input.peek(HEAD_BYTES);
        if let Some(kind) = binary_kind(head) {
            return Err(format!("binary file ({kind})"));
        }
        let format = sniff::markup_format(&String::from_utf8_lossy(head), hint);
        self.format = Some(format);
        self.whole(input, format)
    }

    /// A byte-order mark is dropped; UTF-16 (with or without a mark) is
    /// turned into UTF-8 as it is read.
    fn to_utf8(&self, mut input: Input<'a>) -> Input<'a> {
        let head = input.peek(HEAD_BYTES);
        let encoding = match encoding_rs::Encoding::for_bom(head) {
            Some((enc, bom_len)) => {
                input.consume(bom_len);
                enc
            }
            None => match decode::utf16_without_bom(head) {
                Some(enc) => enc,
                None => return input,
            },
        };
        if encoding == encoding_rs::UTF_8 {
            return input;
        }
        Input::new(ToUtf8::new(input, encoding, self.notes.clone()))
    }

    fn warc(&mut self, input: Input<'a>) -> State<'a> {
        self.format = Some(Format::Warc);
        let max_record = usize::try_from(self.limits.max_file_bytes).unwrap_or(usize::MAX);
        let reader = WarcReader::new(input, max_record, self.limits.max_decompressed_bytes);
        State::Warc(Box::new(WarcPages {
            reader,
            label: self.label.clone(),
            pending: VecDeque::new(),
            pages: 0,
            problems: 0,
            ended: false,
        }))
    }

    /// Text, HTML and feeds: read whole (bounded), checked, decoded.
    fn whole(&mut self, mut input: Input<'a>, format: Format) -> Result<State<'a>, String> {
        let cap = match format {
            // Text longer than this cannot fit in max_doc_chars characters.
            Format::Text => self
                .limits
                .max_doc_chars
                .saturating_mul(4)
                .saturating_add(4),
            _ => usize::try_from(self.limits.max_decompressed_bytes).unwrap_or(usize::MAX),
        };
        let data = match input.read_rest(cap) {
            Ok(data) => data,
            Err(_) if format == Format::Text => {
                return Err(format!(
                    "text is over {}, more than the {} character limit for a document",
                    human_bytes(cap as u64),
                    self.limits.max_doc_chars
                ))
            }
            Err(_) => {
                return Err(format!(
                    "{} is over the {} limit",
                    format.as_str(),
                    human_bytes(cap as u64)
                ))
            }
        };
        if let Some(e) = input.error() {
            return Err(e.to_string());
        }
        if format == Format::Warc {
            return Ok(self.warc(Input::new(std::io::Cursor::new(data))));
        }
        if let Some(kind) = binary_kind(&data) {
            return Err(format!("binary file ({kind})"));
        }
        let mut items = VecDeque::new();
        let nuls = data.iter().filter(|&&b| b == 0).count();
        if nuls > 0 {
            let first = data.iter().position(|&b| b == 0).unwrap_or(0);
            items.push_back(Item::Problem(Problem::warning(
                &self.label,
                format!(
                    "removed {nuls} NUL byte{} (first at byte {first})",
                    if nuls == 1 { "" } else { "s" }
                ),
            )));
        }
        let declared = match format {
            Format::Text => None,
            _ => html::declared_charset(&data),
        };
        let decoded = decode::decode(&data, declared.as_deref());
        drop(data);
        for w in decoded.warnings {
            items.push_back(Item::Problem(Problem::warning(&self.label, w)));
        }
        let label = &self.label;
        match format {
            Format::Text => items.push_back(text_doc(label, &decoded.text)),
            Format::Html => items.push_back(match html_doc(label, &decoded.text, None) {
                Ok(d) => Item::Doc(d),
                Err(p) => Item::Problem(p),
            }),
            Format::Rss | Format::Atom => {
                let (mut docs, mut problems) = (Vec::new(), Vec::new());
                feed::read(label, &decoded.text, format, &mut docs, &mut problems);
                items.extend(docs.into_iter().map(Item::Doc));
                items.extend(problems.into_iter().map(Item::Problem));
            }
            Format::Jsonl | Format::Warc => {}
        }
        Ok(State::Queue(items))
    }

    fn next_raw(&mut self) -> Option<Item> {
        match &mut self.state {
            State::Queue(q) => q.pop_front(),
            State::Jsonl(r) => r.next(),
            State::Warc(r) => r.next(),
        }
    }

    /// Problems known only once the stream is done: warnings from reading
    /// (trailing gzip data) and the count of problems not listed.
    fn finish(&mut self) -> VecDeque<Item> {
        let mut tail = VecDeque::new();
        for note in self.notes.take() {
            tail.push_back(Item::Problem(Problem::warning(&self.label, note)));
        }
        if let Some(p) = self.budget.summary(&self.label) {
            tail.push_back(Item::Problem(p));
        }
        tail
    }
}

impl Iterator for FileReader<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            match self.next_raw() {
                Some(Item::Doc(d)) => {
                    let n = d.text.chars().count();
                    if n <= self.limits.max_doc_chars {
                        return Some(Item::Doc(d));
                    }
                    let p = Problem::skipped(
                        d.source(),
                        format!(
                            "document has {n} characters, over the {} limit",
                            self.limits.max_doc_chars
                        ),
                    );
                    if self.budget.admit(&p) {
                        return Some(Item::Problem(p));
                    }
                }
                Some(Item::Problem(p)) => {
                    if self.budget.admit(&p) {
                        return Some(Item::Problem(p));
                    }
                }
                None if self.finished => return None,
                None => {
                    self.finished = true;
                    // Tail problems are not counted against the budget.
                    let tail = self.finish();
                    self.budget.disable();
                    self.state = State::Queue(tail);
                }
            }
        }
    }
}

/// Caps how many problems one file lists; the rest are counted.
struct ProblemBudget {
    left: usize,
    skipped: usize,
    warnings: usize,
    enabled: bool,
}

impl ProblemBudget {
    fn new(max: usize) -> Self {
        ProblemBudget {
            left: max,
            skipped: 0,
            warnings: 0,
            enabled: true,
        }
    }

    fn admit(&mut self, p: &Problem) -> bool {
        if !self.enabled {
            return true;
        }
        if self.left > 0 {
            self.left -= 1;
            return true;
        }
        match p.severity {
            Severity::Skipped => self.skipped += 1,
            Severity::Warning => self.warnings += 1,
        }
        false
    }

    fn disable(&mut self) {
        self.enabled = false;
    }

    fn summary(&self, label: &str) -> Option<Problem> {
        let n = self.skipped + self.warnings;
        if n == 0 {
            return None;
        }
        let reason = format!(
            "{n} more problems not listed ({} skipped, {} warnings)",
            self.skipped, self.warnings
        );
        Some(if self.skipped > 0 {
            Problem::skipped(label, reason)
        } else {
            Problem::warning(label, reason)
        })
    }
}

/// The documents of a WARC, one record at a time.
struct WarcPages<'a> {
    reader: WarcReader<'a>,
    label: String,
    pending: VecDeque<Item>,
    pages: usize,
    problems: usize,
    ended: bool,
}

impl WarcPages<'_> {
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let Some(events) = self.reader.next() else {
                return self.end();
            };
            for ev in events {
                let item = match ev {
                    WarcEvent::Page(page) => {
                        let decoded = decode::decode(&page.body, page.charset.as_deref());
                        let at = if page.uri.is_empty() {
                            self.label.clone()
                        } else {
                            page.uri
                        };
                        match html_doc(&self.label, &decoded.text, Some(&at)) {
                            Ok(mut d) => {
                                // The crawl date is when the page was
                                // fetched, not published: it is not used.
                                d.format = Format::Warc;
                                self.pages += 1;
                                Item::Doc(d)
                            }
                            Err(p) => Item::Problem(p),
                        }
                    }
                    WarcEvent::Warning(w) => {
                        Item::Problem(Problem::warning(&self.label, format!("WARC: {w}")))
                    }
                    WarcEvent::Skipped(w) => {
                        Item::Problem(Problem::skipped(&self.label, format!("WARC: {w}")))
                    }
                };
                if matches!(item, Item::Problem(_)) {
                    self.problems += 1;
                }
                self.pending.push_back(item);
            }
        }
    }

    /// The last problem of a WARC: why reading stopped early, or that it
    /// held nothing to read.
    fn end(&mut self) -> Option<Item> {
        if self.ended {
            return None;
        }
        self.ended = true;
        if let Some(e) = self.reader.stream_error() {
            return Some(Item::Problem(Problem::skipped(
                &self.label,
                format!("{e}; kept the {} pages before it", self.pages),
            )));
        }
        if self.pages == 0 && self.problems == 0 {
            return Some(Item::Problem(Problem::skipped(
                &self.label,
                "WARC has no HTML responses",
            )));
        }
        None
    }
}

fn text_doc(label: &str, text: &str) -> Item {
    let body = text.trim();
    if body.is_empty() {
        return Item::Problem(Problem::skipped(label, "file has no text"));
    }
    let meta = textmeta::read(body);
    Item::Doc(RawDoc {
        sources: vec![label.to_string()],
        title: meta.title,
        published: meta.published,
        byline: meta.byline,
        language: None,
        text: body.to_string(),
        format: Format::Text,
    })
}

/// An HTML page's article. `record` is the page's own address inside an
/// archive; for a page read from a file, the file comes first. The
/// canonical URL the page names follows either way.
fn html_doc(label: &str, page: &str, record: Option<&str>) -> Result<RawDoc, Problem> {
    let article = html::extract(page);
    let body = article.text.trim();
    let at = record.unwrap_or(label);
    if body.is_empty() {
        return Err(Problem::skipped(at, "no article text found in the HTML"));
    }
    let mut sources = vec![at.to_string()];
    if let Some(url) = article.url.filter(|u| u != at) {
        sources.push(url);
    }
    // Metadata wins; the text's own dateline fills what metadata lacks.
    let from_text = textmeta::read(body);
    Ok(RawDoc {
        sources,
        title: article.title.or(from_text.title),
        published: article.published.or(from_text.published),
        byline: article.byline.or(from_text.byline),
        language: article.language,
        text: body.to_string(),
        format: Format::Html,
    })
}
