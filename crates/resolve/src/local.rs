//! Within-document resolution: which mentions in one article are the same
//! entity.
//!
//! Fuller names are placed first; shorter and variant names then join the
//! one name they fit ("Al-Masri" → "Abu Mohammed al-Masri", "Mr Pompeo" →
//! "Mike Pompeo"). A short name that fits several people is given to the
//! nearest one before it when that is unambiguous, and otherwise left on
//! its own: never merged blindly. Alias cues join names outright, and
//! "he"/"she" join a person only when one person is the clear antecedent.

use crate::cues::{self, DescriptionCue, Tokens};
use crate::name::{class_of, matching_text, EntityName, NameClass};
use dossier_core::parse::{Doc, PronounLink};
use dossier_core::{MentionKind, ENTITY_LABELS};
use dossier_names::{Gender, PartStats, Verdict};

/// A mention given to the resolver (an NER span, or a gold mention in
/// evaluations). Offsets are bytes into the document text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionInput {
    pub start: usize,
    pub end: usize,
    /// OntoNotes label; `None` lets the resolver decide (pronoun or
    /// nominal, or the label of an NER entity with the same span).
    pub label: Option<String>,
}

impl MentionInput {
    /// The pipeline's named entities (not dates and numbers), as the
    /// mentions to resolve. Spans of `text` that are not names (amounts,
    /// table rows, single letters; see [`dossier_names::not_a_name`]) are
    /// left out.
    pub fn from_ner(text: &str, doc: &Doc) -> Vec<MentionInput> {
        doc.ents
            .iter()
            .filter(|e| ENTITY_LABELS.contains(&e.label.as_str()))
            .filter(|e| {
                text.get(e.start..e.end)
                    .is_some_and(|t| dossier_names::not_a_name(t).is_none())
            })
            .map(|e| MentionInput {
                start: e.start,
                end: e.end,
                label: Some(e.label.clone()),
            })
            .collect()
    }
}

/// One mention of a local entity. Offsets are bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMention {
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
    /// Why it belongs to its entity ("first mention", "short form of ...").
    pub how: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    /// The cue, e.g. "also known as".
    pub cue: String,
    /// Bytes spanning both names and the cue.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalDescription {
    pub text: String,
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
}

/// An entity as one document knows it.
#[derive(Debug, Clone)]
pub struct LocalEntity {
    pub label: String,
    /// The fullest name written in the document (matching form).
    pub name: String,
    /// Every distinct name (matching form), aliases included.
    pub names: Vec<String>,
    pub mentions: Vec<LocalMention>,
    pub aliases: Vec<Alias>,
    pub descriptions: Vec<LocalDescription>,
    /// A short name that fit several entities and was left on its own.
    pub ambiguous: bool,
    /// Head word (lower case) of a nominal entity.
    pub head: Option<String>,
    /// Whether a person is a woman or a man, when the document says so.
    pub gender: Option<Gender>,
}

struct Cluster {
    label: String,
    class: NameClass,
    names: Vec<(String, EntityName)>,
    mentions: Vec<(LocalMention, Tokens)>,
    aliases: Vec<Alias>,
    descriptions: Vec<LocalDescription>,
    ambiguous: bool,
    head: Option<String>,
    /// Whether it is a woman or a man, from a name ("Mrs. Reagan",
    /// "Nancy Reagan") or a pronoun linked to it.
    gender: Option<Gender>,
    /// Some mention of it came with an introducing appositive.
    introduced: bool,
}

impl Cluster {
    fn best(&self) -> Option<&EntityName> {
        self.names
            .iter()
            .max_by(|a, b| {
                a.1.size()
                    .cmp(&b.1.size())
                    .then(b.0.len().cmp(&a.0.len()).reverse())
            })
            .map(|(_, n)| n)
    }
}

struct Cand {
    start: usize,
    end: usize,
    tokens: Tokens,
    label: String,
    kind: MentionKind,
    name: Option<(String, EntityName)>,
    head: Option<String>,
    sent: usize,
    /// A full name introduced with its own appositive ("X, a researcher").
    intro: bool,
    /// What the name and the honorific before it say of the gender.
    gender: Option<Gender>,
    /// What the pronouns the pipeline links to this name say of the
    /// gender, when they agree: only for choosing among people the name
    /// fits, never given to the entity (a wrong link must not part a man
    /// from himself across documents).
    pronoun_gender: Option<Gender>,
}

const PRONOUNS_M: &[&str] = &["he", "him", "his", "himself"];
const PRONOUNS_F: &[&str] = &["she", "her", "hers", "herself"];

