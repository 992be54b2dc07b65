import { AutoModel, AutoTokenizer, Tensor } from '@huggingface/transformers';
import type { PreTrainedModel } from '@huggingface/transformers';
import { createError, toEngineError } from '../errors';
import type { EmbedPurpose, Embedder, EmbedderInfo } from './embedder';
import { InferenceQueue } from './inference-queue';
import { adaptProgress } from './load-progress';
import type { ModelLoadProgressCallback } from './load-progress';
import { normalizeRow } from './pooling';
import { parseStaticConfig, StaticTokenizer, staticTokens } from './static-tokenizer';
import type { StaticBatch } from './static-tokenizer';
import { configureTransformers } from './transformers-env';
import { defaultDevice } from './transformers-embedder';
import type { ModelDevice } from './transformers-embedder';

import { DEFAULT_STATIC_MODEL_ID } from './embedded-models';

export { DEFAULT_STATIC_MODEL_ID };

export interface StaticEmbedderOptions {
  /** Folder under transformers.js's `localModelPath` (or a Hub id). Default `sift-static-en-v1`. */
  modelId?: string;
  /**
   * Sets transformers.js's `localModelPath` (and allows local models) through
   * `configureTransformers` before loading. Leave it out when the app has
   * configured transformers.js already.
   */
  localModelPath?: string;
  /** Default: 'cpu' in Node, 'wasm' elsewhere. */
  device?: ModelDevice;
  /** Texts per model call. Default 64. */
  maxBatchSize?: number;
  /** Share a queue with other models so they never run at the same time. */
  queue?: InferenceQueue;
  progress?: ModelLoadProgressCallback;
}

interface Loaded {
  model: PreTrainedModel;
  tokenizer: StaticTokenizer;
  dim: number;
}

/**
 * The built-in static embedder: fastText-style word and char n-gram vectors,
 * SIF-weighted, with the common component removed (Arora et al. 2017).
 * Tokenisation and n-gram hashing run here; the ONNX model is only an
 * EmbeddingBag over int8 rows (`input_ids`, `offsets` → one vector per bag), run
 * through transformers.js like every other model. Each distinct word of a batch
 * is one bag; sentence pooling, normalisation and component removal are cheap
 * and done here, so the graph stays a plain table lookup.
 */
export class StaticEmbedder implements Embedder {
  readonly info: EmbedderInfo;
  readonly tokenizer: StaticTokenizer;
  private readonly model: PreTrainedModel;
  private readonly queue: InferenceQueue;
  private readonly maxBatchSize: number;
  private disposed = false;

