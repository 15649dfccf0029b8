//! Byte streams for the readers: a buffer that can look ahead without
//! consuming, a size cap, gzip members read like `zcat`, and UTF-16 turned
//! into UTF-8 on the fly. Memory is bounded by how far a reader looks
//! ahead, never by the size of the file.

use crate::human_bytes;
use encoding_rs::{Decoder, Encoding};
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

const CHUNK: usize = 64 << 10;

/// Warnings noticed while bytes were read (trailing data after gzip,
/// undecodable UTF-16), collected for the file's report.
#[derive(Clone, Default)]
pub(crate) struct Notes(Arc<Mutex<Vec<String>>>);

impl Notes {
    pub fn push(&self, note: String) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(note);
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A byte stream with look-ahead. A read error ends the stream; the error
/// is kept for the report.
pub(crate) struct Input<'a> {
    inner: Box<dyn Read + Send + 'a>,
    buf: Vec<u8>,
    start: usize,
    eof: bool,
    error: Option<String>,
    /// Stream offset of `buf[start]`.
    offset: u64,
}

impl<'a> Input<'a> {
    pub fn new(inner: impl Read + Send + 'a) -> Self {
        Input {
            inner: Box::new(inner),
            buf: Vec::new(),
            start: 0,
            eof: false,
            error: None,
            offset: 0,
        }
    }

    /// Up to `n` unconsumed bytes; fewer only at the end of the stream.
    pub fn peek(&mut self, n: usize) -> &[u8] {
        while self.buf.len() - self.start < n && self.fill_more() {}
        let end = self.start.saturating_add(n).min(self.buf.len());
        &self.buf[self.start..end]
    }

    /// Reads one more chunk; false at the end of the stream.
    fn fill_more(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let got = loop {
            match self.inner.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.error = Some(e.to_string());
                    break 0;
                }
            }
        };
        self.buf.truncate(old + got);
        if got == 0 {
            self.eof = true;
        }
        got > 0
    }

    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.buf.len() - self.start);
        self.start += n;
        self.offset += n as u64;
    }

    /// Offset of the next unconsumed byte from the start of the stream.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// True when every byte has been consumed.
    pub fn at_end(&mut self) -> bool {
        self.peek(1).is_empty()
    }

    /// The error that ended the stream early, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Consumes everything left; returns how many bytes that was.
    pub fn skip_to_end(&mut self) -> u64 {
        let mut n = 0u64;
        loop {
            let have = self.buf.len() - self.start;
            if have == 0 && !self.fill_more() {
                return n;
            }
            let have = self.buf.len() - self.start;
            self.consume(have);
            n += have as u64;
        }
    }

    /// Reads everything left, up to `cap` bytes. `Err` carries how many
    /// bytes were seen when the cap was passed.
    pub fn read_rest(&mut self, cap: usize) -> Result<Vec<u8>, usize> {
        let have = self.peek(cap.saturating_add(1)).len();
        if have > cap {
            return Err(have);
        }
        let out = self.buf[self.start..self.start + have].to_vec();
        self.consume(have);
        Ok(out)
    }

    /// The next line without its `\n`, or how long it was when it is over
    /// `max` bytes (then it is skipped without being kept in memory).
    pub fn next_line(&mut self, max: usize) -> Option<Line> {
        let mut scanned = 0;
        loop {
            let avail = &self.buf[self.start..];
            if let Some(i) = avail[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i;
                if end > max {
                    self.consume(end + 1);
                    return Some(Line::TooLong(end as u64));
                }
                let line = avail[..end].to_vec();
                self.consume(end + 1);
                return Some(Line::Text(line));
            }
            scanned = avail.len();
            if scanned > max {
                return Some(Line::TooLong(self.skip_line()));
            }
            if !self.fill_more() {
                let rest = self.buf.len() - self.start;
                if rest == 0 {
                    return None;
                }
                if rest > max {
                    self.consume(rest);
                    return Some(Line::TooLong(rest as u64));
                }
                let line = self.buf[self.start..].to_vec();
                self.consume(rest);
                return Some(Line::Text(line));
            }
        }
    }

    /// Consumes up to and including the next `\n`; returns the line length.
    fn skip_line(&mut self) -> u64 {
        let mut n = 0u64;
        loop {
            let avail = &self.buf[self.start..];
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                self.consume(i + 1);
                return n + i as u64;
            }
            let len = avail.len();
            self.consume(len);
            n += len as u64;
            if !self.fill_more() {
                return n;
            }
        }
    }
}

