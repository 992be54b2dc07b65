import { releaseProxy, transfer, type Remote } from 'comlink';
import type { DeviceChoiceMemo } from '../engine/embedding/device-probe';
import type { EmbedPurpose, Embedder, EmbedderInfo } from '../engine/embedding/embedder';
import { InferenceQueue } from '../engine/embedding/inference-queue';
import type { ModelLoadProgress } from '../engine/embedding/load-progress';
import type { CachedModel } from '../engine/embedding/model-cache';
import type { Reranker, RerankerInfo } from '../engine/embedding/reranker';
import { StaticEmbedder } from '../engine/embedding/static-embedder';
import { transformersSettings } from '../engine/embedding/transformers-env';
import { createError } from '../engine/errors';
import type * as ModelRuntime from './model-runtime';
import type { DeviceDecision, ModelSource } from './model-runtime';
import { embedInSlices, SliceSizer } from './passage-slices';

/** The parts of the model runtime the inference worker serves; injected so tests can fake them. */
export type InferenceRuntime = Pick<
  typeof ModelRuntime,
  'loadDefaultEmbedder' | 'loadEmbedder' | 'loadReranker' | 'cancelDownloads' | 'storeModelFolder' | 'cachedModels' | 'removeModel' | 'lastDeviceDecision'
>;

/**
 * How the engine worker counts a model's tokens without a round trip (the
 * chunker's `countTokens` is synchronous): the built-in model's word
 * tokenizer is plain TypeScript, a transformers.js model's tokenizer is
 * loaded there too, from the model cache this worker just filled.
 */
export type TokenSource = { kind: 'static' } | { kind: 'tokenizer'; modelId: string; remoteHost?: string } | { kind: 'none' };

/** A loaded embedder, as the engine worker sees it. */
export interface EmbedderHandle {
  id: number;
  info: EmbedderInfo;
  passageTokenBudget?: number;
  tokens: TokenSource;
}

export interface RerankerHandle {
  id: number;
  info: RerankerInfo;
}

export interface InferenceDiagnostics {
  /** This worker's name and a random id, so a caller can tell it is not itself. */
  worker: { name: string; scope: string };
  crossOriginIsolated: boolean;
  wasmThreads: number | undefined;
  device?: DeviceDecision;
  /** Sessions held: embedders and rerankers not yet released. */
  sessions: number;
  /** Calls served since the worker started, by purpose. */
  calls: { query: number; passage: number; rerank: number };
  /** The last query embedding: time queued behind other work once its message was read, and time running. */
  lastQuery?: { waitMs: number; runMs: number };
}

const SCOPE = Math.random().toString(36).slice(2);

/** Hands a vector batch over without copying; a view into a larger or shared buffer is copied first. */
function handOver(vectors: Float32Array): Float32Array {
  const own =
    vectors.buffer instanceof ArrayBuffer && vectors.byteOffset === 0 && vectors.byteLength === vectors.buffer.byteLength
      ? vectors
      : vectors.slice();
  return transfer(own, [own.buffer]);
}

function release(value: unknown): void {
  const remote = value as Partial<Remote<object>> | undefined;
  if (typeof remote?.[releaseProxy] === 'function') remote[releaseProxy]();
}

/**
 * The inference worker's surface: it owns every model session. Calls from
 * all models share one queue, so sessions never run concurrently (two WebGPU
 * sessions at once fail), and a search's query embedding or rerank takes the
 * high lane so it does not wait behind an ingest's passage batches.
 */