  private constructor(loaded: Loaded, modelId: string, options: StaticEmbedderOptions) {
    this.model = loaded.model;
    this.tokenizer = loaded.tokenizer;
    this.queue = options.queue ?? new InferenceQueue();
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 64);
    this.info = {
      modelId,
      dtype: 'q8',
      pooling: 'mean',
      normalize: true,
      dim: loaded.dim,
      queryPrefix: '',
      passagePrefix: '',
      device: options.device ?? defaultDevice(),
    };
  }

  /** Loads the vocabulary, config and int8 ONNX table; rejects with `MODEL_LOAD_FAILED`. */
  static async create(options: StaticEmbedderOptions = {}): Promise<StaticEmbedder> {
    const modelId = options.modelId ?? DEFAULT_STATIC_MODEL_ID;
    if (options.localModelPath !== undefined) {
      configureTransformers({ localModelPath: options.localModelPath, allowLocalModels: true });
    }
    const progress_callback = adaptProgress(modelId, options.progress);
    let model: PreTrainedModel;
    let vocab: Map<string, number>;
    try {
      const [tok, m] = await Promise.all([
        AutoTokenizer.from_pretrained(modelId, { progress_callback }),
        // The table is int8 already; the file is model_quantized.onnx, so 'q8' picks it.
        AutoModel.from_pretrained(modelId, {
          dtype: 'q8',
          device: options.device ?? defaultDevice(),
          progress_callback,
        }),
      ]);
      model = m;
      vocab = tok.get_vocab();
    } catch (error) {
      const e = toEngineError(error, 'MODEL_LOAD_FAILED');
      throw e.code === 'CANCELLED' ? e : createError('MODEL_LOAD_FAILED', e.message, { modelId });
    }
    try {
      const config = model.config as unknown as Record<string, unknown>;
      const dim = config.hidden_size;
      if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
        throw new TypeError('config.hidden_size is missing');
      }
      const tokenizer = new StaticTokenizer(vocab, parseStaticConfig(config.sift_static, dim));
      return new StaticEmbedder({ model, tokenizer, dim }, modelId, options);
    } catch (error) {
      await model.dispose();
      const message = error instanceof Error ? error.message : String(error);
      throw createError('MODEL_LOAD_FAILED', `Not a static embedding model: ${message}`, { modelId });
    }
  }

  /** Word tokens the model sees in `text` (what a chunker budgets). */
  countTokens(text: string): number {
    return staticTokens(text).length;
  }

  /** Same vectors for queries and passages: the model has no prefixes. Text with no words gives zeros. */
  async embed(texts: readonly string[], _purpose: EmbedPurpose): Promise<Float32Array> {
    if (this.disposed) throw createError('EMBEDDING_FAILED', 'The embedder was disposed.');
    const { dim } = this.info;
    const out = new Float32Array(texts.length * dim);
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      const end = Math.min(texts.length, start + this.maxBatchSize);
      let batch: StaticBatch;
      try {
        batch = this.tokenizer.encodeBatch(texts.slice(start, end));
      } catch (error) {
        throw toEngineError(error, 'EMBEDDING_FAILED');
      }
      if (batch.offsets.length === 0) continue;
      const bags = await this.queue.run(() => this.forward(batch));
      this.pool(batch, bags, out, start * dim);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.idle();
    await this.model.dispose();
  }

  /** Sums each text's word vectors, removes the common component, L2-normalises. */
  private pool(batch: StaticBatch, bags: Float32Array, out: Float32Array, outStart: number): void {
    const { dim } = this.info;
    const { oovWeight, commonComponent: u } = this.tokenizer.config;
    // Out-of-vocabulary bags are means of n-gram rows: scale them like in-vocabulary rows.
    for (let b = 0; b < batch.oov.length; b++) {
      if (!batch.oov[b]) continue;
      normalizeRow(bags, b * dim, dim);
      for (let d = 0; d < dim; d++) bags[b * dim + d] *= oovWeight;
    }
    const acc = new Float64Array(dim);
    const texts = batch.textStarts.length - 1;
    for (let t = 0; t < texts; t++) {
      const from = batch.textStarts[t];
      const to = batch.textStarts[t + 1];
      if (from === to) continue;
      acc.fill(0);
      for (let i = from; i < to; i++) {
        const base = batch.tokenBags[i] * dim;
        for (let d = 0; d < dim; d++) acc[d] += bags[base + d];
      }
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += acc[d] * u[d];
      const offset = outStart + t * dim;
      for (let d = 0; d < dim; d++) out[offset + d] = acc[d] - dot * u[d];
      normalizeRow(out, offset, dim);
    }
  }

  private async forward(batch: StaticBatch): Promise<Float32Array> {
    const feeds = {
      input_ids: new Tensor('int64', batch.ids, [batch.ids.length]),
      offsets: new Tensor('int64', batch.offsets, [batch.offsets.length]),
    };
    let outputs: Record<string, unknown>;
    try {
      outputs = (await this.model(feeds)) as Record<string, unknown>;
    } catch (error) {
      throw toEngineError(error, 'EMBEDDING_FAILED');
    }
    const emb = outputs.embeddings;
    if (!(emb instanceof Tensor) || emb.dims[0] !== batch.offsets.length || emb.dims[1] !== this.info.dim) {
      throw createError('EMBEDDING_FAILED', 'Unexpected output from the static model.', {
        dims: emb instanceof Tensor ? emb.dims : null,
      });
    }
    // Copy: pooling edits the rows in place and the tensor may be backed by onnxruntime memory.
    return Float32Array.from(emb.data as Float32Array);
  }
}
