"""Turns a trained gensim FastText model into the shipped model folder.

usage: export_model.py MODEL OUT_DIR CACHE_DIR [--vocab V] [--buckets B] [--dim D] [--center]

Steps: keep the V most frequent words; centre every vector on the mean word
vector (and optionally project to D dims on the word vectors' principal axes:
affine, so a mean of transformed bucket rows is the transform of the mean);
shrink the n-gram table to B rows, either by folding (B divides the trained
count, so hash % B == (hash % trained) % B) or, with --refit, by a least-squares
fit to every trained word's vector (any B); optionally retrofit the word rows to
WordNet synonyms; bake a length (unit, or (trained norm / mean)^--norm-pow)
times the SIF weight a/(a+p(w)) into each word row;
quantise every row to int8 with one float scale per row; compute the
sentence-level common component from training passages; write ONNX, tokenizer,
config and reference vectors.
"""
import argparse
import json
import os
import random

import numpy as np
import onnx
from gensim.models import FastText
from onnx import TensorProto, helper, numpy_helper

from static_numpy import StaticModel

SEED = 20261124
UNK = "[UNK]"
REFERENCE_TEXTS = [
    "A man is playing a guitar.",
    "The cat sat on the mat.",
    "Hydroxychloroquine reduces mortality in hospitalised COVID-19 patients.",
    "Café naïve façade: Übermensch résumé!",
    "xyzzyplugh quarkonium zwitterionic",
    "",
    "   ...   ",
]


def quantize_rows(m: np.ndarray):
    scale = np.abs(m).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(m / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def build_graph(q: np.ndarray, scale: np.ndarray) -> onnx.ModelProto:
    """EmbeddingBag(mode=mean) over int8 rows: input_ids [N], offsets [B] -> embeddings [B, dim].

    Bag b holds input_ids[offsets[b]:offsets[b+1]]; an empty bag gives zeros. The bag index
    of each id is a cumulative sum of marks scattered at the offsets, so the cost is O(N),
    not the O(N*B) of a one-hot matrix.
    """
    dim = q.shape[1]
    I = helper.make_node
    nodes = [
        I("Gather", ["table_q", "input_ids"], ["rows_q"], axis=0),
        I("Cast", ["rows_q"], ["rows_f"], to=TensorProto.FLOAT),
        I("Gather", ["table_scale", "input_ids"], ["row_scale"], axis=0),
        I("Unsqueeze", ["row_scale", "axis_last"], ["row_scale2"]),
        I("Mul", ["rows_f", "row_scale2"], ["rows"]),
        I("Shape", ["input_ids"], ["n"]),
        I("Shape", ["offsets"], ["b"]),
        I("Add", ["n", "one_i64"], ["n1"]),
        I("ConstantOfShape", ["n1"], ["marks0"], value=numpy_helper.from_array(np.array([0], np.int64))),
        I("ConstantOfShape", ["b"], ["ones_b"], value=numpy_helper.from_array(np.array([1], np.int64))),
        I("ScatterElements", ["marks0", "offsets", "ones_b"], ["marks1"], axis=0, reduction="add"),
        I("Slice", ["marks1", "zero_i64", "n"], ["marks"]),
        I("CumSum", ["marks", "zero_scalar"], ["seg1"]),
        I("Sub", ["seg1", "one_i64"], ["seg"]),
        I("Unsqueeze", ["seg", "axis_last"], ["seg2"]),
        I("Concat", ["b", "dim_i64"], ["out_shape"], axis=0),
        I("ConstantOfShape", ["out_shape"], ["zeros_bd"], value=numpy_helper.from_array(np.array([0], np.float32))),
        I("ScatterND", ["zeros_bd", "seg2", "rows"], ["sums"], reduction="add"),
        I("ConstantOfShape", ["b"], ["zeros_b"], value=numpy_helper.from_array(np.array([0], np.float32))),
        I("ConstantOfShape", ["n"], ["ones_n"], value=numpy_helper.from_array(np.array([1], np.float32))),
        I("ScatterND", ["zeros_b", "seg2", "ones_n"], ["counts"], reduction="add"),
        I("Max", ["counts", "one_f"], ["counts1"]),
        I("Unsqueeze", ["counts1", "axis_last"], ["counts2"]),
        I("Div", ["sums", "counts2"], ["embeddings"]),
    ]
    inits = [
        numpy_helper.from_array(q, "table_q"),
        numpy_helper.from_array(scale, "table_scale"),
        numpy_helper.from_array(np.array([-1], np.int64), "axis_last"),
        numpy_helper.from_array(np.array([1], np.int64), "one_i64"),
        numpy_helper.from_array(np.array([0], np.int64), "zero_i64"),
        numpy_helper.from_array(np.array(0, np.int64), "zero_scalar"),
        numpy_helper.from_array(np.array([dim], np.int64), "dim_i64"),
        numpy_helper.from_array(np.array(1.0, np.float32), "one_f"),
    ]
    graph = helper.make_graph(
        nodes, "sift_static_embedding_bag",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["N"]),
         helper.make_tensor_value_info("offsets", TensorProto.INT64, ["B"])],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["B", dim])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)], producer_name="sift-static-build")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def tokenizer_json(words: list[str]) -> dict:
    vocab = {w: i for i, w in enumerate(words)}
    vocab[UNK] = len(words)
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": len(words), "content": UNK, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[^a-z0-9]+"}, "behavior": "Removed", "invert": False},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": UNK},
    }


