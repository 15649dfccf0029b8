"""Reference article extraction with Python trafilatura, for `dossier eval extract`.

Reads HTML pages (plain or .gz files, or directories of them) and writes one
JSON object per page to stdout:
  {"id", "text", "title", "date", "author", "url", "language", "seconds"}
`id` is the file name without `.html` / `.gz`. `text` is trafilatura.extract()
with its default settings, except comments, which are left out unless
--include-comments is given (as the upstream benchmark runs it).
Usage: python trafilatura_extract.py [--include-comments] PATH... > out.jsonl
"""
import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura


def pages(paths):
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(q for q in p.iterdir() if q.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")))
        else:
            yield p


def page_id(path):
    name = path.name
    for suffix in (".gz", ".html", ".htm"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include-comments", action="store_true")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    for path in pages(args.paths):
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        html = raw.decode("utf-8", errors="replace")
        start = time.perf_counter()
        text = trafilatura.extract(html, include_comments=args.include_comments)
        seconds = time.perf_counter() - start
        meta = trafilatura.extract_metadata(html)
        rec = {
            "id": page_id(path),
            "text": text or "",
            "title": meta.title if meta else None,
            "date": meta.date if meta else None,
            "author": meta.author if meta else None,
            "url": meta.url if meta else None,
            "language": meta.language if meta else None,
            "seconds": seconds,
        }
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
