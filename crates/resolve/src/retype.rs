//! The corpus's vote on a one-word name's type. The tagger types a bare
//! "Trump" as an organisation in some articles and "Twitter" as a person
//! in others; each such slip would found an entity of its own, since a
//! person is never an organisation. A one-word name that the corpus writes
//! as a person's name part far more often than with this document's type
//! (or the other way round) is taken with the corpus's type.

use crate::global::{CorpusStats, DOCUMENTS_KEY};
use crate::name::{class_of, plain_key, NameClass};
use crate::profile::{identity_key, name_keys, Profile};
use crate::state::EntityState;
use dossier_names::PersonName;

/// Types a one-word name may be written under besides a person.
const OTHER_LABELS: &[&str] = &["ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"];
/// How many times more often the corpus must use the other type.
const RATIO: u64 = 3;
/// Documents the winning type must be seen in.
const MIN_DOCS: u64 = 5;
/// The same when the word is also seldom inside a person's full name (the
/// two signs together need fewer documents).
const MIN_DOCS_FULLER: u64 = 3;
/// A one-word person's name written inside a fuller name in under one in
/// this many of its documents is not taken to be a person's name (news
/// names a person in full at first mention; "Twitter" is inside a "name"
/// only in tagger debris such as "Twitter @IanHanchett").
const FULLER_SHARE: u64 = 4;

/// The `fuller:` key counting the documents whose `fuller:` and `typed:`
/// counts were taken: a knowledge base built before them has neither for
/// its older documents, and there the vote falls back to what it read
/// before (identity keys; no fuller-name rule).
pub const FULLER_COUNTED: &str = "#counted";

fn all_counted(stats: &CorpusStats) -> bool {
    let counted = stats.fuller.get(FULLER_COUNTED).copied().unwrap_or(0);
    stats.documents > 0 && counted >= stats.documents
}

/// Documents that type `word` as `label`: by its spelling where the corpus
/// counted spellings, else by the entity's identity key, which for an
/// organisation is a consonant skeleton that "Twitter" shares with every
/// organisation named "Tower" or "Tier".
fn typed_count(stats: &CorpusStats, label: &str, word: &str, counted: bool) -> u64 {
    let n = if counted {
        stats.typed.get(&typed_key(label, word))
    } else {
        stats.keys.get(&identity_key(label, word))
    };
    n.copied().unwrap_or(0)
}

/// The `typed:` statistics key (without its prefix) of a one-word name
/// written under an entity type.
pub(crate) fn typed_key(label: &str, word: &str) -> String {
    format!("{label}:{word}")
}

/// The `typed:` key of a profile that is put to the vote under its own
/// type, if it is one.
pub(crate) fn typed_key_of(p: &Profile) -> Option<String> {
    if !OTHER_LABELS.contains(&p.label.as_str()) {
        return None;
    }
    one_word(p).map(|w| typed_key(&p.label, &w))
}

/// The `typed:` key of a profile named by a full name (two words or more),
/// under its own type: how often the corpus types that full name so.
pub(crate) fn full_name_typed_key(p: &Profile) -> Option<String> {
    if p.label != "PERSON" && !OTHER_LABELS.contains(&p.label.as_str()) {
        return None;
    }
    let key = plain_key(&p.name);
    (key.contains(' ') && p.head.is_none()).then(|| typed_key(&p.label, &key))
}

/// Documents typing a full name as a person, and as `p`'s type.
pub(crate) fn full_name_votes(p: &Profile, stats: &CorpusStats) -> (u64, u64) {
    let key = plain_key(&p.name);
    let n = |label: &str| {
        stats
            .typed
            .get(&typed_key(label, &key))
            .copied()
            .unwrap_or(0)
    };
    (n("PERSON"), n(&p.label))
}

/// The one word a profile is named by, when every name it has is that word.
pub(crate) fn one_word(p: &Profile) -> Option<String> {
    let key = plain_key(&p.name);
    let single = !key.is_empty()
        && !key.contains(' ')
        && p.names.iter().all(|n| plain_key(n) == key)
        && p.head.is_none();
    single.then_some(key)
}

