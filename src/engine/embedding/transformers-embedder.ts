import { AutoModel, AutoTokenizer, Tensor } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { createError, toEngineError } from '../errors';
import type { EmbedPurpose, Embedder, EmbedderInfo } from './embedder';
import { InferenceQueue } from './inference-queue';
import { adaptProgress } from './load-progress';
import type { ModelLoadProgressCallback } from './load-progress';
import { clsPoolRow, meanPoolRow, normalizeRow } from './pooling';
import { lengthSortedBatches, padBatch, truncateKeepingLast } from './token-batches';
import type { BatchLimits, TokenizedText } from './token-batches';

export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
export type ModelDevice = 'wasm' | 'webgpu' | 'cpu';

export interface TransformersEmbedderOptions {
  /** Hub id or a folder under `localModelPath` (see `configureTransformers`). */
  modelId: string;
  /** Which ONNX file: 'fp32' → model.onnx, 'q8' → model_quantized.onnx, ... Default 'q8'. */
  dtype?: ModelDtype;
  /** Default: 'cpu' in Node, 'wasm' elsewhere. */
  device?: ModelDevice;
  pooling?: 'mean' | 'cls';
  normalize?: boolean;
  queryPrefix?: string;
  passagePrefix?: string;
  /** Matryoshka: keep the first `truncateDim` dimensions (renormalised when `normalize`). */
  truncateDim?: number;
  /** Token limit per text, special tokens included; longer texts are cut. */
  maxLength?: number;
  maxBatchSize?: number;
  maxBatchTokens?: number;
  /** Share a queue with other models so they never run at the same time. */
  queue?: InferenceQueue;
  /** Marks random-weight test models (copied into `info.fixture`). */
  fixture?: boolean;
  progress?: ModelLoadProgressCallback;
}

/** Picks what the model returns per token: BERT-style exports name it differently. */
function tokenOutput(outputs: Record<string, unknown>): Tensor {
  const named = outputs.last_hidden_state ?? outputs.token_embeddings;
  if (named instanceof Tensor) return named;
  for (const value of Object.values(outputs)) {
    if (value instanceof Tensor && value.dims.length === 3) return value;
  }
  throw createError('EMBEDDING_FAILED', 'The model returned no per-token output to pool.', {
    outputs: Object.keys(outputs),
  });
}

function asFloat32(t: Tensor): Float32Array {
  const data = t.type === 'float32' ? t.data : t.to('float32').data;
  return data as Float32Array;
}

/** 'cpu' (onnxruntime-node) in Node, 'wasm' in browsers and workers. */
export function defaultDevice(): ModelDevice {
  // Read through globalThis: the engine is compiled without Node types.
  const g = globalThis as { process?: { release?: { name?: string } } };
  return g.process?.release?.name === 'node' ? 'cpu' : 'wasm';
}

/** Token limit: the requested one, capped by what the tokenizer and position table allow. */
export function resolveMaxLength(
  requested: number | undefined,
  tokenizerMax: number | undefined,
  config: Record<string, unknown>,
): number {
  const positions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
  // XLM-R style configs reserve 2 positions for the padding offset.
  const usable = config.model_type === 'xlm-roberta' ? positions - 2 : positions;
  const tok = tokenizerMax && tokenizerMax > 0 && tokenizerMax < 1e9 ? tokenizerMax : usable;
  return Math.max(2, Math.min(requested ?? tok, tok, usable));
}

/**
 * An `Embedder` backed by transformers.js: its tokenizer, and an ONNX
 * encoder run through onnxruntime (web or node). Pooling, normalisation,
 * prefixes, truncation and batching are done here rather than by the
 * `feature-extraction` pipeline, so padding can be cut by length-sorted batches
 * and the output is one Float32Array with no intermediate tensors.
 */
