import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { chooseDevice, detectWebGpu, type DeviceChoiceMemo } from '../engine/embedding/device-probe';
import type { Embedder } from '../engine/embedding/embedder';
import type { ModelLoadProgressCallback } from '../engine/embedding/load-progress';
import { createAbortableFetch, listCachedModels, removeCachedModel, TRANSFORMERS_CACHE_NAME, type AbortableFetch, type CachedModel, type CacheStorageLike } from '../engine/embedding/model-cache';
import { findPreset, rerankerOptionsFor, resolveEmbedderOptions, type EmbeddingOptions } from '../engine/embedding/model-registry';
import type { Reranker } from '../engine/embedding/reranker';
import { TransformersEmbedder } from '../engine/embedding/transformers-embedder';
import { configureTransformers } from '../engine/embedding/transformers-env';
import { TransformersReranker } from '../engine/embedding/transformers-reranker';
import { DEFAULT_STATIC_MODEL_ID, StaticEmbedder } from '../engine/embedding/static-embedder';
import { createError, isEngineError } from '../engine/errors';

/** Where an embedding model comes from. */
export type ModelSource =
  | { kind: 'builtin' }
  /** A Hugging Face model id, from the Hub or from a server with the Hub's layout (`host`). */
  | { kind: 'hub'; modelId: string; host?: string; options?: EmbeddingOptions }
  /** A model folder the user dropped in, kept in this browser's model cache. */
  | { kind: 'folder'; name: string; options?: EmbeddingOptions };

export const HUB_HOST = 'https://huggingface.co/';
const LOCAL_MODEL_PATH = `${import.meta.env.BASE_URL}models/`;
const USER_FOLDER = 'user';

/**
 * Model files are large and a connection can drop mid-transfer (a busy
 * server, a flaky network). A network error (not an HTTP status, not a
 * cancel) is retried twice with a short pause before the load gives up.
 */
async function fetchWithRetry(input: string | URL, init?: RequestInit): Promise<Response> {
  // Model files are kept in Cache Storage (and the service worker's precache); also
  // writing tens of MB into the HTTP cache wastes space and can fail when it is full.
  const options: RequestInit = { ...init, cache: init?.cache ?? 'no-store' };
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(input, options);
    } catch (error) {
      const aborted = options.signal?.aborted || (error as Error).name === 'AbortError';
      if (aborted || attempt >= 2) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  }
}

let downloads: AbortableFetch = createAbortableFetch(fetchWithRetry);

/**
 * The one place the worker configures transformers.js: models from this
 * origin's `/models/` (or the model cache), the onnxruntime WASM binaries
 * from our own bundle, never a CDN, and downloads only when a Hub or
 * self-hosted model is asked for.
 */
export function configure(remoteHost?: string): void {
  configureTransformers({
    // A path, not a full URL: transformers.js skips its local-file check for http(s) URLs.
    localModelPath: LOCAL_MODEL_PATH,
    // For a Hub model, skip the local lookup: this origin answers unknown paths with the
    // app page (status 200), which transformers.js would take for the model's files.
    allowLocalModels: remoteHost === undefined,
    allowRemoteModels: remoteHost !== undefined,
    remoteHost: remoteHost ?? HUB_HOST,
    wasmPaths: { mjs: ortMjsUrl, wasm: ortWasmUrl },
    numThreads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
    useBrowserCache: true,
    fetch: downloads.fetch,
  });
}

/** The embedder the app uses out of the box: the model the project builds and ships, so no network is ever needed. */
export async function loadDefaultEmbedder(): Promise<Embedder> {
  configure();
  return StaticEmbedder.create({ modelId: DEFAULT_STATIC_MODEL_ID, device: 'wasm' });
}

/** The last device decision, for diagnostics: which device won and the timings behind it. */
export interface DeviceDecision {
  modelId: string;
  device: string;
  dtype: string;
  reason: string;
  msPerBatch: Record<string, number>;
}
let lastChoice: DeviceDecision | undefined;
export function lastDeviceDecision(): DeviceDecision | undefined {
  return lastChoice;
}

export interface LoadOptions {
  onProgress?: ModelLoadProgressCallback;
  /** Remembers which device won for a model on this machine. */
  deviceMemo?: DeviceChoiceMemo;
}

