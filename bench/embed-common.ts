import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One benchmark input: `batch` distinct texts of exactly `seqLen` tokens each. */
export interface Condition {
  batch: number;
  seqLen: number;
  texts: string[];
  /** The same texts as token ids ([CLS] words [SEP]), for raw onnxruntime and torch. */
  ids: number[][];
}

export interface BenchRow {
  engine: string;
  index: string;
  params: { dtype: string; batch: number; seqLen: number };
  env: string;
  'recall@10': null;
  qps: number;
  build_s: number | null;
  bytes_per_vector: number;
  sentences_per_s: number;
  tokens_per_s: number;
  ms_per_batch: number;
  [extra: string]: unknown;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds texts from whole words that are single tokens in the model's
 * WordPiece vocabulary, so each text is exactly `seqLen` tokens with [CLS]/[SEP].
 */
export function makeTexts(modelDir: string, batch: number, seqLen: number, seed: number): Condition {
  const tok = JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')) as {
    model: { vocab: Record<string, number> };
  };
  const vocab = tok.model.vocab;
  const words = Object.keys(vocab).filter((w) => /^[a-z]{2,}$/.test(w));
  const rand = mulberry32(seed);
  const texts: string[] = [];
  const ids: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const picked = Array.from({ length: seqLen - 2 }, () => words[Math.floor(rand() * words.length)]);
    texts.push(picked.join(' '));
    ids.push([vocab['[CLS]'], ...picked.map((w) => vocab[w]), vocab['[SEP]']]);
  }
  return { batch, seqLen, texts, ids };
}