/// Resolves the mentions of one document. Pronouns join the entity the
/// pipeline's one pronoun resolution links them to (`pronouns`).
pub fn resolve_document(
    text: &str,
    doc: &Doc,
    mentions: &[MentionInput],
    stats: &PartStats,
    pronouns: &[PronounLink],
) -> Vec<LocalEntity> {
    let pronoun_links = pronouns;
    let mut cands = candidates(text, doc, mentions, pronoun_links);
    // Fuller names first, then in text order.
    cands.sort_by(|a, b| {
        let size = |c: &Cand| c.name.as_ref().map_or(0, |(_, n)| n.size());
        size(b).cmp(&size(a)).then(a.start.cmp(&b.start))
    });
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut pronouns = Vec::new();
    let mut nominals = Vec::new();
    for c in cands {
        match c.kind {
            MentionKind::Pronoun => pronouns.push(c),
            MentionKind::Nominal => nominals.push(c),
            MentionKind::Name => place_name(&mut clusters, c, doc, stats),
        }
    }
    apply_aliases(text, doc, &mut clusters);
    add_descriptions(text, doc, &mut clusters);
    nominals.sort_by_key(|c| c.start);
    for c in nominals {
        if !link_nominal(&mut clusters, &c, doc) {
            place_nominal(&mut clusters, c);
        }
    }
    pronouns.sort_by_key(|c| c.start);
    let links: std::collections::HashMap<usize, usize> =
        pronoun_links.iter().map(|l| (l.token, l.ent)).collect();
    for p in pronouns {
        if !link_relative(&mut clusters, &p, doc) {
            place_pronoun(&mut clusters, p, doc, &links);
        }
    }
    clusters
        .into_iter()
        .filter(|c| !c.mentions.is_empty())
        .map(finish)
        .collect()
}

