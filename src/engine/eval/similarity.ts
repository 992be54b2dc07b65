/**
 * Sentence (or word) similarity: Spearman correlation between the cosine
 * similarity of each embedded pair and the gold score, MTEB's main STS
 * score. Both sides are embedded as queries, since neither is a passage.
 */
import type { Embedder } from '../embedding/embedder';
import type { SimilarityPair } from './dataset';
import { spearman } from './spearman';

export function cosine(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < dim; i++) {
    const x = a[aOff + i];
    const y = b[bOff + i];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export async function similaritySpearman(
  embedder: Embedder,
  pairs: readonly SimilarityPair[],
  batchSize = 256,
): Promise<number> {
  const dim = embedder.info.dim;
  const predicted = new Float64Array(pairs.length);
  for (let start = 0; start < pairs.length; start += batchSize) {
    const batch = pairs.slice(start, start + batchSize);
    const left = await embedder.embed(batch.map((p) => p.a), 'query');
    const right = await embedder.embed(batch.map((p) => p.b), 'query');
    for (let i = 0; i < batch.length; i++) predicted[start + i] = cosine(left, i * dim, right, i * dim, dim);
  }
  return spearman(predicted, Float64Array.from(pairs, (p) => p.score));
}
