//! Disputes, grouped once at build time: claims joined by agreement or
//! disagreement form one group; agreeing claims stand on one side,
//! disagreeing ones on the other. The CLI, the API and the web page all
//! read these stored groups.

use crate::corpus::CorpusError;
use dossier_core::stable_id;
use dossier_facts::Linked;
use dossier_store::{CorpusTx, DisputeGroup};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Most stored claims the links are followed to beyond the claims a step
/// relinked; a larger web is cut there (and says so in the log).
const MAX_GROUP: usize = 5000;

/// The claims linked to `first`, and whether any link is a disagreement.
fn component(
    first: &str,
    edges: &BTreeMap<String, Vec<(String, bool)>>,
    done: &mut BTreeSet<String>,
) -> (BTreeSet<String>, bool) {
    let mut members = BTreeSet::from([first.to_string()]);
    let mut disputed = false;
    let mut queue = VecDeque::from([first.to_string()]);
    done.insert(first.to_string());
    while let Some(c) = queue.pop_front() {
        for (o, agree) in edges.get(&c).into_iter().flatten() {
            disputed |= !agree;
            if done.insert(o.clone()) {
                members.insert(o.clone());
                queue.push_back(o.clone());
            }
        }
    }
    (members, disputed)
}

/// Sides such that agreeing claims share one and disagreeing ones do not;
/// `None` when the links admit no such split.
fn two_sides(
    members: &BTreeSet<String>,
    edges: &BTreeMap<String, Vec<(String, bool)>>,
) -> Option<Vec<(String, u8)>> {
    let mut side: BTreeMap<&str, u8> = BTreeMap::new();
    for start in members {
        if side.contains_key(start.as_str()) {
            continue;
        }
        side.insert(start, 0);
        let mut queue = VecDeque::from([start.as_str()]);
        while let Some(c) = queue.pop_front() {
            let s = side[c];
            for (o, agree) in edges.get(c).into_iter().flatten() {
                let want = if *agree { s } else { 1 - s };
                match side.get(o.as_str()) {
                    Some(&have) if have != want => return None,
                    Some(_) => {}
                    None => {
                        side.insert(o, want);
                        queue.push_back(o);
                    }
                }
            }
        }
    }
    Some(side.into_iter().map(|(c, s)| (c.to_string(), s)).collect())
}

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
    // The bound is on the claims reached, not on the step's own: a step of
    // thousands of claims still follows their links.
    let limit = seen.len() + MAX_GROUP;
    while !frontier.is_empty() && seen.len() < limit {
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
    if !frontier.is_empty() {
        tracing::warn!(
            "claim links were followed to {MAX_GROUP} stored claims and cut there; \
             the largest dispute groups may be incomplete"
        );
    }
    let mut dropped: BTreeSet<String> = old.iter().cloned().collect();
    let seen_v: Vec<String> = seen.iter().cloned().collect();
    dropped.extend(tx.disputes_of(&seen_v)?);
    let mut groups = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    for first in &seen {
        if done.contains(first) {
            continue;
        }
        let (members, disputed) = component(first, &edges, &mut done);
        if members.len() < 2 {
            continue;
        }
        let sides = match two_sides(&members, &edges) {
            Some(sides) => sides,
            None => {
                tracing::debug!("a dispute group is not two-sided; its claims are sided by stance");
                let stances = tx.denials(&members)?;
                members
                    .iter()
                    .map(|c| (c.clone(), u8::from(stances.contains(c))))
                    .collect()
            }
        };
        let ids: Vec<String> = members.iter().cloned().collect();
        let about = tx.about_labels(&ids)?;
        let about = about.into_iter().take(3).collect::<Vec<_>>().join(", ");
        let id = stable_id("dispute", &[&ids[0]]);
        groups.push(DisputeGroup {
            id,
            disputed,
            about,
            members: sides,
        });
    }
    let dropped: Vec<String> = dropped.into_iter().collect();
    tx.write_disputes(&dropped, &groups)?;
    Ok(())
}
