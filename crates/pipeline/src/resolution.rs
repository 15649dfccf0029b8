//! Resolution across documents inside the corpus step: the pending
//! documents' entities are resolved against the stored entities that share
//! a blocking key with them (at most [`MAX_BLOCK`] per key), with the
//! corpus statistics and analysts' judgements from the store, and the
//! outcome is written back. Cost follows the documents resolved, not the
//! corpus: each key reads a bounded block and each entity a bounded state.

use crate::codec::{decode, encode};
use crate::corpus::CorpusError;
use dossier_resolve::{
    document_counts, person_name_keys, retype, state_counts, vote_keys, Added, Changed,
    CorpusStats, EntityState, Judgements, MemberRef, Model, Outcome, Profile, Resolver,
    StoredEntity, DOCUMENTS_KEY, MAX_BLOCK,
};
use dossier_store::{CorpusTx, EntityWrite, JudgementKind, MemberKey, MemberWrite, Redirect};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a resolution step changed.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Document-level entities resolved.
    pub new_locals: usize,
    /// Entities created or changed (live ids).
    pub changed: Vec<String>,
    /// Entity ids that no longer exist, or whose members moved away.
    pub removed: Vec<String>,
}

/// The coarse kind the store indexes entities by.
fn kind_of(label: &str) -> &'static str {
    match label {
        "PERSON" => "person",
        "ORG" => "org",
        "GPE" | "LOC" | "FAC" => "place",
        "NORP" => "group",
        _ => "other",
    }
}

fn member_ref(k: &MemberKey) -> MemberRef {
    (k.doc.clone(), k.local)
}

/// Every judgement stored: a split is a "not the same" between the
/// entity's anchor and the document's member.
pub fn judgements(tx: &CorpusTx<'_>) -> Result<(Judgements, bool), CorpusError> {
    let mut j = Judgements::default();
    let mut unapplied = false;
    for row in tx.judgements()? {
        let pair = (member_ref(&row.a), member_ref(&row.b));
        match row.kind {
            JudgementKind::Same => j.same.push(pair),
            JudgementKind::NotSame | JudgementKind::Split => j.not_same.push(pair),
        }
        unapplied |= !row.applied;
    }
    Ok((j, unapplied))
}

/// Loads stored entities by id, with the judged members each holds.
fn load(
    tx: &CorpusTx<'_>,
    ids: &[String],
    judged: &HashMap<String, Vec<MemberRef>>,
) -> Result<Vec<StoredEntity>, CorpusError> {
    let mut out = Vec::new();
    for (id, blob) in tx.entity_states_by_id(ids)? {
        let state: EntityState = decode("entity state", &id, &blob)?;
        out.push(StoredEntity {
            judged: judged.get(&id).cloned().unwrap_or_default(),
            id,
            state,
        });
    }
    Ok(out)
}

/// The stored entities holding judged members: `id -> members`.
fn judged_entities(
    tx: &CorpusTx<'_>,
    j: &Judgements,
) -> Result<HashMap<String, Vec<MemberRef>>, CorpusError> {
    let keys: Vec<MemberKey> = j
        .members()
        .into_iter()
        .map(|(doc, local)| MemberKey { doc, local })
        .collect();
    let mut out: HashMap<String, Vec<MemberRef>> = HashMap::new();
    for (m, id) in tx.entities_of_members(&keys)? {
        out.entry(id).or_default().push(member_ref(&m));
    }
    Ok(out)
}

/// Corpus statistics for a comparison set, read from the store.
/// `counted`: the statistics keys of the profiles' documents, already
/// gathered to count them.
fn stats_for(
    tx: &CorpusTx<'_>,
    profiles: &[&Profile],
    counted: &BTreeMap<String, u64>,
    states: &[StoredEntity],
) -> Result<CorpusStats, CorpusError> {
    let mut keys: BTreeSet<String> = counted.keys().cloned().collect();
    for p in profiles {
        keys.extend(vote_keys(p));
    }
    for s in states {
        keys.extend(state_counts(&s.state));
    }
    let keys: Vec<String> = keys.into_iter().collect();
    Ok(CorpusStats::from_counts(tx.stat_counts(&keys)?))
}

