//! The scoring model: a logistic function of name-comparison features plus
//! log-odds adjustments for the supporting and contradicting facts, read
//! from `data/model.tsv` (weights and threshold are data, not code).
//!
//! The name weights and the decision threshold are fitted on the DEV split
//! of `dossier eval screen` (see that command); the adjustments for dates,
//! countries, types and identifiers are set by hand, since the dev set
//! cannot show how much they are worth (its queries are names only).

use std::fmt::Write as _;

/// Name-comparison features, in the order of the weight vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    Bias,
    /// Share of the query name matched, parts weighted by rarity on the lists.
    QueryCoverage,
    /// Share of the list name matched, weighted the same way.
    ListCoverage,
    /// Sum of the rarity weights (0.05..1 each) of the matched list parts,
    /// times the strength of each part match: how much the match says.
    Evidence,
    /// The names fill an identifying slot differently (two kunyas...).
    Conflict,
    /// The matched list name is a weak alias.
    WeakName,
    /// Identifying parts of the list name (given, family, kunya, a single
    /// name; every word of an organisation) with no counterpart (capped at 3).
    UnmatchedListParts,
    /// Other parts of the list name (middle names, "bin X" filiations,
    /// nisbas, epithets) with no counterpart: often left out (capped at 3).
    UnmatchedListExtra,
    /// Identifying parts of the query name with no counterpart (capped at 3).
    UnmatchedQueryParts,
    /// Other parts of the query name with no counterpart (capped at 3).
    UnmatchedQueryExtra,
    /// Parts matched only as typos (near spellings).
    TypoParts,
    /// Parts matched only as initials or short forms.
    ShortParts,
    /// One of the names has a single part.
    SinglePart,
    /// Aligned pairs where one side is the given name and the other is
    /// not ("Usama" as the given name against "Usama" as a father's name).
    RoleMismatch,
    /// Summed weighted edit distance per letter of the pairs matched as
    /// sound-alike or near spellings ("Sosa" / "Issa" is far, "Husayn" /
    /// "Hussein" near).
    SpellingDistance,
    /// Sound-alike or near-spelling pairs with little to go on: one or two
    /// consonants ("Sosa" / "Issa"), or different first letters other than
    /// vowels ("Akram" / "Karami").
    WeakSoundAlike,
    /// The evidence of a match where one name has a single part: one part
    /// must be rare to say much.
    SinglePartEvidence,
}

impl Feature {
    pub const ALL: [Feature; 17] = [
        Feature::Bias,
        Feature::QueryCoverage,
        Feature::ListCoverage,
        Feature::Evidence,
        Feature::Conflict,
        Feature::WeakName,
        Feature::UnmatchedListParts,
        Feature::UnmatchedListExtra,
        Feature::UnmatchedQueryParts,
        Feature::UnmatchedQueryExtra,
        Feature::TypoParts,
        Feature::ShortParts,
        Feature::SinglePart,
        Feature::RoleMismatch,
        Feature::SpellingDistance,
        Feature::WeakSoundAlike,
        Feature::SinglePartEvidence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Bias => "bias",
            Feature::QueryCoverage => "query_coverage",
            Feature::ListCoverage => "list_coverage",
            Feature::Evidence => "evidence",
            Feature::Conflict => "conflict",
            Feature::WeakName => "weak_name",
            Feature::UnmatchedListParts => "unmatched_list_parts",
            Feature::UnmatchedListExtra => "unmatched_list_extra",
            Feature::UnmatchedQueryParts => "unmatched_query_parts",
            Feature::UnmatchedQueryExtra => "unmatched_query_extra",
            Feature::TypoParts => "typo_parts",
            Feature::ShortParts => "short_parts",
            Feature::SinglePart => "single_part",
            Feature::RoleMismatch => "role_mismatch",
            Feature::SpellingDistance => "spelling_distance",
            Feature::WeakSoundAlike => "weak_sound_alike",
            Feature::SinglePartEvidence => "single_part_evidence",
        }
    }

    fn parse(s: &str) -> Option<Feature> {
        Feature::ALL.iter().copied().find(|f| f.as_str() == s)
    }
}

/// The feature vector of one name comparison.
pub type Features = [f64; Feature::ALL.len()];

/// Hand-set log-odds adjustments for what else the query says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Adjustment {
    BirthDateExact,
    BirthDateCompatible,
    BirthDateContradicts,
    CountryAgrees,
    CountryContradicts,
    TypeContradicts,
    IdentifierAgrees,
    IdentifierContradicts,
}

