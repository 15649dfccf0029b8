//! `dossier eval coref`: within- and cross-document entity coreference on
//! ECB+ (gold entity mentions, only the sentences listed in
//! `ECBplus_coreference_sentences.csv`), scored with MUC, B-cubed and
//! CEAF-e, against the lowercase-head-match baseline on the same mentions.
//! With `--same-name DIR`, the same scoring on a John-Smith-style corpus:
//! many documents naming different people who share a name, with the gold
//! grouping in `DIR/gold.json`.

use crate::coref_metrics::{score, Cluster, CorefScores};
use crate::nlp_data::join_tokens;
use anyhow::{bail, Context, Result};
use dossier_analyze::pipeline::{Doc, Pipeline};
use dossier_core::{CharIndex, ENTITY_LABELS};
use dossier_names::PartStats;
use dossier_resolve::{
    compare, cues, profiles, resolve_document, CorpusStats, EntityState, Judgements, MentionInput,
    Model, Resolver,
};
use quick_xml::events::Event;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory (holds `ecbplus/`).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Only these topics (e.g. `--topics 1,2,3`); default: all present.
    #[arg(long, value_delimiter = ',')]
    topics: Vec<u32>,
    /// Score a same-name corpus (text files plus `gold.json`) instead.
    #[arg(long)]
    same_name: Option<PathBuf>,
    /// The spaCy model directory.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Match-model parameters to score with (default: the committed ones).
    #[arg(long)]
    params: Option<PathBuf>,
    /// Score pseudo-name conflation on Reuters articles instead (Mann &
    /// Yarowsky 2003): different people's names replaced by one shared name.
    #[arg(long)]
    pseudo_names: bool,
    /// Seed for the choice of people (with --pseudo-names).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// People conflated under each shared name (with --pseudo-names).
    #[arg(long, default_value_t = 3)]
    group: usize,
    /// Scratch folder (with --pseudo-names; default: a new temporary one).
    #[arg(long)]
    work: Option<PathBuf>,
    /// Estimate the match model by EM on the candidate pairs of this
    /// corpus and write its parameters here (the labels are not used).
    #[arg(long)]
    estimate: Option<PathBuf>,
}

/// One document with its gold entity mentions (byte spans) and their
/// gold cluster ids.
struct GoldDoc {
    topic: String,
    text: String,
    mentions: Vec<(usize, usize, String)>,
}

pub fn run(args: &Args) -> Result<()> {
    let model = match &args.params {
        Some(p) => Model::parse(
            &std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
        )
        .with_context(|| format!("reading {}", p.display()))?,
        None => Model::embedded(),
    };
    if args.pseudo_names {
        let work = args.work.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("dossier-pseudo-{}", std::process::id()))
        });
        return crate::pseudo::run(&crate::pseudo::Options {
            data: &args.data,
            model: args.model.as_deref(),
            params: model,
            seed: args.seed,
            group: args.group.max(2),
            work: &work,
        });
    }
    let nlp = Pipeline::locate_and_load(args.model.as_deref())?;
    let setup = Setup {
        model,
        estimate: args.estimate.clone(),
    };
    match &args.same_name {
        Some(dir) => {
            let docs = read_same_name(dir)?;
            println!(
                "Same-name corpus {}: {} documents, {} gold mentions",
                dir.display(),
                docs.len(),
                mention_count(&docs)
            );
            report(&nlp, &docs, &setup)?;
        }
        None => {
            let dir = args.data.join("ecbplus");
            let docs = read_ecbplus(&dir, &args.topics)?;
            let topics: BTreeSet<&str> = docs.iter().map(|d| d.topic.as_str()).collect();
            println!(
                "ECB+ entity coreference: {} topics, {} documents, {} gold entity mentions (coreference sentences only; gold topics)",
                topics.len(),
                docs.len(),
                mention_count(&docs)
            );
            report(&nlp, &docs, &setup)?;
        }
    }
    Ok(())
}

struct Setup {
    model: Model,
    estimate: Option<PathBuf>,
}