def ft_path(ft):
    return getattr(ft, "_sift_path", "/dev/null")


def refit_buckets(ft, n_buckets, transform, G0, iters=60, lam=1e-2):
    """Fits a small n-gram table so that the mean of a word's n-gram rows points where
    that word's trained vector points, for every word gensim learned.

    Folding the trained table (G0) keeps rows of unrelated n-grams averaged together;
    a least-squares refit, (A^T A + lam I) G = A^T T by conjugate gradients started from
    the folded table, recovers most of what the full table gives unknown words.
    """
    import scipy.sparse as sp
    from static_numpy import char_ngrams, fnv1a

    wv = ft.wv
    rows, cols, vals = [], [], []
    for i, w in enumerate(wv.index_to_key):
        hs = [fnv1a(g) % n_buckets for g in char_ngrams(w, wv.min_n, wv.max_n)]
        for h in hs:
            rows.append(i)
            cols.append(h)
            vals.append(1.0 / len(hs))
    A = sp.csr_matrix((vals, (rows, cols)), shape=(len(wv.index_to_key), n_buckets))
    T = transform(np.asarray(wv.vectors, dtype=np.float64))
    T /= np.linalg.norm(T, axis=1, keepdims=True)
    At = A.T.tocsr()
    if G0 is None:
        # Each row starts as the mean target of the words holding that n-gram.
        G0 = (At @ T) / np.maximum(np.asarray(A.sum(0)).ravel(), 1e-12)[:, None]
    # Scale G0 so its word means have unit length on average, like the targets.
    g0n = np.linalg.norm(A @ G0, axis=1).mean()
    X = G0 / (g0n if g0n > 0 else 1)
    mv = lambda X: At @ (A @ X) + lam * X
    R = At @ T - mv(X)
    P = R.copy()
    rs = (R * R).sum(0)
    for _ in range(iters):
        MP = mv(P)
        alpha = rs / np.maximum((P * MP).sum(0), 1e-30)
        X += P * alpha
        R -= MP * alpha
        rs_new = (R * R).sum(0)
        P = R + P * (rs_new / np.maximum(rs, 1e-30))
        rs = rs_new
    return X