/// Resolves the entities of `docs` against the store.
pub fn resolve(
    tx: &CorpusTx<'_>,
    docs: &[(String, Vec<Profile>)],
    model: &Model,
) -> Result<Resolved, CorpusError> {
    // Document order, not ingest order, decides: a build gives the same
    // entities and ids whatever order its files came in.
    let mut profiles: Vec<&Profile> = docs.iter().flat_map(|(_, ps)| ps.iter()).collect();
    profiles.sort_by(|a, b| (&a.doc, a.local).cmp(&(&b.doc, b.local)));

    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for (_, ps) in docs {
        for k in document_counts(ps) {
            *counts.entry(k).or_default() += 1;
        }
    }
    counts.insert(DOCUMENTS_KEY.into(), docs.len() as u64);
    tx.add_stat_counts(&counts)?;

    let started = std::time::Instant::now();
    let (judgements, _) = judgements(tx)?;
    let judged = judged_entities(tx, &judgements)?;
    // A one-word name the corpus types otherwise is looked up under that
    // type too (the resolver retypes it with the same counts).
    let votes: Vec<String> = profiles
        .iter()
        .flat_map(|p| vote_keys(p))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let vote_stats = CorpusStats::from_counts(tx.stat_counts(&votes)?);
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for p in &profiles {
        keys.extend(p.keys.iter().cloned());
        if let Some((q, _)) = retype(p, &vote_stats) {
            keys.extend(q.keys);
        }
        // A full name typed otherwise may be a known person's (the
        // resolver decides; these blocks let it see the person).
        if let Some(k) = person_name_keys(p) {
            keys.extend(k);
        }
    }
    let keys: Vec<String> = keys.into_iter().collect();
    let mut ids: BTreeSet<String> = tx
        .entity_ids_for_keys(&keys, MAX_BLOCK)?
        .into_iter()
        .collect();
    ids.extend(judged.keys().cloned());
    let ids: Vec<String> = ids.into_iter().collect();
    let blocked = started.elapsed();
    let existing = load(tx, &ids, &judged)?;
    let states = started.elapsed();
    let stats = stats_for(tx, &profiles, &counts, &existing)?;
    tracing::debug!(
        "resolution loading: blocks by {blocked:.2?}, states by {states:.2?}, statistics by {:.2?}",
        started.elapsed()
    );

    let loaded = (existing.len(), started.elapsed());
    let mut resolver = Resolver::new(model, &stats, &judgements, existing);
    resolver.resolve(profiles.iter().copied());
    let [added, retyped, settled, revisited] = resolver.phase_times();
    tracing::debug!(
        "resolver phases: add {added:.2?}, retype {retyped:.2?}, settle {settled:.2?}, compare again {revisited:.2?}"
    );
    let outcome = resolver.finish();
    let resolved_at = started.elapsed();
    let mut resolved = write(tx, outcome)?;
    tracing::debug!(
        "resolution of {} document entities: {} stored entities loaded in {:.2?}, resolved by {:.2?}, written by {:.2?}",
        profiles.len(),
        loaded.0,
        loaded.1,
        resolved_at,
        started.elapsed()
    );
    resolved.new_locals = profiles.len();
    Ok(resolved)
}

/// Writes an outcome.
fn write(tx: &CorpusTx<'_>, outcome: Outcome) -> Result<Resolved, CorpusError> {
    let mut writes = Vec::new();
    for Changed {
        id,
        state,
        added,
        absorbed,
    } in outcome.changed
    {
        let label = state.label();
        writes.push(EntityWrite {
            kind: kind_of(&label).to_string(),
            label,
            name: state.display_name(),
            state: encode("entity state", &state)?,
            keys: state.keys(),
            added: added
                .into_iter()
                .map(|a| MemberWrite {
                    member: MemberKey {
                        doc: a.member.0,
                        local: a.member.1,
                    },
                    probability: a.probability,
                    reason: a.reason,
                    decision: None,
                })
                .collect(),
            absorbed,
            id,
        });
    }
    let redirects: Vec<Redirect> = outcome
        .removed
        .iter()
        .map(|(from, to)| Redirect {
            from: from.clone(),
            to: to.clone(),
            why: "merged".into(),
        })
        .collect();
    tx.apply_resolution(&writes, &redirects)?;
    Ok(Resolved {
        new_locals: 0,
        changed: writes.into_iter().map(|w| w.id).collect(),
        removed: outcome.removed.into_iter().map(|(o, _)| o).collect(),
    })
}

