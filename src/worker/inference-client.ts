import { proxy, wrap, type Remote } from 'comlink';
import type { Embedder } from '../engine/embedding/embedder';
import type { ModelLoadProgressCallback } from '../engine/embedding/load-progress';
import type { CachedModel } from '../engine/embedding/model-cache';
import type { Reranker } from '../engine/embedding/reranker';
import { staticTokens } from '../engine/embedding/static-tokenizer';
import { toLocalError } from './error-transfer';
import type { EmbedderHandle, InferenceApi, InferenceDiagnostics, TokenSource } from './inference-api';
import type { LoadOptions, ModelSource } from './model-runtime';
import { RemoteEmbedder } from './remote-embedder';
import { RemoteReranker } from './remote-reranker';

export type { ModelSource, LoadOptions };

export interface RemoteLoadOptions extends LoadOptions {
  /** The model re-scores a waiting search's candidates (a bi-encoder stage): all its calls take the high lane. */
  servesSearch?: boolean;
}

export interface InferenceClientOptions {
  /** Builds a synchronous token counter for a model's tokenizer; undefined when it cannot. */
  loadTokenCounter?(source: Extract<TokenSource, { kind: 'tokenizer' }>): Promise<((text: string) => number) | undefined>;
}

/**
 * The model runtime as the engine worker calls it: the same functions as
 * `model-runtime.ts`, but every model runs in the inference worker and what
 * comes back are proxies (`RemoteEmbedder`, `RemoteReranker`).
 */
export function createInferenceClient(inference: Promise<Remote<InferenceApi>>, options: InferenceClientOptions = {}) {
  const call = async <T>(fn: (api: Remote<InferenceApi>) => Promise<T>): Promise<T> => {
    const api = await inference;
    try {
      return await fn(api);
    } catch (error) {
      throw toLocalError(error);
    }
  };

  const embedder = async (handle: EmbedderHandle): Promise<Embedder> => {
    const api = await inference;
    let countTokens: ((text: string) => number) | undefined;
    if (handle.tokens.kind === 'static') countTokens = (text) => staticTokens(text).length;
    else if (handle.tokens.kind === 'tokenizer' && options.loadTokenCounter) {
      // Without it chunks are sized by the approximate count; the model still truncates what is too long.
      countTokens = await options.loadTokenCounter(handle.tokens).catch((error: unknown) => {
        console.warn(`Sift: no local tokenizer for ${handle.info.modelId}; chunk sizes are approximate.`, error);
        return undefined;
      });
    }
    return new RemoteEmbedder(api, handle, countTokens);
  };

  const optionalProxy = <T extends object>(value: T | undefined): T | undefined => (value ? proxy(value) : undefined);

  return {
    loadDefaultEmbedder: (): Promise<Embedder> => call((api) => api.loadDefaultEmbedder()).then(embedder),

    loadEmbedder: (source: ModelSource, load: RemoteLoadOptions = {}): Promise<Embedder> =>
      call((api) => api.loadEmbedder(source, optionalProxy(load.onProgress), optionalProxy(load.deviceMemo), load.servesSearch)).then(embedder),

    loadReranker: async (modelId: string, host: string | undefined, onProgress?: ModelLoadProgressCallback): Promise<Reranker> => {
      const handle = await call((api) => api.loadReranker(modelId, host, optionalProxy(onProgress)));
      return new RemoteReranker(await inference, handle);
    },

    /** Fire and forget, like the runtime's: the cancel is sent at once. */
    cancelDownloads: (): void => {
      void call((api) => api.cancelDownloads());
    },

    storeModelFolder: (name: string, files: { path: string; file: File }[]): Promise<void> =>
      call((api) => api.storeModelFolder(name, files)),

    cachedModels: (): Promise<CachedModel[]> => call((api) => api.cachedModels()),

    removeModel: (modelId: string): Promise<number> => call((api) => api.removeModel(modelId)),

    diagnostics: (): Promise<InferenceDiagnostics> => call((api) => api.diagnostics()),
  };
}

export type InferenceClient = ReturnType<typeof createInferenceClient>;

let connect: (api: Remote<InferenceApi>) => void;
const connected = new Promise<Remote<InferenceApi>>((resolve) => (connect = resolve));

/**
 * Called once by the page, right after it creates both workers: model calls
 * wait until then. The port leads to the inference worker.
 */
export function connectInference(port: MessagePort): void {
  connect(wrap<InferenceApi>(port));
}

const client = createInferenceClient(connected, {
  // A separate chunk: transformers.js loads in this worker only when a transformers model is in use.
  loadTokenCounter: (source) => import('./model-tokenizer').then((m) => m.loadTokenCounter(source)),
});

export const {
  loadDefaultEmbedder,
  loadEmbedder,
  loadReranker,
  cancelDownloads,
  storeModelFolder,
  cachedModels,
  removeModel,
  diagnostics: inferenceDiagnostics,
} = client;
