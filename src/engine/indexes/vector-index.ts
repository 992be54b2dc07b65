/**
 * The one interface every vector index implements, after faiss's `Index` and
 * hnswlib's `AlgorithmInterface`: the exact index and the approximate ones are
 * interchangeable, so recall tests compare them directly.
 *
 * Conventions:
 * - vectors are row-major `Float32Array` batches of `n * dim` values;
 * - ids are caller-chosen labels in a `Uint32Array`, kept apart from any
 *   internal dense slot numbering;
 * - `search` returns distances in ascending order (smaller is closer):
 *   `l2` is the squared Euclidean distance, `dot` is the negated inner product,
 *   `cosine` is `1 - cos`. Use `similarityFromDistance` for display scores.
 * - build options go to the constructor; per-query options go in `SearchParams`.
 */
export type Metric = 'cosine' | 'dot' | 'l2';

export type IndexKind = 'flat' | 'ivf-flat' | 'hnsw' | 'pq' | 'ivf-pq' | 'sq8' | 'hnsw-sq8';

export interface SearchParams {
  /** HNSW: size of the dynamic candidate list. */
  efSearch?: number;
  /** IVF: number of inverted lists probed. */
  nprobe?: number;
  /** Quantized indexes: re-rank the top `k * kFactor` candidates exactly. */
  kFactor?: number;
  /** Only ids for which this returns true may be returned. */
  filter?: (id: number) => boolean;
}

export interface SearchResult {
  ids: Uint32Array;
  distances: Float32Array;
}

export interface VectorIndex {
  readonly kind: IndexKind;
  readonly dim: number;
  readonly metric: Metric;
  /** Number of live (not removed) vectors. */
  readonly size: number;
  /** False until `train` has run, for kinds that need training. */
  readonly isTrained: boolean;
  train?(vectors: Float32Array): void;
  add(ids: Uint32Array, vectors: Float32Array): void;
  search(query: Float32Array, k: number, params?: SearchParams): SearchResult;
  /** Returns how many of the ids were present and removed. */
  remove(ids: Uint32Array): number;
  serialize(): Uint8Array;
  dispose(): void;
}

export function similarityFromDistance(metric: Metric, distance: number): number {
  switch (metric) {
    case 'cosine':
      return 1 - distance;
    case 'dot':
      return -distance;
    case 'l2':
      return -distance;
  }
}
