//! `dossier who`, `show` and `explain`: reading the knowledge base as a user.

use anyhow::{bail, Result};
use dossier_query::{Index, Page};
use dossier_store::Store;
use std::fmt::Write as _;

fn index(store: &Store) -> Result<Index> {
    Ok(Index::new(dossier_export::knowledge_base(store)?))
}

/// Every entity `name` could mean, ranked, one line each.
pub fn who(store: &Store, name: &str, limit: usize) -> Result<String> {
    let idx = index(store)?;
    let hits = idx.search(name, None, Page::new(0, limit));
    let mut out = String::new();
    if hits.items.is_empty() {
        writeln!(out, "No entity is called anything like \"{name}\".")?;
        return Ok(out);
    }
    let n = hits.total;
    writeln!(
        out,
        "{n} {} could be \"{name}\"{}:",
        if n == 1 { "entity" } else { "entities" },
        if n > hits.items.len() {
            format!(" (showing {})", hits.items.len())
        } else {
            String::new()
        }
    )?;
    for (i, h) in hits.items.iter().enumerate() {
        writeln!(out, "{:>3}. {}  [{}]", i + 1, h.entity.name, h.entity.id)?;
        writeln!(out, "     {}", h.entity.line)?;
        if h.matched != h.entity.name {
            writeln!(out, "     (matched \"{}\")", h.matched)?;
        }
    }
    writeln!(
        out,
        "\nMore: dossier show ID; why two are (not) one: dossier explain ID1 ID2"
    )?;
    Ok(out)
}

/// An entity's names and aliases with sources, descriptions, and mentions
/// per document.
pub fn show(store: &Store, id: &str) -> Result<String> {
    let idx = index(store)?;
    let Some(d) = idx.dossier(id) else {
        bail!("no entity with id {id:?} (find ids with `dossier who NAME`)");
    };
    let mut out = String::new();
    writeln!(
        out,
        "{}  [{}]  {}",
        d.summary.name, d.summary.id, d.summary.kind
    )?;
    writeln!(out, "{}", d.summary.line)?;
    writeln!(out, "\nNames:")?;
    for n in &d.names {
        let sources: Vec<String> = n
            .evidence
            .iter()
            .take(3)
            .map(|e| format!("{} @{}", short(&e.doc_title, &e.doc), e.start))
            .collect();
        writeln!(
            out,
            "  {}{} — in {} document(s): {}",
            n.text,
            if n.canonical { " (name)" } else { "" },
            n.documents,
            sources.join("; ")
        )?;
    }
    if !d.descriptions.is_empty() {
        writeln!(out, "\nDescribed as:")?;
        for x in &d.descriptions {
            let src: Vec<String> = x
                .evidence
                .iter()
                .take(2)
                .map(|e| short(&e.doc_title, &e.doc))
                .collect();
            writeln!(out, "  \"{}\" ({})", x.text, src.join("; "))?;
        }
    }
    writeln!(
        out,
        "\nWhy these are one {}:",
        if d.summary.kind == "PERSON" {
            "person"
        } else {
            "entity"
        }
    )?;
    for line in &d.identity.explanation {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "\nMentions per document:")?;
    for doc in &d.documents {
        writeln!(
            out,
            "  {:>3}  {} ({}){}",
            doc.mentions,
            doc.doc
                .title
                .clone()
                .unwrap_or_else(|| doc.doc.source.clone()),
            doc.doc
                .published
                .clone()
                .unwrap_or_else(|| "undated".into()),
            format_args!("  [{}]", doc.doc.id)
        )?;
    }
    if !d.relations.is_empty() || !d.events.is_empty() {
        writeln!(out, "\n{} relations, {} events, {} claims: see `dossier timeline {id}` and `dossier claims {id}`.",
            d.relations.len(), d.events.len(), d.claims.disputed.len() + d.claims.corroborated.len() + d.claims.single_source.len())?;
    }
    Ok(out)
}

fn short(title: &Option<String>, doc: &str) -> String {
    match title {
        Some(t) if t.chars().count() > 48 => format!("{}…", t.chars().take(47).collect::<String>()),
        Some(t) => t.clone(),
        None => format!("document {doc}"),
    }
}

