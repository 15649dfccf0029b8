//! Cross-document linking: event mentions become events (one per
//! real-world happening, listing every document that reports it), relation
//! mentions become relations with all their evidence, and claims are tied
//! to what they are about and to the claims in other sources that agree or
//! disagree with them.

use crate::agree;
use crate::events::compatible_kind;
use crate::types::{ClaimMention, DocFacts, EventMention, EventType, FactSpan, Ref, RelationType};
use dossier_core::{
    stable_id, Amount, Claim, Date, Event, EventDate, Modality, Participant, Polarity, Relation,
    SpeakerKind,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Roles that identify an event: the same victim means the same killing.
pub const CORE_ROLES: &[&str] = &[
    "victim",
    "target",
    "detainee",
    "defendant",
    "spouse",
    "participant",
    "traveler",
    "speaker",
];

/// Whether a participant role identifies its event.
pub fn is_core_role(role: &str) -> bool {
    CORE_ROLES.contains(&role)
}

/// The calendar part of a TimeML value: `2020-08-07`, `2020-08`, `2020`;
/// `2020-SU` and `2021-W10` keep their year.
pub fn calendar_date(value: &str) -> Option<Date> {
    let v = value.split('T').next().unwrap_or(value);
    if let Some(d) = Date::parse_iso(v) {
        return Some(d);
    }
    let parts: Vec<&str> = v.split('-').collect();
    if parts.len() >= 2 {
        if let Some(d) = Date::parse_iso(&format!("{}-{}", parts[0], parts[1])) {
            return Some(d);
        }
    }
    parts.first().and_then(|y| Date::parse_iso(y))
}

/// Whether two dates can be the same day: equal down to the coarser precision.
pub fn dates_compatible(a: &Date, b: &Date) -> bool {
    if a.year != b.year {
        return false;
    }
    match (a.month, b.month) {
        (Some(x), Some(y)) if x != y => return false,
        (Some(_), Some(_)) => {}
        _ => return true,
    }
    match (a.day, b.day) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

struct Record {
    doc: String,
    kind: EventType,
    participants: Vec<(String, String)>,
    places: Vec<String>,
    date: Option<Date>,
    date_text: Option<String>,
    evidence: dossier_core::Span,
    /// How plainly the mention tells the event (see
    /// [`EventMention::evidence_rank`]).
    rank: u8,
    modality: Modality,
    amount: Option<Amount>,
    /// A date naming the event: "the September 11 attacks" (`XXXX-09-11`).
    named: Option<String>,
    /// The document asserts the event (rather than denying it).
    reports: bool,
    /// Unnamed targets by their head noun: "the US embassies" -> embassy.
    targets: Vec<String>,
    /// Places that are regions rather than countries or towns ("eastern
    /// Africa", typed LOC): without a gazetteer their containment is
    /// unknown, so they never rule a match out.
    regions: Vec<String>,
}

struct Cluster {
    kind: EventType,
    participants: BTreeSet<(String, String)>,
    places: BTreeSet<String>,
    date: Option<Date>,
    date_text: Option<String>,
    evidence: Vec<dossier_core::Span>,
    /// Parallel to `evidence`: how plainly each tells the event.
    ranks: Vec<u8>,
    /// The most factual telling of any record.
    modality: Modality,
    amount: Option<Amount>,
    named: Option<String>,
    documents: Vec<String>,
    targets: BTreeSet<String>,
    regions: BTreeSet<String>,
}

impl Cluster {
    fn empty(kind: EventType) -> Cluster {
        Cluster {
            kind,
            participants: BTreeSet::new(),
            places: BTreeSet::new(),
            date: None,
            date_text: None,
            evidence: Vec::new(),
            ranks: Vec::new(),
            modality: Modality::Denied,
            amount: None,
            named: None,
            documents: Vec::new(),
            targets: BTreeSet::new(),
            regions: BTreeSet::new(),
        }
    }

    fn add_evidence(&mut self, span: dossier_core::Span, rank: u8) {
        match self.evidence.iter().position(|e| *e == span) {
            Some(k) => self.ranks[k] = self.ranks[k].min(rank),
            None => {
                self.evidence.push(span);
                self.ranks.push(rank);
            }
        }
    }

    /// Evidence best first: the sentences that tell the event before those
    /// that mention it in passing.
    fn ordered_evidence(&self) -> Vec<dossier_core::Span> {
        let mut order: Vec<usize> = (0..self.evidence.len()).collect();
        order.sort_by_key(|&k| self.ranks[k]);
        order
            .into_iter()
            .map(|k| self.evidence[k].clone())
            .collect()
    }

    fn core(&self) -> BTreeSet<&str> {
        self.participants
            .iter()
            .filter(|(r, _)| is_core_role(r))
            .map(|(_, e)| e.as_str())
            .collect()
    }
}

/// Which places lie inside which, from the located_in and part_of relations
/// of all documents (transitively closed).
struct Containment {
    inside: HashSet<(String, String)>,
}

impl Containment {
    /// Closes the pairs under transitivity along chains of up to four
    /// steps (containment chains are short), following an index from each
    /// place to what contains it.
    fn new(pairs: Vec<(String, String)>) -> Containment {
        let mut up: HashMap<&str, Vec<&str>> = HashMap::new();
        for (a, b) in &pairs {
            up.entry(a.as_str()).or_default().push(b.as_str());
        }
        let mut inside: HashSet<(String, String)> = HashSet::new();
        for &start in up.keys() {
            let mut frontier: Vec<&str> = vec![start];
            for _ in 0..5 {
                let mut next = Vec::new();
                for p in frontier {
                    for &q in up.get(p).into_iter().flatten() {
                        if q != start && inside.insert((start.to_string(), q.to_string())) {
                            next.push(q);
                        }
                    }
                }
                if next.is_empty() {
                    break;
                }
                frontier = next;
            }
        }
        Containment { inside }
    }

    fn related(&self, a: &str, b: &str) -> bool {
        a == b
            || self.inside.contains(&(a.to_string(), b.to_string()))
            || self.inside.contains(&(b.to_string(), a.to_string()))
    }

    fn compatible(&self, a: &BTreeSet<String>, b: &[String]) -> bool {
        a.is_empty() || b.is_empty() || b.iter().any(|x| a.iter().any(|y| self.related(x, y)))
    }
}

/// Why two event descriptions cannot be the same happening, if they cannot.
fn conflict(c: &Cluster, r: &Record, places: &Containment) -> bool {
    if let (Some(a), Some(b)) = (&c.date, &r.date) {
        if !dates_compatible(a, b) {
            return true;
        }
    }
    let settled: BTreeSet<String> = c.places.difference(&c.regions).cloned().collect();
    let r_settled: Vec<String> = r
        .places
        .iter()
        .filter(|p| !r.regions.contains(p))
        .cloned()
        .collect();
    if !places.compatible(&settled, &r_settled) {
        return true;
    }
    // Different victims (or targets, detainees...) are different events.
    for role in ["victim", "target", "detainee", "defendant"] {
        let a: BTreeSet<&str> = c
            .participants
            .iter()
            .filter(|(x, _)| x == role)
            .map(|(_, e)| e.as_str())
            .collect();
        let b: BTreeSet<&str> = r
            .participants
            .iter()
            .filter(|(x, _)| x == role)
            .map(|(_, e)| e.as_str())
            .collect();
        if !a.is_empty() && !b.is_empty() && a.is_disjoint(&b) {
            return true;
        }
    }
    false
}

/// Positive evidence that a record describes a cluster's event.
fn same_event(c: &Cluster, r: &Record, places: &Containment) -> bool {
    if !compatible_kind(c.kind, r.kind) || conflict(c, r, places) {
        return false;
    }
    let core = c.core();
    if r.participants
        .iter()
        .any(|(role, e)| is_core_role(role) && core.contains(e.as_str()))
    {
        return true;
    }
    // "the September 11 attacks", "the 9/11 bombings", "the attacks of
    // Sept. 11, 2001": a date that names the event names one event.
    if let (Some(a), Some(b)) = (&c.named, &r.named) {
        if agree::same_named_date(a, b) {
            return true;
        }
    }
    // Attacks and raids without a named target: the same kind of target in
    // the same period ("the 1998 embassy bombings", "the 1998 attacks on
    // American embassies"), or the same place and date.
    if matches!(c.kind, EventType::Attack | EventType::Raid) && core.is_empty() {
        let dated = matches!((&c.date, &r.date), (Some(a), Some(b)) if dates_compatible(a, b));
        if dated && r.targets.iter().any(|t| c.targets.contains(t)) {
            return true;
        }
        let shared_place = r.places.iter().any(|p| c.places.contains(p));
        let dated = matches!((&c.date, &r.date), (Some(a), Some(b)) if dates_compatible(a, b));
        let shared_agent = r.participants.iter().any(|(role, e)| {
            role == "agent" && c.participants.contains(&(role.clone(), e.clone()))
        });
        return shared_place && (dated || shared_agent);
    }
    false
}

fn more_precise(a: &Option<Date>, b: &Date) -> bool {
    match a {
        None => true,
        Some(a) => b.precision() > a.precision(),
    }
}

/// Which kind of fact mention a [`MentionId`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactKind {
    Event,
    Relation,
    Claim,
}

/// One fact mention of one document: `(document, kind, index)` into that
/// document's [`DocFacts`] list of that kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MentionId {
    pub doc: String,
    pub kind: FactKind,
    pub index: usize,
}

