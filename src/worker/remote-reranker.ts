import type { Reranker, RerankerInfo } from '../engine/embedding/reranker';
import { createError } from '../engine/errors';
import { toLocalError } from './error-transfer';
import type { InferenceApi, RerankerHandle } from './inference-api';

export type ScoreCalls = Pick<InferenceApi, 'score' | 'release'>;

/** A `Reranker` in the engine worker whose cross-encoder runs in the inference worker. */
export class RemoteReranker implements Reranker {
  readonly info: RerankerInfo;
  private readonly id: number;
  private disposed = false;

  constructor(
    private readonly calls: ScoreCalls,
    handle: RerankerHandle,
  ) {
    this.id = handle.id;
    this.info = handle.info;
  }

  async score(query: string, passages: readonly string[]): Promise<Float32Array> {
    if (this.disposed) throw createError('EMBEDDING_FAILED', 'The reranker was disposed.');
    if (passages.length === 0) return new Float32Array(0);
    try {
      return await this.calls.score(this.id, query, passages as string[]);
    } catch (error) {
      throw toLocalError(error);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.calls.release(this.id).catch(() => {});
  }
}