/// The statistics key counting documents where `word`, spelled so, is part
/// of a person's name. The spelling counts, not the consonant skeleton:
/// "Tunisia" is not the nisba "al-Tunisi".
fn part_key(word: &str) -> Option<String> {
    let p = PersonName::parse(word);
    match p.parts.as_slice() {
        [x] => Some(x.core.clone()),
        _ => None,
    }
}

/// The statistics keys [`retype`] reads for this profile.
pub fn vote_keys(p: &Profile) -> Vec<String> {
    let Some(word) = one_word(p) else {
        // A full name typed otherwise is weighed against the documents
        // that type it a person ([`full_name_votes`]).
        let key = plain_key(&p.name);
        return match person_name_keys(p) {
            Some(_) => vec![
                format!("typed:{}", typed_key("PERSON", &key)),
                format!("typed:{}", typed_key(&p.label, &key)),
            ],
            None => Vec::new(),
        };
    };
    let mut out: Vec<String> = OTHER_LABELS
        .iter()
        .flat_map(|l| {
            [
                format!("key:{}", identity_key(l, &word)),
                format!("typed:{}", typed_key(l, &word)),
            ]
        })
        .collect();
    out.push(format!("fuller:{FULLER_COUNTED}"));
    out.push(DOCUMENTS_KEY.to_string());
    if let Some(k) = part_key(&word) {
        out.push(format!("word:{k}"));
        out.push(format!("fuller:{k}"));
    }
    out
}

/// The profile under the type the corpus votes for, with the reason, when
/// the vote is clear and differs from the document's type.
pub fn retype(p: &Profile, stats: &CorpusStats) -> Option<(Profile, String)> {
    let word = one_word(p)?;
    let part = part_key(&word)?;
    let as_person = stats.words.get(&part).copied().unwrap_or(0);
    let in_fuller = stats.fuller.get(&part).copied().unwrap_or(0);
    let counted = all_counted(stats);
    let typed = |l: &str| typed_count(stats, l, &word, counted);
    let (label, reason) = if class_of(&p.label) == NameClass::Person {
        let (other, n) = OTHER_LABELS
            .iter()
            .map(|l| (*l, typed(l)))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
        if n < MIN_DOCS_FULLER {
            return None;
        }
        let why = if n >= MIN_DOCS && n >= RATIO * as_person.max(1) {
            format!(
                "typed PERSON here; the corpus types \"{}\" {other} in {n} documents and names a person with it in {as_person}",
                p.name
            )
        } else if in_fuller * FULLER_SHARE < as_person && counted {
            // A person named by one word is named in full somewhere in a
            // corpus; a word seldom written inside anyone's full name, and
            // typed otherwise in several documents, is no person's name.
            format!(
                "typed PERSON here; the corpus writes \"{}\" inside a person's full name in only {in_fuller} of its {as_person} documents and types it {other} in {n}",
                p.name
            )
        } else {
            return None;
        };
        (other, why)
    } else if OTHER_LABELS.contains(&p.label.as_str()) {
        let n = typed(&p.label);
        if as_person < MIN_DOCS || as_person < RATIO * n.max(1) {
            return None;
        }
        // A word the corpus seldom writes inside anyone's full name is no
        // person's name, however often the tagger calls it one: the vote
        // above sends that "person" here, and must not send this back.
        if counted && in_fuller * FULLER_SHARE < as_person && n >= MIN_DOCS_FULLER {
            return None;
        }
        let why = format!(
            "typed {} here; the corpus names a person with \"{}\" in {as_person} documents and types it {} in {n}",
            p.label, p.name, p.label
        );
        ("PERSON", why)
    } else {
        return None;
    };
    let mut q = p.clone();
    q.label = label.to_string();
    q.keys = name_keys(label, &q.names, q.head.as_deref());
    Some((q, reason))
}

