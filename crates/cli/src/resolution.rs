//! The cross-document step of `dossier build`: new document-level entities
//! are resolved against the stored entities they share a blocking key with.

use anyhow::Result;
use dossier_resolve::{CorpusStats, Entity, Join, Member, Profile, Resolver};
use dossier_store::{EntityRows, EntityWrite, MemberWrite, Store};

/// What a resolution step did.
#[derive(Debug, Default)]
pub struct Resolved {
    pub new_locals: usize,
    pub entities_changed: usize,
    pub entities_merged: usize,
}

pub fn corpus_stats(store: &Store) -> Result<CorpusStats> {
    let (documents, rows) = store.corpus_stats()?;
    let mut stats = CorpusStats {
        documents,
        ..CorpusStats::default()
    };
    for (kind, key, df) in rows {
        let map = match kind.as_str() {
            "part" => &mut stats.part_df,
            "key" => &mut stats.key_df,
            "term" => &mut stats.term_df,
            _ => continue,
        };
        map.insert(key, df);
    }
    Ok(stats)
}

fn parse_profile(json: &str, doc: &str, local: usize) -> Option<Profile> {
    match serde_json::from_str(json) {
        Ok(p) => Some(p),
        Err(e) => {
            tracing::warn!("document {doc}, entity {local}: unreadable profile ({e}); skipped");
            None
        }
    }
}

/// Stored entity rows as the resolver's entities.
pub fn to_entity(rows: EntityRows) -> Entity {
    let members = rows
        .members
        .into_iter()
        .filter_map(|m| {
            let profile = parse_profile(&m.profile, &m.doc, m.local)?;
            let join = m.reason.map(|reason| Join {
                reason,
                score: m.score.unwrap_or(0.0),
                against: m.against.clone().unwrap_or_default(),
            });
            Some(Member { profile, join })
        })
        .collect();
    Entity {
        id: rows.id,
        members,
    }
}

pub fn resolve_pending(store: &mut Store) -> Result<Resolved> {
    let pending = store.unresolved_locals()?;
    if pending.is_empty() {
        return Ok(Resolved::default());
    }
    let stats = corpus_stats(store)?;
    let profiles: Vec<Profile> = pending
        .iter()
        .filter_map(|(doc, local, json)| parse_profile(json, doc, *local))
        .collect();
    let mut keys: Vec<String> = profiles
        .iter()
        .flat_map(|p| p.keys.iter().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    let existing: Vec<Entity> = store
        .entities_with_keys(&keys)?
        .into_iter()
        .map(to_entity)
        .collect();
    let mut resolver = Resolver::new(&stats, existing);
    let new_locals = profiles.len();
    for p in profiles {
        resolver.add(p);
    }
    let outcome = resolver.finish();
    let writes: Vec<EntityWrite> = outcome
        .changed
        .iter()
        .map(|e| EntityWrite {
            id: e.id.clone(),
            label: e.label(),
            name: e.display_name(),
            members: e
                .members
                .iter()
                .map(|m| MemberWrite {
                    doc: m.profile.doc.clone(),
                    local: m.profile.local,
                    reason: m.join.as_ref().map(|j| j.reason.clone()),
                    score: m.join.as_ref().map(|j| j.score),
                    against: m.join.as_ref().map(|j| j.against.clone()),
                })
                .collect(),
            keys: e.keys().into_iter().collect(),
        })
        .collect();
    store.apply_resolution(&writes, &outcome.removed)?;
    Ok(Resolved {
        new_locals,
        entities_changed: writes.len(),
        entities_merged: outcome.removed.len(),
    })
}