export class TransformersEmbedder implements Embedder {
  readonly info: EmbedderInfo;
  /** Tokens per text, special tokens included. */
  readonly maxLength: number;
  private readonly hiddenSize: number;
  private readonly limits: BatchLimits;
  private disposed = false;

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly queue: InferenceQueue,
    options: TransformersEmbedderOptions,
    hiddenSize: number,
  ) {
    this.hiddenSize = hiddenSize;
    const dim = options.truncateDim ?? hiddenSize;
    if (!Number.isInteger(dim) || dim < 1 || dim > hiddenSize) {
      throw createError('INVALID_ARGUMENT', `truncateDim must be 1..${hiddenSize}.`, { truncateDim: dim });
    }
    this.maxLength = resolveMaxLength(
      options.maxLength,
      tokenizer.model_max_length,
      model.config as unknown as Record<string, unknown>,
    );
    this.limits = {
      maxBatchSize: options.maxBatchSize ?? 32,
      maxBatchTokens: options.maxBatchTokens ?? 16384,
    };
    this.info = {
      modelId: options.modelId,
      dtype: options.dtype ?? 'q8',
      pooling: options.pooling ?? 'mean',
      normalize: options.normalize ?? true,
      dim,
      queryPrefix: options.queryPrefix ?? '',
      passagePrefix: options.passagePrefix ?? '',
      device: options.device ?? defaultDevice(),
      ...(options.fixture ? { fixture: true } : {}),
    };
  }

  /** Loads the tokenizer and the ONNX model; rejects with `MODEL_LOAD_FAILED`. */
  static async create(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const progress_callback = adaptProgress(options.modelId, options.progress);
    let tokenizer: PreTrainedTokenizer;
    let model: PreTrainedModel;
    try {
      [tokenizer, model] = await Promise.all([
        AutoTokenizer.from_pretrained(options.modelId, { progress_callback }),
        AutoModel.from_pretrained(options.modelId, {
          dtype: options.dtype ?? 'q8',
          device: options.device ?? defaultDevice(),
          progress_callback,
        }),
      ]);
    } catch (error) {
      const e = toEngineError(error, 'MODEL_LOAD_FAILED');
      throw e.code === 'CANCELLED' ? e : createError('MODEL_LOAD_FAILED', e.message, { modelId: options.modelId });
    }
    const config = model.config as unknown as Record<string, unknown>;
    const hidden = [config.hidden_size, config.d_model, config.dim].find((v) => typeof v === 'number');
    try {
      const queue = options.queue ?? new InferenceQueue();
      if (typeof hidden === 'number') return new TransformersEmbedder(tokenizer, model, queue, options, hidden);
      // No size in the config: find it by running the model once.
      const probe = new TransformersEmbedder(tokenizer, model, queue, { ...options, truncateDim: 1 }, 1);
      const size = await probe.hiddenSizeByProbe();
      return new TransformersEmbedder(tokenizer, model, queue, options, size);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Tokens `text` takes, without special tokens or prefix (what a chunker budgets). */
  countTokens(text: string): number {
    return this.tokenizer.encode(text, { add_special_tokens: false }).length;
  }

  /** Tokens left for a passage's own text once special tokens and the passage prefix are counted. */
  get passageTokenBudget(): number {
    const specials = this.tokenizer.encode('').length;
    const prefix = this.info.passagePrefix ? this.countTokens(this.info.passagePrefix) : 0;
    return Math.max(1, this.maxLength - specials - prefix);
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    if (this.disposed) throw createError('EMBEDDING_FAILED', 'The embedder was disposed.');
    const { dim } = this.info;
    const out = new Float32Array(texts.length * dim);
    if (texts.length === 0) return out;
    const prefix = purpose === 'query' ? this.info.queryPrefix : this.info.passagePrefix;
    let tokenized: TokenizedText[];
    try {
      tokenized = texts.map((t) =>
        truncateKeepingLast({ ids: this.tokenizer.encode(prefix + t) }, this.maxLength),
      );
    } catch (error) {
      throw toEngineError(error, 'EMBEDDING_FAILED');
    }
    const lengths = Uint32Array.from(tokenized, (t) => t.ids.length);
    const padId = this.tokenizer.pad_token_id ?? 0;
    for (const batch of lengthSortedBatches(lengths, this.limits)) {
      const padded = padBatch(tokenized, batch, padId);
      const hidden = await this.queue.run(() => this.forward(padded));
      for (let r = 0; r < padded.rows; r++) {
        const offset = batch[r] * dim;
        if (this.info.pooling === 'cls') {
          clsPoolRow(hidden, r, padded.columns, this.hiddenSize, out, offset, dim);
        } else {
          meanPoolRow(hidden, padded.attentionMask, r, padded.columns, this.hiddenSize, out, offset, dim);
        }
        if (this.info.normalize) normalizeRow(out, offset, dim);
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Let queued batches finish before the session goes away under them.
    await this.queue.idle();
    await this.model.dispose();
  }

  private async forward(padded: ReturnType<typeof padBatch>): Promise<Float32Array> {
    const dims = [padded.rows, padded.columns];
    const feeds: Record<string, Tensor> = {
      input_ids: new Tensor('int64', padded.inputIds, dims),
      attention_mask: new Tensor('int64', padded.attentionMask, dims),
    };
    // token_type_ids is left out: transformers.js fills zeros when the session wants it.
    let outputs: Record<string, unknown>;
    try {
      outputs = (await this.model(feeds)) as Record<string, unknown>;
    } catch (error) {
      throw toEngineError(error, 'EMBEDDING_FAILED');
    }
    const hidden = tokenOutput(outputs);
    if (hidden.dims[0] !== padded.rows || hidden.dims[1] !== padded.columns) {
      throw createError('EMBEDDING_FAILED', 'Unexpected output shape from the model.', { dims: hidden.dims });
    }
    if (hidden.dims[2] !== this.hiddenSize && this.hiddenSize !== 1) {
      throw createError('DIMENSION_MISMATCH', 'The model output size differs from its config.', {
        expected: this.hiddenSize,
        actual: hidden.dims[2],
      });
    }
    return asFloat32(hidden);
  }

  private async hiddenSizeByProbe(): Promise<number> {
    const padded = padBatch([{ ids: this.tokenizer.encode('a') }], [0], 0);
    const dims = [padded.rows, padded.columns];
    const outputs = (await this.queue.run(() =>
      this.model({
        input_ids: new Tensor('int64', padded.inputIds, dims),
        attention_mask: new Tensor('int64', padded.attentionMask, dims),
      }),
    )) as Record<string, unknown>;
    return tokenOutput(outputs).dims[2];
  }
}
