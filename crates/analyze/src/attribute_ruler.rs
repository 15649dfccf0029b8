//! spaCy's attribute ruler: token patterns from `attribute_ruler/patterns`
//! that set POS, MORPH, LEMMA (and TAG/DEP) on the matched token.
//!
//! Semantics follow spaCy 3.8: all patterns are matched against the doc as
//! it is before the ruler runs; matches are then applied in rule order
//! (ties by start, end), so later rules override earlier ones.

use std::path::Path;

use rmpv::Value;

use crate::lexeme::{is_alpha, is_space, lower};
use crate::tokenizer::pyre::PyRegex;
use crate::tokenizer::{check_model_dir, format_err, read_msgpack, Error, RawToken};

/// Token annotations the ruler reads and writes. Empty strings mean unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenAnnot {
    /// Fine-grained tag (from the tagger).
    pub tag: String,
    /// Dependency label (from the parser).
    pub dep: String,
    /// Coarse part of speech.
    pub pos: String,
    /// Morphological features in spaCy's "Field=Value|..." form.
    pub morph: String,
    pub lemma: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attr {
    Orth,
    Lower,
    Tag,
    Dep,
    Pos,
    Lemma,
    Morph,
    IsSpace,
    IsAlpha,
}

impl Attr {
    fn parse(name: &str) -> Option<Attr> {
        Some(match name {
            "ORTH" | "TEXT" => Attr::Orth,
            "LOWER" => Attr::Lower,
            "TAG" => Attr::Tag,
            "DEP" => Attr::Dep,
            "POS" => Attr::Pos,
            "LEMMA" => Attr::Lemma,
            "MORPH" => Attr::Morph,
            "IS_SPACE" => Attr::IsSpace,
            "IS_ALPHA" => Attr::IsAlpha,
            _ => return None,
        })
    }
}

#[derive(Debug)]
enum Test {
    Eq(String),
    Bool(bool),
    In(Vec<String>),
    NotIn(Vec<String>),
    Regex(PyRegex),
}

/// One token spec of a pattern: every (attribute, test) must hold.
#[derive(Debug)]
struct TokenSpec(Vec<(Attr, Test)>);

#[derive(Debug, Default, Clone)]
struct SetAttrs {
    pos: Option<String>,
    morph: Option<String>,
    lemma: Option<String>,
    tag: Option<String>,
    dep: Option<String>,
}

#[derive(Debug)]
struct Rule {
    patterns: Vec<Vec<TokenSpec>>,
    attrs: SetAttrs,
    index: i64,
}

/// Per-token view used while matching.
struct TokenView<'a> {
    orth: &'a str,
    lower: &'a str,
    annot: &'a TokenAnnot,
}

#[derive(Debug)]
pub struct AttributeRuler {
    rules: Vec<Rule>,
}

/// spaCy's canonical MORPH string: features sorted by field, "_" = empty.
pub fn normalize_morph(s: &str) -> String {
    if s.is_empty() || s == "_" {
        return String::new();
    }
    let mut feats: Vec<&str> = s.split('|').filter(|f| !f.is_empty()).collect();
    feats.sort_by(|a, b| {
        let fa = a.split('=').next().unwrap_or(a);
        let fb = b.split('=').next().unwrap_or(b);
        fa.cmp(fb)
    });
    feats.dedup();
    feats.join("|")
}

impl AttributeRuler {
    /// Loads `<model_dir>/attribute_ruler/patterns`.
    pub fn load(model_dir: &Path) -> Result<AttributeRuler, Error> {
        check_model_dir(model_dir)?;
        let path = model_dir.join("attribute_ruler").join("patterns");
        let data = read_msgpack(&path)?;
        Self::from_value(&data, &path)
    }

