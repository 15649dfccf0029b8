//! Linking facts across documents inside the corpus step, incrementally.
//!
//! The mentions of the new documents are linked together with the stored
//! events, relations and claims they can join or that the resolution step
//! invalidated:
//! - events sharing an identifying participant (victim, target, ...) with
//!   a new event, or, for attacks without one, a place;
//! - relations with the same identity (kind, subject, object, role);
//! - everything that names an entity id that no longer exists;
//! - the claims about any of those, and the disputes they belong to.
//!
//! Those are deleted and rebuilt from their mentions; the rest of the graph
//! is left as it is. Cost follows what the new documents touch, not the
//! corpus.

use crate::codec::decode;
use crate::corpus::CorpusError;
use dossier_core::{stable_id, Date};
use dossier_facts::{
    calendar_date, is_core_role, link_with, DocFacts, FactKind, FactSpan, LinkInput, Linked,
    MentionId, CORE_ROLES,
};
use dossier_store::{CorpusTx, FactRef, FactTable};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What a linking step changed.
#[derive(Debug, Default)]
pub struct LinkReport {
    pub events: usize,
    pub relations: usize,
    pub claims: usize,
    /// Entities whose events, relations or claims changed.
    pub touched: BTreeSet<String>,
}

type EntityMap = HashMap<(String, usize, usize), String>;

fn entity_of(map: &EntityMap) -> impl Fn(&str, &FactSpan) -> Option<String> + '_ {
    move |doc: &str, span: &FactSpan| {
        map.get(&(doc.to_string(), span.char_start, span.char_end))
            .cloned()
    }
}