fn finish(mut c: Cluster) -> LocalEntity {
    c.mentions.sort_by_key(|(m, _)| (m.start, m.end));
    c.mentions.dedup_by_key(|(m, _)| (m.start, m.end));
    let name = c
        .best()
        .map(|n| n.text().to_string())
        .or_else(|| c.head.clone())
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for (n, _) in &c.names {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    LocalEntity {
        label: c.label,
        name,
        names,
        mentions: c.mentions.into_iter().map(|(m, _)| m).collect(),
        aliases: c.aliases,
        descriptions: c.descriptions,
        ambiguous: c.ambiguous,
        head: c.head,
        gender: c.gender,
    }
}

/// What a person's name says of the gender, or the honorific written just
/// before it when the tagger left it out of the name ("Mrs. | Reagan").
fn name_gender(name: &EntityName, doc: &Doc, first: usize) -> Option<Gender> {
    let EntityName::Person(p) = name else {
        return None;
    };
    p.gender().or_else(|| {
        let before = doc.tokens.get(first.checked_sub(1)?)?;
        dossier_names::title_gender(&before.text)
    })
}

/// The gender of the personal pronouns the pipeline links to the named
/// entity at `tokens`, when there is at least one and they all agree.
fn linked_gender(doc: &Doc, links: &[PronounLink], tokens: &Tokens) -> Option<Gender> {
    let mut seen: Option<Gender> = None;
    for l in links {
        let Some(e) = doc.ents.get(l.ent) else {
            continue;
        };
        if e.end_token <= tokens.start || tokens.end <= e.start_token {
            continue;
        }
        let Some(t) = doc.tokens.get(l.token) else {
            continue;
        };
        let lower = t.text.to_lowercase();
        let g = if PRONOUNS_M.contains(&lower.as_str()) {
            Gender::Male
        } else if PRONOUNS_F.contains(&lower.as_str()) {
            Gender::Female
        } else {
            continue;
        };
        if seen.is_some_and(|s| s != g) {
            return None;
        }
        seen = Some(g);
    }
    seen
}

/// Whether two genders contradict each other (both known and different).
fn clash(a: Option<Gender>, b: Option<Gender>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

fn token_range(doc: &Doc, start: usize, end: usize) -> Tokens {
    let first = doc
        .tokens
        .iter()
        .position(|t| t.end > start)
        .unwrap_or(doc.tokens.len());
    let last = doc
        .tokens
        .iter()
        .rposition(|t| t.start < end)
        .map_or(first, |i| i + 1);
    first..last.max(first)
}

fn sentence_of(doc: &Doc, token: usize) -> usize {
    doc.sents
        .iter()
        .position(|r| r.contains(&token))
        .unwrap_or(0)
}

fn candidates(
    text: &str,
    doc: &Doc,
    mentions: &[MentionInput],
    links: &[PronounLink],
) -> Vec<Cand> {
    let mut out = Vec::new();
    let mut covered = vec![false; doc.tokens.len()];
    for m in mentions {
        if m.start >= m.end
            || m.end > text.len()
            || !text.is_char_boundary(m.start)
            || !text.is_char_boundary(m.end)
        {
            continue;
        }
        let tokens = token_range(doc, m.start, m.end);
        if tokens.is_empty() {
            continue;
        }
        for i in tokens.clone() {
            covered[i] = true;
        }
        let sent = sentence_of(doc, tokens.start);
        let label = m.label.clone().or_else(|| {
            doc.ents
                .iter()
                .find(|e| {
                    e.start < m.end && m.start < e.end && ENTITY_LABELS.contains(&e.label.as_str())
                })
                .map(|e| e.label.clone())
        });
        let single = tokens.len() == 1;
        let first = &doc.tokens[tokens.start];
        let lower = first.text.to_lowercase();
        let is_pronoun = single
            && (first.tag == "PRP" || first.tag == "PRP$" || first.pos == "PRON")
            && (PRONOUNS_M.contains(&lower.as_str())
                || PRONOUNS_F.contains(&lower.as_str())
                || m.label.is_none());
        if label.is_none() && is_pronoun {
            out.push(Cand {
                pronoun_gender: None,
                gender: None,
                intro: false,
                start: m.start,
                end: m.end,
                tokens,
                label: "PERSON".into(),
                kind: MentionKind::Pronoun,
                name: None,
                head: Some(lower),
                sent,
            });
            continue;
        }
        let proper = tokens.clone().any(|i| doc.tokens[i].pos == "PROPN");
        match label {
            Some(label) if proper || m.label.is_some() => {
                let shown = matching_text(&text[m.start..m.end]);
                // "pro-Clinton" says where someone stands, not who.
                if dossier_names::is_stance_word(&shown) {
                    continue;
                }
                // "Lambert Inc" or "Obama White House" tagged as a person
                // is the organisation.
                let label = if label == "PERSON" && dossier_names::looks_like_org(&shown) {
                    "ORG".to_string()
                } else {
                    label
                };
                let name = EntityName::parse(class_of(&label), &shown);
                if name.is_empty() {
                    // Only a title ("the Surgeon General"): a nominal.
                    let head = cues::head_of(doc, &tokens);
                    out.push(Cand {
                        pronoun_gender: None,
                        gender: None,
                        intro: false,
                        start: m.start,
                        end: m.end,
                        tokens,
                        label: "NOMINAL".into(),
                        kind: MentionKind::Nominal,
                        name: None,
                        head: Some(head_key(&doc.tokens[head])),
                        sent,
                    });
                    continue;
                }
                let intro = label == "PERSON" && name.size() > 1 && has_appositive(doc, &tokens);
                let gender = name_gender(&name, doc, tokens.start);
                out.push(Cand {
                    pronoun_gender: linked_gender(doc, links, &tokens),
                    gender,
                    intro,
                    start: m.start,
                    end: m.end,
                    tokens,
                    label,
                    kind: MentionKind::Name,
                    name: Some((shown, name)),
                    head: None,
                    sent,
                });
            }
            _ => {
                let head = cues::head_of(doc, &tokens);
                out.push(Cand {
                    pronoun_gender: None,
                    gender: None,
                    intro: false,
                    start: m.start,
                    end: m.end,
                    tokens,
                    label: label.unwrap_or_else(|| "NOMINAL".into()),
                    kind: MentionKind::Nominal,
                    name: None,
                    head: Some(head_key(&doc.tokens[head])),
                    sent,
                });
            }
        }
    }
    // Pronouns the caller did not list (product mode: mentions are NER
    // spans only) that the pronoun resolution linked to an entity.
    if mentions.iter().all(|m| m.label.is_some()) {
        for l in links {
            let i = l.token;
            let Some(t) = doc.tokens.get(i) else { continue };
            let lower = t.text.to_lowercase();
            if covered[i] {
                continue;
            }
            {
                out.push(Cand {
                    pronoun_gender: None,
                    gender: None,
                    intro: false,
                    start: t.start,
                    end: t.end,
                    tokens: i..i + 1,
                    label: doc
                        .ents
                        .get(l.ent)
                        .map_or_else(|| "PERSON".into(), |e| e.label.clone()),
                    kind: MentionKind::Pronoun,
                    name: None,
                    head: Some(lower),
                    sent: sentence_of(doc, i),
                });
            }
        }
    }
    out
}

/// The cluster holding a name mention that contains token `i`.
fn name_cluster_at(clusters: &[Cluster], i: usize) -> Option<usize> {
    clusters.iter().position(|k| {
        k.mentions
            .iter()
            .any(|(m, t)| m.kind == MentionKind::Name && t.contains(&i))
    })
}

/// Links a nominal to a named entity when the parse says they are the
/// same: an appositive ("Lohan, the actress"), a copular attribute
/// ("Lohan is the actress"), or the head word of a description only one
/// named entity of the document has ("actress Lindsay Lohan" ... "the
/// actress").
fn link_nominal(clusters: &mut [Cluster], c: &Cand, doc: &Doc) -> bool {
    let h = cues::head_of(doc, &c.tokens);
    let tok = &doc.tokens[h];
    let mut target: Option<(usize, &str)> = None;
    if tok.dep == "appos" {
        target = name_cluster_at(clusters, tok.head).map(|k| (k, "appositive of the name"));
    }
    if target.is_none() {
        // A name that is the appositive of this nominal.
        target = doc
            .tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| t.head == h && *i != h && t.dep == "appos")
            .find_map(|(i, _)| name_cluster_at(clusters, i))
            .map(|k| (k, "the name is its appositive"));
    }
    if target.is_none() && tok.dep == "attr" {
        let verb = tok.head;
        target = doc
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.head == verb && matches!(t.dep.as_str(), "nsubj" | "nsubjpass"))
            .find_map(|(i, _)| name_cluster_at(clusters, i))
            .map(|k| (k, "said to be the name"));
    }
    if target.is_none() && c.head.is_some() {
        let head = c.head.as_deref().unwrap_or_default();
        let described: Vec<usize> = clusters
            .iter()
            .enumerate()
            .filter(|(_, k)| {
                !k.names.is_empty()
                    && k.descriptions.iter().any(|d| {
                        d.text
                            .split(|ch: char| !ch.is_alphanumeric())
                            .any(|w| w.eq_ignore_ascii_case(head))
                    })
            })
            .map(|(i, _)| i)
            .collect();
        if let [only] = described.as_slice() {
            target = Some((*only, "the head word of its description"));
        }
    }
    let Some((k, why)) = target else {
        return false;
    };
    let name = clusters[k]
        .best()
        .map(|n| n.text().to_string())
        .unwrap_or_default();
    clusters[k].mentions.push((
        LocalMention {
            start: c.start,
            end: c.end,
            kind: MentionKind::Nominal,
            how: format!("{why} \"{name}\""),
        },
        c.tokens.clone(),
    ));
    true
}

