import { createError } from '../errors';
import type { Pooling } from './embedder';
import type { ModelDtype, TransformersEmbedderOptions } from './transformers-embedder';
import type { TransformersRerankerOptions } from './transformers-reranker';

/**
 * The models Sift knows how to run, with what must be known before the first
 * download: the vector space settings (pooling, prefixes, dimension) and the
 * download size per dtype, so the UI can ask before fetching 100+ MB.
 *
 * Sizes of Hub models are approximate (from the Hub file listings, rounded;
 * `approximateSizes: true`): show them as "about N MB". Fixture sizes are the
 * real files under public/models/fixtures/.
 */

const MB = 1_000_000;

interface PresetBase {
  /**
   * Dense weight in hybrid fusion (BM25 gets the rest). A strong sentence
   * model earns more weight than the static one; see DEFAULT_FUSION_WEIGHT.
   */
  fusionWeight?: number;
  id: string;
  label: string;
  description: string;
  /** ONNX file size in bytes per dtype (model.onnx, model_fp16.onnx, model_quantized.onnx). */
  sizes: Partial<Record<ModelDtype, number>>;
  /** tokenizer.json + configs, downloaded whatever the dtype. */
  extraBytes: number;
  approximateSizes: boolean;
  defaultDtype: ModelDtype;
  /** Tokens per input, special tokens included (what the model was trained with). */
  maxLength: number;
  languages: 'en' | 'multilingual';
  license: string;
  /** Ships inside the app; no download, loaded by its own embedder. */
  builtin?: boolean;
  /** Random-weight test model: never offered to users as a semantic model. */
  fixture?: boolean;
}

export interface EmbeddingModelPreset extends PresetBase {
  task: 'embedding';
  dim: number;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  passagePrefix: string;
}

export interface RerankerModelPreset extends PresetBase {
  task: 'rerank';
}

export type ModelPreset = EmbeddingModelPreset | RerankerModelPreset;

const BERT_TOKENIZER_BYTES = 0.75 * MB;

const bertSmall = {
  sizes: { fp32: 133 * MB, fp16: 67 * MB, q8: 34 * MB },
  extraBytes: BERT_TOKENIZER_BYTES,
  approximateSizes: true,
  defaultDtype: 'q8',
  dim: 384,
  maxLength: 512,
  normalize: true,
  languages: 'en',
} as const;

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    task: 'embedding',
    // Must equal StaticEmbedder's DEFAULT_STATIC_MODEL_ID (checked by a test): it is the vector-space key.
    id: 'sift-static-en-v1',
    label: 'Sift static (built in)',
    description: 'Small static word-vector model shipped with the app: works offline, instantly.',
    // Shipped in the app (public/models/sift-static-en-v1, 9.6 MB): nothing to download.
    sizes: { q8: 0 },
    extraBytes: 0,
    approximateSizes: false,
    defaultDtype: 'q8',
    dim: 192,
    // Chosen on SciFact (0.1: 0.689 vs 0.2: 0.688, 0.3 lower), checked on Cranfield and ADI (both above BM25).
    fusionWeight: 0.1,
    maxLength: 512,
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    passagePrefix: '',
    languages: 'en',
    license: 'see model card',
    builtin: true,
  },
  {
    task: 'embedding',
    id: 'Xenova/all-MiniLM-L6-v2',
    label: 'all-MiniLM-L6-v2',
    description: 'Fast, small English sentence embeddings (6 layers).',
    sizes: { fp32: 90 * MB, fp16: 45 * MB, q8: 23 * MB },
    extraBytes: BERT_TOKENIZER_BYTES,
    approximateSizes: true,
    defaultDtype: 'q8',
    dim: 384,
    // sentence-transformers trained and truncates it at 256 tokens.
    maxLength: 256,
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    passagePrefix: '',
    languages: 'en',
    license: 'apache-2.0',
  },
  {
    ...bertSmall,
    task: 'embedding',
    id: 'Xenova/bge-small-en-v1.5',
    label: 'BGE small en v1.5',
    description: 'Strong small English retrieval model (12 layers).',
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    passagePrefix: '',
    license: 'mit',
  },
  {
    ...bertSmall,
    task: 'embedding',
    id: 'Xenova/e5-small-v2',
    label: 'E5 small v2',
    description: 'Small English retrieval model (12 layers); needs query/passage prefixes.',
    pooling: 'mean',
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    license: 'mit',
  },
  {
    ...bertSmall,
    task: 'embedding',
    id: 'Xenova/gte-small',
    label: 'GTE small',
    description: 'Small general-purpose English embeddings (12 layers), no prefixes.',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    license: 'mit',
  },
  {
    task: 'embedding',
    id: 'Xenova/multilingual-e5-small',
    label: 'Multilingual E5 small',
    description: '100 languages; large download because of its 250k-token vocabulary.',
    sizes: { fp32: 470 * MB, fp16: 235 * MB, q8: 118 * MB },
    extraBytes: 17 * MB,
    approximateSizes: true,
    defaultDtype: 'q8',
    dim: 384,
    maxLength: 512,
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    languages: 'multilingual',
    license: 'mit',
  },
  {
    task: 'rerank',
    id: 'Xenova/ms-marco-MiniLM-L-6-v2',
    label: 'MS MARCO MiniLM L6 cross-encoder',
    description: 'Fast English reranker for the top results.',
    sizes: { fp32: 91 * MB, fp16: 46 * MB, q8: 23 * MB },
    extraBytes: BERT_TOKENIZER_BYTES,
    approximateSizes: true,
    defaultDtype: 'q8',
    maxLength: 512,
    languages: 'en',
    license: 'apache-2.0',
  },
  {
    task: 'rerank',
    id: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    label: 'mxbai rerank xsmall v1',
    description: 'DeBERTa-v3 xsmall reranker; more accurate, slower and larger.',
    sizes: { fp32: 284 * MB, fp16: 142 * MB, q8: 87 * MB },
    extraBytes: 8.5 * MB,
    approximateSizes: true,
    defaultDtype: 'q8',
    maxLength: 512,
    languages: 'en',
    license: 'apache-2.0',
  },
  {
    task: 'embedding',
    id: 'fixtures/tiny-bert-embed',
    label: 'Test fixture: tiny BERT embedder (random weights)',
    description: 'Random weights, for tests only. Its vectors mean nothing.',
    sizes: { fp32: 394_842, q8: 134_250 },
    extraBytes: 40_000,
    approximateSizes: false,
    defaultDtype: 'q8',
    dim: 32,
    maxLength: 512,
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    passagePrefix: '',
    languages: 'en',
    license: 'test fixture',
    fixture: true,
  },
  {
    task: 'rerank',
    id: 'fixtures/tiny-bert-rerank',
    label: 'Test fixture: tiny BERT cross-encoder (random weights)',
    description: 'Random weights, for tests only. Its scores mean nothing.',
    sizes: { fp32: 403_981, q8: 144_431 },
    extraBytes: 40_000,
    approximateSizes: false,
    defaultDtype: 'q8',
    maxLength: 512,
    languages: 'en',
    license: 'test fixture',
    fixture: true,
  },
];

