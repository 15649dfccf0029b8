#!/usr/bin/env python3
"""Precision audit of claims and events, labelled by hand.

Three steps (standard library only):

  scripts/audit.py corpus OUT_DIR            # 150 PolNeAR + 150 Reuters articles
  dossier build OUT_DIR --db audit.db && dossier export --db audit.db --format json -o audit.json
  scripts/audit.py sample audit.json audit.tsv   # 100 claims + 100 events, fixed seed
  ... label the *_ok columns of audit.tsv by reading each item in its article ...
  scripts/audit.py score audit.tsv           # precision per field

The articles come from /work/corpora (PolNeAR texts in mix/, Reuters-21578 in
reuters/all.jsonl) and are never copied into the repository. The labelling
file keeps only what a judgement needs: document id, code-point offsets, a
short snippet and the system's answers.

Label columns take `y` (right), `n` (wrong) or `-` (does not apply):
  speaker_ok   claims: the speaker (entity, or the phrase with its kind:
               named / unnamed / unresolved / unattributed) is who made it.
  polarity_ok  claims: the stance (assert / hedge / deny / not_confirmed) is
               how the speaker stands to the text as written.
  modality_ok  events: the modality (asserted, reported, planned, sought...)
               is how the article tells the event.
  date_ok      events with a date: it is when the event happened; events
               without one: `y` if the text gives no date for it, `n` if it
               does (a missed date).
  type_ok      claims: it is an attributed statement at all; events: it is
               an event of that type at all. When not, the other fields of
               the row are `-`.
  A speaker left unresolved ("the company", "he") counts as right when the
  phrase is the source and its kind is right; an entity counts only if it
  is the right one.
"""

import csv
import hashlib
import json
import random
import sys
from pathlib import Path

SEED = 20240612
CORPORA = Path("/work/corpora")
SNIPPET = 140


def corpus(out: Path) -> None:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    polnear = sorted(p for p in (CORPORA / "mix").glob("polnear_*.txt"))
    for p in rng.sample(polnear, 150):
        (out / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    lines = (CORPORA / "reuters" / "all.jsonl").read_text(encoding="utf-8").splitlines()
    # Only articles with a body worth reading (some are one-line tables).
    bodies = [l for l in lines if len(json.loads(l).get("text", "").split()) >= 80]
    with (out / "reuters.jsonl").open("w", encoding="utf-8") as f:
        for l in rng.sample(bodies, 150):
            f.write(l + "\n")
    print(f"{out}: 150 PolNeAR texts and 150 Reuters articles")


def snippet(text: str, start: int, end: int) -> str:
    s = text[start:end]
    if len(s) > SNIPPET:
        s = s[: SNIPPET - 3] + "..."
    return " ".join(s.split())


def sample(export: Path, out: Path) -> None:
    d = json.loads(export.read_text(encoding="utf-8"))
    docs = {x["id"]: x for x in d["documents"]}
    names = {e["id"]: e["name"] for e in d["entities"]}
    # Each item's place in a fixed pseudo-random order of its id: the same
    # build gives the same sample, and a rebuild that adds or drops a few
    # items leaves the rest of the sample as it was.
    def drawn(items):
        key = lambda x: hashlib.sha256(f"{SEED}:{x['id']}".encode()).hexdigest()
        return sorted(items, key=key)[:100]

    claims = drawn(d["claims"])
    events = drawn(d["events"])
    rows = []
    for c in claims:
        rows.append(
            {
                "item": "claim",
                "id": c["id"],
                "doc": docs[c["doc"]]["source"].rsplit("/", 1)[-1],
                "start": c["start"],
                "end": c["end"],
                "snippet": snippet(docs[c["doc"]]["text"], c["start"], c["end"]),
                "speaker": names.get(c.get("speaker"), "") or (c.get("speaker_text") or ""),
                "speaker_kind": c.get("speaker_kind", ""),
                "stance": c.get("stance", ""),
                "modality": "",
                "date": "",
                "type_ok": "",
                "speaker_ok": "",
                "polarity_ok": "",
                "modality_ok": "-",
                "date_ok": "-",
                "note": "",
            }
        )
    for e in events:
        ev = e["evidence"][0]
        parts = ", ".join(f"{p['role']}={names.get(p['entity'], p['entity'])}" for p in e["participants"])
        rows.append(
            {
                "item": "event",
                "id": e["id"],
                "doc": docs[ev["doc"]]["source"].rsplit("/", 1)[-1],
                "start": ev["start"],
                "end": ev["end"],
                "snippet": snippet(docs[ev["doc"]]["text"], ev["start"], ev["end"]),
                "speaker": f"{e['type']}: {parts}",
                "speaker_kind": "",
                "stance": "",
                "modality": e.get("modality", "asserted"),
                "date": (e.get("date") or {}).get("value") or "",
                "type_ok": "",
                "speaker_ok": "-",
                "polarity_ok": "-",
                "modality_ok": "",
                "date_ok": "",
                "note": "",
            }
        )
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    print(f"{out}: {sum(r['item'] == 'claim' for r in rows)} claims, {sum(r['item'] == 'event' for r in rows)} events")


def score(labelled: Path) -> None:
    rows = list(csv.DictReader(labelled.open(encoding="utf-8"), delimiter="\t"))
    fields = [
        ("claim", "type_ok"),
        ("claim", "speaker_ok"),
        ("claim", "polarity_ok"),
        ("event", "type_ok"),
        ("event", "modality_ok"),
        ("event", "date_ok"),
    ]
    for item, field in fields:
        got = [r[field] for r in rows if r["item"] == item and r[field] in ("y", "n")]
        unlabelled = [r for r in rows if r["item"] == item and r[field] == ""]
        if unlabelled:
            sys.exit(f"{labelled}: {len(unlabelled)} {item} rows without {field}")
        right = got.count("y")
        print(f"{item:5} {field:12} {right:3}/{len(got):3} = {100 * right / max(1, len(got)):5.1f}%")
    dated = [r for r in rows if r["item"] == "event" and r["date"] and r["date_ok"] in ("y", "n")]
    print(f"event dates given: {sum(r['date_ok'] == 'y' for r in dated)}/{len(dated)} right")


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "corpus":
        corpus(Path(sys.argv[2]))
    elif cmd == "sample" and len(sys.argv) == 4:
        sample(Path(sys.argv[2]), Path(sys.argv[3]))
    elif cmd == "score":
        score(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
