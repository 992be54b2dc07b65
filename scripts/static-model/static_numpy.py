"""Reference implementation of the shipped sentence embedding, in numpy.

This is the specification the TypeScript side (static-tokenizer.ts, static-embedder.ts)
must reproduce; the build writes reference.json from it.

  tokens  = text_norm.tokenize(text)
  id(tok) = vocabulary id if the word is in the shipped vocabulary, else the
            bucket rows bucket_offset + fnv1a(ngram) % buckets for each char n-gram
            of "<tok>" (n = min_n..max_n, gensim/fastText order, duplicates kept)
  vec(tok) = in vocabulary: its table row (already unit length times its SIF weight)
             otherwise: mean of its bucket rows, L2-normalised, times oov_weight
  sentence = sum of vec(tok); minus its projection on common_component; L2-normalised.
             No tokens gives the zero vector.
"""
import json

import numpy as np

from text_norm import tokenize


def fnv1a(data: bytes) -> int:
    # fastText hashes signed chars, so bytes >= 0x80 are sign-extended (gensim keeps that quirk).
    h = 2166136261
    for b in data:
        h ^= (b - 256 if b >= 128 else b) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def char_ngrams(word: str, min_n: int, max_n: int) -> list[bytes]:
    """Same n-grams, in the same order, as gensim's compute_ngrams_bytes."""
    chars = [c.encode("utf-8") for c in f"<{word}>"]
    out = []
    for i in range(len(chars)):
        for n in range(min_n, max_n + 1):
            if i + n > len(chars):
                break
            out.append(b"".join(chars[i:i + n]))
    return out


class StaticModel:
    def __init__(self, table: np.ndarray, vocab: dict[str, int], cfg: dict):
        self.table = table.astype(np.float32)
        self.vocab = vocab
        self.cfg = cfg
        self.u = np.asarray(cfg.get("common_component") or np.zeros(table.shape[1]), dtype=np.float32)
        self._cache: dict[str, np.ndarray] = {}

    @property
    def dim(self) -> int:
        return self.table.shape[1]

    def token_ids(self, tok: str) -> list[int]:
        i = self.vocab.get(tok)
        if i is not None and i != self.cfg["unk_id"]:
            return [i]
        c = self.cfg
        return [c["bucket_offset"] + fnv1a(g) % c["buckets"] for g in char_ngrams(tok, c["min_n"], c["max_n"])]

    def token_vector(self, tok: str) -> np.ndarray:
        v = self._cache.get(tok)
        if v is None:
            i = self.vocab.get(tok)
            if i is not None and i != self.cfg["unk_id"]:
                v = self.table[i]
            else:
                ids = self.token_ids(tok)
                v = self.table[ids].astype(np.float64).mean(0)
                n = np.linalg.norm(v)
                v = (v / n * self.cfg["oov_weight"]).astype(np.float32) if n > 0 else np.zeros(self.dim, np.float32)
            self._cache[tok] = v
        return v

    def raw(self, text: str) -> np.ndarray:
        toks = tokenize(text)
        if not toks:
            return np.zeros(self.dim, np.float32)
        return np.sum([self.token_vector(t) for t in toks], axis=0, dtype=np.float64).astype(np.float32)

    def embed(self, texts: list[str], remove_component: bool = True) -> np.ndarray:
        m = np.stack([self.raw(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        if remove_component:
            m = m - np.outer(m @ self.u, self.u)
        n = np.linalg.norm(m, axis=1, keepdims=True)
        return (m / np.where(n > 0, n, 1)).astype(np.float32)


def load_exported(folder: str) -> StaticModel:
    """Reads the shipped files (int8 table and scales from the ONNX initialisers)."""
    import onnx
    from onnx import numpy_helper

    g = onnx.load(f"{folder}/onnx/model_quantized.onnx").graph
    inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    table = inits["table_q"].astype(np.float32) * inits["table_scale"][:, None]
    cfg = json.load(open(f"{folder}/config.json"))["sift_static"]
    vocab = json.load(open(f"{folder}/tokenizer.json"))["model"]["vocab"]
    return StaticModel(table, vocab, cfg)