def wordnet_synonyms(vocab: dict) -> list[list[int]]:
    """For each shipped word, the ids of shipped words sharing a WordNet synset with it."""
    nbrs = [set() for _ in range(len(vocab))]
    for pos in ["noun", "verb", "adj", "adv"]:
        with open(f"/usr/share/wordnet/data.{pos}", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fields = line.split(" | ")[0].split()
                nw = int(fields[3], 16)
                ids = [vocab.get(fields[4 + 2 * i].split("(")[0].lower()) for i in range(nw)]
                ids = [i for i in ids if i is not None]
                for a in ids:
                    nbrs[a].update(b for b in ids if b != a)
    return [sorted(s) for s in nbrs]


def retrofit_rows(W: np.ndarray, nbrs: list[list[int]], alpha: float, iters: int = 10) -> np.ndarray:
    """Faruqui et al. 2015 retrofitting of the word rows to WordNet synonyms; alpha is the
    weight of a word's own vector against each neighbour's (higher = lighter touch)."""
    Q = W.copy()
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    Wn = W / norms
    for _ in range(iters):
        Qn = Q / np.linalg.norm(Q, axis=1, keepdims=True)
        new = Q.copy()
        for i, nb in enumerate(nbrs):
            if nb:
                # Neighbours weigh 1/degree each (Faruqui et al.'s beta), so hubs do not swamp a word.
                new[i] = (alpha * Wn[i] + Qn[nb].mean(0)) / (alpha + 1)
        Q = new
    return Q


def make_table(ft, n_vocab, n_buckets, dim, center, sif_a, normalize=True, abtt=0, refit=False, retrofit=0.0,
               cache_dir=None, word_mix=0.0, p_pow=1.0, norm_pow=0.0):
    """Float rows [words..., UNK (zero), buckets...] and the config the runtime needs.

    word_mix: share of fastText's pure word vector (vectors_vocab) in a word row, against
    gensim's word vector (the mean of the word vector and its n-gram vectors); both are
    unit-normalised before mixing. p_pow: p(w) for SIF is proportional to count**p_pow
    (1 = training frequency; < 1 smooths towards uniform, as word2vec's 0.75 does).
    """
    wv = ft.wv
    counts = np.array([wv.get_vecattr(w, "count") for w in wv.index_to_key], dtype=np.float64)
    words = list(wv.index_to_key[:n_vocab])
    W = np.asarray(wv.vectors[: len(words)], dtype=np.float64)
    if word_mix:
        V = np.asarray(wv.vectors_vocab[: len(words)], dtype=np.float64)
        unit = lambda X: X / np.linalg.norm(X, axis=1, keepdims=True)
        W = ((1 - word_mix) * unit(W) + word_mix * unit(V)) * np.linalg.norm(W, axis=1, keepdims=True)
    trained = wv.vectors_ngrams.shape[0]
    if trained % n_buckets == 0:
        G = np.asarray(wv.vectors_ngrams, dtype=np.float64).reshape(trained // n_buckets, n_buckets, -1).mean(0)
    else:
        # hash % n_buckets is no function of hash % trained, so nothing folds: the refit starts from scratch.
        assert refit, "a bucket count that does not divide the trained count needs --refit"
        G = None
    mu = W.mean(0) if (center or dim) else np.zeros(W.shape[1])
    P = np.eye(W.shape[1])
    if dim and dim < W.shape[1]:
        _, _, vt = np.linalg.svd(W - mu, full_matrices=False)
        P = vt[:dim].T
    if abtt:
        # "All-but-the-top" (Mu & Viswanath 2018): drop the few dominant directions every word shares.
        _, _, vt = np.linalg.svd((W - mu) @ P, full_matrices=False)
        top = vt[:abtt].T
        P = P - (P @ top) @ top.T
    transform = lambda X: (X - mu) @ P  # affine, so it commutes with taking means of rows
    W = transform(W)
    G = transform(G) if G is not None else None
    if refit:
        model_name = os.path.basename(ft_path(ft)).replace(".model", "")
        key = f"{cache_dir}/refit-{model_name}-{n_buckets}-{int(bool(center or dim))}-{dim}-{abtt}.npy" if cache_dir else None
        if key and os.path.exists(key) and os.path.getmtime(key) > os.path.getmtime(ft_path(ft)):
            G = np.load(key)
        else:
            G = refit_buckets(ft, n_buckets, transform, G)
            if key:
                np.save(key, G)
    trained_norms = np.linalg.norm(W, axis=1, keepdims=True)
    if retrofit:
        vocab = {w: i for i, w in enumerate(words)}
        W = retrofit_rows(W, wordnet_synonyms(vocab), retrofit)
    p = counts[: len(words)] ** p_pow / (counts ** p_pow).sum()
    sif = sif_a / (sif_a + p)
    if normalize:
        # norm_pow > 0 keeps some of the trained length (frequent, vague words are shorter).
        W = W / np.linalg.norm(W, axis=1, keepdims=True) * (trained_norms / trained_norms.mean()) ** norm_pow
    W = W * sif[:, None]
    full = np.concatenate([W, np.zeros((1, W.shape[1])), G]).astype(np.float32)
    cfg = {
        "vocab_size": len(words), "unk_id": len(words), "bucket_offset": len(words) + 1,
        "buckets": n_buckets, "min_n": wv.min_n, "max_n": wv.max_n,
        "hash": "fnv1a32-signed-bytes", "oov_weight": 1.0, "sif_a": sif_a,
        **({"word_mix": word_mix} if word_mix else {}), **({"p_pow": p_pow} if p_pow != 1.0 else {}),
        **({"norm_pow": norm_pow} if norm_pow else {}),
        "tokenize": "NFKD, drop combining marks, lower-case, [a-z0-9]+",
    }
    return full, cfg, words


def common_component(sm, cache, n=20000):
    """First right singular vector of raw sentence vectors of training passages (sign fixed)."""
    lines = open(f"{cache}/gen.txt").read().splitlines()
    sample = random.Random(SEED).sample(lines, n)
    raw = np.stack([sm.raw(t) for t in sample]).astype(np.float64)
    _, _, vt = np.linalg.svd(raw, full_matrices=False)
    u = vt[0] if vt[0].sum() >= 0 else -vt[0]
    return [round(float(x), 7) for x in u]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("cache")
    ap.add_argument("--vocab", type=int, default=40000)
    ap.add_argument("--buckets", type=int, default=1 << 15)
    ap.add_argument("--dim", type=int, default=0, help="0 keeps the trained dimension")
    ap.add_argument("--center", action="store_true")
    ap.add_argument("--sif-a", type=float, default=1e-3)
    ap.add_argument("--abtt", type=int, default=0, help="dominant directions removed from every row")
    ap.add_argument("--refit", action="store_true", help="least-squares refit of the small n-gram table")
    ap.add_argument("--retrofit", type=float, default=0.0, help="WordNet retrofitting self-weight (0 = off)")
    ap.add_argument("--word-mix", type=float, default=0.0, help="share of the pure word vector in a word row")
    ap.add_argument("--p-pow", type=float, default=1.0, help="SIF p(w) proportional to count**p_pow")
    ap.add_argument("--norm-pow", type=float, default=0.0, help="word row length (norm/mean)**norm_pow before SIF")
    ap.add_argument("--oov-weight", type=float, default=1.0, help="length of an unknown word's n-gram vector")
    ap.add_argument("--cc", type=int, default=1, help="common components removed (0 or 1)")
    args = ap.parse_args()

    ft = FastText.load(args.model)
    ft._sift_path = args.model
    full, cfg, words = make_table(ft, args.vocab, args.buckets, args.dim, args.center, args.sif_a, abtt=args.abtt, refit=args.refit,
                                  retrofit=args.retrofit, cache_dir=args.cache,
                                  word_mix=args.word_mix, p_pow=args.p_pow, norm_pow=args.norm_pow)
    cfg["oov_weight"] = args.oov_weight
    q, scale = quantize_rows(full)
    vocab = {w: i for i, w in enumerate(words)}
    vocab[UNK] = len(words)
    deq = q.astype(np.float32) * scale[:, None]
    cfg["common_component"] = common_component(StaticModel(deq, vocab, cfg), args.cache) if args.cc else None
    sm = StaticModel(deq, vocab, cfg)
    dim = full.shape[1]

    os.makedirs(f"{args.out}/onnx", exist_ok=True)
    onnx.save(build_graph(q, scale), f"{args.out}/onnx/model_quantized.onnx")
    with open(f"{args.out}/tokenizer.json", "w") as f:
        json.dump(tokenizer_json(words), f, ensure_ascii=False, separators=(",", ":"))
    with open(f"{args.out}/tokenizer_config.json", "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "unk_token": UNK,
                   "model_max_length": 1000000, "do_lower_case": True}, f, indent=2)
    with open(f"{args.out}/config.json", "w") as f:
        json.dump({"model_type": "sift-static", "architectures": ["SiftStaticEmbeddingBag"],
                   "hidden_size": dim, "vocab_size": int(full.shape[0]), "sift_static": cfg}, f, indent=1)
    vecs = sm.embed(REFERENCE_TEXTS)
    ref = {"note": "sentence vectors from scripts/static-model/static_numpy.py on the shipped int8 weights",
           "cases": [{"text": t, "vector": [round(float(x), 7) for x in v]} for t, v in zip(REFERENCE_TEXTS, vecs)]}
    with open(f"{args.out}/reference.json", "w") as f:
        json.dump(ref, f, separators=(",", ":"))
    print(json.dumps({"dim": dim, "rows": int(full.shape[0]), "vocab": len(words), "buckets": args.buckets}))


if __name__ == "__main__":
    main()
