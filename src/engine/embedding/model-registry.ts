import { createError } from '../errors';
import type { SearchFeedback } from '../search/search-types';
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
  /**
   * Pseudo-relevance feedback hybrid search applies by default (the caller's
   * `SearchOptions.feedback` overrides it); none when absent.
   */
  feedback?: SearchFeedback;
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
    // Shipped in the app (public/models/sift-static-en-v1, 12.6 MB): nothing to download.
    sizes: { q8: 0 },
    extraBytes: 0,
    approximateSizes: false,
    defaultDtype: 'q8',
    dim: 256,
    // Chosen on SciFact (nDCG@10 0.1: 0.689, 0.15: 0.694, 0.2: 0.691), checked on
    // Cranfield (0.368 / 0.373 / 0.373) and ADI (0.499 / 0.498 / 0.495): all above BM25.
    fusionWeight: 0.15,
    // RM3 from the fused first pass (10 hits, 10 terms, λ 0.1); grid r ∈ {3,5,10} ×
    // λ ∈ {0.1,0.2,0.3} on SciFact, where the top two (λ 0.2: 0.6933, λ 0.1: 0.6921)
    // are within noise and the smaller weight was kept. SciFact 0.692 (0.694 without),
    // Cranfield 0.385 (0.373), ADI 0.506 (0.498); BM25 0.683 / 0.367 / 0.481.
    // Rocchio on the dense side lost on SciFact at every setting (scripts/eval-prf.ts).
    feedback: { lexical: { docs: 10, terms: 10, weight: 0.1 } },
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

/**
 * The dense weight hybrid search gives a model. A corpus-adapted model
 * (`<base>+adapt:<id>`, see adaptation/adapted-embedder.ts) keeps its base's
 * weight: measured on SciFact, Cranfield and ADI, a larger one did not pay
 * (see scripts/eval-adaptation.ts), and an unknown id's 0.5 would swamp BM25.
 */
export function fusionWeightFor(modelId: string): number {
  const cut = modelId.indexOf(ADAPTED_MARK);
  return findPreset(cut >= 0 ? modelId.slice(0, cut) : modelId)?.fusionWeight ?? DEFAULT_FUSION_WEIGHT;
}

/** The feedback hybrid search applies by default for a model (an adapted one keeps its base's). */
export function feedbackFor(modelId: string): SearchFeedback | undefined {
  const cut = modelId.indexOf(ADAPTED_MARK);
  return findPreset(cut >= 0 ? modelId.slice(0, cut) : modelId)?.feedback;
}

/** What AdaptedEmbedder puts between the base model's id and the adaptation's id. */
const ADAPTED_MARK = '+adapt:';

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

/**
 * What a user may change about an embedding model's vector space (the seed's
 * "custom BERT" knobs). Each field left out keeps the preset's value. Output
 * size is Matryoshka truncation only: there is no learned projection.
 */
export interface EmbeddingOptions {
  pooling?: 'mean' | 'cls';
  normalize?: boolean;
  /** Keep the first N dimensions; leave out for the model's full size. */
  truncateDim?: number;
  queryPrefix?: string;
  passagePrefix?: string;
}

/** The values a model starts from before the user's options (the UI shows these). */
export interface EmbeddingDefaults {
  pooling: 'mean' | 'cls';
  normalize: boolean;
  /** Full output size; undefined when only the loaded model can tell. */
  dim?: number;
  queryPrefix: string;
  passagePrefix: string;
}

/** Mean pooling and normalisation suit most sentence-embedding models without a preset. */
export const UNKNOWN_MODEL_DEFAULTS: Readonly<EmbeddingDefaults> = {
  pooling: 'mean',
  normalize: true,
  queryPrefix: '',
  passagePrefix: '',
};

const MAX_PREFIX_LENGTH = 500;

export function embeddingDefaults(modelId: string): EmbeddingDefaults {
  const preset = findPreset(modelId);
  if (preset?.task !== 'embedding' || preset.builtin || preset.pooling === 'none') return { ...UNKNOWN_MODEL_DEFAULTS };
  return {
    pooling: preset.pooling,
    normalize: preset.normalize,
    dim: preset.dim,
    queryPrefix: preset.queryPrefix,
    passagePrefix: preset.passagePrefix,
  };
}

/**
 * Checks user options for `modelId`; throws INVALID_ARGUMENT naming the model
 * and the field. `dim` is the model's full size when known (a preset's), so a
 * too-large truncation fails before anything downloads.
 */
export function validateEmbeddingOptions(modelId: string, options: EmbeddingOptions, dim?: number): void {
  const fail = (field: string, why: string, value: unknown): never => {
    throw createError('INVALID_ARGUMENT', `${modelId}: ${field} ${why}.`, { modelId, [field]: value });
  };
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object', options);
  const { pooling, normalize, truncateDim, queryPrefix, passagePrefix } = options;
  if (pooling !== undefined && pooling !== 'mean' && pooling !== 'cls') fail('pooling', 'must be "mean" or "cls"', pooling);
  if (normalize !== undefined && typeof normalize !== 'boolean') fail('normalize', 'must be true or false', normalize);
  if (truncateDim !== undefined) {
    if (typeof truncateDim !== 'number' || !Number.isInteger(truncateDim) || truncateDim < 1) {
      fail('truncateDim', 'must be a positive whole number', truncateDim);
    }
    if (dim !== undefined && truncateDim > dim) fail('truncateDim', `(${truncateDim}) exceeds the model's ${dim} dimensions`, truncateDim);
  }
  for (const [field, value] of [
    ['queryPrefix', queryPrefix],
    ['passagePrefix', passagePrefix],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') fail(field, 'must be text', value);
    else if (value.length > MAX_PREFIX_LENGTH) fail(field, `is longer than ${MAX_PREFIX_LENGTH} characters`, value.length);
  }
}

/**
 * The loader options for a Hub or folder model: its preset's vector space (or
 * UNKNOWN_MODEL_DEFAULTS), with the user's options laid over it. Validates first.
 */
export function resolveEmbedderOptions(modelId: string, options: EmbeddingOptions = {}): TransformersEmbedderOptions {
  const preset = findPreset(modelId);
  const known = preset?.task === 'embedding' && !preset.builtin && preset.pooling !== 'none';
  validateEmbeddingOptions(modelId, options, known ? preset.dim : undefined);
  const base: TransformersEmbedderOptions = known
    ? embedderOptionsFor(preset)
    : { modelId, dtype: 'q8', ...UNKNOWN_MODEL_DEFAULTS };
  // Copy field by field: undefined means "the default", and unknown keys never reach the loader.
  const merged: TransformersEmbedderOptions = { ...base };
  if (options.pooling !== undefined) merged.pooling = options.pooling;
  if (options.normalize !== undefined) merged.normalize = options.normalize;
  if (options.truncateDim !== undefined) merged.truncateDim = options.truncateDim;
  if (options.queryPrefix !== undefined) merged.queryPrefix = options.queryPrefix;
  if (options.passagePrefix !== undefined) merged.passagePrefix = options.passagePrefix;
  return merged;
}
