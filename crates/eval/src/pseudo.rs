//! `dossier eval coref --pseudo-names`: pseudo-name conflation (Mann &
//! Yarowsky 2003). Real Reuters articles about different people have those
//! people's names replaced by one shared made-up name ("Martin Keller" for
//! three different men); the articles are built into a knowledge base by
//! the product's pipeline, and B³ scores how well resolution pulls the
//! people apart again, against a one-cluster-per-name and a
//! one-per-document baseline. The choice of people is fixed by `--seed`.

use crate::coref_metrics::{b_cubed, Cluster, Prf};
use anyhow::{Context, Result};
use dossier_analyze::pipeline::Pipeline;
use dossier_pipeline::{build, Analyzer, BuildOptions};
use dossier_query::{Page, Query};
use dossier_store::{Store, WhenBusy};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

/// The shared names: common English names, so that name evidence is weak.
const PSEUDO: &[(&str, &str)] = &[
    ("Martin Keller", "Keller"),
    ("Paul Hansen", "Hansen"),
    ("David Brooks", "Brooks"),
    ("Peter Lang", "Lang"),
    ("Robert Hall", "Hall"),
    ("James Porter", "Porter"),
    ("Thomas Reed", "Reed"),
    ("Richard Cole", "Cole"),
];

/// Articles read from the Reuters corpus to find people in.
const ARTICLES: usize = 8000;

/// A small deterministic generator for the choice of people.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

struct Article {
    id: String,
    title: Option<String>,
    published: Option<String>,
    text: String,
}

fn read_articles(data: &Path) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for line in crate::bench_kb::reuters_lines(data)?
        .into_iter()
        .take(ARTICLES)
    {
        let v: serde_json::Value = serde_json::from_str(&line).context("a Reuters line")?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        if let (Some(id), Some(text)) = (s("id"), s("text")) {
            out.push(Article {
                id,
                title: s("title"),
                published: s("published"),
                text,
            });
        }
    }
    Ok(out)
}

/// Full person names (two or three capitalised words) the NER finds.
fn people(nlp: &Pipeline, text: &str) -> BTreeSet<String> {
    let doc = nlp.analyze(text);
    doc.ents
        .iter()
        .filter(|e| e.label == "PERSON")
        .filter_map(|e| {
            let words: Vec<&str> = text[e.start..e.end].split_whitespace().collect();
            let ok = (2..=3).contains(&words.len())
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-')
                        && w.chars().any(char::is_lowercase)
                });
            ok.then(|| words.join(" "))
        })
        .collect()
}

