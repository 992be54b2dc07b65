import { afterEach, describe, expect, it } from 'vitest';
import { forceJsKernels } from './kernels';
import { createRandom } from './random';
import { ScalarQuantizer } from './scalar-quantizer';
import { createSq8Buffer } from './sq8-buffer';

afterEach(() => forceJsKernels(false));

describe('SQ8 kernels', () => {
  for (const backend of ['wasm', 'js'] as const) {
    for (const metric of ['l2', 'dot', 'cosine'] as const) {
      it(`${backend} ${metric}: match the scalar quantizer's reference maths`, () => {
        forceJsKernels(backend === 'js');
        for (const dim of [3, 16, 17, 40, 384]) {
          const r = createRandom(dim);
          const rows = 30;
          const data = Float32Array.from({ length: rows * dim }, () => r.nextGaussian());
          const sq = new ScalarQuantizer(dim, metric);
          sq.train(data);
          const buf = createSq8Buffer(dim, 1);
          buf.reserve(rows);
          for (let i = 0; i < rows; i++) sq.encode(data, i * dim, buf.codes, i * dim);
          sq.loadPairs(buf);
          const q = Float32Array.from({ length: dim }, () => r.nextGaussian());
          sq.loadQuery(q, 0, buf);
          const raw = (metric === 'l2' ? buf.scanL2(0, rows) : buf.scanDot(0, rows)).slice();
          sq.setQuery(q);
          for (let i = 0; i < rows; i++) {
            const want = sq.distanceToQuery(buf.codes, i * dim);
            const tol = 1e-4 * (1 + Math.abs(want));
            expect(Math.abs(sq.queryDistance(raw[i]) - want)).toBeLessThan(tol);
            const pair = sq.pairDistance(metric === 'l2' ? buf.l2Rows(i, 0) : buf.dotRows(i, 0));
            const wantPair = sq.distanceBetweenCodes(buf.codes, i * dim, 0);
            expect(Math.abs(pair - wantPair)).toBeLessThan(1e-3 * (1 + Math.abs(wantPair)));
          }
        }
      });
    }
  }
});
