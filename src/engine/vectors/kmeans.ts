/**
 * Seeded k-means (Lloyd) with k-means++ initialisation, sized like faiss's
 * `Clustering`: at most `maxPointsPerCentroid * k` training points are
 * sampled, fewer than `minPointsPerCentroid * k` gives a warning, and fewer
 * than k points is an error. Empty clusters are refilled by splitting a large
 * one, as faiss does, so every centroid stays useful.
 */
import { createError } from '../errors';
import { dot } from './distances';
import { SCAN_BLOCK, createVectorBuffer, type VectorBuffer } from './kernels';
import { createRandom, type Random } from './random';

export interface KMeansOptions {
  iterations?: number;
  seed?: number;
  maxPointsPerCentroid?: number;
  minPointsPerCentroid?: number;
}

export interface KMeansResult {
  centroids: Float32Array;
  /** Points actually used after sampling. */
  trainedOn: number;
  warning?: string;
}

export function kmeans(vectors: Float32Array, dim: number, k: number, options: KMeansOptions = {}): KMeansResult {
  const total = vectors.length / dim;
  if (!Number.isInteger(k) || k < 1) throw createError('INVALID_ARGUMENT', `Bad cluster count ${k}.`, { k });
  if (total < k) {
    throw createError('INVALID_ARGUMENT', `k-means needs at least ${k} training vectors, got ${total}.`, { k, total });
  }
  const random = createRandom(options.seed ?? 1234);
  const maxPoints = (options.maxPointsPerCentroid ?? 256) * k;
  const minPoints = (options.minPointsPerCentroid ?? 39) * k;
  const warning =
    total < minPoints ? `k-means: ${total} training points for ${k} centroids (faiss suggests ${minPoints}).` : undefined;
  const data = total > maxPoints ? sample(vectors, dim, maxPoints, random) : vectors;
  const n = data.length / dim;
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) norms[i] = dot(data, i * dim, data, i * dim, dim);
  const points = createVectorBuffer(dim, n);
  points.rows.set(data);
  const centroids = initPlusPlus(points, norms, n, dim, k, random);
  const assign = new Int32Array(n).fill(-1);
  const counts = new Uint32Array(k);
  const sums = new Float64Array(k * dim);
  const cNorms = new Float32Array(k);
  const centres = createVectorBuffer(dim, k);
  const iterations = options.iterations ?? 20;
  for (let iter = 0; iter < iterations; iter++) {
    centres.rows.set(centroids);
    for (let c = 0; c < k; c++) cNorms[c] = dot(centroids, c * dim, centroids, c * dim, dim);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      // argmin ||x - c||^2 = argmin ||c||^2 - 2 x.c, scored a block of centroids per call.
      centres.setQuery(data, i * dim);
      let best = Infinity;
      let bestC = 0;
      for (let start = 0; start < k; start += SCAN_BLOCK) {
        const count = Math.min(SCAN_BLOCK, k - start);
        const scores = centres.scanDot(start, count);
        for (let j = 0; j < count; j++) {
          const d = cNorms[start + j] - 2 * scores[j];
          if (d < best) {
            best = d;
            bestC = start + j;
          }
        }
      }
      if (assign[i] !== bestC) changed++;
      assign[i] = bestC;
    }
    if (changed === 0 && iter > 0) break;
    counts.fill(0);
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      counts[c]++;
      for (let j = 0; j < dim; j++) sums[c * dim + j] += data[i * dim + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] / counts[c];
    }
    splitEmpty(centroids, counts, dim, k, n, random);
  }
  points.dispose();
  centres.dispose();
  return { centroids, trainedOn: n, warning };
}

function sample(vectors: Float32Array, dim: number, count: number, random: Random): Float32Array {
  const total = vectors.length / dim;
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const j = i + random.nextInt(total - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    out.set(vectors.subarray(order[i] * dim, (order[i] + 1) * dim), i * dim);
  }
  return out;
}

function initPlusPlus(
  points: VectorBuffer,
  norms: Float32Array,
  n: number,
  dim: number,
  k: number,
  random: Random,
): Float32Array {
  const data = points.rows;
  const centroids = new Float32Array(k * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = random.nextInt(n);
  for (let c = 0; c < k; c++) {
    centroids.set(data.subarray(pick * dim, (pick + 1) * dim), c * dim);
    const cn = norms[pick];
    let sum = 0;
    points.setQuery(data, pick * dim);
    for (let start = 0; start < n; start += SCAN_BLOCK) {
      const count = Math.min(SCAN_BLOCK, n - start);
      const scores = points.scanDot(start, count);
      for (let j = 0; j < count; j++) {
        const i = start + j;
        const d = Math.max(0, norms[i] + cn - 2 * scores[j]);
        if (d < nearest[i]) nearest[i] = d;
        sum += nearest[i];
      }
    }
    if (c + 1 === k) break;
    // Next centre with probability proportional to squared distance; all-zero
    // distances (duplicates) fall back to a uniform pick.
    if (sum <= 0) {
      pick = random.nextInt(n);
      continue;
    }
    let target = random.next() * sum;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i];
      if (target <= 0) {
        pick = i;
        break;
      }
    }
  }
  return centroids;
}

function splitEmpty(centroids: Float32Array, counts: Uint32Array, dim: number, k: number, n: number, random: Random): void {
  const eps = 1 / 1024;
  for (let c = 0; c < k; c++) {
    if (counts[c] !== 0) continue;
    // Pick a cluster to split with probability proportional to its size.
    let big = 0;
    for (;;) {
      const r = random.nextInt(k);
      if (random.next() * (n - k) < counts[r] - 1) {
        big = r;
        break;
      }
      if (n <= k) break;
    }
    for (let j = 0; j < dim; j++) {
      const v = centroids[big * dim + j];
      const sign = j % 2 === 0 ? 1 : -1;
      centroids[c * dim + j] = v * (1 + sign * eps);
      centroids[big * dim + j] = v * (1 - sign * eps);
    }
    counts[c] = counts[big] >> 1;
    counts[big] -= counts[c];
  }
}
