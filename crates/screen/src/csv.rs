//! A small streaming CSV reader (RFC 4180: quoted fields, doubled quotes,
//! line breaks inside quotes, CRLF) that reports the line each record
//! starts on and refuses records over a size limit.
//!
//! OFAC's files end with a DOS end-of-file byte (0x1A) on some vintages;
//! it is read as the end of the data. Bytes that are not UTF-8 are read as
//! Windows-1252, the encoding OFAC's legacy files were published in.

use std::io::BufRead;

/// A record longer than this (bytes) is refused rather than read.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line the record starts on.
    pub line: usize,
    pub fields: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("line {line}: {source}")]
    Io { line: usize, source: std::io::Error },
    #[error("line {line}: record longer than {MAX_RECORD_BYTES} bytes")]
    TooLong { line: usize },
    #[error("line {line}: quoted field not closed before the end of the file")]
    Unclosed { line: usize },
    #[error("line {line}: unexpected character after a closing quote")]
    AfterQuote { line: usize },
}

pub struct CsvReader<R> {
    inner: R,
    /// Lines consumed so far.
    line: usize,
    done: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> CsvReader<R> {
    pub fn new(inner: R) -> Self {
        CsvReader {
            inner,
            line: 0,
            done: false,
            buf: Vec::new(),
        }
    }

    /// Reads one physical line into `self.buf` (appending); false at EOF.
    fn read_line(&mut self) -> Result<bool, CsvError> {
        let start = self.buf.len();
        let limit = (MAX_RECORD_BYTES + 2).saturating_sub(start) as u64;
        let n = std::io::Read::take(&mut self.inner, limit)
            .read_until(b'\n', &mut self.buf)
            .map_err(|source| CsvError::Io {
                line: self.line + 1,
                source,
            })?;
        if n == 0 {
            return Ok(false);
        }
        self.line += 1;
        if self.buf.len() > MAX_RECORD_BYTES {
            return Err(CsvError::TooLong { line: self.line });
        }
        // A DOS end-of-file marker ends the data.
        if let Some(p) = self.buf[start..].iter().position(|&b| b == 0x1A) {
            self.buf.truncate(start + p);
            self.done = true;
        }
        Ok(true)
    }

    /// The next record, or `None` at the end of the data. Blank lines are
    /// skipped.
    pub fn next_record(&mut self) -> Result<Option<Record>, CsvError> {
        loop {
            if self.done {
                return Ok(None);
            }
            self.buf.clear();
            if !self.read_line()? {
                return Ok(None);
            }
            let start_line = self.line;
            // Extend with more lines while a quote is open.
            while open_quote(&self.buf) {
                if self.done || !self.read_line()? {
                    return Err(CsvError::Unclosed { line: start_line });
                }
            }
            let text = decode(&self.buf);
            let body = text.trim_end_matches(['\n', '\r']);
            if body.trim().is_empty() {
                continue;
            }
            let fields = split_fields(body).ok_or(CsvError::AfterQuote { line: start_line })?;
            return Ok(Some(Record {
                line: start_line,
                fields,
            }));
        }
    }
}

impl<R: BufRead> Iterator for CsvReader<R> {
    type Item = Result<Record, CsvError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

/// Whether the bytes end inside a quoted field.
fn open_quote(b: &[u8]) -> bool {
    b.iter().filter(|&&c| c == b'"').count() % 2 == 1
}

fn decode(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| windows_1252(c)).collect(),
    }
}

/// Windows-1252 byte to char (the 0x80..0x9F block differs from Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Splits one record; `None` when a closing quote is followed by anything
/// but a comma or the end.
fn split_fields(s: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut at_start = true;
    loop {
        let Some(c) = chars.next() else {
            fields.push(std::mem::take(&mut cur));
            return Some(fields);
        };
        if c == '"' && at_start && cur.trim().is_empty() {
            cur.clear();
            // Quoted field.
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        cur.push('"');
                    }
                    Some('"') => break,
                    Some(ch) => cur.push(ch),
                    None => break,
                }
            }
            // Only spaces may follow before the separator.
            loop {
                match chars.next() {
                    Some(',') => {
                        fields.push(std::mem::take(&mut cur));
                        at_start = true;
                        break;
                    }
                    Some(' ') | Some('\t') => {}
                    Some(_) => return None,
                    None => {
                        fields.push(std::mem::take(&mut cur));
                        return Some(fields);
                    }
                }
            }
            continue;
        }
        if c == ',' {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
        } else {
            cur.push(c);
            if !c.is_whitespace() {
                at_start = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8]) -> Result<Vec<Record>, CsvError> {
        CsvReader::new(s).collect()
    }

    #[test]
    fn quotes_newlines_and_line_numbers() {
        let r = read(b"1,\"a, b\",c\n\n2,\"say \"\"hi\"\"\",\"x\ny\"\r\n3,-0- ,z").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].fields, ["1", "a, b", "c"]);
        assert_eq!(r[1].line, 3);
        assert_eq!(r[1].fields, ["2", "say \"hi\"", "x\ny"]);
        assert_eq!(r[2].line, 5);
        assert_eq!(r[2].fields, ["3", "-0- ", "z"]);
    }

    #[test]
    fn dos_eof_marker_ends_the_data() {
        let r = read(b"1,a\r\n2,b\r\n\x1a").unwrap();
        assert_eq!(r.len(), 2);
        let r = read(b"1,a\r\n\x1a2,b\r\n").unwrap();
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let e = read(b"1,a\n2,\"open\n3,b\n").unwrap_err();
        assert!(matches!(e, CsvError::Unclosed { line: 2 }), "{e}");
        let e = read(b"1,a\n2,\"x\"y,b\n").unwrap_err();
        assert!(matches!(e, CsvError::AfterQuote { line: 2 }), "{e}");
        let mut big = b"1,".to_vec();
        big.extend(std::iter::repeat_n(b'a', MAX_RECORD_BYTES + 10));
        let e = read(&big).unwrap_err();
        assert!(matches!(e, CsvError::TooLong { line: 1 }), "{e}");
    }

    #[test]
    fn legacy_bytes_read_as_windows_1252() {
        let r = read(b"1,Jos\xe9 \x93Pepe\x94\n").unwrap();
        assert_eq!(r[0].fields[1], "José “Pepe”");
    }

    proptest::proptest! {
        #[test]
        fn written_records_read_back(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z ,\"\n\u{e9}'-]{0,12}", 1..5), 1..6)) {
            let mut text = String::new();
            for row in &rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect();
                text.push_str(&cells.join(","));
                text.push_str("\r\n");
            }
            let back = read(text.as_bytes()).unwrap();
            let got: Vec<Vec<String>> = back.into_iter().map(|r| r.fields).collect();
            // Rows of one empty quoted cell are blank lines... unless quoted:
            // `""` is not blank, so every row comes back.
            proptest::prop_assert_eq!(got, rows);
        }

        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = read(&b);
        }
    }
}