impl Read for Input<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Input<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.buf.len() {
            self.fill_more();
        }
        Ok(&self.buf[self.start..])
    }

    fn consume(&mut self, n: usize) {
        Input::consume(self, n)
    }
}

pub(crate) enum Line {
    Text(Vec<u8>),
    TooLong(u64),
}

/// Fails the read once more than `limit` bytes came through: a file that
/// grows while it is read, or one whose size the system does not report,
/// cannot get past the size limit.
pub(crate) struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R> Capped<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One byte more than allowed means the file is too big.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(format!(
                    "file is over the {} limit",
                    human_bytes(self.limit)
                ))),
            };
        }
        let want = out.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut out[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Concatenated gzip members, decompressed. Bytes after the last member
/// that do not start another one are ignored with a warning, as `zcat`
/// does; a corrupt or truncated member is an error. Output past `cap`
/// bytes is an error.
pub(crate) struct Gunzip<'a> {
    state: GzState<'a>,
    members: usize,
    out: u64,
    cap: u64,
    notes: Notes,
}

enum GzState<'a> {
    Member(Box<flate2::bufread::GzDecoder<Input<'a>>>),
    Between(Input<'a>),
    Done,
}

impl<'a> Gunzip<'a> {
    pub fn new(input: Input<'a>, cap: u64, notes: Notes) -> Self {
        Gunzip {
            state: GzState::Between(input),
            members: 0,
            out: 0,
            cap,
            notes,
        }
    }
}

/// A gzip member starts with the magic bytes and the deflate method.
const GZIP_MEMBER: [u8; 3] = [0x1f, 0x8b, 0x08];

impl Read for Gunzip<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, GzState::Done) {
                GzState::Done => return Ok(0),
                GzState::Between(mut input) => {
                    let head = input.peek(3);
                    if head.is_empty() {
                        return Ok(0);
                    }
                    if head == GZIP_MEMBER {
                        self.members += 1;
                        let decoder = flate2::bufread::GzDecoder::new(input);
                        self.state = GzState::Member(Box::new(decoder));
                        continue;
                    }
                    if self.members == 0 {
                        return Err(io::Error::other("not gzip data"));
                    }
                    let at = self.out;
                    let extra = input.skip_to_end();
                    self.notes.push(format!(
                        "ignored {} of trailing data after the gzip stream (as zcat does; \
                         {} decompressed before it)",
                        human_bytes(extra),
                        human_bytes(at)
                    ));
                    return Ok(0);
                }
                GzState::Member(mut decoder) => {
                    // At the cap, one more byte decides whether it was passed.
                    let room = (self.cap - self.out).min(out.len() as u64) as usize;
                    let mut probe = [0u8; 1];
                    let target = if room == 0 && !out.is_empty() {
                        &mut probe[..]
                    } else {
                        &mut out[..room]
                    };
                    match decoder.read(target) {
                        Ok(0) if !target.is_empty() => {
                            self.state = GzState::Between(decoder.into_inner());
                        }
                        Ok(_) if room == 0 && !out.is_empty() => {
                            return Err(io::Error::other(format!(
                                "decompressed data is over the {} limit",
                                human_bytes(self.cap)
                            )));
                        }
                        Ok(n) => {
                            self.out += n as u64;
                            self.state = GzState::Member(decoder);
                            return Ok(n);
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                            self.state = GzState::Member(decoder);
                        }
                        Err(e) => {
                            return Err(io::Error::other(format!(
                                "truncated or corrupt gzip stream ({e})"
                            )))
                        }
                    }
                }
            }
        }
    }
}

/// Text in a non-ASCII-compatible encoding (UTF-16) turned into UTF-8 as
/// it is read.
pub(crate) struct ToUtf8<'a> {
    input: Input<'a>,
    decoder: Decoder,
    out: Vec<u8>,
    pos: usize,
    done: bool,
    had_errors: bool,
    notes: Notes,
}