    fn from_value(data: &Value, path: &Path) -> Result<AttributeRuler, Error> {
        let items = data
            .as_array()
            .ok_or_else(|| format_err(path, "patterns: not a list"))?;
        let mut rules = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            let bad = |what: &str| format_err(path, format!("rule {n}: {what}"));
            let get = |key: &str| crate::tokenizer::map_get(item, key);
            let pats = get("patterns")
                .and_then(Value::as_array)
                .ok_or_else(|| bad("no patterns list"))?;
            let mut patterns = Vec::new();
            for pat in pats {
                let specs = pat.as_array().ok_or_else(|| bad("pattern is not a list"))?;
                let mut tokens = Vec::new();
                for spec in specs {
                    tokens.push(parse_spec(spec).map_err(|e| bad(&e))?);
                }
                if tokens.is_empty() {
                    return Err(bad("empty pattern"));
                }
                patterns.push(tokens);
            }
            let mut attrs = SetAttrs::default();
            if let Some(map) = get("attrs").and_then(Value::as_map) {
                for (k, v) in map {
                    let key = k.as_str().ok_or_else(|| bad("attribute name"))?;
                    let val = v
                        .as_str()
                        .ok_or_else(|| bad(&format!("{key}: value is not a string")))?
                        .to_string();
                    match key {
                        "POS" => attrs.pos = Some(val),
                        "MORPH" => attrs.morph = Some(normalize_morph(&val)),
                        "LEMMA" => attrs.lemma = Some(val),
                        "TAG" => attrs.tag = Some(val),
                        "DEP" => attrs.dep = Some(val),
                        other => return Err(bad(&format!("cannot set attribute {other}"))),
                    }
                }
            }
            let index = get("index").and_then(Value::as_i64).unwrap_or(0);
            rules.push(Rule {
                patterns,
                attrs,
                index,
            });
        }
        Ok(AttributeRuler { rules })
    }

    /// Applies the rules to `annots` (one per token, holding the tagger's
    /// tags and the parser's labels).
    pub fn apply(&self, text: &str, tokens: &[RawToken], annots: &mut [TokenAnnot]) {
        let n = tokens.len().min(annots.len());
        let lowers: Vec<String> = tokens[..n]
            .iter()
            .map(|t| lower(&text[t.start..t.end]))
            .collect();
        // Match everything first, against the annotations before the ruler.
        let mut hits: Vec<(usize, usize)> = Vec::new(); // (rule, token to set)
        {
            let views: Vec<TokenView> = (0..n)
                .map(|i| TokenView {
                    orth: &text[tokens[i].start..tokens[i].end],
                    lower: &lowers[i],
                    annot: &annots[i],
                })
                .collect();
            for (r, rule) in self.rules.iter().enumerate() {
                let mut spans: Vec<(usize, usize)> = Vec::new();
                for pat in &rule.patterns {
                    for start in 0..n {
                        let end = start + pat.len();
                        if end <= n
                            && pat
                                .iter()
                                .zip(&views[start..end])
                                .all(|(s, v)| s.matches(v))
                        {
                            spans.push((start, end));
                        }
                    }
                }
                spans.sort_unstable();
                spans.dedup();
                for (s, e) in spans {
                    let len = (e - s) as i64;
                    let idx = if rule.index < 0 {
                        len + rule.index
                    } else {
                        rule.index
                    };
                    if (0..len).contains(&idx) {
                        hits.push((r, s + idx as usize));
                    }
                }
            }
        }
        for (r, i) in hits {
            let a = &self.rules[r].attrs;
            let t = &mut annots[i];
            if let Some(v) = &a.pos {
                t.pos.clone_from(v);
            }
            if let Some(v) = &a.morph {
                t.morph.clone_from(v);
            }
            if let Some(v) = &a.lemma {
                t.lemma.clone_from(v);
            }
            if let Some(v) = &a.tag {
                t.tag.clone_from(v);
            }
            if let Some(v) = &a.dep {
                t.dep.clone_from(v);
            }
        }
    }
}

fn parse_spec(spec: &Value) -> Result<TokenSpec, String> {
    let map = spec.as_map().ok_or("token spec is not a map")?;
    let mut tests = Vec::new();
    for (k, v) in map {
        let name = k.as_str().ok_or("attribute name is not a string")?;
        if name == "OP" {
            return Err("operators (OP) are not supported".into());
        }
        let attr = Attr::parse(name).ok_or_else(|| format!("unsupported attribute {name}"))?;
        let test = match v {
            Value::String(s) => Test::Eq(s.as_str().ok_or("invalid UTF-8")?.to_string()),
            Value::Boolean(b) => Test::Bool(*b),
            Value::Map(m) => {
                if m.len() != 1 {
                    return Err(format!("{name}: one predicate per attribute supported"));
                }
                let (pk, pv) = &m[0];
                let strings = || -> Result<Vec<String>, String> {
                    pv.as_array()
                        .ok_or("predicate value is not a list")?
                        .iter()
                        .map(|x| {
                            x.as_str()
                                .map(str::to_string)
                                .ok_or_else(|| "list item is not a string".to_string())
                        })
                        .collect()
                };
                match pk.as_str() {
                    Some("IN") => Test::In(strings()?),
                    Some("NOT_IN") => Test::NotIn(strings()?),
                    Some("REGEX") => {
                        let src = pv.as_str().ok_or("REGEX value is not a string")?;
                        Test::Regex(PyRegex::new(src).map_err(|e| e.to_string())?)
                    }
                    other => return Err(format!("{name}: unsupported predicate {other:?}")),
                }
            }
            _ => return Err(format!("{name}: unsupported value")),
        };
        tests.push((attr, test));
    }
    Ok(TokenSpec(tests))
}

