#!/usr/bin/env python3
"""PyTorch CPU reference for `npm run bench:embed`: runs the same random-weight
all-MiniLM-L6-v2-shaped model (rebuilt from the same seed as
scripts/fixture-models/make_minilm_shape.py) on the token ids the Node bench
wrote, and prints JSON timings to stdout.

    /usr/bin/python3 bench/embed-torch.py INPUT.json
INPUT: {"threads": [1, 2], "min_time": 1.0, "conditions": [{"batch": 8, "seq_len": 32, "ids": [[...], ...]}]}

Each condition runs at every thread count: on a busy machine torch's OpenMP
threads spin against other processes and 2 threads can be far slower than 1.
"""
import json
import os
import statistics
import sys
import time

import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "fixture-models"))
from bert_torch import BertConfig, BertModel, init_weights  # noqa: E402
from make_minilm_shape import SEED  # noqa: E402


def timed(fn, min_time, max_runs=20):
    fn()  # warm-up
    times = []
    while len(times) < 2 or (sum(times) < min_time and len(times) < max_runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times)


def main():
    spec = json.load(open(sys.argv[1]))
    thread_counts = spec.get("threads", [1, 2])
    cfg = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                     intermediate_size=1536, max_position_embeddings=512)
    t0 = time.perf_counter()
    fp32 = init_weights(BertModel(cfg), SEED, std=0.02)
    build_s = time.perf_counter() - t0
    models = {"fp32": fp32}
    try:
        models["q8"] = torch.quantization.quantize_dynamic(fp32, {torch.nn.Linear}, dtype=torch.qint8)
    except Exception as e:  # quantized engine missing on this CPU/build
        print(f"torch int8 unavailable: {e}", file=sys.stderr)
    rows = []
    for c in spec["conditions"]:
        ids = torch.tensor(c["ids"], dtype=torch.long)
        mask = torch.ones_like(ids)
        types = torch.zeros_like(ids)
        for dtype, model in models.items():
            def run():
                with torch.no_grad():
                    h = model(ids, mask, types)
                    return torch.nn.functional.normalize(h.mean(1), dim=-1)
            for threads in thread_counts:
                torch.set_num_threads(int(threads))
                seconds, runs = timed(run, float(spec.get("min_time", 1.0)))
                first = run()[0, :8].tolist()
                rows.append({"dtype": dtype, "batch": c["batch"], "seq_len": c["seq_len"],
                             "threads": int(threads), "seconds_per_batch": seconds, "runs": runs,
                             "first_row_head": first})
    json.dump({"torch": torch.__version__, "build_s": build_s, "rows": rows}, sys.stdout)


if __name__ == "__main__":
    main()
