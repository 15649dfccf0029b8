//! Event modality against MEANTIME (`meantime_en/intra-doc_annotation`),
//! the one corpus in the shared data that marks whether events happened:
//! every event mention carries `polarity` (POS/NEG), `certainty`
//! (CERTAIN/PROBABLE/POSSIBLE) and `time` (NON_FUTURE/FUTURE). WikiEvents
//! and RAMS mark no realis or modality.
//!
//! Both sides are reduced to four classes: `happened` (gold: positive,
//! certain, not future; ours: asserted or reported), `denied` (gold:
//! negative; ours: denied), `future` (gold: future; ours: future or
//! planned), `uncertain` (gold: possible or probable; ours: hypothetical or
//! sought). Mentions with an underspecified attribute are left out. Each
//! gold mention is read by [`dossier_facts::event_modalities`] at its first
//! token, as an event word of no particular type.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, Result};
use dossier_core::Modality;
use dossier_facts::event_modalities;

use crate::events::Parser;
use crate::time::{attr, attrs, meantime_text};

const CLASSES: [&str; 4] = ["happened", "denied", "future", "uncertain"];

fn ours(m: Modality) -> &'static str {
    match m {
        Modality::Asserted | Modality::Reported => "happened",
        Modality::Denied => "denied",
        Modality::Future | Modality::Planned => "future",
        Modality::Hypothetical | Modality::Sought => "uncertain",
    }
}

/// The gold class from MEANTIME's attributes, `None` when underspecified.
fn gold(polarity: &str, certainty: &str, time: &str) -> Option<&'static str> {
    if polarity == "NEG" {
        return Some("denied");
    }
    if polarity != "POS" {
        return None;
    }
    if time == "FUTURE" {
        return Some("future");
    }
    match (certainty, time) {
        ("POSSIBLE" | "PROBABLE", _) => Some("uncertain"),
        ("CERTAIN", "NON_FUTURE") => Some("happened"),
        _ => None,
    }
}

struct GoldEvent {
    /// Byte offset of its first token.
    at: usize,
    class: &'static str,
}

/// One document's text and its event mentions with a class.
fn read_doc(id: &str, raw: &str) -> Result<(String, Vec<GoldEvent>)> {
    let (text, spans) = meantime_text(id, raw, usize::MAX)?;
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(p) = rest.find("<EVENT_MENTION") {
        rest = &rest[p..];
        let gt = rest
            .find('>')
            .with_context(|| format!("{id}: unclosed EVENT_MENTION"))?;
        let a = attrs(&rest[..gt]);
        let close = rest.find("</EVENT_MENTION>").unwrap_or(gt);
        let inner = &rest[gt..close.max(gt)];
        let first = inner
            .find("t_id=\"")
            .map(|q| &inner[q + 6..])
            .and_then(|r| r.find('"').map(|e| &r[..e]));
        let class = gold(
            attr(&a, "polarity"),
            attr(&a, "certainty"),
            attr(&a, "time"),
        );
        if let (Some(t), Some(class)) = (first, class) {
            if let Some(&(start, _)) = spans.get(t) {
                out.push(GoldEvent { at: start, class });
            }
        }
        rest = &rest[gt..];
    }
    Ok((text, out))
}

