//! An entity's neighbourhood: relations, shared events and co-mentions,
//! breadth-first and bounded.

use crate::{Index, MAX_DEPTH, MAX_GRAPH_NODES};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// Co-mention edges followed from each node (the strongest ones): every
/// entity in a long article co-occurs with every other, so all of them
/// would bury the relations.
const CO_MENTIONS_PER_NODE: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub documents: usize,
    /// Hops from the centre.
    pub depth: usize,
    /// The disambiguating one-liner, for tooltips.
    pub line: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    /// Unique within the graph (and stable across expansions).
    pub id: String,
    pub source: String,
    pub target: String,
    /// `relation`, `event` or `co_mention`.
    pub kind: &'static str,
    /// Relation type, event type and date, or "N shared documents".
    pub label: String,
    /// The relation or event id the edge stands for.
    pub ref_id: Option<String>,
    /// Shared documents for co-mentions, 1 otherwise.
    pub weight: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    pub center: String,
    pub depth: usize,
    pub limit: usize,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// True when the node limit cut the neighbourhood short.
    pub truncated: bool,
}

struct Link {
    to: usize,
    key: String,
    kind: &'static str,
    label: String,
    ref_id: Option<String>,
    weight: usize,
}

impl Index {
    fn links(&self, u: usize) -> Vec<Link> {
        let mut out = Vec::new();
        let mut linked = HashSet::new();
        for &r in &self.entity_relations[u] {
            let rel = &self.export.relations[r];
            let other = if rel.subject == self.export.entities[u].id {
                &rel.object
            } else {
                &rel.subject
            };
            if let Some(v) = self.entity_idx(other).filter(|&v| v != u) {
                linked.insert(v);
                out.push(Link {
                    to: v,
                    key: format!("r:{}", rel.id),
                    kind: "relation",
                    label: match &rel.role {
                        Some(role) => format!("{} ({role})", rel.kind.replace('_', " ")),
                        None => rel.kind.replace('_', " "),
                    },
                    ref_id: Some(rel.id.clone()),
                    weight: 1,
                });
            }
        }
        for &ev in &self.entity_events[u] {
            let e = &self.export.events[ev];
            let others = e
                .participants
                .iter()
                .map(|p| p.entity.as_str())
                .chain(e.places.iter().map(String::as_str));
            for id in others {
                if let Some(v) = self.entity_idx(id).filter(|&v| v != u) {
                    linked.insert(v);
                    let (a, b) = (u.min(v), u.max(v));
                    out.push(Link {
                        to: v,
                        key: format!("e:{}:{a}:{b}", e.id),
                        kind: "event",
                        label: self.event_label(ev),
                        ref_id: Some(e.id.clone()),
                        weight: 1,
                    });
                }
            }
        }
        for (v, n) in self
            .co_mentions(u)
            .into_iter()
            .filter(|(v, _)| !linked.contains(v))
            .take(CO_MENTIONS_PER_NODE)
        {
            let (a, b) = (u.min(v), u.max(v));
            out.push(Link {
                to: v,
                key: format!("c:{a}:{b}"),
                kind: "co_mention",
                label: if n == 1 {
                    "1 shared document".into()
                } else {
                    format!("{n} shared documents")
                },
                ref_id: None,
                weight: n,
            });
        }
        out
    }

    /// The neighbourhood of an entity up to `depth` hops (at most
    /// [`MAX_DEPTH`]) and `limit` nodes (at most [`MAX_GRAPH_NODES`]).
    /// `None` for an unknown id.
    pub fn graph(&self, id: &str, depth: usize, limit: usize) -> Option<Graph> {
        let start = self.entity_idx(id)?;
        let depth = depth.min(MAX_DEPTH);
        let limit = limit.clamp(1, MAX_GRAPH_NODES);
        let mut order = vec![(start, 0usize)];
        let mut seen: HashMap<usize, usize> = HashMap::from([(start, 0)]);
        let mut queue = VecDeque::from([(start, 0usize)]);
        let mut edges = Vec::new();
        let mut keys = HashSet::new();
        let mut truncated = false;
        while let Some((u, d)) = queue.pop_front() {
            for link in self.links(u) {
                if !seen.contains_key(&link.to) {
                    // Nodes at the last hop only link among what is shown.
                    if d >= depth {
                        continue;
                    }
                    if seen.len() >= limit {
                        truncated = true;
                        continue;
                    }
                    seen.insert(link.to, d + 1);
                    order.push((link.to, d + 1));
                    queue.push_back((link.to, d + 1));
                }
                if keys.insert(link.key.clone()) {
                    edges.push(GraphEdge {
                        id: link.key,
                        source: self.export.entities[u].id.clone(),
                        target: self.export.entities[link.to].id.clone(),
                        kind: link.kind,
                        label: link.label,
                        ref_id: link.ref_id,
                        weight: link.weight,
                    });
                }
            }
        }
        let nodes = order
            .into_iter()
            .map(|(i, d)| {
                let e = &self.export.entities[i];
                GraphNode {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    kind: e.kind.clone(),
                    documents: self.entity_docs[i].len(),
                    depth: d,
                    line: self.summary_at(i).line.clone(),
                }
            })
            .collect();
        Some(Graph {
            center: self.export.entities[start].id.clone(),
            depth,
            limit,
            nodes,
            edges,
            truncated,
        })
    }
}
