import { AutoModelForSequenceClassification, AutoTokenizer, Tensor } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { createError, toEngineError } from '../errors';
import { InferenceQueue } from './inference-queue';
import { adaptProgress } from './load-progress';
import type { ModelLoadProgressCallback } from './load-progress';
import type { Reranker, RerankerInfo } from './reranker';
import { lengthSortedBatches, padBatch, truncateKeepingLast } from './token-batches';
import type { BatchLimits, TokenizedText } from './token-batches';
import { defaultDevice, resolveMaxLength } from './transformers-embedder';
import type { ModelDevice, ModelDtype } from './transformers-embedder';

export interface TransformersRerankerOptions {
  modelId: string;
  /** Default 'q8'. */
  dtype?: ModelDtype;
  device?: ModelDevice;
  /** Tokens per (query, passage) pair, special tokens included. */
  maxLength?: number;
  maxBatchSize?: number;
  maxBatchTokens?: number;
  /** 'sigmoid' maps logits to 0..1; ranking is the same either way. Default 'none'. */
  activation?: 'none' | 'sigmoid';
  queue?: InferenceQueue;
  progress?: ModelLoadProgressCallback;
}

/**
 * A `Reranker` backed by a transformers.js sequence-classification model with
 * one output (ms-marco cross-encoders, mxbai-rerank). The score is its logit.
 */
export class TransformersReranker implements Reranker {
  readonly info: RerankerInfo;
  readonly maxLength: number;
  private readonly limits: BatchLimits;
  private readonly activation: 'none' | 'sigmoid';
  private disposed = false;

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly queue: InferenceQueue,
    options: TransformersRerankerOptions,
  ) {
    this.info = { modelId: options.modelId, dtype: options.dtype ?? 'q8' };
    this.maxLength = resolveMaxLength(
      options.maxLength,
      tokenizer.model_max_length,
      model.config as unknown as Record<string, unknown>,
    );
    this.limits = { maxBatchSize: options.maxBatchSize ?? 16, maxBatchTokens: options.maxBatchTokens ?? 8192 };
    this.activation = options.activation ?? 'none';
  }

  static async create(options: TransformersRerankerOptions): Promise<TransformersReranker> {
    const progress_callback = adaptProgress(options.modelId, options.progress);
    try {
      const [tokenizer, model] = await Promise.all([
        AutoTokenizer.from_pretrained(options.modelId, { progress_callback }),
        AutoModelForSequenceClassification.from_pretrained(options.modelId, {
          dtype: options.dtype ?? 'q8',
          device: options.device ?? defaultDevice(),
          progress_callback,
        }),
      ]);
      return new TransformersReranker(tokenizer, model, options.queue ?? new InferenceQueue(), options);
    } catch (error) {
      const e = toEngineError(error, 'MODEL_LOAD_FAILED');
      throw e.code === 'CANCELLED' ? e : createError('MODEL_LOAD_FAILED', e.message, { modelId: options.modelId });
    }
  }

  async score(query: string, passages: readonly string[]): Promise<Float32Array> {
    if (this.disposed) throw createError('EMBEDDING_FAILED', 'The reranker was disposed.');
    const scores = new Float32Array(passages.length);
    if (passages.length === 0) return scores;
    let pairs: TokenizedText[];
    try {
      pairs = passages.map((passage) => {
        const enc = this.tokenizer(query, { text_pair: passage, return_tensor: false }) as unknown as {
          input_ids: number[];
          token_type_ids?: number[];
        };
        return truncateKeepingLast({ ids: enc.input_ids, typeIds: enc.token_type_ids }, this.maxLength);
      });
    } catch (error) {
      throw toEngineError(error, 'EMBEDDING_FAILED');
    }
    const lengths = Uint32Array.from(pairs, (p) => p.ids.length);
    const padId = this.tokenizer.pad_token_id ?? 0;
    for (const batch of lengthSortedBatches(lengths, this.limits)) {
      const padded = padBatch(pairs, batch, padId);
      const logits = await this.queue.run(() => this.forward(padded));
      const labels = logits.length / padded.rows;
      for (let r = 0; r < padded.rows; r++) {
        // One label: its logit. Several: the last ("relevant") one.
        const logit = logits[r * labels + labels - 1];
        scores[batch[r]] = this.activation === 'sigmoid' ? 1 / (1 + Math.exp(-logit)) : logit;
      }
    }
    return scores;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.idle();
    await this.model.dispose();
  }

  private async forward(padded: ReturnType<typeof padBatch>): Promise<Float32Array> {
    const dims = [padded.rows, padded.columns];
    const feeds: Record<string, Tensor> = {
      input_ids: new Tensor('int64', padded.inputIds, dims),
      attention_mask: new Tensor('int64', padded.attentionMask, dims),
    };
    if (padded.tokenTypeIds) feeds.token_type_ids = new Tensor('int64', padded.tokenTypeIds, dims);
    try {
      const out = (await this.model(feeds)) as { logits?: Tensor };
      if (!(out.logits instanceof Tensor)) throw new Error('The model returned no logits.');
      const t = out.logits.type === 'float32' ? out.logits : out.logits.to('float32');
      return t.data as Float32Array;
    } catch (error) {
      throw toEngineError(error, 'EMBEDDING_FAILED');
    }
  }
}
