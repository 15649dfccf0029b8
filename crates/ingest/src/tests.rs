//! Fixture tests: one per format and per kind of bad input.

use super::*;
use std::io::Write;

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
    if out.docs[0].text.contains('\u{fffd}') {
        let w = out
            .problems
            .iter()
            .find(|p| p.severity == Severity::Warning)
            .unwrap();
        assert!(w.to_string().starts_with("bad-utf8.txt: invalid"), "{w}");
    }
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
    assert!(out.problems[0]
        .to_string()
        .starts_with("image.png: binary file"));
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
    assert_eq!(out.docs[0].source, "https://example.org/t");
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
        assert!(d.source.starts_with("https://example.org/"));
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

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let out = read("fuzz", &bytes, None);
        for d in out.docs {
            proptest::prop_assert!(!d.text.trim().is_empty());
        }
    }
}
