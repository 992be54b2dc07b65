import { afterEach, describe, expect, it } from 'vitest';
import { dot, l2Squared } from './distances';
import { GATHER_MAX, SCAN_BLOCK, createVectorBuffer, forceJsKernels, kernelBackend } from './kernels';
import { createRandom } from './random';

afterEach(() => forceJsKernels(false));

function fill(n: number, seed: number): Float32Array {
  const r = createRandom(seed);
  return Float32Array.from({ length: n }, () => r.nextGaussian());
}

describe('vector kernels', () => {
  it('uses WASM SIMD in Node 20', () => {
    expect(kernelBackend()).toBe('wasm-simd');
  });

  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: match the scalar reference for awkward dimensions`, () => {
      forceJsKernels(backend === 'js');
      for (const dim of [1, 3, 4, 5, 15, 16, 17, 33, 384]) {
        const rows = 50;
        const data = fill(rows * dim, dim);
        const q = fill(dim, dim + 1);
        const buf = createVectorBuffer(dim, 2);
        buf.reserve(rows);
        buf.rows.set(data);
        buf.setQuery(q);
        const dots = buf.scanDot(0, rows).slice();
        const l2s = buf.scanL2(0, rows).slice();
        for (let r = 0; r < rows; r++) {
          const tol = 1e-4 * (1 + Math.abs(dots[r]));
          expect(Math.abs(dots[r] - dot(data, r * dim, q, 0, dim))).toBeLessThan(tol);
          expect(Math.abs(l2s[r] - l2Squared(data, r * dim, q, 0, dim))).toBeLessThan(1e-4 * (1 + l2s[r]));
          expect(buf.dotQuery(r)).toBeCloseTo(dots[r], 3);
          expect(buf.l2Rows(r, 0)).toBeCloseTo(l2Squared(data, r * dim, data, 0, dim), 3);
          expect(buf.dotRows(r, 1)).toBeCloseTo(dot(data, r * dim, data, dim, dim), 3);
        }
      }
    });

    it(`${backend}: gathers exactly the per-row distances, in id order, across growth`, () => {
      forceJsKernels(backend === 'js');
      for (const dim of [3, 16, 17, 384]) {
        const rows = 300;
        const data = fill(rows * dim, dim + 7);
        const buf = createVectorBuffer(dim, 4);
        buf.reserve(rows);
        buf.rows.set(data);
        buf.setQuery(fill(dim, dim + 8));
        expect(buf.idScratch.length).toBe(GATHER_MAX);
        const r = createRandom(dim);
        const ids = Uint32Array.from({ length: 64 }, () => Math.floor(r.next() * rows));
        buf.idScratch.set(ids);
        const dots = Array.from(buf.gatherDot(ids.length).subarray(0, ids.length));
        buf.idScratch.set(ids);
        const l2s = Array.from(buf.gatherL2(ids.length).subarray(0, ids.length));
        // Bit-for-bit: a graph search must not change with batching.
        expect(dots).toEqual(Array.from(ids, (id) => buf.dotQuery(id)));
        expect(l2s).toEqual(Array.from(ids, (id) => buf.l2Query(id)));
        // Growth replaces the memory: the scratch view must be re-read and still work.
        buf.reserve(rows * 40);
        buf.idScratch.set(ids.subarray(0, 5));
        expect(Array.from(buf.gatherL2(5).subarray(0, 5))).toEqual(l2s.slice(0, 5));
      }
    });

    it(`${backend}: keeps rows across growth and scans past one block`, () => {
      forceJsKernels(backend === 'js');
      const dim = 8;
      const buf = createVectorBuffer(dim, 1);
      const rows = SCAN_BLOCK + 100;
      const data = fill(rows * dim, 3);
      for (let r = 0; r < rows; r += 1000) {
        buf.reserve(Math.min(rows, r + 1000));
        buf.rows.set(data.subarray(r * dim, Math.min(rows, r + 1000) * dim), r * dim);
      }
      expect(Array.from(buf.rows.subarray(0, rows * dim))).toEqual(Array.from(data));
      buf.setQuery(data, 5 * dim);
      const tail = buf.scanL2(SCAN_BLOCK, 100);
      expect(tail.length).toBe(100);
      expect(tail[0]).toBeCloseTo(l2Squared(data, SCAN_BLOCK * dim, data, 5 * dim, dim), 4);
    });
  }
});
