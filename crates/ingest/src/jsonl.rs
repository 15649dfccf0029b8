//! JSONL input: one document per line.
//!
//! `text` is required; `id`, `title`, `published`, `source`/`url` and
//! `byline` are optional. A bad line is reported with its line number and
//! the rest of the file still loads.

use crate::dates::parse_date;
use crate::decode::normalize_text;
use crate::{Problem, RawDoc};
use serde_json::Value;

pub(crate) fn read(
    path_label: &str,
    text: &str,
    out: &mut Vec<RawDoc>,
    problems: &mut Vec<Problem>,
) {
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = format!("{path_label}:{line_no}");
        match parse_line(line) {
            Ok(rec) => {
                let source = rec
                    .source
                    .clone()
                    .or_else(|| rec.id.as_ref().map(|id| format!("{path_label}#{id}")))
                    .unwrap_or_else(|| format!("{path_label}#L{line_no}"));
                let published = match rec.published.as_deref() {
                    Some(p) => {
                        let d = parse_date(p);
                        if d.is_none() {
                            problems.push(Problem::warning(
                                &at,
                                format!("`published` value {p:?} is not a date; stored as null"),
                            ));
                        }
                        d
                    }
                    None => None,
                };
                out.push(RawDoc {
                    source,
                    title: rec.title,
                    published,
                    byline: rec.byline,
                    language: rec.language,
                    text: normalize_text(&rec.text),
                    format: crate::Format::Jsonl,
                });
            }
            Err(reason) => problems.push(Problem::skipped(&at, reason)),
        }
    }
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
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        read("f.jsonl", input, &mut docs, &mut problems);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].source, "https://example.org/a");
        assert_eq!(docs[0].published.unwrap().to_string(), "2020-11-15");
        assert_eq!(docs[0].byline.as_deref(), Some("Desk"));
        assert_eq!(docs[1].source, "f.jsonl#L6");
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
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        read(
            "f.jsonl",
            "{\"id\": 7, \"text\": \"x\"}",
            &mut docs,
            &mut problems,
        );
        assert_eq!(docs[0].source, "f.jsonl#7");
        assert!(problems.is_empty());
    }
}
