//! The per-document analysis run by `dossier build`: the language pipeline's
//! sentences and entity mentions, converted to code-point offsets.

use crate::pipeline::Analyzer;
use dossier_analyze::pipeline::Pipeline;
use dossier_core::{CharIndex, DocAnalysis, Document, Mention, MentionKind, Span};

/// Bumped whenever stored analyses would change, so `build` redoes them.
const ANALYSIS_VERSION: &str = "1";

pub struct NlpAnalyzer {
    pipeline: Pipeline,
    version: String,
}

impl NlpAnalyzer {
    pub fn new(pipeline: Pipeline) -> NlpAnalyzer {
        NlpAnalyzer {
            pipeline,
            version: format!("en_core_web_sm-3.8.0/{ANALYSIS_VERSION}"),
        }
    }
}

impl Analyzer for NlpAnalyzer {
    fn version(&self) -> &str {
        &self.version
    }

    fn analyze(&self, doc: &Document) -> DocAnalysis {
        let parsed = self.pipeline.analyze(&doc.text);
        let chars = CharIndex::new(&doc.text);
        let sentences = parsed
            .sents
            .iter()
            .filter_map(|r| {
                let first = parsed.tokens.get(r.start)?;
                let last = parsed.tokens.get(r.end.checked_sub(1)?)?;
                Some((
                    chars.char_of_byte(first.start),
                    chars.char_of_byte(last.end),
                ))
            })
            .collect();
        let mentions = parsed
            .ents
            .iter()
            .map(|e| Mention {
                span: Span {
                    doc: doc.id.clone(),
                    start: chars.char_of_byte(e.start),
                    end: chars.char_of_byte(e.end),
                    text: doc.text[e.start..e.end].to_string(),
                    kind: Some(MentionKind::Name),
                },
                label: e.label.clone(),
            })
            .collect();
        DocAnalysis {
            sentences,
            mentions,
        }
    }
}