/// What to link. Linking a subset is how a build adds documents without
/// relinking the corpus: the mentions of new documents and of the stored
/// events, relations and claims their entities touch are linked again;
/// the rest keep their stored links.
pub struct LinkInput<'a> {
    /// The facts of every document with a mention to link.
    pub docs: &'a [DocFacts],
    /// Whether a mention takes part (every one, when linking a corpus).
    pub selected: &'a dyn Fn(&MentionId) -> bool,
    /// Stored ids of mentions that do not take part, for claims that are
    /// about them: `(doc, kind, index) -> event or relation id`.
    pub stored_id: &'a dyn Fn(&MentionId) -> Option<String>,
    /// Place containment known beyond these documents (stored located_in
    /// and part_of relations): `(inner, outer)` entity ids.
    pub containment: Vec<(String, String)>,
}

/// Linked facts, each with the mentions it was built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linked {
    pub events: Vec<(Event, Vec<MentionId>)>,
    pub relations: Vec<(Relation, Vec<MentionId>)>,
    /// One claim per claim mention.
    pub claims: Vec<(Claim, MentionId)>,
}

/// Links the facts of many documents. `entity_of(doc_id, span)` is the
/// entity-resolution stage's answer for a mention (`span.char_start`,
/// `span.char_end` are code-point offsets into that document), `None` when
/// the span is not a resolved mention.
pub fn link(
    docs: &[DocFacts],
    entity_of: impl Fn(&str, &FactSpan) -> Option<String>,
) -> (Vec<Event>, Vec<dossier_core::Relation>, Vec<Claim>) {
    let all = |_: &MentionId| true;
    let none = |_: &MentionId| None;
    let linked = link_with(
        &LinkInput {
            docs,
            selected: &all,
            stored_id: &none,
            containment: Vec::new(),
        },
        entity_of,
    );
    (
        linked.events.into_iter().map(|(e, _)| e).collect(),
        linked.relations.into_iter().map(|(r, _)| r).collect(),
        linked.claims.into_iter().map(|(c, _)| c).collect(),
    )
}

