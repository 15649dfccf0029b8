//! Resolution across documents inside the corpus step: the pending
//! documents' entities are resolved against the stored entities that share
//! a blocking key with them, and the outcome is written back.

use crate::codec::{decode, encode};
use crate::corpus::CorpusError;
use dossier_resolve::{CorpusStats, Entity, Member, Profile, Resolver};
use dossier_store::{CorpusTx, EntityWrite, MemberKey, MemberWrite, Redirect};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a resolution step changed.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Document-level entities resolved.
    pub new_locals: usize,
    /// Entities created or changed (live ids).
    pub changed: Vec<String>,
    /// Entity ids that no longer exist.
    pub removed: Vec<String>,
}

/// An entity's stored state: its members, in order.
type State = Vec<(String, u32)>;

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

/// Resolves the entities of `docs` (with their profiles) against the store.
pub fn resolve(
    tx: &CorpusTx<'_>,
    docs: &[(String, Vec<Profile>)],
) -> Result<Resolved, CorpusError> {
    let mut stats = CorpusStats::default();
    for (_, profiles) in docs {
        stats.add_document(profiles);
    }
    let mut keys: Vec<String> = docs
        .iter()
        .flat_map(|(_, ps)| ps.iter().flat_map(|p| p.keys.iter().cloned()))
        .collect();
    keys.sort();
    keys.dedup();
    let stored = tx.entity_states(&keys)?;
    let mut existing: Vec<Entity> = Vec::new();
    let mut stored_members: BTreeMap<String, BTreeSet<(String, u32)>> = BTreeMap::new();
    let mut wanted: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut states: Vec<(String, State)> = Vec::new();
    for (id, blob) in stored {
        let state: State = decode("entity state", &id, &blob)?;
        for (d, l) in &state {
            wanted.entry(d.clone()).or_default().push(*l);
        }
        stored_members.insert(id.clone(), state.iter().cloned().collect());
        states.push((id, state));
    }
    let doc_ids: Vec<String> = wanted.keys().cloned().collect();
    let mut profile_of: HashMap<(String, u32), Profile> = HashMap::new();
    for b in tx.blobs(&doc_ids)? {
        let ps: Vec<Profile> = decode("profiles", &b.doc, &b.profile)?;
        for p in ps {
            profile_of.insert((b.doc.clone(), p.local as u32), p);
        }
    }
    for (id, state) in states {
        let members: Vec<Member> = state
            .iter()
            .filter_map(|k| profile_of.remove(k))
            .map(|profile| Member {
                profile,
                join: None,
            })
            .collect();
        if !members.is_empty() {
            existing.push(Entity { id, members });
        }
    }
    let mut resolver = Resolver::new(&stats, existing);
    let mut new_locals = 0;
    for (_, profiles) in docs {
        for p in profiles {
            resolver.add(p.clone());
            new_locals += 1;
        }
    }
    let outcome = resolver.finish();
    // Where each removed entity's first member went.
    let mut home: HashMap<(String, u32), String> = HashMap::new();
    for e in &outcome.changed {
        for m in &e.members {
            home.insert(
                (m.profile.doc.clone(), m.profile.local as u32),
                e.id.clone(),
            );
        }
    }
    let mut redirects = Vec::new();
    let mut absorbed: HashMap<String, Vec<String>> = HashMap::new();
    for old in &outcome.removed {
        let Some(first) = stored_members.get(old).and_then(|m| m.iter().next()) else {
            continue;
        };
        if let Some(to) = home.get(first) {
            absorbed.entry(to.clone()).or_default().push(old.clone());
            redirects.push(Redirect {
                from: old.clone(),
                to: to.clone(),
                why: "merged".into(),
            });
        }
    }
    let mut writes = Vec::new();
    for e in &outcome.changed {
        let before = stored_members.get(&e.id);
        let added = e
            .members
            .iter()
            .filter(|m| {
                before.is_none_or(|b| !b.contains(&(m.profile.doc.clone(), m.profile.local as u32)))
            })
            .map(|m| MemberWrite {
                member: MemberKey {
                    doc: m.profile.doc.clone(),
                    local: m.profile.local as u32,
                },
                probability: m.join.as_ref().map(|j| j.score),
                reason: m.join.as_ref().map(|j| j.reason.clone()),
                decision: None,
            })
            .collect();
        let state: State = e
            .members
            .iter()
            .map(|m| (m.profile.doc.clone(), m.profile.local as u32))
            .collect();
        let label = e.label();
        writes.push(EntityWrite {
            id: e.id.clone(),
            kind: kind_of(&label).to_string(),
            label,
            name: e.display_name(),
            state: encode("entity state", &state)?,
            keys: e.keys().into_iter().collect(),
            added,
            absorbed: absorbed.remove(&e.id).unwrap_or_default(),
        });
    }
    tx.apply_resolution(&writes, &redirects)?;
    Ok(Resolved {
        new_locals,
        changed: writes.into_iter().map(|w| w.id).collect(),
        removed: outcome.removed,
    })
}
