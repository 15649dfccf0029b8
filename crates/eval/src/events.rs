//! `dossier eval events`: event triggers and arguments from `dossier-facts`
//! against RAMS 1.0 (`rams/dev.jsonlines`) and WikiEvents
//! (`wikievents/dev.jsonl`).
//!
//! Only the dataset types that map onto Dossier's event types are scored,
//! at the level of these classes (killing and death are one class, "die",
//! because RAMS and WikiEvents do not separate them consistently):
//!
//! | class | RAMS (AIDA) | WikiEvents (KAIROS) | roles (gold → ours) |
//! |---|---|---|---|
//! | die | `life.die.*` | `Life.Die.Unspecified` | victim→victim, killer→agent, instrument, place |
//! | attack | `conflict.attack.*` except `stealrobhijack` | `Conflict.Attack.*` | attacker→agent, target, instrument (explosivedevice), place |
//! | arrest | `justice.arrestjaildetain.*` | `Justice.ArrestJailDetain.*` | jailer→agent, detainee, place |
//! | charge | `justice.initiatejudicialprocess.chargeindict` | `Justice.ChargeIndict.*` | prosecutor→agent, defendant, place |
//! | sanction | `*.embargosanction` | — | preventer→agent, recipient→target, place |
//! | meeting | `contact.discussion.meet` | `Contact.Contact.Meet` | participant, place |
//! | speech | `contact.publicstatementinperson.*` | — | communicator→speaker, recipient→audience, place |
//! | travel | `movement.transportperson.{n/a,selfmotion}` | `Movement.Transportation.Unspecified` | transporter/passenger→traveler, origin, destination |
//!
//! Triggers match when our trigger token overlaps the gold trigger;
//! "identification" ignores the class, "classification" requires it.
//! Arguments are scored on events whose trigger we identified, against all
//! gold arguments with a mapped role: "head" match compares the syntactic
//! heads (the token of a span whose head lies outside it, by our parse),
//! "span" match the exact token span; "role" requires the mapped role too.
//! RAMS annotates one event per example, so its trigger precision cannot be
//! measured: only recall is reported, and argument precision counts our
//! arguments of events aligned to the gold trigger. WikiEvents annotates
//! every event, so its trigger and argument precision count every event we
//! find of a class the dataset has.

use crate::metrics::{f1, ratio};
use crate::nlp_data::{python_path, repo_path};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_analyze::Pipeline;
use dossier_facts::{reference, DocFacts, EventMention, EventType, FactSpan, ParsedDoc};
use rayon::prelude::*;
use serde_json::Value;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    #[command(flatten)]
    pub parser: ParserArgs,
    /// Only the first N examples of each dataset.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print the misses and false alarms.
    #[arg(long)]
    pub misses: bool,
}

/// Where parses come from: the native pipeline or cached Python spaCy.
pub(crate) enum Parser {
    Native(Box<Pipeline>),
    Python { python: PathBuf, script: PathBuf },
}

/// Where `claims` and `events` take their parses from.
#[derive(Debug, clap::Args)]
pub struct ParserArgs {
    /// Parse with Python spaCy (`scripts/python/spacy_ref.py`, output cached
    /// under the system temp dir) instead of the native pipeline.
    #[arg(long)]
    pub python: bool,
    /// The Python interpreter for `--python` (default: .venv/bin/python).
    #[arg(long)]
    pub python_bin: Option<PathBuf>,
    /// Model directory (default: $DOSSIER_MODEL or models/en_core_web_sm).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

impl Parser {
    pub(crate) fn new(args: &ParserArgs) -> Result<Parser> {
        if !args.python {
            return Ok(Parser::Native(Box::new(Pipeline::locate_and_load(
                args.model.as_deref(),
            )?)));
        }
        let python = python_path(args.python_bin.as_deref())
            .filter(|p| p.exists())
            .context("no Python: run scripts/python-env.sh (or give --python-bin)")?;
        let script = repo_path("scripts/python/spacy_ref.py")
            .context("cannot find scripts/python/spacy_ref.py (run from the repository)")?;
        Ok(Parser::Python { python, script })
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            Parser::Native(_) => "native pipeline",
            Parser::Python { .. } => "Python spaCy",
        }
    }