/// Links a relative pronoun ("who", "which") to the noun its clause
/// modifies, when that noun is a mention.
fn link_relative(clusters: &mut [Cluster], p: &Cand, doc: &Doc) -> bool {
    const RELATIVE: &[&str] = &["who", "whom", "whose", "which", "that"];
    if !p.head.as_deref().is_some_and(|h| RELATIVE.contains(&h)) {
        return false;
    }
    let i = p.tokens.start;
    let verb = doc.tokens[i].head;
    if doc.tokens[verb].dep != "relcl" {
        return false;
    }
    let noun = doc.tokens[verb].head;
    let Some(k) = clusters
        .iter()
        .position(|k| k.mentions.iter().any(|(_, t)| t.contains(&noun)))
    else {
        return false;
    };
    clusters[k].mentions.push((
        LocalMention {
            start: p.start,
            end: p.end,
            kind: MentionKind::Pronoun,
            how: "relative pronoun of the noun it follows".into(),
        },
        p.tokens.clone(),
    ));
    true
}

fn place_nominal(clusters: &mut Vec<Cluster>, c: Cand) {
    let head = c.head.clone();
    let found = clusters.iter().position(|k| {
        k.class == NameClass::Plain && k.names.is_empty() && k.head == head && head.is_some()
    });
    let mention = LocalMention {
        start: c.start,
        end: c.end,
        kind: MentionKind::Nominal,
        how: match found {
            Some(_) => format!("same head word \"{}\"", head.clone().unwrap_or_default()),
            None => "first mention".into(),
        },
    };
    match found {
        Some(i) => clusters[i].mentions.push((mention, c.tokens)),
        None => clusters.push(Cluster {
            label: c.label,
            class: NameClass::Plain,
            names: Vec::new(),
            mentions: vec![(mention, c.tokens)],
            aliases: Vec::new(),
            descriptions: Vec::new(),
            ambiguous: false,
            head,
            gender: None,
            introduced: false,
        }),
    }
}

/// The clusters a name fits, with the verdict and a short reason.
fn fits(
    clusters: &[Cluster],
    label: &str,
    name: &EntityName,
    gender: Option<Gender>,
    stats: &PartStats,
) -> Vec<(usize, Verdict, String)> {
    let class = class_of(label);
    let mut out = Vec::new();
    // Initials alone ("F.B.I." read as a person) fit nobody.
    if let EntityName::Person(p) = name {
        if p.parts
            .iter()
            .all(|x| x.role == dossier_names::Role::Initial)
        {
            return out;
        }
    }
    for (i, k) in clusters.iter().enumerate() {
        // "Mrs. Reagan" is not Ronald Reagan.
        if k.names.is_empty() || clash(k.gender, gender) {
            continue;
        }
        let same_class = k.class == class;
        let mut best: Option<(Verdict, String)> = None;
        let mut conflict = false;
        for (text, n) in &k.names {
            // Across types only the same name fits: no need to weigh more.
            let m = if same_class {
                name.compare(n, stats)
            } else {
                match name.same_across_types(n, stats) {
                    Some(m) => m,
                    None => continue,
                }
            };
            // A one-word name does not fit through an initial ("West" is
            // not "George W. Bush").
            if name.size() == 1 && m.reasons.iter().any(|r| r.contains("(initial)")) {
                continue;
            }
            if !same_class && m.verdict != Verdict::Same {
                continue;
            }
            match m.verdict {
                Verdict::Conflict => conflict = true,
                Verdict::Same => best = Some((Verdict::Same, format!("same name as \"{text}\""))),
                // Only a short form fits: two full names that merely
                // overlap ("Hasan al-Arif" / "Saddam Hussein") do not, and
                // a one-word form must be written in the full name
                // ("Reagan" is not "Donald Regan").
                Verdict::Compatible if m.is_short_form() && crate::name::written_in(name, n) => {
                    if best.as_ref().is_none_or(|b| b.0 != Verdict::Same) {
                        best = Some((Verdict::Compatible, format!("short form of \"{text}\"")));
                    }
                }
                Verdict::Compatible => {}
                Verdict::Unrelated => {}
            }
        }
        // A name that contradicts any full name of the entity does not fit,
        // even if it matches a short form of it.
        if let (Some((v, why)), false) = (best, conflict) {
            out.push((i, v, why));
        }
    }
    out
}

