/**
 * Merging ranked lists from different retrievers (BM25, dense, ...).
 *
 * Both functions return one list sorted by fused score, best first; ties go
 * to the id seen first (earlier list, then better rank), so results are
 * repeatable.
 */
import { createError } from '../errors';

export interface RankedList {
  ids: Uint32Array;
  /** Higher is better, aligned with `ids`. */
  scores: Float32Array;
}

export interface RrfOptions {
  /** The rank offset; 60 as in Cormack et al. (2009). */
  k?: number;
  /** One weight per list, default 1 each. */
  weights?: number[];
}

export interface WeightedFusionOptions {
  weights: number[];
  normalization: 'minmax' | 'zscore';
}

/** score(d) = Σ_i w_i / (k + rank_i(d)), rank starting at 1; lists without d add nothing. */
export function reciprocalRankFusion(lists: RankedList[], options: RrfOptions = {}): RankedList {
  const k = options.k ?? 60;
  if (!(k >= 0)) throw createError('INVALID_ARGUMENT', `RRF k must be >= 0, got ${k}.`);
  const weights = checkWeights(lists, options.weights);
  const fused = new Map<number, number>();
  lists.forEach((list, i) => {
    checkList(list, i);
    for (let r = 0; r < list.ids.length; r++) {
      const id = list.ids[r];
      fused.set(id, (fused.get(id) ?? 0) + weights[i] / (k + r + 1));
    }
  });
  return sortFused(fused);
}

/**
 * score(d) = Σ_i w_i · norm_i(s_i(d)). Each list's scores are normalised on
 * their own (BM25 and cosine live on unrelated scales). A document missing
 * from a list gets that list's lowest normalised score, i.e. 0 under min-max:
 * it was at best as good as the list's last entry.
 *
 * min-max maps a list to [0, 1] (a list of equal scores maps to 1);
 * z-score maps to (s - mean) / std (0 when all scores are equal).
 */
export function weightedScoreFusion(lists: RankedList[], options: WeightedFusionOptions): RankedList {
  const weights = checkWeights(lists, options.weights);
  const normalized = lists.map((list, i) => {
    checkList(list, i);
    return options.normalization === 'zscore' ? zScore(list.scores) : minMax(list.scores);
  });
  // Under min-max a missing document scores 0. Taking the list's lowest
  // score instead would erase a list whose hits all tie (one BM25 hit maps
  // to 1, and so would every document missing from it).
  const floors = normalized.map((scores) => (options.normalization === 'minmax' ? 0 : lowest(scores)));

  const order: number[] = [];
  const seen = new Set<number>();
  for (const list of lists) {
    for (const id of list.ids) {
      if (!seen.has(id)) {
        seen.add(id);
        order.push(id);
      }
    }
  }
  const fused = new Map<number, number>();
  // Start every document at the sum of floors, then swap in its real score per list.
  let base = 0;
  for (let i = 0; i < lists.length; i++) base += weights[i] * floors[i];
  for (const id of order) fused.set(id, base);
  lists.forEach((list, i) => {
    const scores = normalized[i];
    for (let r = 0; r < list.ids.length; r++) {
      const id = list.ids[r];
      fused.set(id, fused.get(id)! + weights[i] * (scores[r] - floors[i]));
    }
  });
  return sortFused(fused);
}

function minMax(scores: Float32Array): Float64Array {
  const out = new Float64Array(scores.length);
  if (scores.length === 0) return out;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const range = max - min;
  for (let i = 0; i < scores.length; i++) out[i] = range > 0 ? (scores[i] - min) / range : 1;
  return out;
}

function zScore(scores: Float32Array): Float64Array {
  const out = new Float64Array(scores.length);
  if (scores.length === 0) return out;
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= scores.length;
  let variance = 0;
  for (const s of scores) variance += (s - mean) * (s - mean);
  const std = Math.sqrt(variance / scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = std > 0 ? (scores[i] - mean) / std : 0;
  return out;
}

function lowest(scores: Float64Array): number {
  let min = scores.length ? Infinity : 0;
  for (const s of scores) if (s < min) min = s;
  return min;
}

function checkWeights(lists: RankedList[], weights: number[] | undefined): number[] {
  if (weights === undefined) return lists.map(() => 1);
  if (weights.length !== lists.length) {
    throw createError('INVALID_ARGUMENT', `Got ${weights.length} fusion weights for ${lists.length} lists.`);
  }
  for (const w of weights) {
    if (!Number.isFinite(w)) throw createError('INVALID_ARGUMENT', `Fusion weights must be finite, got ${w}.`);
  }
  return weights;
}

function checkList(list: RankedList, i: number): void {
  if (list.ids.length !== list.scores.length) {
    throw createError('INVALID_ARGUMENT', `Ranked list ${i} has ${list.ids.length} ids but ${list.scores.length} scores.`);
  }
}

/** Map iteration order is first-seen order, so a stable sort keeps that as the tie-break. */
function sortFused(fused: Map<number, number>): RankedList {
  const entries = [...fused.entries()].sort((a, b) => b[1] - a[1]);
  const ids = new Uint32Array(entries.length);
  const scores = new Float32Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    ids[i] = entries[i][0];
    scores[i] = entries[i][1];
  }
  return { ids, scores };
}
