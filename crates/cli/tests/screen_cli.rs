//! `dossier screen` end to end on the small fictional lists of the screen
//! crate's fixtures, and on bad list files made here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../screen/tests/fixtures")
}

fn lists() -> Vec<String> {
    let f = fixtures();
    vec![
        "--list".into(),
        format!("ofac:{}", f.join("ofac").display()),
        "--list".into(),
        format!("un:{}", f.join("un.xml").display()),
        "--list".into(),
        format!("ftm:{}", f.join("entities.ftm.jsonl").display()),
    ]
}

fn screen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("screen")
        .args(args)
        .output()
        .expect("run dossier")
}

fn screen_with_lists(extra: &[&str]) -> Output {
    let mut args = lists();
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    screen(&refs)
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn err(out: &Output) -> String {
    assert!(!out.status.success(), "should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let p = std::env::temp_dir().join(format!("dossier-screen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn one_name_in_text() {
    let out = ok(&screen_with_lists(&[
        "Abu Yusuf al-Baghdadi",
        "--type",
        "person",
    ]));
    assert!(out.contains("MATCH"), "{out}");
    assert!(out.contains("ofac 101"), "{out}");
    assert!(out.contains("un QDi.901"), "{out}");
    assert!(
        out.contains("matched the alias \"AL-BAGHDADI, Abu Yusuf\""),
        "{out}"
    );
    let out = ok(&screen_with_lists(&[
        "Omar Hassan Khalil",
        "--birth-date",
        "1971",
        "--country",
        "Iraq",
    ]));
    assert!(
        out.contains("born 1966-03-12 on the list, 1971 in the query"),
        "{out}"
    );
}

#[test]
fn one_name_as_json() {
    let out = ok(&screen_with_lists(&[
        "Omar Hassan Khalil",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["id"], "1");
    assert_eq!(v["matches"][0]["list_id"], "101");
}

#[test]
fn batch_jsonl_and_csv() {
    let f = fixtures();
    let out = ok(&screen_with_lists(&[
        "--input",
        f.join("queries.jsonl").to_str().unwrap(),
        "--format",
        "json",
    ]));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "q1");
    assert_eq!(lines[0]["matches"][0]["match"], true);
    assert!(lines[2]["matches"].as_array().unwrap().is_empty());
    assert!(lines[3]["error"].as_str().unwrap().contains("empty name"));
    let out = ok(&screen_with_lists(&[
        "--input",
        f.join("queries.csv").to_str().unwrap(),
        "--format",
        "csv",
    ]));
    let mut rows = out.lines();
    assert_eq!(
        rows.next(),
        Some("id,rank,list,list_id,name,score,match,explanation,error")
    );
    let rows: Vec<&str> = rows.collect();
    assert!(rows.iter().any(|r| r.starts_with("c1,1,")), "{out}");
    assert!(
        rows.iter().any(|r| r.starts_with("c3,1,ftm,fx-person-1,")),
        "{out}"
    );
}

#[test]
fn bad_lists_are_refused_with_the_file_and_problem() {
    let t = Tmp::new("bad");
    let write = |name: &str, text: &[u8]| {
        let p = t.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let cases: Vec<(String, &str)> = vec![
        (
            format!(
                "ofac:{}",
                write("cols.csv", b"1,ONLY THREE,individual\n").display()
            ),
            "cols.csv:1: expected 12 columns",
        ),
        (
            format!("un:{}", write("list.csv", b"1,A,B\n").display()),
            "not UN consolidated list XML",
        ),
        (
            format!("ftm:{}", write("x.xml", b"<CONSOLIDATED_LIST/>").display()),
            "unknown or wrong list format",
        ),
        (
            format!(
                "ofac:{}",
                write(
                    "empty_name.csv",
                    b"7,-0- ,individual,SDGT,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n"
                )
                .display()
            ),
            "empty_name.csv:1: empty name",
        ),
        (
            format!("ftm:{}", write("nothing.jsonl", b"").display()),
            "empty file",
        ),
        (format!("xml:{}", t.0.display()), "bad list spec"),
    ];
    for (spec, want) in cases {
        let e = err(&screen(&["--list", &spec, "Someone"]));
        assert!(e.contains(want), "{spec}: {e}");
    }
    // A 10 MB name, in a list and as a query.
    let mut big = b"8,\"".to_vec();
    big.extend(std::iter::repeat_n(b'A', 10 << 20));
    big.extend(b"\",individual,SDGT,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n");
    let p = write("big.csv", &big);
    let e = err(&screen(&[
        "--list",
        &format!("ofac:{}", p.display()),
        "Someone",
    ]));
    assert!(e.contains("big.csv:1:"), "{e}");
    let huge = "B".repeat(10 << 20);
    let q = write(
        "q.jsonl",
        format!("{{\"id\":\"h\",\"name\":\"{huge}\"}}\n").as_bytes(),
    );
    let out = ok(&screen_with_lists(&["--input", q.to_str().unwrap()]));
    assert!(
        out.contains("over the 1000-byte limit"),
        "{}",
        &out[..out.len().min(300)]
    );
    // A query name on the command line.
    let e = err(&screen_with_lists(&[""]));
    assert!(e.contains("empty name"), "{e}");
}