fn place_name(clusters: &mut Vec<Cluster>, c: Cand, doc: &Doc, stats: &PartStats) {
    let Some((shown, name)) = c.name.clone() else {
        return;
    };
    let mut fit = fits(clusters, &c.label, &name, c.gender, stats);
    // A one-word name the NER typed as something else ("Hamza" as ORG) that
    // is a short form of exactly one person here is that person.
    if fit.is_empty() && c.label != "PERSON" && name.size() == 1 {
        let as_person = EntityName::parse(NameClass::Person, &shown);
        let mut people = fits(clusters, "PERSON", &as_person, c.gender, stats);
        // A place is not a person's short name because his nisba comes
        // from it ("Tunisia" / "Abu Yusuf al-Tunisi").
        if matches!(c.label.as_str(), "GPE" | "LOC" | "NORP" | "FAC") {
            people.retain(|(i, _, _)| {
                !clusters[*i]
                    .names
                    .iter()
                    .any(|(_, n)| crate::name::via_nisba(&as_person.compare(n, stats)))
            });
        }
        // A word that is one person's family name and only another
        // "person"'s first word is the family name ("Trump" beside Donald
        // J. Trump and a "Trump Tower" the tagger took for a person).
        prefer_family_name(clusters, &mut people, &as_person);
        // Of several people it fits, the one the article is about or just
        // named ("Trump" typed ORG beside Donald and Ivanka Trump).
        if people.len() > 1 {
            let pick = nearest(clusters, &people, &c, doc).or_else(|| salient(clusters, &people));
            people.retain(|(i, _, _)| pick.as_ref().is_some_and(|(j, _)| j == i));
        }
        if people.len() == 1 {
            fit = people;
        }
    }
    let unresolved = narrow(clusters, &mut fit, &c, &name);
    let chosen: Option<(usize, String)> = match fit.len() {
        0 => None,
        1 => Some((fit[0].0, fit[0].2.clone())),
        n => nearest(clusters, &fit, &c, doc)
            .map(|(i, why)| (i, format!("{why}, nearest of {n} candidates")))
            .or_else(|| salient(clusters, &fit)),
    };
    // Writers introduce a person once: a second full name with its own
    // introducing appositive, spelled differently, is someone else
    // ("Mohammed Qassim, a researcher ... Mohamed Kasim, a former officer").
    let chosen = chosen.filter(|(i, _)| {
        let k = &clusters[*i];
        !(c.intro && k.introduced && !k.names.iter().any(|(t, _)| *t == shown))
    });
    let ambiguous = chosen.is_none() && fit.len() > 1;
    let chosen = match (chosen, unresolved) {
        (None, Some(i)) if ambiguous => Some((i, "as unresolved as the same name before".into())),
        (c, _) => c,
    };
    let mention = LocalMention {
        start: c.start,
        end: c.end,
        kind: MentionKind::Name,
        how: chosen
            .as_ref()
            .map(|(_, why)| why.clone())
            .unwrap_or_else(|| {
                if ambiguous {
                    format!(
                        "fits {} different entities here; left unresolved",
                        fit.len()
                    )
                } else {
                    "first mention".into()
                }
            }),
    };
    match chosen {
        Some((i, _)) => {
            let k = &mut clusters[i];
            if !k.names.iter().any(|(t, _)| *t == shown) {
                k.names.push((shown, name));
            }
            k.mentions.push((mention, c.tokens));
            k.introduced |= c.intro;
            k.gender = k.gender.or(c.gender);
        }
        None => clusters.push(Cluster {
            label: c.label.clone(),
            class: class_of(&c.label),
            names: vec![(shown, name)],
            mentions: vec![(mention, c.tokens)],
            aliases: Vec::new(),
            descriptions: Vec::new(),
            ambiguous,
            head: None,
            gender: c.gender,
            introduced: c.intro,
        }),
    }
}

