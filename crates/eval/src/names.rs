//! `dossier eval names`: "same name?" decisions on held-out transliteration
//! pairs.
//!
//! The variant table is rebuilt from training pairs only (Google
//! `ar2en-train` + Wikidata 80%) after removing every training pair whose
//! Arabic spelling occurs in the test split (Google `ar2en-test` + Wikidata
//! 20%): neither the test pairs nor any spelling of their Arabic names were
//! seen when the table and the letter aligner were built.
//! The `dev` split instead holds out Google `ar2en-eval` and one eighth of
//! the Wikidata 80% (by a hash of the Arabic spelling), and trains on the rest:
//! thresholds are chosen there, never on `test`.
//!
//! Positives: two different Latin spellings of one Arabic spelling.
//! Negatives: Latin spellings of different Arabic spellings that are close
//! (plain Levenshtein distance <= 2, same first letter): hard negatives.
//! Cross-script: an Arabic spelling against its Latin spellings (positives)
//! and against the Latin spellings of its hard negatives.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::metrics::Counts;
use anyhow::{Context, Result};
use dossier_names::align::Pair;
use dossier_names::compare::{compare_with, match_arabic_latin, MatchParams, PartStats, Verdict};
use dossier_names::fold::fold_letters;
use dossier_names::phonetic::{levenshtein, skeleton_folded};
use dossier_names::table::{build_from, read_google, read_wikidata, Sources};
use dossier_names::{PersonName, Table};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// `test` (the reported figure) or `dev` (for choosing thresholds).
    #[arg(long, default_value = "test")]
    pub split: String,
    /// Also print a grid of matcher thresholds (use with `--split dev`).
    #[arg(long)]
    pub grid: bool,
    /// Print this many false positives and false negatives of the matcher.
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
}

/// Stable 64-bit FNV-1a hash (split assignment must not depend on the
/// standard library's seeded hasher).
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn split_pairs(data: &Path, split: &str) -> Result<(Vec<Pair>, Vec<Pair>)> {
    let base = data.join("transliteration_ar_en");
    match split {
        "test" => {
            let test = Sources::test(data).read()?;
            Ok((without_held_out(Sources::train(data).read()?, &test), test))
        }
        "dev" => {
            let mut train = read_google(&base.join("google_ar2en/ar2en-train.txt"))?;
            let mut dev = read_google(&base.join("google_ar2en/ar2en-eval.txt"))?;
            for p in read_wikidata(&base.join("netranslit_coling2018/data_wd_arabic_80"))? {
                if fnv(&p.arabic) & 7 == 0 {
                    dev.push(p);
                } else {
                    train.push(p);
                }
            }
            Ok((without_held_out(train, &dev), dev))
        }
        other => anyhow::bail!("unknown split `{other}` (use `test` or `dev`)"),
    }
}

/// Training pairs minus every pair whose Arabic spelling is held out, so
/// that no held-out name (nor any of its spellings) shapes the table.
fn without_held_out(train: Vec<Pair>, held: &[Pair]) -> Vec<Pair> {
    let held: HashSet<&str> = held.iter().map(|p| p.arabic.as_str()).collect();
    train
        .into_iter()
        .filter(|p| !held.contains(p.arabic.as_str()))
        .collect()
}

struct Benchmark {
    /// (latin a, latin b, same?)
    latin_pairs: Vec<(String, String, bool)>,
    /// (arabic, latin, same?)
    cross_pairs: Vec<(String, String, bool)>,
    groups: usize,
}

