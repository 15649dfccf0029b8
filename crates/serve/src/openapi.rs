//! The OpenAPI 3.1 description of the API, built once. Schemas are strict
//! (`additionalProperties: false`) so a test that validates real answers
//! against them notices any field added or dropped without documenting it.

use dossier_query::{DEFAULT_PAGE, MAX_DEPTH, MAX_GRAPH_NODES, MAX_PAGE};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn obj(props: Value) -> Value {
    let required: Vec<String> = props
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": props,
    })
}

fn arr(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn nullable(t: Value) -> Value {
    json!({ "oneOf": [t, { "type": "null" }] })
}

fn s() -> Value {
    json!({ "type": "string" })
}

fn s_or_null() -> Value {
    json!({ "type": ["string", "null"] })
}

fn stance() -> Value {
    json!({ "enum": ["assert", "hedge", "deny", "not_confirmed"] })
}

fn speaker_kind() -> Value {
    json!({ "enum": ["named", "unnamed", "unresolved", "unattributed"] })
}

fn modality() -> Value {
    json!({ "enum": ["asserted", "reported", "denied", "planned", "hypothetical", "sought", "future"] })
}

fn n() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn paged(item: &str) -> Value {
    obj(json!({ "total": n(), "offset": n(), "limit": n(), "items": arr(r(item)) }))
}

fn schemas() -> Map<String, Value> {
    let mut m = Map::new();
    let mut add = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    add(
        "Error",
        obj(json!({ "error": obj(json!({ "status": n(), "message": s() })) })),
    );
    add(
        "MatchRequest",
        json!({ "type": "object", "required": ["queries"], "properties": {
            "queries": { "type": "object", "additionalProperties": { "type": "object", "properties": {
                "schema": s(),
                "properties": { "type": "object", "additionalProperties": { "type": "array", "items": s() } },
            } } },
        } }),
    );
    add(
        "MatchResponse",
        json!({ "type": "object", "required": ["responses", "limit"], "properties": {
            "limit": n(),
            "responses": { "type": "object", "additionalProperties": { "type": "object",
                "required": ["status", "results", "total"],
                "properties": {
                    "status": n(),
                    "error": s(),
                    "total": { "type": "object" },
                    "results": { "type": "array", "items": { "type": "object",
                        "required": ["id", "caption", "schema", "datasets", "score", "match", "explanation"],
                        "properties": {
                            "id": s(), "caption": s(), "schema": s(),
                            "datasets": { "type": "array", "items": s() },
                            "score": { "type": "number", "minimum": 0, "maximum": 1 },
                            "match": { "type": "boolean" },
                            "explanation": { "type": "array", "items": s() },
                        } } },
                } } },
        } }),
    );
    add(
        "Reconciliation",
        json!({ "type": "object", "description": "The service manifest (name, identifierSpace, schemaSpace, defaultTypes), or one result list per query key: {\"q0\": {\"result\": [{\"id\", \"name\", \"score\", \"match\", \"type\", \"description\"}]}}." }),
    );
    add(
        "ReconForm",
        json!({ "type": "object", "required": ["queries"], "properties": { "queries": { "type": "string", "description": "A JSON object of reconciliation queries: {\"q0\": {\"query\": \"Abu Muhammad al-Masri\", \"type\": \"Person\", \"properties\": [{\"pid\": \"birth_date\", \"v\": \"1963\"}]}}" } } }),
    );
    add(
        "EntityRef",
        obj(json!({ "id": s(), "name": s(), "type": s() })),
    );
    add(
        "DocRef",
        obj(json!({ "id": s(), "title": s_or_null(), "published": s_or_null(), "source": s() })),
    );
    let mut evidence = obj(json!({
        "doc": s(), "start": n(), "end": n(), "text": s(),
        "kind": { "enum": ["name", "nominal", "pronoun"] },
        "doc_title": s_or_null(), "published": s_or_null(), "doc_source": s_or_null(),
    }));
    evidence["required"] = json!([
        "doc",
        "start",
        "end",
        "text",
        "doc_title",
        "published",
        "doc_source"
    ]);
    evidence["description"] =
        json!("A span of a document: code-point offsets into its text, end exclusive.");
    add("Evidence", evidence);
    add(
        "Summary",
        obj(json!({
            "id": s(), "type": s(), "name": s(), "description": s_or_null(),
            "fate": s_or_null(),
            "co_mentions": arr(r("EntityRef")), "places": arr(r("EntityRef")),
            "first_date": s_or_null(), "last_date": s_or_null(),
            "dates_from": { "enum": ["events", "published", null] },
            "documents": n(), "line": s(),
        })),
    );
    add(
        "SearchHit",
        obj(json!({ "score": { "type": "number" }, "matched": s(), "entity": r("Summary") })),
    );
    add(
        "SearchAnswer",
        obj(json!({
            "query": s(), "total": n(), "offset": n(), "limit": n(),
            "items": arr(r("SearchHit")),
        })),
    );
    add(
        "NameView",
        obj(json!({
            "text": s(), "canonical": { "type": "boolean" }, "documents": n(),
            "evidence": arr(r("Evidence")), "evidence_total": n(),
        })),
    );
    add(
        "DescriptionView",
        obj(json!({ "text": s(), "total": n(), "evidence": arr(r("Evidence")) })),
    );
    add(
        "MergeView",
        obj(json!({
            "reason": s(), "score": { "type": ["number", "null"] },
            "confidence": { "enum": ["high", "medium", "low", "unscored"] },
            "evidence": arr(r("Evidence")),
        })),
    );
    add(
        "Identity",
        obj(json!({ "explanation": arr(s()), "merges": paged("MergeView") })),
    );
    add(
        "RelationView",
        obj(json!({
            "id": s(), "type": s(), "role": s_or_null(), "subject": r("EntityRef"),
            "object": r("EntityRef"), "sentence": s(), "evidence": arr(r("Evidence")),
            "evidence_total": n(),
        })),
    );
    add(
        "EventDate",
        obj(json!({
            "value": s_or_null(),
            "precision": { "enum": ["day", "month", "year", null] },
            "text": s_or_null(),
        })),
    );
    let event_props = json!({
        "id": s(), "type": s(), "date": nullable(r("EventDate")),
        "modality": modality(),
        "amount": nullable(obj(json!({
            "value": { "type": ["integer", "null"], "minimum": 0 },
            "currency": s_or_null(), "text": s(),
        }))),
        "participants": arr(obj(json!({ "role": s(), "entity": r("EntityRef") }))),
        "places": arr(r("EntityRef")), "documents": arr(r("DocRef")), "documents_total": n(),
        "evidence": arr(r("Evidence")), "evidence_total": n(),
    });
    add("EventView", obj(event_props.clone()));
    let mut detail = event_props;
    detail["claims"] = r("PagedClaims");
    add("EventDetail", obj(detail));
    add(
        "ClaimBrief",
        obj(json!({
            "id": s(), "text": s(), "speaker": nullable(r("EntityRef")),
            "speaker_text": s_or_null(), "polarity": { "enum": ["assert", "deny"] },
            "hedged": { "type": "boolean" }, "stance": stance(), "speaker_kind": speaker_kind(),
            "evidence": r("Evidence"),
        })),
    );
    add(
        "ClaimView",
        obj(json!({
            "id": s(), "text": s(), "speaker": nullable(r("EntityRef")),
            "speaker_text": s_or_null(), "kind": { "enum": ["quote", "reported"] },
            "polarity": { "enum": ["assert", "deny"] }, "hedged": { "type": "boolean" },
            "stance": stance(), "speaker_kind": speaker_kind(),
            "about": arr(obj(json!({ "id": s(), "what": { "enum": ["entity", "event"] }, "label": s() }))),
            "evidence": r("Evidence"), "dispute": s_or_null(),
            "supports": arr(r("ClaimBrief")), "supports_total": n(),
            "contradicts": arr(r("ClaimBrief")), "contradicts_total": n(),
        })),
    );
    add(
        "DisputeView",
        obj(json!({
            "id": s(), "disputed": { "type": "boolean" }, "about": s(), "claims": n(),
            "sides": { "type": "array", "minItems": 2, "maxItems": 2, "items": arr(r("ClaimBrief")) },
        })),
    );
    add(
        "ClaimGroups",
        obj(json!({
            "groups": arr(r("DisputeView")), "single_source": arr(r("ClaimBrief")), "total": n(),
        })),
    );
    add(
        "DossierDocument",
        obj(json!({
            "id": s(), "title": s_or_null(), "published": s_or_null(), "source": s(),
            "mentions": n(),
        })),
    );
    add(
        "Dossier",
        obj(json!({
            "summary": r("Summary"), "names": paged("NameView"),
            "descriptions": paged("DescriptionView"), "identity": r("Identity"),
            "relations": paged("RelationView"), "events": paged("EventView"),
            "claims": r("ClaimGroups"), "documents": paged("DossierDocument"),
            "sanctions": arr(r("ScreeningView")),
        })),
    );
    add(
        "ScreeningView",
        obj(json!({
            "list": s(), "list_id": s(), "name": s(), "score": { "type": "number" },
            "match": { "type": "boolean" }, "programs": s(), "list_date": s_or_null(),
            "explanation": arr(s()),
        })),
    );
    add(
        "DocumentBrief",
        obj(json!({
            "id": s(), "title": s_or_null(), "published": s_or_null(), "source": s(),
            "byline": s_or_null(), "length": n(), "entities": n(), "events": n(), "claims": n(),
        })),
    );
    add(
        "DocSpan",
        obj(json!({
            "start": n(), "end": n(), "text": s(),
            "layer": { "enum": ["mention", "time", "event", "claim", "relation", "description"] },
            "kind": s_or_null(), "target": s_or_null(), "label": s(),
        })),
    );
    add(
        "DocumentView",
        obj(json!({
            "id": s(), "source": s(), "sources": arr(s()), "title": s_or_null(),
            "published": s_or_null(), "byline": s_or_null(), "language": s(), "text": s(),
            "length": n(), "spans": arr(r("DocSpan")), "spans_total": n(),
        })),
    );
    add(
        "Graph",
        obj(json!({
            "center": s(), "depth": n(), "limit": n(), "truncated": { "type": "boolean" },
            "nodes": arr(obj(json!({
                "id": s(), "name": s(), "type": s(), "documents": n(), "depth": n(), "line": s(),
            }))),
            "edges": arr(obj(json!({
                "id": s(), "source": s(), "target": s(),
                "kind": { "enum": ["relation", "event", "co_mention"] },
                "label": s(), "ref_id": s_or_null(), "weight": n(),
            }))),
        })),
    );
    let counts = json!({ "type": "object", "additionalProperties": n() });
    add(
        "Stats",
        obj(json!({
            "documents": n(), "entities": n(), "entities_by_type": counts.clone(),
            "events": n(), "events_by_type": counts.clone(), "relations": n(),
            "relations_by_type": counts, "claims": n(), "disputed_claims": n(),
            "corroborated_claims": n(), "times": n(), "mentions": n(),
            "published_first": s_or_null(), "published_last": s_or_null(), "pending": n(),
        })),
    );
    add("PagedDocuments", paged("DocumentBrief"));
    add("PagedEvents", paged("EventView"));
    add("PagedClaims", paged("ClaimView"));
    m
}

fn with_body(mut op: Value, schema: &str, content_type: &str) -> Value {
    op["requestBody"] =
        json!({ "required": true, "content": { content_type: { "schema": r(schema) } } });
    op
}

fn q(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn id_param(what: &str) -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "description": format!("The {what}'s id (letters, digits, '-', '_', '.', ':')"),
        "schema": { "type": "string", "maxLength": 200 },
    })
}

