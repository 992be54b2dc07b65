/** Timing helpers shared by the Node and the in-browser embed benchmarks (no Node imports). */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times two functions in alternation (A B, B A, ...) after one warm-up each (skip it
 * only when the caller has already run both on this shape), so
 * load from other processes on a shared machine hits both alike; whichever ran
 * first in a round was measurably faster here, hence ABBA. Runs until `minTime`
 * seconds have passed for each (at least `minRuns`, at most 20 runs); returns medians.
 */
export async function timePair(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  minTime: number,
  minRuns = 4,
  warmUp = true,
): Promise<{ a: number; b: number; runs: number }> {
  if (warmUp) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  while (ta.length < minRuns || (Math.min(sum(ta), sum(tb)) < minTime && ta.length < 20)) {
    const round = ta.length % 2 === 0 ? ([[a, ta], [b, tb]] as const) : ([[b, tb], [a, ta]] as const);
    for (const [fn, times] of round) {
      const t0 = performance.now();
      await fn();
      times.push((performance.now() - t0) / 1000);
    }
  }
  return { a: median(ta), b: median(tb), runs: ta.length };
}

/** Mean-pooled, normalised first row of a [batch, seq, hidden] output whose tokens are all real. */
export function pooledFirstRow(hidden: Float32Array, seqLen: number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  for (let t = 0; t < seqLen; t++) for (let d = 0; d < dim; d++) v[d] += hidden[t * dim + d] / seqLen;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
