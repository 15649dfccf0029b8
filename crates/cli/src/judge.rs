//! Analysts' judgements (`dossier merge`, `not-same`, `split`) and
//! `dossier explain`. Judgements are stored by document-level entity, so
//! they survive changes of entity ids; every later build respects them.

use anyhow::{bail, Context, Result};
use dossier_pipeline::explain::Explanation;
use dossier_store::{JudgementKind, MemberKey, Reader, Store, WhenBusy};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PairArgs {
    pub id1: String,
    pub id2: String,
    #[arg(long, default_value = "dossier.db")]
    pub db: PathBuf,
    /// Why (kept with the judgement and shown in explanations).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SplitArgs {
    /// The entity.
    pub id: String,
    /// The document whose mentions are someone else.
    #[arg(long)]
    pub doc: String,
    #[arg(long, default_value = "dossier.db")]
    pub db: PathBuf,
    #[arg(long)]
    pub note: Option<String>,
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{secs}")
}

/// The first member of a stored entity (after redirects): its anchor.
fn anchor(r: &dyn Reader, id: &str) -> Result<(String, MemberKey)> {
    let Some(live) = r.live_entity_id(id)? else {
        bail!("no entity with id {id:?} (find ids with `dossier who NAME`)");
    };
    let first = r
        .members(&live, 0, 1)?
        .items
        .into_iter()
        .next()
        .with_context(|| format!("entity {live} has no members"))?;
    Ok((live, first.member))
}

pub fn pair(a: &PairArgs, kind: JudgementKind) -> Result<()> {
    let (x, y) = {
        let mut store = Store::open_read(&a.db)?;
        let snap = store.snapshot()?;
        (anchor(&snap, &a.id1)?, anchor(&snap, &a.id2)?)
    };
    if x.0 == y.0 && kind == JudgementKind::NotSame {
        bail!(
            "{} and {} are one entity now; say which document's mentions are someone else with `dossier split {} --doc DOC`",
            a.id1, a.id2, x.0
        );
    }
    let mut store = Store::open(&a.db, WhenBusy::Wait)?;
    let n = store.add_judgement(kind.clone(), &x.1, &y.1, a.note.as_deref(), &now())?;
    println!(
        "Recorded judgement {n}: {} {} {} (stored by their documents' entities {}#{} and {}#{}); it applies from the next build.",
        x.0,
        match kind {
            JudgementKind::Same => "is the same as",
            JudgementKind::NotSame => "is not the same as",
            JudgementKind::Split => "split from",
        },
        y.0,
        x.1.doc,
        x.1.local,
        y.1.doc,
        y.1.local
    );
    Ok(())
}

pub fn split(a: &SplitArgs) -> Result<()> {
    let (entity, first, in_doc) = {
        let mut store = Store::open_read(&a.db)?;
        let snap = store.snapshot()?;
        let (live, first) = anchor(&snap, &a.id)?;
        let mut in_doc = None;
        let mut offset = 0;
        loop {
            let page = snap.members(&live, offset, 500)?;
            if let Some(m) = page.items.iter().find(|m| m.member.doc == a.doc) {
                in_doc = Some(m.member.clone());
                break;
            }
            offset += page.items.len();
            if page.items.is_empty() || offset as u64 >= page.total {
                break;
            }
        }
        (live, first, in_doc)
    };
    let Some(member) = in_doc else {
        bail!("entity {entity} has no mentions in document {}", a.doc);
    };
    if member == first {
        bail!(
            "document {} is where entity {entity} was first seen; split the other documents off, or record `dossier not-same` against the entity they belong to",
            a.doc
        );
    }
    let mut store = Store::open(&a.db, WhenBusy::Wait)?;
    let n = store.add_judgement(
        JudgementKind::Split,
        &first,
        &member,
        a.note.as_deref(),
        &now(),
    )?;
    println!(
        "Recorded judgement {n}: the mentions of {entity} in document {} are someone else; it applies from the next build.",
        a.doc
    );
    Ok(())
}

/// Why two entities are, or are not, one.
pub fn explain(r: &dyn Reader, a: &str, b: &str) -> Result<String> {
    let e = dossier_pipeline::explain::explain(r, a, b)?;
    let mut out = render(&e)?;
    judgement_notes(&mut out, r, [e.a.1.as_str(), e.b.1.as_str()])?;
    Ok(out)
}

/// The verdict and its reasons.
fn render(e: &Explanation) -> Result<String> {
    let mut out = String::new();
    if e.same {
        writeln!(out, "These are the same entity: {} [{}].", e.a.0, e.a.1)?;
    } else {
        writeln!(
            out,
            "{} [{}] and {} [{}] are {}.",
            e.a.0,
            e.a.1,
            e.b.0,
            e.b.1,
            if e.would_merge {
                "similar enough to be one entity, but were resolved apart"
            } else {
                "different entities"
            }
        )?;
    }
    for r in &e.reasons {
        writeln!(out, "  - {r}")?;
    }
    if !e.same {
        writeln!(out, "  (match probability {:.2})", e.probability)?;
    }
    if !e.same && e.would_merge {
        // The comparison above uses all their documents now; resolution
        // decided as documents arrived, so say what can explain the gap.
        writeln!(
            out,
            "  Resolution decides as documents arrive, against each entity as it was then, and gives a short name that fits several entities about equally to none of them; compared now, with all their documents, they match. `dossier merge {} {}` makes them one from the next build.",
            e.a.1, e.b.1
        )?;
    }
    Ok(out)
}

/// Judgement lines touching the two entities.
fn judgement_notes(out: &mut String, r: &dyn Reader, ids: [&str; 2]) -> Result<()> {
    for j in r.judgements()? {
        let (x, y) = (r.member_entity(&j.a)?, r.member_entity(&j.b)?);
        let touches = |id: &Option<String>| id.as_deref().is_some_and(|i| ids.contains(&i));
        if touches(&x) || touches(&y) {
            writeln!(
                out,
                "  - analyst judgement {} ({}): {}#{} {} {}#{}{}",
                j.id,
                if j.applied {
                    "applied"
                } else {
                    "applies from the next build"
                },
                j.a.doc,
                j.a.local,
                match j.kind {
                    JudgementKind::Same => "is the same as",
                    JudgementKind::NotSame => "is not the same as",
                    JudgementKind::Split => "split off",
                },
                j.b.doc,
                j.b.local,
                j.note
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explanation(would_merge: bool) -> Explanation {
        Explanation {
            a: ("Lena Vostrikova".into(), "aaa".into()),
            b: ("Vostrikova".into(), "bbb".into()),
            same: false,
            would_merge,
            probability: if would_merge { 0.71 } else { 0.2 },
            reasons: vec!["name same short".into()],
        }
    }

    #[test]
    fn a_pair_that_matches_now_but_stayed_apart_says_why_and_what_to_do() {
        let text = render(&explanation(true)).expect("render");
        assert!(text.contains("resolved apart"), "{text}");
        assert!(text.contains("as documents arrive"), "{text}");
        assert!(text.contains("`dossier merge aaa bbb`"), "{text}");
        let text = render(&explanation(false)).expect("render");
        assert!(text.contains("different entities"), "{text}");
        assert!(!text.contains("dossier merge"), "{text}");
    }
}
