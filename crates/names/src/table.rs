//! The transliteration variant table, built from Arabic–Latin name pairs.
//!
//! Two Latin spellings are variants when the data pairs both with the same
//! (normalised) Arabic spelling: "mohamed" and "muhammad" both render "محمد".
//! The data is noisy (mined alignments pair "abdullah" with "عبد", or a name
//! with the wrong token), so every pair is first scored by a character
//! aligner trained on all pairs ([`crate::align`]) and pairs that the aligner
//! finds implausible are dropped. The aligner's per-letter renderings are kept
//! too: they transliterate Arabic script to Latin ([`Table::transliterate`]).
//!
//! The generated table is committed as `data/variants.tsv` so the product
//! needs no data directory; `Table::embedded()` loads it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::align::{Aligner, Pair};
use crate::fold::{fold_letters, letters, normalize_arabic};

/// EM rounds for the aligner.
const EM_ITERATIONS: usize = 6;
/// Pairs whose mean log-likelihood per Arabic letter is below this are
/// treated as misalignments and left out of the table.
pub const MIN_PAIR_SCORE: f64 = -3.0;
/// Renderings of a letter below this probability are not kept.
const MIN_RENDERING_PROB: f64 = 0.005;

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {problem}")]
    Format {
        path: String,
        line: usize,
        problem: String,
    },
}

/// Which files of the transliteration data to build from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Google `ar2en*.txt`: `arabic<TAB>latin`.
    pub google: Vec<PathBuf>,
    /// Wikidata NETransliteration: `latin<TAB>spaced arabic<TAB>count`.
    pub wikidata: Vec<PathBuf>,
}

impl Sources {
    /// All licensed pairs (Apache-2.0 Google ar2en, CC0 Wikidata): what the
    /// committed table is built from. `data_dir` is `../shared/data`.
    pub fn full(data_dir: &Path) -> Sources {
        let base = data_dir.join("transliteration_ar_en");
        Sources {
            google: vec![base.join("google_ar2en/ar2en.txt")],
            wikidata: vec![
                base.join("netranslit_coling2018/data_wd_arabic.normalized.aligned.tokens")
            ],
        }
    }

    /// Training splits only (Google train, Wikidata 80%), for evaluation on
    /// the held-out Google test and Wikidata 20% splits.
    pub fn train(data_dir: &Path) -> Sources {
        let base = data_dir.join("transliteration_ar_en");
        Sources {
            google: vec![base.join("google_ar2en/ar2en-train.txt")],
            wikidata: vec![base.join("netranslit_coling2018/data_wd_arabic_80")],
        }
    }

    /// Held-out test splits matching [`Sources::train`].
    pub fn test(data_dir: &Path) -> Sources {
        let base = data_dir.join("transliteration_ar_en");
        Sources {
            google: vec![base.join("google_ar2en/ar2en-test.txt")],
            wikidata: vec![base.join("netranslit_coling2018/data_wd_arabic_20")],
        }
    }

    pub fn read(&self) -> Result<Vec<Pair>, TableError> {
        let mut out = Vec::new();
        for p in &self.google {
            out.extend(read_google(p)?);
        }
        for p in &self.wikidata {
            out.extend(read_wikidata(p)?);
        }
        Ok(out)
    }
}

fn read_text(path: &Path) -> Result<String, TableError> {
    std::fs::read_to_string(path).map_err(|source| TableError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Normalise one raw pair; `None` for pairs with nothing usable on a side.
pub fn make_pair(arabic: &str, latin: &str) -> Option<Pair> {
    let arabic: String = normalize_arabic(arabic)
        .chars()
        .filter(|c| crate::fold::is_arabic_letter(*c))
        .collect();
    let latin = fold_letters(latin);
    (!arabic.is_empty() && !latin.is_empty()).then_some(Pair { arabic, latin })
}

fn format_err(path: &Path, line: usize, problem: &str) -> TableError {
    TableError::Format {
        path: path.display().to_string(),
        line,
        problem: problem.to_string(),
    }
}

/// Google ar2en: `arabic<TAB>latin` per line.
pub fn read_google(path: &Path) -> Result<Vec<Pair>, TableError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(ar), Some(lat)) = (cols.next(), cols.next()) else {
            return Err(format_err(path, i + 1, "expected `arabic<TAB>latin`"));
        };
        out.extend(make_pair(ar, lat));
    }
    Ok(out)
}

