//! The transition systems' action lists, from a component's `moves` file.
//!
//! The file is msgpack `{"moves": <JSON {action: {label: freq}}>, "cfg": ..}`.
//! The order of the actions is the order of the model's output classes, and
//! follows spaCy's `TransitionSystem.initialize_actions`: actions by their
//! key, labels by descending (frequency, label), labels with negative
//! frequencies last.

use std::path::Path;

use super::thinc::map_get;
use super::Error;

/// One action: a move type (the system's enum value) and its label ("" for
/// none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub mv: u8,
    pub label: String,
}

/// Which actions a system accepts from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// spaCy's `ArcEager`: every (move, label) pair.
    ArcEager,
    /// spaCy's `BiluoPushDown`: no MISSING (0); OUT (5) only unlabelled.
    Biluo,
}

pub fn load(path: &Path, kind: Kind) -> Result<Vec<Action>, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let err = |what: String| Error::Format {
        path: path.to_path_buf(),
        what,
    };
    let root = rmpv::decode::read_value(&mut &bytes[..])
        .map_err(|e| err(format!("not valid msgpack: {e}")))?;
    let json = match map_get(&root, "moves") {
        Some(rmpv::Value::String(s)) => s.as_str().unwrap_or_default().to_string(),
        Some(rmpv::Value::Binary(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => return Err(err("no 'moves' entry".into())),
    };
    let parsed: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| err(format!("moves are not JSON: {e}")))?;
    let obj = parsed
        .as_object()
        .ok_or_else(|| err("moves are not a JSON object".into()))?;
    let mut by_action = Vec::new();
    for (key, labels) in obj {
        let labels = labels
            .as_object()
            .ok_or_else(|| err(format!("moves[{key}] is not an object")))?;
        let mut freqs = Vec::new();
        for (label, freq) in labels {
            let f = freq
                .as_f64()
                .ok_or_else(|| err(format!("moves[{key}][{label}] is not a number")))?;
            freqs.push((label.clone(), f));
        }
        by_action.push((key.clone(), freqs));
    }
    initialize_actions(by_action, kind).map_err(err)
}

/// `TransitionSystem.initialize_actions` over `(action key, [(label, freq)])`.
pub fn initialize_actions(
    mut by_action: Vec<(String, Vec<(String, f64)>)>,
    kind: Kind,
) -> Result<Vec<Action>, String> {
    by_action.sort_by(|a, b| a.0.cmp(&b.0));
    let mut actions: Vec<Action> = Vec::new();
    let mut deferred: Vec<(f64, String)> = Vec::new();
    let mut deferred_moves: Vec<(String, Vec<u8>)> = Vec::new();
    for (key, labels) in by_action {
        let mv: u8 = key
            .parse()
            .map_err(|_| format!("action key {key:?} is not a number"))?;
        let mut sorted = labels;
        // Python: sorted([(freq, label)]) reversed → descending by both.
        sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
        for (label, freq) in sorted {
            if freq < 0.0 {
                deferred.push((freq, label.clone()));
                match deferred_moves.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, moves)) => moves.push(mv),
                    None => deferred_moves.push((label, vec![mv])),
                }
            } else {
                add_action(&mut actions, mv, &label, kind);
            }
        }
    }
    deferred.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    for (_, label) in deferred {
        if let Some((_, moves)) = deferred_moves.iter().find(|(l, _)| *l == label) {
            for &mv in moves {
                add_action(&mut actions, mv, &label, kind);
            }
        }
    }
    Ok(actions)
}

fn add_action(actions: &mut Vec<Action>, mv: u8, label: &str, kind: Kind) {
    if kind == Kind::Biluo && (mv == 0 || (mv == 5 && !label.is_empty())) {
        return;
    }
    if actions.iter().any(|a| a.mv == mv && a.label == label) {
        return;
    }
    actions.push(Action {
        mv,
        label: label.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
        pairs.iter().map(|(l, f)| (l.to_string(), *f)).collect()
    }

    #[test]
    fn orders_like_spacy() {
        let by_action = vec![
            (
                "3".to_string(),
                labels(&[("pobj", 10.0), ("punct", 10.0), ("dep", 30.0)]),
            ),
            ("0".to_string(), labels(&[("", 5.0)])),
            ("4".to_string(), labels(&[("ROOT", 1.0)])),
        ];
        let acts = initialize_actions(by_action, Kind::ArcEager).unwrap();
        let names: Vec<(u8, &str)> = acts.iter().map(|a| (a.mv, a.label.as_str())).collect();
        assert_eq!(
            names,
            vec![(0, ""), (3, "dep"), (3, "punct"), (3, "pobj"), (4, "ROOT")]
        );
    }

    #[test]
    fn biluo_skips_missing_and_labelled_out() {
        let by_action = vec![
            ("0".to_string(), labels(&[("X", 1.0)])),
            ("1".to_string(), labels(&[("ORG", 2.0), ("GPE", 3.0)])),
            ("4".to_string(), labels(&[("ORG", 2.0), ("", 1.0)])),
            ("5".to_string(), labels(&[("", 1.0), ("ORG", 1.0)])),
        ];
        let acts = initialize_actions(by_action, Kind::Biluo).unwrap();
        let names: Vec<(u8, &str)> = acts.iter().map(|a| (a.mv, a.label.as_str())).collect();
        assert_eq!(
            names,
            vec![(1, "GPE"), (1, "ORG"), (4, "ORG"), (4, ""), (5, "")]
        );
    }

    #[test]
    fn negative_frequencies_come_last() {
        let by_action = vec![
            ("2".to_string(), labels(&[("a", -2.0), ("b", 4.0)])),
            ("3".to_string(), labels(&[("a", -2.0), ("c", -1.0)])),
        ];
        let acts = initialize_actions(by_action, Kind::ArcEager).unwrap();
        let names: Vec<(u8, &str)> = acts.iter().map(|a| (a.mv, a.label.as_str())).collect();
        assert_eq!(names, vec![(2, "b"), (3, "c"), (2, "a"), (3, "a")]);
    }

    proptest::proptest! {
        #[test]
        fn every_labelled_action_once(
            entries in proptest::collection::vec((0u8..5, "[a-z]{0,3}", -3i32..5), 0..40)
        ) {
            let mut by_action: Vec<(String, Vec<(String, f64)>)> = Vec::new();
            for (mv, label, freq) in &entries {
                let key = mv.to_string();
                let pos = match by_action.iter().position(|(k, _)| *k == key) {
                    Some(p) => p,
                    None => {
                        by_action.push((key, Vec::new()));
                        by_action.len() - 1
                    }
                };
                let labels = &mut by_action[pos].1;
                if !labels.iter().any(|(l, _)| l == label) {
                    labels.push((label.clone(), f64::from(*freq)));
                }
            }
            let acts = initialize_actions(by_action.clone(), Kind::ArcEager).unwrap();
            for (i, a) in acts.iter().enumerate() {
                proptest::prop_assert!(!acts[..i].contains(a), "duplicate {a:?}");
            }
            for (key, labels) in &by_action {
                for (label, _) in labels {
                    let mv: u8 = key.parse().unwrap();
                    proptest::prop_assert!(acts.iter().any(|a| a.mv == mv && a.label == *label));
                }
            }
        }
    }
}