/// A full name the tagger typed otherwise in this document ("Wladimir
/// Klitschko" as a place), as the person it may be: the profile under the
/// person type, to look the name up among people. Names an organisation
/// would have ("Hartley Foundation") are not.
pub fn as_person_name(p: &Profile) -> Option<Profile> {
    let keys = person_name_keys(p)?;
    let mut q = p.clone();
    q.label = "PERSON".to_string();
    q.keys = keys;
    Some(q)
}

/// The blocking keys of [`as_person_name`]'s profile, without making it.
pub fn person_name_keys(p: &Profile) -> Option<Vec<String>> {
    if !OTHER_LABELS.contains(&p.label.as_str()) || dossier_names::looks_like_org(&p.name) {
        return None;
    }
    let parsed = PersonName::parse(&p.name);
    let words = plain_key(&p.name).split(' ').count();
    if parsed.parts.len() < 2 || words != parsed.parts.len() {
        return None;
    }
    Some(name_keys("PERSON", &p.names, p.head.as_deref()))
}

/// A stored entity as the profile the vote reads: its type, names and
/// head word. Only what [`retype`] and [`vote_keys`] look at is filled.
fn as_profile(s: &EntityState) -> Profile {
    let label = s.label();
    let names: Vec<String> = s.names.iter().map(|u| u.text.clone()).collect();
    Profile {
        doc: String::new(),
        local: 0,
        keys: Vec::new(),
        name: s.display_name(),
        names,
        label,
        aliases: Vec::new(),
        co: Vec::new(),
        places: Vec::new(),
        terms: Default::default(),
        descriptions: Vec::new(),
        ambiguous: s.ambiguous,
        mentions: s.mentions as usize,
        head: s.head.clone(),
        evidence: (0, 0, String::new()),
        fates: Vec::new(),
        gender: None,
    }
}