/// Applies analysts' judgements made since the last build: entities judged
/// the same merge; when both sides of a "not the same" (or a split) are in
/// one entity, the second side's document-level entity leaves it and stands
/// alone, and the entity's state is made again from the members it keeps.
/// Returns what changed; ids whose members moved are in `removed`, so that
/// the facts naming them are linked again.
pub fn apply_judgements(tx: &CorpusTx<'_>, model: &Model) -> Result<Resolved, CorpusError> {
    let (judgements, unapplied) = judgements(tx)?;
    let mut out = Resolved::default();
    if !unapplied {
        return Ok(out);
    }
    let judged = judged_entities(tx, &judgements)?;
    let mut holder: HashMap<MemberRef, String> = HashMap::new();
    for (id, ms) in &judged {
        for m in ms {
            holder.insert(m.clone(), id.clone());
        }
    }
    let mut leaving: BTreeMap<String, BTreeSet<MemberRef>> = BTreeMap::new();
    for (a, b) in &judgements.not_same {
        if let (Some(x), Some(y)) = (holder.get(a), holder.get(b)) {
            if x == y {
                leaving.entry(x.clone()).or_default().insert(b.clone());
            }
        }
    }
    for (id, members) in &leaving {
        let r = detach(tx, id, members)?;
        out.changed.extend(r.changed);
        out.removed.push(id.clone());
    }
    // Merges, among the judged entities as they are now.
    let judged = judged_entities(tx, &judgements)?;
    let ids: Vec<String> = judged.keys().cloned().collect();
    let existing = load(tx, &ids, &judged)?;
    let stats = stats_for(tx, &[], &BTreeMap::new(), &existing)?;
    let mut resolver = Resolver::new(model, &stats, &judgements, existing);
    resolver.apply_same();
    let r = write(tx, resolver.finish())?;
    out.changed.extend(r.changed);
    out.removed.extend(r.removed);
    tx.mark_judgements_applied()?;
    Ok(out)
}

/// Takes document-level entities out of entity `id`: each becomes an
/// entity of its own, and `id` keeps the others with its state made again
/// from their profiles (its first member first).
fn detach(
    tx: &CorpusTx<'_>,
    id: &str,
    leaving: &BTreeSet<MemberRef>,
) -> Result<Resolved, CorpusError> {
    let Some(blob) = tx.entity_state(id)? else {
        return Ok(Resolved::default());
    };
    let old: EntityState = decode("entity state", id, &blob)?;
    let members: BTreeSet<MemberRef> = tx.members(id)?.iter().map(member_ref).collect();
    let docs: Vec<String> = members
        .iter()
        .map(|m| m.0.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut profiles: Vec<Profile> = Vec::new();
    for b in tx.blobs(&docs)? {
        let ps: Vec<Profile> = decode("profiles", &b.doc, &b.profile)?;
        profiles.extend(
            ps.into_iter()
                .filter(|p| members.contains(&(p.doc.clone(), p.local as u32))),
        );
    }
    let key = |p: &Profile| (p.doc.clone(), p.local as u32);
    // The first member first, then document order.
    profiles.sort_by_key(|p| (key(p) != old.anchor, key(p)));
    let (gone, kept): (Vec<&Profile>, Vec<&Profile>) =
        profiles.iter().partition(|p| leaving.contains(&key(p)));
    let mut changed = Vec::new();
    if let Some((first, rest)) = kept.split_first() {
        let mut state = EntityState::from_profile(first);
        for p in rest {
            state.absorb(&EntityState::from_profile(p));
        }
        changed.push(Changed {
            id: id.to_string(),
            state,
            added: Vec::new(),
            absorbed: Vec::new(),
        });
    }
    for p in gone {
        changed.push(Changed {
            id: dossier_core::stable_id("entity", &[&p.doc, &p.local.to_string()]),
            state: EntityState::from_profile(p),
            added: vec![Added {
                member: key(p),
                probability: None,
                reason: Some("split off by an analyst's judgement".into()),
            }],
            absorbed: Vec::new(),
        });
    }
    write(
        tx,
        Outcome {
            changed,
            removed: Vec::new(),
            comparisons: Vec::new(),
        },
    )
}
