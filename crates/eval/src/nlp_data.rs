//! Texts for the language-pipeline evaluations: CoNLL-format NER data
//! (CoNLL-2003, Wikigold) rebuilt as running text with each token's
//! position, MEANTIME articles rebuilt from their tokens, and the runner
//! for the Python spaCy reference (`scripts/python/spacy_ref.py`).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// One gold token with its IOB tag (IOB1 or IOB2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldToken {
    pub text: String,
    pub tag: String,
}

/// A document of a CoNLL-format file: sentences of tagged tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldDoc {
    pub id: String,
    pub sentences: Vec<Vec<GoldToken>>,
}

/// Reads a CoNLL-style file: one token per line with the NER tag in the
/// last column, blank lines between sentences, `-DOCSTART-` lines between
/// documents. Works for CoNLL-2003 (4 columns) and Wikigold (2 columns).
pub fn read_conll(path: &Path) -> Result<Vec<GoldDoc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let stem = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut sentence: Vec<GoldToken> = Vec::new();
    let mut current: Option<GoldDoc> = None;
    let new_doc = |n: usize| GoldDoc {
        id: format!("{stem}#{n}"),
        sentences: Vec::new(),
    };
    for (lineno, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            let doc = current.get_or_insert_with(|| new_doc(0));
            if !sentence.is_empty() {
                doc.sentences.push(std::mem::take(&mut sentence));
            }
            if let Some(d) = current.take() {
                if !d.sentences.is_empty() {
                    docs.push(d);
                }
            }
            current = Some(new_doc(docs.len()));
            continue;
        }
        if line.is_empty() {
            if !sentence.is_empty() {
                current
                    .get_or_insert_with(|| new_doc(docs.len()))
                    .sentences
                    .push(std::mem::take(&mut sentence));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 2 {
            bail!(
                "{}:{}: expected a token and a tag, found {line:?}",
                path.display(),
                lineno + 1
            );
        }
        let mut tag = cols[cols.len() - 1];
        if tag != "O" && !(tag.starts_with("I-") || tag.starts_with("B-")) {
            // Wikigold has one "0" for "O"; read anything else as outside too.
            eprintln!(
                "warning: {}:{}: NER tag {tag:?} read as O",
                path.display(),
                lineno + 1
            );
            tag = "O";
        }
        sentence.push(GoldToken {
            text: cols[0].to_string(),
            tag: tag.to_string(),
        });
    }
    let mut last = current.unwrap_or_else(|| new_doc(docs.len()));
    if !sentence.is_empty() {
        last.sentences.push(sentence);
    }
    if !last.sentences.is_empty() {
        docs.push(last);
    }
    Ok(docs)
}

/// A document rebuilt as text, with each gold token's byte span.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub id: String,
    pub text: String,
    pub spans: Vec<(usize, usize)>,
    pub tags: Vec<String>,
    /// Gold entities: (first token, end token exclusive, type).
    pub entities: Vec<(usize, usize, String)>,
}

/// Rebuilds running text: sentences on their own lines, tokens joined by
/// spaces except around punctuation that attaches to its neighbour.
pub fn rebuild(doc: &GoldDoc) -> Rebuilt {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut tags = Vec::new();
    let mut entities = Vec::new();
    for (si, sent) in doc.sentences.iter().enumerate() {
        if si > 0 {
            text.push('\n');
        }
        let words: Vec<&str> = sent.iter().map(|t| t.text.as_str()).collect();
        let base = spans.len();
        for (s, e) in join_tokens(&words, &mut text) {
            spans.push((s, e));
        }
        for t in sent {
            tags.push(t.tag.clone());
        }
        entities.extend(
            iob_entities(&sent.iter().map(|t| t.tag.as_str()).collect::<Vec<_>>())
                .into_iter()
                .map(|(a, b, l)| (a + base, b + base, l)),
        );
    }
    Rebuilt {
        id: doc.id.clone(),
        text,
        spans,
        tags,
        entities,
    }
}

