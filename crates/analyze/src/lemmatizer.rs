//! spaCy's English rule lemmatizer (`mode = "rule"`), with the tables from
//! `lemmatizer/lookups/lookups.bin` and English `is_base_form`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rmpv::Value;

use crate::attribute_ruler::TokenAnnot;
use crate::lexeme::{is_alpha, lower};
use crate::strings::string_id;
use crate::tokenizer::{check_model_dir, format_err, Error, LookupsFile, RawToken};

#[derive(Debug, Default)]
struct PosTables {
    index: HashSet<String>,
    exceptions: HashMap<String, Vec<String>>,
    rules: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Lemmatizer {
    /// Keyed by the string id of the lower-cased universal POS.
    tables: HashMap<u64, PosTables>,
}

fn strings_of(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

impl Lemmatizer {
    /// Loads `<model_dir>/lemmatizer/lookups/lookups.bin`.
    pub fn load(model_dir: &Path) -> Result<Lemmatizer, Error> {
        check_model_dir(model_dir)?;
        let path = model_dir
            .join("lemmatizer")
            .join("lookups")
            .join("lookups.bin");
        let lookups = LookupsFile::load(&path)?;
        let mut tables: HashMap<u64, PosTables> = HashMap::new();
        for (key, v) in lookups.table_entries("lemma_index")? {
            let words = strings_of(v)
                .ok_or_else(|| format_err(&path, "lemma_index: entry is not a string list"))?;
            tables.entry(key).or_default().index = words.into_iter().collect();
        }
        for (key, v) in lookups.table_entries("lemma_exc")? {
            let map = v
                .as_map()
                .ok_or_else(|| format_err(&path, "lemma_exc: entry is not a map"))?;
            let mut exc = HashMap::with_capacity(map.len());
            for (w, forms) in map {
                let (Some(w), Some(forms)) = (w.as_str(), strings_of(forms)) else {
                    return Err(format_err(&path, "lemma_exc: bad exception entry"));
                };
                exc.insert(w.to_string(), forms);
            }
            tables.entry(key).or_default().exceptions = exc;
        }
        for (key, v) in lookups.table_entries("lemma_rules")? {
            let list = v
                .as_array()
                .ok_or_else(|| format_err(&path, "lemma_rules: entry is not a list"))?;
            let mut rules = Vec::with_capacity(list.len());
            for pair in list {
                match strings_of(pair).as_deref() {
                    Some([old, new]) => rules.push((old.clone(), new.clone())),
                    _ => return Err(format_err(&path, "lemma_rules: rule is not a pair")),
                }
            }
            tables.entry(key).or_default().rules = rules;
        }
        Ok(Lemmatizer { tables })
    }

    /// The lemma of `orth` given its universal POS (e.g. "NOUN") and MORPH.
    pub fn lemmatize(&self, orth: &str, pos: &str, morph: &str) -> String {
        let univ_pos = pos.to_lowercase();
        if univ_pos.is_empty() || univ_pos == "eol" || univ_pos == "space" {
            return lower(orth);
        }
        if is_base_form(&univ_pos, morph) {
            return lower(orth);
        }
        let tables = self.tables.get(&string_id(&univ_pos));
        let has_any = tables.is_some_and(|t| {
            !t.index.is_empty() || !t.exceptions.is_empty() || !t.rules.is_empty()
        });
        let Some(tables) = tables.filter(|_| has_any) else {
            return if univ_pos == "propn" {
                orth.to_string()
            } else {
                lower(orth)
            };
        };
        let string = lower(orth);
        let mut forms: Vec<String> = Vec::new();
        let mut oov_forms: Vec<String> = Vec::new();
        for (old, new) in &tables.rules {
            if let Some(stem) = string.strip_suffix(old.as_str()) {
                let form = format!("{stem}{new}");
                if form.is_empty() {
                    continue;
                }
                if tables.index.contains(&form) {
                    forms.insert(0, form);
                } else if !is_alpha(&form) {
                    forms.push(form);
                } else {
                    oov_forms.push(form);
                }
            }
        }
        // Drop duplicates, keeping the first occurrence.
        let mut seen = HashSet::new();
        forms.retain(|f| seen.insert(f.clone()));
        if let Some(exc) = tables.exceptions.get(&string) {
            for form in exc {
                if !forms.contains(form) {
                    forms.insert(0, form.clone());
                }
            }
        }
        if forms.is_empty() {
            forms = oov_forms;
        }
        forms.into_iter().next().unwrap_or_else(|| orth.to_string())
    }

    /// Sets the lemma of every token that has none yet (the attribute ruler
    /// may have set some), as spaCy's lemmatizer with `overwrite = false`.
    pub fn apply(&self, text: &str, tokens: &[RawToken], annots: &mut [TokenAnnot]) {
        for (t, a) in tokens.iter().zip(annots.iter_mut()) {
            if a.lemma.is_empty() {
                a.lemma = self.lemmatize(&text[t.start..t.end], &a.pos, &a.morph);
            }
        }
    }
}

fn morph_get<'a>(morph: &'a str, field: &str) -> Option<&'a str> {
    morph.split('|').find_map(|f| {
        let (k, v) = f.split_once('=')?;
        (k == field).then_some(v)
    })
}

