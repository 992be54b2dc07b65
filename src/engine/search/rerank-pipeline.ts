import { createError } from '../errors';
import type { Embedder } from '../embedding/embedder';
import type { Reranker } from '../embedding/reranker';
import type { SearchHit, StageScore } from './search-types';

/**
 * Multi-stage reranking over first-stage hits: each stage re-scores the hits
 * that survived the one before, re-sorts them and keeps its top `keep`. Cheap
 * stages go first so the expensive cross-encoder only sees a few candidates
 * ("hybrid 100 → bi-encoder 30 → cross-encoder 10").
 */
export type RerankStage =
  | { kind: 'bi-encoder'; embedder: Embedder; keep: number }
  | { kind: 'cross-encoder'; reranker: Reranker; keep: number };

/**
 * The pipeline as settings (model ids, not loaded models), for storage and
 * the UI. `candidates` is how many hits the hybrid first stage hands over.
 */
export interface RerankConfig {
  candidates: number;
  biEncoder?: { modelId: string; keep: number };
  crossEncoder?: { modelId: string; keep: number };
}

export const DEFAULT_RERANK_CONFIG: Readonly<RerankConfig> = {
  candidates: 100,
  biEncoder: { modelId: 'Xenova/bge-small-en-v1.5', keep: 30 },
  crossEncoder: { modelId: 'Xenova/ms-marco-MiniLM-L-6-v2', keep: 10 },
};

/** E.g. "hybrid 100 → bi-encoder 30 → cross-encoder 10". */
export function describeRerankConfig(config: RerankConfig): string {
  const parts = [`hybrid ${config.candidates}`];
  if (config.biEncoder) parts.push(`bi-encoder ${config.biEncoder.keep}`);
  if (config.crossEncoder) parts.push(`cross-encoder ${config.crossEncoder.keep}`);
  return parts.join(' → ');
}

/** Throws INVALID_ARGUMENT unless counts are positive integers that never grow along the pipeline. */
export function validateRerankConfig(config: RerankConfig): void {
  let previous = config.candidates;
  checkCount('candidates', previous);
  for (const [name, stage] of [
    ['biEncoder', config.biEncoder],
    ['crossEncoder', config.crossEncoder],
  ] as const) {
    if (!stage) continue;
    checkCount(`${name}.keep`, stage.keep);
    if (stage.modelId === '') throw createError('INVALID_ARGUMENT', `${name}.modelId is empty.`);
    if (stage.keep > previous) {
      throw createError('INVALID_ARGUMENT', `${name}.keep (${stage.keep}) exceeds the ${previous} hits it receives.`, {
        keep: stage.keep,
        receives: previous,
      });
    }
    previous = stage.keep;
  }
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw createError('INVALID_ARGUMENT', `${name} must be a positive integer.`, { [name]: value });
  }
}

/**
 * Runs `stages` in order. Returns new hit objects (the input is not mutated):
 * each survivor gets one `StageScore` per stage it went through, and `score`
 * is the last stage's score, so the UI can tell which stage set the order.
 * Ties keep the incoming order, so a stage that cannot tell hits apart does
 * not shuffle them.
 */
export async function rerankHits(
  query: string,
  hits: readonly SearchHit[],
  stages: readonly RerankStage[],
  signal?: { readonly aborted: boolean },
): Promise<SearchHit[]> {
  for (const stage of stages) {
    if (!Number.isInteger(stage.keep) || stage.keep < 0) {
      throw createError('INVALID_ARGUMENT', 'keep must be a non-negative integer.', { kind: stage.kind, keep: stage.keep });
    }
  }
  let current = hits.map((hit) => ({ ...hit, stages: [...hit.stages] }));
  for (const stage of stages) {
    if (signal?.aborted) throw createError('CANCELLED', 'Reranking was cancelled.');
    if (current.length === 0) break;
    const texts = current.map((hit) => hit.text);
    const scores =
      stage.kind === 'bi-encoder' ? await biEncoderScores(stage.embedder, query, texts) : await stage.reranker.score(query, texts);
    if (scores.length !== current.length) {
      throw createError('EMBEDDING_FAILED', `The ${stage.kind} returned ${scores.length} scores for ${current.length} hits.`);
    }
    const order = descendingOrder(scores);
    const kept = Math.min(stage.keep, order.length);
    const next: SearchHit[] = new Array(kept);
    for (let rank = 0; rank < kept; rank++) {
      const hit = current[order[rank]];
      const score = scores[order[rank]];
      const record: StageScore = { stage: stage.kind, score, rank: rank + 1 };
      hit.stages.push(record);
      hit.score = score;
      next[rank] = hit;
    }
    current = next;
  }
  if (signal?.aborted) throw createError('CANCELLED', 'Reranking was cancelled.');
  return current;
}

/** Cosine between the query and each passage, computed in full so unnormalised embedders work too. */
export async function biEncoderScores(embedder: Embedder, query: string, passages: readonly string[]): Promise<Float32Array> {
  const { dim } = embedder.info;
  const q = await embedder.embed([query], 'query');
  const p = await embedder.embed(passages, 'passage');
  if (q.length !== dim || p.length !== passages.length * dim) {
    throw createError('DIMENSION_MISMATCH', 'The embedder returned vectors of an unexpected size.', {
      dim,
      query: q.length,
      passages: p.length,
    });
  }
  let qq = 0;
  for (let d = 0; d < dim; d++) qq += q[d] * q[d];
  const qNorm = Math.sqrt(qq);
  const scores = new Float32Array(passages.length);
  for (let i = 0; i < passages.length; i++) {
    const offset = i * dim;
    let dot = 0;
    let pp = 0;
    for (let d = 0; d < dim; d++) {
      const v = p[offset + d];
      dot += q[d] * v;
      pp += v * v;
    }
    const denom = qNorm * Math.sqrt(pp);
    scores[i] = denom > 0 ? dot / denom : 0;
  }
  return scores;
}

/** Indices by descending score; NaN sorts last; ties keep input order. */
function descendingOrder(scores: Float32Array): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  return order.sort((a, b) => key(b) - key(a) || a - b);
}
