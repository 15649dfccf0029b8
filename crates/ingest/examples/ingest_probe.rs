//! Writes the pathological inputs of issue 14 and reads them back, to
//! measure what reading costs (run under `/usr/bin/time -v`).
//!
//!     cargo run --release -p dossier-ingest --example ingest_probe -- gen DIR
//!     cargo run --release -p dossier-ingest --example ingest_probe -- read PATH...
//!     cargo run --release -p dossier-ingest --example ingest_probe -- stream PATH...
//!
//! `read` prints, per file, the format, the number of documents and the
//! first problems, using `discover` and the collecting `read_file`;
//! `stream` does the same with `FileReader`, keeping no document, and
//! counts the distinct texts by content id.

use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") if args.len() == 2 => {
            if let Err(e) = generate(Path::new(&args[1])) {
                eprintln!("gen: {e}");
                std::process::exit(1);
            }
        }
        Some("read") => read(&args[1..]),
        Some("stream") => stream(&args[1..]),
        _ => {
            eprintln!("usage: ingest_probe gen DIR | read PATH... | stream PATH...");
            std::process::exit(2);
        }
    }
}

fn read(paths: &[String]) {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let limits = dossier_ingest::Limits::default();
    let (files, problems) = dossier_ingest::discover(&paths);
    for p in problems {
        println!("discover: {p}");
    }
    for f in files {
        let out = dossier_ingest::read_file(&f, &limits);
        let chars: usize = out.docs.iter().map(|d| d.text.len()).sum();
        println!(
            "{:?}: format {:?}, {} docs, {} bytes of text, {} problems",
            f.display().to_string(),
            out.format,
            out.docs.len(),
            chars,
            out.problems.len()
        );
        for p in out.problems.iter().take(5) {
            println!("  {p:?}");
        }
    }
}

fn stream(paths: &[String]) {
    use dossier_ingest::{FileReader, Item};
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let limits = dossier_ingest::Limits::default();
    let (files, problems) = dossier_ingest::discover(&paths);
    for p in problems {
        println!("discover: {p}");
    }
    for f in files {
        let reader = FileReader::open(&f, &limits);
        let format = reader.format();
        let (mut docs, mut bytes, mut problems) = (0usize, 0usize, Vec::new());
        let mut ids = std::collections::HashSet::new();
        for item in reader {
            match item {
                Item::Doc(d) => {
                    docs += 1;
                    bytes += d.text.len();
                    ids.insert(d.content_id());
                }
                Item::Problem(p) => problems.push(p),
            }
        }
        println!(
            "{}: format {format:?}, {docs} docs ({} distinct texts), {bytes} bytes of text, {} problems",
            dossier_ingest::path_for_terminal(&f),
            ids.len(),
            problems.len()
        );
        for p in problems.iter().take(5) {
            println!("  {p}");
        }
    }
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    enc.finish()
}

const ARTICLE: &str = "Officials in the capital said on Tuesday that talks with the delegation would resume next week. The minister told reporters that al Qaida’s leadership had not been part of the discussions. ";

fn generate(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes);
    // 1. JSONL whose first record is 9 KB, one with a malformed first line,
    // one with a raw NUL inside a record, and a text with a stray NUL.
    let long = ARTICLE.repeat(9 * 1024 / ARTICLE.len() + 1);
    w(
        "long-first.jsonl",
        format!(
            "{{\"text\": {long:?}}}\n{{\"text\": \"Second record.\"}}\n{{\"text\": \"Third record.\"}}\n"
        )
        .as_bytes(),
    )?;
    w(
        "bad-first-line",
        b"{\"text\": \"broken\n{\"text\": \"Good record one.\"}\n{\"text\": \"Good record two.\"}\n",
    )?;
    w(
        "nul-record.jsonl",
        b"{\"text\": \"Good record one.\"}\n{\"text\": \"bad \x00 record\"}\n{\"text\": \"Good record two.\"}\n",
    )?;
    let mut nul_text = ARTICLE.repeat(5).into_bytes();
    nul_text.insert(100, 0);
    w("nul-text.txt", &nul_text)?;
    // 2. 5.9M identical short JSONL lines, gzip-compressed.
    let line = b"{\"text\":\"Talks resumed in Doha.\"}\n";
    let many = line.repeat(5_900_000);
    w("many-lines.jsonl.gz", &gzip(&many)?)?;
    // 3. Special files.
    let fifo = dir.join("pipe.txt");
    if !fifo.exists() {
        std::process::Command::new("mkfifo").arg(&fifo).status()?;
    }
    let sock = dir.join("socket.txt");
    if !sock.exists() {
        drop(std::os::unix::net::UnixListener::bind(&sock)?);
    }
    // 4. gzip with trailing garbage, a stray \xff, UTF-16 without a BOM, a
    // WARC whose first record has a bad Content-Length.
    let mut gz = gzip(ARTICLE.as_bytes())?;
    gz.extend_from_slice(b"\x00\x00garbage after the gzip member\n");
    w("trailing.txt.gz", &gz)?;
    let mut ff = ARTICLE.repeat(3).into_bytes();
    ff.insert(50, 0xff);
    w("stray-ff.txt", &ff)?;
    let utf16: Vec<u8> = ARTICLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    w("utf16le-nobom.txt", &utf16)?;
    let mut warc = Vec::new();
    for (i, len_delta) in [(1, 40i64), (2, 0), (3, 0)] {
        let page = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><article><p>Story {i}. {ARTICLE}</p></article></body></html>"
        );
        let len = page.len() as i64 + len_delta;
        warc.extend_from_slice(
            format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/{i}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {len}\r\n\r\n{page}\r\n\r\n"
            )
            .as_bytes(),
        );
    }
    w("bad-length.warc", &warc)?;
    // 5. A file name with ESC and newline; 6. HTML naming a canonical URL.
    w("evil\x1b[31m\n- forged: reason.txt", ARTICLE.as_bytes())?;
    w(
        "canonical.html",
        format!("<html><head><link rel=\"canonical\" href=\"https://example.org/story\"></head><body><article><p>{ARTICLE}</p></article></body></html>").as_bytes(),
    )?;
    Ok(())
}
