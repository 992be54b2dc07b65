/**
 * Loads index files saved by earlier format versions, so a format change that
 * breaks old IndexedDB data fails here. To (re)create the version-1 files,
 * run with SIFT_WRITE_FIXTURES=1; never regenerate files of an old version.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaussianMixture } from '../vectors/gaussian-mixture';
import { createIndex } from './factory';
import { FORMAT_VERSION, deserializeIndex } from './serialization';
import type { Metric } from './vector-index';

const dir = join(__dirname, 'fixtures');
const cases: { file: string; description: string; metric: Metric }[] = [
  { file: 'flat', description: 'Flat', metric: 'cosine' },
  { file: 'hnsw', description: 'HNSW8', metric: 'l2' },
  { file: 'hnsw-sq8', description: 'HNSW8,SQ8', metric: 'cosine' },
  { file: 'ivf-flat', description: 'IVF4,Flat', metric: 'l2' },
  { file: 'pq', description: 'PQ4x6', metric: 'dot' },
  { file: 'ivf-pq', description: 'IVF4,PQ4x6,Refine(SQ8)', metric: 'l2' },
  { file: 'sq8', description: 'SQ8', metric: 'l2' },
];
const dim = 16;
const k = 5;

interface Expected {
  queries: number[][];
  results: Record<string, { ids: number[]; distances: number[] }[]>;
}

function writeFixtures(): void {
  const { vectors } = gaussianMixture({ n: 205, dim, clusters: 6, seed: 77 });
  const base = vectors.subarray(0, 200 * dim);
  const queries = Array.from({ length: 5 }, (_, q) => Array.from(vectors.subarray((200 + q) * dim, (201 + q) * dim)));
  const ids = Uint32Array.from({ length: 200 }, (_, i) => 10 + i);
  const expected: Expected = { queries, results: {} };
  for (const c of cases) {
    const index = createIndex(c.description, dim, c.metric, { seed: 9 });
    index.train?.(base);
    index.add(ids, base);
    index.remove(Uint32Array.of(10, 11, 12));
    writeFileSync(join(dir, `${c.file}-v${FORMAT_VERSION}.sifx`), index.serialize());
    expected.results[c.file] = queries.map((q) => {
      const r = index.search(Float32Array.from(q), k);
      return { ids: Array.from(r.ids), distances: Array.from(r.distances) };
    });
  }
  writeFileSync(join(dir, `expected-v${FORMAT_VERSION}.json`), JSON.stringify(expected));
}

describe.skipIf(!process.env.SIFT_WRITE_FIXTURES)('write saved-format fixtures', () => {
  it('writes them', writeFixtures);
});

describe('saved format version 1', () => {
  const expectedPath = join(dir, 'expected-v1.json');
  it('fixtures exist', () => expect(existsSync(expectedPath)).toBe(true));
  if (!existsSync(expectedPath)) return;
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected;
  for (const c of cases) {
    it(`loads ${c.file}-v1.sifx and answers as when saved`, () => {
      const bytes = new Uint8Array(readFileSync(join(dir, `${c.file}-v1.sifx`)));
      const index = deserializeIndex(bytes);
      expect(index.dim).toBe(dim);
      expect(index.metric).toBe(c.metric);
      expect(index.size).toBe(197);
      expected.queries.forEach((q, i) => {
        const r = index.search(Float32Array.from(q), k);
        expect(Array.from(r.ids)).toEqual(expected.results[c.file][i].ids);
        r.distances.forEach((d, j) => expect(d).toBeCloseTo(expected.results[c.file][i].distances[j], 4));
      });
      // Old files must stay writable: adding after load works.
      index.add(Uint32Array.of(10), Float32Array.from(expected.queries[0]));
      expect(index.search(Float32Array.from(expected.queries[0]), 1).ids[0]).toBe(10);
    });
  }
});