fn offset() -> Value {
    q(
        "offset",
        "Results to skip (capped at 1000000).",
        json!({ "type": "integer", "minimum": 0, "default": 0 }),
    )
}

fn limit() -> Value {
    q(
        "limit",
        &format!("Page size; larger values are capped at {MAX_PAGE}."),
        json!({ "type": "integer", "minimum": 0, "default": DEFAULT_PAGE }),
    )
}

fn date(name: &str, what: &str) -> Value {
    q(
        name,
        what,
        json!({ "type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" }),
    )
}

fn op(summary: &str, params: Vec<Value>, ok: &str, errors: &[u16]) -> Value {
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({ "description": "OK", "content": { "application/json": { "schema": r(ok) } } }),
    );
    let mut codes = errors.to_vec();
    for always in [413, 503] {
        if !codes.contains(&always) {
            codes.push(always);
        }
    }
    for code in &codes {
        let description = match code {
            400 => "Bad parameter",
            404 => "Unknown id",
            413 => "The answer would exceed the server's size cap; ask for a smaller page",
            503 => "The database is damaged or could not be read",
            _ => "Error",
        };
        responses.insert(
            code.to_string(),
            json!({ "description": description, "content": { "application/json": { "schema": r("Error") } } }),
        );
    }
    json!({ "summary": summary, "parameters": params, "responses": responses })
}

