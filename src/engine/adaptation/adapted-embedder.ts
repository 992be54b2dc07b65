/**
 * An embedder whose vectors carry the collection's adapted word vectors next
 * to the base model's: concat(√(1−w)·base, √w·adapted), L2-normalised.
 *
 * The adapted part is the normalised SIF-weighted sum (Arora et al. 2017,
 * weight a / (a + p(w)) with p(w) the word's share of the collection) of the
 * adapted vectors of a text's in-vocabulary words (tokens from
 * `staticTokens`, as in training); adaptations stored without counts are
 * pooled unweighted. Both parts
 * are unit length before weighting, so cosine on the result is
 * (1−w)·cos(base) + w·cos(adapted) whenever both texts have known words.
 * A text with no known word gets a zero adapted part.
 *
 * The base model is borrowed, not owned: `dispose()` leaves it alone, because
 * whoever built the base (the worker) keeps using it for other collections.
 */
import { createError } from '../errors';
import type { EmbedPurpose, Embedder, EmbedderInfo } from '../embedding/embedder';
import { staticTokens } from '../embedding/static-tokenizer';
import type { AdaptedVectors } from './corpus-trainer';
import { adaptedRowIndex } from './similar-words';

export interface AdaptedEmbedderOptions {
  /** Share of the adapted part, in [0, 1]. Default 0.5. */
  weight?: number;
  /** SIF's `a`; 0 pools the words unweighted. Default 1e-3. */
  sifA?: number;
  /** Stable id of this adaptation, part of `info.modelId` (so the vector space key changes with it). Default: a hash of the vectors. */
  id?: string;
}

export class AdaptedEmbedder implements Embedder {
  readonly info: EmbedderInfo;
  readonly countTokens?: (text: string) => number;
  private readonly baseScale: number;
  private readonly adaptedScale: number;
  private readonly rows: Map<string, number>;
  /** SIF weight of each adapted word; all 1 without counts. */
  private readonly weights: Float32Array;

  constructor(
    private readonly base: Embedder,
    private readonly adapted: AdaptedVectors,
    options: AdaptedEmbedderOptions = {},
  ) {
    const weight = options.weight ?? 0.5;
    if (!(weight >= 0 && weight <= 1)) {
      throw createError('INVALID_ARGUMENT', 'Adaptation weight must be between 0 and 1.', { weight });
    }
    this.baseScale = Math.sqrt(1 - weight);
    this.adaptedScale = Math.sqrt(weight);
    this.rows = adaptedRowIndex(adapted);
    this.weights = sifWeights(adapted, options.sifA ?? DEFAULT_SIF_A);
    const id = options.id ?? contentId(adapted);
    this.info = {
      ...base.info,
      modelId: `${base.info.modelId}+adapt:${id}`,
      dim: base.info.dim + adapted.dim,
      normalize: true,
    };
    if (base.countTokens) this.countTokens = (text) => base.countTokens!(text);
  }

  get passageTokenBudget(): number | undefined {
    return this.base.passageTokenBudget;
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    const baseDim = this.base.info.dim;
    const adaptedDim = this.adapted.dim;
    const dim = baseDim + adaptedDim;
    const baseVectors = await this.base.embed(texts, purpose);
    if (baseVectors.length !== texts.length * baseDim) {
      throw createError('DIMENSION_MISMATCH', 'Base embedder returned the wrong number of values.', {
        expected: texts.length * baseDim,
        got: baseVectors.length,
      });
    }
    const out = new Float32Array(texts.length * dim);
    const mean = new Float64Array(adaptedDim);
    const vectors = this.adapted.vectors;
    for (let t = 0; t < texts.length; t++) {
      const row = t * dim;
      let baseNorm = 0;
      for (let d = 0; d < baseDim; d++) baseNorm += baseVectors[t * baseDim + d] ** 2;
      const baseInv = baseNorm > 0 ? this.baseScale / Math.sqrt(baseNorm) : 0;
      for (let d = 0; d < baseDim; d++) out[row + d] = baseVectors[t * baseDim + d] * baseInv;

      mean.fill(0);
      let known = 0;
      for (const token of staticTokens(texts[t])) {
        const r = this.rows.get(token);
        if (r === undefined) continue;
        known++;
        const w = this.weights[r];
        for (let d = 0; d < adaptedDim; d++) mean[d] += w * vectors[r * adaptedDim + d];
      }
      if (known > 0) {
        let norm = 0;
        for (let d = 0; d < adaptedDim; d++) norm += mean[d] * mean[d];
        const inv = norm > 0 ? this.adaptedScale / Math.sqrt(norm) : 0;
        for (let d = 0; d < adaptedDim; d++) out[row + baseDim + d] = mean[d] * inv;
      }

      // Renormalise: a text missing either part would otherwise be shorter than 1.
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += out[row + d] * out[row + d];
      if (norm > 0 && Math.abs(norm - 1) > 1e-6) {
        const inv = 1 / Math.sqrt(norm);
        for (let d = 0; d < dim; d++) out[row + d] *= inv;
      }
    }
    return out;
  }

  /** Releases nothing: the base embedder belongs to the caller, who disposes it. */
  async dispose(): Promise<void> {}
}

const DEFAULT_SIF_A = 1e-3;

function sifWeights(adapted: AdaptedVectors, a: number): Float32Array {
  const n = adapted.words.length;
  const counts = adapted.counts;
  if (!(a >= 0)) throw createError('INVALID_ARGUMENT', 'SIF a must be ≥ 0.', { a });
  if (!counts || counts.length !== n || a === 0) return new Float32Array(n).fill(1);
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i];
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) weights[i] = total > 0 ? a / (a + counts[i] / total) : 1;
  return weights;
}

/** Short hex FNV-1a of the vectors' bytes and the word list, so equal tables get equal ids. */
function contentId(adapted: AdaptedVectors): string {
  let h = 0x811c9dc5;
  const bytes = new Uint8Array(adapted.vectors.buffer, adapted.vectors.byteOffset, adapted.vectors.byteLength);
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  for (const w of adapted.words) for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  for (const c of adapted.counts ?? []) h = Math.imul(h ^ c, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
