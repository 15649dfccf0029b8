//! `dossier explain`: why two stored entities are, or are not, one.

use crate::codec::{decode, CodecError};
use dossier_resolve::{assess, CorpusStats, Profile};
use dossier_store::{Reader, StoreError};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error("no entity with id {0:?} (find ids with `dossier who NAME`)")]
    Unknown(String),
}

/// The explanation, as lines of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The two entities' display names and ids (after redirects).
    pub a: (String, String),
    pub b: (String, String),
    /// Whether they are one entity.
    pub same: bool,
    /// Whether the comparison, made now, would join them.
    pub would_merge: bool,
    pub probability: f64,
    pub reasons: Vec<String>,
}

/// The members' profiles of a stored entity.
fn member_profiles(r: &dyn Reader, id: &str) -> Result<Vec<Profile>, ExplainError> {
    let Some(blob) = r.entity_state(id)? else {
        return Err(ExplainError::Unknown(id.to_string()));
    };
    let members: Vec<(String, u32)> = decode("entity state", id, &blob)?;
    let mut wanted: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (d, l) in members {
        wanted.entry(d).or_default().push(l);
    }
    let docs: Vec<String> = wanted.keys().cloned().collect();
    let mut out = Vec::new();
    for (doc, blob) in r.profiles(&docs)? {
        let ps: Vec<Profile> = decode("profiles", &doc, &blob)?;
        let locals = wanted.get(&doc).cloned().unwrap_or_default();
        out.extend(
            ps.into_iter()
                .filter(|p| locals.contains(&(p.local as u32))),
        );
    }
    Ok(out)
}

/// Compares two stored entities as resolution would.
pub fn explain(r: &dyn Reader, a: &str, b: &str) -> Result<Explanation, ExplainError> {
    let live = |id: &str| -> Result<String, ExplainError> {
        r.live_entity_id(id)?
            .ok_or_else(|| ExplainError::Unknown(id.to_string()))
    };
    let (a, b) = (live(a)?, live(b)?);
    let head = |id: &str| -> Result<(String, String), ExplainError> {
        let h = r
            .entity(id)?
            .ok_or_else(|| ExplainError::Unknown(id.to_string()))?;
        Ok((h.name, h.id))
    };
    let (ha, hb) = (head(&a)?, head(&b)?);
    if a == b {
        let members = r.members(&a, 0, 50)?;
        let mut reasons = vec![format!(
            "It was built from {} document-level entities:",
            members.total
        )];
        for m in &members.items {
            reasons.push(match &m.reason {
                None => format!("document {}: first seen here", m.member.doc),
                Some(why) => format!(
                    "document {} joined (match probability {:.2}): {why}",
                    m.member.doc,
                    m.probability.unwrap_or(0.0)
                ),
            });
        }
        return Ok(Explanation {
            a: ha,
            b: hb,
            same: true,
            would_merge: true,
            probability: 1.0,
            reasons,
        });
    }
    let pa = member_profiles(r, &a)?;
    let pb = member_profiles(r, &b)?;
    let mut stats = CorpusStats::default();
    for p in pa.iter().chain(pb.iter()) {
        stats.add_document(std::slice::from_ref(p));
    }
    let verdict = assess(&pa, &pb, &stats);
    Ok(Explanation {
        a: ha,
        b: hb,
        same: false,
        would_merge: verdict.merge,
        probability: verdict.score,
        reasons: verdict.reasons,
    })
}
