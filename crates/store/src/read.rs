//! Reads: one [`Snapshot`] is one read transaction, so everything a query
//! sees belongs to one state of the database, whatever a build is writing
//! meanwhile. Every read is an indexed lookup bounded by its page size.

use crate::corpus::{chunked, judgement_kind};
use crate::{
    classify, ClaimFilter, ClaimRow, Counts, DescriptionRow, DisputeRow, DocHead, DocLayer,
    EntityDoc, EntityHead, EventFilter, JudgementRow, MemberKey, MemberRow, NameCount, Result,
    SummaryRow, Window,
};
use dossier_core::{
    Amount, Claim, ClaimKind, DatePrecision, Document, Event, EventDate, MentionKind, Modality,
    Participant, Polarity, Relation, Span, SpeakerKind, Stance,
};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;
use std::path::Path;

/// The read interface of a knowledge base. SQLite implements it with
/// [`Snapshot`]; a second backend implements the same.
pub trait Reader {
    /// The live id for `id`, following redirects from merged or renamed
    /// entities; `None` when it never was an entity.
    fn live_entity_id(&self, id: &str) -> Result<Option<String>>;
    fn entity(&self, id: &str) -> Result<Option<EntityHead>>;
    fn entities(&self, ids: &[String]) -> Result<Vec<EntityHead>>;
    /// Name forms, most documents first.
    fn names(&self, id: &str, limit: usize) -> Result<Vec<NameCount>>;
    /// Mentions that write `name`, at most `limit`.
    fn name_evidence(&self, id: &str, name: &str, limit: usize) -> Result<Vec<Span>>;
    fn descriptions(&self, id: &str, limit: usize, evidence: usize) -> Result<Vec<DescriptionRow>>;
    /// A page of [`Reader::descriptions`] with how many there are in all.
    fn descriptions_page(
        &self,
        id: &str,
        offset: usize,
        limit: usize,
        evidence: usize,
    ) -> Result<Window<DescriptionRow>>;
    /// Members that joined (not the first), most certain last... in order.
    fn members(&self, id: &str, offset: usize, limit: usize) -> Result<Window<MemberRow>>;
    fn summary(&self, id: &str) -> Result<Option<SummaryRow>>;
    fn entity_documents(&self, id: &str, offset: usize, limit: usize) -> Result<Window<EntityDoc>>;
    /// Entities named in the same documents, with how many of the entity's
    /// `sample` most mentioning documents they share; most first.
    fn co_mentions(&self, id: &str, sample: usize, limit: usize) -> Result<Vec<(EntityHead, u64)>>;
    /// Entities having any of these name keys, with the name forms to score.
    fn name_candidates(&self, keys: &[String], limit: usize) -> Result<Vec<(String, String)>>;
    /// Keys between `from` (inclusive) and `to` (exclusive): prefix search.
    fn name_candidates_in(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, String)>>;
    fn relations_of(
        &self,
        id: &str,
        offset: usize,
        limit: usize,
        evidence: usize,
    ) -> Result<Window<(Relation, u64)>>;
    fn events(
        &self,
        f: &EventFilter,
        offset: usize,
        limit: usize,
        evidence: usize,
    ) -> Result<Window<(Event, u64)>>;
    fn event(&self, id: &str, evidence: usize) -> Result<Option<(Event, u64)>>;
    /// Documents reporting an event, in all (an event lists at most 200).
    fn event_document_count(&self, id: &str) -> Result<u64>;
    fn claims(&self, f: &ClaimFilter, offset: usize, limit: usize) -> Result<Window<ClaimRow>>;
    fn claim(&self, id: &str) -> Result<Option<ClaimRow>>;
    /// Claims that agree with `id` (`supports`) or disagree, at most `limit`.
    fn linked_claims(&self, id: &str, supports: bool, limit: usize) -> Result<Window<ClaimRow>>;
    fn dispute(&self, id: &str) -> Result<Option<DisputeRow>>;
    /// Claims of one dispute group, by side, at most `limit`.
    fn claims_of_dispute(&self, id: &str, limit: usize) -> Result<Vec<ClaimRow>>;
    fn document(&self, id: &str) -> Result<Option<Document>>;
    fn doc_heads(&self, ids: &[String]) -> Result<Vec<DocHead>>;
    fn documents(&self, offset: usize, limit: usize) -> Result<Window<DocHead>>;
    /// Counts per document: `(entities, events, claims)`.
    fn doc_counts(&self, id: &str) -> Result<(u64, u64, u64)>;
    /// Every span laid on a document, at most `limit`.
    fn doc_layers(&self, id: &str, limit: usize) -> Result<Window<DocLayer>>;
    fn counts(&self) -> Result<Counts>;
    fn judgements(&self) -> Result<Vec<JudgementRow>>;
    /// Entities with one of these labels, by id: a page of them.
    fn entities_by_label(
        &self,
        labels: &[&str],
        offset: usize,
        limit: usize,
    ) -> Result<Window<EntityHead>>;
    /// The lists the knowledge base was screened against.
    fn sanctions_lists(&self) -> Result<Vec<crate::ListRow>>;
    /// An entity's screening results, best first (every entity when `None`;
    /// only matches when `matches_only`).
    fn screenings(
        &self,
        entity: Option<&str>,
        matches_only: bool,
        limit: usize,
    ) -> Result<Vec<crate::ScreeningRow>>;
    /// The entity a document-level entity belongs to now.
    fn member_entity(&self, m: &MemberKey) -> Result<Option<String>>;
    /// The resolver's stored state of an entity, as it encoded it.
    fn entity_state(&self, id: &str) -> Result<Option<Vec<u8>>>;
    /// The entities filed under these blocking keys, the `limit` largest
    /// per key, as resolution loads them.
    fn entity_ids_for_keys(&self, keys: &[String], limit: usize) -> Result<Vec<String>>;
    /// A document that names both entities, if any.
    fn shared_document(&self, a: &str, b: &str) -> Result<Option<String>>;
    /// Whether every member of the entity is a name its article left
    /// unresolved between several entities it fits ("Clinton" beside Bill
    /// and Hillary Clinton).
    fn unresolved(&self, id: &str) -> Result<bool>;
    /// The stored resolution input of these documents.
    fn profiles(&self, docs: &[String]) -> Result<Vec<(String, Vec<u8>)>>;
    /// The resolver's document frequencies of these keys, with the number
    /// of documents counted under `#documents`.
    fn stat_counts(&self, keys: &[String]) -> Result<Vec<(String, u64)>>;
}