/// Why two entities were, or were not, judged the same.
pub fn explain(store: &Store, a: &str, b: &str) -> Result<String> {
    let ea = store.entity_rows(a)?;
    let eb = store.entity_rows(b)?;
    let (Some(ea), Some(eb)) = (ea, eb) else {
        bail!("both ids must be entities (find ids with `dossier who NAME`)");
    };
    let mut out = String::new();
    if ea.id == eb.id {
        writeln!(
            out,
            "These are the same entity: {}. It was built from {} document-level entities:",
            ea.name,
            ea.members.len()
        )?;
        for m in &ea.members {
            match &m.reason {
                None => writeln!(out, "  - document {}: first seen here", m.doc)?,
                Some(r) => writeln!(
                    out,
                    "  - document {} joined (score {:.2}): {r}",
                    m.doc,
                    m.score.unwrap_or(0.0)
                )?,
            }
        }
        return Ok(out);
    }
    let stats = crate::resolution::corpus_stats(store)?;
    let ea = crate::resolution::to_entity(ea);
    let eb = crate::resolution::to_entity(eb);
    let pa: Vec<_> = ea.members.iter().map(|m| m.profile.clone()).collect();
    let pb: Vec<_> = eb.members.iter().map(|m| m.profile.clone()).collect();
    let verdict = dossier_resolve::assess(&pa, &pb, &stats);
    writeln!(
        out,
        "{} [{}] and {} [{}] are {}.",
        ea.display_name(),
        ea.id,
        eb.display_name(),
        eb.id,
        if verdict.merge {
            "similar enough to be one entity, but were resolved apart (they may have been compared before the evidence that links them arrived)"
        } else {
            "different entities"
        }
    )?;
    for r in &verdict.reasons {
        writeln!(out, "  - {r}")?;
    }
    writeln!(
        out,
        "  (score {:.2}; names {:.2}, context {:.2})",
        verdict.score, verdict.name.score, verdict.context
    )?;
    Ok(out)
}

/// An entity id from an id or a name; an ambiguous name lists the
/// candidates instead.
fn entity_arg(idx: &Index, arg: &str) -> Result<String> {
    if idx.entity_ref_by_id(arg).is_some() {
        return Ok(arg.to_string());
    }
    let hits = idx.search(arg, None, Page::new(0, 5));
    match hits.items.as_slice() {
        [] => bail!("no entity is called anything like \"{arg}\" (try `dossier who {arg}`)"),
        [one] => Ok(one.entity.id.clone()),
        [first, second, ..] if first.score - second.score > 0.15 => Ok(first.entity.id.clone()),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|h| format!("  {}  [{}]  {}", h.entity.name, h.entity.id, h.entity.line))
                .collect();
            bail!(
                "\"{arg}\" could be several entities; give an id:\n{}",
                list.join("\n")
            )
        }
    }
}

/// Dated events in order, with their sources.
pub fn timeline(store: &Store, entity: Option<&str>, limit: usize) -> Result<String> {
    let idx = index(store)?;
    let entity = entity.map(|e| entity_arg(&idx, e)).transpose()?;
    let q = dossier_query::TimelineQuery {
        entity: entity.clone(),
        page: Page::new(0, limit),
        ..Default::default()
    };
    let Some(events) = idx.timeline(&q) else {
        bail!("no such entity");
    };
    let mut out = String::new();
    if let Some(id) = &entity {
        let name = idx.entity_ref_by_id(id).map(|e| e.name).unwrap_or_default();
        writeln!(out, "Timeline of {name} [{id}]: {} events", events.total)?;
    } else {
        writeln!(out, "Timeline: {} events", events.total)?;
    }
    for e in &events.items {
        let date = e
            .date
            .as_ref()
            .and_then(|d| d.value.clone())
            .unwrap_or_else(|| "undated".into());
        let who: Vec<String> = e
            .participants
            .iter()
            .map(|p| format!("{} {}", p.role, p.entity.name))
            .collect();
        let places: Vec<&str> = e.places.iter().map(|p| p.name.as_str()).collect();
        writeln!(
            out,
            "{date:<10}  {}{}{}  [{}]",
            e.kind,
            if who.is_empty() {
                String::new()
            } else {
                format!(": {}", who.join(", "))
            },
            if places.is_empty() {
                String::new()
            } else {
                format!(" in {}", places.join(", "))
            },
            e.id
        )?;
        let sources: Vec<String> = e
            .documents
            .iter()
            .map(|d| {
                format!(
                    "{} ({})",
                    d.title.clone().unwrap_or_else(|| d.source.clone()),
                    d.published.clone().unwrap_or_else(|| "undated".into())
                )
            })
            .collect();
        writeln!(
            out,
            "            {} source(s): {}",
            sources.len(),
            sources.join("; ")
        )?;
        if let Some(ev) = e.evidence.first() {
            writeln!(out, "            \"{}\"", ev.text.trim())?;
        }
    }
    Ok(out)
}