/// Links the facts of `new` (documents entering the graph) with what they
/// touch. `gone` are entity ids that no longer exist.
pub fn relink(
    tx: &CorpusTx<'_>,
    new: &[DocFacts],
    gone: &[String],
) -> Result<LinkReport, CorpusError> {
    let new_ids: Vec<String> = new.iter().map(|d| d.doc.clone()).collect();
    let new_map = tx.mention_entities(&new_ids)?;

    // What the new documents alone link to: their events' identifying
    // participants, their attacks' places, their relations' ids.
    let all = |_: &MentionId| true;
    let none = |_: &MentionId| None;
    let alone = link_with(
        &LinkInput {
            docs: new,
            selected: &all,
            stored_id: &none,
            containment: Vec::new(),
        },
        entity_of(&new_map),
    );
    let mut core: BTreeSet<String> = BTreeSet::new();
    let mut places: BTreeSet<String> = BTreeSet::new();
    for (e, _) in &alone.events {
        let mut has_core = false;
        for p in &e.participants {
            if is_core_role(&p.role) {
                core.insert(p.entity.clone());
                has_core = true;
            }
        }
        if !has_core && matches!(e.kind.as_str(), "attack" | "raid") {
            places.extend(e.places.iter().cloned());
        }
    }
    let core: Vec<String> = core.into_iter().collect();
    let places: Vec<String> = places.into_iter().collect();
    let mut events: BTreeSet<String> = tx.events_with(&core, CORE_ROLES)?.into_iter().collect();
    events.extend(tx.events_at(&places, &["attack", "raid"])?);
    events.extend(tx.events_with(gone, &[])?);
    let rel_ids: Vec<String> = alone.relations.iter().map(|(r, _)| r.id.clone()).collect();
    let mut relations: BTreeSet<String> = tx
        .existing(FactTable::Relations, &rel_ids)?
        .into_iter()
        .collect();
    relations.extend(tx.relations_with(gone)?);

    let mut selected: BTreeSet<MentionId> = BTreeSet::new();
    for d in new {
        for (kind, n) in [
            (FactKind::Event, d.events.len()),
            (FactKind::Relation, d.relations.len()),
            (FactKind::Claim, d.claims.len()),
        ] {
            for index in 0..n {
                selected.insert(MentionId {
                    doc: d.doc.clone(),
                    kind,
                    index,
                });
            }
        }
    }
    let mut claims: BTreeSet<String> = BTreeSet::new();
    let mut facts: BTreeMap<String, DocFacts> =
        new.iter().map(|d| (d.doc.clone(), d.clone())).collect();
    let mut map = new_map;
    let mut report = LinkReport::default();
    // Rebuilt events or relations may take the id of a stored one they now
    // equal (a relation whose subject merged into another's): that one
    // joins and the round is repeated.
    let mut linked = Linked::default();
    for round in 0..4 {
        let mut targets: Vec<String> = gone.to_vec();
        targets.extend(events.iter().cloned());
        targets.extend(relations.iter().cloned());
        claims.extend(tx.claims_touching(&targets)?);
        let events_v: Vec<String> = events.iter().cloned().collect();
        let relations_v: Vec<String> = relations.iter().cloned().collect();
        let claims_v: Vec<String> = claims.iter().cloned().collect();
        add_mentions(
            &mut selected,
            FactKind::Event,
            tx.fact_mentions(FactTable::Events, &events_v)?,
        );
        add_mentions(
            &mut selected,
            FactKind::Relation,
            tx.fact_mentions(FactTable::Relations, &relations_v)?,
        );
        add_mentions(
            &mut selected,
            FactKind::Claim,
            tx.fact_mentions(FactTable::Claims, &claims_v)?,
        );
        load_facts(tx, &selected, &mut facts, &mut map)?;
        linked = link_selected(tx, &facts, &selected, &map)?;
        let made_events: Vec<String> = linked.events.iter().map(|(e, _)| e.id.clone()).collect();
        let made_relations: Vec<String> =
            linked.relations.iter().map(|(r, _)| r.id.clone()).collect();
        let clash_e: Vec<String> = tx
            .existing(FactTable::Events, &made_events)?
            .into_iter()
            .filter(|id| !events.contains(id))
            .collect();
        let clash_r: Vec<String> = tx
            .existing(FactTable::Relations, &made_relations)?
            .into_iter()
            .filter(|id| !relations.contains(id))
            .collect();
        if clash_e.is_empty() && clash_r.is_empty() {
            break;
        }
        if round == 3 {
            tracing::warn!(
                "linking: {} events and {} relations still share ids with stored ones; kept apart",
                clash_e.len(),
                clash_r.len()
            );
            disambiguate(&mut linked, &clash_e);
            break;
        }
        events.extend(clash_e);
        relations.extend(clash_r);
    }

    // Everything these referred to may need a new summary.
    let events_v: Vec<String> = events.iter().cloned().collect();
    let relations_v: Vec<String> = relations.iter().cloned().collect();
    let claims_v: Vec<String> = claims.iter().cloned().collect();
    let old_disputes = tx.disputes_of(&claims_v)?;
    report
        .touched
        .extend(tx.referenced_entities(FactTable::Events, &events_v)?);
    report
        .touched
        .extend(tx.referenced_entities(FactTable::Relations, &relations_v)?);
    tx.delete(FactTable::Events, &events_v)?;
    tx.delete(FactTable::Relations, &relations_v)?;
    tx.delete(FactTable::Claims, &claims_v)?;

    write(tx, &linked, &mut report)?;
    crate::disputes::regroup(tx, &linked, &old_disputes)?;
    Ok(report)
}

fn add_mentions(selected: &mut BTreeSet<MentionId>, kind: FactKind, refs: Vec<FactRef>) {
    for (doc, index) in refs {
        selected.insert(MentionId { doc, kind, index });
    }
}

/// Reads the facts and mention entities of every document with a selected
/// mention that is not loaded yet.
fn load_facts(
    tx: &CorpusTx<'_>,
    selected: &BTreeSet<MentionId>,
    facts: &mut BTreeMap<String, DocFacts>,
    map: &mut EntityMap,
) -> Result<(), CorpusError> {
    let missing: BTreeSet<String> = selected
        .iter()
        .filter(|m| !facts.contains_key(&m.doc))
        .map(|m| m.doc.clone())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let missing: Vec<String> = missing.into_iter().collect();
    for b in tx.blobs(&missing)? {
        let f: DocFacts = decode("facts", &b.doc, &b.facts)?;
        facts.insert(b.doc, f);
    }
    map.extend(tx.mention_entities(&missing)?);
    Ok(())
}