fn mention_count(docs: &[GoldDoc]) -> usize {
    docs.iter().map(|d| d.mentions.len()).sum()
}

fn report(nlp: &Pipeline, docs: &[GoldDoc], setup: &Setup) -> Result<()> {
    let parsed: Vec<Doc> = docs.par_iter().map(|d| nlp.analyze(&d.text)).collect();
    let key = gold_clusters(docs);
    let baseline = head_match(docs, &parsed);
    let (ours, comparisons) = resolve(docs, &parsed, &setup.model);
    if let Some(out) = &setup.estimate {
        let fitted = setup.model.estimate(&comparisons, 50);
        std::fs::write(out, fitted.to_tsv())
            .with_context(|| format!("writing {}", out.display()))?;
        println!(
            "Estimated the match model by EM on {} candidate pairs (prior {:.4}); written to {}",
            comparisons.len(),
            fitted.lambda,
            out.display()
        );
    }
    if std::env::var_os("DOSSIER_COREF_DIFF").is_some() {
        diff(docs, &key, &baseline, &ours);
    }
    println!(
        "{:<26} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6}",
        "", "MUC P", "R", "F1", "B3 P", "R", "F1", "CEAF P", "R", "F1", "CoNLL"
    );
    for (name, resp) in [
        ("lowercase head match", &baseline),
        ("dossier resolve", &ours),
    ] {
        print_row(name, &score(&key, resp));
    }
    // The same responses scored only on the mentions whose head word is
    // inside a named entity: what the product resolves (it does not build
    // entities from common-noun phrases such as "the actress").
    let names: BTreeSet<u64> = docs
        .iter()
        .zip(&parsed)
        .enumerate()
        .flat_map(|(i, (d, p))| {
            d.mentions
                .iter()
                .enumerate()
                .filter(|(_, (s, e, _))| name_entity(p, *s, *e).is_some())
                .map(move |(j, _)| mid(i, j))
        })
        .collect();
    if names.len() < mention_count(docs) {
        println!(
            "Name mentions only ({} of {} gold mentions have their head inside a named entity):",
            names.len(),
            mention_count(docs)
        );
        let key = restrict(&key, &names);
        for (name, resp) in [
            ("lowercase head match", &baseline),
            ("dossier resolve", &ours),
        ] {
            print_row(name, &score(&key, &restrict(resp, &names)));
        }
    }
    Ok(())
}

/// Clusters cut down to the given mentions.
fn restrict(clusters: &[Cluster], keep: &BTreeSet<u64>) -> Vec<Cluster> {
    clusters
        .iter()
        .map(|c| {
            c.iter()
                .copied()
                .filter(|m| keep.contains(m))
                .collect::<Cluster>()
        })
        .filter(|c| !c.is_empty())
        .collect()
}

/// The named entity (start, end, label) that holds the mention's syntactic
/// head, if there is one: what the product's NER would give for it.
fn name_entity(p: &Doc, s: usize, e: usize) -> Option<(usize, usize, String)> {
    let first = p.tokens.iter().position(|t| t.end > s)?;
    let last = p.tokens.iter().rposition(|t| t.start < e)?;
    if first > last {
        return None;
    }
    let h = &p.tokens[cues::head_of(p, &(first..last + 1))];
    p.ents
        .iter()
        .find(|x| x.start <= h.start && h.end <= x.end && ENTITY_LABELS.contains(&x.label.as_str()))
        .map(|x| (x.start, x.end, x.label.clone()))
}

fn print_row(name: &str, s: &CorefScores) {
    let pct = |x: f64| format!("{:.1}", 100.0 * x);
    println!(
        "{:<26} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6}",
        name,
        pct(s.muc.p),
        pct(s.muc.r),
        pct(s.muc.f),
        pct(s.b3.p),
        pct(s.b3.r),
        pct(s.b3.f),
        pct(s.ceafe.p),
        pct(s.ceafe.r),
        pct(s.ceafe.f),
        pct(s.conll())
    );
}