/// Claims about an entity or event: for and against, with speakers and
/// sources.
pub fn claims(store: &Store, target: &str, limit: usize) -> Result<String> {
    let idx = index(store)?;
    let (entity, event) = if idx.event(target).is_some() {
        (None, Some(target.to_string()))
    } else {
        (Some(entity_arg(&idx, target)?), None)
    };
    let q = dossier_query::ClaimQuery {
        entity: entity.clone(),
        event,
        page: Page::new(0, limit),
        ..Default::default()
    };
    let Some(claims) = idx.claims(&q) else {
        bail!("no such entity or event");
    };
    let mut out = String::new();
    let items = &claims.items;
    writeln!(out, "{} claims", claims.total)?;
    if claims.total > items.len() {
        writeln!(out, "(the first {} are shown; see --limit)", items.len())?;
    }
    // Claims linked by support or contradiction form one group; supporters
    // stand on one side, contradictors on the other.
    let pos: std::collections::HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut side: Vec<Option<(usize, bool)>> = vec![None; items.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for start in 0..items.len() {
        if side[start].is_some() {
            continue;
        }
        let g = groups.len();
        side[start] = Some((g, false));
        let mut members = vec![start];
        let mut k = 0;
        while k < members.len() {
            let i = members[k];
            k += 1;
            let here = side[i].map(|(_, s)| s).unwrap_or(false);
            let links = items[i]
                .supports
                .iter()
                .map(|b| (b, here))
                .chain(items[i].contradicts.iter().map(|b| (b, !here)));
            for (b, s) in links {
                if let Some(&j) = pos.get(b.id.as_str()) {
                    if side[j].is_none() {
                        side[j] = Some((g, s));
                        members.push(j);
                    }
                }
            }
        }
        groups.push(members);
    }
    let line = |c: &dossier_query::ClaimView| {
        let who = c
            .speaker_text
            .clone()
            .or_else(|| c.speaker.as_ref().map(|s| s.name.clone()))
            .unwrap_or_else(|| "unattributed".into());
        let stance = match (c.polarity, c.hedged) {
            (dossier_core::Polarity::Deny, _) => " DENIES",
            (_, true) => " (hedged)",
            _ => "",
        };
        format!(
            "{who}{stance}: \"{}\"\n        — {} ({})",
            c.text.trim(),
            c.evidence
                .doc_title
                .clone()
                .or_else(|| {
                    c.evidence
                        .doc_source
                        .as_deref()
                        .and_then(|s| s.trim_end_matches('/').rsplit('/').next())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| c.evidence.doc.clone()),
            c.evidence
                .published
                .clone()
                .unwrap_or_else(|| "undated".into())
        )
    };
    let (linked, single): (Vec<&Vec<usize>>, Vec<&Vec<usize>>) =
        groups.iter().partition(|g| g.len() > 1);
    for g in linked {
        let sides: [Vec<usize>; 2] = [false, true].map(|s| {
            g.iter()
                .copied()
                .filter(|&i| side[i].map(|(_, x)| x) == Some(s))
                .collect()
        });
        let mut about: Vec<&str> = Vec::new();
        for &i in g {
            for a in &items[i].about {
                if !about.contains(&a.label.as_str()) {
                    about.push(&a.label);
                }
            }
        }
        let disputed = !sides[1].is_empty();
        writeln!(
            out,
            "\n{} — about {}",
            if disputed { "DISPUTED" } else { "Corroborated" },
            about.join(", ")
        )?;
        // The side that mostly asserts is listed first.
        let asserts = |xs: &Vec<usize>| {
            xs.iter()
                .filter(|&&i| items[i].polarity != dossier_core::Polarity::Deny)
                .count() as i64
                - xs.iter()
                    .filter(|&&i| items[i].polarity == dossier_core::Polarity::Deny)
                    .count() as i64
        };
        let (first, second) = if asserts(&sides[1]) > asserts(&sides[0]) {
            (&sides[1], &sides[0])
        } else {
            (&sides[0], &sides[1])
        };
        writeln!(out, "  say so ({}):", first.len())?;
        for &i in first {
            writeln!(out, "    - {}", line(&items[i]))?;
        }
        if disputed {
            writeln!(out, "  deny or disagree ({}):", second.len())?;
            for &i in second {
                writeln!(out, "    - {}", line(&items[i]))?;
            }
        }
    }
    if !single.is_empty() {
        writeln!(out, "\nFrom a single source:")?;
        for g in single {
            writeln!(out, "  - {}", line(&items[g[0]]))?;
        }
    }
    Ok(out)
}
