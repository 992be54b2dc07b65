import { transfer } from 'comlink';
import type { DocumentSummary } from '../engine/collection/collection-state';
import type { ImportSummary } from '../engine/collection/collection-import';
import type { EmbedderInfo } from '../engine/embedding/embedder';
import type { IngestProgress, IngestSummary } from '../engine/ingest/ingest-progress';
import type { SearchHit, SearchOptions } from '../engine/search/search-types';
import { Sift } from '../engine/sift';
import { DEFAULT_INDEX_SETTINGS, type IndexSettings } from '../engine/collection/index-policy';
import { DEFAULT_MAX_FILE_BYTES } from '../engine/ingest/ingest-runner';
import type { DocumentRecord } from '../engine/storage/records';
import { IndexedDbStore } from '../engine/storage/indexeddb-store';
import { createBrowserProcessor } from './browser-processor';
import { createTabCoordinator } from './tab-coordinator';
import { AdaptationService } from './adaptation-service';
import type { CollectionSignal } from '../engine/collection/write-coordinator';
import type { DeviceDecision } from './model-runtime';
import { createModelApi, loadConfiguredEmbedder, restoreReranker, type ModelContext } from './model-api';
import { createAnswerApi } from './answer-api';
import { connectInference, inferenceDiagnostics } from './inference-client';
import { RemoteEmbedder } from './remote-embedder';

export interface ReadyInfo {
  model: EmbedderInfo;
  /** Set when the chosen model could not load and the built-in one stands in. */
  modelNotice?: string;
  source: 'snapshot' | 'rebuilt' | 'empty';
  interrupted: { name: string; path: string }[];
  documents: number;
}

/** A file as the page hands it over: `File` objects clone to the worker without copying their bytes. */
export interface DroppedFile {
  file: File;
  /** Path inside a dropped folder. */
  path?: string;
}

export interface Diagnostics {
  /** As the inference worker (where the models run) sees it; threads need it. */
  crossOriginIsolated: boolean;
  wasmThreads: number | undefined;
  /** The IndexedDB schema version open. */
  schemaVersion: number;
  /** How the device for the last downloaded model was chosen. */
  device?: DeviceDecision;
  /** The two workers: the models run in one of their own, so searches stay responsive during ingest. */
  workers: { engine: string; inference: string };
  /** True when the models run in a different worker from the engine (checked by a per-worker id, not by name). */
  inferenceWorker: boolean;
  /** Inference calls served, by purpose. */
  inferenceCalls: { query: number; passage: number; rerank: number };
  /** The last query embedding's wait in the inference queue and its run time. */
  lastQuery?: { waitMs: number; runMs: number };
  /** How the engine worker counts the model's tokens when it chunks (synchronously, without the model). */
  tokenCounting?: RemoteEmbedder['tokenCounting'];
}

const ENGINE_SCOPE = Math.random().toString(36).slice(2);

export interface IngestSettings {
  /** Files larger than this are refused with a message saying so. */
  maxFileMegabytes: number;
}

export interface EngineConfig {
  databaseName: string;
}

/**
 * The worker's whole surface: a few broad calls. Everything real happens in
 * the engine; this only opens it with browser parts (IndexedDB, the model
 * runtime, the parsers) and adapts files and callbacks.
 */
