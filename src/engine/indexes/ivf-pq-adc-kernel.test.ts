import { afterEach, describe, expect, it } from 'vitest';
import { AdcKernel } from '../vectors/adc/adc-kernel';
import { forceJsKernels, kernelBackend } from '../vectors/kernels';
import { ProductQuantizer } from '../vectors/product-quantizer';
import { createRandom } from '../vectors/random';
import { createIndex } from './factory';
import { deserializeIndex } from './serialization';
import { makeTestSet, searchAll } from './test-helpers';
import type { Metric } from './vector-index';

const simd = kernelBackend() === 'wasm-simd';

describe.skipIf(!simd)('ADC kernel', () => {
  const dim = 64;
  const m = 16;
  const random = createRandom(11);
  const pq = new ProductQuantizer(dim, m, 8);
  const cents = new Float32Array(pq.centroids.length);
  for (let i = 0; i < cents.length; i++) cents[i] = random.nextGaussian();
  pq.centroids = cents;
  const kernel = AdcKernel.create(m, pq.ksub, pq.dsub, cents)!;
  const q = Float32Array.from({ length: dim }, () => random.nextGaussian());
  const n = 1500; // beyond the kernel's first capacity, so the memory grows
  const codes = Uint8Array.from({ length: n * m }, () => random.nextInt(256));

  it('builds the inner-product table the per-sub-space scan builds', () => {
    const expected = new Float32Array(m * pq.ksub);
    pq.negDotTable(q, 0, expected);
    const table = kernel.negDotTable(q);
    for (let i = 0; i < expected.length; i++) expect(table[i]).toBeCloseTo(expected[i], 4);
  });

  it('builds the l2 table, up to each sub-vector norm of the query', () => {
    const expected = new Float32Array(m * pq.ksub);
    pq.l2Table(q, 0, expected);
    const table = kernel.l2TableMinusNorm(q);
    for (let j = 0; j < m; j++) {
      let qj = 0;
      for (let d = 0; d < pq.dsub; d++) qj += q[j * pq.dsub + d] ** 2;
      for (let c = 0; c < pq.ksub; c++) {
        const e = expected[j * pq.ksub + c];
        expect(Math.abs(table[j * pq.ksub + c] + qj - e)).toBeLessThan(1e-4 * Math.max(1, e));
      }
    }
  });

  it('sums code lookups like the TypeScript ADC', () => {
    const table = new Float32Array(m * pq.ksub);
    pq.negDotTable(q, 0, table);
    kernel.negDotTable(q);
    kernel.reserve(n).set(codes);
    const out = kernel.scan(n);
    expect(out.length).toBe(n);
    for (let i = 0; i < n; i++) expect(Math.abs(out[i] - pq.adc(table, codes, i * m))).toBeLessThan(1e-4);
  });

  it('declines what it cannot do', () => {
    expect(AdcKernel.create(6, 256, 2, new Float32Array(6 * 256 * 2))).toBeNull();
    expect(AdcKernel.create(8, 64, 2, new Float32Array(8 * 64 * 2))).toBeNull();
  });
});

describe.skipIf(!simd)('IVF-PQ and PQ with the ADC kernel', () => {
  const set = makeTestSet(1500, 32, 40, 9);
  afterEach(() => forceJsKernels(false));

  const cases: [string, Metric][] = [
    ['IVF16,PQ8', 'cosine'],
    ['IVF16,PQ8', 'dot'],
    ['IVF16,PQ8', 'l2'],
    ['IVF16,PQ8,Refine(SQ8)', 'cosine'],
    ['PQ8', 'cosine'],
    ['PQ8', 'l2'],
  ];
  for (const [desc, metric] of cases) {
    {
      it(`${desc} (${metric}): same distances as the TypeScript path`, () => {
        const built = createIndex(desc, set.dim, metric, { seed: 3 });
        built.train!(set.base);
        built.add(set.ids, set.base);
        const bytes = built.serialize();
        const withKernel = deserializeIndex(bytes);
        const fast = searchAll(withKernel, set, 20, { nprobe: 5 });
        forceJsKernels(true);
        const plain = searchAll(deserializeIndex(bytes), set, 20, { nprobe: 5 });
        let sameIds = 0;
        for (let q = 0; q < set.nq; q++) {
          expect(fast[q].distances.length).toBe(plain[q].distances.length);
          for (let i = 0; i < plain[q].distances.length; i++) {
            expect(Math.abs(fast[q].distances[i] - plain[q].distances[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(plain[q].distances[i])));
            if (fast[q].ids[i] === plain[q].ids[i]) sameIds++;
          }
        }
        // Ties may swap, but the rankings must agree almost everywhere.
        expect(sameIds / (set.nq * 20)).toBeGreaterThan(0.97);
      });
    }
  }

  it('filters by id on the kernel path', () => {
    const index = createIndex('IVF16,PQ8', set.dim, 'cosine', { seed: 3 });
    index.train!(set.base);
    index.add(set.ids, set.base);
    const even = (id: number) => id % 4 === 1;
    for (const r of searchAll(index, set, 10, { nprobe: 8, filter: even })) {
      expect(r.ids.length).toBe(10);
      for (const id of r.ids) expect(even(id)).toBe(true);
    }
  });
});
