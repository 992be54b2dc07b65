import type { SearchParams } from '../indexes/vector-index';

/** Which vector index a collection uses, and how it searches. */
export interface IndexSettings {
  kind: 'auto' | 'Flat' | 'HNSW' | 'HNSW-SQ8' | 'SQ8' | 'IVF-PQ';
  /** HNSW links per node. */
  m: number;
  efSearch: number;
  nprobe: number;
  /** Exact re-rank depth for quantized indexes, as a multiple of k. */
  kFactor: number;
  /** Above this much float-vector memory, "auto" switches to IVF-PQ. */
  memoryBudgetMB: number;
}

export const DEFAULT_INDEX_SETTINGS: IndexSettings = {
  kind: 'auto',
  m: 32,
  efSearch: 96,
  nprobe: 32,
  kFactor: 4,
  memoryBudgetMB: 512,
};

/** Up to here an exact scan answers a query in a few milliseconds, so there is nothing to gain from approximation. */
export const FLAT_LIMIT = 20_000;
// k-means wants about 39 points per centroid (faiss's rule).
const POINTS_PER_CENTROID = 39;

/**
 * The faiss-style description for a collection of `count` vectors: "auto" is
 * Flat for small collections, HNSW beyond, and IVF-PQ once float vectors
 * would not fit the memory budget. IVF-PQ keeps PQ codes and ids only; the
 * search re-ranks its top `k * kFactor` exactly with the float vectors the
 * store already holds (see vector-search.ts). Kinds that need
 * training fall back to Flat until there are enough vectors to train on.
 */
export function chooseIndexDescription(settings: IndexSettings, count: number, dim: number): string {
  const ivfPq = ivfPqDescription(count, dim);
  switch (settings.kind) {
    case 'Flat':
      return 'Flat';
    case 'SQ8':
      return 'SQ8';
    case 'HNSW':
      return `HNSW${settings.m}`;
    case 'HNSW-SQ8':
      return `HNSW${settings.m},SQ8`;
    case 'IVF-PQ':
      return ivfPq ?? 'Flat';
    case 'auto': {
      if (count <= FLAT_LIMIT) return 'Flat';
      const floatBytes = count * dim * 4;
      if (floatBytes > settings.memoryBudgetMB * 1024 * 1024 && ivfPq) return ivfPq;
      return `HNSW${settings.m}`;
    }
  }
}

function ivfPqDescription(count: number, dim: number): string | undefined {
  // nlist ≈ 4·√n, a power of two, within what the data can train.
  let nlist = 2 ** Math.round(Math.log2(Math.max(16, 4 * Math.sqrt(count))));
  while (nlist > 16 && nlist * POINTS_PER_CENTROID > count) nlist /= 2;
  if (nlist * POINTS_PER_CENTROID > count) return undefined;
  // About 8 dimensions per sub-quantizer, and m must divide dim.
  let m = Math.max(1, Math.round(dim / 8));
  while (dim % m !== 0) m--;
  return `IVF${nlist},PQ${m}`;
}

/**
 * Whether a saved index can serve where `expected` is wanted. Collections
 * saved before IVF-PQ dropped its SQ8 refinement codes load as they are (the
 * exact re-rank still runs on top); the next rebuild drops the codes.
 */
export function servesDescription(saved: string, expected: string): boolean {
  return saved === expected || (saved.endsWith(',Refine(SQ8)') && saved.slice(0, -',Refine(SQ8)'.length) === expected);
}

export function searchParamsFor(settings: IndexSettings): Omit<SearchParams, 'filter'> {
  return { efSearch: settings.efSearch, nprobe: settings.nprobe, kFactor: settings.kFactor };
}
