//! Fixture tests: one per format and per kind of bad input.

use super::*;
use std::io::{Read, Write};
use std::path::PathBuf;

fn read(label: &str, bytes: &[u8], hint: Option<Format>) -> FileOutput {
    read_bytes(label, bytes, hint, &Limits::default())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn plain_text_with_dateline() {
    let text = "March 3, 2021 World\r\n\r\nTalks Resume in Doha\r\n\r\nNegotiators met on Tuesday, officials said.\r\n";
    let out = read("a.txt", text.as_bytes(), Some(Format::Text));
    assert_eq!(out.format, Some(Format::Text));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let d = &out.docs[0];
    assert_eq!(d.published.unwrap().to_string(), "2021-03-03");
    assert_eq!(d.title.as_deref(), Some("Talks Resume in Doha"));
    assert!(!d.text.contains('\r'));
    assert!(d.text.ends_with("officials said."));
}

#[test]
fn text_without_extension_is_sniffed() {
    let out = read(
        "notes/README",
        b"Just an article body without a date.",
        None,
    );
    assert_eq!(out.format, Some(Format::Text));
    assert_eq!(out.docs.len(), 1);
    assert_eq!(out.docs[0].published, None);
}

#[test]
fn legacy_encoded_text() {
    let mut bytes = b"Caf\xe9 owners in Z\xfcrich said the r\xe9sum\xe9 was fine. ".repeat(8);
    bytes.extend_from_slice(b"\r\n");
    let out = read("latin1.txt", &bytes, None);
    assert!(
        out.docs[0].text.contains("Café owners in Zürich"),
        "{}",
        out.docs[0].text
    );
}

#[test]
fn invalid_utf8_is_reported_and_kept() {
    let mut bytes = "The minister spoke to reporters in the capital on Monday. "
        .repeat(20)
        .into_bytes();
    bytes.extend_from_slice(b"\xc3\x28 broken \xa0\xa1 bytes");
    let out = read("bad-utf8.txt", &bytes, None);
    assert_eq!(out.docs.len(), 1, "the document is still ingested");
    assert!(out.docs[0].text.starts_with("The minister spoke"));
    let w = out
        .problems
        .iter()
        .find(|p| p.severity == Severity::Warning)
        .expect("the decoding is reported");
    assert!(w.to_string().starts_with("bad-utf8.txt: "), "{w}");
}

#[test]
fn empty_and_blank_files() {
    let out = read("empty.txt", b"", None);
    assert!(out.docs.is_empty());
    assert_eq!(out.problems[0].to_string(), "empty.txt: empty file");
    let out = read("blank.txt", b"  \n\n \t ", None);
    assert!(out.docs.is_empty());
    assert_eq!(out.problems[0].to_string(), "blank.txt: file has no text");
}

#[test]
fn binary_files_are_skipped() {
    let out = read(
        "image.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        None,
    );
    assert!(out.docs.is_empty());
    assert_eq!(
        out.problems[0].to_string(),
        "image.png: binary file (a PNG image)"
    );
    let out = read("doc.pdf", b"%PDF-1.7\n...", None);
    assert!(out.problems[0].reason.contains("PDF"));
}

#[test]
fn jsonl_fixture() {
    let jsonl = b"{\"text\": \"One.\", \"title\": \"A\", \"published\": \"2020-08-07\"}\n{broken\n{\"text\": \"Two.\"}\n";
    let out = read("items", jsonl, None);
    assert_eq!(out.format, Some(Format::Jsonl));
    assert_eq!(out.docs.len(), 2);
    assert_eq!(out.problems.len(), 1);
    assert!(out.problems[0]
        .to_string()
        .starts_with("items:2: invalid JSON"));
}

#[test]
fn rss_fixture() {
    let rss = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>T</title><link>https://example.org/t</link><pubDate>Sun, 15 Nov 2020 08:00:00 GMT</pubDate><description>Body.</description></item></channel></rss>";
    let out = read("feed", rss, None);
    assert_eq!(out.format, Some(Format::Rss));
    assert_eq!(out.docs[0].sources, ["https://example.org/t", "feed#item1"]);
    assert_eq!(out.docs[0].published.unwrap().to_string(), "2020-11-15");
}

#[test]
fn gzip_wrapped_text_and_truncated_gzip() {
    let body = b"A compressed article body that is long enough to matter.";
    let gz = gzip(body);
    let out = read("a.txt.gz", &gz, Some(Format::Text));
    assert_eq!(out.docs[0].text, String::from_utf8_lossy(body));
    let out = read("cut.txt.gz", &gz[..gz.len() / 2], Some(Format::Text));
    assert!(out.docs.is_empty());
    assert!(
        out.problems[0].to_string().starts_with("cut.txt.gz: "),
        "{:?}",
        out.problems
    );
    assert!(out.problems[0].reason.contains("gzip"));
}

#[test]
fn truncated_gzip_warc_keeps_complete_records() {
    use crate::warc::tests::{http, record};
    let mut data = Vec::new();
    for i in 0..30 {
        let page = format!(
            "<html><body><article><p>Story number {i} is about talks in the capital, where officials met on Tuesday and agreed to continue.</p></article></body></html>"
        );
        data.extend(record(
            "response",
            &format!("https://example.org/{i}"),
            "application/http; msgtype=response",
            &http(&page),
        ));
    }
    let gz = gzip(&data);
    let out = read("crawl.warc.gz", &gz[..gz.len() * 2 / 3], None);
    assert_eq!(out.format, Some(Format::Warc));
    assert!(out.problems.iter().any(|p| p.source == "crawl.warc.gz"));
    // Which records survive depends on the HTML extractor; the run must
    // not abort and every kept document must come from a complete record.
    for d in &out.docs {
        assert!(d.source().starts_with("https://example.org/"));
    }
}

#[test]
fn oversized_documents_are_skipped() {
    let limits = Limits {
        max_doc_chars: 10,
        ..Limits::default()
    };
    let out = read_bytes(
        "big.txt",
        b"this text is longer than ten characters",
        None,
        &limits,
    );
    assert!(out.docs.is_empty());
    assert!(out.problems[0].reason.contains("over the 10 limit"));
}

#[test]
fn oversized_files_are_skipped_before_reading() {
    let dir = std::env::temp_dir().join(format!("dossier-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(200 << 20).unwrap(); // sparse: no 200 MB written
    let out = read_file(&path, &Limits::default());
    assert!(out.docs.is_empty());
    let msg = out.problems[0].to_string();
    assert!(
        msg.contains("huge.txt") && msg.contains("200.0 MB, over the 64.0 MB limit"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn discover_reports_missing_paths_and_skips_hidden() {
    let dir = std::env::temp_dir().join(format!("dossier-discover-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub/.hidden")).unwrap();
    std::fs::write(dir.join("b.txt"), "b").unwrap();
    std::fs::write(dir.join("sub/a"), "a").unwrap();
    std::fs::write(dir.join("sub/.hidden/x.txt"), "x").unwrap();
    std::fs::write(dir.join(".DS_Store"), "x").unwrap();
    let missing = dir.join("nope");
    let (files, problems) = discover(&[dir.clone(), missing.clone()]);
    let names: Vec<String> = files
        .iter()
        .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    assert_eq!(names, vec!["b.txt", "sub/a"]);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        format!("{}: path does not exist", missing.display())
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn document_ids_come_from_content() {
    let a = read("x.txt", b"Same words.", None)
        .docs
        .remove(0)
        .into_document();
    let b = read("y.txt", b"Same words.\r\n", None)
        .docs
        .remove(0)
        .into_document();
    assert_eq!(a.id, b.id);
    assert_ne!(a.source, b.source);
    assert_eq!(a.language, "en");
}

// Issue 14, item 1: JSONL read right.

fn texts(out: &FileOutput) -> Vec<&str> {
    out.docs.iter().map(|d| d.text.as_str()).collect()
}

#[test]
fn jsonl_with_a_long_first_record() {
    let long = "Officials said the talks would resume. ".repeat(240); // 9.4 KB
    let input =
        format!("{{\"text\": \"{long}\"}}\n{{\"text\": \"Second.\"}}\n{{\"text\": \"Third.\"}}\n");
    assert!(input.find('\n').unwrap() > 9000);
    let out = read("items", input.as_bytes(), None);
    assert_eq!(out.format, Some(Format::Jsonl));
    assert!(
        texts(&out) == [long.as_str(), "Second.", "Third."],
        "{} docs",
        out.docs.len()
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
}

#[test]
fn jsonl_first_record_longer_than_the_sniff_window() {
    let long = "x".repeat(crate::sniff::JSONL_SNIFF_BYTES + 10);
    let input = format!("{{\"text\": \"{long}\"}}\n{{\"text\": \"Second.\"}}\n");
    let out = read("big", input.as_bytes(), None);
    assert_eq!(out.format, Some(Format::Jsonl));
    assert_eq!(out.docs.len(), 2);
}

#[test]
fn a_malformed_first_line_is_one_bad_record() {
    let input = b"{\"text\": \"broken\n{\"text\": \"Good one.\"}\n{\"text\": \"Good two.\"}\n";
    let out = read("bad-first-line", input, None);
    assert_eq!(out.format, Some(Format::Jsonl));
    assert_eq!(texts(&out), ["Good one.", "Good two."]);
    assert_eq!(out.problems.len(), 1);
    assert!(out.problems[0]
        .to_string()
        .starts_with("bad-first-line:1: invalid JSON"));
    // With a .jsonl name, even a file of bad lines is JSONL, line by line.
    let out = read("x.jsonl", b"{broken\n{also broken\n", Some(Format::Jsonl));
    assert_eq!(out.format, Some(Format::Jsonl));
    assert_eq!(out.problems.len(), 2);
}

#[test]
fn prose_starting_with_a_brace_is_text() {
    let input = b"{Editor's note: this story was updated.}\nOfficials met in Doha on Tuesday.\n";
    let out = read("note.txt", input, None);
    assert_eq!(out.format, Some(Format::Text));
    assert_eq!(out.docs.len(), 1);
}

#[test]
fn a_json_document_is_refused_clearly() {
    let pretty = b"{\n  \"articles\": [\n    {\"text\": \"One.\"}\n  ]\n}\n";
    let out = read("dump.json", pretty, Some(Format::Jsonl));
    assert!(out.docs.is_empty());
    assert_eq!(out.problems.len(), 1);
    assert!(out.problems[0]
        .reason
        .contains("a JSON document, not JSON Lines"));
    let out = read("list.json", b"[{\"text\": \"One.\"}]", None);
    assert!(out.problems[0].reason.contains("a JSON document"));
}

#[test]
fn a_nul_byte_costs_one_record_not_the_file() {
    let input =
        b"{\"text\": \"Good one.\"}\n{\"text\": \"bad \x00 record\"}\n{\"text\": \"Good two.\"}\n";
    let out = read("nul.jsonl", input, None);
    assert_eq!(texts(&out), ["Good one.", "Good two."]);
    assert_eq!(out.problems.len(), 1);
    assert!(out.problems[0]
        .to_string()
        .starts_with("nul.jsonl:2: invalid JSON"));
}

#[test]
fn a_stray_nul_in_text_is_removed_with_a_warning() {
    let mut bytes = b"Officials met in Doha on Tuesday and agreed to talk again. ".repeat(4);
    bytes.insert(30, 0);
    let out = read("nul.txt", &bytes, None);
    assert_eq!(out.docs.len(), 1);
    assert!(!out.docs[0].text.contains('\0'));
    assert_eq!(
        out.problems[0].to_string(),
        "nul.txt: removed 1 NUL byte (first at byte 30)"
    );
    assert_eq!(out.problems[0].severity, Severity::Warning);
    // Real binary is still refused, even when it comes late in the file.
    let mut late = b"A text that turns into binary data. ".repeat(100);
    late.extend((0..2000u32).map(|i| (i % 7) as u8));
    let out = read("late.bin", &late, None);
    assert!(out.docs.is_empty());
    assert!(
        out.problems[0].reason.starts_with("binary file"),
        "{:?}",
        out.problems
    );
}

// Item 4: gzip, decoding, WARC.

#[test]
fn gzip_with_trailing_garbage_is_read_like_zcat() {
    let body = b"A compressed article body that is long enough to matter.";
    let mut gz = gzip(body);
    gz.extend_from_slice(b"\x00\x00\x00 trailing junk from a bad download");
    let out = read("a.txt.gz", &gz, None);
    assert_eq!(texts(&out), [String::from_utf8_lossy(body)]);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].severity, Severity::Warning);
    assert!(out.problems[0]
        .reason
        .contains("trailing data after the gzip stream"));
    // Trailing bytes that look like another member but are not one.
    let mut gz = gzip(b"{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n");
    gz.extend_from_slice(&[0x1f, 0x8b, 0x08, 0xff, 0x00]);
    let out = read("b.jsonl.gz", &gz, None);
    assert_eq!(texts(&out), ["One.", "Two."]);
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
}

#[test]
fn decompression_limit_keeps_the_records_before_it() {
    let jsonl = "{\"text\": \"A record.\"}\n".repeat(1000);
    let limits = Limits {
        max_decompressed_bytes: 2200,
        ..Limits::default()
    };
    let out = read_bytes("many.jsonl.gz", &gzip(jsonl.as_bytes()), None, &limits);
    assert_eq!(out.docs.len(), 100, "2200 bytes hold 100 whole records");
    let last = out.problems.last().unwrap();
    assert_eq!(last.severity, Severity::Skipped);
    assert!(
        last.reason
            .contains("over the 2.1 KB limit; kept the 100 records before it"),
        "{last}"
    );
}

#[test]
fn one_stray_ff_byte_keeps_utf8() {
    let mut bytes = "The minister said al Qaida’s leaders were absent. "
        .repeat(3)
        .into_bytes();
    bytes.insert(12, 0xff);
    let out = read("ff.txt", &bytes, None);
    let text = &out.docs[0].text;
    assert!(text.contains("al Qaida’s"), "{text}");
    assert_eq!(text.matches('\u{fffd}').count(), 1);
    assert_eq!(
        out.problems[0].to_string(),
        "ff.txt: 1 invalid UTF-8 byte sequence replaced with U+FFFD, first at byte 12"
    );
}

#[test]
fn utf16_without_bom_is_read() {
    let text = "Officials met in Doha on Tuesday. Они встретились.";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let out = read("u16.txt", &le, None);
    assert_eq!(texts(&out), [text]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    // JSONL in UTF-16 (big-endian, with a mark) is streamed as UTF-8.
    let jsonl = "{\"text\": \"Один.\"}\n{\"text\": \"Two.\"}\n";
    let mut be = vec![0xfe, 0xff];
    be.extend(jsonl.encode_utf16().flat_map(u16::to_be_bytes));
    let out = read("u16.jsonl", &be, None);
    assert_eq!(out.format, Some(Format::Jsonl));
    assert_eq!(texts(&out), ["Один.", "Two."]);
}

#[test]
fn warc_with_a_bad_length_keeps_the_records_after_it() {
    use crate::warc::tests::{http, record};
    let page = |i: usize| {
        http(&format!(
            "<html><body><article><p>Story {i}: officials met in the capital on Tuesday and agreed to continue the talks next week.</p></article></body></html>"
        ))
    };
    let mut first = record(
        "response",
        "https://example.org/1",
        "application/http; msgtype=response",
        &page(1),
    );
    let text = String::from_utf8(first.clone()).unwrap();
    let len = page(1).len();
    first = text
        .replace(
            &format!("Content-Length: {len}"),
            &format!("Content-Length: {}", len + 40),
        )
        .into_bytes();
    let mut data = first;
    for i in 2..=3 {
        data.extend(record(
            "response",
            &format!("https://example.org/{i}"),
            "application/http; msgtype=response",
            &page(i),
        ));
    }
    let out = read("crawl.warc", &data, None);
    let sources: Vec<&str> = out.docs.iter().map(|d| d.source()).collect();
    assert_eq!(
        sources,
        [
            "https://example.org/1",
            "https://example.org/2",
            "https://example.org/3"
        ]
    );
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].severity, Severity::Warning);
    assert!(out.problems[0]
        .reason
        .starts_with("WARC: record 1: Content-Length"));
}

// Item 6: provenance.

#[test]
fn an_html_file_keeps_its_path_and_its_canonical_url() {
    let page = b"<html><head><link rel=\"canonical\" href=\"https://example.org/story\"></head><body><article><p>Officials met in the capital on Tuesday and agreed to continue the talks next week, a spokesman said.</p></article></body></html>";
    let out = read("pages/story.html", page, None);
    let raw = &out.docs[0];
    assert_eq!(
        raw.sources,
        ["pages/story.html", "https://example.org/story"]
    );
    let doc = raw.clone().into_document();
    assert_eq!(doc.source, "pages/story.html");
    assert_eq!(
        doc.sources,
        ["pages/story.html", "https://example.org/story"]
    );
    assert_eq!(doc.id, raw.content_id());
}

// Item 5: names printed safely.

#[test]
fn problems_print_on_one_line_with_controls_escaped() {
    let p = Problem::skipped("in/evil\u{1b}[31m\n- forged: reason.txt", "empty file");
    assert_eq!(
        p.to_string(),
        "in/evil\\u{1b}[31m\\n- forged: reason.txt: empty file"
    );
    assert_eq!(
        p.source, "in/evil\u{1b}[31m\n- forged: reason.txt",
        "kept raw"
    );
}

// Item 2: streaming and bounded memory.

/// A JSONL stream of `lines` identical records, made up as it is read,
/// that counts how many bytes were taken from it.
struct Generated {
    line: &'static [u8],
    left: usize,
    pos: usize,
    served: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < out.len() && self.left > 0 {
            let take = (self.line.len() - self.pos).min(out.len() - n);
            out[n..n + take].copy_from_slice(&self.line[self.pos..self.pos + take]);
            n += take;
            self.pos += take;
            if self.pos == self.line.len() {
                self.pos = 0;
                self.left -= 1;
            }
        }
        self.served
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

#[test]
fn documents_stream_out_before_the_file_is_read() {
    use std::sync::atomic::Ordering;
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let line = b"{\"text\":\"Talks resumed in Doha.\"}\n";
    let lines = 1_000_000; // 34 MB
    let source = Generated {
        line,
        left: lines,
        pos: 0,
        served: served.clone(),
    };
    let mut reader = FileReader::start(
        "gen.jsonl".into(),
        crate::input::Input::new(source),
        None,
        &Limits::default(),
    );
    assert!(matches!(reader.next(), Some(Item::Doc(_))));
    let after_first = served.load(Ordering::Relaxed);
    assert!(
        after_first <= crate::sniff::JSONL_SNIFF_BYTES + (128 << 10),
        "read {after_first} bytes before the first document"
    );
    let mut ids = std::collections::HashSet::new();
    let mut n = 1;
    for item in reader {
        if let Item::Doc(d) = item {
            ids.insert(d.content_id());
            n += 1;
        }
    }
    assert_eq!(n, lines);
    assert_eq!(ids.len(), 1, "identical texts share one content id");
    assert_eq!(served.load(Ordering::Relaxed), line.len() * lines);
}

#[test]
fn the_reader_can_move_to_another_thread() {
    fn is_send<T: Send>() {}
    is_send::<FileReader<'static>>();
    is_send::<Item>();
}

#[test]
fn too_many_problems_are_counted_not_listed() {
    let bad = "not json\n".repeat(1000);
    let input = format!("{{\"text\": \"Good.\"}}\n{bad}{{\"text\": \"Also good.\"}}\n");
    let limits = Limits {
        max_problems_per_file: 50,
        ..Limits::default()
    };
    let out = read_bytes(
        "noisy.jsonl",
        input.as_bytes(),
        Some(Format::Jsonl),
        &limits,
    );
    assert_eq!(texts(&out), ["Good.", "Also good."]);
    assert_eq!(out.problems.len(), 51);
    assert_eq!(
        out.problems[50].to_string(),
        "noisy.jsonl: 950 more problems not listed (950 skipped, 0 warnings)"
    );
}

// Item 3: special files.

#[cfg(unix)]
#[test]
fn special_files_are_refused_without_blocking() {
    let dir = std::env::temp_dir().join(format!("dossier-read-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("pipe.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let started = std::time::Instant::now();
    for (path, why) in [
        (fifo.clone(), "a named pipe (FIFO), not a regular file"),
        (
            PathBuf::from("/dev/zero"),
            "a character device, not a regular file",
        ),
        (dir.clone(), "is a folder"),
        (dir.join("missing"), "path does not exist"),
    ] {
        let out = read_file(&path, &Limits::default());
        assert!(out.docs.is_empty());
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].reason, why, "{}", path.display());
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_reports_no_size_cannot_pass_the_limit() {
    // /proc files say they are empty but are not.
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let out = read_file(std::path::Path::new("/proc/self/status"), &limits);
    assert!(out.docs.is_empty());
    assert!(
        out.problems[0].reason.contains("over the 100 bytes limit"),
        "{:?}",
        out.problems
    );
}

proptest::proptest! {
    /// Whatever the bytes: no panic, and what comes out is well formed.
    #[test]
    fn arbitrary_bytes_give_well_formed_output(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let limits = Limits { max_doc_chars: 300, max_problems_per_file: 5, ..Limits::default() };
        let out = read_bytes("fuzz", &bytes, None, &limits);
        for d in &out.docs {
            proptest::prop_assert!(!d.text.trim().is_empty());
            proptest::prop_assert!(d.text.chars().count() <= 300);
            proptest::prop_assert!(!d.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            proptest::prop_assert!(!d.sources.is_empty());
        }
        proptest::prop_assert!(out.problems.len() <= 5 + 1 + 1);
        for p in &out.problems {
            let shown = p.to_string();
            proptest::prop_assert!(!shown.chars().any(char::is_control), "{:?}", shown);
        }
        proptest::prop_assert!(out.docs.len() + out.problems.len() > 0, "a file always yields something");
    }

    /// gzip (with or without junk after it) reads as the plain bytes do.
    #[test]
    fn gzip_reads_like_the_plain_file(
        records in proptest::collection::vec("[a-zA-Z ,.’é]{1,40}", 1..20),
        junk in proptest::collection::vec(proptest::num::u8::ANY, 0..20),
    ) {
        let jsonl: String = records
            .iter()
            .map(|t| format!("{}\n", serde_json::json!({ "text": t })))
            .collect();
        let plain = read("x.jsonl", jsonl.as_bytes(), None);
        let mut gz = gzip(jsonl.as_bytes());
        gz.extend_from_slice(&junk);
        let zipped = read("x.jsonl.gz", &gz, None);
        proptest::prop_assert_eq!(texts(&zipped), texts(&plain));
        proptest::prop_assert!(zipped.problems.len() <= plain.problems.len() + 1);
    }
}
