//! JSONL input: one document per line.
//!
//! `text` is required; `id`, `title`, `published`, `source`/`url` and
//! `byline` are optional. A bad line is reported with its line number and
//! the rest of the file still loads.

use crate::dates::parse_date;
use crate::decode::{decode_raw, normalize_text};
use crate::input::{Input, Line};
use crate::{Item, Problem, RawDoc};
use serde_json::Value;
use std::collections::VecDeque;

/// Reads a JSONL stream one line at a time: memory holds one line, never
/// the file. A line over `max_line` bytes is skipped without being kept.
pub(crate) struct JsonlReader<'a> {
    input: Input<'a>,
    label: String,
    line_no: usize,
    max_line: usize,
    pending: VecDeque<Item>,
    kept: usize,
    done: bool,
}

impl<'a> JsonlReader<'a> {
    pub fn new(input: Input<'a>, label: &str, max_line: usize) -> Self {
        JsonlReader {
            input,
            label: label.to_string(),
            line_no: 0,
            max_line,
            pending: VecDeque::new(),
            kept: 0,
            done: false,
        }
    }

    fn read_line(&mut self) {
        match self.input.next_line(self.max_line) {
            None => {
                self.done = true;
                if let Some(e) = self.input.error() {
                    self.pending.push_back(Item::Problem(Problem::skipped(
                        &self.label,
                        format!("{e}; kept the {} records before it", self.kept),
                    )));
                }
            }
            Some(Line::TooLong(n)) => {
                self.line_no += 1;
                self.pending.push_back(Item::Problem(Problem::skipped(
                    &format!("{}:{}", self.label, self.line_no),
                    format!(
                        "line is {}, over the {} limit for one record",
                        crate::human_bytes(n),
                        crate::human_bytes(self.max_line as u64)
                    ),
                )));
            }
            Some(Line::Text(bytes)) => {
                self.line_no += 1;
                let before = self.pending.len();
                line(&self.label, self.line_no, &bytes, &mut self.pending);
                let docs = self.pending.range(before..);
                self.kept += docs.filter(|i| matches!(i, Item::Doc(_))).count();
            }
        }
    }
}

impl Iterator for JsonlReader<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            self.read_line();
        }
    }
}

/// One line of JSONL: a document, or the reason it is not one, plus any
/// warnings.
fn line(label: &str, line_no: usize, bytes: &[u8], out: &mut VecDeque<Item>) {
    let bytes = bytes.trim_ascii();
    if bytes.is_empty() {
        return;
    }
    let at = format!("{label}:{line_no}");
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            decoded = decode_raw(bytes, None);
            for w in &decoded.warnings {
                out.push_back(Item::Problem(Problem::warning(&at, w.clone())));
            }
            &decoded.text
        }
    };
    let rec = match parse_line(text) {
        Ok(rec) => rec,
        Err(reason) => {
            out.push_back(Item::Problem(Problem::skipped(&at, reason)));
            return;
        }
    };
    let location = match &rec.id {
        Some(id) => format!("{label}#{id}"),
        None => format!("{label}#L{line_no}"),
    };
    // The record's own URL first, then where in the file it was read.
    let sources = match rec.source {
        Some(named) if named != location => vec![named, location],
        _ => vec![location],
    };
    let published = match rec.published.as_deref() {
        Some(p) => {
            let d = parse_date(p);
            if d.is_none() {
                out.push_back(Item::Problem(Problem::warning(
                    &at,
                    format!("`published` value {p:?} is not a date; stored as null"),
                )));
            }
            d
        }
        None => None,
    };
    let text = normalize_text(&rec.text);
    if text.trim().is_empty() {
        out.push_back(Item::Problem(Problem::skipped(
            &at,
            "field `text` has no readable characters",
        )));
        return;
    }
    out.push_back(Item::Doc(RawDoc {
        sources,
        title: rec.title,
        published,
        byline: rec.byline,
        language: rec.language,
        text,
        format: crate::Format::Jsonl,
    }));
}

struct Record {
    id: Option<String>,
    text: String,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
    byline: Option<String>,
    language: Option<String>,
}