export function createInferenceApi(runtime: InferenceRuntime) {
  const queue = new InferenceQueue();
  const embedders = new Map<number, Embedder>();
  const sizers = new Map<number, SliceSizer>();
  const rerankers = new Map<number, Reranker>();
  const calls = { query: 0, passage: 0, rerank: 0 };
  let lastQuery: InferenceDiagnostics['lastQuery'];
  let nextId = 1;

  // Sessions whose every call answers a waiting search (a bi-encoder rerank stage).
  const searchSessions = new Set<number>();

  const registerEmbedder = (embedder: Embedder, servesSearch = false): EmbedderHandle => {
    const id = nextId++;
    embedders.set(id, embedder);
    if (servesSearch) searchSessions.add(id);
    sizers.set(id, new SliceSizer());
    return { id, info: embedder.info, passageTokenBudget: embedder.passageTokenBudget, tokens: tokenSource(embedder) };
  };
  const session = <T>(map: Map<number, T>, id: number): T => {
    const found = map.get(id);
    if (!found) throw createError('EMBEDDING_FAILED', 'This model was released; reload it to use it again.', { session: id });
    return found;
  };

  return {
    async loadDefaultEmbedder(): Promise<EmbedderHandle> {
      return registerEmbedder(await runtime.loadDefaultEmbedder());
    },

    /**
     * `onProgress` and `deviceMemo` arrive as Comlink proxies (functions do not clone).
     * `servesSearch`: the model re-scores a search's candidates, so its passage calls take the high lane too.
     */
    async loadEmbedder(
      source: ModelSource,
      onProgress?: (p: ModelLoadProgress) => void,
      deviceMemo?: DeviceChoiceMemo,
      servesSearch = false,
    ): Promise<EmbedderHandle> {
      try {
        return registerEmbedder(await runtime.loadEmbedder(source, { onProgress, deviceMemo }), servesSearch);
      } finally {
        release(onProgress);
        release(deviceMemo);
      }
    },

    async embed(id: number, texts: string[], purpose: EmbedPurpose): Promise<Float32Array> {
      const embedder = session(embedders, id);
      calls[purpose]++;
      if (purpose === 'passage' && !searchSessions.has(id)) {
        // Short slices (~200 ms of work), each queued on its own: a query can go between two of them.
        const sizer = sizers.get(id)!;
        const slice = (batch: string[]) =>
          queue.run(async () => {
            const began = performance.now();
            const vectors = await embedder.embed(batch, 'passage');
            sizer.record(batch.length, performance.now() - began);
            return vectors;
          });
        return handOver(await embedInSlices(texts, embedder.info.dim, slice, { slice: () => sizer.size }));
      }
      const queued = performance.now();
      let started = queued;
      const vectors = await queue.run(
        () => {
          started = performance.now();
          return embedder.embed(texts, purpose);
        },
        undefined,
        'high',
      );
      if (purpose === 'query') lastQuery = { waitMs: started - queued, runMs: performance.now() - started };
      return handOver(vectors);
    },

    async loadReranker(modelId: string, host: string | undefined, onProgress?: (p: ModelLoadProgress) => void): Promise<RerankerHandle> {
      try {
        const reranker = await runtime.loadReranker(modelId, host, onProgress);
        const id = nextId++;
        rerankers.set(id, reranker);
        return { id, info: reranker.info };
      } finally {
        release(onProgress);
      }
    },

    /** Reranking serves a waiting search, so it takes the high lane too. */
    async score(id: number, query: string, passages: string[]): Promise<Float32Array> {
      const reranker = session(rerankers, id);
      calls.rerank++;
      return handOver(await queue.run(() => reranker.score(query, passages), undefined, 'high'));
    },

    /** Frees a session once the work already queued has run (a queued batch never finds its session gone). */
    async release(id: number): Promise<void> {
      const model = embedders.get(id) ?? rerankers.get(id);
      embedders.delete(id);
      sizers.delete(id);
      searchSessions.delete(id);
      rerankers.delete(id);
      if (model) await queue.run(() => model.dispose());
    },

    async cancelDownloads(): Promise<void> {
      runtime.cancelDownloads();
    },

    storeModelFolder(name: string, files: { path: string; file: File }[]): Promise<void> {
      return runtime.storeModelFolder(name, files);
    },

    cachedModels(): Promise<CachedModel[]> {
      return runtime.cachedModels();
    },

    removeModel(modelId: string): Promise<number> {
      return runtime.removeModel(modelId);
    },

    async diagnostics(): Promise<InferenceDiagnostics> {
      return {
        worker: { name: (globalThis as { name?: string }).name ?? '', scope: SCOPE },
        crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
        wasmThreads: transformersSettings().numThreads,
        device: runtime.lastDeviceDecision(),
        sessions: embedders.size + rerankers.size,
        calls: { ...calls },
        lastQuery,
      };
    },
  };
}

export type InferenceApi = ReturnType<typeof createInferenceApi>;

function tokenSource(embedder: Embedder): TokenSource {
  if (embedder instanceof StaticEmbedder) return { kind: 'static' };
  if (!embedder.countTokens) return { kind: 'none' };
  // The settings the load just used: the engine worker's tokenizer reads the same cache entries.
  const settings = transformersSettings();
  return { kind: 'tokenizer', modelId: embedder.info.modelId, remoteHost: settings.allowRemoteModels ? settings.remoteHost : undefined };
}