fn benchmark(train: &[Pair], held: &[Pair]) -> Benchmark {
    let seen: HashSet<&str> = train.iter().map(|p| p.arabic.as_str()).collect();
    let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for p in held {
        if !seen.contains(p.arabic.as_str()) {
            groups.entry(&p.arabic).or_default().insert(&p.latin);
        }
    }
    // Which Arabic spellings each Latin spelling renders.
    let mut arabic_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (ar, lats) in &groups {
        for l in lats {
            arabic_of.entry(l).or_default().insert(ar);
        }
    }
    let mut latin_pairs = Vec::new();
    let mut cross_pairs = Vec::new();
    for (ar, lats) in &groups {
        let v: Vec<&&str> = lats.iter().take(12).collect();
        for i in 0..v.len() {
            cross_pairs.push((ar.to_string(), v[i].to_string(), true));
            for j in i + 1..v.len() {
                latin_pairs.push((v[i].to_string(), v[j].to_string(), true));
            }
        }
    }
    // Hard negatives among the held-out spellings.
    let spellings: Vec<&str> = arabic_of.keys().copied().collect();
    for (i, a) in spellings.iter().enumerate() {
        for b in &spellings[i + 1..] {
            if a.as_bytes().first() != b.as_bytes().first() {
                break; // sorted: no later spelling shares the first letter
            }
            if a.len().abs_diff(b.len()) > 2 || a.len() < 3 || b.len() < 3 {
                continue;
            }
            let (sa, sb) = (&arabic_of[a], &arabic_of[b]);
            if sa.intersection(sb).next().is_some() {
                continue;
            }
            if levenshtein(a, b) <= 2 {
                latin_pairs.push((a.to_string(), b.to_string(), false));
                if let Some(ar) = sa.iter().next() {
                    cross_pairs.push((ar.to_string(), b.to_string(), false));
                }
            }
        }
    }
    Benchmark {
        latin_pairs,
        cross_pairs,
        groups: groups.len(),
    }
}

fn row(name: &str, c: &Counts) {
    let (p, r, f) = c.prf();
    println!(
        "  {name:<44} P {p:.3}  R {r:.3}  F1 {f:.3}   (tp {} fp {} fn {})",
        c.tp, c.fp, c.fn_
    );
}

fn score_system(pairs: &[(String, String, bool)], same: impl Fn(&str, &str) -> bool) -> Counts {
    let mut c = Counts::default();
    for (a, b, gold) in pairs {
        c.add(same(a, b), *gold);
    }
    c
}

fn model_same<'a>(table: &'a Table, params: &MatchParams) -> impl Fn(&str, &str) -> bool + 'a {
    let stats = PartStats::new();
    let params = *params;
    move |a: &str, b: &str| {
        let (x, y) = (
            PersonName::parse_with(a, table),
            PersonName::parse_with(b, table),
        );
        compare_with(&x, &y, &stats, table, &params).verdict == Verdict::Same
    }
}

