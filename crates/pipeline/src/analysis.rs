//! Per-document analysis, the one place it is assembled: parse → pronoun
//! links → local resolution → time expressions → facts → resolution
//! profiles. `dossier build`, every evaluation and every benchmark run it
//! through [`Analyzer::analyze`] or, with a parse in hand, [`analyze_parsed`].

use crate::timing::{Cpu, Stage, StageTimes};
use dossier_analyze::pipeline::Pipeline;
use dossier_core::parse::{Doc, PronounLink};
use dossier_core::{
    CharIndex, Date, Description, Document, LocalEntity, Mention, MentionKind, Span, Time,
    ENTITY_LABELS,
};
use dossier_facts::{DocFacts, EventType, TimeMention};
use dossier_names::PartStats;
use dossier_resolve::name::plain_key;
use dossier_resolve::{profiles, resolve_document, Fate, MentionInput, Profile};
use std::path::Path;
use std::time::{Duration, Instant};

/// Bumped whenever stored analyses would change, so `build` redoes them.
const ANALYSIS_VERSION: &str = "13";

/// What the analysis of one document found, before cross-document
/// resolution. Offsets in the core types are code points.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// Entity mentions (names, aliases, linked pronouns, each with its
    /// document-level entity) and other entities (dates, numbers).
    pub mentions: Vec<Mention>,
    /// Document-level entities the mentions point to by index.
    pub entities: Vec<LocalEntity>,
    /// Time expressions, normalised against the publication date.
    pub times: Vec<Time>,
    /// What the document says about each of its entities, for resolution
    /// across documents.
    pub profiles: Vec<Profile>,
    /// Events, relations and claims, before linking across documents.
    pub facts: DocFacts,
}

/// Why a document was not analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    #[error("analysis stopped after {stage} ({seconds:.0} s): over the {budget:.0} s budget per document")]
    OverBudget {
        stage: &'static str,
        seconds: f64,
        budget: f64,
    },
}

/// The per-document analyser: the language model and the stage timers.
pub struct Analyzer {
    nlp: Pipeline,
    version: String,
    budget: Duration,
    times: StageTimes,
}

/// Default time budget per document.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(120);

impl Analyzer {
    /// Loads the language model from `dir`, else `$DOSSIER_MODEL`, else
    /// `models/en_core_web_sm`; a missing model says how to fetch it.
    pub fn load(dir: Option<&Path>) -> Result<Analyzer, dossier_analyze::pipeline::Error> {
        Ok(Analyzer::new(Pipeline::locate_and_load(dir)?))
    }

    pub fn new(nlp: Pipeline) -> Analyzer {
        Analyzer {
            nlp,
            version: format!(
                "en_core_web_sm-3.8.0/{ANALYSIS_VERSION}/{}",
                dossier_facts::VERSION
            ),
            budget: DEFAULT_BUDGET,
            times: StageTimes::default(),
        }
    }

    /// Documents whose analysis takes longer are skipped with a reason.
    pub fn with_budget(mut self, budget: Duration) -> Analyzer {
        self.budget = budget;
        self
    }

    /// Changes whenever the analysis output would change.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn nlp(&self) -> &Pipeline {
        &self.nlp
    }

    pub fn times(&self) -> &StageTimes {
        &self.times
    }

    /// The language pipeline's parse of a text.
    pub fn parse(&self, text: &str) -> Doc {
        let t = Cpu::start();
        let doc = self.nlp.analyze(text);
        self.times.add(Stage::Parse, t.elapsed());
        doc
    }

    /// The whole analysis of one document.
    pub fn analyze(&self, doc: &Document) -> Result<DocAnalysis, AnalysisError> {
        let start = Instant::now();
        let parse = self.parse(&doc.text);
        let over = |stage: &'static str| {
            let seconds = start.elapsed().as_secs_f64();
            (seconds > self.budget.as_secs_f64()).then_some(AnalysisError::OverBudget {
                stage,
                seconds,
                budget: self.budget.as_secs_f64(),
            })
        };
        if let Some(e) = over("parsing") {
            return Err(e);
        }
        analyze_stages(doc, &parse, &self.times, &over)
    }
}