/// Wikidata NETransliteration: `latin<TAB>arabic letters spaced<TAB>count`.
pub fn read_wikidata(path: &Path) -> Result<Vec<Pair>, TableError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(lat), Some(ar)) = (cols.next(), cols.next()) else {
            return Err(format_err(
                path,
                i + 1,
                "expected `latin<TAB>arabic<TAB>count`",
            ));
        };
        let ar: String = ar.split_whitespace().collect();
        out.extend(make_pair(&ar, lat));
    }
    Ok(out)
}

/// Latin spellings sharing one Arabic spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub arabic: String,
    pub latin: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    groups: Vec<Group>,
    /// (letter, word-initial) -> renderings, most likely first.
    renderings: BTreeMap<(char, bool), Vec<(String, f64)>>,
    latin_index: HashMap<String, Vec<u32>>,
    arabic_index: HashMap<String, u32>,
}

const HEADER: &str = "\
# dossier-names transliteration table (generated; do not edit by hand)
# Regenerate: cargo run -p dossier-names --release --example build-table -- ../shared/data
# Built from Arabic-Latin name pairs in:
#   google/transliteration ar2en.txt (Wikipedia-mined pairs), Apache License 2.0,
#     Copyright Google; see https://github.com/google/transliteration
#   steveash/NETransliteration-COLING2018 data_wd_arabic.normalized.aligned.tokens
#     (Wikidata-derived), CC0 1.0 Universal
# Pairs the character aligner finds implausible are dropped.
# Rows: `letter<TAB>arabic letter<TAB>i|m (word-initial or not)<TAB>latin:prob ...`
#       `group<TAB>normalised arabic spelling<TAB>latin spellings, space separated`
";

/// Build the table from all licensed pairs under `data_dir` (`../shared/data`).
pub fn build(data_dir: &Path) -> Result<Table, TableError> {
    Ok(build_from(&Sources::full(data_dir).read()?))
}

/// Build from pairs already read (e.g. a training split).
pub fn build_from(pairs: &[Pair]) -> Table {
    // Deduplicate, keeping a stable order so the output is reproducible.
    let unique: BTreeSet<Pair> = pairs.iter().cloned().collect();
    let unique: Vec<Pair> = unique.into_iter().collect();
    let aligner = Aligner::train(&unique, EM_ITERATIONS);
    let mut by_arabic: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &unique {
        if aligner.score(p).is_some_and(|s| s >= MIN_PAIR_SCORE) {
            by_arabic
                .entry(p.arabic.clone())
                .or_default()
                .insert(p.latin.clone());
        }
    }
    let groups = by_arabic
        .into_iter()
        .filter(|(_, l)| l.len() >= 2)
        .map(|(arabic, latin)| Group {
            arabic,
            latin: latin.into_iter().collect(),
        })
        .collect();
    let mut renderings = BTreeMap::new();
    for (c, initial, v) in aligner.renderings(MIN_RENDERING_PROB) {
        // Rounded as written to the file, so a built and a parsed table agree.
        let v = v
            .into_iter()
            .map(|(s, p)| (s, (p * 1000.0).round() / 1000.0))
            .collect();
        renderings.insert((c, initial), v);
    }
    Table::from_parts(groups, renderings)
}

impl Table {
    fn from_parts(
        groups: Vec<Group>,
        renderings: BTreeMap<(char, bool), Vec<(String, f64)>>,
    ) -> Table {
        let mut latin_index: HashMap<String, Vec<u32>> = HashMap::new();
        let mut arabic_index = HashMap::new();
        for (i, g) in groups.iter().enumerate() {
            arabic_index.insert(g.arabic.clone(), i as u32);
            for l in &g.latin {
                latin_index.entry(l.clone()).or_default().push(i as u32);
            }
        }
        Table {
            groups,
            renderings,
            latin_index,
            arabic_index,
        }
    }

