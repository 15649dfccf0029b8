//! Batch screening: queries in, one result line per query out, in input
//! order, as JSON lines or CSV. Queries are screened in parallel in blocks,
//! so memory stays flat whatever the input size; a refused query yields a
//! result line with its error and the batch goes on.

use std::io::Write;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::entry::ListKind;
use crate::explain::Explanation;
use crate::query::{BatchError, BatchItem};
use crate::screener::{ScreenMatch, Screener};

/// Queries screened per parallel block.
const BLOCK: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Json,
    Csv,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" | "jsonl" => Ok(OutputFormat::Json),
            "csv" => Ok(OutputFormat::Csv),
            other => Err(format!("unknown format `{other}` (use json or csv)")),
        }
    }
}

/// An explanation item with its sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplanationItem {
    #[serde(flatten)]
    pub item: Explanation,
    pub text: String,
}

impl From<&Explanation> for ExplanationItem {
    fn from(e: &Explanation) -> Self {
        ExplanationItem {
            item: e.clone(),
            text: e.to_string(),
        }
    }
}

/// One match in a result line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchLine {
    pub list: ListKind,
    pub list_id: String,
    pub name: String,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    pub explanation: Vec<ExplanationItem>,
}

impl From<&ScreenMatch> for MatchLine {
    fn from(m: &ScreenMatch) -> Self {
        MatchLine {
            list: m.list,
            list_id: m.list_id.clone(),
            name: m.name.clone(),
            score: (m.score * 10_000.0).round() / 10_000.0,
            is_match: m.is_match,
            explanation: m.explanation.iter().map(ExplanationItem::from).collect(),
        }
    }
}

/// `{"id", "matches": [...]}`, best match first; `error` only when the
/// query was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultLine {
    pub id: String,
    pub matches: Vec<MatchLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchSummary {
    pub queries: usize,
    pub refused: usize,
    /// Queries with at least one match at the threshold.
    pub matched: usize,
}

fn screen_item(
    screener: &Screener,
    item: Result<BatchItem, BatchError>,
    limit: usize,
) -> ResultLine {
    match item {
        Ok(BatchItem {
            id, query: Ok(q), ..
        }) => ResultLine {
            id,
            matches: screener
                .screen(&q, limit)
                .iter()
                .map(MatchLine::from)
                .collect(),
            error: None,
        },
        Ok(BatchItem {
            id,
            line,
            query: Err(e),
        }) => ResultLine {
            id,
            matches: Vec::new(),
            error: Some(format!("line {line}: {e}")),
        },
        Err(e) => ResultLine {
            id: match &e {
                BatchError::Line { line, .. } => format!("line{line}"),
                _ => "input".into(),
            },
            matches: Vec::new(),
            error: Some(e.to_string()),
        },
    }
}

/// Screens every item and writes one result line per item, in order.
pub fn run(
    screener: &Screener,
    items: impl Iterator<Item = Result<BatchItem, BatchError>>,
    format: OutputFormat,
    limit: usize,
    out: &mut dyn Write,
) -> std::io::Result<BatchSummary> {
    let mut summary = BatchSummary::default();
    if format == OutputFormat::Csv {
        writeln!(
            out,
            "id,rank,list,list_id,name,score,match,explanation,error"
        )?;
    }
    let mut items = items.peekable();
    while items.peek().is_some() {
        let block: Vec<_> = items.by_ref().take(BLOCK).collect();
        let lines: Vec<ResultLine> = block
            .into_par_iter()
            .map(|it| screen_item(screener, it, limit))
            .collect();
        for l in &lines {
            summary.queries += 1;
            summary.refused += usize::from(l.error.is_some());
            summary.matched += usize::from(l.matches.iter().any(|m| m.is_match));
            match format {
                OutputFormat::Json => {
                    serde_json::to_writer(&mut *out, l).map_err(std::io::Error::other)?;
                    writeln!(out)?;
                }
                OutputFormat::Csv => write_csv(out, l)?,
            }
        }
    }
    Ok(summary)
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn write_csv(out: &mut dyn Write, l: &ResultLine) -> std::io::Result<()> {
    let error = l.error.as_deref().unwrap_or("");
    if l.matches.is_empty() {
        return writeln!(out, "{},,,,,,,,{}", csv_cell(&l.id), csv_cell(error));
    }
    for (rank, m) in l.matches.iter().enumerate() {
        let text: Vec<&str> = m.explanation.iter().map(|e| e.text.as_str()).collect();
        writeln!(
            out,
            "{},{},{},{},{},{:.4},{},{},",
            csv_cell(&l.id),
            rank + 1,
            m.list,
            csv_cell(&m.list_id),
            csv_cell(&m.name),
            m.score,
            m.is_match,
            csv_cell(&text.join(" | "))
        )?;
    }
    Ok(())
}
