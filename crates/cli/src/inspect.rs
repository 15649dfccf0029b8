//! `dossier who`, `show`, `explain`, `timeline` and `claims`: reading the
//! knowledge base as a user. Each answers from one snapshot of the store
//! through `dossier-query`; nothing loads the corpus.

use anyhow::{bail, Result};
use dossier_query::{ClaimBrief, DisputeView, Page, Query};
use std::fmt::Write as _;

/// Every entity `name` could mean, ranked, one line each.
pub fn who(q: &Query<'_>, name: &str, limit: usize) -> Result<String> {
    let hits = q.search(name, None, Page::new(0, limit))?;
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

fn short(title: &Option<String>, doc: &str) -> String {
    match title {
        Some(t) if t.chars().count() > 48 => format!("{}…", t.chars().take(47).collect::<String>()),
        Some(t) => t.clone(),
        None => format!("document {doc}"),
    }
}

/// An entity's names and aliases with sources, descriptions, why it is one
/// entity, and its documents.
pub fn show(q: &Query<'_>, id: &str, limit: usize) -> Result<String> {
    let Some(d) = q.dossier(id, Page::new(0, limit))? else {
        bail!("no entity with id {id:?} (find ids with `dossier who NAME`)");
    };
    let mut out = String::new();
    if d.summary.id != id {
        writeln!(out, "({id} was merged into {})", d.summary.id)?;
    }
    writeln!(
        out,
        "{}  [{}]  {}",
        d.summary.name, d.summary.id, d.summary.kind
    )?;
    writeln!(out, "{}", d.summary.line)?;
    writeln!(out, "\nNames ({}):", d.names.total)?;
    for n in &d.names.items {
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
    if !d.descriptions.items.is_empty() {
        writeln!(out, "\nDescribed as:")?;
        for x in &d.descriptions.items {
            let src: Vec<String> = x
                .evidence
                .iter()
                .take(2)
                .map(|e| short(&e.doc_title, &e.doc))
                .collect();
            writeln!(out, "  \"{}\" ({}×: {})", x.text, x.total, src.join("; "))?;
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
    if !d.sanctions.is_empty() {
        writeln!(out, "\nSanctions screening:")?;
        for m in &d.sanctions {
            writeln!(
                out,
                "  {} {} {} {} — score {:.2}{}",
                if m.is_match { "MATCH" } else { "near miss" },
                m.list.to_uppercase(),
                m.list_id,
                m.name,
                m.score,
                if m.programs.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", m.programs)
                }
            )?;
            for line in m.explanation.iter().take(if m.is_match { 12 } else { 3 }) {
                writeln!(out, "      {line}")?;
            }
        }
    }
    writeln!(
        out,
        "\nMentions per document ({} documents):",
        d.documents.total
    )?;
    for doc in &d.documents.items {
        writeln!(
            out,
            "  {:>3}  {} ({})  [{}]",
            doc.mentions,
            doc.doc
                .title
                .clone()
                .unwrap_or_else(|| doc.doc.source.clone()),
            doc.doc
                .published
                .clone()
                .unwrap_or_else(|| "undated".into()),
            doc.doc.id
        )?;
    }
    if d.documents.total > d.documents.items.len() {
        writeln!(out, "  ... (see --limit)")?;
    }
    if d.relations.total > 0 || d.events.total > 0 || d.claims.total > 0 {
        writeln!(
            out,
            "\n{} relations, {} events, {} claims: see `dossier timeline {}` and `dossier claims {}`.",
            d.relations.total, d.events.total, d.claims.total, d.summary.id, d.summary.id
        )?;
    }
    Ok(out)
}

/// An entity id from an id or a name; an ambiguous name lists the
/// candidates instead.
pub fn entity_arg(q: &Query<'_>, arg: &str) -> Result<String> {
    if let Some(id) = q.entity_id(arg)? {
        return Ok(id);
    }
    let hits = q.search(arg, None, Page::new(0, 5))?;
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
pub fn timeline(q: &Query<'_>, entity: Option<&str>, limit: usize) -> Result<String> {
    let entity = entity.map(|e| entity_arg(q, e)).transpose()?;
    let query = dossier_query::TimelineQuery {
        entity: entity.clone(),
        page: Page::new(0, limit),
        ..Default::default()
    };
    let Some(events) = q.timeline(&query)? else {
        bail!("no such entity");
    };
    let mut out = String::new();
    if let Some(id) = &entity {
        let name = q.summary(id)?.map(|s| s.name).unwrap_or_default();
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
        let how = if e.modality.happened() {
            String::new()
        } else {
            format!(" ({})", e.modality.as_str())
        };
        let amount = e
            .amount
            .as_ref()
            .map(|a| format!(" of {}", a.text))
            .unwrap_or_default();
        writeln!(
            out,
            "{date:<10}  {}{how}{amount}{}{}  [{}]",
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

fn claim_line(c: &ClaimBrief) -> String {
    let who = c
        .speaker_text
        .clone()
        .or_else(|| c.speaker.as_ref().map(|s| s.name.clone()))
        .unwrap_or_else(|| "unattributed".into());
    let who = match c.speaker_kind {
        dossier_core::SpeakerKind::Unnamed => format!("{who} (unnamed source)"),
        _ => who,
    };
    let stance = match c.stance {
        dossier_core::Stance::Deny => " DENIES",
        dossier_core::Stance::Hedge => " (hedged)",
        dossier_core::Stance::NotConfirmed => " (does not confirm)",
        dossier_core::Stance::Assert if c.hedged => " (hedged)",
        dossier_core::Stance::Assert => "",
    };
    let source = c
        .evidence
        .doc_title
        .clone()
        .or_else(|| {
            c.evidence
                .doc_source
                .as_deref()
                .and_then(|s| s.trim_end_matches('/').rsplit('/').next())
                .map(str::to_string)
        })
        .unwrap_or_else(|| c.evidence.doc.clone());
    format!(
        "{who}{stance}: \"{}\"\n        — {source} ({})",
        c.text.trim(),
        c.evidence
            .published
            .clone()
            .unwrap_or_else(|| "undated".into())
    )
}

fn write_group(out: &mut String, g: &DisputeView) -> std::fmt::Result {
    writeln!(
        out,
        "\n{} — about {} ({} claims)",
        if g.disputed {
            "DISPUTED"
        } else {
            "Corroborated"
        },
        g.about,
        g.claims
    )?;
    writeln!(out, "  say so ({}):", g.sides[0].len())?;
    for c in &g.sides[0] {
        writeln!(out, "    - {}", claim_line(c))?;
    }
    if g.disputed {
        writeln!(out, "  deny or disagree ({}):", g.sides[1].len())?;
        for c in &g.sides[1] {
            writeln!(out, "    - {}", claim_line(c))?;
        }
    }
    Ok(())
}

/// Claims about an entity or event, in the dispute groups the build
/// stored: for and against, with speakers and sources.
pub fn claims(q: &Query<'_>, target: &str, limit: usize) -> Result<String> {
    let mut out = String::new();
    if let Some(ev) = q.event(target, Page::new(0, limit))? {
        let c = ev.claims;
        writeln!(
            out,
            "{} claims about the {} {}",
            c.total, ev.event.kind, ev.event.id
        )?;
        for v in &c.items {
            let brief = ClaimBrief {
                id: v.id.clone(),
                text: v.text.clone(),
                speaker: v.speaker.clone(),
                speaker_text: v.speaker_text.clone(),
                polarity: v.polarity,
                hedged: v.hedged,
                stance: v.stance,
                speaker_kind: v.speaker_kind,
                evidence: v.evidence.clone(),
            };
            writeln!(out, "  - {}", claim_line(&brief))?;
        }
        return Ok(out);
    }
    let entity = entity_arg(q, target)?;
    let groups = q.disputes(&entity, Page::new(0, limit))?;
    writeln!(out, "{} claims", groups.total)?;
    let shown: usize = groups
        .groups
        .iter()
        .map(|g| g.sides[0].len() + g.sides[1].len())
        .sum::<usize>()
        + groups.single_source.len();
    if groups.total > shown {
        writeln!(
            out,
            "(the first {limit} are shown, with their groups; see --limit)"
        )?;
    }
    for g in &groups.groups {
        write_group(&mut out, g)?;
    }
    if !groups.single_source.is_empty() {
        writeln!(out, "\nFrom a single source:")?;
        for c in &groups.single_source {
            writeln!(out, "  - {}", claim_line(c))?;
        }
    }
    Ok(out)
}
