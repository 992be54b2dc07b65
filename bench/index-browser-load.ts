/**
 * Worker side of the IndexedDB load benchmark: saves an HNSW index through
 * the app's own snapshot code into IndexedDbStore, and after a reload times
 * "open store" → "index ready to search" → first query, then splits a second
 * load into IndexedDB read, join, checksum and deserialize.
 */
import { loadSnapshot, saveSnapshot } from '../src/engine/collection/snapshot';
import type { CollectionState } from '../src/engine/collection/collection-state';
import { SectionReader } from '../src/engine/indexes/binary-format';
import { recallAtK } from '../src/engine/indexes/recall';
import { deserializeIndex, joinChunks } from '../src/engine/indexes/serialization';
import type { SearchResult } from '../src/engine/indexes/vector-index';
import { IndexedDbStore } from '../src/engine/storage/indexeddb-store';
import type { Store } from '../src/engine/storage/store';
import { Bm25Index } from '../src/engine/text/bm25-index';

/** The names snapshot.ts stores its two blobs under (private there; mirrored for the breakdown). */
const VECTOR_BLOB = 'index:vectors';
const LEXICAL_BLOB = 'index:bm25';
const VECTOR_SPACE = 'bench';

export interface SaveTask {
  task: 'save';
  dbName: string;
  /** URL of a serialized index (written by Node). */
  indexUrl: string;
  description: string;
}

export interface SaveOutcome {
  bytes: number;
  count: number;
  fetchMs: number;
  deserializeMs: number;
  lexicalBuildMs: number;
  saveMs: number;
}

export interface LoadTask {
  task: 'load';
  dbName: string;
  description: string;
  count: number;
  queriesUrl: string;
  truthUrl: string;
  k: number;
  efSearch: number;
  /** Also time the pieces of a second load, for the breakdown. */
  profile: boolean;
}

export interface LoadOutcome {
  openMs: number;
  /** open store → snapshot loaded (vector and lexical index) → ready. */
  loadMs: number;
  firstQueryMs: number;
  recall: number;
  qps: number;
  nq: number;
  breakdown?: {
    openMs: number;
    vectorReadMs: number;
    joinMs: number;
    checksumMs: number;
    deserializeMs: number;
    lexicalReadMs: number;
    lexicalDeserializeMs: number;
    pieces: number;
    bytes: number;
    /** Bytes of the ArrayBuffers IndexedDB handed back (the whole index per piece when views were stored). */
    storedBytes: number;
  };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Only these fields are read by saveSnapshot/loadSnapshot; the embedder and
 * document maps of a live collection play no part in persistence.
 */
function stateOf(store: Store, parts: Partial<CollectionState> = {}): CollectionState {
  return { store, version: 1, ...parts } as unknown as CollectionState;
}

export async function saveIndex(t: SaveTask): Promise<SaveOutcome> {
  let t0 = performance.now();
  const bytes = await fetchBytes(t.indexUrl);
  const fetchMs = performance.now() - t0;
  t0 = performance.now();
  const vectors = deserializeIndex(bytes);
  const deserializeMs = performance.now() - t0;
  // loadSnapshot insists the lexical index covers every chunk, so store a
  // small one with one short text per vector.
  t0 = performance.now();
  const lexical = new Bm25Index();
  for (let id = 0; id < vectors.size; id++) lexical.add(id, `chunk w${id % 997} t${id % 89}`);
  const lexicalBuildMs = performance.now() - t0;
  const store = await IndexedDbStore.open(t.dbName);
  t0 = performance.now();
  await saveSnapshot(stateOf(store, { vectors, lexical }), VECTOR_SPACE, t.description);
  const saveMs = performance.now() - t0;
  store.close();
  const count = vectors.size;
  vectors.dispose();
  return { bytes: bytes.byteLength, count, fetchMs, deserializeMs, lexicalBuildMs, saveMs };
}

export async function loadIndex(t: LoadTask): Promise<LoadOutcome> {
  // Fetch the queries first so the timed part touches nothing but IndexedDB.
  const queries = new Float32Array((await fetchBytes(t.queriesUrl)).buffer);
  const truth = new Uint32Array((await fetchBytes(t.truthUrl)).buffer);
  const t0 = performance.now();
  const store = await IndexedDbStore.open(t.dbName);
  const openMs = performance.now() - t0;
  const snap = await loadSnapshot(stateOf(store), {
    version: 1,
    vectorSpace: VECTOR_SPACE,
    chunkCount: t.count,
    description: t.description,
  });
  const loadMs = performance.now() - t0;
  if (!snap) throw new Error('no usable snapshot found after reload');
  const index = snap.vectors;
  const dim = index.dim;
  const nq = Math.floor(queries.length / dim);
  let t1 = performance.now();
  const first = index.search(queries.subarray(0, dim), t.k, { efSearch: t.efSearch });
  const firstQueryMs = performance.now() - t1;
  const results: SearchResult[] = [first];
  t1 = performance.now();
  for (let q = 1; q < nq; q++) results.push(index.search(queries.subarray(q * dim, (q + 1) * dim), t.k, { efSearch: t.efSearch }));
  const qps = (nq - 1) / ((performance.now() - t1) / 1000);
  const exact = results.map((_, q) => ({ ids: truth.subarray(q * t.k, (q + 1) * t.k), distances: new Float32Array(t.k) }));
  const recall = recallAtK(exact, results, t.k);
  index.dispose();
  store.close();
  const out: LoadOutcome = { openMs, loadMs, firstQueryMs, recall, qps, nq };
  if (t.profile) out.breakdown = await profileLoad(t.dbName);
  return out;
}

/** A second, instrumented load (IndexedDB is now warm in this process). */
async function profileLoad(dbName: string): Promise<NonNullable<LoadOutcome['breakdown']>> {
  let t0 = performance.now();
  const store = await IndexedDbStore.open(dbName);
  const openMs = performance.now() - t0;
  t0 = performance.now();
  const blob = await store.getBlob(VECTOR_BLOB);
  const vectorReadMs = performance.now() - t0;
  if (!blob) throw new Error('vector snapshot missing');
  t0 = performance.now();
  const bytes = joinChunks(blob.parts);
  const joinMs = performance.now() - t0;
  t0 = performance.now();
  new SectionReader(bytes);
  const checksumMs = performance.now() - t0;
  t0 = performance.now();
  const index = deserializeIndex(bytes);
  // deserializeIndex verifies the checksum again: report the rest.
  const deserializeMs = performance.now() - t0 - checksumMs;
  index.dispose();
  t0 = performance.now();
  const lexicalBlob = await store.getBlob(LEXICAL_BLOB);
  const lexicalReadMs = performance.now() - t0;
  t0 = performance.now();
  Bm25Index.deserialize(joinChunks(lexicalBlob?.parts ?? []));
  const lexicalDeserializeMs = performance.now() - t0;
  store.close();
  return {
    openMs,
    vectorReadMs,
    joinMs,
    checksumMs,
    deserializeMs,
    lexicalReadMs,
    lexicalDeserializeMs,
    pieces: blob.parts.length,
    bytes: bytes.byteLength,
    storedBytes: blob.parts.reduce((sum, p) => sum + p.buffer.byteLength, 0),
  };
}
