//! Evaluation and benchmark commands (`dossier eval ...`, `dossier bench ...`).
//!
//! Each evaluation reads third-party data from `../shared/data` at run time and
//! prints precision/recall/F1 (or the measure its task uses). This crate is a
//! command edge, so it uses `anyhow`.

pub mod bench;
pub mod bench_kb;
pub mod bench_screen;
pub mod claims;
pub mod coref;
pub mod coref_metrics;
pub mod events;
pub mod extract;
pub mod metrics;
pub mod modality;
pub mod names;
pub mod ner;
pub mod nlp_data;
pub mod parity;
pub mod pseudo;
pub mod screen;
pub mod time;

use clap::Subcommand;

/// The product's per-document analysis (`dossier_pipeline::analyze_parsed`)
/// of a text with a given parse, for evaluations that score one stage.
pub(crate) fn analyse(
    id: &str,
    text: &str,
    parse: &dossier_core::parse::Doc,
) -> dossier_pipeline::DocAnalysis {
    let doc = dossier_core::Document {
        id: id.to_string(),
        source: id.to_string(),
        sources: Vec::new(),
        title: None,
        published: None,
        byline: None,
        language: "en".into(),
        text: text.to_string(),
    };
    dossier_pipeline::analyze_parsed(&doc, parse, &dossier_pipeline::StageTimes::default())
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// HTML article extraction: token precision/recall/F1 against ground truth.
    Extract(extract::Args),
    /// Named entities: per-type P/R/F1 on CoNLL-2003 or Wikigold.
    Ner(ner::Args),
    /// Entity coreference within and across documents on ECB+ (MUC, B3,
    /// CEAF-e, CoNLL), against the lowercase-head-match baseline.
    Coref(coref::Args),
    /// Name variants: "same name?" P/R/F1 on held-out transliteration pairs.
    Names(names::Args),
    /// Agreement of the native pipeline with Python spaCy on the same texts.
    Parity(parity::Args),
    /// Time expressions: TempEval-3 style span F1 and value accuracy.
    Time(time::Args),
    /// Attribution (source, cue, content) span P/R/F1 on PolNeAR.
    Claims(claims::Args),
    /// Event triggers and arguments on RAMS and WikiEvents (mapped types).
    Events(events::Args),
    /// Sanctions screening: UN<->OFAC variants and non-listed names, beside
    /// a fuzzy baseline (and nomenklatura when installed).
    Screen(screen::Args),
}

pub fn run_eval(cmd: &EvalCommand) -> anyhow::Result<()> {
    match cmd {
        EvalCommand::Extract(a) => extract::run(a),
        EvalCommand::Ner(a) => ner::run(a),
        EvalCommand::Names(a) => names::run(a),
        EvalCommand::Coref(a) => coref::run(a),
        EvalCommand::Parity(a) => parity::run(a),
        EvalCommand::Time(a) => time::run(a),
        EvalCommand::Claims(a) => claims::run(a),
        EvalCommand::Events(a) => events::run(a),
        EvalCommand::Screen(a) => screen::run(a),
    }
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Words per second of the language pipeline, against Python spaCy.
    Nlp(bench::NlpArgs),
    /// Requests per second and p99 latency of `dossier serve` on loopback.
    Serve(dossier_serve::bench::BenchArgs),
    /// End-to-end `dossier build` of a real corpus: articles/s, time per
    /// stage, peak memory, database bytes per article.
    Build(bench_kb::BuildArgs),
    /// Builds of 2k, 5k, 10k and 19k Reuters articles: time per article.
    Growth(bench_kb::GrowthArgs),
    /// Adding 200 articles to the Reuters knowledge base, against its build.
    Incremental(bench_kb::IncrementalArgs),
    /// Read latencies (who, search, entity page, timeline) and serve start.
    Reads(bench_kb::ReadsArgs),
    /// List load time and screened names per second, against a fuzzy baseline.
    Screen(bench_screen::ScreenArgs),
}

pub fn run_bench(cmd: &BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Nlp(a) => bench::nlp(a),
        BenchCommand::Serve(a) => dossier_serve::bench::run(a).map(|_| ()).map_err(Into::into),
        BenchCommand::Build(a) => bench_kb::build_bench(a),
        BenchCommand::Growth(a) => bench_kb::growth(a),
        BenchCommand::Incremental(a) => bench_kb::incremental(a),
        BenchCommand::Reads(a) => bench_kb::reads(a),
        BenchCommand::Screen(a) => bench_screen::run(a),
    }
}
