/**
 * Exact re-ranking of approximate candidates with float vectors held outside
 * the index (faiss IndexRefineFlat, minus the copy of the floats): an IVF-PQ
 * index keeps only codes and ids in memory, returns its top `k * kFactor`
 * candidates by ADC, and the caller scores those exactly from storage.
 */
import { dot } from '../vectors/distances';
import { SCAN_BLOCK, createVectorBuffer, type VectorBuffer } from '../vectors/kernels';
import { MaxHeap } from '../vectors/top-k-heap';
import { checkBatch, checkQuery } from './checks';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

/**
 * The `k` nearest of the candidates, by exact distance under the index's
 * conventions (see vector-index.ts). `vectors` holds one row per candidate,
 * in candidate order, as stored (not necessarily normalized).
 */
export function rerankExact(
  query: Float32Array,
  candidateIds: Uint32Array,
  vectors: Float32Array,
  metric: Metric,
  k: number,
): SearchResult {
  const dim = query.length;
  checkQuery(query, k, dim);
  checkBatch(candidateIds, vectors, dim);
  const heap = new MaxHeap(Math.max(1, k));
  if (k === 0) return heap.toSortedResult();
  const cosine = metric === 'cosine';
  let qScale = 1;
  if (cosine) {
    const norm = Math.sqrt(dot(query, 0, query, 0, dim));
    qScale = norm > 0 ? 1 / norm : 0;
  }
  // The rows go through the SIMD scan kernels, a block at a time.
  const buf = scratchBuffer(dim, Math.min(candidateIds.length, SCAN_BLOCK));
  buf.setQuery(query);
  for (let start = 0; start < candidateIds.length; start += SCAN_BLOCK) {
    const count = Math.min(SCAN_BLOCK, candidateIds.length - start);
    buf.rows.set(vectors.subarray(start * dim, (start + count) * dim));
    const scores = metric === 'l2' ? buf.scanL2(0, count) : buf.scanDot(0, count);
    for (let i = 0; i < count; i++) {
      let d: number;
      if (metric === 'l2') d = scores[i];
      else if (!cosine) d = -scores[i];
      else {
        // Zero vectors have no direction: like a normalized zero row, they score 1.
        const norm = Math.sqrt(buf.dotRows(i, i));
        d = 1 - (norm > 0 ? (scores[i] * qScale) / norm : 0);
      }
      heap.pushBounded(d, candidateIds[start + i], k);
    }
  }
  return heap.toSortedResult();
}

let scratch: VectorBuffer | undefined;

/** One reusable buffer: re-ranking is synchronous, so calls never overlap. */
function scratchBuffer(dim: number, rows: number): VectorBuffer {
  if (scratch?.dim !== dim) {
    scratch?.dispose();
    scratch = createVectorBuffer(dim, Math.max(rows, 16));
  }
  scratch.reserve(rows);
  return scratch;
}

/**
 * Approximate search, then exact re-rank of the top `k * kFactor` (default
 * kFactor 1) with `vectorsOf`, which returns the float rows of the ids it is
 * given, in that order. Synchronous; the collection does the same with an
 * asynchronous read from storage.
 */
export function searchWithExactRerank(
  index: VectorIndex,
  query: Float32Array,
  k: number,
  params: SearchParams,
  vectorsOf: (ids: Uint32Array) => Float32Array,
): SearchResult {
  const depth = k * Math.max(1, params.kFactor ?? 1);
  const candidates = index.search(query, depth, params);
  return rerankExact(query, candidates.ids, vectorsOf(candidates.ids), index.metric, k);
}
