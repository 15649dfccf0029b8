//! WARC archives: HTTP `response` (and `resource`) records that hold HTML
//! become documents, with the target URI as their source.

use std::io::Read;

/// One archived page, before decoding and extraction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WarcPage {
    pub uri: String,
    pub body: Vec<u8>,
    /// `charset` of the HTTP Content-Type, if any.
    pub charset: Option<String>,
    pub date: Option<String>,
}

/// Parses every record in `data`. A truncated or malformed record stops the
/// walk; pages read before it are returned with the error.
pub(crate) fn pages(data: &[u8]) -> (Vec<WarcPage>, Option<String>) {
    let mut pages = Vec::new();
    let mut pos = 0usize;
    let mut record = 0usize;
    loop {
        // Skip blank lines between records.
        while pos < data.len() && matches!(data[pos], b'\r' | b'\n') {
            pos += 1;
        }
        if pos >= data.len() {
            return (pages, None);
        }
        record += 1;
        let Some(header_end) =
            find(&data[pos..], b"\r\n\r\n").or_else(|| find(&data[pos..], b"\n\n"))
        else {
            return (
                pages,
                Some(format!("record {record}: truncated WARC header")),
            );
        };
        let sep_len = if data[pos + header_end..].starts_with(b"\r\n\r\n") {
            4
        } else {
            2
        };
        let header = String::from_utf8_lossy(&data[pos..pos + header_end]);
        let mut lines = header.lines();
        if !lines.next().is_some_and(|l| l.trim().starts_with("WARC/")) {
            return (
                pages,
                Some(format!(
                    "record {record}: not a WARC record (at byte {pos})"
                )),
            );
        }
        let fields: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let Some(len) = get("content-length").and_then(|v| v.parse::<usize>().ok()) else {
            return (
                pages,
                Some(format!("record {record}: missing or bad Content-Length")),
            );
        };
        let block_start = pos + header_end + sep_len;
        let Some(block) = data.get(block_start..block_start.saturating_add(len)) else {
            return (
                pages,
                Some(format!(
                    "record {record}: truncated (Content-Length {len}, {} bytes left)",
                    data.len().saturating_sub(block_start)
                )),
            );
        };
        pos = block_start + len;
        let kind = get("warc-type").unwrap_or("").to_ascii_lowercase();
        let uri = get("warc-target-uri")
            .unwrap_or("")
            .trim_matches(['<', '>'])
            .to_string();
        let date = get("warc-date").map(str::to_string);
        let content_type = get("content-type").unwrap_or("").to_ascii_lowercase();
        match kind.as_str() {
            "response" if content_type.starts_with("application/http") => {
                if let Some((ctype, body)) = http_body(block) {
                    if is_html(&ctype, &body) {
                        pages.push(WarcPage {
                            uri,
                            body,
                            charset: charset_of(&ctype),
                            date,
                        });
                    }
                }
            }
            "resource" if is_html(&content_type, block) => pages.push(WarcPage {
                uri,
                body: block.to_vec(),
                charset: charset_of(&content_type),
                date,
            }),
            _ => {}
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
fn http_body(block: &[u8]) -> Option<(String, Vec<u8>)> {
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
                .read_to_end(&mut out)
                .ok()?;
            body = out;
        }
        "deflate" => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
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
        let (pages, err) = pages(&data);
        assert_eq!(err, None);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].uri, "https://example.org/a");
        assert_eq!(pages[0].charset.as_deref(), Some("utf-8"));
        assert!(String::from_utf8_lossy(&pages[0].body).contains("<p>Hi</p>"));
    }

    #[test]
    fn chunked_body() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n<html>\r\n7\r\n</html>\r\n0\r\n\r\n";
        let data = record("response", "u", "application/http; msgtype=response", block);
        let (pages, err) = pages(&data);
        assert_eq!(err, None);
        assert_eq!(pages[0].body, b"<html></html>");
    }

    #[test]
    fn truncated_record_keeps_earlier_pages() {
        let mut data = record(
            "response",
            "https://example.org/1",
            "application/http; msgtype=response",
            &http("<html>one</html>"),
        );
        let second = record(
            "response",
            "https://example.org/2",
            "application/http; msgtype=response",
            &http("<html>two</html>"),
        );
        data.extend_from_slice(&second[..second.len() - 20]);
        let (pages, err) = pages(&data);
        assert_eq!(pages.len(), 1);
        assert!(err.unwrap().contains("record 2: truncated"));
    }

    #[test]
    fn garbage_is_reported() {
        let (pages, err) = pages(b"hello world\r\n\r\nmore");
        assert!(pages.is_empty());
        assert!(err.unwrap().contains("not a WARC record"));
    }
}