/// Entity spans of one sentence's IOB1/IOB2 tags.
pub fn iob_entities(tags: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (kind, label) = match tag.split_once('-') {
            Some((k, l)) => (k, l),
            None => ("O", ""),
        };
        let continues = kind == "I" && open.as_ref().is_some_and(|(_, l)| l == label);
        if !continues {
            if let Some((s, l)) = open.take() {
                out.push((s, i, l));
            }
            if kind == "B" || kind == "I" {
                open = Some((i, label.to_string()));
            }
        }
    }
    if let Some((s, l)) = open {
        out.push((s, tags.len(), l));
    }
    out
}

/// Appends `words` to `text` as running text; returns each word's byte span.
pub fn join_tokens(words: &[&str], text: &mut String) -> Vec<(usize, usize)> {
    const NO_SPACE_BEFORE: &[&str] = &[
        ",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "'", "'s", "'S", "n't", "N'T",
        "'re", "'ve", "'m", "'ll", "'d", "...",
    ];
    const NO_SPACE_AFTER: &[&str] = &["(", "[", "{", "$", "``", "#"];
    let mut spans = Vec::with_capacity(words.len());
    let mut quote_open = false;
    let mut glue_next = true; // no space before the first word
    for w in words {
        let mut glue = glue_next || NO_SPACE_BEFORE.contains(w);
        glue_next = NO_SPACE_AFTER.contains(w);
        if *w == "\"" {
            if quote_open {
                glue = true;
            } else {
                glue_next = true;
            }
            quote_open = !quote_open;
        }
        if !glue {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(w);
        spans.push((start, text.len()));
    }
    spans
}

/// MEANTIME articles (`intra-doc_annotation/corpus_*/*.xml`) rebuilt from
/// their tokens, one line per sentence.
pub fn read_meantime(dir: &Path) -> Result<Vec<(String, String)>> {
    let root = dir.join("intra-doc_annotation");
    let mut files = Vec::new();
    let corpora =
        std::fs::read_dir(&root).with_context(|| format!("cannot read {}", root.display()))?;
    for corpus in corpora {
        let corpus = corpus?.path();
        if !corpus.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&corpus)? {
            let f = f?.path();
            if f.extension().is_some_and(|e| e == "xml") {
                files.push(f);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let xml =
            std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let mut sentences: Vec<Vec<String>> = Vec::new();
        let mut last_sentence: Option<String> = None;
        for tok in xml.split("<token ").skip(1) {
            let Some(end_tag) = tok.find('>') else {
                continue;
            };
            let attrs = &tok[..end_tag];
            let Some(close) = tok.find("</token>") else {
                continue;
            };
            let word = unescape_xml(&tok[end_tag + 1..close]);
            let sentence = attr_value(attrs, "sentence").unwrap_or_default();
            if last_sentence.as_deref() != Some(sentence.as_str()) {
                sentences.push(Vec::new());
                last_sentence = Some(sentence);
            }
            if let Some(s) = sentences.last_mut() {
                s.push(word);
            }
        }
        let mut text = String::new();
        for (i, s) in sentences.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            let words: Vec<&str> = s.iter().map(String::as_str).collect();
            join_tokens(&words, &mut text);
        }
        let id = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !text.is_empty() {
            out.push((format!("meantime/{id}"), text));
        }
    }
    Ok(out)
}

/// The article bodies of the extraction benchmark (`ground-truth.json`):
/// real news articles with their paragraphs, sorted by key.
pub fn read_articles(dir: &Path) -> Result<Vec<(String, String)>> {
    let path = dir.join("ground-truth.json");
    let raw = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&raw).with_context(|| format!("{}: not JSON", path.display()))?;
    let obj = json
        .as_object()
        .with_context(|| format!("{}: not a JSON object", path.display()))?;
    let mut out: Vec<(String, String)> = obj
        .iter()
        .filter_map(|(k, v)| {
            let body = v.get("articleBody")?.as_str()?;
            (!body.trim().is_empty()).then(|| {
                (
                    format!("article/{}", &k[..k.len().min(12)]),
                    body.to_string(),
                )
            })
        })
        .collect();
    out.sort();
    Ok(out)
}

