/**
 * Seeded clustered synthetic vectors for tests and benchmarks. Pure Gaussian
 * data is a worst case for graph indexes and unlike real embeddings, which
 * cluster by topic; a mixture with uneven cluster sizes and per-cluster
 * scales is a closer stand-in.
 */
import { createRandom } from './random';

export interface MixtureOptions {
  n: number;
  dim: number;
  clusters?: number;
  /** Within-cluster standard deviation relative to the spread of the centres. */
  spread?: number;
  seed?: number;
}

export interface Mixture {
  vectors: Float32Array;
  /** Cluster of each row. */
  labels: Uint32Array;
}

export function gaussianMixture(options: MixtureOptions): Mixture {
  const { n, dim } = options;
  const clusters = options.clusters ?? 64;
  const spread = options.spread ?? 0.6;
  const random = createRandom(options.seed ?? 1);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = random.nextGaussian();
  const scales = new Float32Array(clusters);
  const weights = new Float64Array(clusters);
  let total = 0;
  for (let c = 0; c < clusters; c++) {
    scales[c] = spread * (0.5 + random.next());
    weights[c] = 0.2 + random.next() * random.next() * 4;
    total += weights[c];
  }
  const vectors = new Float32Array(n * dim);
  const labels = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    let pick = random.next() * total;
    let c = 0;
    while (c < clusters - 1 && pick >= weights[c]) pick -= weights[c++];
    labels[r] = c;
    for (let i = 0; i < dim; i++) vectors[r * dim + i] = centres[c * dim + i] + scales[c] * random.nextGaussian();
  }
  return { vectors, labels };
}