impl TokenSpec {
    fn matches(&self, t: &TokenView) -> bool {
        self.0.iter().all(|(attr, test)| {
            let value: &str = match attr {
                Attr::Orth => t.orth,
                Attr::Lower => t.lower,
                Attr::Tag => &t.annot.tag,
                Attr::Dep => &t.annot.dep,
                Attr::Pos => &t.annot.pos,
                Attr::Lemma => &t.annot.lemma,
                Attr::Morph => &t.annot.morph,
                Attr::IsSpace | Attr::IsAlpha => {
                    let flag = if *attr == Attr::IsSpace {
                        is_space(t.orth)
                    } else {
                        is_alpha(t.orth)
                    };
                    return match test {
                        Test::Bool(b) => flag == *b,
                        _ => false,
                    };
                }
            };
            match test {
                Test::Eq(s) => value == s,
                Test::Bool(_) => false,
                Test::In(list) => list.iter().any(|s| s == value),
                Test::NotIn(list) => !list.iter().any(|s| s == value),
                Test::Regex(re) => re.search(value).is_some(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    fn rule(pattern: Vec<Vec<(&str, Value)>>, attrs: Vec<(&str, &str)>, index: i64) -> Value {
        Value::Map(vec![
            (
                s("patterns"),
                Value::Array(vec![Value::Array(
                    pattern
                        .into_iter()
                        .map(|tok| Value::Map(tok.into_iter().map(|(k, v)| (s(k), v)).collect()))
                        .collect(),
                )]),
            ),
            (
                s("attrs"),
                Value::Map(attrs.into_iter().map(|(k, v)| (s(k), s(v))).collect()),
            ),
            (s("index"), Value::from(index)),
        ])
    }

    #[test]
    fn later_rules_win_and_match_on_original_values() {
        let data = Value::Array(vec![
            rule(
                vec![vec![("TAG", s("VBZ"))]],
                vec![("POS", "VERB"), ("MORPH", "VerbForm=Fin|Tense=Pres")],
                0,
            ),
            rule(
                vec![vec![
                    ("TAG", s("VBZ")),
                    (
                        "LOWER",
                        Value::Map(vec![(s("IN"), Value::Array(vec![s("is")]))]),
                    ),
                ]],
                vec![("POS", "AUX"), ("LEMMA", "be"), ("TAG", "XX")],
                0,
            ),
            // Still sees TAG=VBZ although the rule above rewrote it.
            rule(
                vec![
                    vec![("TAG", s("VBZ"))],
                    vec![("LOWER", Value::Map(vec![(s("REGEX"), s("^n'?t$"))]))],
                ],
                vec![("LEMMA", "x")],
                1,
            ),
            rule(
                vec![vec![("IS_SPACE", Value::Boolean(true))]],
                vec![("POS", "SPACE"), ("MORPH", "_")],
                0,
            ),
        ]);
        let ruler = AttributeRuler::from_value(&data, Path::new("t")).unwrap();
        let text = "Is n't \n";
        let toks = [(0, 2), (3, 6), (7, 8)].map(|(a, b)| RawToken {
            start: a,
            end: b,
            whitespace: false,
            norm: None,
        });
        let mut annots = vec![
            TokenAnnot {
                tag: "VBZ".into(),
                ..Default::default()
            },
            TokenAnnot {
                tag: "RB".into(),
                ..Default::default()
            },
            TokenAnnot {
                tag: "_SP".into(),
                morph: "A=B".into(),
                ..Default::default()
            },
        ];
        ruler.apply(text, &toks, &mut annots);
        assert_eq!(annots[0].pos, "AUX");
        assert_eq!(annots[0].lemma, "be");
        assert_eq!(annots[0].tag, "XX");
        assert_eq!(annots[0].morph, "Tense=Pres|VerbForm=Fin");
        assert_eq!(annots[1].lemma, "x");
        assert_eq!(annots[2].pos, "SPACE");
        assert_eq!(annots[2].morph, "");
    }

    #[test]
    fn morph_normalization() {
        assert_eq!(normalize_morph("_"), "");
        assert_eq!(
            normalize_morph("Tense=Past|Mood=Ind"),
            "Mood=Ind|Tense=Past"
        );
    }
}
