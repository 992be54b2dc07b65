/**
 * Sentence vectors from token vectors. All functions write into a row of a
 * caller-owned Float32Array, so a whole embed call fills one buffer.
 */

/**
 * Mean of the token vectors where `mask` is 1 (padding excluded), for row `row`
 * of a [rows, columns, hidden] tensor; writes the first `dim` values to `out` at `outOffset`.
 */
export function meanPoolRow(
  hidden: Float32Array,
  mask: BigInt64Array,
  row: number,
  columns: number,
  hiddenSize: number,
  out: Float32Array,
  outOffset: number,
  dim: number,
): void {
  const acc = new Float64Array(dim);
  let count = 0;
  for (let c = 0; c < columns; c++) {
    if (mask[row * columns + c] === 0n) continue;
    count++;
    const base = (row * columns + c) * hiddenSize;
    for (let d = 0; d < dim; d++) acc[d] += hidden[base + d];
  }
  const inv = count > 0 ? 1 / count : 0;
  for (let d = 0; d < dim; d++) out[outOffset + d] = acc[d] * inv;
}

/** The first token's vector ([CLS] / <s>), truncated to `dim`. */
export function clsPoolRow(
  hidden: Float32Array,
  row: number,
  columns: number,
  hiddenSize: number,
  out: Float32Array,
  outOffset: number,
  dim: number,
): void {
  const base = row * columns * hiddenSize;
  out.set(hidden.subarray(base, base + dim), outOffset);
}

/** L2-normalises `dim` values in place; an all-zero row stays zero. */
export function normalizeRow(v: Float32Array, offset: number, dim: number): void {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += v[offset + d] * v[offset + d];
  if (sum === 0) return;
  const inv = 1 / Math.sqrt(sum);
  for (let d = 0; d < dim; d++) v[offset + d] *= inv;
}
