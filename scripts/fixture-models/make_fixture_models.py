#!/usr/bin/env python3
"""Writes the random-weight test models under public/models/fixtures/.

    /usr/bin/python3 scripts/fixture-models/make_fixture_models.py [--out public/models/fixtures]

Needs Debian's python3-torch and python3-onnx (not the pyenv python). Seeds are
fixed, so running it twice gives the same weights and the same reference.json.
"""
import argparse
import json
import os
import sys

import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_torch import BertConfig, BertCrossEncoder, BertModel, export_onnx, init_weights  # noqa: E402
from bert_tokenizer import build_vocab, encode, tokenizer_config, tokenizer_json  # noqa: E402
from quantize_onnx import quantize_model  # noqa: E402

EMBED_TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Private semantic search runs in your browser!",
    "Café au lait: naïve résumé, 42 items.",
]
RERANK_QUERY = "how do cats sleep at night"
RERANK_PASSAGES = [
    "Cats sleep for many hours during the day and night.",
    "The stock market closed higher on Friday.",
    "Dogs and cats are common family animals.",
    "A recipe for bread with milk and eggs.",
]

FIXTURE_NOTE = """# {name}: test fixture, NOT a semantic model

Random weights (seed {seed}), made by `scripts/fixture-models/make_fixture_models.py`.
It exists only so tests can load a real BERT-architecture ONNX model through
transformers.js without network access. Its vectors/scores carry no meaning:
never offer it to users as a search model.

- Architecture: BERT, hidden {hidden}, {layers} layers, {heads} heads, intermediate
  {inter}, vocabulary {vocab} WordPiece tokens (common English words, characters,
  suffixes and letter pairs, so any English text tokenizes).
- {task}
- `onnx/model.onnx`: fp32, opset 14, exported with `torch.onnx.export`.
- `onnx/model_quantized.onnx`: int8 by graph rewriting (no onnxruntime tools):
  MatMul → DynamicQuantizeLinear → MatMulInteger → Cast → Mul(scale), and the
  embedding tables as int8 → DequantizeLinear → Gather. transformers.js loads it
  with `dtype: 'q8'`.
- `reference.json`: torch outputs for fixed inputs, with their token ids, for tests
  that check transformers.js against torch.
"""


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1 if path.endswith("reference.json") else 2, ensure_ascii=False)
        f.write("\n")


def round_list(t):
    return [float(f"{v:.8g}") for v in t.reshape(-1).tolist()]


def run(model, ids, types):
    with torch.no_grad():
        return model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long),
                     torch.tensor([types]))


def write_common(folder, vocab, config):
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    write_json(os.path.join(folder, "config.json"), config)
    write_json(os.path.join(folder, "tokenizer.json"), tokenizer_json(vocab))
    write_json(os.path.join(folder, "tokenizer_config.json"), tokenizer_config())
    write_json(os.path.join(folder, "special_tokens_map.json"), {
        "pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]",
        "sep_token": "[SEP]", "mask_token": "[MASK]"})


def export_both(model, folder, output_name):
    fp32 = os.path.join(folder, "onnx", "model.onnx")
    export_onnx(model, fp32, output_name)
    quantize_model(fp32, os.path.join(folder, "onnx", "model_quantized.onnx"))


def make_embed(out, cfg, vocab, seed):
    folder = os.path.join(out, "tiny-bert-embed")
    torch.manual_seed(seed)
    model = init_weights(BertModel(cfg), seed, std=0.1)
    write_common(folder, vocab, cfg.to_hf_dict(architectures=["BertModel"]))
    export_both(model, folder, "last_hidden_state")
    cases = []
    for text in EMBED_TEXTS:
        ids, types = encode(vocab, text)
        hidden = run(model, ids, types)[0]
        cases.append({
            "text": text, "input_ids": ids, "token_type_ids": types,
            "dims": list(hidden.shape), "last_hidden_state": round_list(hidden),
            "mean": round_list(hidden.mean(0)), "cls": round_list(hidden[0]),
        })
    write_json(os.path.join(folder, "reference.json"), {
        "model": "tiny-bert-embed", "seed": seed, "hidden_size": cfg.hidden_size,
        "note": "torch fp32, one text per run (no padding); mean/cls are unnormalised",
        "cases": cases})
    write_note(folder, "tiny-bert-embed", seed, cfg,
               "Feature extraction: output `last_hidden_state` [batch, tokens, hidden].")


def make_rerank(out, cfg, vocab, seed):
    folder = os.path.join(out, "tiny-bert-rerank")
    torch.manual_seed(seed)
    model = init_weights(BertCrossEncoder(cfg), seed, std=0.1)
    write_common(folder, vocab, cfg.to_hf_dict(
        architectures=["BertForSequenceClassification"], num_labels=1,
        id2label={"0": "LABEL_0"}, label2id={"LABEL_0": 0}))
    export_both(model, folder, "logits")
    cases = []
    for passage in RERANK_PASSAGES:
        ids, types = encode(vocab, RERANK_QUERY, passage)
        cases.append({"query": RERANK_QUERY, "passage": passage, "input_ids": ids,
                      "token_type_ids": types, "logit": round_list(run(model, ids, types))[0]})
    write_json(os.path.join(folder, "reference.json"), {
        "model": "tiny-bert-rerank", "seed": seed,
        "note": "torch fp32, one pair per run (no padding)", "cases": cases})
    write_note(folder, "tiny-bert-rerank", seed, cfg,
               "Cross-encoder (`BertForSequenceClassification`, `num_labels: 1`): pooler "
               "(tanh) + Linear(hidden, 1), output `logits` [batch, 1].")


def write_note(folder, name, seed, cfg, task):
    with open(os.path.join(folder, "FIXTURE.md"), "w") as f:
        f.write(FIXTURE_NOTE.format(
            name=name, seed=seed, hidden=cfg.hidden_size, layers=cfg.num_hidden_layers,
            heads=cfg.num_attention_heads, inter=cfg.intermediate_size, vocab=cfg.vocab_size,
            task=task))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(root, "public", "models", "fixtures"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    vocab = build_vocab()
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    make_embed(args.out, cfg, vocab, seed=1234)
    make_rerank(args.out, cfg, vocab, seed=5678)
    for name in ("tiny-bert-embed", "tiny-bert-rerank"):
        folder = os.path.join(args.out, name)
        size = sum(os.path.getsize(os.path.join(d, f))
                   for d, _, fs in os.walk(folder) for f in fs)
        print(f"{folder}: {size / 1024:.0f} KiB, vocab {len(vocab)}")


if __name__ == "__main__":
    main()
