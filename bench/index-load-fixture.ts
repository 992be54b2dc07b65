/**
 * The saved index for the IndexedDB load benchmark: an HNSW index over
 * synthetic vectors, built once in Node and cached under .cache/ (a 100k x
 * 384 HNSW32 build takes minutes), with held-out queries and their exact
 * neighbours so the reloaded index can be checked for recall.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIndex } from '../src/engine/indexes/factory';
import { syntheticEmbeddings } from './index-data';

export interface LoadFixtureSpec {
  n: number;
  dim: number;
  m: number;
  efConstruction: number;
  nq: number;
  k: number;
}

export interface LoadFixture {
  dir: string;
  /** File names inside `dir`. */
  index: string;
  queries: string;
  truth: string;
  buildS: number;
  bytes: number;
  dataName: string;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function writeAtomic(path: string, bytes: ArrayBufferView): void {
  writeFileSync(`${path}.tmp`, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  renameSync(`${path}.tmp`, path);
}

export function ensureLoadFixture(cacheDir: string, s: LoadFixtureSpec, log: (msg: string) => void): LoadFixture {
  const stem = `hnsw${s.m}-${s.n}x${s.dim}-efc${s.efConstruction}-seed42`;
  const names = { index: `${stem}.sifx`, queries: `${stem}-queries.f32`, truth: `${stem}-truth${s.k}.u32`, meta: `${stem}.json` };
  mkdirSync(cacheDir, { recursive: true });
  const metaPath = join(cacheDir, names.meta);
  if (!Object.values(names).every((f) => existsSync(join(cacheDir, f)))) {
    log(`building the load fixture ${stem} in Node (cached in ${cacheDir})...`);
    const data = syntheticEmbeddings(s.n, s.nq, s.dim);
    const ids = Uint32Array.from({ length: s.n }, (_, i) => i);
    const flat = createIndex('Flat', s.dim, 'cosine');
    flat.add(ids, data.base);
    const truth = new Uint32Array(s.nq * s.k);
    for (let q = 0; q < s.nq; q++) truth.set(flat.search(data.queries.subarray(q * s.dim, (q + 1) * s.dim), s.k).ids, q * s.k);
    flat.dispose();
    const c0 = cpuSeconds();
    const index = createIndex(`HNSW${s.m}`, s.dim, 'cosine', { seed: 100, efConstruction: s.efConstruction });
    index.add(ids, data.base);
    const buildS = cpuSeconds() - c0;
    const bytes = index.serialize();
    index.dispose();
    log(`  built in ${buildS.toFixed(1)} s CPU, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB serialized`);
    writeAtomic(join(cacheDir, names.index), bytes);
    writeAtomic(join(cacheDir, names.queries), data.queries);
    writeAtomic(join(cacheDir, names.truth), truth);
    writeFileSync(metaPath, JSON.stringify({ buildS, bytes: bytes.byteLength, dataName: data.name }));
  }
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { buildS: number; bytes: number; dataName: string };
  return { dir: cacheDir, index: names.index, queries: names.queries, truth: names.truth, ...meta };
}