pub struct Snapshot<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
}

impl<'a> Snapshot<'a> {
    pub(crate) fn begin(conn: &'a mut Connection, path: &'a Path) -> Result<Self> {
        let tx = conn.transaction().map_err(|e| classify(path, e))?;
        // A deferred transaction reads its snapshot at the first SELECT:
        // take it now.
        tx.query_row("SELECT count(*) FROM schema_version", [], |_| Ok(()))
            .map_err(|e| classify(path, e))?;
        Ok(Snapshot { tx, path })
    }

    fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|e| classify(self.path, e))
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.tx
    }

    pub(crate) fn path(&self) -> &Path {
        self.path
    }
}

pub(crate) fn claim_kind_str(k: ClaimKind) -> &'static str {
    match k {
        ClaimKind::Quote => "quote",
        ClaimKind::Reported => "reported",
    }
}

pub(crate) fn polarity_str(p: Polarity) -> &'static str {
    match p {
        Polarity::Assert => "assert",
        Polarity::Deny => "deny",
    }
}

fn bad_value(col: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        rusqlite::types::Type::Text,
        format!("unexpected stored value {what:?}").into(),
    )
}

fn span_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Span> {
    Ok(Span {
        doc: r.get(at)?,
        start: r.get::<_, i64>(at + 1)? as usize,
        end: r.get::<_, i64>(at + 2)? as usize,
        text: r.get(at + 3)?,
        kind: None,
    })
}

fn head_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntityHead> {
    Ok(EntityHead {
        id: r.get(0)?,
        label: r.get(1)?,
        kind: r.get(2)?,
        name: r.get(3)?,
        docs: r.get::<_, i64>(4)? as u64,
        mentions: r.get::<_, i64>(5)? as u64,
    })
}

const HEAD: &str = "SELECT id, label, kind, name, docs, mentions FROM entities";

fn doc_head_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocHead> {
    Ok(DocHead {
        id: r.get(0)?,
        title: r.get(1)?,
        published: r.get(2)?,
        source: r.get(3)?,
        byline: r.get(4)?,
        length: r.get::<_, i64>(5)? as u64,
    })
}

const DOC_HEAD: &str = "SELECT id, title, published, source, byline, length(text) FROM documents";

fn claim_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimRow> {
    let kind: String = r.get(8)?;
    let polarity: String = r.get(9)?;
    Ok(ClaimRow {
        claim: Claim {
            id: r.get(0)?,
            doc: r.get(1)?,
            start: r.get::<_, i64>(2)? as usize,
            end: r.get::<_, i64>(3)? as usize,
            text: r.get(4)?,
            speaker: r.get(5)?,
            speaker_text: r.get(6)?,
            kind: match kind.as_str() {
                "quote" => ClaimKind::Quote,
                "reported" => ClaimKind::Reported,
                other => return Err(bad_value(8, other)),
            },
            polarity: match polarity.as_str() {
                "assert" => Polarity::Assert,
                "deny" => Polarity::Deny,
                other => return Err(bad_value(9, other)),
            },
            hedged: r.get(10)?,
            stance: {
                let v: String = r.get(13)?;
                Stance::parse(&v).ok_or_else(|| bad_value(13, &v))?
            },
            speaker_kind: {
                let v: String = r.get(14)?;
                SpeakerKind::parse(&v).ok_or_else(|| bad_value(14, &v))?
            },
            about: Vec::new(),
            supports: Vec::new(),
            contradicts: Vec::new(),
        },
        dispute: r.get(11)?,
        side: r.get::<_, Option<i64>>(12)?.map(|s| s as u8),
    })
}

/// The columns `event_head` reads, of an `events` table named `e`.
const EVENT_COLUMNS: &str = "e.id, e.kind, e.date_value, e.date_precision, e.date_text, e.modality, e.amount_value, e.amount_currency, e.amount_text";
const CLAIM: &str = "SELECT c.id, c.doc_id, c.start, c.end, c.text, c.speaker, c.speaker_text, c.idx, c.kind, c.polarity, c.hedged, c.dispute, c.side, c.stance, c.speaker_kind FROM claims c";

pub(crate) fn judgement_rows(conn: &Connection) -> rusqlite::Result<Vec<JudgementRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, a_doc, a_local, b_doc, b_local, note, at, applied FROM judgements ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(JudgementRow {
            id: r.get(0)?,
            kind: judgement_kind(&r.get::<_, String>(1)?)?,
            a: MemberKey {
                doc: r.get(2)?,
                local: r.get::<_, i64>(3)? as u32,
            },
            b: MemberKey {
                doc: r.get(4)?,
                local: r.get::<_, i64>(5)? as u32,
            },
            note: r.get(6)?,
            at: r.get(7)?,
            applied: r.get(8)?,
        })
    })?;
    rows.collect()
}

pub(crate) fn descriptions_of(
    conn: &Connection,
    id: &str,
    limit: usize,
) -> rusqlite::Result<Vec<(String, u64)>> {
    Ok(description_groups(conn, id, 0)?
        .into_iter()
        .take(limit)
        .map(|(text, n, _)| (text, n))
        .collect())
}

/// How descriptions are grouped as the reader sees them: case (ASCII) and
/// curly apostrophes aside.
fn description_key(text: &str) -> String {
    text.replace(['’', '‘'], "'").to_ascii_lowercase()
}