fn files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let root = dir.join("intra-doc_annotation");
    for corpus in std::fs::read_dir(&root).with_context(|| format!("{}", root.display()))? {
        let corpus = corpus?.path();
        if !corpus.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&corpus)? {
            let f = f?.path();
            if f.extension().is_some_and(|e| e == "xml") {
                out.push(f);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Scores event modality on MEANTIME; prints per-class P/R/F1 and the
/// confusion matrix.
pub(crate) fn evaluate(
    dir: &Path,
    parser: &Parser,
    limit: Option<usize>,
    misses: bool,
) -> Result<()> {
    let mut docs: Vec<(String, String, Vec<GoldEvent>)> = Vec::new();
    for f in files(dir)?.into_iter().take(limit.unwrap_or(usize::MAX)) {
        let id = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = std::fs::read_to_string(&f).with_context(|| format!("{}", f.display()))?;
        let (text, events) = read_doc(&id, &raw)?;
        docs.push((id, text, events));
    }
    let texts: Vec<(String, String)> = docs
        .iter()
        .map(|(i, t, _)| (i.clone(), t.clone()))
        .collect();
    let parses = parser.parse_all(&texts)?;
    // confusion[(gold, ours)]
    let mut confusion: HashMap<(&str, &str), usize> = HashMap::new();
    for ((_, text, events), parse) in docs.iter().zip(&parses) {
        let tokens: Vec<usize> = events
            .iter()
            .map(|e| {
                parse
                    .tokens
                    .partition_point(|t| t.end <= e.at)
                    .min(parse.tokens.len().saturating_sub(1))
            })
            .collect();
        let read = event_modalities(text, parse, &tokens);
        for (e, m) in events.iter().zip(read) {
            *confusion.entry((e.class, ours(m))).or_default() += 1;
            if misses && e.class != ours(m) {
                let line_start = text[..e.at].rfind('\n').map_or(0, |p| p + 1);
                let line_end = text[e.at..].find('\n').map_or(text.len(), |p| e.at + p);
                eprintln!(
                    "  gold {} ours {:?}: {}[[{}]]",
                    e.class,
                    m,
                    &text[line_start..e.at],
                    &text[e.at..line_end]
                );
            }
        }
    }
    let total: usize = confusion.values().sum();
    let right: usize = CLASSES
        .iter()
        .map(|c| confusion.get(&(*c, *c)).copied().unwrap_or(0))
        .sum();
    println!(
        "MEANTIME event modality: {} documents, {total} event mentions with specified factuality ({})",
        docs.len(),
        parser.name()
    );
    println!(
        "  accuracy                           {:5.1}",
        100.0 * right as f64 / total.max(1) as f64
    );
    let mut rows: BTreeMap<usize, String> = BTreeMap::new();
    for (k, c) in CLASSES.iter().enumerate() {
        let tp = confusion.get(&(*c, *c)).copied().unwrap_or(0);
        let pred: usize = CLASSES
            .iter()
            .map(|g| confusion.get(&(*g, *c)).copied().unwrap_or(0))
            .sum();
        let gold: usize = CLASSES
            .iter()
            .map(|o| confusion.get(&(*c, *o)).copied().unwrap_or(0))
            .sum();
        let p = tp as f64 / pred.max(1) as f64;
        let r = tp as f64 / gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        rows.insert(
            k,
            format!(
                "  {c:<34} P {:5.1}  R {:5.1}  F1 {:5.1}   ({pred} pred, {gold} gold)",
                100.0 * p,
                100.0 * r,
                100.0 * f
            ),
        );
    }
    for r in rows.values() {
        println!("{r}");
    }
    println!(
        "  confusion (rows gold, columns ours: {})",
        CLASSES.join(", ")
    );
    for g in CLASSES {
        let cells: Vec<String> = CLASSES
            .iter()
            .map(|o| format!("{:5}", confusion.get(&(g, *o)).copied().unwrap_or(0)))
            .collect();
        println!("    {g:<10} {}", cells.join(" "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_from_attributes() {
        assert_eq!(gold("NEG", "CERTAIN", "NON_FUTURE"), Some("denied"));
        assert_eq!(gold("POS", "CERTAIN", "FUTURE"), Some("future"));
        assert_eq!(gold("POS", "POSSIBLE", "NON_FUTURE"), Some("uncertain"));
        assert_eq!(gold("POS", "CERTAIN", "NON_FUTURE"), Some("happened"));
        assert_eq!(gold("UNDERSPECIFIED", "CERTAIN", "NON_FUTURE"), None);
        assert_eq!(ours(Modality::Sought), "uncertain");
    }

    #[test]
    fn reads_event_mentions() {
        let raw = r#"<Document><token t_id="1" sentence="0">Sales</token><token t_id="2" sentence="0">will</token><token t_id="3" sentence="0">fall</token>
<Markables><EVENT_MENTION certainty="CERTAIN" m_id="5" polarity="POS" time="FUTURE"><token_anchor t_id="3"/></EVENT_MENTION></Markables></Document>"#;
        let (text, ev) = read_doc("x", raw).unwrap();
        assert_eq!(text, "Sales will fall");
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].at, ev[0].class), (11, "future"));
    }
}
