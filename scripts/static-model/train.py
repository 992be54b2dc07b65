"""Trains the fastText (skip-gram + char n-gram) model with gensim.

usage: train.py CACHE_DIR OUT_MODEL [dim] [buckets] [epochs] [workers]
The training file is gen.txt and pairs.txt mixed line by line with a fixed seed,
so the definition pairs are spread over the whole learning-rate schedule.
"""
import logging
import os
import random
import sys
import time

from gensim.models import FastText

cache, out = sys.argv[1], sys.argv[2]
dim = int(sys.argv[3]) if len(sys.argv) > 3 else 256
buckets = int(sys.argv[4]) if len(sys.argv) > 4 else 1 << 17
epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
workers = int(sys.argv[6]) if len(sys.argv) > 6 else 2
SEED = 20261124

logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
train_path = f"{cache}/train.txt"
lines = open(f"{cache}/gen.txt").read().splitlines() + open(f"{cache}/pairs.txt").read().splitlines()
random.Random(SEED).shuffle(lines)
with open(train_path, "w") as f:
    f.write("\n".join(lines) + "\n")
del lines

t0 = time.time()
model = FastText(
    corpus_file=train_path, vector_size=dim, window=5, min_count=3, sg=1, negative=5,
    sample=1e-4, min_n=3, max_n=6, bucket=buckets, epochs=epochs, seed=SEED, workers=workers,
)
print(f"trained in {time.time() - t0:.0f}s, vocab {len(model.wv.index_to_key)}", flush=True)
model.save(out)