fn parse_line(line: &str) -> Result<Record, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object".into());
    };
    let field = |name: &str| -> Result<Option<String>, String> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) if name == "id" => Ok(Some(n.to_string())),
            Some(other) => Err(format!(
                "field `{name}` must be a string, found {}",
                kind(other)
            )),
        }
    };
    let text = match map.get("text") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) => return Err("field `text` is empty".into()),
        Some(other) => {
            return Err(format!(
                "field `text` must be a string, found {}",
                kind(other)
            ))
        }
        None => return Err("missing required field `text`".into()),
    };
    Ok(Record {
        id: field("id")?,
        text,
        title: field("title")?,
        published: field("published")?,
        source: field("source")?.or(field("url")?),
        byline: field("byline")?,
        language: field("language")?,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn read(label: &str, text: &[u8]) -> (Vec<RawDoc>, Vec<Problem>) {
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        for item in JsonlReader::new(Input::new(text), label, 1 << 20) {
            match item {
                Item::Doc(d) => docs.push(d),
                Item::Problem(p) => problems.push(p),
            }
        }
        (docs, problems)
    }

    #[test]
    fn good_and_bad_lines() {
        let input = concat!(
            "{\"id\": \"a1\", \"text\": \"First story.\", \"title\": \"T\", \"published\": \"2020-11-15\", \"url\": \"https://example.org/a\", \"byline\": \"Desk\"}\n",
            "not json\n",
            "\n",
            "{\"title\": \"no text\"}\n",
            "{\"text\": 42}\n",
            "{\"text\": \"Second story.\", \"published\": \"sometime\"}\n",
        );
        let (docs, problems) = read("f.jsonl", input.as_bytes());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sources, ["https://example.org/a", "f.jsonl#a1"]);
        assert_eq!(docs[0].published.unwrap().to_string(), "2020-11-15");
        assert_eq!(docs[0].byline.as_deref(), Some("Desk"));
        assert_eq!(docs[1].source(), "f.jsonl#L6");
        assert_eq!(docs[1].published, None);
        let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            msgs[0].starts_with("f.jsonl:2: ") && msgs[0].contains("invalid JSON"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("f.jsonl:4: ") && msgs[1].contains("missing required field `text`")
        );
        assert!(msgs[2].starts_with("f.jsonl:5: ") && msgs[2].contains("must be a string"));
        assert!(msgs[3].starts_with("f.jsonl:6: ") && msgs[3].contains("not a date"));
        assert_eq!(problems.len(), 4);
    }

    #[test]
    fn id_names_the_source_when_no_url() {
        let (docs, problems) = read("f.jsonl", b"{\"id\": 7, \"text\": \"x\"}");
        assert_eq!(docs[0].sources, ["f.jsonl#7"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn a_nul_byte_costs_one_record() {
        let input =
            b"{\"text\": \"one\"}\n{\"text\": \"t\x00wo\"}\n\x00\n{\"text\": \"three\"}\r\n";
        let (docs, problems) = read("n.jsonl", input);
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["one", "three"]);
        assert_eq!(problems.len(), 2);
        assert!(problems[0]
            .to_string()
            .starts_with("n.jsonl:2: invalid JSON"));
        assert!(problems[1]
            .to_string()
            .starts_with("n.jsonl:3: invalid JSON"));
    }

    #[test]
    fn invalid_utf8_is_repaired_in_its_line() {
        let input = "{\"text\": \"al Qaida’s \u{fffd}\"}\n".replace('\u{fffd}', "X");
        let mut bytes = input.into_bytes();
        let x = bytes.iter().position(|&b| b == b'X').unwrap();
        bytes[x] = 0xff;
        let (docs, problems) = read("u.jsonl", &bytes);
        assert_eq!(docs[0].text, "al Qaida’s \u{fffd}");
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .to_string()
            .starts_with("u.jsonl:1: 1 invalid UTF-8"));
    }

    #[test]
    fn long_lines_are_skipped_without_being_kept() {
        let long = format!(
            "{{\"text\": \"{}\"}}\n{{\"text\": \"ok\"}}\n",
            "x".repeat(5000)
        );
        let mut reader = JsonlReader::new(Input::new(long.as_bytes()), "l.jsonl", 1000);
        let first = reader.next().unwrap();
        assert!(
            matches!(&first, Item::Problem(p) if p.to_string() == "l.jsonl:1: line is 4.9 KB, over the 1000 bytes limit for one record"),
            "{first:?}"
        );
        assert!(matches!(reader.next(), Some(Item::Doc(d)) if d.text == "ok"));
    }

    proptest::proptest! {
        /// Every line is accounted for: a line that holds a JSON object
        /// with a non-empty `text` is a document, with its text and line
        /// number; every other non-blank line is one skipped problem named
        /// by its line. Nothing panics.
        #[test]
        fn every_line_is_a_document_or_a_problem(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-zA-Z ’é]{1,30}".prop_map(|t| serde_json::json!({"text": t}).to_string()),
                    "[{}\\[\\]\":,a-z0-9 \\x00\\x01\\xff]{0,30}",
                ],
                0..40,
            )
        ) {
            let input = lines.join("\n");
            let (docs, problems) = read("p.jsonl", input.as_bytes());
            let mut expected_docs = Vec::new();
            let mut expected_bad = 0;
            for (i, l) in lines.iter().enumerate() {
                let parsed = serde_json::from_str::<Value>(l.trim()).ok();
                let text = parsed.as_ref().and_then(|v| v.get("text")).and_then(Value::as_str);
                match text {
                    Some(t) if !normalize_text(t).trim().is_empty() => {
                        expected_docs.push((normalize_text(t), format!("p.jsonl#L{}", i + 1)))
                    }
                    _ if l.trim().is_empty() => {}
                    _ => expected_bad += 1,
                }
            }
            let got: Vec<(String, String)> =
                docs.iter().map(|d| (d.text.clone(), d.source().to_string())).collect();
            prop_assert_eq!(got, expected_docs);
            let skipped = problems.iter().filter(|p| p.severity == crate::Severity::Skipped).count();
            prop_assert_eq!(skipped, expected_bad);
            for p in &problems {
                let line: usize = p.source.rsplit(':').next().unwrap().parse().unwrap();
                prop_assert!(line >= 1 && line <= lines.len());
            }
        }
    }
}