export function createEngineApi(config: EngineConfig) {
  let storeRef: IndexedDbStore | undefined;
  let adaptation: AdaptationService | undefined;
  let opening: Promise<Sift> | undefined;
  let schemaVersion = 0;
  const ingestSettings = async (): Promise<IngestSettings> => ({
    maxFileMegabytes: DEFAULT_MAX_FILE_BYTES / (1024 * 1024),
    ...(await (await open()).getSetting<Partial<IngestSettings>>('ingest')),
  });
  const ingestLimits = async () => ({ maxFileBytes: (await ingestSettings()).maxFileMegabytes * 1024 * 1024 });
  const models: ModelContext = {
    open: () => open(),
    store: () => storeRef!,
    adaptation: () => adaptation!,
    base: undefined,
    notice: undefined,
  };
  const open = (): Promise<Sift> =>
    (opening ??= (async () => {
      const store = await IndexedDbStore.open(config.databaseName);
      storeRef = store;
      schemaVersion = store.schemaVersion;
      models.base = await loadConfiguredEmbedder(store, models);
      adaptation = new AdaptationService(store);
      const embedder = await adaptation.wrap(models.base);
      const index = { ...DEFAULT_INDEX_SETTINGS, ...(await store.getMeta<Partial<IndexSettings>>('setting:index')) };
      const sift = await Sift.open({
        index,
        store,
        embedder,
        process: createBrowserProcessor(),
        coordinator: createTabCoordinator(config.databaseName),
      });
      await restoreReranker(sift, models);
      return sift;
    })());

  return {
    /** The page hands over a port to the inference worker once, before any other call. */
    connectInference(port: MessagePort): void {
      connectInference(port);
    },

    ...createModelApi(models),
    ...createAnswerApi(open),

    async ready(): Promise<ReadyInfo> {
      const sift = await open();
      const stats = await sift.stats();
      return {
        model: sift.embedderInfo,
        modelNotice: models.notice,
        source: sift.openReport.source,
        interrupted: [...sift.interrupted],
        documents: stats.documents,
      };
    },

    async ingest(files: DroppedFile[], onProgress?: (p: IngestProgress) => void): Promise<IngestSummary> {
      const sift = await open();
      const limits = await ingestLimits();
      return sift.ingest(
        files.map(({ file, path }) => ({
          name: file.name,
          path: path ?? file.name,
          size: file.size,
          lastModified: file.lastModified,
          read: async () => new Uint8Array(await file.arrayBuffer()),
        })),
        onProgress,
        limits,
      );
    },

    getIngestSettings: ingestSettings,

    async getIndexSettings(): Promise<{ settings: IndexSettings; inUse: string }> {
      const sift = await open();
      const settings = { ...DEFAULT_INDEX_SETTINGS, ...(await sift.getSetting<Partial<IndexSettings>>('index')) };
      return { settings, inUse: sift.indexDescription };
    },

    async saveIndexSettings(settings: IndexSettings): Promise<string> {
      const sift = await open();
      await sift.putSetting('index', settings);
      await sift.setIndexSettings(settings);
      return sift.indexDescription;
    },

    async saveIngestSettings(settings: IngestSettings): Promise<void> {
      await (await open()).putSetting('ingest', settings);
    },

    async exportLibrary(): Promise<Uint8Array> {
      const bytes = await (await open()).exportLibrary();
      return transfer(bytes, [bytes.buffer]);
    },

    async importLibrary(file: File): Promise<ImportSummary> {
      return (await open()).importLibrary(new Uint8Array(await file.arrayBuffer()), file.name);
    },

    /** A digest of every stored chunk, to compare two libraries (tests, diagnostics). */
    async digest(): Promise<string> {
      return (await open()).digest();
    },

    async resume(onProgress?: (p: IngestProgress) => void): Promise<IngestSummary> {
      return (await open()).resume(onProgress, await ingestLimits());
    },

    async discardInterrupted(): Promise<void> {
      await (await open()).discardInterrupted();
    },

    async interrupted(): Promise<{ name: string; path: string }[]> {
      return [...(await open()).interrupted];
    },

    /** Calls back when another tab starts indexing ('busy') or changed the collection ('changed'). */
    async watchCollection(listener: (signal: CollectionSignal) => void): Promise<void> {
      (await open()).onCollectionSignal(listener);
    },

    async cancelIngest(): Promise<void> {
      (await open()).cancelIngest();
    },

    async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
      return (await open()).search(query, options);
    },

    async listDocuments(): Promise<DocumentSummary[]> {
      return (await open()).listDocuments();
    },

    async getDocument(id: number): Promise<DocumentRecord> {
      const doc = await (await open()).getDocument(id);
      return doc;
    },

    async deleteDocument(id: number): Promise<void> {
      await (await open()).deleteDocument(id);
    },

    async diagnostics(): Promise<Diagnostics> {
      await open();
      const inference = await inferenceDiagnostics();
      return {
        crossOriginIsolated: inference.crossOriginIsolated,
        wasmThreads: inference.wasmThreads,
        schemaVersion,
        device: inference.device,
        workers: { engine: self.name, inference: inference.worker.name },
        inferenceWorker: inference.worker.scope !== ENGINE_SCOPE,
        inferenceCalls: inference.calls,
        lastQuery: inference.lastQuery,
        tokenCounting: models.base instanceof RemoteEmbedder ? models.base.tokenCounting : undefined,
      };
    },

    async stats(): Promise<{ documents: number; chunks: number; vectors: number }> {
      return (await open()).stats();
    },
  };
}

export type EngineApi = ReturnType<typeof createEngineApi>;
