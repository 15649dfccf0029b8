//! WARC archives: HTTP `response` (and `resource`) records that hold HTML
//! become documents, with the target URI as their source.
//!
//! Records are read one at a time from the stream. A record whose
//! `Content-Length` does not end at a record boundary (or is missing) is
//! read up to the next `WARC/1.` header, and the walk goes on from there:
//! one bad length does not lose the records after it.

use crate::human_bytes;
use crate::input::Input;
use std::io::Read;

/// One archived page, before decoding and extraction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WarcPage {
    pub uri: String,
    pub body: Vec<u8>,
    /// `charset` of the HTTP Content-Type, if any.
    pub charset: Option<String>,
}

/// What reading one record gave.
#[derive(Debug, PartialEq)]
pub(crate) enum WarcEvent {
    Page(WarcPage),
    /// The record was read with a caveat.
    Warning(String),
    /// Bytes or a record were skipped.
    Skipped(String),
}

/// A WARC header longer than this is not a header.
const MAX_HEADER: usize = 64 << 10;
/// How far past a block's end to look for the next record's start.
const BOUNDARY_LOOKAHEAD: usize = 64;
/// The start of a record header, at the start of a line.
const RECORD_START: &[u8] = b"WARC/1.";

pub(crate) struct WarcReader<'a> {
    input: Input<'a>,
    record: usize,
    max_record: usize,
    /// Decompressed HTTP bodies are cut off here.
    max_body: u64,
    done: bool,
}

impl<'a> WarcReader<'a> {
    pub fn new(input: Input<'a>, max_record: usize, max_body: u64) -> Self {
        WarcReader {
            input,
            record: 0,
            max_record,
            max_body,
            done: false,
        }
    }

    /// The error that ended the stream early (corrupt gzip, a size limit).
    pub fn stream_error(&self) -> Option<&str> {
        self.input.error()
    }

    fn skip_blank_lines(&mut self) {
        loop {
            let n = self
                .input
                .peek(4096)
                .iter()
                .take_while(|&&b| matches!(b, b'\r' | b'\n'))
                .count();
            if n == 0 {
                return;
            }
            self.input.consume(n);
        }
    }

    /// Consumes bytes up to the next record start after `from` (or to
    /// the end); returns how many were skipped. Memory stays at one
    /// look-ahead window.
    fn resync(&mut self, from: usize) -> u64 {
        const WINDOW: usize = 1 << 20;
        let mut skipped = 0u64;
        let mut from = from;
        loop {
            let want = from + WINDOW;
            let window = self.input.peek(want);
            let len = window.len();
            if let Some(at) = find_record_start(window, from) {
                self.input.consume(at);
                return skipped + at as u64;
            }
            if len < want {
                self.input.consume(len);
                return skipped + len as u64;
            }
            // Keep the tail: a record start may straddle two windows.
            let n = len - RECORD_START.len();
            self.input.consume(n);
            skipped += n as u64;
            from = 0;
        }
    }

    fn read_record(&mut self) -> Vec<WarcEvent> {
        self.skip_blank_lines();
        let at = self.input.offset();
        let head = self.input.peek(5);
        if head.is_empty() {
            self.done = true;
            return Vec::new();
        }
        if head != b"WARC/" {
            let n = self.resync(0);
            return vec![WarcEvent::Skipped(format!(
                "not a WARC record at byte {at}: skipped {} to the next record",
                human_bytes(n)
            ))];
        }
        self.record += 1;
        let record = self.record;
        let window = self.input.peek(MAX_HEADER);
        let Some((header_len, sep_len)) = header_end(window) else {
            if window.len() < MAX_HEADER {
                self.done = true;
                let n = window.len();
                self.input.consume(n);
                return vec![WarcEvent::Skipped(format!(
                    "record {record}: truncated WARC header"
                ))];
            }
            let n = self.resync(5);
            return vec![WarcEvent::Skipped(format!(
                "record {record}: header longer than {}; skipped {} to the next record",
                human_bytes(MAX_HEADER as u64),
                human_bytes(n)
            ))];
        };
        let header = Header::parse(&window[..header_len]);
        let block_start = header_len + sep_len;
        let mut events = Vec::new();
        let block = match header.content_length {
            Some(len) if len > self.max_record => {
                let n = self.resync(block_start);
                return vec![WarcEvent::Skipped(format!(
                    "record {record}: Content-Length {len} is over the {} limit; skipped {} to the next record",
                    human_bytes(self.max_record as u64),
                    human_bytes(n)
                ))];
            }
            Some(len) => match self.block_with_length(block_start, len) {
                Ok(block) => block,
                Err(Some(block)) => {
                    events.push(WarcEvent::Warning(format!(
                        "record {record}: Content-Length {len} does not end at a record boundary; read the record up to the next `WARC/1.` header"
                    )));
                    block
                }
                Err(None) => {
                    self.done = true;
                    let left = self
                        .input
                        .peek(block_start + len)
                        .len()
                        .saturating_sub(block_start);
                    return vec![WarcEvent::Skipped(format!(
                        "record {record}: truncated (Content-Length {len}, {left} bytes left)"
                    ))];
                }
            },
            None => match self.block_to_next_record(block_start) {
                Some(block) => {
                    events.push(WarcEvent::Warning(format!(
                        "record {record}: missing or bad Content-Length; read the record up to the next `WARC/1.` header"
                    )));
                    block
                }
                None => {
                    let n = self.resync(block_start);
                    return vec![WarcEvent::Skipped(format!(
                        "record {record}: missing or bad Content-Length and no next record within {}; skipped {}",
                        human_bytes(self.max_record as u64),
                        human_bytes(n)
                    ))];
                }
            },
        };
        if let Some(page) = header.page(&block, self.max_body) {
            events.push(WarcEvent::Page(page));
        }
        events
    }

