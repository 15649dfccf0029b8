//! `dossier explain`: why two stored entities are, or are not, one.

use crate::codec::{decode, CodecError};
use dossier_resolve::{
    named_apart_in, state_counts, CorpusStats, EntityState, Judgements, Model, Resolver,
    StoredEntity, MAX_BLOCK,
};
use dossier_store::{Reader, StoreError};

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

/// The resolver's stored state of an entity.
fn state(r: &dyn Reader, id: &str) -> Result<EntityState, ExplainError> {
    let Some(blob) = r.entity_state(id)? else {
        return Err(ExplainError::Unknown(id.to_string()));
    };
    Ok(decode("entity state", id, &blob)?)
}

/// Analysts' judgements between members of `a` and members of `b`.
fn judgement_lines(r: &dyn Reader, a: &str, b: &str) -> Result<Vec<String>, ExplainError> {
    let mut out = Vec::new();
    for j in r.judgements()? {
        let (x, y) = (r.member_entity(&j.a)?, r.member_entity(&j.b)?);
        let hit = |p: &Option<String>, q: &Option<String>| {
            p.as_deref() == Some(a) && q.as_deref() == Some(b)
        };
        if hit(&x, &y) || hit(&y, &x) || (a == b && x.as_deref() == Some(a)) {
            out.push(format!(
                "analyst judgement {} ({}){}{}",
                j.id,
                j.kind.as_str().replace('_', " "),
                j.note
                    .as_deref()
                    .map_or(String::new(), |n| format!(": {n}")),
                if j.applied {
                    ""
                } else {
                    " (applies from the next build)"
                }
            ));
        }
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
        let mut reasons = judgement_lines(r, &a, &a)?;
        reasons.push(format!(
            "It was built from {} document-level entities:",
            members.total
        ));
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
    let (sa, sb) = (state(r, &a)?, state(r, &b)?);
    let unresolved = sa.ambiguous || sb.ambiguous;
    let mut verdict = weigh(r, (&a, sa), (&b, sb))?;
    // As in resolution: two entities one document names apart stay apart
    // (a reason found in the names themselves is the one shown).
    if verdict.cannot.is_none() {
        if let Some(doc) = r.shared_document(&a, &b)? {
            verdict.merge = false;
            verdict.cannot = Some(named_apart_in(&doc, unresolved));
        }
    }
    let mut reasons = judgement_lines(r, &a, &b)?;
    let judged = !reasons.is_empty();
    reasons.extend(verdict.reasons());
    Ok(Explanation {
        a: ha,
        b: hb,
        same: false,
        would_merge: verdict.merge && !judged,
        probability: verdict.probability,
        reasons,
    })
}

/// The comparison as resolution makes it: the smaller entity as a
/// newcomer to the blocks its names make, with the other entities found
/// there (they decide the main-bearer prior: "Trump" alone means the one
/// the corpus writes about far more than any other).
fn weigh(
    r: &dyn Reader,
    (a, sa): (&str, EntityState),
    (b, sb): (&str, EntityState),
) -> Result<dossier_resolve::Assessment, ExplainError> {
    let ((new_id, newcomer), (target_id, target)) = if sb.members > sa.members {
        ((a, sa), (b, sb))
    } else {
        ((b, sb), (a, sa))
    };
    let mut existing = vec![StoredEntity {
        id: target_id.to_string(),
        state: target,
        judged: Vec::new(),
    }];
    for id in r.entity_ids_for_keys(&newcomer.keys(), MAX_BLOCK)? {
        if id != new_id && id != target_id {
            existing.push(StoredEntity {
                state: state(r, &id)?,
                id,
                judged: Vec::new(),
            });
        }
    }
    let mut keys = state_counts(&newcomer);
    for e in &existing {
        keys.extend(state_counts(&e.state));
    }
    let stats = CorpusStats::from_counts(r.stat_counts(&keys)?);
    let model = Model::embedded();
    let judgements = Judgements::default();
    let mut resolver = Resolver::new(&model, &stats, &judgements, existing);
    resolver
        .weigh(&newcomer, target_id)
        .ok_or_else(|| ExplainError::Unknown(target_id.to_string()))
}
