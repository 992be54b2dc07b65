"""Measures a shipped static model folder on /work/shared/data (labels used only to score).

usage: eval_static.py MODEL_DIR [DATA_DIR] [--json FILE]
Similarity: Spearman of cosine against the gold score. Word sets use the per-word
vector. Retrieval: dense only, document = title + " " + text, nDCG@10 with graded
gains (trec_eval's formula: gain = score, discount log2(rank + 1)).
"""
import gzip
import json
import math
import os
import sys

import numpy as np

from static_numpy import load_exported
from text_norm import tokenize


def spearman(a, b):
    def rank(x):
        x = np.asarray(x, dtype=np.float64)
        order = np.argsort(x, kind="mergesort")
        r = np.empty(len(x))
        r[order] = np.arange(len(x))
        # average ranks of ties
        vals, inv, cnt = np.unique(x, return_inverse=True, return_counts=True)
        sums = np.bincount(inv, weights=r)
        return (sums / cnt)[inv]
    ra, rb = rank(a), rank(b)
    return float(np.corrcoef(ra, rb)[0, 1])


def read_pairs(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8").read().splitlines()[1:] if l]
    return [r[0] for r in rows], [r[1] for r in rows], [float(r[2]) for r in rows]


def read_jsonl(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def ndcg10(scores, doc_ids, qrels):
    top = np.argsort(-scores, kind="stable")[:10]
    dcg = sum(qrels.get(doc_ids[d], 0) / math.log2(i + 2) for i, d in enumerate(top))
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = args[0]
    data = args[1] if len(args) > 1 else "/work/shared/data"
    m = load_exported(folder)
    out = {}
    for name in ["stsb", "sick-r", "sick-r-all"]:
        a, b, g = read_pairs(f"{data}/{name}/pairs.tsv")
        ea, eb = m.embed(a), m.embed(b)
        out[name] = spearman((ea * eb).sum(1), g)
    for name in ["simlex999", "wordsim353"]:
        a, b, g = read_pairs(f"{data}/{name}/pairs.tsv")
        def wvec(w):
            toks = tokenize(w)
            v = m.raw(w)
            return v / (np.linalg.norm(v) or 1)
        out[name] = spearman([float(wvec(x) @ wvec(y)) for x, y in zip(a, b)], g)
    for name in ["scifact", "cranfield", "adi"]:
        d = f"{data}/{name}"
        cpath = f"{d}/corpus.jsonl" if os.path.exists(f"{d}/corpus.jsonl") else f"{d}/corpus.jsonl.gz"
        corpus = read_jsonl(cpath)
        queries = {q["_id"]: q["text"] for q in read_jsonl(f"{d}/queries.jsonl")}
        qrels = {}
        for l in open(f"{d}/qrels.tsv").read().splitlines()[1:]:
            qid, did, s = l.split("\t")
            qrels.setdefault(qid, {})[did] = int(s)
        doc_ids = [c["_id"] for c in corpus]
        D = m.embed([(c.get("title") or "") + " " + (c.get("text") or "") for c in corpus])
        qids = [q for q in queries if q in qrels]
        Q = m.embed([queries[q] for q in qids])
        S = Q @ D.T
        out[name] = float(np.mean([ndcg10(S[i], doc_ids, qrels[q]) for i, q in enumerate(qids)]))
    sizes = {f: os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(folder) for f in fs}
    out["bytes"] = sum(sizes.values())
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}))
    if "--json" in sys.argv:
        json.dump(out, open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1)


if __name__ == "__main__":
    main()
