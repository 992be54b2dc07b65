/**
 * hnswlib's neighbour selection (getNeighborsByHeuristic2): walking the
 * candidates nearest first, keep one only if it is closer to the base node
 * than to every neighbour kept so far. This spreads links across directions,
 * which is what lets greedy search leave a cluster.
 */

/**
 * `ids`/`dist` hold `n` candidates in ascending distance; the kept ones are
 * compacted to the front. Returns how many were kept (at most `limit`).
 */
export function selectNeighbours(
  ids: Uint32Array,
  dist: Float64Array,
  n: number,
  limit: number,
  between: (a: number, b: number) => number,
): number {
  if (n <= limit) return n;
  let kept = 0;
  for (let i = 0; i < n && kept < limit; i++) {
    const cand = ids[i];
    const d = dist[i];
    let good = true;
    for (let j = 0; j < kept; j++) {
      if (between(cand, ids[j]) < d) {
        good = false;
        break;
      }
    }
    if (good) {
      ids[kept] = cand;
      dist[kept] = d;
      kept++;
    }
  }
  return kept;
}

/** Insertion sort: candidate lists are short (at most 2M + 1). */
export function sortByDistance(ids: Uint32Array, dist: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const id = ids[i];
    const d = dist[i];
    let j = i - 1;
    while (j >= 0 && dist[j] > d) {
      ids[j + 1] = ids[j];
      dist[j + 1] = dist[j];
      j--;
    }
    ids[j + 1] = id;
    dist[j + 1] = d;
  }
}
