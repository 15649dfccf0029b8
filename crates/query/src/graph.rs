//! An entity's neighbourhood: relations, shared events and co-mentions,
//! breadth-first and bounded.

use crate::views::event_label;
use crate::{Query, Result, MAX_DEPTH, MAX_GRAPH_NODES};
use dossier_store::{EntityHead, EventFilter};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// Co-mention edges followed from each node (the strongest ones): every
/// entity in a long article co-occurs with every other, so all of them
/// would bury the relations.
const CO_MENTIONS_PER_NODE: usize = 8;
/// Relations and events followed from each node.
const LINKS_PER_NODE: usize = 40;
/// Documents of a node its co-mentions are counted in.
const SAMPLE_DOCS: usize = 100;

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
    to: String,
    key: String,
    kind: &'static str,
    label: String,
    ref_id: Option<String>,
    weight: usize,
}

impl Query<'_> {
    fn links(&self, u: &str) -> Result<Vec<Link>> {
        let mut out = Vec::new();
        let mut linked = HashSet::new();
        let pair = |a: &str, b: &str| {
            if a <= b {
                format!("{a}:{b}")
            } else {
                format!("{b}:{a}")
            }
        };
        for (rel, _) in self.r.relations_of(u, 0, LINKS_PER_NODE, 0)?.items {
            let other = if rel.subject == u {
                &rel.object
            } else {
                &rel.subject
            };
            if other == u {
                continue;
            }
            linked.insert(other.clone());
            out.push(Link {
                to: other.clone(),
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
        let filter = EventFilter {
            entity: Some(u.to_string()),
            ..EventFilter::default()
        };
        for (e, _) in self.r.events(&filter, 0, LINKS_PER_NODE, 0)?.items {
            let others = e
                .participants
                .iter()
                .map(|p| p.entity.as_str())
                .chain(e.places.iter().map(String::as_str));
            for v in others {
                if v == u {
                    continue;
                }
                linked.insert(v.to_string());
                out.push(Link {
                    to: v.to_string(),
                    key: format!("e:{}:{}", e.id, pair(u, v)),
                    kind: "event",
                    label: event_label(&e.kind, e.date.as_ref()),
                    ref_id: Some(e.id.clone()),
                    weight: 1,
                });
            }
        }
        for (h, n) in self
            .r
            .co_mentions(u, SAMPLE_DOCS, CO_MENTIONS_PER_NODE + linked.len())?
        {
            if linked.contains(&h.id) {
                continue;
            }
            if out.iter().filter(|l| l.kind == "co_mention").count() == CO_MENTIONS_PER_NODE {
                break;
            }
            out.push(Link {
                key: format!("c:{}", pair(u, &h.id)),
                to: h.id,
                kind: "co_mention",
                label: if n == 1 {
                    "1 shared document".into()
                } else {
                    format!("{n} shared documents")
                },
                ref_id: None,
                weight: n as usize,
            });
        }
        Ok(out)
    }

    /// The neighbourhood of an entity up to `depth` hops (at most
    /// [`MAX_DEPTH`]) and `limit` nodes (at most [`MAX_GRAPH_NODES`]).
    /// `None` for an unknown id.
    pub fn graph(&self, id: &str, depth: usize, limit: usize) -> Result<Option<Graph>> {
        let Some(start) = self.entity_id(id)? else {
            return Ok(None);
        };
        let depth = depth.min(MAX_DEPTH);
        let limit = limit.clamp(1, MAX_GRAPH_NODES);
        let mut order = vec![(start.clone(), 0usize)];
        let mut seen: HashMap<String, usize> = HashMap::from([(start.clone(), 0)]);
        let mut queue = VecDeque::from([(start.clone(), 0usize)]);
        let mut edges = Vec::new();
        let mut keys = HashSet::new();
        let mut truncated = false;
        while let Some((u, d)) = queue.pop_front() {
            for link in self.links(&u)? {
                if !seen.contains_key(&link.to) {
                    // Nodes at the last hop only link among what is shown.
                    if d >= depth {
                        continue;
                    }
                    if seen.len() >= limit {
                        truncated = true;
                        continue;
                    }
                    seen.insert(link.to.clone(), d + 1);
                    order.push((link.to.clone(), d + 1));
                    queue.push_back((link.to.clone(), d + 1));
                }
                if keys.insert(link.key.clone()) {
                    edges.push(GraphEdge {
                        id: link.key,
                        source: u.clone(),
                        target: link.to,
                        kind: link.kind,
                        label: link.label,
                        ref_id: link.ref_id,
                        weight: link.weight,
                    });
                }
            }
        }
        let ids: Vec<String> = order.iter().map(|(i, _)| i.clone()).collect();
        let heads: HashMap<String, EntityHead> = self
            .r
            .entities(&ids)?
            .into_iter()
            .map(|h| (h.id.clone(), h))
            .collect();
        let mut nodes = Vec::new();
        for (i, d) in order {
            let Some(h) = heads.get(&i) else { continue };
            nodes.push(GraphNode {
                id: h.id.clone(),
                name: h.name.clone(),
                kind: h.label.clone(),
                documents: h.docs as usize,
                depth: d,
                line: self.summary_of(h)?.line,
            });
        }
        edges.retain(|e| heads.contains_key(&e.source) && heads.contains_key(&e.target));
        Ok(Some(Graph {
            center: start,
            depth,
            limit,
            nodes,
            edges,
            truncated,
        }))
    }
}
