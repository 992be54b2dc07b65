/**
 * A cross-encoder: scores (query, passage) pairs jointly. Slower than an
 * embedder, so it re-orders only the top candidates of a first-stage search.
 */
export interface RerankerInfo {
  modelId: string;
  dtype: string;
}

export interface Reranker {
  readonly info: RerankerInfo;
  /** One score per passage, in input order; higher means more relevant. */
  score(query: string, passages: readonly string[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Passage indices ordered by descending score (ties keep input order). */
export function rankByScore(scores: Float32Array): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}
