#!/usr/bin/env bash
# Rebuilds public/models/sift-static-en-v1 from Debian-packaged text, end to end.
#
#   bash scripts/static-model/build.sh            # everything
#   SKIP_APT=1 bash scripts/static-model/build.sh # packages already installed
#
# Uses Debian's /usr/bin/python3 (python3-gensim, python3-onnx, numpy from apt),
# not a pyenv python. Scratch files go to .cache/static-model (gitignored).
# Takes 15-50 minutes on 2 cores, most of it gensim training (256-d: 37 min of
# training on 2 busy shared cores, about 2 min per epoch when they are idle).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/scripts/static-model"
CACHE="${CACHE:-$ROOT/.cache/static-model}"
OUT="${OUT:-$ROOT/public/models/sift-static-en-v1}"
PY=/usr/bin/python3

# Hyperparameters of the shipped model (MODEL.md lists them all).
DIM=256          # trained dimension
TRAIN_BUCKETS=131072
EPOCHS=5
WORKERS=2        # >1 makes gensim's result differ slightly run to run (thread scheduling)
VOCAB=30000      # words shipped with their own row
BUCKETS=16384    # n-gram rows shipped (folded from TRAIN_BUCKETS, then least-squares refit)
SHIP_DIM=0       # 0 ships the trained dims; smaller projects on the principal axes
RETROFIT=2.0     # WordNet retrofitting self-weight (0 = off)
SIF_A=1e-3       # SIF weight a / (a + p(w))
NORM_POW=0       # word row length (trained norm / mean norm)^NORM_POW before SIF
OOV_WEIGHT=1.0   # length of an unknown word's n-gram vector

if [ -z "${SKIP_APT:-}" ]; then
  apt-get update
  apt-get install -y --no-install-recommends \
    python3-gensim python3-numpy python3-onnx \
    wordnet-base dict-gcide dict-foldoc dict-jargon dict-devil dict-vera fortunes \
    r-cran-janeaustenr r-bioc-go.db
fi

mkdir -p "$CACHE"
cd "$HERE"
export PYTHONHASHSEED=0
"$PY" build_corpus.py "$CACHE"
"$PY" train.py "$CACHE" "$CACHE/ft${DIM}.model" "$DIM" "$TRAIN_BUCKETS" "$EPOCHS" "$WORKERS"
rm -rf "$OUT/onnx"  # MODEL.md is written by hand and kept
"$PY" export_model.py "$CACHE/ft${DIM}.model" "$OUT" "$CACHE" \
  --vocab "$VOCAB" --buckets "$BUCKETS" --dim "$SHIP_DIM" --center --refit --retrofit "$RETROFIT" \
  --sif-a "$SIF_A" --norm-pow "$NORM_POW" --oov-weight "$OOV_WEIGHT"
if [ -d /work/shared/data ] || [ -n "${EVAL_DATA:-}" ]; then
  "$PY" eval_static.py "$OUT" "${EVAL_DATA:-/work/shared/data}" --json "$CACHE/eval.json"
fi
du -b "$OUT"/* "$OUT"/onnx/*