/// English `is_base_form`: uninflected forms skip lemmatization.
fn is_base_form(univ_pos: &str, morph: &str) -> bool {
    let verb_form = morph_get(morph, "VerbForm");
    let degree = morph_get(morph, "Degree");
    (univ_pos == "noun" && morph_get(morph, "Number") == Some("Sing"))
        || (univ_pos == "verb" && verb_form == Some("Inf"))
        || (univ_pos == "verb"
            && verb_form == Some("Fin")
            && morph_get(morph, "Tense") == Some("Pres")
            && morph_get(morph, "Number").is_none())
        || (univ_pos == "adj" && degree == Some("Pos"))
        || verb_form == Some("Inf")
        || verb_form == Some("None")
        || degree == Some("Pos")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Lemmatizer {
        let mut tables = HashMap::new();
        tables.insert(
            string_id("noun"),
            PosTables {
                index: ["mouse", "box", "virus"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                exceptions: [("mice".to_string(), vec!["mouse".to_string()])]
                    .into_iter()
                    .collect(),
                rules: vec![("s".into(), "".into()), ("es".into(), "".into())],
            },
        );
        tables.insert(
            string_id("punct"),
            PosTables {
                rules: vec![("“".into(), "\"".into())],
                ..Default::default()
            },
        );
        Lemmatizer { tables }
    }

    #[test]
    fn rules_index_and_exceptions() {
        let l = tiny();
        assert_eq!(l.lemmatize("Boxes", "NOUN", "Number=Plur"), "box");
        assert_eq!(l.lemmatize("mice", "NOUN", "Number=Plur"), "mouse");
        assert_eq!(l.lemmatize("Cats", "NOUN", "Number=Plur"), "cat");
        assert_eq!(l.lemmatize("Cats", "NOUN", "Number=Sing"), "cats");
        assert_eq!(l.lemmatize("“", "PUNCT", "PunctSide=Ini"), "\"");
        assert_eq!(l.lemmatize("Paris", "PROPN", ""), "Paris");
        assert_eq!(l.lemmatize("Runs", "", ""), "runs");
        assert_eq!(l.lemmatize("s", "NOUN", "Number=Plur"), "s");
    }

    #[test]
    fn base_forms() {
        assert!(is_base_form("verb", "VerbForm=Inf"));
        assert!(is_base_form("verb", "Tense=Pres|VerbForm=Fin"));
        assert!(!is_base_form(
            "verb",
            "Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"
        ));
        assert!(is_base_form("adv", "Degree=Pos"));
    }
}