/// The type the corpus now votes for a stored entity named by one word,
/// with the reason, when it differs from the entity's: the vote is taken
/// as documents arrive, so an entity made before the corpus had spoken
/// ("Rotterdam" typed PERSON in the first chunks of a build) is put to it
/// again when a later chunk loads it.
/// Only entities named by one of `words` are put to the vote (those whose
/// counts `stats` holds).
pub fn retype_entity(
    s: &EntityState,
    stats: &CorpusStats,
    words: &std::collections::HashSet<String>,
) -> Option<(String, String)> {
    let first = s.names.first()?;
    if !words.contains(&plain_key(&first.text)) {
        return None;
    }
    retype(&as_profile(s), stats).map(|(q, why)| (q.label, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(label: &str, name: &str) -> Profile {
        crate::profile::test_profile(label, name)
    }

    fn stats(counts: &[(String, u64)]) -> CorpusStats {
        CorpusStats::from_counts(counts.iter().cloned())
    }

    fn part(word: &str) -> String {
        format!("word:{}", part_key(word).expect("one part"))
    }

    fn spelled(label: &str, word: &str) -> String {
        format!("typed:{}", typed_key(label, &plain_key(word)))
    }

    fn typed(label: &str, word: &str) -> String {
        format!("key:{}", identity_key(label, word))
    }

    #[test]
    fn a_surname_typed_as_an_organisation_is_the_persons_when_the_corpus_says_so() {
        let p = profile("ORG", "Whitfield");
        let s = stats(&[(part("Whitfield"), 40), (typed("ORG", "Whitfield"), 6)]);
        let (q, why) = retype(&p, &s).expect("retyped");
        assert_eq!(q.label, "PERSON");
        assert!(
            q.keys.iter().any(|k| k.starts_with("PERSON:")),
            "{:?}",
            q.keys
        );
        assert!(why.contains("40"), "{why}");
        // A company the corpus mostly writes as a company stays one.
        let s = stats(&[(part("Whitfield"), 10), (typed("ORG", "Whitfield"), 30)]);
        assert!(retype(&p, &s).is_none());
    }

    #[test]
    fn a_company_typed_as_a_person_is_the_companys_when_the_corpus_says_so() {
        let p = profile("PERSON", "Chirpster");
        let s = stats(&[(part("Chirpster"), 2), (typed("ORG", "Chirpster"), 25)]);
        let (q, _) = retype(&p, &s).expect("retyped");
        assert_eq!(q.label, "ORG");
        // Too few documents either way: the document's type stands.
        let s = stats(&[(part("Chirpster"), 1), (typed("ORG", "Chirpster"), 4)]);
        assert!(retype(&p, &s).is_none());
    }

    #[test]
    fn a_word_never_inside_a_full_name_is_no_persons_name() {
        let p = profile("PERSON", "Chirpster");
        let counted = |docs: u64| {
            vec![
                ("#documents".to_string(), docs),
                (format!("fuller:{FULLER_COUNTED}"), docs),
            ]
        };
        // Typed a person in 90 documents, inside a "full name" only in the
        // tagger's debris of 10, and a product in 6: a product, and the
        // reason says so.
        let mut c = counted(200);
        c.extend([
            (part("Chirpster"), 90),
            ("fuller:chirpster".into(), 10),
            (spelled("PRODUCT", "Chirpster"), 6),
        ]);
        let (q, why) = retype(&p, &stats(&c)).expect("retyped");
        assert_eq!(q.label, "PRODUCT");
        assert!(why.contains("full name"), "{why}");
        // Never inside a full name, three documents of the other type are
        // enough ("Rotterdam" typed a person in 14, a place in 3); two are
        // not.
        c[3].1 = 0;
        c[4].1 = 3;
        assert_eq!(
            retype(&p, &stats(&c)).map(|(q, _)| q.label),
            Some("PRODUCT".into())
        );
        // ... and the product's own documents are not sent back to the
        // "person" by the majority the tagger gave it.
        let product = profile("PRODUCT", "Chirpster");
        assert!(retype(&product, &stats(&c)).is_none());
        c[4].1 = 2;
        assert!(retype(&p, &stats(&c)).is_none());
        c[4].1 = 6;
        // A surname the corpus also writes in full stays a person's.
        c[3].1 = 80;
        assert!(retype(&p, &stats(&c)).is_none());
        // A knowledge base whose older documents were counted without
        // fuller names cannot tell: the document's type stands.
        let mut c = counted(200);
        c[1].1 = 150;
        c.extend([(part("Chirpster"), 90), (typed("PRODUCT", "Chirpster"), 6)]);
        assert!(retype(&p, &stats(&c)).is_none());
    }

    #[test]
    fn the_vote_counts_an_organisations_spelling_not_its_skeleton() {
        let p = profile("PERSON", "Chirpster");
        let docs = 200;
        let mut c = vec![
            ("#documents".to_string(), docs),
            (format!("fuller:{FULLER_COUNTED}"), docs),
            (part("Chirpster"), 90),
            (spelled("PRODUCT", "Chirpster"), 6),
            (spelled("ORG", "Chirpster"), 2),
        ];
        // Many organisations share the skeleton of "Chirpster"; only the
        // word spelled so counts.
        c.push((typed("ORG", "Chirpster"), 40));
        let (q, _) = retype(&p, &stats(&c)).expect("retyped");
        assert_eq!(q.label, "PRODUCT");
    }

    #[test]
    fn a_place_is_not_a_person_through_a_nisba_spelled_alike() {
        // "al-Tunisi" names many people; "Tunisia" is still a country.
        let p = profile("GPE", "Tunisia");
        let s = stats(&[(part("Tunisi"), 40), (typed("GPE", "Tunisia"), 1)]);
        assert!(retype(&p, &s).is_none());
    }

    #[test]
    fn only_one_word_names_are_put_to_the_vote() {
        let p = profile("ORG", "Whitfield Partners");
        let s = stats(&[(part("Whitfield"), 40)]);
        assert!(retype(&p, &s).is_none());
        // Only how often the full name is typed a person or so is read.
        assert_eq!(
            vote_keys(&p),
            vec![
                "typed:PERSON:whitfield partners".to_string(),
                "typed:ORG:whitfield partners".to_string()
            ]
        );
    }
}