    /// Parses of `texts` (id, text), in order.
    pub(crate) fn parse_all(&self, texts: &[(String, String)]) -> Result<Vec<ParsedDoc>> {
        match self {
            Parser::Native(p) => Ok(texts.par_iter().map(|(_, t)| p.analyze(t)).collect()),
            Parser::Python { python, script } => python_parses(python, script, texts),
        }
    }
}

/// Runs spaCy once per distinct set of texts and keeps the output in the
/// temp dir (never in the repository: it is derived from licensed data).
fn python_parses(
    python: &Path,
    script: &Path,
    texts: &[(String, String)],
) -> Result<Vec<ParsedDoc>> {
    let parts: Vec<&str> = texts
        .iter()
        .flat_map(|(i, t)| [i.as_str(), t.as_str()])
        .collect();
    let key = dossier_core::stable_id("spacy-ref", &parts);
    let dir = std::env::temp_dir().join("dossier-facts-cache");
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    let cache = dir.join(format!("{key}.jsonl"));
    let lines: Vec<String> = match std::fs::read_to_string(&cache) {
        Ok(s) if s.lines().count() == texts.len() => s.lines().map(str::to_string).collect(),
        _ => {
            eprintln!(
                "running Python spaCy on {} texts (cached in {})",
                texts.len(),
                cache.display()
            );
            let mut child = Command::new(python)
                .arg(script)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .with_context(|| format!("running {}", python.display()))?;
            let mut input = String::new();
            for (id, t) in texts {
                input.push_str(&serde_json::json!({"id": id, "text": t}).to_string());
                input.push('\n');
            }
            let mut stdin = child.stdin.take().context("spaCy stdin")?;
            let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
            let out = child.wait_with_output()?;
            writer
                .join()
                .map_err(|_| anyhow::anyhow!("writer thread"))??;
            if !out.status.success() {
                bail!("spacy_ref.py failed: {}", out.status);
            }
            let s = String::from_utf8(out.stdout)?;
            std::fs::write(&cache, &s)?;
            s.lines().map(str::to_string).collect()
        }
    };
    if lines.len() != texts.len() {
        bail!(
            "spaCy returned {} parses for {} texts",
            lines.len(),
            texts.len()
        );
    }
    lines
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(n, (l, (_, t)))| {
            reference::parse_line(l, n + 1, t)
                .map(|r| r.parse)
                .map_err(|e| anyhow::anyhow!("{}: {e}", cache.display()))
        })
        .collect()
}

/// Precision/recall counts.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Prf {
    pub tp_pred: usize,
    pub tp_gold: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Prf {
    pub fn p(&self) -> f64 {
        ratio(self.tp_pred, self.pred)
    }
    pub fn r(&self) -> f64 {
        ratio(self.tp_gold, self.gold)
    }
    pub fn f(&self) -> f64 {
        f1(self.p(), self.r())
    }
    pub fn add(&mut self, o: Prf) {
        self.tp_pred += o.tp_pred;
        self.tp_gold += o.tp_gold;
        self.pred += o.pred;
        self.gold += o.gold;
    }
}

/// Our event types as evaluation classes.
fn our_class(k: EventType) -> &'static str {
    match k {
        EventType::Killing | EventType::Death => "die",
        k => k.as_str(),
    }
}

fn rams_class(t: &str) -> Option<&'static str> {
    Some(if t.starts_with("life.die.") {
        "die"
    } else if t.starts_with("conflict.attack.") && t != "conflict.attack.stealrobhijack" {
        "attack"
    } else if t.starts_with("justice.arrestjaildetain.") {
        "arrest"
    } else if t == "justice.initiatejudicialprocess.chargeindict" {
        "charge"
    } else if t.ends_with(".embargosanction") {
        "sanction"
    } else if t == "contact.discussion.meet" {
        "meeting"
    } else if t.starts_with("contact.publicstatementinperson.") {
        "speech"
    } else if t == "movement.transportperson.n/a" || t == "movement.transportperson.selfmotion" {
        "travel"
    } else {
        return None;
    })
}