fn link_selected(
    tx: &CorpusTx<'_>,
    facts: &BTreeMap<String, DocFacts>,
    selected: &BTreeSet<MentionId>,
    map: &EntityMap,
) -> Result<Linked, CorpusError> {
    let docs: Vec<String> = facts.keys().cloned().collect();
    let mut stored: HashMap<(FactKind, String, usize), String> = HashMap::new();
    for ((d, i), id) in tx.stored_fact_ids(FactTable::Events, &docs)? {
        stored.insert((FactKind::Event, d, i), id);
    }
    for ((d, i), id) in tx.stored_fact_ids(FactTable::Relations, &docs)? {
        stored.insert((FactKind::Relation, d, i), id);
    }
    let places: Vec<String> = map
        .values()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let containment = tx.containment(&places)?;
    let list: Vec<DocFacts> = facts.values().cloned().collect();
    let is_selected = |m: &MentionId| selected.contains(m);
    let stored_id = |m: &MentionId| stored.get(&(m.kind, m.doc.clone(), m.index)).cloned();
    Ok(link_with(
        &LinkInput {
            docs: &list,
            selected: &is_selected,
            stored_id: &stored_id,
            containment,
        },
        entity_of(map),
    ))
}

/// Gives events that still collide with stored ones an id of their own.
fn disambiguate(linked: &mut Linked, clashes: &[String]) {
    let clashes: HashSet<&String> = clashes.iter().collect();
    for (e, from) in &mut linked.events {
        if clashes.contains(&e.id) {
            let first = from
                .first()
                .map(|m| format!("{}:{}", m.doc, m.index))
                .unwrap_or_default();
            e.id = stable_id("event", &[&e.id, &first]);
        }
    }
}

/// First and last day an event's date covers.
fn days(value: Option<&str>) -> Option<(i64, i64)> {
    let d: Date = calendar_date(value?)?;
    Some(d.day_span())
}

fn write(tx: &CorpusTx<'_>, linked: &Linked, report: &mut LinkReport) -> Result<(), CorpusError> {
    for (e, from) in &linked.events {
        let core = e
            .participants
            .iter()
            .filter(|p| is_core_role(&p.role))
            .count();
        let refs: Vec<FactRef> = from.iter().map(|m| (m.doc.clone(), m.index)).collect();
        let value = e.date.as_ref().and_then(|d| d.value.as_deref());
        tx.write_event(e, core, days(value), &refs)?;
        report
            .touched
            .extend(e.participants.iter().map(|p| p.entity.clone()));
        report.touched.extend(e.places.iter().cloned());
        report.events += 1;
    }
    for (r, from) in &linked.relations {
        let refs: Vec<FactRef> = from.iter().map(|m| (m.doc.clone(), m.index)).collect();
        tx.write_relation(r, &refs)?;
        report.touched.insert(r.subject.clone());
        report.touched.insert(r.object.clone());
        report.relations += 1;
    }
    // Two statements of one document at the same place are one claim.
    let mut written: HashSet<&str> = HashSet::new();
    for (c, from) in &linked.claims {
        if !written.insert(c.id.as_str()) {
            continue;
        }
        tx.write_claim(c, from.index)?;
        report.claims += 1;
    }
    let mut done: HashSet<(&str, &str)> = HashSet::new();
    for (c, _) in &linked.claims {
        for (others, agree) in [(&c.supports, true), (&c.contradicts, false)] {
            for o in others {
                let key = if c.id.as_str() <= o.as_str() {
                    (c.id.as_str(), o.as_str())
                } else {
                    (o.as_str(), c.id.as_str())
                };
                if done.insert(key) {
                    tx.write_link(&c.id, o, agree)?;
                }
            }
        }
    }
    Ok(())
}
