//! The per-document analysis run by `dossier build`: the language pipeline,
//! then resolution within the document, converted to code-point offsets.

use crate::pipeline::Analyzer;
use dossier_analyze::pipeline::Pipeline;
use dossier_core::{
    CharIndex, DocAnalysis, Document, LocalEntity, Mention, MentionKind, Span, ENTITY_LABELS,
};
use dossier_names::PartStats;
use dossier_resolve::{profiles, resolve_document, MentionInput};

/// Bumped whenever stored analyses would change, so `build` redoes them.
const ANALYSIS_VERSION: &str = "2";

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
        let text = &doc.text;
        let parsed = self.pipeline.analyze(text);
        let chars = CharIndex::new(text);
        let span = |start: usize, end: usize, kind: Option<MentionKind>| Span {
            doc: doc.id.clone(),
            start: chars.char_of_byte(start),
            end: chars.char_of_byte(end),
            text: text[start..end].to_string(),
            kind,
        };
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
        let inputs: Vec<MentionInput> = parsed
            .ents
            .iter()
            .filter(|e| ENTITY_LABELS.contains(&e.label.as_str()))
            .map(|e| MentionInput {
                start: e.start,
                end: e.end,
                label: Some(e.label.clone()),
            })
            .collect();
        // Within-document decisions do not depend on corpus statistics, so
        // documents can be analysed in parallel and in any order.
        let locals = resolve_document(text, &parsed, &inputs, &PartStats::new());
        let profs = profiles(&doc.id, text, &parsed, &locals, &|b| chars.char_of_byte(b));

        let mut mentions: Vec<Mention> = Vec::new();
        for (i, l) in locals.iter().enumerate() {
            for m in &l.mentions {
                mentions.push(Mention {
                    span: span(m.start, m.end, Some(m.kind)),
                    label: l.label.clone(),
                    local: Some(i),
                    how: Some(m.how.clone()),
                });
            }
        }
        // Dates, numbers and the like stay as unlinked mentions.
        for e in parsed
            .ents
            .iter()
            .filter(|e| !ENTITY_LABELS.contains(&e.label.as_str()))
        {
            mentions.push(Mention {
                span: span(e.start, e.end, None),
                label: e.label.clone(),
                local: None,
                how: None,
            });
        }
        mentions.sort_by_key(|m| (m.span.start, m.span.end));

        let entities = locals
            .iter()
            .zip(&profs)
            .map(|(l, p)| LocalEntity {
                label: l.label.clone(),
                name: l.name.clone(),
                aliases: l
                    .aliases
                    .iter()
                    .map(|a| (a.name.clone(), span(a.start, a.end, None)))
                    .collect(),
                descriptions: l
                    .descriptions
                    .iter()
                    .map(|d| dossier_core::Description {
                        text: d.text.clone(),
                        evidence: vec![span(d.start, d.end, None)],
                    })
                    .collect(),
                ambiguous: l.ambiguous,
                profile: serde_json::to_string(p).unwrap_or_default(),
            })
            .collect();
        let mut stat_keys: Vec<(String, String)> = Vec::new();
        for k in dossier_resolve::global::document_parts(&profs) {
            stat_keys.push(("part".into(), k));
        }
        for k in dossier_resolve::global::document_keys(&profs) {
            stat_keys.push(("key".into(), k));
        }
        let terms: std::collections::BTreeSet<&String> =
            profs.iter().flat_map(|p| p.terms.keys()).collect();
        for t in terms {
            stat_keys.push(("term".into(), t.clone()));
        }
        DocAnalysis {
            sentences,
            mentions,
            entities,
            stat_keys,
        }
    }
}