const RAMS_CLASSES: &[&str] = &[
    "die", "attack", "arrest", "charge", "sanction", "meeting", "speech", "travel",
];

fn wiki_class(t: &str) -> Option<&'static str> {
    Some(if t.starts_with("Life.Die.") {
        "die"
    } else if t.starts_with("Conflict.Attack.") {
        "attack"
    } else if t.starts_with("Justice.ArrestJailDetain.") {
        "arrest"
    } else if t.starts_with("Justice.ChargeIndict.") {
        "charge"
    } else if t == "Contact.Contact.Meet" {
        "meeting"
    } else if t == "Movement.Transportation.Unspecified" {
        "travel"
    } else {
        return None;
    })
}

const WIKI_CLASSES: &[&str] = &["die", "attack", "arrest", "charge", "meeting", "travel"];

/// Gold role (lower case, dataset name) → our role, for a class.
fn map_role(class: &str, role: &str) -> Option<&'static str> {
    let r = role.to_lowercase();
    Some(match (class, r.as_str()) {
        (_, "place") => "place",
        ("die", "victim") => "victim",
        ("die", "killer") => "agent",
        ("die" | "attack", "instrument" | "explosivedevice") => "instrument",
        ("attack", "attacker") => "agent",
        ("attack", "target") => "target",
        ("arrest", "jailer") => "agent",
        ("arrest", "detainee") => "detainee",
        ("charge", "prosecutor") => "agent",
        ("charge", "defendant") => "defendant",
        ("sanction", "preventer") => "agent",
        ("sanction", "recipient") => "target",
        ("meeting", "participant") => "participant",
        ("speech", "communicator") => "speaker",
        ("speech", "recipient") => "audience",
        ("travel", "transporter" | "passenger" | "passengerartifact") => "traveler",
        ("travel", "origin") => "origin",
        ("travel", "destination") => "destination",
        _ => return None,
    })
}

/// A document rebuilt from gold tokens: its text, and each gold token's
/// byte range in it.
struct Rebuilt {
    id: String,
    text: String,
    toks: Vec<Range<usize>>,
}

/// A gold argument: our role, its token span, and the spans of mentions
/// coreferent with it (which count as the same entity).
type GoldArg = (&'static str, Range<usize>, Vec<Range<usize>>);

/// A gold event in token indices.
struct GoldEvent {
    class: &'static str,
    trigger: Range<usize>,
    args: Vec<GoldArg>,
}

struct Example {
    doc: Rebuilt,
    events: Vec<GoldEvent>,
    /// Events of unmapped types (for RAMS alignment they still occupy their
    /// trigger).
    all_complete: bool,
}

fn rebuild_from_words(id: String, sents: &[Vec<String>]) -> Rebuilt {
    let mut text = String::new();
    let mut toks = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        if si > 0 {
            text.push('\n');
        }
        for (wi, w) in s.iter().enumerate() {
            if wi > 0 {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(w);
            toks.push(start..text.len());
        }
    }
    Rebuilt { id, text, toks }
}

/// The records of a JSON-lines file, blank lines skipped; an unreadable
/// line is an error naming the file and line.
fn json_lines<'a>(path: &'a Path, s: &'a str) -> impl Iterator<Item = Result<Value>> + 'a {
    s.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(move |(n, line)| {
            serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), n + 1))
        })
}