    /// The block of `len` bytes at `block_start`, when the next record (or
    /// the end) follows it. `Err(Some)` is the block cut at the next record
    /// start when the length is wrong; `Err(None)` a truncated file.
    fn block_with_length(
        &mut self,
        block_start: usize,
        len: usize,
    ) -> Result<Vec<u8>, Option<Vec<u8>>> {
        let end = block_start + len;
        let window = self.input.peek(end + BOUNDARY_LOOKAHEAD);
        if window.len() >= end && at_boundary(&window[end..]) {
            let block = window[block_start..end].to_vec();
            self.input.consume(end);
            return Ok(block);
        }
        // The length is wrong, or the file ends inside the block.
        match find_record_start(window, block_start + 1) {
            Some(at) => {
                let block = trim_record_end(&window[block_start..at]).to_vec();
                self.input.consume(at);
                Err(Some(block))
            }
            None if window.len() < end => Err(None),
            None => self.block_to_next_record(block_start).ok_or(None),
        }
    }

    /// The bytes from `block_start` to the next record start or the end,
    /// if that is within the record size limit.
    fn block_to_next_record(&mut self, block_start: usize) -> Option<Vec<u8>> {
        let window = self.input.peek(block_start + self.max_record + 1);
        let end = match find_record_start(window, block_start + 1) {
            Some(at) => at,
            None if window.len() <= block_start + self.max_record => window.len(),
            None => return None,
        };
        let block = trim_record_end(&window[block_start..end]).to_vec();
        self.input.consume(end);
        Some(block)
    }
}

impl Iterator for WarcReader<'_> {
    type Item = Vec<WarcEvent>;

    /// The events of the next record (possibly none); `None` at the end.
    fn next(&mut self) -> Option<Vec<WarcEvent>> {
        if self.done {
            return None;
        }
        let events = self.read_record();
        if self.done && events.is_empty() {
            return None;
        }
        Some(events)
    }
}

/// Where a record header ends and how long its blank-line separator is.
fn header_end(window: &[u8]) -> Option<(usize, usize)> {
    match (find(window, b"\r\n\r\n"), find(window, b"\n\n")) {
        (Some(a), Some(b)) if b < a => Some((b, 2)),
        (Some(a), _) => Some((a, 4)),
        (None, Some(b)) => Some((b, 2)),
        (None, None) => None,
    }
}

/// After a block come blank lines, then the next record or the end.
fn at_boundary(after: &[u8]) -> bool {
    let rest = trim_leading_newlines(after);
    rest.is_empty() && after.len() < BOUNDARY_LOOKAHEAD || rest.starts_with(b"WARC/")
}

fn trim_leading_newlines(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .take_while(|&&c| matches!(c, b'\r' | b'\n'))
        .count();
    &b[n..]
}

/// A block cut at the next record loses the blank lines that end it.
fn trim_record_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rev()
        .take_while(|&&c| matches!(c, b'\r' | b'\n'))
        .count()
        .min(4);
    &b[..b.len() - n]
}

/// The offset of the first `WARC/1.` at the start of a line, at or
/// after `from` (a line start needs the newline before it).
fn find_record_start(window: &[u8], from: usize) -> Option<usize> {
    let base = from.saturating_sub(1).min(window.len());
    find(&window[base..], b"\nWARC/1.")
        .map(|i| base + i + 1)
        .filter(|&at| at >= from)
}

/// The fields of a record header that matter here.
struct Header {
    kind: String,
    uri: String,
    content_type: String,
    content_length: Option<usize>,
}