fn build() -> Value {
    let entity_type = q(
        "type",
        "Only this entity type (PERSON, ORG, GPE, ...).",
        json!({ "type": "string", "pattern": "^[A-Z_]{1,40}$" }),
    );
    let paths = json!({
        "/api/v1/openapi.json": { "get": {
            "summary": "This document.",
            "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } } }
        } },
        "/api/v1/stats": { "get": op("Corpus counts.", vec![], "Stats", &[400]) },
        "/api/v1/search": { "get": op(
            "Entities by name: fuzzy, transliteration-aware, ranked; each with its disambiguating one-liner.",
            vec![
                json!({ "name": "q", "in": "query", "required": true, "description": "A name or part of one, in Latin or Arabic script.", "schema": { "type": "string", "minLength": 1, "maxLength": 200 } }),
                entity_type, offset(), limit(),
            ],
            "SearchAnswer", &[400]) },
        "/api/v1/entities/{id}": { "get": op(
            "An entity's dossier: names with sources, descriptions, why it is one entity, relations, events, claims, documents.",
            vec![id_param("entity"), offset(), limit()], "Dossier", &[400, 404, 503]) },
        "/api/v1/entities/{id}/graph": { "get": op(
            "The entity's neighbourhood: relations, shared events and co-mentions.",
            vec![
                id_param("entity"),
                q("depth", &format!("Hops from the entity (0-{MAX_DEPTH}; larger values are capped)."), json!({ "type": "integer", "minimum": 0, "default": 1 })),
                q("limit", &format!("Most nodes (capped at {MAX_GRAPH_NODES})."), json!({ "type": "integer", "minimum": 0, "default": 60 })),
            ],
            "Graph", &[400, 404]) },
        "/api/v1/documents": { "get": op("Documents, in ingest order.", vec![offset(), limit()], "PagedDocuments", &[400]) },
        "/api/v1/documents/{id}": { "get": op(
            "A document's text with every span on it: mentions, times, event and relation evidence, descriptions, claims. Offsets count code points.",
            vec![id_param("document")], "DocumentView", &[400, 404]) },
        "/api/v1/events/{id}": { "get": op("An event with the claims about it.", vec![id_param("event"), offset(), limit()], "EventDetail", &[400, 404, 503]) },
        "/api/v1/timeline": { "get": op(
            "Events by date (undated last), filtered.",
            vec![
                q("entity", "Only events this entity takes part in or that happened there.", json!({ "type": "string" })),
                q("type", "Only this event type (killing, arrest, ...).", json!({ "type": "string", "pattern": "^[a-z_]{1,40}$" })),
                date("from", "Only events overlapping this date or later (undated events are then left out)."),
                date("to", "Only events overlapping this date or earlier."),
                offset(), limit(),
            ],
            "PagedEvents", &[400, 404]) },
        "/api/v1/claims": { "get": op(
            "Claims with what supports and what contradicts them.",
            vec![
                q("entity", "Claims about this entity or made by it.", json!({ "type": "string" })),
                q("event", "Claims about this event.", json!({ "type": "string" })),
                q("disputed", "Only claims something contradicts.", json!({ "type": "boolean", "default": false })),
                offset(), limit(),
            ],
            "PagedClaims", &[400, 404]) },
        "/api/v1/claims/{id}": { "get": op("One claim.", vec![id_param("claim")], "ClaimView", &[400, 404]) },
        "/api/v1/disputes": { "get": op(
            "An entity's claims in the dispute and corroboration groups the build computed, then single-source claims.",
            vec![
                json!({ "name": "entity", "in": "query", "required": true, "description": "The entity.", "schema": { "type": "string" } }),
                offset(), limit(),
            ],
            "ClaimGroups", &[400, 404, 503]) },
        "/api/v1/disputes/{id}": { "get": op("One dispute or corroboration group with both sides.", vec![id_param("dispute")], "DisputeView", &[400, 404, 503]) },
        "/api/v1/match": { "post": with_body(op(
            "Screens example entities against the sanctions lists given to `dossier serve --list` (as yente's /match): every candidate with its score in 0..1, whether it passes the default threshold, and the explanation. 404 when no lists are loaded.",
            vec![q("limit", "Candidates per query (at most 100).", json!({ "type": "integer", "minimum": 1, "default": 5 }))],
            "MatchResponse", &[400, 404]), "MatchRequest", "application/json") },
        "/api/v1/reconcile": {
            "get": op(
                "OpenRefine reconciliation service (API 0.2) over the loaded sanctions lists: the service manifest, or with `queries` the answers.",
                vec![q("queries", "A JSON object of reconciliation queries.", s())],
                "Reconciliation", &[400, 404]),
            "post": with_body(op(
                "OpenRefine reconciliation queries as the form field `queries` (or a JSON body): candidates per query, best first.",
                vec![],
                "Reconciliation", &[400, 404]), "ReconForm", "application/x-www-form-urlencoded"),
        },
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Dossier API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only access to a Dossier knowledge base. Every fact carries evidence: spans with code-point offsets (end exclusive) into a document's text.",
        },
        "paths": paths,
        "components": { "schemas": schemas() },
    })
}

/// The document as served.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

pub fn text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| document().to_string())
}