/// Gold links the baseline makes and we do not (development aid).
fn diff(docs: &[GoldDoc], key: &[Cluster], base: &[Cluster], ours: &[Cluster]) {
    let of = |cs: &[Cluster]| -> HashMap<u64, usize> {
        cs.iter()
            .enumerate()
            .flat_map(|(i, c)| c.iter().map(move |m| (*m, i)))
            .collect()
    };
    let (b, o) = (of(base), of(ours));
    let text = |m: u64| {
        let (d, j) = ((m >> 20) as usize, (m & 0xfffff) as usize);
        let (s, e, _) = &docs[d].mentions[j];
        docs[d].text[*s..*e].to_lowercase()
    };
    let mut counts: BTreeMap<(String, String, bool), usize> = BTreeMap::new();
    for c in key {
        for (x, &p) in c.iter().enumerate() {
            for &q in &c[x + 1..] {
                if b.get(&p) == b.get(&q) && o.get(&p) != o.get(&q) {
                    let same_doc = (p >> 20) == (q >> 20);
                    let (a, z) = (text(p), text(q));
                    let k = if a <= z {
                        (a, z, same_doc)
                    } else {
                        (z, a, same_doc)
                    };
                    *counts.entry(k).or_default() += 1;
                }
            }
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for ((a, z, same), n) in v.into_iter().take(60) {
        println!(
            "LOST {n:>4} {} {a:?} / {z:?}",
            if same { "in-doc" } else { "cross" }
        );
    }
}

/// Mention ids: document index × 2^20 + mention index.
fn mid(doc: usize, m: usize) -> u64 {
    ((doc as u64) << 20) | m as u64
}

fn gold_clusters(docs: &[GoldDoc]) -> Vec<Cluster> {
    let mut by: BTreeMap<&str, Cluster> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for (j, (_, _, c)) in d.mentions.iter().enumerate() {
            by.entry(c.as_str()).or_default().push(mid(i, j));
        }
    }
    by.into_values().collect()
}

/// The baseline: within each topic, mentions whose syntactic heads are the
/// same word (lower case) corefer.
fn head_match(docs: &[GoldDoc], parsed: &[Doc]) -> Vec<Cluster> {
    let mut by: BTreeMap<(String, String), Cluster> = BTreeMap::new();
    for (i, (d, p)) in docs.iter().zip(parsed).enumerate() {
        for (j, (s, e, _)) in d.mentions.iter().enumerate() {
            let head = head_word(p, *s, *e).unwrap_or_else(|| d.text[*s..*e].to_lowercase());
            by.entry((d.topic.clone(), head))
                .or_default()
                .push(mid(i, j));
        }
    }
    by.into_values().collect()
}

fn head_word(p: &Doc, s: usize, e: usize) -> Option<String> {
    let first = p.tokens.iter().position(|t| t.end > s)?;
    let last = p.tokens.iter().rposition(|t| t.start < e)? + 1;
    if first >= last {
        return None;
    }
    let h = cues::head_of(p, &(first..last));
    Some(p.tokens[h].text.to_lowercase())
}

/// Our resolver on the gold mentions: within each document, then across the
/// documents of each topic.
fn resolve(
    docs: &[GoldDoc],
    parsed: &[Doc],
    model: &Model,
) -> (Vec<Cluster>, Vec<dossier_resolve::model::Levels>) {
    // Local entities per document, with the gold mention indices they hold.
    struct Local {
        doc: usize,
        profiles: Vec<dossier_resolve::Profile>,
        members: Vec<Vec<usize>>,
    }
    let locals: Vec<Local> = docs
        .par_iter()
        .zip(parsed.par_iter())
        .enumerate()
        .map(|(i, (d, p))| {
            // A gold mention whose head is inside a named entity enters as
            // that name (cut to the mention), as the product's NER would
            // give it: "defensive tackle Jamal Williams" is "Jamal Williams".
            let mut inputs: Vec<MentionInput> = Vec::new();
            let mut gold_of: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
            for (j, (s, e, _)) in d.mentions.iter().enumerate() {
                let (start, end, label) = match name_entity(p, *s, *e) {
                    Some((x, y, label)) => ((*s).max(x), (*e).min(y), Some(label)),
                    None => (*s, *e, None),
                };
                let golds = gold_of.entry((start, end)).or_default();
                if golds.is_empty() {
                    inputs.push(MentionInput { start, end, label });
                }
                golds.push(j);
            }
            let links = dossier_facts::pronoun_links(&d.text, p);
            let ents = resolve_document(&d.text, p, &inputs, &PartStats::new(), &links);
            let chars = CharIndex::new(&d.text);
            let profs = profiles(&format!("{i}"), &d.text, p, &ents, &|b| {
                chars.char_of_byte(b)
            });
            let members = ents
                .iter()
                .map(|l| {
                    l.mentions
                        .iter()
                        .filter_map(|m| gold_of.get(&(m.start, m.end)))
                        .flatten()
                        .copied()
                        .collect()
                })
                .collect();
            Local {
                doc: i,
                profiles: profs,
                members,
            }
        })
        .collect();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut covered: BTreeSet<u64> = BTreeSet::new();
    // Statistics over the whole corpus, as the product keeps them: words
    // common to one story are rare across stories.
    let mut stats = CorpusStats::default();
    for l in &locals {
        stats.add_document(&l.profiles);
    }
    let topics: BTreeSet<&str> = docs.iter().map(|d| d.topic.as_str()).collect();
    let mut comparisons = Vec::new();
    for topic in topics {
        let in_topic: Vec<&Local> = locals
            .iter()
            .filter(|l| docs[l.doc].topic == topic)
            .collect();
        if std::env::var_os("DOSSIER_COREF_DEBUG").is_some() {
            debug_topic(
                docs,
                &in_topic
                    .iter()
                    .map(|l| (l.doc, &l.profiles, &l.members))
                    .collect::<Vec<_>>(),
                &stats,
                model,
            );
        }
        let judgements = Judgements::default();
        let mut r = Resolver::new(model, &stats, &judgements, Vec::new()).record_comparisons();
        let mut owner: HashMap<(String, u32), (usize, usize)> = HashMap::new();
        for l in &in_topic {
            for (k, p) in l.profiles.iter().enumerate() {
                owner.insert((p.doc.clone(), p.local as u32), (l.doc, k));
            }
        }
        r.resolve(in_topic.iter().flat_map(|l| l.profiles.iter()));
        let outcome = r.finish();
        comparisons.extend(outcome.comparisons);
        for e in outcome.changed {
            let mut c = Cluster::new();
            for m in e.added {
                if let Some(&(doc, k)) = owner.get(&m.member) {
                    let l = locals.iter().find(|l| l.doc == doc).expect("local of doc");
                    c.extend(l.members[k].iter().map(|&j| mid(doc, j)));
                }
            }
            c.retain(|x| covered.insert(*x));
            if !c.is_empty() {
                clusters.push(c);
            }
        }
    }
    // Mentions the resolver dropped (unlinked pronouns) are singletons.
    for (i, d) in docs.iter().enumerate() {
        for j in 0..d.mentions.len() {
            if !covered.contains(&mid(i, j)) {
                clusters.push(vec![mid(i, j)]);
            }
        }
    }
    (clusters, comparisons)
}

/// A document's local entity profiles and the gold mentions each holds.
type TopicLocal<'a> = (
    usize,
    &'a Vec<dossier_resolve::Profile>,
    &'a Vec<Vec<usize>>,
);

