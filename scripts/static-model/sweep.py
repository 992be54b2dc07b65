"""Compares export-time choices on one trained model, in memory (no ONNX, no int8).

usage: sweep.py MODEL CACHE_DIR [DATA_DIR]
Only for choosing the export settings; the shipped numbers come from eval_static.py.
"""
import json
import os
import sys
import time

import numpy as np
from gensim.models import FastText

import eval_static as ev
from export_model import UNK, common_component, make_table
from static_numpy import StaticModel

model_path, cache = sys.argv[1], sys.argv[2]
QUICK = bool(os.environ.get("SWEEP_QUICK"))  # similarity sets only, for a first screen
data = sys.argv[3] if len(sys.argv) > 3 else "/work/shared/data"
ft = FastText.load(model_path)
ft._sift_path = model_path

VARIANTS = [
    dict(vocab=30000, buckets=16384, dim=0, center=True, sif_a=1e-3),
    dict(vocab=30000, buckets=16384, dim=0, center=False, sif_a=1e-3),
    dict(vocab=30000, buckets=16384, dim=0, center=True, sif_a=1e-3, abtt=2),
    dict(vocab=30000, buckets=16384, dim=0, center=True, sif_a=1e-4),
    dict(vocab=30000, buckets=131072, dim=0, center=True, sif_a=1e-3),
    dict(vocab=60000, buckets=16384, dim=0, center=True, sif_a=1e-3),
    dict(vocab=30000, buckets=16384, dim=128, center=True, sif_a=1e-3),
]
if len(sys.argv) > 4:
    # One JSON object per extra argument, each a variant.
    VARIANTS = [json.loads(a) for a in sys.argv[4:]]


def evaluate(sm):
    out = {}
    for name in ["stsb", "sick-r"]:
        a, b, g = ev.read_pairs(f"{data}/{name}/pairs.tsv")
        out[name] = ev.spearman((sm.embed(a) * sm.embed(b)).sum(1), g)
    for name in ["simlex999", "wordsim353"]:
        a, b, g = ev.read_pairs(f"{data}/{name}/pairs.tsv")
        def wv(w):
            v = sm.raw(w)
            return v / (np.linalg.norm(v) or 1)
        out[name] = ev.spearman([float(wv(x) @ wv(y)) for x, y in zip(a, b)], g)
    for name in ([] if QUICK else ["scifact", "cranfield", "adi"]):
        d = f"{data}/{name}"
        import os
        cpath = f"{d}/corpus.jsonl" if os.path.exists(f"{d}/corpus.jsonl") else f"{d}/corpus.jsonl.gz"
        corpus = ev.read_jsonl(cpath)
        queries = {q["_id"]: q["text"] for q in ev.read_jsonl(f"{d}/queries.jsonl")}
        qrels = {}
        for l in open(f"{d}/qrels.tsv").read().splitlines()[1:]:
            qid, did, s = l.split("\t")
            qrels.setdefault(qid, {})[did] = int(s)
        ids = [c["_id"] for c in corpus]
        D = sm.embed([(c.get("title") or "") + " " + (c.get("text") or "") for c in corpus])
        qids = [q for q in queries if q in qrels]
        S = sm.embed([queries[q] for q in qids]) @ D.T
        out[name] = float(np.mean([ev.ndcg10(S[i], ids, qrels[q]) for i, q in enumerate(qids)]))
    return {k: round(v, 4) for k, v in out.items()}


def components(sm, cache, n, k):
    import random
    from export_model import SEED
    lines = open(f"{cache}/gen.txt").read().splitlines()
    raw = np.stack([sm.raw(t) for t in random.Random(SEED).sample(lines, n)]).astype(np.float64)
    return np.linalg.svd(raw, full_matrices=False)[2][:k].astype(np.float32)


class MultiComponent:
    """Removes the top k common components instead of one ("cc" in a variant)."""

    def __init__(self, sm, U):
        self.sm, self.U = sm, U

    def raw(self, w):
        return self.sm.raw(w)

    def embed(self, texts):
        m = self.sm.embed(texts, remove_component=False)
        m = m - (m @ self.U.T) @ self.U
        n = np.linalg.norm(m, axis=1, keepdims=True)
        return (m / np.where(n > 0, n, 1)).astype(np.float32)


for v in VARIANTS:
    t0 = time.time()
    full, cfg, words = make_table(ft, v["vocab"], v["buckets"], v["dim"], v["center"], v["sif_a"], abtt=v.get("abtt", 0), refit=v.get("refit", False),
                                  retrofit=v.get("retrofit", 0.0), cache_dir=cache,
                                  word_mix=v.get("word_mix", 0.0), p_pow=v.get("p_pow", 1.0),
                                  norm_pow=v.get("norm_pow", 0.0))
    cfg["oov_weight"] = v.get("oov_weight", 1.0)
    vocab = {w: i for i, w in enumerate(words)}
    vocab[UNK] = len(words)
    sm = StaticModel(full, vocab, cfg)
    cfg["common_component"] = common_component(sm, cache, 5000) if v.get("cc", 1) else None
    final = StaticModel(full, vocab, cfg)
    if v.get("cc", 1) > 1:
        final = MultiComponent(final, components(sm, cache, 5000, v["cc"]))
    res = evaluate(final)
    print(json.dumps(v), json.dumps(res), f"{time.time() - t0:.0f}s", flush=True)