/// Links the selected mentions of `input.docs`; see [`LinkInput`].
/// Cost is near-linear in the number of mentions: candidates come from
/// indexes on shared entities, places and topics.
pub fn link_with(
    input: &LinkInput<'_>,
    entity_of: impl Fn(&str, &FactSpan) -> Option<String>,
) -> Linked {
    let mut docs: Vec<&DocFacts> = input.docs.iter().collect();
    docs.sort_by(|a, b| a.doc.cmp(&b.doc));
    let id_of = |doc: &str, kind: FactKind, index: usize| MentionId {
        doc: doc.to_string(),
        kind,
        index,
    };
    let picked =
        |doc: &str, kind: FactKind, index: usize| (input.selected)(&id_of(doc, kind, index));
    let ent = |doc: &str, r: &Ref| -> Option<String> {
        r.entity
            .as_ref()
            .and_then(|e| entity_of(doc, e))
            .or_else(|| entity_of(doc, &r.span))
    };

    // Relations first: their located_in/part_of pairs tell which places
    // contain which.
    let mut rel_map: BTreeMap<String, (Relation, Vec<MentionId>)> = BTreeMap::new();
    let mut rel_id_of: HashMap<(String, usize), String> = HashMap::new();
    let mut containment: Vec<(String, String)> = input.containment.clone();
    for d in &docs {
        for (k, m) in d.relations.iter().enumerate() {
            if !picked(&d.doc, FactKind::Relation, k) {
                continue;
            }
            let Some(obj) = &m.object else { continue };
            let (Some(mut s), Some(mut o)) = (ent(&d.doc, &m.subject), ent(&d.doc, obj)) else {
                continue;
            };
            if s == o {
                continue;
            }
            // A symmetric relation is stored in one order, unless a role
            // says which side is which ("X, Y's father-in-law").
            if m.kind.symmetric() && m.role.is_none() && o < s {
                std::mem::swap(&mut s, &mut o);
            }
            if matches!(m.kind, RelationType::LocatedIn | RelationType::PartOf) {
                containment.push((s.clone(), o.clone()));
            }
            let role_key = if m.kind == RelationType::HoldsRole {
                m.role.as_deref().unwrap_or("").to_lowercase()
            } else {
                String::new()
            };
            let id = stable_id("relation", &[m.kind.as_str(), &s, &o, &role_key]);
            let (entry, from) = rel_map.entry(id.clone()).or_insert_with(|| {
                (
                    Relation {
                        id: id.clone(),
                        kind: m.kind.as_str().to_string(),
                        subject: s.clone(),
                        object: o.clone(),
                        role: m.role.clone(),
                        evidence: Vec::new(),
                    },
                    Vec::new(),
                )
            });
            let ev = m.evidence.to_span(&d.doc, None);
            if !entry.evidence.contains(&ev) {
                entry.evidence.push(ev);
            }
            from.push(id_of(&d.doc, FactKind::Relation, k));
            rel_id_of.insert((d.doc.clone(), k), id);
        }
    }
    // Cities the corpus names together with their country ("Tehran" and
    // "Iran") are contained in it, from a table of capitals.
    let mut place_names: HashMap<String, BTreeSet<String>> = HashMap::new();
    for d in &docs {
        for (k, m) in d.events.iter().enumerate() {
            if !picked(&d.doc, FactKind::Event, k) {
                continue;
            }
            for p in &m.places {
                if let Some(id) = ent(&d.doc, p) {
                    place_names
                        .entry(place_key(&p.span.text))
                        .or_default()
                        .insert(id);
                }
            }
        }
    }
    for (city, countries) in capitals() {
        let Some(cities) = place_names.get(&place_key(city)) else {
            continue;
        };
        for country in countries {
            for inner in cities {
                for outer in place_names.get(&place_key(country)).into_iter().flatten() {
                    if inner != outer {
                        containment.push((inner.clone(), outer.clone()));
                    }
                }
            }
        }
    }
    let places = Containment::new(containment);

    // Events a document mentions only to deny them are linked (so the
    // denial is about them) but that document does not report them.
    let denied: HashSet<(String, usize)> = docs
        .iter()
        .flat_map(|d| {
            d.claims
                .iter()
                .filter(|c| c.polarity() == Polarity::Deny)
                .flat_map(move |c| c.about_events.iter().map(move |&e| (d.doc.clone(), e)))
        })
        .collect();

    // Event records, one per usable mention; anaphoric mentions join their
    // antecedent's record.
    let mut records: Vec<Record> = Vec::new();
    let mut record_of: HashMap<(String, usize), usize> = HashMap::new();
    for d in &docs {
        for (k, m) in d.events.iter().enumerate() {
            if !picked(&d.doc, FactKind::Event, k) {
                continue;
            }
            // An event the text itself says did not happen is no event; one
            // a source denies is linked, so the denial is about it.
            let denied_by_claim = denied.contains(&(d.doc.clone(), k));
            if m.negated() && !denied_by_claim {
                continue;
            }
            let participants: Vec<(String, String)> = m
                .args
                .iter()
                .filter_map(|a| ent(&d.doc, &a.arg).map(|e| (a.role.clone(), e)))
                .collect();
            let place_ids: Vec<String> = m.places.iter().filter_map(|p| ent(&d.doc, p)).collect();
            // Only what is told as having happened is dated.
            let date = m
                .date
                .as_ref()
                .filter(|_| m.modality.happened())
                .and_then(|t| t.value.as_deref())
                .and_then(calendar_date);
            if let Some(a) = m.antecedent {
                if let Some(&ri) = record_of.get(&(d.doc.clone(), a)) {
                    let r = &mut records[ri];
                    for p in participants {
                        if !r.participants.contains(&p) {
                            r.participants.push(p);
                        }
                    }
                    record_of.insert((d.doc.clone(), k), ri);
                    continue;
                }
            }
            let usable = !participants.is_empty()
                || (!m.hypothetical()
                    && (!place_ids.is_empty() || date.is_some() || m.named_date.is_some()));
            if !usable {
                continue;
            }
            record_of.insert((d.doc.clone(), k), records.len());
            let mut r = record(d, m, participants, place_ids, date);
            // A document that tells the event in any way but a denial
            // reports it; its modality says how.
            r.reports = !m.negated();
            r.targets = m
                .args
                .iter()
                .filter(|a| a.role == "target" && ent(&d.doc, &a.arg).is_none())
                .filter_map(|a| head_noun(&a.arg.span.text))
                .collect();
            r.regions = m
                .places
                .iter()
                .filter(|p| p.label.as_deref() == Some("LOC"))
                .filter_map(|p| ent(&d.doc, p))
                .collect();
            records.push(r);
        }
    }

    // Greedy clustering in document order.
    // Only clusters sharing a participant or a place can take a record, so
    // candidates come from an index rather than a scan of every cluster.
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut cluster_of_record: Vec<usize> = Vec::with_capacity(records.len());
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for r in &records {
        let mut cands: Vec<usize> = r
            .participants
            .iter()
            .map(|(_, e)| e)
            .chain(r.places.iter())
            .cloned()
            .chain(r.targets.iter().map(|t| format!("noun:{t}")))
            .chain(r.named.iter().map(|n| named_key(n)))
            .filter_map(|k| index.get(&k))
            .flatten()
            .copied()
            .collect();
        cands.sort_unstable();
        cands.dedup();
        let found = cands
            .into_iter()
            .find(|&ci| same_event(&clusters[ci], r, &places));
        let ci = match found {
            Some(ci) => ci,
            None => {
                clusters.push(Cluster::empty(r.kind));
                clusters.len() - 1
            }
        };
        let c = &mut clusters[ci];
        // A killing is a death with a killer: the more specific type wins
        // when a source asserts it.
        if r.kind == EventType::Killing && r.reports && r.modality.happened() {
            c.kind = EventType::Killing;
        }
        if agree::more_factual(r.modality, c.modality) {
            c.modality = r.modality;
        }
        if c.amount.is_none() {
            c.amount = r.amount.clone();
        }
        if c.named.is_none() {
            c.named = r.named.clone();
        }
        c.participants.extend(r.participants.iter().cloned());
        c.places.extend(r.places.iter().cloned());
        c.targets.extend(r.targets.iter().cloned());
        c.regions.extend(r.regions.iter().cloned());
        if let Some(d) = &r.date {
            if more_precise(&c.date, d) {
                c.date = Some(*d);
                c.date_text = r.date_text.clone();
            }
        } else if c.date.is_none() && c.date_text.is_none() {
            c.date_text = r.date_text.clone();
        }
        c.add_evidence(r.evidence.clone(), r.rank);
        if r.reports && !c.documents.contains(&r.doc) {
            c.documents.push(r.doc.clone());
        }
        let noun_keys: Vec<String> = r
            .targets
            .iter()
            .map(|t| format!("noun:{t}"))
            .chain(r.named.iter().map(|n| named_key(n)))
            .collect();
        for k in r
            .participants
            .iter()
            .map(|(_, e)| e)
            .chain(r.places.iter())
            .chain(noun_keys.iter())
        {
            let slot = index.entry(k.clone()).or_default();
            if !slot.contains(&ci) {
                slot.push(ci);
            }
        }
        cluster_of_record.push(ci);
    }

    // Within one document, an event told without its victim ("a senior
    // operative was killed in Iran earlier this year") is that document's one
    // fitting event with a victim, when place or date tie them.
    let mut into: Vec<usize> = (0..clusters.len()).collect();
    // Candidates come from the clusters with evidence in that document, not
    // from a scan of every cluster.
    let mut by_doc: HashMap<&str, Vec<usize>> = HashMap::new();
    for (ci, c) in clusters.iter().enumerate() {
        let docs: BTreeSet<&str> = c.evidence.iter().map(|e| e.doc.as_str()).collect();
        for d in docs {
            by_doc.entry(d).or_default().push(ci);
        }
    }
    for ci in 0..clusters.len() {
        let c = &clusters[ci];
        if !c.core().is_empty() {
            continue;
        }
        let docs: BTreeSet<&str> = c.evidence.iter().map(|e| e.doc.as_str()).collect();
        let (Some(doc), 1) = (docs.iter().next(), docs.len()) else {
            continue;
        };
        let Some(as_record) = cluster_record(c) else {
            continue;
        };
        let fits: Vec<usize> = by_doc
            .get(doc)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&cj| {
                let o = &clusters[cj];
                cj != ci
                    && compatible_kind(o.kind, c.kind)
                    && !o.core().is_empty()
                    && !conflict(o, &as_record, &places)
                    && (o
                        .places
                        .iter()
                        .any(|x| c.places.iter().any(|y| places.related(x, y)))
                        || matches!((&o.date, &c.date), (Some(a), Some(b)) if dates_compatible(a, b)))
            })
            .collect();
        if let [only] = fits[..] {
            into[ci] = only;
        }
    }
    for ci in 0..clusters.len() {
        let cj = into[ci];
        if cj == ci {
            continue;
        }
        let kind = clusters[ci].kind;
        let c = std::mem::replace(&mut clusters[ci], Cluster::empty(kind));
        let o = &mut clusters[cj];
        o.participants.extend(c.participants);
        o.places.extend(c.places);
        o.regions.extend(c.regions);
        o.targets.extend(c.targets);
        if let Some(d) = &c.date {
            if more_precise(&o.date, d) {
                o.date = Some(*d);
                o.date_text = c.date_text.clone();
            }
        }
        for (e, rank) in c.evidence.into_iter().zip(c.ranks) {
            o.add_evidence(e, rank);
        }
        if agree::more_factual(c.modality, o.modality) {
            o.modality = c.modality;
        }
        if o.amount.is_none() {
            o.amount = c.amount;
        }
        for d in c.documents {
            if !o.documents.contains(&d) {
                o.documents.push(d);
            }
        }
    }
    let mut renumber: Vec<usize> = Vec::with_capacity(clusters.len());
    let mut kept = 0;
    for (ci, &cj) in into.iter().enumerate() {
        renumber.push(kept);
        if cj == ci {
            kept += 1;
        }
    }
    for ci in cluster_of_record.iter_mut() {
        *ci = renumber[into[*ci]];
    }
    let clusters: Vec<Cluster> = clusters
        .into_iter()
        .enumerate()
        .filter(|(ci, _)| into[*ci] == *ci)
        .map(|(_, c)| c)
        .collect();

    // Ids from identifying content, made unique deterministically.
    let mut seen_ids: HashSet<String> = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    for c in &clusters {
        let core: Vec<&str> = c.core().into_iter().collect();
        let places_s: Vec<&str> = c.places.iter().map(|s| s.as_str()).collect();
        let date_s = c.date.map(|d| d.to_string()).unwrap_or_default();
        let mut id = stable_id(
            "event",
            &[
                c.kind.as_str(),
                &date_s,
                &core.join("|"),
                &places_s.join("|"),
            ],
        );
        if seen_ids.contains(&id) {
            // Two events alike in what identifies them (two unnamed attacks
            // told in one sentence): their first evidence, then a count,
            // tells them apart.
            let base = id.clone();
            let first = c
                .evidence
                .first()
                .map(|e| format!("{}:{}", e.doc, e.start))
                .unwrap_or_default();
            id = stable_id("event", &[&base, &first]);
            let mut n = 2u32;
            while seen_ids.contains(&id) {
                id = stable_id("event", &[&base, &first, &n.to_string()]);
                n += 1;
            }
        }
        seen_ids.insert(id.clone());
        events.push(Event {
            id,
            kind: c.kind.as_str().to_string(),
            date: (c.date.is_some() || c.date_text.is_some()).then(|| EventDate {
                value: c.date.map(|d| d.to_string()),
                precision: c.date.map(|d| d.precision()),
                text: c.date_text.clone(),
            }),
            places: c.places.iter().cloned().collect(),
            participants: c
                .participants
                .iter()
                .map(|(role, entity)| Participant {
                    role: role.clone(),
                    entity: entity.clone(),
                })
                .collect(),
            evidence: c.ordered_evidence(),
            documents: c.documents.clone(),
            modality: c.modality,
            amount: c.amount.clone(),
        });
    }
    let event_id_of = |doc: &str, k: usize| -> Option<String> {
        match record_of.get(&(doc.to_string(), k)) {
            Some(&ri) => Some(events[cluster_of_record[ri]].id.clone()),
            None => (input.stored_id)(&id_of(doc, FactKind::Event, k)),
        }
    };
    let mut event_mentions: Vec<Vec<MentionId>> = vec![Vec::new(); events.len()];
    let mut assigned: Vec<(&(String, usize), &usize)> = record_of.iter().collect();
    assigned.sort();
    for ((doc, k), &ri) in assigned {
        event_mentions[cluster_of_record[ri]].push(id_of(doc, FactKind::Event, *k));
    }

    // Accounts of the same happening kept apart by a contradiction are
    // rivals: a killing and a death of the same victim (a person dies once),
    // or two events of one type with a shared participant on compatible
    // dates that disagree on the place or the other participants.
    // Candidates share a core participant: an index, not all pairs.
    let mut by_core: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        for e in c.core() {
            by_core.entry(e).or_default().push(i);
        }
    }
    let mut rivals: HashSet<(String, String)> = HashSet::new();
    for members in by_core.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (a, b) = (&clusters[i], &clusters[j]);
                if !compatible_kind(a.kind, b.kind) {
                    continue;
                }
                let deathlike = |k: EventType| matches!(k, EventType::Killing | EventType::Death);
                let same_time = match (&a.date, &b.date) {
                    (Some(x), Some(y)) => dates_compatible(x, y),
                    _ => true,
                };
                if deathlike(a.kind) || same_time {
                    rivals.insert((events[i].id.clone(), events[j].id.clone()));
                    rivals.insert((events[j].id.clone(), events[i].id.clone()));
                }
            }
        }
    }

    // Claims.
    struct ClaimInfo {
        /// Each event it reports, and what it says of it.
        events: BTreeMap<String, Option<Polarity>>,
        relations: BTreeSet<String>,
        polarity: Polarity,
        doc: String,
    }
    let mut claims: Vec<Claim> = Vec::new();
    let mut mentions: Vec<&ClaimMention> = Vec::new();
    let mut info: Vec<ClaimInfo> = Vec::new();
    let mut claim_index: HashMap<(String, usize), usize> = HashMap::new();
    let mut claim_mentions: Vec<MentionId> = Vec::new();
    for d in &docs {
        for (k, m) in d.claims.iter().enumerate() {
            if !picked(&d.doc, FactKind::Claim, k) {
                continue;
            }
            // An unnamed source ("two officials", or "he" going on from one)
            // is no entity, whatever a pronoun's own resolution says.
            let speaker = m
                .speaker
                .as_ref()
                .filter(|_| m.speaker_kind != SpeakerKind::Unnamed)
                .and_then(|s| ent(&d.doc, s));
            let mut about: Vec<String> = Vec::new();
            let mut ev_ids: BTreeMap<String, Option<Polarity>> = BTreeMap::new();
            for &e in &m.about_events {
                if let (Some(id), Some(ev)) = (event_id_of(&d.doc, e), d.events.get(e)) {
                    ev_ids.insert(id, agree::stance_toward_event(m, ev));
                }
            }
            let mut rel_ids = BTreeSet::new();
            for &r in &m.about_relations {
                let id = rel_id_of
                    .get(&(d.doc.clone(), r))
                    .cloned()
                    .or_else(|| (input.stored_id)(&id_of(&d.doc, FactKind::Relation, r)));
                if let Some(id) = id {
                    rel_ids.insert(id);
                }
            }
            for a in &m.about_entities {
                if let Some(e) = ent(&d.doc, a) {
                    if !about.contains(&e) {
                        about.push(e);
                    }
                }
            }
            for e in ev_ids.keys() {
                if !about.contains(e) {
                    about.push(e.clone());
                }
            }
            let id = claim_id(&d.doc, m);
            claim_index.insert((d.doc.clone(), k), claims.len());
            claim_mentions.push(id_of(&d.doc, FactKind::Claim, k));
            // A speaker the resolution ties to an entity is named, whatever
            // the phrase ("he", "the Secretary of State").
            let speaker_kind = if speaker.is_some() {
                SpeakerKind::Named
            } else {
                m.speaker_kind
            };
            claims.push(Claim {
                id,
                doc: d.doc.clone(),
                start: m.span.char_start,
                end: m.span.char_end,
                text: m.span.text.clone(),
                speaker,
                speaker_text: m.speaker_text.clone(),
                kind: m.kind,
                polarity: m.polarity(),
                hedged: m.hedged,
                stance: m.stance,
                speaker_kind,
                about,
                supports: Vec::new(),
                contradicts: Vec::new(),
            });
            mentions.push(m);
            info.push(ClaimInfo {
                events: ev_ids,
                relations: rel_ids,
                polarity: m.polarity(),
                doc: d.doc.clone(),
            });
        }
    }
    // A response ("deny the claim") is about what it responds to.
    for d in &docs {
        for (k, m) in d.claims.iter().enumerate() {
            let Some(t) = m.responds_to else { continue };
            let (Some(&a), Some(&b), Some(answered)) = (
                claim_index.get(&(d.doc.clone(), k)),
                claim_index.get(&(d.doc.clone(), t)),
                d.claims.get(t),
            ) else {
                continue;
            };
            // It is about what that claim is about, but it answers that
            // claim alone: "The Taliban deny the claim" does not contradict
            // every report of the same event.
            let evs: Vec<String> = info[b].events.keys().cloned().collect();
            for e in evs {
                if !claims[a].about.contains(&e) {
                    claims[a].about.push(e);
                }
            }
            if agree::answer_contradicts(m, answered) {
                add_link(&mut claims, a, b, false);
            }
        }
    }
    // Agreement and disagreement across sources: only claims about the same
    // event or relation, or about rival accounts, are compared.
    let mut by_topic: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, inf) in info.iter().enumerate() {
        for t in inf.events.keys().chain(inf.relations.iter()) {
            by_topic.entry(t.as_str()).or_default().push(k);
        }
    }
    // What a claim says of a topic: of an event, from the event's telling
    // inside it; of a relation, its polarity.
    let says = |k: usize, topic: &str| -> Option<Polarity> {
        match info[k].events.get(topic) {
            Some(p) => *p,
            None => Some(info[k].polarity),
        }
    };
    // (claim, claim, rival accounts rather than the same topic)
    let mut pairs: BTreeMap<(usize, usize, bool), String> = BTreeMap::new();
    for (topic, members) in &by_topic {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                pairs
                    .entry((a.min(b), a.max(b), false))
                    .or_insert_with(|| topic.to_string());
            }
        }
    }
    let mut rival_pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (x, y) in &rivals {
        let (Some(ma), Some(mb)) = (by_topic.get(x.as_str()), by_topic.get(y.as_str())) else {
            continue;
        };
        for &a in ma {
            for &b in mb {
                // Two rival accounts contradict when both are asserted.
                if a != b
                    && says(a, x) == Some(Polarity::Assert)
                    && says(b, y) == Some(Polarity::Assert)
                {
                    rival_pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    let mut done: HashSet<(usize, usize)> = HashSet::new();
    // A pair about the same topic is judged on that, not on rivalry.
    for ((a, b, _), topic) in pairs {
        if !done.insert((a, b)) {
            continue;
        }
        match agree::disagree(says(a, &topic), says(b, &topic)) {
            Some(true) => add_link(&mut claims, a, b, false),
            Some(false) if info[a].doc != info[b].doc => add_link(&mut claims, a, b, true),
            _ => {}
        }
    }
    for (a, b) in rival_pairs {
        if done.insert((a, b)) {
            add_link(&mut claims, a, b, false);
        }
    }
    for (a, b) in same_statements(&mentions, &claims) {
        if done.insert((a, b)) {
            add_link(&mut claims, a, b, true);
        }
    }
    Linked {
        events: events.into_iter().zip(event_mentions).collect(),
        relations: rel_map.into_values().collect(),
        claims: claims.into_iter().zip(claim_mentions).collect(),
    }
}

/// How many claims a word may appear in and still propose pairs: common
/// words would pair every claim with every other.
const WORD_CLAIMS_CAP: usize = 64;
/// Distinctive words two claims must share to be compared.
const SHARED_WORDS_MIN: usize = 3;

/// Pairs of claims in different documents that say the same thing: the same
/// quotation, or a close paraphrase by the same speaker. Candidates come
/// from an index of their content words, not from every pair.
fn same_statements(mentions: &[&ClaimMention], claims: &[Claim]) -> Vec<(usize, usize)> {
    let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, m) in mentions.iter().enumerate() {
        for w in agree::content_words(&m.span.text) {
            by_word.entry(w).or_default().push(k);
        }
    }
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for list in by_word.values().filter(|l| l.len() <= WORD_CLAIMS_CAP) {
        for (x, &a) in list.iter().enumerate() {
            for &b in &list[x + 1..] {
                if claims[a].doc != claims[b].doc {
                    *shared.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
        }
    }
    let mut out: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&(_, n)| n >= SHARED_WORDS_MIN)
        .map(|(p, _)| p)
        .filter(|&(a, b)| {
            let same_speaker = match (&claims[a].speaker, &claims[b].speaker) {
                (Some(x), Some(y)) => Some(x == y),
                _ => None,
            };
            agree::same_statement(mentions[a], mentions[b], same_speaker)
        })
        .collect();
    out.sort_unstable();
    out
}

fn add_link(claims: &mut [Claim], a: usize, b: usize, agree: bool) {
    let (ia, ib) = (claims[a].id.clone(), claims[b].id.clone());
    if agree {
        if !claims[a].supports.contains(&ib) {
            claims[a].supports.push(ib);
        }
        if !claims[b].supports.contains(&ia) {
            claims[b].supports.push(ia);
        }
    } else {
        if !claims[a].contradicts.contains(&ib) {
            claims[a].contradicts.push(ib);
        }
        if !claims[b].contradicts.contains(&ia) {
            claims[b].contradicts.push(ia);
        }
    }
}

/// A claim is identified by where it is stated.
pub fn claim_id(doc: &str, m: &ClaimMention) -> String {
    stable_id(
        "claim",
        &[
            doc,
            &m.span.char_start.to_string(),
            &m.span.char_end.to_string(),
        ],
    )
}

fn record(
    d: &DocFacts,
    m: &EventMention,
    participants: Vec<(String, String)>,
    places: Vec<String>,
    date: Option<Date>,
) -> Record {
    Record {
        doc: d.doc.clone(),
        kind: m.kind,
        participants,
        places,
        date,
        date_text: m
            .date
            .as_ref()
            .filter(|_| m.modality.happened())
            .map(|t| t.span.text.clone()),
        evidence: m.evidence.to_span(&d.doc, None),
        rank: m.evidence_rank(),
        modality: m.modality,
        amount: m.amount.as_ref().map(|a| a.to_amount()),
        named: m.named_date.clone(),
        reports: true,
        targets: Vec::new(),
        regions: Vec::new(),
    }
}

/// A cluster seen as one record, to test it against another cluster.
fn cluster_record(c: &Cluster) -> Option<Record> {
    Some(Record {
        doc: String::new(),
        kind: c.kind,
        participants: c.participants.iter().cloned().collect(),
        places: c.places.iter().cloned().collect(),
        date: c.date,
        date_text: None,
        evidence: c.evidence.first()?.clone(),
        rank: 0,
        modality: c.modality,
        amount: None,
        named: c.named.clone(),
        reports: true,
        targets: c.targets.iter().cloned().collect(),
        regions: c.regions.iter().cloned().collect(),
    })
}

/// A place name for table lookups: lower case, without "the" and a
/// possessive.
fn place_key(name: &str) -> String {
    let t = name.trim();
    let t = t
        .strip_suffix("'s")
        .or_else(|| t.strip_suffix("’s"))
        .unwrap_or(t)
        .to_lowercase();
    t.strip_prefix("the ").unwrap_or(&t).trim().to_string()
}

/// (capital or major city, names of its country), from `data/capitals.tsv`.
fn capitals() -> &'static [(&'static str, Vec<&'static str>)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/capitals.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (city, countries) = l.split_once('\t')?;
                Some((city, countries.split(';').map(str::trim).collect()))
            })
            .collect()
    })
}

