//! The per-document analysis run by `dossier build`: the language pipeline,
//! then resolution within the document, converted to code-point offsets.

use crate::pipeline::Analyzer;
use dossier_analyze::pipeline::Pipeline;
use dossier_core::{
    CharIndex, Date, DocAnalysis, Document, LocalEntity, Mention, MentionKind, Span, Time,
    ENTITY_LABELS,
};
use dossier_facts::{DocFacts, EventType, TimeMention};
use dossier_names::PartStats;
use dossier_resolve::name::plain_key;
use dossier_resolve::{profiles, resolve_document, Fate, MentionInput, Profile};

/// Bumped whenever stored analyses would change, so `build` redoes them.
const ANALYSIS_VERSION: &str = "3";

pub struct NlpAnalyzer {
    pipeline: Pipeline,
    version: String,
}

impl NlpAnalyzer {
    pub fn new(pipeline: Pipeline) -> NlpAnalyzer {
        NlpAnalyzer {
            pipeline,
            version: format!(
                "en_core_web_sm-3.8.0/{ANALYSIS_VERSION}/{}",
                dossier_facts::VERSION
            ),
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
        let inputs = MentionInput::from_ner(&parsed);
        // Within-document decisions do not depend on corpus statistics, so
        // documents can be analysed in parallel and in any order.
        let locals = resolve_document(text, &parsed, &inputs, &PartStats::new());
        let mut profs = profiles(&doc.id, text, &parsed, &locals, &|b| chars.char_of_byte(b));

        // Time expressions against the publication date, then the facts.
        let published = doc.published.as_deref().and_then(Date::parse_iso);
        let timexes = dossier_time::tag(text, &parsed, published);
        let time_mentions: Vec<TimeMention> = timexes.iter().map(TimeMention::from).collect();
        let facts = dossier_facts::extract(&doc.id, text, &parsed, &time_mentions);
        add_fates(&facts, &locals, &mut profs);
        let times = timexes
            .iter()
            .map(|t| Time {
                doc: doc.id.clone(),
                start: chars.char_of_byte(t.start),
                end: chars.char_of_byte(t.end),
                text: t.text.clone(),
                kind: t.kind,
                value: t.value.clone(),
                anchor: t.anchor.map(|d| d.to_string()),
            })
            .collect();

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
            times,
            facts: serde_json::to_string(&facts).ok(),
        }
    }
}

/// Deaths and killings the document reports for its entities, so that
/// resolution can keep apart people whose fates contradict.
fn add_fates(facts: &DocFacts, locals: &[dossier_resolve::LocalEntity], profs: &mut [Profile]) {
    for ev in &facts.events {
        if !matches!(ev.kind, EventType::Killing | EventType::Death)
            || ev.negated
            || ev.hypothetical
        {
            continue;
        }
        let place = ev
            .places
            .first()
            .map(|r| plain_key(&r.entity.as_ref().unwrap_or(&r.span).text));
        let date = ev
            .date
            .as_ref()
            .and_then(|d| d.value.clone())
            .filter(|v| dossier_core::Date::parse_iso(v).is_some());
        for victim in ev.args_with("victim") {
            let Some(span) = victim.entity.as_ref() else {
                continue;
            };
            let owner = locals.iter().position(|l| {
                l.mentions
                    .iter()
                    .any(|m| m.start == span.start && m.end == span.end)
            });
            if let Some(i) = owner {
                let fate = Fate {
                    kind: "death".into(),
                    place: place.clone(),
                    date: date.clone(),
                };
                if !profs[i].fates.contains(&fate) {
                    profs[i].fates.push(fate);
                }
            }
        }
    }
}
