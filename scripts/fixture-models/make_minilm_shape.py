#!/usr/bin/env python3
"""Writes a random-weight model with all-MiniLM-L6-v2's exact architecture
(6 layers, hidden 384, 12 heads, intermediate 1536, vocab 30522) to
.cache/models/bench-minilm/ (gitignored), fp32 + int8, for `npm run bench:embed`.

    /usr/bin/python3 scripts/fixture-models/make_minilm_shape.py [--out DIR]

Throughput depends on the shapes, not on the weights, so this stands in for the
real model where the Hub is unreachable. Its vectors mean nothing.
"""
import argparse
import json
import os
import sys

import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_torch import BertConfig, BertModel, export_onnx, init_weights  # noqa: E402
from bert_tokenizer import build_vocab, tokenizer_config, tokenizer_json  # noqa: E402
from quantize_onnx import quantize_model  # noqa: E402

SEED = 384


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(root, ".cache", "models", "bench-minilm"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    # Real words first, then [unusedN] up to BERT's 30522 so the embedding table has the real size.
    vocab = build_vocab(pad_to=30522)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=384, num_hidden_layers=6,
                     num_attention_heads=12, intermediate_size=1536, max_position_embeddings=512)
    model = init_weights(BertModel(cfg), SEED, std=0.02)
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    files = {
        "config.json": cfg.to_hf_dict(architectures=["BertModel"]),
        "tokenizer.json": tokenizer_json(vocab),
        "tokenizer_config.json": tokenizer_config(),
    }
    for name, obj in files.items():
        with open(os.path.join(args.out, name), "w") as f:
            json.dump(obj, f, indent=2)
    with open(os.path.join(args.out, "FIXTURE.md"), "w") as f:
        f.write("# bench-minilm: random weights, all-MiniLM-L6-v2 shapes, benchmark only\n\n"
                "Made by `scripts/fixture-models/make_minilm_shape.py`. Not a semantic model.\n")
    fp32 = os.path.join(args.out, "onnx", "model.onnx")
    export_onnx(model, fp32, "last_hidden_state")
    quantize_model(fp32, os.path.join(args.out, "onnx", "model_quantized.onnx"))
    for name in ("model.onnx", "model_quantized.onnx"):
        size = os.path.getsize(os.path.join(args.out, "onnx", name))
        print(f"{args.out}/onnx/{name}: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