/// The index key of a date naming an event: its month and day, so that
/// "XXXX-09-11" and "2001-09-11" meet.
fn named_key(value: &str) -> String {
    format!("named:{}", value.get(5..).unwrap_or(value))
}

/// The last word of a phrase, lower case and singular: "the US embassies"
/// -> "embassy".
fn head_noun(phrase: &str) -> Option<String> {
    let w = phrase.split_whitespace().last()?.to_lowercase();
    if w.chars().count() < 3 || !w.chars().all(char::is_alphabetic) {
        return None;
    }
    Some(if let Some(x) = w.strip_suffix("ies") {
        format!("{x}y")
    } else if w.ends_with("ss") {
        w
    } else {
        w.strip_suffix('s').map(str::to_string).unwrap_or(w)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::parse;
    use crate::{extract, TimeMention};
    use dossier_core::{DatePrecision, TimeType};

    /// A stand-in for entity resolution: names match when written alike.
    fn resolver(_doc: &str, span: &FactSpan) -> Option<String> {
        let t = span
            .text
            .trim_end_matches("'s")
            .trim_start_matches("the ")
            .trim_start_matches("The ");
        let upper = t.chars().next()?.is_uppercase();
        upper.then(|| format!("E:{}", t.to_lowercase()))
    }

    /// Facts of a fictional document, with the given dates as time expressions.
    fn doc(id: &str, text: &str, dates: &[(&str, &str)]) -> DocFacts {
        let p = parse(text);
        let times: Vec<TimeMention> = dates
            .iter()
            .map(|(t, v)| {
                let start = text.find(t).expect("date text");
                TimeMention {
                    start,
                    end: start + t.len(),
                    text: t.to_string(),
                    kind: TimeType::Date,
                    value: Some(v.to_string()),
                }
            })
            .collect();
        extract(id, text, &p, &times)
    }

    fn corpus() -> Vec<DocFacts> {
        vec![
            doc(
                "a",
                "Karim Haddad was killed in an air strike in Idlib on 9 March, two officials said. Karim Haddad, the son of Walid Haddad, led the Brigade.",
                &[("9 March", "2021-03-09")],
            ),
            doc(
                "b",
                "Officials said Karim Haddad was killed in Idlib on Tuesday. Karim Haddad, the son of Walid Haddad, was 40.",
                &[("Tuesday", "2021-03-09")],
            ),
            doc(
                "c",
                "A spokesman, Omar Nouri, said Karim Haddad died of an illness in February.",
                &[("February", "2021-02")],
            ),
            doc("d", "The Brigade denied that Karim Haddad had been killed.", &[]),
        ]
    }

    #[test]
    fn same_killing_from_many_sources_is_one_event() {
        let (events, _, _) = link(&corpus(), resolver);
        let killings: Vec<&Event> = events.iter().filter(|e| e.kind == "killing").collect();
        assert_eq!(killings.len(), 1, "{events:#?}");
        let k = killings[0];
        assert_eq!(k.documents, vec!["a".to_string(), "b".to_string()]);
        assert!(k.participants.contains(&Participant {
            role: "victim".into(),
            entity: "E:karim haddad".into()
        }));
        assert!(k.places.contains(&"E:idlib".to_string()));
        let date = k.date.as_ref().unwrap();
        assert_eq!(date.value.as_deref(), Some("2021-03-09"));
        assert_eq!(date.precision, Some(DatePrecision::Day));
        // The denying document's mention is evidence, not a report.
        assert!(k.evidence.iter().any(|e| e.doc == "d"));
    }

    #[test]
    fn attacks_on_the_same_kind_of_target_in_the_same_year_are_one() {
        let docs = vec![
            doc(
                "e",
                "Militants bombed the embassies in Lagos and Accra in 1999.",
                &[("1999", "1999")],
            ),
            doc(
                "f",
                "The Northern Front carried out the 1999 embassy bombings.",
                &[("1999", "1999")],
            ),
            doc(
                "g",
                "The Western Front carried out the 2003 embassy bombings.",
                &[("2003", "2003")],
            ),
            // A region (LOC) does not rule out the towns named elsewhere.
            doc(
                "h",
                "He took part in the 1999 embassy bombings in eastern Africa.",
                &[("1999", "1999")],
            ),
        ];
        let (events, _, _) = link(&docs, resolver);
        let attacks: Vec<&Event> = events.iter().filter(|e| e.kind == "attack").collect();
        assert_eq!(attacks.len(), 2, "{attacks:#?}");
        let y1999 = attacks
            .iter()
            .find(|e| e.documents.contains(&"e".to_string()))
            .expect("the 1999 bombings");
        assert_eq!(
            y1999.documents,
            vec!["e".to_string(), "f".to_string(), "h".to_string()]
        );
        assert!(y1999.places.contains(&"E:lagos".to_string()));
        assert_eq!(head_noun("the US embassies").as_deref(), Some("embassy"));
        assert_eq!(head_noun("a convoy").as_deref(), Some("convoy"));
        assert_eq!(head_noun("the press").as_deref(), Some("press"));
    }

    #[test]
    fn a_capital_lies_in_its_country_and_an_unnamed_victim_joins_the_named_one() {
        let docs = vec![
            doc(
                "x",
                "On 9 March a senior commander was killed in Syria. Karim Haddad was killed by a drone in Damascus.",
                &[("9 March", "2021-03-09")],
            ),
            doc(
                "y",
                "Officials said Haddad was killed in Syria.",
                &[],
            ),
        ];
        let (events, _, _) = link(&docs, resolver);
        let killings: Vec<&Event> = events.iter().filter(|e| e.kind == "killing").collect();
        assert_eq!(killings.len(), 1, "{killings:#?}");
        let k = killings[0];
        assert_eq!(k.documents, vec!["x".to_string(), "y".to_string()]);
        assert_eq!(
            k.date.as_ref().and_then(|d| d.value.as_deref()),
            Some("2021-03-09")
        );
        assert_eq!(
            place_key("the Islamic Republic of Iran"),
            "islamic republic of iran"
        );
        assert!(capitals()
            .iter()
            .any(|(city, countries)| *city == "Damascus" && countries.contains(&"Syria")));
    }

    #[test]
    fn contradicting_dates_keep_events_apart_and_claims_contradict() {
        let (events, _, claims) = link(&corpus(), resolver);
        let death = events
            .iter()
            .find(|e| e.kind == "death")
            .expect("the illness account");
        assert_eq!(death.documents, vec!["c".to_string()]);
        let killing = events.iter().find(|e| e.kind == "killing").unwrap();
        assert_ne!(death.id, killing.id);
        let by_doc = |d: &str| claims.iter().find(|c| c.doc == d).unwrap();
        let (a, b, c, d) = (by_doc("a"), by_doc("b"), by_doc("c"), by_doc("d"));
        assert!(a.about.contains(&killing.id));
        assert!(a.supports.contains(&b.id) && b.supports.contains(&a.id));
        assert!(c.contradicts.contains(&a.id) && a.contradicts.contains(&c.id));
        assert_eq!(d.polarity, Polarity::Deny);
        assert!(d.contradicts.contains(&a.id) && d.contradicts.contains(&b.id));
        assert!(a.hedged, "unnamed officials");
        assert_eq!(c.speaker.as_deref(), Some("E:omar nouri"));
    }

    #[test]
    fn same_relation_from_many_documents_is_one() {
        let (_, relations, _) = link(&corpus(), resolver);
        let child: Vec<&Relation> = relations.iter().filter(|r| r.kind == "child_of").collect();
        assert_eq!(child.len(), 1, "{relations:#?}");
        assert_eq!(child[0].subject, "E:karim haddad");
        assert_eq!(child[0].object, "E:walid haddad");
        assert_eq!(child[0].evidence.len(), 2);
    }

    #[test]
    fn ids_are_stable_and_order_free() {
        let mut docs = corpus();
        let first = link(&docs, resolver);
        docs.reverse();
        let second = link(&docs, resolver);
        assert_eq!(first, second);
    }

    #[test]
    fn calendar_values() {
        assert_eq!(
            calendar_date("2020-08-07")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2020-08-07")
        );
        assert_eq!(
            calendar_date("2020-SU").map(|d| d.to_string()).as_deref(),
            Some("2020")
        );
        assert_eq!(
            calendar_date("2021-W10").map(|d| d.to_string()).as_deref(),
            Some("2021")
        );
        assert_eq!(
            calendar_date("2021-03-09T10:00")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2021-03-09")
        );
        assert!(calendar_date("P2Y").is_none());
        assert!(calendar_date("XXXX-WXX-2").is_none());
        let d = |s| calendar_date(s).unwrap();
        assert!(dates_compatible(&d("2021-03-09"), &d("2021-03")));
        assert!(dates_compatible(&d("2021-03-09"), &d("2021")));
        assert!(!dates_compatible(&d("2021-03-09"), &d("2021-02")));
        assert!(!dates_compatible(&d("2021-03-09"), &d("2021-03-10")));
    }

    #[test]
    fn conflicting_places_keep_events_apart_and_claims_contradict() {
        let docs = vec![
            doc(
                "x",
                "Police said they arrested Omar Zaki in Paris on Monday.",
                &[("Monday", "2021-05-03")],
            ),
            doc(
                "y",
                "Officials said Omar Zaki was arrested in Madrid on Monday.",
                &[("Monday", "2021-05-03")],
            ),
        ];
        let (events, _, claims) = link(&docs, resolver);
        let arrests: Vec<&Event> = events.iter().filter(|e| e.kind == "arrest").collect();
        assert_eq!(arrests.len(), 2, "{events:#?}");
        assert_eq!(claims.len(), 2);
        assert!(claims[0].contradicts.contains(&claims[1].id), "{claims:#?}");
        assert!(claims[0].supports.is_empty());
    }
}
