//! The match model: a Fellegi–Sunter model over comparison levels, as
//! record-linkage systems such as Splink use.
//!
//! Each feature of a comparison (names, entity type, co-mentioned
//! entities, context words, places, descriptions) falls into one level;
//! each level has an m-probability (how often two records of one entity
//! fall in it) and a u-probability (how often two records of different
//! entities do). The match weight is the log2 of the prior odds plus the
//! sum over features of log2(m/u); the match probability follows from it.
//! Exact name matches are adjusted for how common the name is (term
//! frequency): "Michael Brown" agreeing is weak evidence, "Abu Muhsin
//! al-Masri" strong.
//!
//! The parameters are data (`data/model.tsv`), estimated by expectation
//! maximisation over the candidate pairs of a corpus
//! (`dossier eval coref --estimate`).

use std::fmt::Write as _;

/// A feature of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    Name,
    Kind,
    Co,
    Terms,
    Places,
    Desc,
}

pub const FEATURES: [Feature; 6] = [
    Feature::Name,
    Feature::Kind,
    Feature::Co,
    Feature::Terms,
    Feature::Places,
    Feature::Desc,
];

impl Feature {
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Name => "name",
            Feature::Kind => "type",
            Feature::Co => "co-mentions",
            Feature::Terms => "context words",
            Feature::Places => "places",
            Feature::Desc => "descriptions",
        }
    }

    /// The names of the feature's levels, in index order.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Feature::Name => &[
                "exact",
                "same_short",
                "short_form",
                "compatible",
                "head",
                "none",
                "same_entity_name",
            ],
            Feature::Kind => &["same", "close", "differ"],
            Feature::Co => &["none", "low", "mid", "high"],
            Feature::Terms => &["low", "mid", "high", "very"],
            Feature::Places => &["none", "some"],
            Feature::Desc => &["none", "some"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn parse(s: &str) -> Option<Feature> {
        FEATURES.into_iter().find(|f| f.key() == s)
    }

    /// The feature's name in the parameter file.
    fn key(self) -> &'static str {
        match self {
            Feature::Name => "name",
            Feature::Kind => "kind",
            Feature::Co => "co",
            Feature::Terms => "terms",
            Feature::Places => "places",
            Feature::Desc => "desc",
        }
    }
}

/// Name levels whose u-probability is replaced by the name's frequency
/// (person names; an organisation's or place's name is compared as a
/// whole, level `same_entity_name`).
pub const TF_LEVELS: [usize; 3] = [0, 1, 2];
/// The match probability of a match weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// The most any name frequency counts as a u-probability.
const TF_U_MAX: f64 = 0.5;

/// One comparison as levels: `None` where a side has nothing to compare.
pub type Levels = [Option<u8>; 6];

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Prior probability that a candidate pair is one entity.
    pub lambda: f64,
    /// Match probability from which a pair is joined.
    pub threshold: f64,
    /// The most a full name's frequency counts as its u-probability: how
    /// often a name is written measures its bearer's fame as much as how
    /// many people share it ("Hillary Clinton" in a third of a campaign's
    /// articles is one woman).
    pub full_name_u_max: f64,
    pub m: [Vec<f64>; 6],
    pub u: [Vec<f64>; 6],
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model line {line}: {why}")]
    Bad { line: usize, why: String },
}

/// One feature's contribution to a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub feature: Feature,
    pub level: &'static str,
    /// log2 Bayes factor.
    pub bits: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub probability: f64,
    /// Match weight: prior log2 odds plus the contributions.
    pub weight: f64,
    pub contributions: Vec<Contribution>,
}

const EMBEDDED: &str = include_str!("../data/model.tsv");

fn empty() -> [Vec<f64>; 6] {
    FEATURES.map(|f| vec![0.0; f.levels().len()])
}

impl Model {
    /// The committed parameters.
    pub fn embedded() -> Model {
        Model::parse(EMBEDDED).expect("the committed model parses (tested)")
    }

