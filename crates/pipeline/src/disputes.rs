//! Disputes, grouped once at build time: claims joined by agreement or
//! disagreement form one group; agreeing claims stand on one side,
//! disagreeing ones on the other. The CLI, the API and the web page all
//! read these stored groups.

use crate::corpus::CorpusError;
use dossier_core::stable_id;
use dossier_facts::Linked;
use dossier_store::{CorpusTx, DisputeGroup};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Most claims one group is followed to; a larger one is cut there (and
/// says so in the log).
const MAX_GROUP: usize = 5000;

/// Recomputes the groups of the relinked claims and of the claims that
/// shared a group with them.
pub fn regroup(tx: &CorpusTx<'_>, linked: &Linked, old: &[String]) -> Result<(), CorpusError> {
    let mut start: BTreeSet<String> = linked.claims.iter().map(|(c, _)| c.id.clone()).collect();
    start.extend(tx.dispute_claims(old)?);
    // Follow stored links from the starting claims: breadth first, in
    // batches, so each claim's links are read once.
    let mut seen: BTreeSet<String> = start.clone();
    let mut edges: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    let mut frontier: Vec<String> = start.into_iter().collect();
    while !frontier.is_empty() && seen.len() < MAX_GROUP {
        let mut next = Vec::new();
        for (a, b, agree) in tx.links_of(&frontier)? {
            edges.entry(a.clone()).or_default().push((b.clone(), agree));
            edges.entry(b.clone()).or_default().push((a.clone(), agree));
            for x in [a, b] {
                if seen.insert(x.clone()) {
                    next.push(x);
                }
            }
        }
        frontier = next;
    }
    if seen.len() >= MAX_GROUP {
        tracing::warn!("a dispute group reached {MAX_GROUP} claims and was cut there");
    }
    let mut dropped: BTreeSet<String> = old.iter().cloned().collect();
    let seen_v: Vec<String> = seen.iter().cloned().collect();
    dropped.extend(tx.disputes_of(&seen_v)?);
    let mut side: BTreeMap<String, u8> = BTreeMap::new();
    let mut groups = Vec::new();
    for first in &seen {
        if side.contains_key(first) {
            continue;
        }
        let mut members: Vec<(String, u8)> = Vec::new();
        let mut disputed = false;
        let mut queue = VecDeque::from([(first.clone(), 0u8)]);
        side.insert(first.clone(), 0);
        while let Some((c, s)) = queue.pop_front() {
            for (o, agree) in edges.get(&c).into_iter().flatten() {
                disputed |= !agree;
                let want = if *agree { s } else { 1 - s };
                if !side.contains_key(o) {
                    side.insert(o.clone(), want);
                    queue.push_back((o.clone(), want));
                }
            }
            members.push((c, s));
        }
        if members.len() < 2 {
            continue;
        }
        members.sort();
        let ids: Vec<String> = members.iter().map(|(c, _)| c.clone()).collect();
        let about = tx.about_labels(&ids)?;
        let about = about.into_iter().take(3).collect::<Vec<_>>().join(", ");
        let id = stable_id("dispute", &[&ids[0]]);
        groups.push(DisputeGroup {
            id,
            disputed,
            about,
            members,
        });
    }
    let dropped: Vec<String> = dropped.into_iter().collect();
    tx.write_disputes(&dropped, &groups)?;
    Ok(())
}
