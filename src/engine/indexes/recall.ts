/** Recall of an approximate index against exact results, for tests and benchmarks. */
import type { SearchResult } from './vector-index';

/** Mean over queries of |approx top-k ∩ exact top-k| / k. */
export function recallAtK(exact: readonly SearchResult[], approx: readonly SearchResult[], k: number): number {
  let hits = 0;
  let wanted = 0;
  for (let q = 0; q < exact.length; q++) {
    const truth = exact[q].ids.subarray(0, k);
    const got = approx[q].ids.subarray(0, k);
    const set = new Set(truth);
    for (let i = 0; i < got.length; i++) if (set.has(got[i])) hits++;
    wanted += truth.length;
  }
  return wanted === 0 ? 1 : hits / wanted;
}