/// Prints the resolver's assessment of local entities in different
/// documents that it splits although gold joins them, or joins although
/// gold splits them (development aid).
fn debug_topic(docs: &[GoldDoc], locals: &[TopicLocal<'_>], stats: &CorpusStats, model: &Model) {
    let parts = stats.part_stats();
    let assess = |p: &dossier_resolve::Profile, q: &dossier_resolve::Profile| {
        compare(
            &EntityState::from_profile(p),
            &EntityState::from_profile(q),
            stats,
            &parts,
            model,
        )
    };
    let gold = |doc: usize, ms: &Vec<usize>| -> BTreeSet<String> {
        ms.iter()
            .map(|&j| docs[doc].mentions[j].2.clone())
            .collect()
    };
    for (i, (da, pa, ma)) in locals.iter().enumerate() {
        for (db, pb, mb) in locals.iter().skip(i + 1) {
            for (x, p) in pa.iter().enumerate() {
                for (y, q) in pb.iter().enumerate() {
                    if gold(*da, &ma[x]).is_disjoint(&gold(*db, &mb[y])) {
                        continue;
                    }
                    let a = assess(p, q);
                    if !a.merge {
                        println!("MISS {} / {}: {}", p.name, q.name, a.summary());
                    }
                }
            }
        }
    }
    for (i, (da, pa, ma)) in locals.iter().enumerate() {
        for (db, pb, mb) in locals.iter().skip(i + 1) {
            for (x, p) in pa.iter().enumerate() {
                for (y, q) in pb.iter().enumerate() {
                    if !gold(*da, &ma[x]).is_disjoint(&gold(*db, &mb[y]))
                        || ma[x].is_empty()
                        || mb[y].is_empty()
                    {
                        continue;
                    }
                    let a = assess(p, q);
                    if a.merge {
                        println!("FALSE {} / {}: {}", p.name, q.name, a.summary());
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- ECB+ ---

fn read_ecbplus(dir: &Path, topics: &[u32]) -> Result<Vec<GoldDoc>> {
    let csv_path = dir.join("ECBplus_coreference_sentences.csv");
    let csv = std::fs::read_to_string(&csv_path)
        .with_context(|| format!("reading {}", csv_path.display()))?;
    let mut wanted: HashMap<String, BTreeSet<u32>> = HashMap::new();
    for (n, line) in csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() < 3 {
            continue;
        }
        let sent: u32 = f[2]
            .parse()
            .with_context(|| format!("{}:{}: bad sentence number", csv_path.display(), n + 1))?;
        wanted
            .entry(format!("{}_{}", f[0], f[1]))
            .or_default()
            .insert(sent);
    }
    let root = dir.join("ECB+");
    let mut topic_dirs: Vec<(u32, PathBuf)> = std::fs::read_dir(&root)
        .with_context(|| format!("reading {}", root.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path())))
        .filter(|(t, _)| topics.is_empty() || topics.contains(t))
        .collect();
    topic_dirs.sort();
    let mut docs = Vec::new();
    for (topic, tdir) in topic_dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&tdir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for f in files {
            let stem = f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let Some(sents) = wanted.get(&stem) else {
                continue;
            };
            let xml =
                std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
            let doc = parse_ecb(&xml, sents, &stem)
                .with_context(|| format!("parsing {}", f.display()))?;
            docs.push(GoldDoc {
                topic: topic.to_string(),
                text: doc.0,
                mentions: doc.1,
            });
        }
    }
    if docs.is_empty() {
        bail!("no ECB+ documents found under {}", root.display());
    }
    Ok(docs)
}

type Parsed = (String, Vec<(usize, usize, String)>);

/// Text of the listed sentences and their gold entity mentions with cluster
/// ids: the CROSS_DOC_COREF instance, else the INTRA_DOC_COREF chain, else
/// a singleton.
fn parse_ecb(xml: &str, sentences: &BTreeSet<u32>, doc: &str) -> Result<Parsed> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut tokens: Vec<(u32, u32, String)> = Vec::new(); // t_id, sentence, text
    let mut mentions: Vec<(u32, String, Vec<u32>)> = Vec::new(); // m_id, tag, anchors
    let mut instance_of: HashMap<u32, String> = HashMap::new(); // descriptor m_id -> instance
    let mut links: Vec<(String, Vec<u32>, u32, bool)> = Vec::new(); // note/r_id, sources, target, cross
    let mut cur_token: Option<(u32, u32)> = None;
    let mut cur_mention: Option<(u32, String, Vec<u32>)> = None;
    let mut cur_rel: Option<(String, Vec<u32>, u32, bool)> = None;
    let mut in_markables = false;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"token" => {
                let id = attr(&e, b"t_id").and_then(|v| v.parse().ok()).unwrap_or(0);
                let s = attr(&e, b"sentence")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                cur_token = Some((id, s));
            }
            Event::Text(t) => {
                if let Some((id, s)) = cur_token.take() {
                    let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                    tokens.push((id, s, crate::nlp_data::unescape_xml(&raw)));
                }
            }
            Event::Start(e) if e.name().as_ref() == b"Markables" => in_markables = true,
            Event::End(e) if e.name().as_ref() == b"Markables" => in_markables = false,
            Event::Start(e) if in_markables => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if let Some(m) = attr(&e, b"m_id").and_then(|v| v.parse().ok()) {
                    cur_mention = Some((m, tag, Vec::new()));
                }
            }
            Event::Empty(e) if in_markables => {
                let name = e.name();
                if name.as_ref() == b"token_anchor" {
                    if let (Some(m), Some(t)) = (
                        cur_mention.as_mut(),
                        attr(&e, b"t_id").and_then(|v| v.parse().ok()),
                    ) {
                        m.2.push(t);
                    }
                } else if let Some(m) = attr(&e, b"m_id").and_then(|v| v.parse::<u32>().ok()) {
                    // A descriptor: an instance the chains point to.
                    let inst = attr(&e, b"instance_id").filter(|s| !s.is_empty());
                    instance_of.insert(m, inst.unwrap_or_else(|| format!("descriptor:{m}")));
                }
            }
            Event::End(e) if in_markables && e.name().as_ref() != b"token_anchor" => {
                if let Some(m) = cur_mention.take() {
                    mentions.push(m);
                }
            }
            Event::Start(e)
                if e.name().as_ref() == b"CROSS_DOC_COREF"
                    || e.name().as_ref() == b"INTRA_DOC_COREF" =>
            {
                let cross = e.name().as_ref() == b"CROSS_DOC_COREF";
                let id = attr(&e, b"note")
                    .or_else(|| attr(&e, b"r_id"))
                    .unwrap_or_default();
                cur_rel = Some((id, Vec::new(), 0, cross));
            }
            Event::Empty(e) if e.name().as_ref() == b"source" || e.name().as_ref() == b"target" => {
                if let (Some(r), Some(m)) = (
                    cur_rel.as_mut(),
                    attr(&e, b"m_id").and_then(|v| v.parse().ok()),
                ) {
                    if e.name().as_ref() == b"source" {
                        r.1.push(m);
                    } else {
                        r.2 = m;
                    }
                }
            }
            Event::End(e)
                if e.name().as_ref() == b"CROSS_DOC_COREF"
                    || e.name().as_ref() == b"INTRA_DOC_COREF" =>
            {
                if let Some(r) = cur_rel.take() {
                    links.push(r);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Cluster id of each mention.
    let mut cluster: HashMap<u32, String> = HashMap::new();
    for (id, sources, target, cross) in &links {
        let c = if *cross {
            format!("x:{id}")
        } else {
            // Within-document chains point at document-local descriptors.
            let inst = instance_of
                .get(target)
                .cloned()
                .unwrap_or_else(|| format!("t{target}"));
            format!("i:{doc}:{inst}")
        };
        for s in sources {
            cluster.insert(*s, c.clone());
        }
    }
    // Rebuild the text of the listed sentences.
    let mut text = String::new();
    let mut span_of: HashMap<u32, (usize, usize)> = HashMap::new();
    let mut by_sent: BTreeMap<u32, Vec<(u32, &str)>> = BTreeMap::new();
    for (id, s, t) in &tokens {
        if sentences.contains(s) {
            by_sent.entry(*s).or_default().push((*id, t.as_str()));
        }
    }
    for words in by_sent.values() {
        if !text.is_empty() {
            text.push('\n');
        }
        let ws: Vec<&str> = words.iter().map(|w| w.1).collect();
        let spans = join_tokens(&ws, &mut text);
        for ((id, _), sp) in words.iter().zip(spans) {
            span_of.insert(*id, sp);
        }
    }
    let mut out = Vec::new();
    for (m, tag, anchors) in mentions {
        if tag.starts_with("ACTION") || tag.starts_with("NEG_ACTION") || anchors.is_empty() {
            continue;
        }
        let spans: Vec<(usize, usize)> = anchors
            .iter()
            .filter_map(|a| span_of.get(a).copied())
            .collect();
        if spans.len() != anchors.len() {
            continue; // outside the listed sentences
        }
        let s = spans.iter().map(|x| x.0).min().unwrap_or(0);
        let e = spans.iter().map(|x| x.1).max().unwrap_or(0);
        let c = cluster
            .get(&m)
            .cloned()
            .unwrap_or_else(|| format!("s:{doc}:{m}"));
        out.push((s, e, c));
    }
    Ok((text, out))
}

// ----------------------------------------------------------- same name ---

#[derive(serde::Deserialize)]
struct SameNameGold {
    /// The shared name every document mentions.
    name: String,
    /// File name → person id.
    documents: BTreeMap<String, String>,
}

fn read_same_name(dir: &Path) -> Result<Vec<GoldDoc>> {
    let gold_path = dir.join("gold.json");
    let gold: SameNameGold = serde_json::from_str(
        &std::fs::read_to_string(&gold_path)
            .with_context(|| format!("reading {}", gold_path.display()))?,
    )
    .with_context(|| format!("parsing {}", gold_path.display()))?;
    let mut docs = Vec::new();
    for (file, person) in &gold.documents {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        // Every full mention of the shared name is a gold mention of that
        // document's person.
        let mentions: Vec<(usize, usize, String)> = text
            .match_indices(&gold.name)
            .map(|(i, m)| (i, i + m.len(), person.clone()))
            .collect();
        if mentions.is_empty() {
            bail!("{}: does not mention {:?}", path.display(), gold.name);
        }
        docs.push(GoldDoc {
            topic: "same-name".into(),
            text,
            mentions,
        });
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chains_and_sentence_filter() {
        let xml = r#"<Document doc_name="t.xml">
<token t_id="1" sentence="0" number="0">Lindsay</token>
<token t_id="2" sentence="0" number="1">Lohan</token>
<token t_id="3" sentence="0" number="2">left</token>
<token t_id="4" sentence="1" number="0">She</token>
<token t_id="5" sentence="1" number="1">returned</token>
<token t_id="6" sentence="2" number="0">Lohan</token>
<Markables>
<HUMAN_PART_PER m_id="1"><token_anchor t_id="1"/><token_anchor t_id="2"/></HUMAN_PART_PER>
<HUMAN_PART_PER m_id="2"><token_anchor t_id="4"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="3"><token_anchor t_id="3"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="4"><token_anchor t_id="6"/></HUMAN_PART_PER>
<HUMAN_PART_PER m_id="9" RELATED_TO="" TAG_DESCRIPTOR="lohan" instance_id="HUM1" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="HUM1"><source m_id="1" /><source m_id="2" /><target m_id="9" /></CROSS_DOC_COREF>
</Relations>
</Document>"#;
        let sents: BTreeSet<u32> = [0, 1].into_iter().collect();
        let (text, mentions) = parse_ecb(xml, &sents, "t").unwrap();
        assert_eq!(text, "Lindsay Lohan left\nShe returned");
        assert_eq!(
            mentions.len(),
            2,
            "actions and unlisted sentences are left out"
        );
        assert_eq!(&text[mentions[0].0..mentions[0].1], "Lindsay Lohan");
        assert_eq!(mentions[0].2, mentions[1].2);
    }
}