pub fn run(args: &Args) -> Result<()> {
    let (train, held) = split_pairs(&args.data, &args.split)
        .with_context(|| format!("reading transliteration data under {}", args.data.display()))?;
    let table = build_from(&train);
    let bench = benchmark(&train, &held);
    let positives = bench.latin_pairs.iter().filter(|p| p.2).count();
    let negatives = bench.latin_pairs.len() - positives;
    println!(
        "names eval ({} split): table from {} training pairs ({} variant groups); {} held-out Arabic spellings unseen in training",
        args.split,
        train.len(),
        table.groups().len(),
        bench.groups
    );
    println!("Latin vs Latin: {positives} positive pairs (spellings of one Arabic name), {negatives} hard negatives (Levenshtein <= 2, different names)");
    row(
        "baseline: lowercase exact match",
        &score_system(&bench.latin_pairs, |a, b| {
            a.to_lowercase() == b.to_lowercase()
        }),
    );
    row(
        "baseline: Levenshtein <= 1",
        &score_system(&bench.latin_pairs, |a, b| levenshtein(a, b) <= 1),
    );
    row(
        "baseline: Levenshtein <= 2",
        &score_system(&bench.latin_pairs, |a, b| levenshtein(a, b) <= 2),
    );
    row(
        "skeleton key equal",
        &score_system(&bench.latin_pairs, |a, b| {
            skeleton_folded(&fold_letters(a)) == skeleton_folded(&fold_letters(b))
        }),
    );
    row(
        "variant table only",
        &score_system(&bench.latin_pairs, |a, b| table.are_variants(a, b)),
    );
    let params = MatchParams::default();
    row(
        "dossier-names compare (verdict Same)",
        &score_system(&bench.latin_pairs, model_same(&table, &params)),
    );
    if args.errors > 0 {
        let same = model_same(&table, &params);
        let (mut fp, mut fn_) = (Vec::new(), Vec::new());
        for (a, b, gold) in &bench.latin_pairs {
            match (same(a, b), *gold) {
                (true, false) => fp.push(format!("{a}/{b}")),
                (false, true) => fn_.push(format!("{a}/{b}")),
                _ => {}
            }
        }
        let step = |v: &Vec<String>| (v.len() / args.errors).max(1);
        println!(
            "  false positives: {}",
            fp.iter()
                .step_by(step(&fp))
                .take(args.errors)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        );
        println!(
            "  false negatives: {}",
            fn_.iter()
                .step_by(step(&fn_))
                .take(args.errors)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let cross_pos = bench.cross_pairs.iter().filter(|p| p.2).count();
    println!(
        "Arabic vs Latin: {cross_pos} positive pairs, {} hard negatives (an Arabic name against a close spelling of another)",
        bench.cross_pairs.len() - cross_pos
    );
    row(
        "baseline: rendering skeleton equal",
        &score_system(&bench.cross_pairs, |ar, l| {
            skeleton_folded(&table.transliterate(ar)) == skeleton_folded(&fold_letters(l))
        }),
    );
    row(
        "dossier-names Arabic/Latin match",
        &score_system(&bench.cross_pairs, |ar, l| {
            match_arabic_latin(ar, l, &table, &params).is_some()
        }),
    );
    if args.grid {
        println!("threshold grid (phonetic per letter, fuzzy per letter, cross min score):");
        for ph in [0.1, 0.15, 0.2, 0.25, 0.3, 0.4] {
            for fz in [0.0, 0.08, 0.12] {
                let p = MatchParams {
                    phonetic_per_letter: ph,
                    fuzzy_per_letter: fz,
                    ..params
                };
                row(
                    &format!("latin ph {ph} fz {fz}"),
                    &score_system(&bench.latin_pairs, model_same(&table, &p)),
                );
            }
        }
        for cr in [-1.5, -2.0, -2.5, -3.0, -3.5] {
            let p = MatchParams {
                cross_min_score: cr,
                ..params
            };
            row(
                &format!("cross min {cr}"),
                &score_system(&bench.cross_pairs, |ar, l| {
                    match_arabic_latin(ar, l, &table, &p).is_some()
                }),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, l: &str) -> Pair {
        Pair {
            arabic: a.to_string(),
            latin: l.to_string(),
        }
    }

    #[test]
    fn benchmark_excludes_seen_arabic_and_builds_hard_negatives() {
        let train = vec![pair("محمد", "muhammad")];
        let held = vec![
            pair("محمد", "mohamed"), // seen in training: excluded
            pair("سمير", "samir"),
            pair("سمير", "sameer"),
            pair("سامر", "samer"),
        ];
        let b = benchmark(&train, &held);
        assert_eq!(b.groups, 2);
        let pos: Vec<_> = b.latin_pairs.iter().filter(|p| p.2).collect();
        assert_eq!(pos.len(), 1);
        assert!(b
            .latin_pairs
            .iter()
            .any(|(x, y, g)| !g && x == "samer" && y == "samir"));
        assert!(!b
            .latin_pairs
            .iter()
            .any(|(x, y, _)| x == "mohamed" || y == "mohamed"));
    }

    #[test]
    fn counts_give_precision_recall() {
        let mut c = Counts::default();
        c.add(true, true);
        c.add(true, false);
        c.add(false, true);
        c.add(false, false);
        let (p, r, f) = c.prf();
        assert!((p - 0.5).abs() < 1e-9 && (r - 0.5).abs() < 1e-9 && (f - 0.5).abs() < 1e-9);
    }
}
