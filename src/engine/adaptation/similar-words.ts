/**
 * Nearest words of a term in adapted vectors (the "similar words" view).
 * Rows are unit length, so the dot product is the cosine.
 */
import { staticTokens } from '../embedding/static-tokenizer';
import type { AdaptedVectors } from './corpus-trainer';

/** Word → row, built once per table (a 20k-word Map costs a few ms; lookups happen per keystroke). */
const rowIndexes = new WeakMap<AdaptedVectors, Map<string, number>>();

export function adaptedRowIndex(adapted: AdaptedVectors): Map<string, number> {
  let index = rowIndexes.get(adapted);
  if (!index) {
    index = new Map(adapted.words.map((w, i) => [w, i]));
    rowIndexes.set(adapted, index);
  }
  return index;
}

/**
 * The `k` (default 10) words closest to `word`. The term is folded the way
 * the corpus was (`staticTokens`); a term of several tokens uses the mean of
 * its known tokens. Unknown terms give []; the term's own tokens are excluded.
 */
export function similarWords(adapted: AdaptedVectors, word: string, k = 10): { word: string; score: number }[] {
  const index = adaptedRowIndex(adapted);
  const { dim, vectors } = adapted;
  const rows = [...new Set(staticTokens(word))].map((t) => index.get(t)).filter((r): r is number => r !== undefined);
  if (rows.length === 0 || k <= 0) return [];
  const query = new Float32Array(dim);
  for (const r of rows) for (let d = 0; d < dim; d++) query[d] += vectors[r * dim + d];
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += query[d] * query[d];
  if (norm === 0) return [];
  const inv = 1 / Math.sqrt(norm);
  const excluded = new Set(rows);

  // Small sorted top-k (k is tiny next to the vocabulary).
  const topRows = new Int32Array(k).fill(-1);
  const topScores = new Float32Array(k).fill(-Infinity);
  for (let r = 0; r < adapted.words.length; r++) {
    if (excluded.has(r)) continue;
    let s = 0;
    for (let d = 0; d < dim; d++) s += query[d] * vectors[r * dim + d];
    s *= inv;
    if (s <= topScores[k - 1]) continue;
    let i = k - 1;
    while (i > 0 && topScores[i - 1] < s) {
      topScores[i] = topScores[i - 1];
      topRows[i] = topRows[i - 1];
      i--;
    }
    topScores[i] = s;
    topRows[i] = r;
  }
  const out: { word: string; score: number }[] = [];
  for (let i = 0; i < k && topRows[i] >= 0; i++) out.push({ word: adapted.words[topRows[i]], score: topScores[i] });
  return out;
}