impl Adjustment {
    pub const ALL: [Adjustment; 8] = [
        Adjustment::BirthDateExact,
        Adjustment::BirthDateCompatible,
        Adjustment::BirthDateContradicts,
        Adjustment::CountryAgrees,
        Adjustment::CountryContradicts,
        Adjustment::TypeContradicts,
        Adjustment::IdentifierAgrees,
        Adjustment::IdentifierContradicts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Adjustment::BirthDateExact => "birth_date_exact",
            Adjustment::BirthDateCompatible => "birth_date_compatible",
            Adjustment::BirthDateContradicts => "birth_date_contradicts",
            Adjustment::CountryAgrees => "country_agrees",
            Adjustment::CountryContradicts => "country_contradicts",
            Adjustment::TypeContradicts => "type_contradicts",
            Adjustment::IdentifierAgrees => "identifier_agrees",
            Adjustment::IdentifierContradicts => "identifier_contradicts",
        }
    }

    fn parse(s: &str) -> Option<Adjustment> {
        Adjustment::ALL.iter().copied().find(|f| f.as_str() == s)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("model.tsv line {line}: {problem}")]
pub struct ModelError {
    pub line: usize,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub weights: Features,
    pub adjustments: [f64; Adjustment::ALL.len()],
    /// Scores at or above this are reported as matches.
    pub threshold: f64,
    /// Scores below this are not reported at all.
    pub report_floor: f64,
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The model committed with the crate.
    pub fn embedded() -> Result<Model, ModelError> {
        Model::parse(include_str!("../data/model.tsv"))
    }

    /// Log-odds of a name comparison.
    pub fn name_logit(&self, x: &Features) -> f64 {
        self.weights.iter().zip(x).map(|(w, v)| w * v).sum()
    }

    pub fn adjustment(&self, a: Adjustment) -> f64 {
        self.adjustments[a as usize]
    }

    pub fn parse(text: &str) -> Result<Model, ModelError> {
        let mut weights = [f64::NAN; Feature::ALL.len()];
        let mut adjustments = [f64::NAN; Adjustment::ALL.len()];
        let mut threshold = None;
        let mut floor = None;
        for (i, line) in text.lines().enumerate() {
            let err = |problem: String| ModelError {
                line: i + 1,
                problem,
            };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let num = |s: &str| {
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| err(format!("not a number: {s:?}")))
            };
            match cols.as_slice() {
                ["weight", name, v] => {
                    let f = Feature::parse(name)
                        .ok_or_else(|| err(format!("unknown feature {name:?}")))?;
                    weights[f as usize] = num(v)?;
                }
                ["adjust", name, v] => {
                    let a = Adjustment::parse(name)
                        .ok_or_else(|| err(format!("unknown adjustment {name:?}")))?;
                    adjustments[a as usize] = num(v)?;
                }
                ["threshold", v] => threshold = Some(num(v)?),
                ["report_floor", v] => floor = Some(num(v)?),
                _ => return Err(err(format!("unknown row {line:?}"))),
            }
        }
        let missing = |what: &str| ModelError {
            line: 0,
            problem: format!("missing {what}"),
        };
        if let Some(f) = Feature::ALL.iter().find(|f| weights[**f as usize].is_nan()) {
            return Err(missing(&format!("weight {}", f.as_str())));
        }
        if let Some(a) = Adjustment::ALL
            .iter()
            .find(|a| adjustments[**a as usize].is_nan())
        {
            return Err(missing(&format!("adjustment {}", a.as_str())));
        }
        Ok(Model {
            weights,
            adjustments,
            threshold: threshold.ok_or_else(|| missing("threshold"))?,
            report_floor: floor.ok_or_else(|| missing("report_floor"))?,
        })
    }

    /// Writes the model in the format [`Model::parse`] reads, after `header`
    /// comment lines.
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out = String::new();
        for l in header.lines() {
            let _ = writeln!(out, "# {l}");
        }
        let _ = writeln!(out, "threshold\t{:.4}", self.threshold);
        let _ = writeln!(out, "report_floor\t{:.4}", self.report_floor);
        for f in Feature::ALL {
            let _ = writeln!(
                out,
                "weight\t{}\t{:.4}",
                f.as_str(),
                self.weights[f as usize]
            );
        }
        for a in Adjustment::ALL {
            let _ = writeln!(
                out,
                "adjust\t{}\t{:.4}",
                a.as_str(),
                self.adjustments[a as usize]
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_parses_and_round_trips() {
        let m = Model::embedded().unwrap();
        assert!((0.0..1.0).contains(&m.threshold));
        assert!(m.report_floor <= m.threshold);
        let back = Model::parse(&m.to_tsv("x")).unwrap();
        for (a, b) in back.weights.iter().zip(&m.weights) {
            assert!((a - b).abs() < 1e-4);
        }
        // Contradictions lower the odds, agreements raise them.
        assert!(m.adjustment(Adjustment::BirthDateContradicts) < 0.0);
        assert!(m.adjustment(Adjustment::BirthDateExact) > 0.0);
        assert!(m.adjustment(Adjustment::TypeContradicts) < 0.0);
    }

    #[test]
    fn bad_rows_are_refused() {
        assert!(Model::parse("weight\tnope\t1").is_err());
        assert!(Model::parse("threshold\tx").is_err());
        assert!(Model::parse("threshold\t0.5").is_err()); // weights missing
        assert!(Model::parse("bogus").is_err());
    }
}