/// Narrows the entities a name fits to those it may mean, in order: not a
/// name left unresolved before, the person whose family name it is, those
/// of the mention's gender, and those it matches as the same name. Returns
/// the unresolved entity of that name, which the mention joins when no one
/// can be chosen.
fn narrow(
    clusters: &[Cluster],
    fit: &mut Vec<(usize, Verdict, String)>,
    c: &Cand,
    name: &EntityName,
) -> Option<usize> {
    // A name left unresolved before is no person to choose: the choice is
    // among the people it fits; failing one, it joins the unresolved name.
    let unresolved: Option<usize> = fit
        .iter()
        .find(|(i, v, _)| clusters[*i].ambiguous && *v == Verdict::Same)
        .map(|f| f.0);
    if fit.iter().any(|(i, _, _)| !clusters[*i].ambiguous) {
        fit.retain(|(i, _, _)| !clusters[*i].ambiguous);
    }
    if class_of(&c.label) == NameClass::Person && name.size() == 1 {
        prefer_family_name(clusters, fit, name);
    }
    // Of several people, those known to be of the mention's gender: "Mr.
    // Trump" is not Ivana Trump, whose name the lexicon does not know.
    // Failing an honorific, the pronouns linked to this very mention tell
    // them apart ("Clinton ... she said" beside Bill and Hillary Clinton).
    let gender = c.gender.or(c.pronoun_gender);
    if fit.len() > 1 && gender.is_some() {
        let agree: Vec<_> = fit
            .iter()
            .filter(|(i, _, _)| clusters[*i].gender == gender)
            .cloned()
            .collect();
        if !agree.is_empty() {
            *fit = agree;
        }
    }
    let same: Vec<_> = fit
        .iter()
        .filter(|f| f.1 == Verdict::Same)
        .cloned()
        .collect();
    // The same short name given earlier to one of several people it is
    // short for ("Clinton" beside Bill and Hillary Clinton) does not make
    // him the owner of every later "Clinton": each is chosen afresh.
    let fuller_people = fit
        .iter()
        .filter(|(i, _, _)| {
            clusters[*i].class == NameClass::Person
                && clusters[*i].best().is_some_and(|b| b.size() > name.size())
        })
        .count();
    if !same.is_empty() && fuller_people < 2 {
        *fit = same;
    }
    unresolved
}

/// Of several people a one-word name fits, those whose family name it is,
/// if any: it is only the first word of the others ("Trump" beside Donald
/// J. Trump and a "Trump Tower" the tagger took for a person).
fn prefer_family_name(
    clusters: &[Cluster],
    fit: &mut Vec<(usize, Verdict, String)>,
    word: &EntityName,
) {
    if fit.len() < 2 {
        return;
    }
    let family: Vec<_> = fit
        .iter()
        .filter(|(i, _, _)| {
            clusters[*i]
                .names
                .iter()
                .any(|(_, n)| !crate::name::given_name_only(word, n))
        })
        .cloned()
        .collect();
    if !family.is_empty() {
        *fit = family;
    }
}

/// Among several fitting entities, the one the article is about: named at
/// least twice as often as any other ("Trump" in an article about the
/// president that also names his wife once).
fn salient(clusters: &[Cluster], fit: &[(usize, Verdict, String)]) -> Option<(usize, String)> {
    let mut counts: Vec<(usize, usize, &str)> = fit
        .iter()
        .map(|(i, _, why)| (clusters[*i].mentions.len(), *i, why.as_str()))
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let (top, i, why) = counts[0];
    let next = counts.get(1).map_or(0, |c| c.0);
    (top >= 2 && top >= 2 * next).then(|| {
        (
            i,
            format!(
                "{why}, the most mentioned of {} candidates ({top} mentions)",
                fit.len()
            ),
        )
    })
}

/// Among several fitting entities, the one mentioned nearest before `c`
/// (within three sentences), when it is clearly nearest.
fn nearest(
    clusters: &[Cluster],
    fit: &[(usize, Verdict, String)],
    c: &Cand,
    doc: &Doc,
) -> Option<(usize, String)> {
    let mut best: Vec<(usize, usize, String)> = Vec::new();
    for (i, _, why) in fit {
        let last_before = clusters[*i]
            .mentions
            .iter()
            .filter(|(m, _)| m.end <= c.start)
            .map(|(_, t)| t.start)
            .max();
        if let Some(t) = last_before {
            let sent = sentence_of(doc, t);
            if c.sent.saturating_sub(sent) <= 3 {
                best.push((c.start - doc.tokens[t].start, *i, why.clone()));
            }
        }
    }
    best.sort();
    match best.as_slice() {
        [] => None,
        [only] => Some((only.1, only.2.clone())),
        [a, b, ..] => {
            // Clearly nearest: in a later sentence than the runner-up.
            let sa = sentence_of(doc, token_at(doc, c.start - a.0));
            let sb = sentence_of(doc, token_at(doc, c.start - b.0));
            (sa > sb).then(|| (a.1, a.2.clone()))
        }
    }
}

