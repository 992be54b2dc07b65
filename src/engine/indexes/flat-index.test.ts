import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { forceJsKernels } from '../vectors/kernels';
import { createRandom } from '../vectors/random';
import { FlatIndex } from './flat-index';
import { createIndex } from './factory';
import { deserializeIndex, joinChunks, splitIntoChunks } from './serialization';
import type { Metric } from './vector-index';

function randomVectors(n: number, dim: number, seed: number): Float32Array {
  const r = createRandom(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < v.length; i++) v[i] = r.nextGaussian();
  return v;
}

/** Deliberately naive reference: plain number maths, full sort. */
function naive(metric: Metric, data: Float32Array, ids: number[], q: Float32Array, k: number, dim: number) {
  const norm = (a: ArrayLike<number>, off: number) => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += a[off + i] ** 2;
    return Math.sqrt(s);
  };
  const rows = ids.map((id, r) => {
    let d = 0;
    if (metric === 'l2') for (let i = 0; i < dim; i++) d += (data[r * dim + i] - q[i]) ** 2;
    else {
      let ip = 0;
      for (let i = 0; i < dim; i++) ip += data[r * dim + i] * q[i];
      d = metric === 'dot' ? -ip : 1 - ip / (norm(data, r * dim) * norm(q, 0));
    }
    return { id, d };
  });
  rows.sort((a, b) => a.d - b.d);
  return rows.slice(0, k);
}

const dim = 24;