fn surname(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

/// Replaces whole-word occurrences of `from` with `to`.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..i]);
        if boundary(before) && boundary(after) {
            out.push_str(to);
        } else {
            out.push_str(from);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

pub struct Options<'a> {
    pub data: &'a Path,
    pub model: Option<&'a Path>,
    /// The match model global resolution scores with.
    pub params: dossier_resolve::Model,
    pub seed: u64,
    /// People conflated under each pseudo-name.
    pub group: usize,
    pub work: &'a Path,
}

pub fn run(o: &Options<'_>) -> Result<()> {
    let nlp = Pipeline::locate_and_load(o.model)?;
    let articles = read_articles(o.data)?;
    let found: Vec<BTreeSet<String>> = articles.par_iter().map(|a| people(&nlp, &a.text)).collect();
    let mut docs_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, names) in found.iter().enumerate() {
        for n in names {
            docs_of.entry(n.as_str()).or_default().push(i);
        }
    }
    // People in 4 to 30 articles, each with a surname no other candidate has.
    let mut by_surname: HashMap<&str, usize> = HashMap::new();
    for n in docs_of.keys() {
        *by_surname.entry(surname(n)).or_default() += 1;
    }
    let mut candidates: Vec<&str> = docs_of
        .iter()
        .filter(|(n, d)| (4..=30).contains(&d.len()) && by_surname[surname(n)] == 1)
        .map(|(n, _)| *n)
        .collect();
    let mut rng = Lcg(o.seed);
    for i in (1..candidates.len()).rev() {
        let j = (rng.next() as usize) % (i + 1);
        candidates.swap(i, j);
    }
    let wanted = PSEUDO.len() * o.group;
    candidates.truncate(wanted);
    anyhow::ensure!(
        candidates.len() == wanted,
        "only {} suitable people in the first {ARTICLES} Reuters articles",
        candidates.len()
    );
    // An article about exactly one of the chosen people.
    let chosen_surnames: Vec<&str> = candidates.iter().map(|n| surname(n)).collect();
    let mut items: Vec<(usize, usize)> = Vec::new(); // (article, person)
    for (p, name) in candidates.iter().enumerate() {
        for &a in &docs_of[name] {
            let text = &articles[a].text;
            let others = chosen_surnames
                .iter()
                .enumerate()
                .any(|(q, s)| q != p && replace_word(text, s, "\u{0}") != *text);
            if !others {
                items.push((a, p));
            }
        }
    }
    std::fs::create_dir_all(o.work)?;
    let input = o.work.join("pseudo.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&input)?);
    let mut truth: BTreeMap<String, (usize, usize)> = BTreeMap::new(); // source id -> (group, person)
    for &(a, p) in &items {
        let (full, short) = PSEUDO[p / o.group];
        let name = candidates[p];
        let swap = |t: &str| replace_word(&replace_word(t, name, full), surname(name), short);
        let art = &articles[a];
        let id = format!("{}-pseudo", art.id);
        let line = serde_json::json!({
            "id": id,
            "title": art.title.as_deref().map(swap),
            "published": art.published,
            "text": swap(&art.text),
        });
        writeln!(w, "{line}")?;
        truth.insert(id, (p / o.group, p));
    }
    w.flush()?;
    drop(w);

    let db = o.work.join("pseudo.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let analyzer = Analyzer::load(o.model)?;
    let mut store = Store::open(&db, WhenBusy::Fail)?;
    build(
        &mut store,
        std::slice::from_ref(&input),
        &analyzer,
        &BuildOptions {
            model: o.params.clone(),
            ..BuildOptions::default()
        },
    )?;
    drop(store);

    let mut store = Store::open_read(&db)?;
    let snap = store.snapshot()?;
    let q = Query::new(&snap);
    // Each article's answer: the entity holding most of its pseudo-name
    // mentions (or none when the NER missed them all).
    let mut key: BTreeMap<usize, Cluster> = BTreeMap::new();
    let mut response: BTreeMap<String, Cluster> = BTreeMap::new();
    let mut one_cluster: BTreeMap<usize, Cluster> = BTreeMap::new();
    let mut singles: Vec<Cluster> = Vec::new();
    let mut item = 0u64;
    let mut offset = 0;
    loop {
        let page = q.documents(Page::new(offset, 100))?;
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len();
        for d in page.items {
            let Some(view) = q.document(&d.id)? else {
                continue;
            };
            let source_id = view
                .sources
                .iter()
                .chain(std::iter::once(&view.source))
                .find_map(|s| truth.keys().find(|k| s.contains(k.as_str())).cloned());
            let Some(sid) = source_id else { continue };
            let (group, person) = truth[&sid];
            let short = PSEUDO[group].1;
            let mut votes: BTreeMap<String, usize> = BTreeMap::new();
            for s in &view.spans {
                if s.layer == "mention" && s.text.contains(short) {
                    if let Some(t) = &s.target {
                        *votes.entry(t.clone()).or_default() += 1;
                    }
                }
            }
            key.entry(person).or_default().push(item);
            one_cluster.entry(group).or_default().push(item);
            singles.push(vec![item]);
            match votes
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            {
                Some((entity, _)) => response.entry(entity).or_default().push(item),
                None => response
                    .entry(format!("none-{item}"))
                    .or_default()
                    .push(item),
            }
            item += 1;
        }
    }
    let key: Vec<Cluster> = key.into_values().collect();
    println!(
        "Pseudo-name conflation (seed {}): {} Reuters articles about {} people, {} per shared name, under {} names",
        o.seed,
        item,
        wanted,
        o.group,
        PSEUDO.len()
    );
    let row =
        |name: &str, p: Prf| println!("  {name:<28} B3 P {:.3}  R {:.3}  F1 {:.3}", p.p, p.r, p.f);
    row(
        "one cluster per name",
        b_cubed(&key, &one_cluster.into_values().collect::<Vec<_>>()),
    );
    row("one per document", b_cubed(&key, &singles));
    row(
        "dossier build",
        b_cubed(&key, &response.into_values().collect::<Vec<_>>()),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_words_only() {
        assert_eq!(
            replace_word("Baker said Bakery owner Baker's", "Baker", "Keller"),
            "Keller said Bakery owner Keller's"
        );
    }
}