/// An entity's descriptions grouped, most given first (then by text): each
/// group's first written form, its count and up to `evidence` spans. One
/// pass over the entity's descriptions, for pages and summaries alike.
fn description_groups(
    conn: &Connection,
    id: &str,
    evidence: usize,
) -> rusqlite::Result<Vec<(String, u64, Vec<Span>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.text, d.doc_id, d.start, d.end, d.span FROM entity_members m
         JOIN local_descriptions d ON d.doc_id = m.doc_id AND d.local = m.local
         WHERE m.entity_id = ?1",
    )?;
    let mut groups: HashMap<String, (String, u64, Vec<Span>)> = HashMap::new();
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let text: String = r.get(0)?;
        let g = groups
            .entry(description_key(&text))
            .or_insert_with(|| (text.clone(), 0, Vec::new()));
        if text < g.0 {
            g.0 = text;
        }
        g.1 += 1;
        if g.2.len() < evidence {
            g.2.push(span_row(r, 1)?);
        }
    }
    let mut ranked: Vec<(String, u64, Vec<Span>)> = groups.into_values().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ranked)
}

pub(crate) fn event_range(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    let first: Option<String> = conn
        .prepare_cached(
            "SELECT e.date_value FROM event_participants p JOIN events e ON e.id = p.event_id
             WHERE p.entity_id = ?1 AND e.day_first IS NOT NULL ORDER BY e.day_first LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let last: Option<String> = conn
        .prepare_cached(
            "SELECT e.date_value FROM event_participants p JOIN events e ON e.id = p.event_id
             WHERE p.entity_id = ?1 AND e.day_last IS NOT NULL ORDER BY e.day_last DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(first.zip(last))
}

impl Snapshot<'_> {
    fn event_parts(&self, mut e: Event, evidence: usize) -> rusqlite::Result<(Event, u64)> {
        let c = self.conn();
        e.participants = c
            .prepare_cached(
                "SELECT role, entity_id FROM event_participants WHERE event_id = ?1 ORDER BY rank",
            )?
            .query_map([&e.id], |r| {
                Ok(Participant {
                    role: r.get(0)?,
                    entity: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        e.places = c
            .prepare_cached("SELECT entity_id FROM event_places WHERE event_id = ?1 ORDER BY rank")?
            .query_map([&e.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        e.documents = c
            .prepare_cached(
                "SELECT x.doc_id FROM event_documents x JOIN documents d ON d.id = x.doc_id
                 WHERE x.event_id = ?1 ORDER BY d.published, d.seq LIMIT 200",
            )?
            .query_map([&e.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        e.evidence = c
            .prepare_cached(
                "SELECT doc_id, start, end, text FROM event_evidence WHERE event_id = ?1 ORDER BY rank LIMIT ?2",
            )?
            .query_map(params![&e.id, evidence as i64], |r| span_row(r, 0))?
            .collect::<rusqlite::Result<_>>()?;
        let total: i64 = c
            .prepare_cached("SELECT count(*) FROM event_evidence WHERE event_id = ?1")?
            .query_row([&e.id], |r| r.get(0))?;
        Ok((e, total as u64))
    }

    fn event_head(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
        let value: Option<String> = r.get(2)?;
        let precision: Option<String> = r.get(3)?;
        let text: Option<String> = r.get(4)?;
        let precision = match precision.as_deref() {
            None => None,
            Some("year") => Some(DatePrecision::Year),
            Some("month") => Some(DatePrecision::Month),
            Some("day") => Some(DatePrecision::Day),
            Some(other) => return Err(bad_value(3, other)),
        };
        Ok(Event {
            id: r.get(0)?,
            kind: r.get(1)?,
            date: (value.is_some() || text.is_some()).then_some(EventDate {
                value,
                precision,
                text,
            }),
            places: Vec::new(),
            participants: Vec::new(),
            evidence: Vec::new(),
            documents: Vec::new(),
            modality: {
                let v: String = r.get(5)?;
                Modality::parse(&v).ok_or_else(|| bad_value(5, &v))?
            },
            amount: match r.get::<_, Option<String>>(8)? {
                Some(text) => Some(Amount {
                    value: r.get::<_, Option<i64>>(6)?.map(|v| v.max(0) as u64),
                    currency: r.get(7)?,
                    text,
                }),
                None => None,
            },
        })
    }

    fn claim_about(&self, mut row: ClaimRow) -> rusqlite::Result<ClaimRow> {
        row.claim.about = self
            .conn()
            .prepare_cached("SELECT target FROM claim_about WHERE claim_id = ?1 ORDER BY rank")?
            .query_map([&row.claim.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(row)
    }

    fn relation_parts(&self, r: Relation, evidence: usize) -> rusqlite::Result<(Relation, u64)> {
        let c = self.conn();
        let mut r = r;
        r.evidence = c
            .prepare_cached(
                "SELECT doc_id, start, end, text FROM relation_evidence WHERE relation_id = ?1 ORDER BY rank LIMIT ?2",
            )?
            .query_map(params![&r.id, evidence as i64], |x| span_row(x, 0))?
            .collect::<rusqlite::Result<_>>()?;
        let total: i64 = c
            .prepare_cached("SELECT count(*) FROM relation_evidence WHERE relation_id = ?1")?
            .query_row([&r.id], |x| x.get(0))?;
        Ok((r, total as u64))
    }
}

fn window<T>(total: i64, items: Vec<T>) -> Window<T> {
    Window {
        total: total.max(0) as u64,
        items,
    }
}

impl Reader for Snapshot<'_> {
    fn live_entity_id(&self, id: &str) -> Result<Option<String>> {
        let c = self.conn();
        let run = || -> rusqlite::Result<Option<String>> {
            if c.prepare_cached("SELECT 1 FROM entities WHERE id = ?1")?
                .exists([id])?
            {
                return Ok(Some(id.to_string()));
            }
            c.prepare_cached("SELECT new_id FROM entity_redirects WHERE old_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()
        };
        self.sql(run())
    }

    fn entity(&self, id: &str) -> Result<Option<EntityHead>> {
        self.sql(
            self.conn()
                .prepare_cached(&format!("{HEAD} WHERE id = ?1"))
                .and_then(|mut st| st.query_row([id], head_row).optional()),
        )
    }

    fn entities(&self, ids: &[String]) -> Result<Vec<EntityHead>> {
        let rows = self.sql(chunked(
            self.conn(),
            &format!("{HEAD} WHERE id IN ({{}})"),
            ids,
            head_row,
        ))?;
        // In the order asked.
        let mut by_id: HashMap<String, EntityHead> =
            rows.into_iter().map(|h| (h.id.clone(), h)).collect();
        Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
    }

    fn names(&self, id: &str, limit: usize) -> Result<Vec<NameCount>> {
        let run = || -> rusqlite::Result<Vec<NameCount>> {
            let mut stmt = self.conn().prepare_cached(
                "SELECT text, docs, mentions FROM entity_names WHERE entity_id = ?1
                 ORDER BY docs DESC, mentions DESC, text LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![id, limit as i64], |r| {
                Ok(NameCount {
                    text: r.get(0)?,
                    docs: r.get::<_, i64>(1)? as u64,
                    mentions: r.get::<_, i64>(2)? as u64,
                })
            })?;
            rows.collect()
        };
        self.sql(run())
    }

    fn name_evidence(&self, id: &str, name: &str, limit: usize) -> Result<Vec<Span>> {
        let run = || -> rusqlite::Result<Vec<Span>> {
            let mut stmt = self.conn().prepare_cached(
                "SELECT m.doc_id, m.start, m.end, m.text FROM entity_members em
                 JOIN mentions m ON m.doc_id = em.doc_id AND m.local = em.local
                 WHERE em.entity_id = ?1 AND m.text = ?2 AND m.kind = 'name'
                 LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![id, name, limit as i64], |r| {
                let mut s = span_row(r, 0)?;
                s.kind = Some(MentionKind::Name);
                Ok(s)
            })?;
            rows.collect()
        };
        self.sql(run())
    }

    fn descriptions(&self, id: &str, limit: usize, evidence: usize) -> Result<Vec<DescriptionRow>> {
        Ok(self.descriptions_page(id, 0, limit, evidence)?.items)
    }

    fn descriptions_page(
        &self,
        id: &str,
        offset: usize,
        limit: usize,
        evidence: usize,
    ) -> Result<Window<DescriptionRow>> {
        let run = || -> rusqlite::Result<Window<DescriptionRow>> {
            let ranked = description_groups(self.conn(), id, evidence)?;
            let total = ranked.len() as i64;
            let items = ranked
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|(text, total, evidence)| DescriptionRow {
                    text,
                    total,
                    evidence,
                })
                .collect();
            Ok(window(total, items))
        };
        self.sql(run())
    }

    fn members(&self, id: &str, offset: usize, limit: usize) -> Result<Window<MemberRow>> {
        let run = || -> rusqlite::Result<Window<MemberRow>> {
            let c = self.conn();
            let total: i64 = c
                .prepare_cached("SELECT count(*) FROM entity_members WHERE entity_id = ?1")?
                .query_row([id], |r| r.get(0))?;
            let mut stmt = c.prepare_cached(
                // The page's keys come from the entity index alone; only
                // its rows are read from the table.
                "SELECT m.doc_id, m.local, m.mentions, m.probability, m.reason, m.decision
                 FROM (SELECT doc_id, local FROM entity_members WHERE entity_id = ?1
                       ORDER BY doc_id, local LIMIT ?2 OFFSET ?3) k
                 JOIN entity_members m ON m.doc_id = k.doc_id AND m.local = k.local
                 ORDER BY m.doc_id, m.local",
            )?;
            let mut best = c.prepare_cached(
                "SELECT doc_id, start, end, text FROM mentions WHERE doc_id = ?1 AND local = ?2 AND kind = 'name'
                 ORDER BY (end - start) DESC, start LIMIT 1",
            )?;
            let rows: Vec<MemberRow> = stmt
                .query_map(params![id, limit as i64, offset as i64], |r| {
                    Ok(MemberRow {
                        member: MemberKey {
                            doc: r.get(0)?,
                            local: r.get::<_, i64>(1)? as u32,
                        },
                        mentions: r.get::<_, i64>(2)? as u64,
                        probability: r.get(3)?,
                        reason: r.get(4)?,
                        decision: r.get(5)?,
                        evidence: None,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let rows = rows
                .into_iter()
                .map(|mut m| {
                    m.evidence = best
                        .query_row(params![m.member.doc, m.member.local as i64], |r| {
                            let mut s = span_row(r, 0)?;
                            s.kind = Some(MentionKind::Name);
                            Ok(s)
                        })
                        .optional()?;
                    Ok(m)
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(window(total, rows))
        };
        self.sql(run())
    }

    fn summary(&self, id: &str) -> Result<Option<SummaryRow>> {
        let run = || -> rusqlite::Result<Option<SummaryRow>> {
            let c = self.conn();
            let head = c
                .prepare_cached(
                    "SELECT description, fate, first_date, last_date, dates_from FROM summaries WHERE entity_id = ?1",
                )?
                .query_row([id], |r| {
                    Ok(SummaryRow {
                        description: r.get(0)?,
                        fate: r.get(1)?,
                        first_date: r.get(2)?,
                        last_date: r.get(3)?,
                        dates_from: r.get(4)?,
                        with: Vec::new(),
                        places: Vec::new(),
                    })
                })
                .optional()?;
            let Some(mut s) = head else { return Ok(None) };
            let mut refs = c.prepare_cached(
                "SELECT role, other_id FROM summary_refs WHERE entity_id = ?1 ORDER BY role, rank",
            )?;
            for row in refs.query_map([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })? {
                let (role, other) = row?;
                if role == "with" {
                    s.with.push(other);
                } else {
                    s.places.push(other);
                }
            }
            Ok(Some(s))
        };
        self.sql(run())
    }

    fn entity_documents(&self, id: &str, offset: usize, limit: usize) -> Result<Window<EntityDoc>> {
        // Mentions per document come from the entity index alone; dates are
        // read only for the documents that can reach the page (at least as
        // many mentions as its last one), and a text's length only for the
        // documents shown.
        let run = || -> rusqlite::Result<Window<EntityDoc>> {
            let c = self.conn();
            let total: i64 = c
                .prepare_cached("SELECT docs FROM entities WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .unwrap_or(0);
            let mut counts: Vec<(String, i64)> = c
                .prepare_cached(
                    "SELECT doc_id, sum(mentions) FROM entity_members WHERE entity_id = ?1 GROUP BY doc_id",
                )?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            counts.sort_by_key(|c| std::cmp::Reverse(c.1));
            let last = (offset + limit).min(counts.len());
            let Some(floor) = last.checked_sub(1).map(|i| counts[i].1) else {
                return Ok(window(total, Vec::new()));
            };
            let mut date = c.prepare_cached("SELECT published FROM documents WHERE id = ?1")?;
            let mut keyed: Vec<(i64, Option<String>, String)> = Vec::new();
            for (doc, n) in counts.into_iter().take_while(|(_, n)| *n >= floor) {
                let published: Option<String> = date.query_row([&doc], |r| r.get(0))?;
                keyed.push((n, published, doc));
            }
            // Most mentions first, then the earliest (undated first, as
            // SQLite orders NULL), then by id.
            keyed.sort_by(|a, b| {
                b.0.cmp(&a.0)
                    .then_with(|| a.1.cmp(&b.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            let mut head = c.prepare_cached(
                "SELECT id, title, published, source, byline, length(text) FROM documents WHERE id = ?1",
            )?;
            let rows = keyed
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|(n, _, doc)| {
                    head.query_row([&doc], |r| {
                        Ok(EntityDoc {
                            doc: doc_head_row(r)?,
                            mentions: n as u64,
                        })
                    })
                })
                .collect::<rusqlite::Result<_>>()?;
            Ok(window(total, rows))
        };
        self.sql(run())
    }

    fn co_mentions(&self, id: &str, sample: usize, limit: usize) -> Result<Vec<(EntityHead, u64)>> {
        let run = || -> rusqlite::Result<Vec<(EntityHead, u64)>> {
            let mut stmt = self.conn().prepare_cached(
                "SELECT e.id, e.label, e.kind, e.name, e.docs, e.mentions, count(DISTINCT o.doc_id) AS n
                 FROM (SELECT doc_id FROM entity_members WHERE entity_id = ?1
                       ORDER BY mentions DESC, doc_id LIMIT ?2) d
                 JOIN entity_members o ON o.doc_id = d.doc_id
                 JOIN entities e ON e.id = o.entity_id
                 WHERE o.entity_id != ?1
                 GROUP BY e.id ORDER BY n DESC, e.name, e.id LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![id, sample as i64, limit as i64], |r| {
                Ok((head_row(r)?, r.get::<_, i64>(6)? as u64))
            })?;
            rows.collect()
        };
        self.sql(run())
    }

    fn name_candidates(&self, keys: &[String], limit: usize) -> Result<Vec<(String, String)>> {
        let run = || -> rusqlite::Result<Vec<(String, String)>> {
            let c = self.conn();
            let mut ids: Vec<String> = Vec::new();
            let mut stmt =
                c.prepare_cached("SELECT entity_id FROM name_keys WHERE key = ?1 LIMIT ?2")?;
            for k in keys {
                for id in stmt.query_map(params![k, limit as i64], |r| r.get::<_, String>(0))? {
                    let id = id?;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                if ids.len() >= limit {
                    break;
                }
            }
            self.names_of(&ids)
        };
        self.sql(run())
    }

    fn name_candidates_in(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, String)>> {
        let run = || -> rusqlite::Result<Vec<(String, String)>> {
            let mut stmt = self.conn().prepare_cached(
                "SELECT DISTINCT entity_id FROM name_keys WHERE key >= ?1 AND key < ?2 LIMIT ?3",
            )?;
            let ids: Vec<String> = stmt
                .query_map(params![from, to, limit as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            self.names_of(&ids)
        };
        self.sql(run())
    }

    fn relations_of(
        &self,
        id: &str,
        offset: usize,
        limit: usize,
        evidence: usize,
    ) -> Result<Window<(Relation, u64)>> {
        let run = || -> rusqlite::Result<Window<(Relation, u64)>> {
            let c = self.conn();
            let total: i64 = c
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM relations WHERE subject = ?1) + (SELECT count(*) FROM relations WHERE object = ?1)",
                )?
                .query_row([id], |r| r.get(0))?;
            let mut stmt = c.prepare_cached(
                "SELECT id, kind, subject, object, role FROM relations WHERE subject = ?1
                 UNION ALL SELECT id, kind, subject, object, role FROM relations WHERE object = ?1
                 ORDER BY 2, 1 LIMIT ?2 OFFSET ?3",
            )?;
            let heads: Vec<Relation> = stmt
                .query_map(params![id, limit as i64, offset as i64], |r| {
                    Ok(Relation {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        subject: r.get(2)?,
                        object: r.get(3)?,
                        role: r.get(4)?,
                        evidence: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let items = heads
                .into_iter()
                .map(|r| self.relation_parts(r, evidence))
                .collect::<rusqlite::Result<_>>()?;
            Ok(window(total, items))
        };
        self.sql(run())
    }

    fn events(
        &self,
        f: &EventFilter,
        offset: usize,
        limit: usize,
        evidence: usize,
    ) -> Result<Window<(Event, u64)>> {
        let run = || -> rusqlite::Result<Window<(Event, u64)>> {
            let c = self.conn();
            // An entity's events are read from `entity_events`, kept in
            // page order, so a page of a large entity is an index range;
            // the other filters are NULL when unset and then match
            // everything. Undated events sort last.
            let (count_sql, page_sql) = if f.entity.is_some() {
                let from = "FROM entity_events k JOIN events e ON e.id = k.event_id
                     WHERE k.entity_id = ?1
                       AND (?2 IS NULL OR e.kind = ?2)
                       AND (?3 IS NULL OR e.day_last >= ?3)
                       AND (?4 IS NULL OR e.day_first <= ?4)";
                // Counting needs no event row unless a filter reads one.
                let count = if f.kind.is_none() && f.from_day.is_none() && f.to_day.is_none() {
                    "SELECT count(*) FROM entity_events WHERE entity_id = ?1
                       AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL"
                        .to_string()
                } else {
                    format!("SELECT count(*) {from}")
                };
                let page = format!(
                    "SELECT {EVENT_COLUMNS} {from}
                     ORDER BY k.undated, k.day_first, k.event_id LIMIT ?5 OFFSET ?6"
                );
                (count, page)
            } else {
                let from = "FROM events e
                     WHERE ?1 IS NULL
                       AND (?2 IS NULL OR e.kind = ?2)
                       AND (?3 IS NULL OR e.day_last >= ?3)
                       AND (?4 IS NULL OR e.day_first <= ?4)";
                (
                    format!("SELECT count(*) {from}"),
                    format!(
                        "SELECT {EVENT_COLUMNS} {from}
                         ORDER BY e.day_first IS NULL, e.day_first, e.id LIMIT ?5 OFFSET ?6"
                    ),
                )
            };
            let total: i64 = c
                .prepare_cached(&count_sql)?
                .query_row(params![f.entity, f.kind, f.from_day, f.to_day], |r| {
                    r.get(0)
                })?;
            let heads: Vec<Event> = c
                .prepare_cached(&page_sql)?
                .query_map(
                    params![
                        f.entity,
                        f.kind,
                        f.from_day,
                        f.to_day,
                        limit as i64,
                        offset as i64
                    ],
                    Self::event_head,
                )?
                .collect::<rusqlite::Result<_>>()?;
            let items = heads
                .into_iter()
                .map(|e| self.event_parts(e, evidence))
                .collect::<rusqlite::Result<_>>()?;
            Ok(window(total, items))
        };
        self.sql(run())
    }

    fn event(&self, id: &str, evidence: usize) -> Result<Option<(Event, u64)>> {
        let run = || -> rusqlite::Result<Option<(Event, u64)>> {
            let head = self
                .conn()
                .prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?1"
                ))?
                .query_row([id], Self::event_head)
                .optional()?;
            head.map(|e| self.event_parts(e, evidence)).transpose()
        };
        self.sql(run())
    }

    fn event_document_count(&self, id: &str) -> Result<u64> {
        self.sql(
            self.conn()
                .prepare_cached("SELECT count(*) FROM event_documents WHERE event_id = ?1")
                .and_then(|mut st| st.query_row([id], |r| r.get::<_, i64>(0)))
                .map(|n| n.max(0) as u64),
        )
    }

    fn claims(&self, f: &ClaimFilter, offset: usize, limit: usize) -> Result<Window<ClaimRow>> {
        let run = || -> rusqlite::Result<Window<ClaimRow>> {
            let c = self.conn();
            // An entity's claims are read from `entity_claims`, kept in page
            // order, so its page is an index range. An event's come from the
            // `claim_about` index; a filter of the form "?1 IS NULL OR ..."
            // would make SQLite read every claim. The unset filters stay in
            // as always-true terms, so every statement takes the same
            // parameters.
            let (keys, count) = if f.entity.is_some() {
                let keys = "SELECT k.claim_id AS id, k.undisputed AS u, k.dispute AS d, k.side AS s, k.doc_id AS doc, k.start AS st
                 FROM entity_claims k
                 WHERE k.entity_id = ?1
                   AND (?2 IS NULL OR k.claim_id IN (SELECT claim_id FROM claim_about WHERE target = ?2))
                   AND (?3 = 0 OR k.dispute IN (SELECT id FROM disputes WHERE disputed = 1))"
                    .to_string();
                let count = format!("SELECT count(*) FROM ({keys})");
                (keys, count)
            } else {
                let candidates = if f.event.is_some() {
                    "SELECT claim_id AS id FROM claim_about WHERE target = ?2"
                } else {
                    "SELECT id FROM claims"
                };
                let keys = format!(
                    "SELECT c.id AS id, c.dispute IS NULL AS u, coalesce(c.dispute, '') AS d, coalesce(c.side, 0) AS s,
                            c.doc_id AS doc, c.start AS st
                     FROM ({candidates}) k JOIN claims c ON c.id = k.id
                     WHERE ?1 IS NULL
                       AND (?2 IS NULL OR c.id IN (SELECT claim_id FROM claim_about WHERE target = ?2))
                       AND (?3 = 0 OR c.dispute IN (SELECT id FROM disputes WHERE disputed = 1))"
                );
                // Counting the candidates needs no claim row unless a
                // filter reads one.
                let count = if f.event.is_none() && !f.disputed {
                    format!("SELECT count(*) FROM ({candidates}) WHERE ?1 IS NULL AND ?2 IS NULL AND ?3 = 0")
                } else {
                    format!("SELECT count(*) FROM ({keys})")
                };
                (keys, count)
            };
            let total: i64 = c
                .prepare_cached(&count)?
                .query_row(params![f.entity, f.event, f.disputed], |r| r.get(0))?;
            // The page is ordered by its keys alone; only its claims are
            // read whole.
            let rows: Vec<ClaimRow> = c
                .prepare_cached(&format!(
                    "SELECT c.id, c.doc_id, c.start, c.end, c.text, c.speaker, c.speaker_text, c.idx, c.kind, c.polarity, c.hedged, c.dispute, c.side, c.stance, c.speaker_kind
                     FROM ({keys} ORDER BY u, d, s, doc, st, id LIMIT ?4 OFFSET ?5) p
                     JOIN claims c ON c.id = p.id
                     ORDER BY p.u, p.d, p.s, p.doc, p.st, p.id"
                ))?
                .query_map(
                    params![f.entity, f.event, f.disputed, limit as i64, offset as i64],
                    claim_row,
                )?
                .collect::<rusqlite::Result<_>>()?;
            let rows = rows
                .into_iter()
                .map(|r| self.claim_about(r))
                .collect::<rusqlite::Result<_>>()?;
            Ok(window(total, rows))
        };
        self.sql(run())
    }

    fn claim(&self, id: &str) -> Result<Option<ClaimRow>> {
        let run = || -> rusqlite::Result<Option<ClaimRow>> {
            let row = self
                .conn()
                .prepare_cached(&format!("{CLAIM} WHERE c.id = ?1"))?
                .query_row([id], claim_row)
                .optional()?;
            row.map(|r| self.claim_about(r)).transpose()
        };
        self.sql(run())
    }

    fn linked_claims(&self, id: &str, supports: bool, limit: usize) -> Result<Window<ClaimRow>> {
        let run = || -> rusqlite::Result<Window<ClaimRow>> {
            let c = self.conn();
            let kind = if supports { "supports" } else { "contradicts" };
            let total: i64 = c
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM claim_links WHERE a = ?1 AND kind = ?2)
                          + (SELECT count(*) FROM claim_links WHERE b = ?1 AND kind = ?2)",
                )?
                .query_row(params![id, kind], |r| r.get(0))?;
            let rows: Vec<ClaimRow> = c
                .prepare_cached(&format!(
                    "{CLAIM} WHERE c.id IN (SELECT b FROM claim_links WHERE a = ?1 AND kind = ?2
                                           UNION SELECT a FROM claim_links WHERE b = ?1 AND kind = ?2)
                     ORDER BY c.doc_id, c.start LIMIT ?3"
                ))?
                .query_map(params![id, kind, limit as i64], claim_row)?
                .collect::<rusqlite::Result<_>>()?;
            let rows = rows
                .into_iter()
                .map(|r| self.claim_about(r))
                .collect::<rusqlite::Result<_>>()?;
            Ok(window(total, rows))
        };
        self.sql(run())
    }

    fn dispute(&self, id: &str) -> Result<Option<DisputeRow>> {
        self.sql(
            self.conn()
                .prepare_cached("SELECT id, disputed, claims, about FROM disputes WHERE id = ?1")
                .and_then(|mut st| {
                    st.query_row([id], |r| {
                        Ok(DisputeRow {
                            id: r.get(0)?,
                            disputed: r.get(1)?,
                            claims: r.get::<_, i64>(2)? as u64,
                            about: r.get(3)?,
                        })
                    })
                    .optional()
                }),
        )
    }

    fn claims_of_dispute(&self, id: &str, limit: usize) -> Result<Vec<ClaimRow>> {
        let run = || -> rusqlite::Result<Vec<ClaimRow>> {
            let rows: Vec<ClaimRow> = self
                .conn()
                .prepare_cached(&format!(
                    "{CLAIM} WHERE c.dispute = ?1 ORDER BY c.side, c.doc_id, c.start LIMIT ?2"
                ))?
                .query_map(params![id, limit as i64], claim_row)?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter().map(|r| self.claim_about(r)).collect()
        };
        self.sql(run())
    }

    fn document(&self, id: &str) -> Result<Option<Document>> {
        let run = || -> rusqlite::Result<Option<Document>> {
            let c = self.conn();
            let doc = c
                .prepare_cached(
                    "SELECT id, source, title, published, byline, language, text FROM documents WHERE id = ?1",
                )?
                .query_row([id], crate::docs::document_row)
                .optional()?;
            let Some(mut d) = doc else { return Ok(None) };
            d.sources = c
                .prepare_cached(
                    "SELECT source FROM document_sources WHERE doc_id = ?1 ORDER BY rowid",
                )?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Some(d))
        };
        self.sql(run())
    }

    fn doc_heads(&self, ids: &[String]) -> Result<Vec<DocHead>> {
        let rows = self.sql(chunked(
            self.conn(),
            &format!("{DOC_HEAD} WHERE id IN ({{}})"),
            ids,
            doc_head_row,
        ))?;
        let mut by_id: HashMap<String, DocHead> =
            rows.into_iter().map(|h| (h.id.clone(), h)).collect();
        Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
    }

    fn documents(&self, offset: usize, limit: usize) -> Result<Window<DocHead>> {
        let run = || -> rusqlite::Result<Window<DocHead>> {
            let c = self.conn();
            let total: i64 = c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
            let rows = c
                .prepare_cached(&format!("{DOC_HEAD} ORDER BY seq LIMIT ?1 OFFSET ?2"))?
                .query_map(params![limit as i64, offset as i64], doc_head_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(window(total, rows))
        };
        self.sql(run())
    }

    fn doc_counts(&self, id: &str) -> Result<(u64, u64, u64)> {
        self.sql(
            self.conn()
                .prepare_cached(
                    "SELECT (SELECT count(DISTINCT entity_id) FROM entity_members WHERE doc_id = ?1),
                            (SELECT count(DISTINCT event_id) FROM event_mentions WHERE doc_id = ?1),
                            (SELECT count(*) FROM claims WHERE doc_id = ?1)",
                )
                .and_then(|mut st| {
                    st.query_row([id], |r| {
                        Ok((
                            r.get::<_, i64>(0)? as u64,
                            r.get::<_, i64>(1)? as u64,
                            r.get::<_, i64>(2)? as u64,
                        ))
                    })
                }),
        )
    }

    fn doc_layers(&self, id: &str, limit: usize) -> Result<Window<DocLayer>> {
        self.sql(crate::export::doc_layers(self.conn(), id, limit))
    }

    fn counts(&self) -> Result<Counts> {
        self.sql(crate::export::counts(self.conn()))
    }

    fn judgements(&self) -> Result<Vec<JudgementRow>> {
        self.sql(judgement_rows(self.conn()))
    }

    fn entities_by_label(
        &self,
        labels: &[&str],
        offset: usize,
        limit: usize,
    ) -> Result<Window<EntityHead>> {
        let run = || -> rusqlite::Result<Window<EntityHead>> {
            let c = self.conn();
            let mut total = 0i64;
            let mut items = Vec::new();
            let mut skip = offset;
            for label in labels {
                let n: i64 = c
                    .prepare_cached("SELECT count(*) FROM entities WHERE label = ?1")?
                    .query_row([label], |r| r.get(0))?;
                total += n;
                if items.len() >= limit {
                    continue;
                }
                if skip >= n as usize {
                    skip -= n as usize;
                    continue;
                }
                let rows = c
                    .prepare_cached(&format!(
                        "{HEAD} WHERE label = ?1 ORDER BY id LIMIT ?2 OFFSET ?3"
                    ))?
                    .query_map(
                        params![label, (limit - items.len()) as i64, skip as i64],
                        head_row,
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                skip = 0;
                items.extend(rows);
            }
            Ok(window(total, items))
        };
        self.sql(run())
    }

    fn sanctions_lists(&self) -> Result<Vec<crate::ListRow>> {
        let run = || -> rusqlite::Result<Vec<crate::ListRow>> {
            let mut stmt = self.conn().prepare_cached(
                "SELECT kind, source, list_date, digest, entries, screened_at FROM sanctions_lists ORDER BY kind",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(crate::ListRow {
                    kind: r.get(0)?,
                    source: r.get(1)?,
                    list_date: r.get(2)?,
                    digest: r.get(3)?,
                    entries: r.get::<_, i64>(4)? as u64,
                    screened_at: r.get(5)?,
                })
            })?;
            rows.collect()
        };
        self.sql(run())
    }

    fn screenings(
        &self,
        entity: Option<&str>,
        matches_only: bool,
        limit: usize,
    ) -> Result<Vec<crate::ScreeningRow>> {
        let run = || -> rusqlite::Result<Vec<crate::ScreeningRow>> {
            // One entity's rows come from the primary key (the entity page
            // asks for them); "?1 IS NULL OR" would scan every screening.
            let which = if entity.is_some() {
                "entity_id = ?1"
            } else {
                "?1 IS NULL"
            };
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT entity_id, list, list_id, name, score, is_match, fingerprint, list_date, programs,
                        explanation, detail, first_seen
                 FROM screenings WHERE {which} AND (?2 = 0 OR is_match = 1)
                 ORDER BY is_match DESC, score DESC, entity_id, list, list_id LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![entity, matches_only, limit as i64], |r| {
                Ok(crate::ScreeningRow {
                    entity_id: r.get(0)?,
                    list: r.get(1)?,
                    list_id: r.get(2)?,
                    name: r.get(3)?,
                    score: r.get(4)?,
                    is_match: r.get(5)?,
                    fingerprint: r.get(6)?,
                    list_date: r.get(7)?,
                    programs: r.get(8)?,
                    explanation: r.get(9)?,
                    detail: r.get(10)?,
                    first_seen: r.get(11)?,
                })
            })?;
            rows.collect()
        };
        self.sql(run())
    }

    fn member_entity(&self, m: &MemberKey) -> Result<Option<String>> {
        self.sql(
            self.conn()
                .prepare_cached(
                    "SELECT entity_id FROM entity_members WHERE doc_id = ?1 AND local = ?2",
                )
                .and_then(|mut st| {
                    st.query_row(params![m.doc, m.local as i64], |r| r.get(0))
                        .optional()
                }),
        )
    }

    fn entity_state(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.sql(
            self.conn()
                .prepare_cached("SELECT state FROM entities WHERE id = ?1")
                .and_then(|mut st| st.query_row([id], |r| r.get(0)).optional()),
        )
    }

    fn entity_ids_for_keys(&self, keys: &[String], limit: usize) -> Result<Vec<String>> {
        self.sql(crate::corpus::entity_ids_for_keys(self.conn(), keys, limit))
    }

    fn shared_document(&self, a: &str, b: &str) -> Result<Option<String>> {
        self.sql(crate::corpus::shared_document(self.conn(), a, b))
    }

    fn unresolved(&self, id: &str) -> Result<bool> {
        let run = || -> rusqlite::Result<bool> {
            let (members, ambiguous): (i64, Option<i64>) = self
                .conn()
                .prepare_cached(
                    "SELECT COUNT(*), SUM(l.ambiguous) FROM entity_members m
                     JOIN local_entities l ON l.doc_id = m.doc_id AND l.idx = m.local
                     WHERE m.entity_id = ?1",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(members > 0 && ambiguous == Some(members))
        };
        self.sql(run())
    }

    fn profiles(&self, docs: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
        self.sql(chunked(
            self.conn(),
            "SELECT doc_id, profile FROM doc_blobs WHERE doc_id IN ({})",
            docs,
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))
    }

    fn stat_counts(&self, keys: &[String]) -> Result<Vec<(String, u64)>> {
        self.sql(crate::corpus::stat_counts(self.conn(), keys))
    }
}

impl Snapshot<'_> {
    /// `(entity, name form)` for every name of these entities.
    fn names_of(&self, ids: &[String]) -> rusqlite::Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = chunked(
            self.conn(),
            "SELECT id, name FROM entities WHERE id IN ({})",
            ids,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.extend(chunked(
            self.conn(),
            "SELECT entity_id, text FROM entity_names WHERE entity_id IN ({})",
            ids,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?);
        out.sort();
        out.dedup();
        Ok(out)
    }
}