impl<'a> ToUtf8<'a> {
    pub fn new(input: Input<'a>, encoding: &'static Encoding, notes: Notes) -> Self {
        ToUtf8 {
            input,
            decoder: encoding.new_decoder_without_bom_handling(),
            out: Vec::new(),
            pos: 0,
            done: false,
            had_errors: false,
            notes,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        let chunk = self.input.fill_buf()?;
        let last = chunk.is_empty();
        let room = self
            .decoder
            .max_utf8_buffer_length(chunk.len())
            .unwrap_or(CHUNK * 3)
            .max(16);
        self.out.clear();
        self.out.resize(room, 0);
        let (_, read, written, errors) = self.decoder.decode_to_utf8(chunk, &mut self.out, last);
        self.out.truncate(written);
        self.pos = 0;
        self.input.consume(read);
        if errors && !self.had_errors {
            self.had_errors = true;
            self.notes.push(format!(
                "invalid {} sequences replaced with U+FFFD",
                self.decoder.encoding().name()
            ));
        }
        if last {
            self.done = true;
            if let Some(e) = self.input.error() {
                return Err(io::Error::other(e.to_string()));
            }
        }
        Ok(())
    }
}

impl Read for ToUtf8<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = (self.out.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn gunzip_all(bytes: &[u8], cap: u64) -> (Vec<u8>, Option<String>, Vec<String>) {
        let notes = Notes::default();
        let mut input = Input::new(Gunzip::new(Input::new(bytes), cap, notes.clone()));
        let mut out = Vec::new();
        while let Some(Line::Text(l)) = input.next_line(usize::MAX) {
            out.extend_from_slice(&l);
            out.push(b'\n');
        }
        (out, input.error().map(str::to_string), notes.take())
    }

    #[test]
    fn lines_longer_than_the_limit_are_skipped() {
        let mut input = Input::new(&b"short\nthis line is long\n\nlast"[..]);
        let mut got = Vec::new();
        while let Some(l) = input.next_line(8) {
            got.push(match l {
                Line::Text(t) => String::from_utf8(t).unwrap(),
                Line::TooLong(n) => format!("<{n}>"),
            });
        }
        assert_eq!(got, ["short", "<17>", "", "last"]);
    }

    #[test]
    fn peek_then_read_sees_the_same_bytes() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut input = Input::new(&data[..]);
        assert_eq!(input.peek(100_000), &data[..100_000]);
        input.consume(10);
        assert_eq!(input.offset(), 10);
        assert_eq!(input.read_rest(usize::MAX).unwrap(), &data[10..]);
        assert!(input.at_end());
    }

    #[test]
    fn trailing_garbage_after_gzip_is_a_warning() {
        let mut gz = gzip(b"one\ntwo\n");
        gz.extend_from_slice(b"\x00\x00junk");
        let (out, err, notes) = gunzip_all(&gz, 1 << 20);
        assert_eq!(out, b"one\ntwo\n");
        assert_eq!(err, None);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("6 bytes of trailing data"), "{notes:?}");
    }

    #[test]
    fn concatenated_members_and_caps() {
        let mut gz = gzip(b"a\n");
        gz.extend(gzip(b"b\n"));
        let (out, err, notes) = gunzip_all(&gz, 1 << 20);
        assert_eq!(
            (out.as_slice(), err, notes.len()),
            (&b"a\nb\n"[..], None, 0)
        );
        let (out, err, _) = gunzip_all(&gzip(&[b'x'; 5000]), 100);
        assert_eq!(out.len(), 101, "100 bytes and the final newline");
        assert!(err.unwrap().contains("over the 100 bytes limit"));
        let gz = gzip(&[b'y'; 5000]);
        let (_, err, _) = gunzip_all(&gz[..gz.len() - 9], 1 << 20);
        assert!(err.unwrap().contains("truncated or corrupt gzip"));
    }

    #[test]
    fn capped_reader_refuses_more_than_the_limit() {
        let mut r = Capped::new(&[7u8; 10][..], 10);
        let mut out = Vec::new();
        assert!(r.read_to_end(&mut out).is_ok());
        let mut r = Capped::new(&[7u8; 11][..], 10);
        let err = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("over the 10 bytes limit"));
    }

    #[test]
    fn utf16_is_transcoded_in_small_pieces() {
        let text = "Tehran – Дамаск ".repeat(5000);
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let notes = Notes::default();
        let mut r = ToUtf8::new(Input::new(&bytes[..]), encoding_rs::UTF_16LE, notes.clone());
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        assert!(notes.take().is_empty());
    }
}
