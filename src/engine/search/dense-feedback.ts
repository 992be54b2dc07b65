/**
 * Rocchio pseudo-relevance feedback on the dense side. A static word-vector
 * model embeds short queries poorly; moving the query toward the documents
 * the fused first pass ranked highest borrows their richer vocabulary
 * without touching the lexical list (RM3 on the BM25 side tends to hurt
 * SciFact).
 */
export interface DenseFeedback {
  /** How many top fused hits feed back (r). */
  docs: number;
  /** Weight β of their mean vector against the unit query vector. */
  weight: number;
}

/**
 * q' = normalize(q/|q| + β · mean(v_1..v_r)). `vectors` holds `count` rows of
 * the query's dimension, back to back. Returns a new array; with no rows or
 * β = 0 it is the normalised query.
 */
export function feedbackQueryVector(query: Float32Array, vectors: Float32Array, count: number, weight: number): Float32Array {
  const dim = query.length;
  const out = new Float32Array(dim);
  let qNorm = 0;
  for (let d = 0; d < dim; d++) qNorm += query[d] * query[d];
  qNorm = Math.sqrt(qNorm) || 1;
  for (let d = 0; d < dim; d++) out[d] = query[d] / qNorm;
  const rows = Math.min(count, Math.floor(vectors.length / dim));
  if (rows > 0 && weight !== 0) {
    const scale = weight / rows;
    for (let r = 0; r < rows; r++) {
      const base = r * dim;
      for (let d = 0; d < dim; d++) out[d] += scale * vectors[base + d];
    }
  }
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += out[d] * out[d];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < dim; d++) out[d] /= norm;
  return out;
}
