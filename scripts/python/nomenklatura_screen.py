"""Score screening candidates with OpenSanctions' nomenklatura matchers.

Reads JSON lines on stdin, one query each:
  {"qid": str, "query": {"schema", "properties"},
   "candidates": [{"id", "schema", "properties"}, ...]}
Writes one JSON line per query, in order:
  {"qid": str, "scores": {algorithm: {candidate id: score}}}
and a last line {"timing": {algorithm: {"pairs": n, "seconds": s}}}.

Used by `dossier eval screen` as the reference matcher (optional).
"""

import json
import sys
import time

from followthemoney import EntityProxy
from nomenklatura.matching import ScoringConfig, get_algorithm

ALGORITHMS = sys.argv[1:] or ["logic-v1", "logic-v2"]


def main() -> None:
    config = ScoringConfig.defaults()
    algos = {}
    for name in ALGORITHMS:
        algo = get_algorithm(name)
        if algo is None:
            sys.exit(f"nomenklatura has no algorithm {name}")
        algos[name] = algo
    timing = {name: {"pairs": 0, "seconds": 0.0} for name in algos}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        rec = json.loads(line)
        # A distinct id per query: logic-v2 caches results by entity ids.
        query = EntityProxy.from_dict({"id": f"query-{rec['qid']}", **rec["query"]})
        cands = [EntityProxy.from_dict(c) for c in rec["candidates"]]
        scores = {}
        for name, algo in algos.items():
            start = time.perf_counter()
            scores[name] = {c.id: algo.compare(query, c, config).score for c in cands}
            timing[name]["seconds"] += time.perf_counter() - start
            timing[name]["pairs"] += len(cands)
        print(json.dumps({"qid": rec["qid"], "scores": scores}), flush=False)
    print(json.dumps({"timing": timing}))


if __name__ == "__main__":
    main()