export async function loadEmbedder(source: ModelSource, options: LoadOptions = {}): Promise<Embedder> {
  if (source.kind === 'builtin') return loadDefaultEmbedder();
  downloads = createAbortableFetch(fetchWithRetry);
  configure(source.kind === 'hub' ? normalizeHost(source.host) : undefined);
  const modelId = source.kind === 'hub' ? source.modelId : `${USER_FOLDER}/${source.name}`;
  // The preset's vector space with the user's pooling, normalisation, size and prefixes over it.
  const base = resolveEmbedderOptions(modelId, source.options);
  const choice = await chooseDevice({
    modelId,
    hasWebGpu: () => detectWebGpu(navigator as unknown as Parameters<typeof detectWebGpu>[0]),
    load: (device, dtype) => namingModel(modelId, TransformersEmbedder.create({ ...base, device, dtype, progress: options.onProgress })),
    dtypes: { webgpu: ['fp16', 'fp32'], wasm: [base.dtype ?? 'q8', 'fp32'] },
    sampleTexts: ['How do I reset the device?', 'The quick brown fox jumps over the lazy dog near the river bank.'],
    now: () => performance.now(),
    memo: options.deviceMemo,
    keepWinner: true,
  });
  lastChoice = { modelId, device: choice.device, dtype: choice.dtype, reason: choice.reason, msPerBatch: choice.msPerBatch };
  if (choice.embedder) return choice.embedder;
  return namingModel(modelId, TransformersEmbedder.create({ ...base, device: choice.device, dtype: choice.dtype, progress: options.onProgress }));
}

/** An option the loaded model cannot honour (a cut beyond its size) is reported with the model's name. */
async function namingModel<T>(modelId: string, loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (error) {
    if (!isEngineError(error) || error.code !== 'INVALID_ARGUMENT' || error.message.startsWith(modelId)) throw error;
    throw createError('INVALID_ARGUMENT', `${modelId}: ${error.message}`, { ...error.details, modelId });
  }
}

export async function loadReranker(modelId: string, host: string | undefined, onProgress?: ModelLoadProgressCallback): Promise<Reranker> {
  downloads = createAbortableFetch(fetchWithRetry);
  configure(normalizeHost(host));
  const preset = findPreset(modelId);
  const options = preset?.task === 'rerank' ? rerankerOptionsFor(preset) : { modelId, dtype: 'q8' as const };
  return TransformersReranker.create({ ...options, device: 'wasm', progress: onProgress });
}

/** Cancels every model download in flight; the load rejects with CANCELLED. */
export function cancelDownloads(): void {
  downloads.abort();
}

function normalizeHost(host: string | undefined): string {
  const value = (host ?? HUB_HOST).trim();
  try {
    const url = new URL(value);
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  } catch {
    throw createError('INVALID_ARGUMENT', `"${value}" is not a valid server address.`, { host: value });
  }
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json'];

/**
 * Keeps a dropped model folder in the model cache under the path
 * transformers.js looks up first, so it loads like any local model, offline.
 */
export async function storeModelFolder(name: string, files: { path: string; file: File }[]): Promise<void> {
  const safeName = name.replace(/[^\w.-]+/g, '-');
  const relative = files.map(({ path, file }) => ({ file, path: path.split('/').slice(1).join('/') || file.name }));
  const paths = new Set(relative.map((f) => f.path));
  const missing = REQUIRED_FILES.filter((f) => !paths.has(f));
  if (missing.length) {
    throw createError('MODEL_LOAD_FAILED', `${name}: this folder is not a model folder (missing ${missing.join(', ')}).`, { folder: name });
  }
  if (!relative.some((f) => /^onnx\/model(_quantized|_fp16)?\.onnx$/.test(f.path))) {
    throw createError('MODEL_LOAD_FAILED', `${name}: no onnx/model.onnx or onnx/model_quantized.onnx in this folder.`, { folder: name });
  }
  const cache = await caches.open(TRANSFORMERS_CACHE_NAME);
  for (const { path, file } of relative) {
    const key = `${LOCAL_MODEL_PATH}${USER_FOLDER}/${safeName}/${path}`;
    await cache.put(key, new Response(file, { headers: { 'Content-Length': String(file.size), 'Content-Type': 'application/octet-stream' } }));
  }
}

export function cachedModels(): Promise<CachedModel[]> {
  return listCachedModels(caches as CacheStorageLike<Request>, { localModelPath: LOCAL_MODEL_PATH, remoteHost: HUB_HOST });
}

export function removeModel(modelId: string): Promise<number> {
  return removeCachedModel(caches as CacheStorageLike<Request>, modelId, { localModelPath: LOCAL_MODEL_PATH, remoteHost: HUB_HOST });
}

export function folderName(source: ModelSource): string | undefined {
  return source.kind === 'folder' ? source.name : undefined;
}