describe('FlatIndex', () => {
  for (const metric of ['l2', 'dot', 'cosine'] as const) {
    it(`ranks like a naive reference (${metric})`, () => {
      const n = 500;
      const data = randomVectors(n, dim, 7);
      const ids = Array.from({ length: n }, (_, i) => 1000 + i * 3);
      const index = new FlatIndex(dim, metric);
      // Two batches exercise capacity growth.
      index.add(Uint32Array.from(ids.slice(0, 10)), data.subarray(0, 10 * dim));
      index.add(Uint32Array.from(ids.slice(10)), data.subarray(10 * dim));
      expect(index.size).toBe(n);
      const queries = randomVectors(20, dim, 8);
      for (let q = 0; q < 20; q++) {
        const query = queries.subarray(q * dim, (q + 1) * dim);
        const got = index.search(query, 10);
        const want = naive(metric, data, ids, query, 10, dim);
        expect(Array.from(got.ids)).toEqual(want.map((w) => w.id));
        for (let i = 0; i < 10; i++) expect(got.distances[i]).toBeCloseTo(want[i].d, 3);
      }
    });
  }

  it('ranks the same with the TypeScript fallback kernels', () => {
    const data = randomVectors(300, dim, 12);
    const ids = Uint32Array.from({ length: 300 }, (_, i) => i);
    const wasm = new FlatIndex(dim, 'l2');
    wasm.add(ids, data);
    forceJsKernels(true);
    try {
      const js = new FlatIndex(dim, 'l2');
      js.add(ids, data);
      const q = randomVectors(1, dim, 13);
      expect(Array.from(js.search(q, 10).ids)).toEqual(Array.from(wasm.search(q, 10).ids));
    } finally {
      forceJsKernels(false);
    }
  });

  it('removes ids and keeps the others searchable', () => {
    const data = randomVectors(100, dim, 3);
    const index = new FlatIndex(dim, 'l2');
    index.add(Uint32Array.from({ length: 100 }, (_, i) => i), data);
    expect(index.remove(Uint32Array.of(5, 17, 99, 12345))).toBe(3);
    expect(index.size).toBe(97);
    for (const id of [5, 17, 99]) {
      const hit = index.search(data.subarray(id * dim, (id + 1) * dim), 100);
      expect(Array.from(hit.ids)).not.toContain(id);
      expect(hit.ids.length).toBe(97);
    }
    // The row moved into a freed slot is still found exactly.
    const hit = index.search(data.subarray(98 * dim, 99 * dim), 1);
    expect(hit.ids[0]).toBe(98);
    expect(hit.distances[0]).toBeCloseTo(0, 5);
  });

  it('applies the filter and replaces re-added ids', () => {
    const data = randomVectors(50, dim, 4);
    const index = new FlatIndex(dim, 'cosine');
    index.add(Uint32Array.from({ length: 50 }, (_, i) => i), data);
    const got = index.search(data.subarray(0, dim), 50, { filter: (id) => id % 2 === 1 });
    expect(got.ids.length).toBe(25);
    expect(Array.from(got.ids).every((id) => id % 2 === 1)).toBe(true);
    index.add(Uint32Array.of(3), data.subarray(0, dim));
    expect(index.size).toBe(50);
    const top = index.search(data.subarray(0, dim), 2);
    expect(new Set(top.ids)).toEqual(new Set([0, 3]));
  });

  it('handles k larger than size, k = 0 and an empty index', () => {
    const index = new FlatIndex(dim, 'dot');
    expect(index.search(new Float32Array(dim), 5).ids.length).toBe(0);
    index.add(Uint32Array.of(1, 2), randomVectors(2, dim, 1));
    expect(index.search(new Float32Array(dim), 5).ids.length).toBe(2);
    expect(index.search(new Float32Array(dim), 0).ids.length).toBe(0);
  });

  it('rejects wrong dimensions with a coded error', () => {
    const index = new FlatIndex(dim, 'l2');
    expect(() => index.add(Uint32Array.of(1), new Float32Array(dim + 1))).toThrow(
      expect.objectContaining({ code: 'DIMENSION_MISMATCH' }),
    );
    expect(() => index.search(new Float32Array(3), 1)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('round-trips through serialize, chunks and deserializeIndex', () => {
    const data = randomVectors(300, dim, 9);
    const index = createIndex('Flat', dim, 'cosine');
    index.add(Uint32Array.from({ length: 300 }, (_, i) => i * 7), data);
    index.remove(Uint32Array.of(7, 14));
    const bytes = index.serialize();
    const chunks = splitIntoChunks(bytes, 1000);
    expect(chunks.length).toBe(Math.ceil(bytes.length / 1000));
    // Copy into an unaligned buffer: loading must not depend on alignment.
    const joined = joinChunks(chunks);
    const shifted = new Uint8Array(joined.length + 1).subarray(1);
    shifted.set(joined);
    const loaded = deserializeIndex(shifted);
    expect(loaded.kind).toBe('flat');
    expect(loaded.size).toBe(298);
    expect(loaded.metric).toBe('cosine');
    const q = randomVectors(1, dim, 10);
    expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
  });

  it('throws CORRUPT_INDEX on truncated or altered bytes', () => {
    const index = new FlatIndex(dim, 'l2');
    index.add(Uint32Array.from({ length: 40 }, (_, i) => i), randomVectors(40, dim, 2));
    const bytes = index.serialize();
    const expectCorrupt = (b: Uint8Array) => {
      let caught: unknown;
      try {
        deserializeIndex(b);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(EngineError);
      expect((caught as EngineError).code).toBe('CORRUPT_INDEX');
    };
    for (const cut of [0, 3, 10, 24, bytes.length - 4, bytes.length - 1]) expectCorrupt(bytes.subarray(0, cut));
    const r = createRandom(5);
    for (let t = 0; t < 20; t++) {
      const damaged = bytes.slice();
      damaged[r.nextInt(damaged.length)] ^= 1 << r.nextInt(8);
      expectCorrupt(damaged);
    }
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 0;
    expectCorrupt(wrongMagic);
    expectCorrupt(new Uint8Array(100));
  });
});

describe('createIndex', () => {
  it('rejects unknown descriptions', () => {
    expect(() => createIndex('Bogus', 8, 'l2')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('createRandom', () => {
  it('treats seed 0 as a real seed and is repeatable', () => {
    const a = createRandom(0);
    const b = createRandom(0);
    const c = createRandom(1);
    const seqA = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seqA);
    expect([c.next(), c.next(), c.next()]).not.toEqual(seqA);
  });
});