fn token_at(doc: &Doc, byte: usize) -> usize {
    doc.tokens.iter().position(|t| t.start >= byte).unwrap_or(0)
}

fn apply_aliases(text: &str, doc: &Doc, clusters: &mut Vec<Cluster>) {
    // Mentions of names in text order, with their cluster.
    let mut order: Vec<(Tokens, usize)> = clusters
        .iter()
        .enumerate()
        .flat_map(|(i, k)| {
            k.mentions
                .iter()
                .filter(|(m, _)| m.kind == MentionKind::Name)
                .map(move |(_, t)| (t.clone(), i))
        })
        .collect();
    order.sort_by_key(|(t, _)| t.start);
    let mut links: Vec<(usize, usize, Alias)> = Vec::new();
    let mut new_names: Vec<(usize, Tokens, Alias)> = Vec::new();
    for (idx, (t, i)) in order.iter().enumerate() {
        let (_, sent_end) = cues::sentence_bounds(doc, t.start);
        // Next name in the same sentence.
        let next = order
            .get(idx + 1)
            .filter(|(n, _)| n.start < sent_end && n.start >= t.end);
        if let Some((n, j)) = next {
            let cue = cues::alias_gap(doc, t.end..n.start).or_else(|| {
                (cues::parenthesised(doc, t, n) && clusters[*i].class == clusters[*j].class)
                    .then(|| "parenthesised".to_string())
            });
            if let Some(cue) = cue {
                links.push((*i, *j, alias_of(doc, text, t, n, cue)));
                continue;
            }
        }
        // An alias the NER missed: cue, then a run of proper nouns.
        let mut k = t.end;
        while k < sent_end && k - t.end < 9 {
            if let Some(cue) = cues::alias_gap(doc, t.end..k) {
                if let Some(run) = cues::proper_run(doc, k, sent_end) {
                    if order
                        .iter()
                        .all(|(o, _)| o.end <= run.start || o.start >= run.end)
                    {
                        let alias = alias_of(doc, text, t, &run, cue);
                        new_names.push((*i, run, alias));
                    }
                }
                break;
            }
            k += 1;
        }
    }
    for (i, run, alias) in new_names {
        let k = &mut clusters[i];
        let shown = alias.name.clone();
        let name = EntityName::parse(k.class, &shown);
        if !name.is_empty() && !k.names.iter().any(|(t, _)| *t == shown) {
            k.names.push((shown.clone(), name));
        }
        let mention = LocalMention {
            start: doc.tokens[run.start].start,
            end: doc.tokens[run.end - 1].end,
            kind: MentionKind::Name,
            how: format!("alias (\"{}\")", alias.cue),
        };
        k.mentions.push((mention, run));
        k.aliases.push(alias);
    }
    // Union the linked clusters into the lowest index of each group.
    let mut parent: Vec<usize> = (0..clusters.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut alias_of: Vec<(usize, Alias)> = Vec::new();
    for (a, b, alias) in links {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
        alias_of.push((a, alias));
    }
    for i in 0..clusters.len() {
        let r = find(&mut parent, i);
        if r == i {
            continue;
        }
        let (head, tail) = clusters.split_at_mut(i);
        let (keep, moved) = (&mut head[r], &mut tail[0]);
        for (t, n) in moved.names.drain(..) {
            if !keep.names.iter().any(|(x, _)| *x == t) {
                keep.names.push((t, n));
            }
        }
        for (mut m, t) in moved.mentions.drain(..) {
            if m.how == "first mention" {
                m.how = "alias of a name given beside it".into();
            }
            keep.mentions.push((m, t));
        }
        keep.aliases.append(&mut moved.aliases);
        keep.ambiguous &= moved.ambiguous;
    }
    for (a, alias) in alias_of {
        let r = find(&mut parent, a);
        clusters[r].aliases.push(alias);
    }
    clusters.retain(|k| !k.mentions.is_empty());
}

/// Attaches a pronoun to the entity holding the named mention it is linked
/// to; an unlinked pronoun stays out of every entity.
fn place_pronoun(
    clusters: &mut [Cluster],
    p: Cand,
    doc: &Doc,
    links: &std::collections::HashMap<usize, usize>,
) {
    let Some(ent) = p
        .tokens
        .clone()
        .find_map(|t| links.get(&t))
        .and_then(|&k| doc.ents.get(k))
    else {
        return;
    };
    let Some(i) = (ent.start_token..ent.end_token).find_map(|t| name_cluster_at(clusters, t))
    else {
        return;
    };
    let gender = match p.head.as_deref() {
        Some(h) if PRONOUNS_M.contains(&h) => Some(Gender::Male),
        Some(h) if PRONOUNS_F.contains(&h) => Some(Gender::Female),
        _ => None,
    };
    let why = format!(
        "its antecedent \"{}\"",
        doc.tokens[ent.start_token..ent.end_token.min(doc.tokens.len())]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    attach_pronoun(&mut clusters[i], gender, p, &why);
}

/// The pronoun `p` refers to the person `k` (who therefore has its gender).
fn attach_pronoun(k: &mut Cluster, gender: Option<Gender>, p: Cand, why: &str) {
    // The name's own evidence ("Nancy", "Mrs.") outweighs a pronoun.
    k.gender = k.gender.or(gender);
    let name = k.best().map(|n| n.text().to_string()).unwrap_or_default();
    k.mentions.push((
        LocalMention {
            start: p.start,
            end: p.end,
            kind: MentionKind::Pronoun,
            how: format!("pronoun; \"{name}\" is {why}"),
        },
        p.tokens,
    ));
}

/// The name's head has an appositive common noun ("X, a researcher at").
fn has_appositive(doc: &Doc, t: &Tokens) -> bool {
    let h = cues::head_of(doc, t);
    doc.tokens.iter().enumerate().any(|(i, x)| {
        x.head == h
            && i != h
            && !t.contains(&i)
            && x.dep == "appos"
            && x.pos == "NOUN"
            && !doc
                .ents
                .iter()
                .any(|e| e.start_token <= i && i < e.end_token)
    })
}

fn add_descriptions(text: &str, doc: &Doc, clusters: &mut [Cluster]) {
    let mut name_tokens = vec![false; doc.tokens.len()];
    for k in clusters.iter() {
        for (m, t) in &k.mentions {
            if m.kind == MentionKind::Name {
                for i in t.clone() {
                    name_tokens[i] = true;
                }
            }
        }
    }
    // Tokens of NER entities of any type also count as names.
    for e in &doc.ents {
        for flag in name_tokens.iter_mut().take(e.end_token).skip(e.start_token) {
            *flag = true;
        }
    }
    let is_name = |i: usize| name_tokens.get(i).copied().unwrap_or(false);
    for k in clusters.iter_mut() {
        if k.class == NameClass::Plain && k.names.is_empty() {
            continue;
        }
        let mut found: Vec<DescriptionCue> = Vec::new();
        for (m, t) in &k.mentions {
            if m.kind != MentionKind::Name {
                continue;
            }
            for d in cues::descriptions(doc, t, &is_name) {
                if !found.iter().any(|f| f.tokens == d.tokens) {
                    found.push(d);
                }
            }
        }
        for d in found {
            let (s, e) = (
                doc.tokens[d.tokens.start].start,
                doc.tokens[d.tokens.end - 1].end,
            );
            let text = text[s..e].split_whitespace().collect::<Vec<_>>().join(" ");
            if !k.descriptions.iter().any(|x| x.text == text) {
                k.descriptions.push(LocalDescription {
                    text,
                    kind: d.kind,
                    start: s,
                    end: e,
                });
            }
        }
    }
}

/// The alias `other` of the name at `name`, with the cue between them; the
/// evidence spans both.
fn alias_of(doc: &Doc, text: &str, name: &Tokens, other: &Tokens, cue: String) -> Alias {
    let end = doc.tokens[other.end - 1].end;
    Alias {
        name: matching_text(&text[doc.tokens[other.start].start..end]),
        cue,
        start: doc.tokens[name.start].start,
        end,
    }
}

/// The head word of an unnamed mention, for matching: its lemma, or for a
/// proper noun the NER did not tag its text in the singular ("Colts" and
/// "colt" are one key; the tagger lemmatises only one of them).
fn head_key(t: &dossier_core::parse::Token) -> String {
    let lower = t.text.to_lowercase();
    if t.pos == "PROPN" {
        match lower.strip_suffix('s') {
            Some(x) if x.chars().count() >= 3 && !x.ends_with('s') => x.to_string(),
            _ => lower,
        }
    } else {
        t.lemma.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::head_key;
    use dossier_core::parse::Token;

    fn token(text: &str, pos: &str, lemma: &str) -> Token {
        Token {
            text: text.into(),
            start: 0,
            end: text.len(),
            whitespace: true,
            tag: String::new(),
            pos: pos.into(),
            morph: String::new(),
            lemma: lemma.into(),
            head: 0,
            dep: String::new(),
            is_space: false,
        }
    }

    #[test]
    fn head_keys_of_proper_and_common_nouns_meet() {
        assert_eq!(head_key(&token("Colts", "PROPN", "Colts")), "colt");
        assert_eq!(head_key(&token("colts", "NOUN", "colt")), "colt");
        assert_eq!(head_key(&token("Texas", "PROPN", "Texas")), "texa");
        assert_eq!(head_key(&token("Class", "PROPN", "Class")), "class");
        assert_eq!(head_key(&token("Bus", "PROPN", "Bus")), "bus");
    }
}