impl Header {
    fn parse(bytes: &[u8]) -> Header {
        let text = String::from_utf8_lossy(bytes);
        let mut header = Header {
            kind: String::new(),
            uri: String::new(),
            content_type: String::new(),
            content_length: None,
        };
        for line in text.lines().skip(1) {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let v = v.trim();
            match k.trim().to_ascii_lowercase().as_str() {
                "warc-type" => header.kind = v.to_ascii_lowercase(),
                "warc-target-uri" => header.uri = v.trim_matches(['<', '>']).to_string(),
                "content-type" => header.content_type = v.to_ascii_lowercase(),
                "content-length" => header.content_length = v.parse().ok(),
                _ => {}
            }
        }
        header
    }

    /// The HTML page a record holds, if any.
    fn page(&self, block: &[u8], max_body: u64) -> Option<WarcPage> {
        match self.kind.as_str() {
            "response" if self.content_type.starts_with("application/http") => {
                let (ctype, body) = http_body(block, max_body)?;
                is_html(&ctype, &body).then(|| WarcPage {
                    uri: self.uri.clone(),
                    body,
                    charset: charset_of(&ctype),
                })
            }
            "resource" if is_html(&self.content_type, block) => Some(WarcPage {
                uri: self.uri.clone(),
                body: block.to_vec(),
                charset: charset_of(&self.content_type),
            }),
            _ => None,
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_html(content_type: &str, body: &[u8]) -> bool {
    if content_type.contains("html") {
        return true;
    }
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    content_type.is_empty() && (head.contains("<html") || head.contains("<!doctype html"))
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_string())
        .next()
}

/// Splits an HTTP response into its Content-Type and decoded body
/// (chunked transfer and gzip/deflate content encodings undone).
fn http_body(block: &[u8], max_body: u64) -> Option<(String, Vec<u8>)> {
    let (head_len, sep) = match (find(block, b"\r\n\r\n"), find(block, b"\n\n")) {
        (Some(a), Some(b)) if b < a => (b, 2),
        (Some(a), _) => (a, 4),
        (None, Some(b)) => (b, 2),
        (None, None) => return None,
    };
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.lines();
    let status = lines.next()?;
    let code: u16 = status.split_whitespace().nth(1)?.parse().ok()?;
    if !(200..300).contains(&code) {
        return None;
    }
    let mut ctype = String::new();
    let mut chunked = false;
    let mut encoding = String::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => ctype = v.trim().to_ascii_lowercase(),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                "content-encoding" => encoding = v.trim().to_ascii_lowercase(),
                _ => {}
            }
        }
    }
    let mut body = block[head_len + sep..].to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    match encoding.as_str() {
        "gzip" | "x-gzip" => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .take(max_body)
                .read_to_end(&mut out)
                .ok()?;
            body = out;
        }
        "deflate" => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
                .take(max_body)
                .read_to_end(&mut out)
                .ok()?;
            body = out;
        }
        _ => {}
    }
    Some((ctype, body))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data.strip_prefix(b"\r\n").unwrap_or(data);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(kind: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2021-01-18T10:00:00Z\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    pub(crate) fn http(html: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}")
            .into_bytes()
    }

    /// Every page and every other event of a WARC held in memory.
    pub(crate) fn pages(data: &[u8]) -> (Vec<WarcPage>, Vec<WarcEvent>) {
        let (mut pages, mut other) = (Vec::new(), Vec::new());
        for ev in WarcReader::new(Input::new(data), 1 << 20, 1 << 20).flatten() {
            match ev {
                WarcEvent::Page(p) => pages.push(p),
                e => other.push(e),
            }
        }
        (pages, other)
    }

    fn response(i: usize, len_delta: i64) -> Vec<u8> {
        let block = http(&format!("<html><body><p>Page {i}</p></body></html>"));
        let len = block.len() as i64 + len_delta;
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/{i}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {len}\r\n\r\n"
        )
        .into_bytes();
        r.extend_from_slice(&block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn uris(pages: &[WarcPage]) -> Vec<&str> {
        pages.iter().map(|p| p.uri.as_str()).collect()
    }

    #[test]
    fn responses_with_html_become_pages() {
        let mut data = record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        );
        data.extend(record(
            "request",
            "https://example.org/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        ));
        data.extend(record(
            "response",
            "https://example.org/a",
            "application/http; msgtype=response",
            &http("<html><body><p>Hi</p></body></html>"),
        ));
        data.extend(record(
            "response",
            "https://example.org/img",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        let (pages, other) = pages(&data);
        assert_eq!(other, []);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].uri, "https://example.org/a");
        assert_eq!(pages[0].charset.as_deref(), Some("utf-8"));
        assert!(String::from_utf8_lossy(&pages[0].body).contains("<p>Hi</p>"));
    }

    #[test]
    fn chunked_body() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n<html>\r\n7\r\n</html>\r\n0\r\n\r\n";
        let data = record("response", "u", "application/http; msgtype=response", block);
        let (pages, other) = pages(&data);
        assert_eq!(other, []);
        assert_eq!(pages[0].body, b"<html></html>");
    }

    #[test]
    fn truncated_record_keeps_earlier_pages() {
        let mut data = response(1, 0);
        let second = response(2, 0);
        data.extend_from_slice(&second[..second.len() - 20]);
        let (pages, other) = pages(&data);
        assert_eq!(uris(&pages), ["https://example.org/1"]);
        assert!(
            matches!(&other[..], [WarcEvent::Skipped(e)] if e.starts_with("record 2: truncated")),
            "{other:?}"
        );
    }

    #[test]
    fn bad_content_length_resynchronises() {
        // Too long, too short, negative, far too long: the record is read
        // up to the next header, with a warning, and the others are kept.
        for delta in [40, -10, -200, 100_000] {
            let mut data = response(1, delta);
            data.extend(response(2, 0));
            data.extend(response(3, 0));
            let (pages, other) = pages(&data);
            assert_eq!(
                uris(&pages),
                [
                    "https://example.org/1",
                    "https://example.org/2",
                    "https://example.org/3"
                ],
                "delta {delta}: {other:?}"
            );
            assert_eq!(pages[0].body, b"<html><body><p>Page 1</p></body></html>");
            assert!(
                matches!(&other[..], [WarcEvent::Warning(w)] if w.starts_with("record 1: ")),
                "delta {delta}: {other:?}"
            );
        }
        // Over the record limit: the record is skipped, the rest kept.
        let mut data = response(1, 10 << 20);
        data.extend(response(2, 0));
        let (pages, other) = pages(&data);
        assert_eq!(uris(&pages), ["https://example.org/2"]);
        assert!(
            matches!(&other[..], [WarcEvent::Skipped(w)] if w.contains("over the 1.0 MB limit")),
            "{other:?}"
        );
    }

    #[test]
    fn missing_length_reads_to_the_next_record() {
        let mut data = response(1, 0);
        let text = String::from_utf8(data.clone()).unwrap();
        data = text.replace("Content-Length", "X-Length").into_bytes();
        data.extend(response(2, 0));
        let (pages, other) = pages(&data);
        assert_eq!(
            uris(&pages),
            ["https://example.org/1", "https://example.org/2"]
        );
        assert!(
            matches!(&other[..], [WarcEvent::Warning(w)] if w.contains("missing or bad Content-Length"))
        );
    }

    #[test]
    fn garbage_is_reported_and_skipped() {
        let mut data = b"hello world\r\n\r\nmore\n".to_vec();
        data.extend(response(1, 0));
        let (pages, other) = pages(&data);
        assert_eq!(uris(&pages), ["https://example.org/1"]);
        assert!(
            matches!(&other[..], [WarcEvent::Skipped(e)] if e.starts_with("not a WARC record at byte 0: skipped 20 bytes")),
            "{other:?}"
        );
    }

    proptest::proptest! {
        /// Whatever is damaged (bytes cut, changed or inserted anywhere),
        /// reading never panics, every page comes from a record of the
        /// input, and the records far enough from the damage survive.
        #[test]
        fn damage_is_contained(
            n in 2usize..6,
            at in proptest::num::usize::ANY,
            junk in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            cut in 0usize..30,
        ) {
            let records: Vec<Vec<u8>> = (0..n).map(|i| response(i, 0)).collect();
            let mut data: Vec<u8> = records.concat();
            let pos = at % data.len();
            let end = (pos + cut).min(data.len());
            data.splice(pos..end, junk.iter().copied());
            let (pages, _) = pages(&data);
            // Every page is made of bytes of the input: nothing invented.
            for p in &pages {
                let within = |part: &[u8]| part.is_empty() || find(&data, part).is_some();
                proptest::prop_assert!(String::from_utf8_lossy(&data).contains(&p.uri));
                proptest::prop_assert!(within(&p.body));
            }
            // Records wholly after the damage (and not right after it,
            // where the damaged record's length may reach) are all kept.
            let mut start = 0;
            for (i, r) in records.iter().enumerate() {
                if start > end + junk.len() + 64 {
                    let uri = format!("https://example.org/{i}");
                    proptest::prop_assert!(pages.iter().any(|p| p.uri == uri), "lost {} (damage at {}..{})", uri, pos, end);
                }
                start += r.len();
            }
        }
    }
}