fn attr_value(attrs: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = attrs.find(&key)? + key.len();
    let end = attrs[start..].find('"')? + start;
    Some(attrs[start..end].to_string())
}

pub fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A file of the repository (scripts, examples), looked up from the
/// current directory and its ancestors, then from the executable's.
pub fn repo_path(rel: &str) -> Option<PathBuf> {
    let mut bases = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        bases.extend(cwd.ancestors().map(Path::to_path_buf));
    }
    if let Ok(exe) = std::env::current_exe() {
        bases.extend(exe.ancestors().skip(1).map(Path::to_path_buf));
    }
    bases.into_iter().map(|b| b.join(rel)).find(|p| p.exists())
}

/// The Python interpreter to use: the given one, else the repo's `.venv`.
pub fn python_path(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => repo_path(".venv/bin/python"),
    }
}

/// Runs `spacy_ref.py` over `(id, text)` documents; one JSON record each,
/// in order. `extra` are additional script arguments.
pub fn python_reference(
    python: &Path,
    docs: &[(String, String)],
    extra: &[&str],
) -> Result<Vec<serde_json::Value>> {
    let script = repo_path("scripts/python/spacy_ref.py")
        .context("scripts/python/spacy_ref.py not found (run from the repository)")?;
    let mut child = Command::new(python)
        .arg(&script)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let input: Vec<String> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string())
        .collect();
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for line in input {
            stdin.write_all(line.as_bytes())?;
            stdin.write_all(b"\n")?;
        }
        Ok(())
    });
    let stdout = child.stdout.take().context("no stdout")?;
    let mut out = Vec::with_capacity(docs.len());
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        out.push(serde_json::from_str(&line).context("bad JSON from spacy_ref.py")?);
    }
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writer thread panicked"))?
        .context("writing to spacy_ref.py")?;
    let status = child.wait()?;
    if !status.success() {
        bail!("spacy_ref.py failed ({status})");
    }
    if out.len() != docs.len() {
        bail!(
            "spacy_ref.py returned {} records for {} documents",
            out.len(),
            docs.len()
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_tokens_like_running_text() {
        let mut text = String::new();
        let words = [
            "He", "said", "\"", "no", "\"", "(", "twice", ")", ",", "it", "'s", "$", "5", ".",
        ];
        let spans = join_tokens(&words, &mut text);
        assert_eq!(text, "He said \"no\" (twice), it's $5.");
        for (w, (s, e)) in words.iter().zip(spans) {
            assert_eq!(&text[s..e], *w);
        }
    }

    #[test]
    fn iob1_and_iob2_entities() {
        assert_eq!(
            iob_entities(&["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]),
            vec![
                (0, 2, "PER".to_string()),
                (3, 4, "LOC".to_string()),
                (4, 5, "LOC".to_string()),
                (5, 6, "ORG".to_string())
            ]
        );
        assert_eq!(
            iob_entities(&["B-MISC", "I-MISC"]),
            vec![(0, 2, "MISC".to_string())]
        );
    }

    #[test]
    fn reads_conll_documents_and_rebuilds_text() {
        let dir = std::env::temp_dir().join(format!("dossier-conll-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.conll");
        std::fs::write(
            &path,
            "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n. . O O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nBonn NNP I-NP I-LOC\n",
        )
        .unwrap();
        let docs = read_conll(&path).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        let r = rebuild(&docs[0]);
        assert_eq!(r.text, "EU rejects.\nPeter");
        assert_eq!(r.entities, vec![(0, 1, "ORG".into()), (3, 4, "PER".into())]);
        assert_eq!(&r.text[r.spans[3].0..r.spans[3].1], "Peter");
        std::fs::write(&path, "EU\n").unwrap();
        assert!(read_conll(&path).unwrap_err().to_string().contains(":1:"));
        std::fs::write(&path, "EU 0\n").unwrap();
        assert_eq!(read_conll(&path).unwrap()[0].sentences[0][0].tag, "O");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