    /// The table committed with the crate.
    pub fn embedded() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(|| {
            // The file is generated and checked by tests; a parse failure here
            // is a build defect, so fall back to an empty table rather than
            // failing name comparison at run time.
            Table::parse(include_str!("../data/variants.tsv")).unwrap_or_default()
        })
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Serialise in the committed format (with the licence header).
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(HEADER);
        for ((c, initial), v) in &self.renderings {
            let list: Vec<String> = v.iter().map(|(s, p)| format!("{s}:{p:.3}")).collect();
            out.push_str(&format!(
                "letter\t{c}\t{}\t{}\n",
                if *initial { "i" } else { "m" },
                list.join(" ")
            ));
        }
        for g in &self.groups {
            out.push_str(&format!("group\t{}\t{}\n", g.arabic, g.latin.join(" ")));
        }
        out
    }

    pub fn parse(text: &str) -> Result<Table, TableError> {
        let err = |line: usize, problem: &str| TableError::Format {
            path: "variants.tsv".to_string(),
            line,
            problem: problem.to_string(),
        };
        let mut groups = Vec::new();
        let mut renderings = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["letter", c, pos, list] => {
                    let mut chars = c.chars();
                    let (Some(c), None) = (chars.next(), chars.next()) else {
                        return Err(err(i + 1, "letter column must be one character"));
                    };
                    let initial = match *pos {
                        "i" => true,
                        "m" => false,
                        _ => return Err(err(i + 1, "position must be `i` or `m`")),
                    };
                    let mut v = Vec::new();
                    for item in list.split(' ').filter(|s| !s.is_empty()) {
                        let Some((s, p)) = item.rsplit_once(':') else {
                            return Err(err(i + 1, "rendering must be `latin:prob`"));
                        };
                        let p: f64 = p.parse().map_err(|_| err(i + 1, "bad probability"))?;
                        v.push((s.to_string(), p));
                    }
                    renderings.insert((c, initial), v);
                }
                ["group", ar, list] => groups.push(Group {
                    arabic: ar.to_string(),
                    latin: list
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                }),
                _ => return Err(err(i + 1, "unknown row")),
            }
        }
        Ok(Table::from_parts(groups, renderings))
    }

    /// Whether two Latin spellings render the same Arabic spelling in the
    /// data. Inputs are folded (case, diacritics, apostrophes) first.
    pub fn are_variants(&self, a: &str, b: &str) -> bool {
        let (a, b) = (letters(a), letters(b));
        if a == b {
            return true;
        }
        match (
            self.latin_index.get(a.as_ref()),
            self.latin_index.get(b.as_ref()),
        ) {
            (Some(x), Some(y)) => x.iter().any(|g| y.contains(g)),
            _ => false,
        }
    }

    /// Whether the data has this Latin spelling at all.
    pub fn knows(&self, latin: &str) -> bool {
        self.latin_index.contains_key(letters(latin).as_ref())
    }

    /// Known Latin spellings sharing an Arabic spelling with `latin`.
    pub fn variants_of(&self, latin: &str) -> Vec<&str> {
        let key = fold_letters(latin);
        let mut out: BTreeSet<&str> = BTreeSet::new();
        for &g in self.latin_index.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(group) = self.groups.get(g as usize) {
                out.extend(group.latin.iter().map(String::as_str));
            }
        }
        out.into_iter().collect()
    }

    /// Latin spellings the data gives for an Arabic-script word.
    pub fn latin_for_arabic(&self, arabic: &str) -> &[String] {
        let key: String = normalize_arabic(arabic)
            .chars()
            .filter(|c| crate::fold::is_arabic_letter(*c))
            .collect();
        self.arabic_index
            .get(&key)
            .and_then(|&g| self.groups.get(g as usize))
            .map(|g| g.latin.as_slice())
            .unwrap_or(&[])
    }

    /// Letter-by-letter Latin rendering of an Arabic-script word using the
    /// most likely rendering of each letter; letters the table does not know
    /// are skipped. Compare its [`crate::skeleton`], not its vowels.
    pub fn transliterate(&self, arabic: &str) -> String {
        let norm = normalize_arabic(arabic);
        let mut out = String::new();
        for (i, c) in norm
            .chars()
            .filter(|c| crate::fold::is_arabic_letter(*c))
            .enumerate()
        {
            let best = self
                .renderings
                .get(&(c, i == 0))
                .or_else(|| self.renderings.get(&(c, i != 0)))
                .and_then(|v| v.first());
            if let Some((s, _)) = best {
                out.push_str(s);
            }
        }
        out
    }

    /// How well a Latin spelling renders an Arabic-script word: the mean
    /// log-likelihood per Arabic letter under the learned letter renderings
    /// (the same measure [`MIN_PAIR_SCORE`] is a threshold on). `None` when
    /// no alignment explains the Latin letters.
    pub fn cross_score(&self, arabic: &str, latin: &str) -> Option<f64> {
        let ar: Vec<char> = normalize_arabic(arabic)
            .chars()
            .filter(|c| crate::fold::is_arabic_letter(*c))
            .collect();
        let lat = fold_letters(latin);
        let lat = lat.as_bytes();
        let (n, m) = (ar.len(), lat.len());
        if n == 0 || m == 0 {
            return None;
        }
        let mut a = vec![0.0f64; (n + 1) * (m + 1)];
        a[0] = 1.0;
        for (i, &c) in ar.iter().enumerate() {
            let known = self
                .renderings
                .get(&(c, i == 0))
                .or_else(|| self.renderings.get(&(c, i != 0)));
            for j in 0..=m {
                let cur = a[i * (m + 1) + j];
                if cur == 0.0 {
                    continue;
                }
                match known {
                    Some(v) => {
                        for (s, p) in v {
                            if lat[j..].starts_with(s.as_bytes()) {
                                a[(i + 1) * (m + 1) + j + s.len()] += cur * p;
                            }
                        }
                    }
                    // A letter the data never showed: let it stand for nothing.
                    None => a[(i + 1) * (m + 1) + j] += cur * 0.1,
                }
            }
        }
        let z = a[n * (m + 1) + m];
        (z > 0.0).then(|| z.ln() / n as f64)
    }

    /// Number of distinct renderings kept (for reports).
    pub fn rendering_count(&self) -> usize {
        self.renderings.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips() {
        let text = format!(
            "{HEADER}letter\tب\tm\tb:0.800\nletter\tب\ti\tb:0.900 p:0.050\ngroup\tمحمد\tmohamed muhammad\n"
        );
        let t = Table::parse(&text).unwrap();
        assert_eq!(t.to_tsv(), text);
        assert!(t.are_variants("Muhammad", "MOHAMED"));
        assert!(!t.are_variants("Muhammad", "Mahmoud"));
        assert_eq!(t.latin_for_arabic("مُحَمَّد"), ["mohamed", "muhammad"]);
        assert_eq!(t.transliterate("بب"), "bb");
        let good = t.cross_score("بب", "bb").unwrap();
        assert!((good - (0.9f64 * 0.8).ln() / 2.0).abs() < 1e-9);
        assert!(t.cross_score("بب", "pb").unwrap() < good);
        assert_eq!(t.cross_score("بب", "xx"), None);
    }

    /// The committed table must be exactly what the generator produces from
    /// the data (skipped where the shared data is absent).
    #[test]
    fn committed_table_equals_fresh_build() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        if !data.join("transliteration_ar_en").is_dir() {
            eprintln!("skipped: no {}", data.display());
            return;
        }
        let fresh = build(&data).unwrap().to_tsv();
        let committed = include_str!("../data/variants.tsv");
        assert!(
            fresh == committed,
            "data/variants.tsv is stale: rerun the build-table example"
        );
        let t = Table::embedded();
        assert!(t.groups().len() > 1000);
        // Spellings of common Arabic names that the data links.
        assert!(t.are_variants("Muhammad", "Mohammed"));
        assert!(t.are_variants("Mohamed", "Mohammad"));
        assert!(t.are_variants("Maryam", "Mariam"));
        assert!(t.are_variants("Osama", "Usama"));
    }

    #[test]
    fn parse_rejects_bad_rows() {
        assert!(Table::parse("group\tx").is_err());
        assert!(Table::parse("letter\tab\ti\tb:0.1").is_err());
        assert!(Table::parse("letter\tب\tq\tb:0.1").is_err());
        assert!(Table::parse("letter\tب\ti\tb:zz").is_err());
    }

    #[test]
    fn readers_report_file_and_line() {
        let dir = std::env::temp_dir().join(format!("dossier-names-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("bad.txt");
        std::fs::write(&f, "محمد\tmuhammad\nno-tab-here\n").unwrap();
        let e = read_google(&f).unwrap_err().to_string();
        assert!(e.contains("bad.txt:2"), "{e}");
        assert!(read_google(&dir.join("missing.txt")).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
