/**
 * Starting vectors for corpus adaptation, taken from the base model through
 * the plain `Embedder` interface (so it works when the model runs in another
 * worker), and the row normalisation training shares.
 */
import { createError } from '../errors';
import type { Embedder } from '../embedding/embedder';
import type { TrainHooks } from './corpus-trainer';

/** Words per `base.embed` call. */
const INIT_BATCH = 256;

/**
 * The base model's vector of each word, unit length. Goes through the plain
 * `Embedder` interface, so it works whether the model runs here or in another
 * worker; a word the base gives a zero vector for keeps a zero start.
 */
export async function baseWordVectors(
  base: Embedder,
  words: readonly string[],
  hooks: TrainHooks,
  checkCancel: () => void,
): Promise<Float32Array> {
  const dim = base.info.dim;
  const out = new Float32Array(words.length * dim);
  for (let start = 0; start < words.length; start += INIT_BATCH) {
    const batch = words.slice(start, start + INIT_BATCH);
    const vectors = await base.embed(batch, 'passage');
    if (vectors.length !== batch.length * dim) {
      throw createError('DIMENSION_MISMATCH', 'Base embedder returned the wrong number of values.', {
        expected: batch.length * dim,
        got: vectors.length,
      });
    }
    out.set(vectors, start * dim);
    checkCancel();
    if (hooks.yieldControl) await hooks.yieldControl();
    checkCancel();
  }
  normalizeRows(out, words.length, dim);
  return out;
}

export function normalizeRows(rows: Float32Array, count: number, dim: number): void {
  for (let w = 0; w < count; w++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += rows[w * dim + d] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) rows[w * dim + d] *= inv;
  }
}
