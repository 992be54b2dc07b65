/**
 * What the rest of the engine knows about an embedding model. Everything that
 * changes the vector space is in `EmbedderInfo`, and `vectorSpaceKey` turns it
 * into the key every stored vector carries, so vectors from two models are
 * never mixed in one index.
 */
export type Pooling = 'mean' | 'cls' | 'none';
export type EmbedPurpose = 'query' | 'passage';

export interface EmbedderInfo {
  modelId: string;
  dtype: string;
  pooling: Pooling;
  normalize: boolean;
  dim: number;
  queryPrefix: string;
  passagePrefix: string;
  /** Where inference runs: 'wasm', 'webgpu', 'cpu' (Node), or 'js'. */
  device: string;
  /** True only for the random-weight test fixtures. */
  fixture?: boolean;
}

export interface Embedder {
  readonly info: EmbedderInfo;
  /** Returns `texts.length * info.dim` values, row-major. */
  embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array>;
  /** Tokens the model sees for a passage, so chunks are sized in the model's own units. */
  countTokens?(text: string): number;
  /** The most tokens of a passage the model reads; longer chunks would be cut. */
  readonly passageTokenBudget?: number;
  dispose(): Promise<void>;
}

export function vectorSpaceKey(info: EmbedderInfo): string {
  return [
    info.modelId,
    info.dtype,
    info.pooling,
    info.normalize ? 'norm' : 'raw',
    info.dim,
    JSON.stringify(info.queryPrefix),
    JSON.stringify(info.passagePrefix),
  ].join('|');
}
