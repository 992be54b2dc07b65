/**
 * Builds an index from a faiss-style description string, so configuration
 * can name an index without importing its class:
 *   "Flat", "HNSW32", "HNSW32,SQ8", "IVF256,Flat", "IVF256,PQ48" (also
 *   "PQ48x6" for 6-bit codes), "IVF256,PQ48,Refine(SQ8)",
 *   "IVF256,PQ48,Refine(Flat)" (alias "RFlat"), "PQ48", "SQ8".
 */
import { createError } from '../errors';
import { FlatIndex } from './flat-index';
import { HnswIndex } from './hnsw-index';
import { IvfIndex } from './ivf-index';
import { IvfPqIndex, type RefineKind } from './ivf-pq-index';
import { PqIndex } from './pq-index';
import { Sq8Index } from './sq8-index';
import type { Metric, VectorIndex } from './vector-index';

export interface IndexOptions {
  /** Seed for graph levels and k-means; 0 is a valid seed. */
  seed?: number;
  /** HNSW build-time beam width (default 200). */
  efConstruction?: number;
}

function unsupported(description: string): Error {
  return createError('INVALID_ARGUMENT', `Unknown index description "${description}".`, { description });
}

const PQ_PATTERN = /^PQ(\d+)(?:x(\d+))?$/;
const REFINES: Readonly<Record<string, RefineKind>> = {
  'Refine(SQ8)': 'sq8',
  'Refine(Flat)': 'flat',
  RFlat: 'flat',
};

export function createIndex(description: string, dim: number, metric: Metric, options: IndexOptions = {}): VectorIndex {
  const parts = description.split(',').map((p) => p.trim());
  const [head, ...rest] = parts;
  const seed = options.seed;
  if (head === 'Flat' && rest.length === 0) return new FlatIndex(dim, metric);
  if (head === 'SQ8' && rest.length === 0) return new Sq8Index(dim, metric);
  const hnsw = /^HNSW(\d+)$/.exec(head);
  if (hnsw) {
    const base = { m: Number(hnsw[1]), seed, efConstruction: options.efConstruction };
    if (rest.length === 0 || (rest.length === 1 && rest[0] === 'Flat')) return new HnswIndex(dim, metric, base);
    if (rest.length === 1 && rest[0] === 'SQ8') return new HnswIndex(dim, metric, { ...base, sq8: true });
  }
  const pq = PQ_PATTERN.exec(head);
  if (pq && rest.length === 0) {
    return new PqIndex(dim, metric, { m: Number(pq[1]), nbits: pq[2] ? Number(pq[2]) : 8, seed });
  }
  const ivf = /^IVF(\d+)$/.exec(head);
  if (ivf && rest.length >= 1) {
    const nlist = Number(ivf[1]);
    if (rest.length === 1 && rest[0] === 'Flat') return new IvfIndex(dim, metric, { nlist, seed });
    const code = PQ_PATTERN.exec(rest[0]);
    const refine = rest.length === 1 ? 'none' : rest.length === 2 ? REFINES[rest[1]] : undefined;
    if (code && refine) {
      return new IvfPqIndex(dim, metric, {
        nlist,
        m: Number(code[1]),
        nbits: code[2] ? Number(code[2]) : 8,
        refine,
        seed,
      });
    }
  }
  throw unsupported(description);
}
