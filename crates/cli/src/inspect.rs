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