/// The analysis of a document whose parse is given (evaluations on Python
/// spaCy's parse, benchmarks), with the same stages as [`Analyzer::analyze`].
/// Names the tagger found in page furniture (headlines, bylines, captions)
/// count only when the article's body writes them too: "Hillary Clinton
/// Slams Donald Trump" in a headline is not a person's name.
fn body_names(text: &str, inputs: Vec<MentionInput>, parse: &Doc) -> Vec<MentionInput> {
    let furniture = dossier_facts::furniture(text, parse);
    if furniture.is_empty() {
        return inputs;
    }
    let inside = |m: &MentionInput| {
        furniture
            .iter()
            .any(|(r, _)| r.start <= m.start && m.end <= r.end)
    };
    let written = |m: &MentionInput| text.get(m.start..m.end).unwrap_or("").trim().to_string();
    let body: std::collections::HashSet<String> =
        inputs.iter().filter(|m| !inside(m)).map(written).collect();
    inputs
        .into_iter()
        .filter(|m| !inside(m) || body.contains(&written(m)))
        .collect()
}

pub fn analyze_parsed(doc: &Document, parse: &Doc, times: &StageTimes) -> DocAnalysis {
    let never = |_: &'static str| None;
    match analyze_stages(doc, parse, times, &never) {
        Ok(a) => a,
        Err(e) => unreachable!("no budget was set: {e}"),
    }
}

fn analyze_stages(
    doc: &Document,
    parse: &Doc,
    times: &StageTimes,
    over: &dyn Fn(&'static str) -> Option<AnalysisError>,
) -> Result<DocAnalysis, AnalysisError> {
    let text = &doc.text;
    let chars = CharIndex::new(text);

    // One pronoun resolution, used by local resolution and by the facts.
    let t = Cpu::start();
    let links: Vec<PronounLink> = dossier_facts::pronoun_links(text, parse);
    let inputs = body_names(text, MentionInput::from_ner(text, parse), parse);
    // Within-document decisions do not depend on corpus statistics, so
    // documents can be analysed in parallel and in any order.
    let locals = resolve_document(text, parse, &inputs, &PartStats::new(), &links);
    times.add(Stage::Local, t.elapsed());
    if let Some(e) = over("local resolution") {
        return Err(e);
    }

    let t = Cpu::start();
    let published = doc.published.as_deref().and_then(Date::parse_iso);
    let timexes = dossier_time::tag(text, parse, published);
    times.add(Stage::Time, t.elapsed());

    let t = Cpu::start();
    let time_mentions: Vec<TimeMention> = timexes.iter().map(TimeMention::from).collect();
    let facts = dossier_facts::extract_with(&doc.id, text, parse, &time_mentions, &links);
    times.add(Stage::Facts, t.elapsed());
    if let Some(e) = over("facts") {
        return Err(e);
    }

    let t = Cpu::start();
    let mut profs = profiles(&doc.id, text, parse, &locals, &|b| chars.char_of_byte(b));
    add_fates(&facts, &locals, &mut profs);
    times.add(Stage::Local, t.elapsed());

    let span = |start: usize, end: usize, kind: Option<MentionKind>| Span {
        doc: doc.id.clone(),
        start: chars.char_of_byte(start),
        end: chars.char_of_byte(end),
        text: text.get(start..end).unwrap_or("").to_string(),
        kind,
    };
    let times_out = timexes
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
    for e in parse
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
        .map(|l| LocalEntity {
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
                .map(|d| Description {
                    text: d.text.clone(),
                    evidence: vec![span(d.start, d.end, None)],
                })
                .collect(),
            ambiguous: l.ambiguous,
        })
        .collect();
    Ok(DocAnalysis {
        mentions,
        entities,
        times: times_out,
        profiles: profs,
        facts,
    })
}

/// Deaths and killings the document reports for its entities, so that
/// resolution can keep apart people whose fates contradict.
fn add_fates(facts: &DocFacts, locals: &[dossier_resolve::LocalEntity], profs: &mut [Profile]) {
    // Which local entity holds each mention span: an index, not a scan
    // per victim.
    let mut owner: std::collections::HashMap<(usize, usize), usize> =
        std::collections::HashMap::new();
    for (i, l) in locals.iter().enumerate() {
        for m in &l.mentions {
            owner.entry((m.start, m.end)).or_insert(i);
        }
    }
    for ev in &facts.events {
        if !matches!(ev.kind, EventType::Killing | EventType::Death) || !ev.modality.happened() {
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
            .filter(|v| Date::parse_iso(v).is_some());
        for victim in ev.args_with("victim") {
            let Some(span) = victim.entity.as_ref() else {
                continue;
            };
            if let Some(&i) = owner.get(&(span.start, span.end)) {
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
