//! Country names, codes and nationality adjectives resolved to ISO 3166-1
//! alpha-2 codes with the table in `data/countries.tsv`.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A country as written, with its ISO code when the table knows the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case ("EG").
    pub code: Option<String>,
    /// As written on the list or in the query ("Egypt", "Egyptian").
    pub name: String,
}

impl Country {
    /// Resolve a name, code or nationality adjective ("Egypt", "EG",
    /// "Egyptian", "Iran (Islamic Republic of)").
    pub fn resolve(written: &str) -> Country {
        let name = written.split_whitespace().collect::<Vec<_>>().join(" ");
        Country {
            code: lookup(&name).map(str::to_string),
            name,
        }
    }

    /// Same country: same code, or the same folded name when either code
    /// is unknown.
    pub fn same(&self, other: &Country) -> bool {
        match (&self.code, &other.code) {
            (Some(a), Some(b)) => a == b,
            _ => key(&self.name) == key(&other.name),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Lowercase ASCII letters and single spaces: "Korea, North" -> "korea north".
fn key(s: &str) -> String {
    let folded = dossier_names::fold::fold_latin(s);
    let mut out = String::with_capacity(folded.len());
    for w in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| parse_table(include_str!("../data/countries.tsv")))
}

fn parse_table(text: &'static str) -> HashMap<String, &'static str> {
    let mut map = HashMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((code, names)) = line.split_once('\t') else {
            continue;
        };
        map.insert(key(code), code);
        for n in names.split('|') {
            map.entry(key(n)).or_insert(code);
        }
    }
    map
}

fn lookup(name: &str) -> Option<&'static str> {
    let k = key(name);
    if k.is_empty() {
        return None;
    }
    if let Some(c) = table().get(&k) {
        return Some(c);
    }
    // "Iran (Islamic Republic of)" -> "Iran"; "Cairo, Egypt" -> "Egypt".
    let before_paren = key(name.split('(').next().unwrap_or(""));
    if let Some(c) = table().get(&before_paren) {
        return Some(c);
    }
    let after_comma = key(name.rsplit(',').next().unwrap_or(""));
    table().get(&after_comma).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_adjectives_resolve() {
        for s in ["Egypt", "EG", "egyptian", "EGY", " Egypt "] {
            assert_eq!(Country::resolve(s).code.as_deref(), Some("EG"), "{s}");
        }
        assert_eq!(
            Country::resolve("Iran (Islamic Republic of)")
                .code
                .as_deref(),
            Some("IR")
        );
        assert_eq!(Country::resolve("Korea, North").code.as_deref(), Some("KP"));
        assert_eq!(
            Country::resolve("Syrian Arab Republic").code.as_deref(),
            Some("SY")
        );
        assert_eq!(Country::resolve("Giza, Egypt").code.as_deref(), Some("EG"));
        assert_eq!(Country::resolve("Atlantis").code, None);
        assert_eq!(Country::resolve("").code, None);
    }

    #[test]
    fn sameness_by_code_then_name() {
        assert!(Country::resolve("Egypt").same(&Country::resolve("Egyptian")));
        assert!(!Country::resolve("Egypt").same(&Country::resolve("Iraq")));
        assert!(Country::resolve("Atlantis").same(&Country::resolve("ATLANTIS")));
    }

    #[test]
    fn table_rows_are_well_formed() {
        for line in include_str!("../data/countries.tsv").lines() {
            if line.starts_with('#') {
                continue;
            }
            let (code, names) = line.split_once('\t').expect("code<TAB>names");
            assert_eq!(code.len(), 2, "{line}");
            assert!(code.chars().all(|c| c.is_ascii_uppercase()), "{line}");
            assert!(!names.is_empty(), "{line}");
        }
    }
}
