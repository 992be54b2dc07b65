import type { EmbedPurpose, Embedder, EmbedderInfo } from '../engine/embedding/embedder';
import { createError } from '../engine/errors';
import { toLocalError } from './error-transfer';
import type { EmbedderHandle, InferenceApi } from './inference-api';

/** The inference-worker calls a remote embedder needs (a Comlink `Remote<InferenceApi>` has them). */
export type EmbedCalls = Pick<InferenceApi, 'embed' | 'release'>;

/**
 * An `Embedder` in the engine worker whose model runs in the inference
 * worker. `embed` is a message round trip (the vectors are transferred, not
 * copied); `countTokens` stays local and synchronous, as the chunker needs.
 */
export class RemoteEmbedder implements Embedder {
  readonly info: EmbedderInfo;
  readonly passageTokenBudget?: number;
  readonly countTokens?: (text: string) => number;
  /** How chunks are sized for this model, for diagnostics: its own tokens, or the chunker's approximation. */
  readonly tokenCounting: 'static' | 'tokenizer' | 'approximate';
  private readonly id: number;
  private disposed = false;

  constructor(
    private readonly calls: EmbedCalls,
    handle: EmbedderHandle,
    countTokens?: (text: string) => number,
  ) {
    this.id = handle.id;
    this.info = handle.info;
    if (handle.passageTokenBudget !== undefined) this.passageTokenBudget = handle.passageTokenBudget;
    // Only set when there is one: wrappers copy `countTokens` if it exists.
    if (countTokens) this.countTokens = countTokens;
    this.tokenCounting = countTokens && handle.tokens.kind !== 'none' ? handle.tokens.kind : 'approximate';
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    if (this.disposed) throw createError('EMBEDDING_FAILED', 'The embedder was disposed.');
    if (texts.length === 0) return new Float32Array(0);
    try {
      return await this.calls.embed(this.id, texts as string[], purpose);
    } catch (error) {
      throw toLocalError(error);
    }
  }

  /** Releases the session in the inference worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.calls.release(this.id).catch(() => {});
  }
}