fn load_rams(path: &Path, limit: Option<usize>) -> Result<Vec<Example>> {
    let s = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut out = Vec::new();
    for v in json_lines(path, &s) {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let v = v?;
        let sents: Vec<Vec<String>> = v["sentences"]
            .as_array()
            .context("sentences")?
            .iter()
            .map(|s| {
                s.as_array()
                    .map(|w| {
                        w.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let id = v["doc_key"].as_str().unwrap_or("").to_string();
        let doc = rebuild_from_words(id, &sents);
        let mut events = Vec::new();
        for t in v["evt_triggers"].as_array().into_iter().flatten() {
            let (Some(a), Some(b)) = (t[0].as_u64(), t[1].as_u64()) else {
                continue;
            };
            let ty = t[2][0][0].as_str().unwrap_or("");
            let Some(class) = rams_class(ty) else {
                continue;
            };
            let trigger = a as usize..b as usize + 1;
            let mut args = Vec::new();
            for l in v["gold_evt_links"].as_array().into_iter().flatten() {
                if l[0][0].as_u64() != Some(a) || l[0][1].as_u64() != Some(b) {
                    continue;
                }
                let (Some(s), Some(e)) = (l[1][0].as_u64(), l[1][1].as_u64()) else {
                    continue;
                };
                let role_full = l[2].as_str().unwrap_or("");
                // "evt089arg01victim" → "victim"
                let role = role_full
                    .find("arg")
                    .map(|i| role_full[i + 5..].to_string())
                    .unwrap_or_default();
                if let Some(r) = map_role(class, &role) {
                    args.push((r, s as usize..e as usize + 1, Vec::new()));
                }
            }
            events.push(GoldEvent {
                class,
                trigger,
                args,
            });
        }
        out.push(Example {
            doc,
            events,
            all_complete: false,
        });
    }
    Ok(out)
}

fn load_wikievents(path: &Path, coref: &Path, limit: Option<usize>) -> Result<Vec<Example>> {
    let s = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut clusters: HashMap<String, Vec<String>> = HashMap::new();
    if let Ok(c) = std::fs::read_to_string(coref) {
        for line in c.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value =
                serde_json::from_str(line).with_context(|| format!("{}", coref.display()))?;
            for cl in v["clusters"].as_array().into_iter().flatten() {
                let ids: Vec<String> = cl
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect();
                for id in &ids {
                    clusters.insert(id.clone(), ids.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    for v in json_lines(path, &s) {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let v = v?;
        // Rebuild the text from each sentence's own string, placing tokens
        // by search so spacing and quotes stay as published.
        let mut text = String::new();
        let mut toks = Vec::new();
        for (si, s) in v["sentences"]
            .as_array()
            .context("sentences")?
            .iter()
            .enumerate()
        {
            if si > 0 {
                text.push('\n');
            }
            let base = text.len();
            let stext = s[1].as_str().unwrap_or("");
            text.push_str(stext);
            let mut pos = 0;
            for t in s[0].as_array().into_iter().flatten() {
                let w = t[0].as_str().unwrap_or("");
                match stext[pos..].find(w) {
                    Some(i) => {
                        toks.push(base + pos + i..base + pos + i + w.len());
                        pos += i + w.len();
                    }
                    None => toks.push(base + pos..base + pos),
                }
            }
        }
        let id = v["doc_id"].as_str().unwrap_or("").to_string();
        let ents: HashMap<String, Range<usize>> = v["entity_mentions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| {
                Some((
                    m["id"].as_str()?.to_string(),
                    m["start"].as_u64()? as usize..m["end"].as_u64()? as usize,
                ))
            })
            .collect();
        let mut events = Vec::new();
        for e in v["event_mentions"].as_array().into_iter().flatten() {
            let Some(class) = wiki_class(e["event_type"].as_str().unwrap_or("")) else {
                continue;
            };
            let (Some(a), Some(b)) = (e["trigger"]["start"].as_u64(), e["trigger"]["end"].as_u64())
            else {
                continue;
            };
            let mut args = Vec::new();
            for arg in e["arguments"].as_array().into_iter().flatten() {
                let eid = arg["entity_id"].as_str().unwrap_or("");
                let Some(r) = map_role(class, arg["role"].as_str().unwrap_or("")) else {
                    continue;
                };
                let Some(span) = ents.get(eid) else { continue };
                let alts: Vec<Range<usize>> = clusters
                    .get(eid)
                    .into_iter()
                    .flatten()
                    .filter_map(|o| ents.get(o).cloned())
                    .collect();
                args.push((r, span.clone(), alts));
            }
            events.push(GoldEvent {
                class,
                trigger: a as usize..b as usize,
                args,
            });
        }
        out.push(Example {
            doc: Rebuilt { id, text, toks },
            events,
            all_complete: true,
        });
    }
    Ok(out)
}

/// Gold token indices a byte span covers.
fn tokens_of(doc: &Rebuilt, s: &FactSpan) -> Range<usize> {
    let first = doc
        .toks
        .iter()
        .position(|t| t.end > s.start && t.start < s.end);
    let last = doc
        .toks
        .iter()
        .rposition(|t| t.end > s.start && t.start < s.end);
    match (first, last) {
        (Some(a), Some(b)) => a..b + 1,
        _ => 0..0,
    }
}

/// The head of a gold-token span, by our parse: the last token whose parse
/// head lies outside the span (or the span's last token).
fn head_of(doc: &Rebuilt, parse: &ParsedDoc, span: &Range<usize>) -> Option<usize> {
    if span.is_empty() {
        return None;
    }
    let bytes = doc.toks.get(span.start)?.start..doc.toks.get(span.end - 1)?.end;
    let inside: Vec<usize> = (0..parse.tokens.len())
        .filter(|&i| parse.tokens[i].start >= bytes.start && parse.tokens[i].end <= bytes.end)
        .collect();
    let head_tok = inside
        .iter()
        .copied()
        .find(|&i| {
            let h = parse.tokens[i].head;
            h == i || !inside.contains(&h)
        })
        .or(inside.last().copied())?;
    let t = &parse.tokens[head_tok];
    doc.toks
        .iter()
        .position(|g| g.start < t.end && t.start < g.end)
}

/// Our arguments of an event as (role, span).
fn our_args(e: &EventMention) -> Vec<(&str, FactSpan)> {
    let mut v: Vec<(&str, FactSpan)> = e
        .args
        .iter()
        .map(|a| (a.role.as_str(), a.arg.span.clone()))
        .collect();
    for p in &e.places {
        v.push(("place", p.span.clone()));
    }
    v
}

#[derive(Default)]
struct Scores {
    trig_id: Prf,
    trig_cls: Prf,
    arg_id_head: Prf,
    arg_head: Prf,
    arg_span: Prf,
    arg_coref: Prf,
    per_class: BTreeMap<&'static str, Prf>,
}

fn score(
    ex: &Example,
    parse: &ParsedDoc,
    facts: &DocFacts,
    classes: &[&str],
    verbose: bool,
    s: &mut Scores,
) {
    let doc = &ex.doc;
    let ours: Vec<(&EventMention, &'static str, Range<usize>)> = facts
        .events
        .iter()
        .filter(|e| !e.negated())
        .map(|e| (e, our_class(e.kind), tokens_of(doc, &e.trigger)))
        .filter(|(_, c, _)| classes.contains(c))
        .collect();
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    // Triggers.
    let mut used = vec![false; ours.len()];
    let mut matched: Vec<Option<usize>> = Vec::new();
    for g in &ex.events {
        let id = ours.iter().position(|(_, _, t)| overlaps(t, &g.trigger));
        let cls = ours
            .iter()
            .enumerate()
            .position(|(k, (_, c, t))| !used[k] && *c == g.class && overlaps(t, &g.trigger));
        s.trig_id.gold += 1;
        s.trig_cls.gold += 1;
        let pc = s.per_class.entry(g.class).or_default();
        pc.gold += 1;
        if id.is_some() {
            s.trig_id.tp_gold += 1;
        }
        if let Some(k) = cls {
            used[k] = true;
            s.trig_cls.tp_gold += 1;
            pc.tp_gold += 1;
        } else if verbose {
            let words: Vec<&str> = g
                .trigger
                .clone()
                .filter_map(|t| doc.toks.get(t))
                .map(|r| &doc.text[r.clone()])
                .collect();
            eprintln!("  miss {} {:?} in {}", g.class, words.join(" "), doc.id);
        }
        matched.push(cls);
    }
    if ex.all_complete {
        for (k, (e, c, t)) in ours.iter().enumerate() {
            s.trig_id.pred += 1;
            s.trig_cls.pred += 1;
            let pc = s.per_class.entry(c).or_default();
            pc.pred += 1;
            if ex.events.iter().any(|g| overlaps(t, &g.trigger)) {
                s.trig_id.tp_pred += 1;
            }
            if used[k] {
                s.trig_cls.tp_pred += 1;
                pc.tp_pred += 1;
            } else if verbose {
                eprintln!("  false {} '{}' in {}", c, e.trigger.text, doc.id);
            }
        }
    }
    // Arguments. For RAMS only events aligned with the gold trigger count.
    let aligned: Vec<usize> = if ex.all_complete {
        (0..ours.len()).collect()
    } else {
        matched.iter().flatten().copied().collect()
    };
    for &k in &aligned {
        let pred = our_args(ours[k].0);
        let gold_ev = ex
            .events
            .iter()
            .zip(&matched)
            .find(|(_, m)| **m == Some(k))
            .map(|(g, _)| g);
        for (prole, pspan) in &pred {
            let pt = tokens_of(doc, pspan);
            let ph = head_of(doc, parse, &pt);
            let n = 1;
            s.arg_head.pred += n;
            s.arg_id_head.pred += n;
            s.arg_span.pred += n;
            s.arg_coref.pred += n;
            let Some(g) = gold_ev else { continue };
            let mut hit = (false, false, false, false);
            for (grole, gspan, alts) in &g.args {
                let gh = head_of(doc, parse, gspan);
                let same_head = ph.is_some() && ph == gh;
                if same_head {
                    hit.0 = true;
                }
                if same_head && prole == grole {
                    hit.1 = true;
                }
                if pt == *gspan && prole == grole {
                    hit.2 = true;
                }
                let coref = alts
                    .iter()
                    .any(|a| ph.is_some() && head_of(doc, parse, a) == ph);
                if (same_head || coref) && prole == grole {
                    hit.3 = true;
                }
            }
            s.arg_id_head.tp_pred += usize::from(hit.0);
            s.arg_head.tp_pred += usize::from(hit.1);
            s.arg_span.tp_pred += usize::from(hit.2);
            s.arg_coref.tp_pred += usize::from(hit.3);
        }
    }
    for (g, m) in ex.events.iter().zip(&matched) {
        for (grole, gspan, alts) in &g.args {
            s.arg_head.gold += 1;
            s.arg_id_head.gold += 1;
            s.arg_span.gold += 1;
            s.arg_coref.gold += 1;
            let Some(k) = m else {
                if verbose {
                    eprintln!("  arg miss (no trigger) {grole} in {}", doc.id);
                }
                continue;
            };
            let gh = head_of(doc, parse, gspan);
            let pred = our_args(ours[*k].0);
            let mut hit = (false, false, false, false);
            for (prole, pspan) in &pred {
                let pt = tokens_of(doc, pspan);
                let ph = head_of(doc, parse, &pt);
                let same_head = ph.is_some() && ph == gh;
                hit.0 |= same_head;
                hit.1 |= same_head && prole == grole;
                hit.2 |= pt == *gspan && prole == grole;
                let coref = alts
                    .iter()
                    .any(|a| ph.is_some() && head_of(doc, parse, a) == ph);
                hit.3 |= (same_head || coref) && prole == grole;
            }
            s.arg_id_head.tp_gold += usize::from(hit.0);
            s.arg_head.tp_gold += usize::from(hit.1);
            s.arg_span.tp_gold += usize::from(hit.2);
            s.arg_coref.tp_gold += usize::from(hit.3);
            if verbose && !hit.1 {
                let words: String = gspan
                    .clone()
                    .filter_map(|t| doc.toks.get(t))
                    .map(|r| &doc.text[r.clone()])
                    .collect::<Vec<_>>()
                    .join(" ");
                eprintln!(
                    "  arg miss {grole}={words:?} ({}) in {}",
                    ours[*k].0.trigger.text, doc.id
                );
            }
        }
    }
}

fn line(name: &str, p: &Prf, with_p: bool) {
    if with_p {
        println!(
            "  {name:<34} P {:5.1}  R {:5.1}  F1 {:5.1}   ({} pred, {} gold)",
            100.0 * p.p(),
            100.0 * p.r(),
            100.0 * p.f(),
            p.pred,
            p.gold
        );
    } else {
        println!(
            "  {name:<34} R {:5.1}   ({} of {} gold)",
            100.0 * p.r(),
            p.tp_gold,
            p.gold
        );
    }
}

fn evaluate(
    name: &str,
    examples: &[Example],
    parser: &Parser,
    classes: &[&str],
    verbose: bool,
) -> Result<()> {
    let t0 = Instant::now();
    let texts: Vec<(String, String)> = examples
        .iter()
        .map(|e| (e.doc.id.clone(), e.doc.text.clone()))
        .collect();
    let parses = parser.parse_all(&texts)?;
    let mut s = Scores::default();
    for (ex, p) in examples.iter().zip(&parses) {
        // The product's own per-document analysis of the given parse.
        let f = crate::analyse(&ex.doc.id, &ex.doc.text, p).facts;
        score(ex, p, &f, classes, verbose, &mut s);
    }
    let complete = examples.first().is_some_and(|e| e.all_complete);
    println!(
        "{name}: {} examples, {} gold events of mapped types ({}, {:.1}s)",
        examples.len(),
        s.trig_cls.gold,
        parser.name(),
        t0.elapsed().as_secs_f64()
    );
    line("trigger identification", &s.trig_id, complete);
    line("trigger classification", &s.trig_cls, complete);
    line("argument identification (head)", &s.arg_id_head, true);
    line("argument classification (head)", &s.arg_head, true);
    line("argument classification (span)", &s.arg_span, true);
    if complete {
        line("argument classification (coref head)", &s.arg_coref, true);
    }
    println!("  per class (trigger classification):");
    for (c, p) in &s.per_class {
        line(&format!("  {c}"), p, complete);
    }
    Ok(())
}

pub fn run(args: &Args) -> Result<()> {
    let parser = Parser::new(&args.parser)?;
    let rams = args.data.join("rams/dev.jsonlines");
    let wiki = args.data.join("wikievents/dev.jsonl");
    if !rams.exists() && !wiki.exists() {
        bail!(
            "{}: no rams/dev.jsonlines or wikievents/dev.jsonl",
            args.data.display()
        );
    }
    if rams.exists() {
        let ex = load_rams(&rams, args.limit)?;
        evaluate("RAMS dev", &ex, &parser, RAMS_CLASSES, args.misses)?;
    }
    if wiki.exists() {
        let ex = load_wikievents(
            &wiki,
            &args.data.join("wikievents/coref/dev.jsonlines"),
            args.limit,
        )?;
        evaluate("WikiEvents dev", &ex, &parser, WIKI_CLASSES, args.misses)?;
    }
    // Neither marks realis or modality; MEANTIME does, for every event word.
    let meantime = args.data.join("meantime_en");
    if meantime.is_dir() {
        crate::modality::evaluate(&meantime, &parser, args.limit, args.misses)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_and_role_mapping() {
        assert_eq!(
            rams_class("life.die.deathcausedbyviolentevents"),
            Some("die")
        );
        assert_eq!(rams_class("conflict.attack.stealrobhijack"), None);
        assert_eq!(
            rams_class("transaction.transfermoney.embargosanction"),
            Some("sanction")
        );
        assert_eq!(
            wiki_class("Conflict.Attack.DetonateExplode"),
            Some("attack")
        );
        assert_eq!(wiki_class("Contact.Contact.Broadcast"), None);
        assert_eq!(map_role("die", "Killer"), Some("agent"));
        assert_eq!(map_role("attack", "ExplosiveDevice"), Some("instrument"));
        assert_eq!(map_role("die", "bodypart"), None);
        assert_eq!(our_class(EventType::Killing), our_class(EventType::Death));
    }

    #[test]
    fn rebuilt_tokens_slice_the_text() {
        let d = rebuild_from_words(
            "x".into(),
            &[vec!["A".into(), "b".into()], vec!["C".into()]],
        );
        assert_eq!(d.text, "A b\nC");
        assert_eq!(&d.text[d.toks[2].clone()], "C");
    }

    #[test]
    fn prf_arithmetic() {
        let p = Prf {
            tp_pred: 1,
            tp_gold: 1,
            pred: 2,
            gold: 4,
        };
        assert!((p.p() - 0.5).abs() < 1e-9);
        assert!((p.r() - 0.25).abs() < 1e-9);
        assert!((p.f() - 1.0 / 3.0).abs() < 1e-9);
    }
}
