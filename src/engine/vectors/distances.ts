/**
 * Scalar distance kernels over row-major Float32Array batches. Offsets are
 * passed explicitly so hot loops never allocate subarray views. The loops are
 * unrolled by four: V8 keeps four independent accumulators in registers, which
 * roughly doubles throughput over the naive loop.
 */
import type { Metric } from '../indexes/vector-index';

export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    s0 += a[aOff + i] * b[bOff + i];
    s1 += a[aOff + i + 1] * b[bOff + i + 1];
    s2 += a[aOff + i + 2] * b[bOff + i + 2];
    s3 += a[aOff + i + 3] * b[bOff + i + 3];
  }
  for (; i < dim; i++) s0 += a[aOff + i] * b[bOff + i];
  return s0 + s1 + s2 + s3;
}

export function l2Squared(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    const d0 = a[aOff + i] - b[bOff + i];
    const d1 = a[aOff + i + 1] - b[bOff + i + 1];
    const d2 = a[aOff + i + 2] - b[bOff + i + 2];
    const d3 = a[aOff + i + 3] - b[bOff + i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < dim; i++) {
    const d = a[aOff + i] - b[bOff + i];
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

/**
 * Distance under the interface's conventions, for vectors already prepared
 * with `prepareVectors` (cosine vectors are unit length, so cosine is 1 - dot).
 */
export function distance(
  metric: Metric,
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  dim: number,
): number {
  if (metric === 'l2') return l2Squared(a, aOff, b, bOff, dim);
  const d = dot(a, aOff, b, bOff, dim);
  return metric === 'cosine' ? 1 - d : -d;
}

/** Scales each row of `vectors` (in place) to unit length; zero rows stay zero. */
export function normalizeRows(vectors: Float32Array, dim: number): void {
  const n = vectors.length / dim;
  for (let r = 0; r < n; r++) {
    const off = r * dim;
    const norm = Math.sqrt(dot(vectors, off, vectors, off, dim));
    if (norm > 0) {
      const inv = 1 / norm;
      for (let i = 0; i < dim; i++) vectors[off + i] *= inv;
    }
  }
}

/**
 * Returns vectors in the form an index stores them: a private copy, and
 * unit-length when the metric is cosine (so cosine search is a dot product).
 */
export function prepareVectors(metric: Metric, vectors: Float32Array, dim: number): Float32Array {
  const copy = new Float32Array(vectors);
  if (metric === 'cosine') normalizeRows(copy, dim);
  return copy;
}