    pub fn parse(text: &str) -> Result<Model, ModelError> {
        let mut model = Model {
            lambda: 0.0,
            threshold: 0.5,
            full_name_u_max: TF_U_MAX,
            m: empty(),
            u: empty(),
        };
        let mut seen = empty();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| ModelError::Bad {
                line: i + 1,
                why: why.to_string(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            let num = |s: &str| -> Result<f64, ModelError> {
                s.parse::<f64>()
                    .ok()
                    .filter(|x| *x > 0.0 && *x <= 1.0)
                    .ok_or_else(|| bad(&format!("{s:?} is not a probability in (0, 1]")))
            };
            match cols.as_slice() {
                ["lambda", v] => model.lambda = num(v)?,
                ["threshold", v] => model.threshold = num(v)?,
                ["full_name_u_max", v] => model.full_name_u_max = num(v)?.min(TF_U_MAX),
                [f, level, m, u] => {
                    let f = Feature::parse(f).ok_or_else(|| bad("unknown feature"))?;
                    let l = f
                        .levels()
                        .iter()
                        .position(|x| x == level)
                        .ok_or_else(|| bad("unknown level"))?;
                    model.m[f.index()][l] = num(m)?;
                    model.u[f.index()][l] = num(u)?;
                    seen[f.index()][l] = 1.0;
                }
                _ => {
                    return Err(bad(
                        "expected `lambda P`, `threshold P` or `feature level m u`",
                    ))
                }
            }
        }
        if model.lambda == 0.0 {
            return Err(ModelError::Bad {
                line: 0,
                why: "no lambda".into(),
            });
        }
        for f in FEATURES {
            if let Some(l) = seen[f.index()].iter().position(|x| *x == 0.0) {
                return Err(ModelError::Bad {
                    line: 0,
                    why: format!("no parameters for {} {}", f.key(), f.levels()[l]),
                });
            }
        }
        Ok(model)
    }

    pub fn to_tsv(&self) -> String {
        let mut out = String::from(
            "# Match model (see crates/resolve/src/model.rs): prior, threshold,\n# then per feature and level the m- and u-probabilities.\n",
        );
        let _ = writeln!(out, "lambda\t{:.6}", self.lambda);
        let _ = writeln!(out, "threshold\t{:.3}", self.threshold);
        let _ = writeln!(out, "full_name_u_max\t{:.3}", self.full_name_u_max);
        for f in FEATURES {
            for (l, name) in f.levels().iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{:.6}\t{:.6}",
                    f.key(),
                    name,
                    self.m[f.index()][l],
                    self.u[f.index()][l]
                );
            }
        }
        out
    }

    /// The match probability of a comparison; `name_u` replaces the
    /// u-probability of an exact or short-form name match (how common
    /// the name is).
    pub fn score(&self, levels: &Levels, name_u: Option<f64>) -> Scored {
        let mut weight = (self.lambda / (1.0 - self.lambda)).log2();
        let mut contributions = Vec::new();
        for f in FEATURES {
            let Some(l) = levels[f.index()] else {
                continue;
            };
            let l = l as usize;
            let m = self.m[f.index()][l];
            let mut u = self.u[f.index()][l];
            if f == Feature::Name && TF_LEVELS.contains(&l) {
                if let Some(tf) = name_u {
                    let max = if l == 0 {
                        self.full_name_u_max
                    } else {
                        TF_U_MAX
                    };
                    u = tf.clamp(1e-5, max);
                }
            }
            let bits = (m / u).log2();
            weight += bits;
            contributions.push(Contribution {
                feature: f,
                level: f.levels()[l],
                bits,
            });
        }
        Scored {
            probability: probability(weight),
            weight,
            contributions,
        }
    }

    /// Expectation maximisation over unlabelled comparisons, starting from
    /// these parameters (a two-class mixture with features independent
    /// within a class). Levels absent from a comparison are skipped.
    pub fn estimate(&self, data: &[Levels], iterations: usize) -> Model {
        let mut model = self.clone();
        if data.is_empty() {
            return model;
        }
        for _ in 0..iterations {
            let mut m_count = empty();
            let mut u_count = empty();
            let mut total = 0.0;
            for v in data {
                let (mut pm, mut pu) = (model.lambda, 1.0 - model.lambda);
                for f in FEATURES {
                    if let Some(l) = v[f.index()] {
                        pm *= model.m[f.index()][l as usize];
                        pu *= model.u[f.index()][l as usize];
                    }
                }
                let w = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
                total += w;
                for f in FEATURES {
                    if let Some(l) = v[f.index()] {
                        m_count[f.index()][l as usize] += w;
                        u_count[f.index()][l as usize] += 1.0 - w;
                    }
                }
            }
            model.lambda = (total / data.len() as f64).clamp(1e-4, 0.5);
            for f in FEATURES {
                let i = f.index();
                let norm = |c: &Vec<f64>| {
                    // Half a pseudo-count per level keeps every level possible.
                    let sum: f64 = c.iter().sum::<f64>() + 0.5 * c.len() as f64;
                    c.iter().map(|x| (x + 0.5) / sum).collect::<Vec<f64>>()
                };
                model.m[i] = norm(&m_count[i]);
                model.u[i] = norm(&u_count[i]);
            }
        }
        model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_parses_and_round_trips() {
        let m = Model::embedded();
        assert!(m.lambda > 0.0 && m.lambda < 1.0);
        assert_eq!(Model::parse(&m.to_tsv()).unwrap().to_tsv(), m.to_tsv());
    }

    #[test]
    fn bad_model_lines_are_named() {
        let err = Model::parse("lambda\t0.1\nname\tperfect\t0.5\t0.5\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(Model::parse("lambda\t2\n").is_err());
    }

    #[test]
    fn a_famous_full_name_still_counts() {
        let mut m = Model::embedded();
        m.full_name_u_max = 0.1;
        let exact: Levels = [Some(0), None, None, None, None, None];
        let short: Levels = [Some(1), None, None, None, None, None];
        // A full name in a third of the articles weighs as one in a tenth.
        assert_eq!(
            m.score(&exact, Some(0.33)).weight,
            m.score(&exact, Some(0.1)).weight
        );
        assert!(m.score(&short, Some(0.33)).weight < m.score(&short, Some(0.1)).weight);
        assert!(
            Model::parse(&m.to_tsv())
                .expect("round trip")
                .full_name_u_max
                == 0.1
        );
    }

    #[test]
    fn common_names_weigh_less_than_rare_ones() {
        let m = Model::embedded();
        let v: Levels = [Some(0), Some(0), Some(0), Some(0), None, None];
        assert_eq!(Feature::Name.levels()[6], "same_entity_name");
        let common = m.score(&v, Some(0.05));
        let rare = m.score(&v, Some(0.00001));
        assert!(rare.probability > common.probability);
        assert!(rare.weight - common.weight > 10.0);
    }

    #[test]
    fn em_separates_a_planted_mixture() {
        // 10% matches: they agree on the name 90% of the time and on the
        // context 80%; non-matches 5% and 5%.
        let mut data = Vec::new();
        for i in 0..2000u32 {
            let matched = i % 10 == 0;
            let k = i / 10;
            let (name, terms) = if matched {
                (k % 10 != 0, k % 5 != 0)
            } else {
                (i % 20 == 1, i % 20 == 3)
            };
            data.push([
                Some(if name { 0 } else { 5 }),
                Some(0),
                None,
                Some(if terms { 3 } else { 0 }),
                None,
                None,
            ]);
        }
        let fitted = Model::embedded().estimate(&data, 50);
        assert!((fitted.lambda - 0.1).abs() < 0.03, "{}", fitted.lambda);
        let name = Feature::Name.index();
        assert!(fitted.m[name][0] > fitted.u[name][0] * 5.0);
    }
}