/**
 * For models without a measured weight: the probe notes found a weighted sum
 * never hurt at 0.2-0.3 even with a weak model, and strong sentence models
 * carry more of the ranking, so an even split is the starting point.
 */
export const DEFAULT_FUSION_WEIGHT = 0.5;

/** The dense weight hybrid search gives a model. */
export function fusionWeightFor(modelId: string): number {
  return findPreset(modelId)?.fusionWeight ?? DEFAULT_FUSION_WEIGHT;
}

export function findPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id);
}

/** Presets to show users: never the fixtures. */
export function userPresets(task?: ModelPreset['task']): ModelPreset[] {
  return MODEL_PRESETS.filter((p) => !p.fixture && (task === undefined || p.task === task));
}

/** Bytes to fetch before first use (0 for built-in), or undefined if that dtype is not published. */
export function downloadBytes(preset: ModelPreset, dtype: ModelDtype = preset.defaultDtype): number | undefined {
  if (preset.builtin) return 0;
  const model = preset.sizes[dtype];
  return model === undefined ? undefined : model + preset.extraBytes;
}

type EmbedderOverrides = Omit<TransformersEmbedderOptions, 'modelId' | 'pooling' | 'queryPrefix' | 'passagePrefix'>;

/** Options that reproduce the preset's vector space in `TransformersEmbedder.create`. */
export function embedderOptionsFor(
  preset: EmbeddingModelPreset,
  overrides: EmbedderOverrides = {},
): TransformersEmbedderOptions {
  if (preset.builtin || preset.pooling === 'none') {
    throw createError('UNSUPPORTED_OPERATION', `${preset.id} is loaded by its own embedder (StaticEmbedder).`, {
      modelId: preset.id,
    });
  }
  return {
    modelId: preset.id,
    dtype: preset.defaultDtype,
    normalize: preset.normalize,
    maxLength: preset.maxLength,
    ...overrides,
    pooling: preset.pooling,
    queryPrefix: preset.queryPrefix,
    passagePrefix: preset.passagePrefix,
    ...(preset.fixture ? { fixture: true } : {}),
  };
}

export function rerankerOptionsFor(
  preset: RerankerModelPreset,
  overrides: Omit<TransformersRerankerOptions, 'modelId'> = {},
): TransformersRerankerOptions {
  return { modelId: preset.id, dtype: preset.defaultDtype, maxLength: preset.maxLength, ...overrides };
}
