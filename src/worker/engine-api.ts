import { transfer } from 'comlink';
import type { DocumentSummary } from '../engine/collection/collection-state';
import type { ImportSummary } from '../engine/collection/collection-import';
import type { Embedder, EmbedderInfo } from '../engine/embedding/embedder';
import type { IngestProgress, IngestSummary } from '../engine/ingest/ingest-progress';
import type { SearchHit, SearchOptions } from '../engine/search/search-types';
import { Sift } from '../engine/sift';
import { DEFAULT_INDEX_SETTINGS, type IndexSettings } from '../engine/collection/index-policy';
import { DEFAULT_MAX_FILE_BYTES } from '../engine/ingest/ingest-runner';
import type { DocumentRecord } from '../engine/storage/records';
import { IndexedDbStore } from '../engine/storage/indexeddb-store';
import { createBrowserProcessor } from './browser-processor';
import { createTabCoordinator } from './tab-coordinator';
import { AdaptationService, type AdaptationEvent, type AdaptationStatus } from './adaptation-service';
import type { CollectionSignal } from '../engine/collection/write-coordinator';
import {
  cachedModels,
  cancelDownloads,
  loadDefaultEmbedder,
  loadEmbedder,
  loadReranker,
  removeModel,
  storeModelFolder,
  lastDeviceDecision,
  type DeviceDecision,
  type ModelSource,
} from './model-runtime';
import type { DeviceChoice, DeviceChoiceMemo } from '../engine/embedding/device-probe';
import type { ModelLoadProgress } from '../engine/embedding/load-progress';
import type { CachedModel } from '../engine/embedding/model-cache';
import { downloadBytes, userPresets } from '../engine/embedding/model-registry';
import type { ModelDtype } from '../engine/embedding/transformers-embedder';
import { transformersSettings } from '../engine/embedding/transformers-env';
import { AnswerService, type BatchExport } from '../engine/answers/answer-service';
import { defaultAnswerSettings, type AnswerSettings } from '../engine/answers/answer-settings';
import type { AnswerEvent, ConnectionTest, LlmSettings } from '../engine/rag';

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

/** Answer events as they cross to the page: errors become plain `{ code, message }`. */
export type WireAnswerEvent =
  | Exclude<AnswerEvent<SearchHit>, { type: 'error' }>
  | { type: 'error'; error: { code: string; message: string }; stage: string };

export interface Diagnostics {
  /** As the engine worker sees it; threads need it. */
  crossOriginIsolated: boolean;
  wasmThreads: number | undefined;
  /** The IndexedDB schema version open. */
  schemaVersion: number;
  /** How the device for the last downloaded model was chosen. */
  device?: DeviceDecision;
}

export interface RerankSetting {
  /** A cross-encoder model id; empty for no reranking. */
  modelId: string;
  host?: string;
}

/** Model download and re-embedding progress, for the settings panel. */
export type ModelEvent = ({ kind: 'download' } & ModelLoadProgress) | { kind: 'reembed'; done: number; total: number };

export interface ModelSettingsView {
  source: ModelSource;
  rerank: RerankSetting;
  current: EmbedderInfo;
  presets: {
    id: string;
    task: 'embedding' | 'rerank';
    label: string;
    description: string;
    builtin: boolean;
    /** Bytes to download per dtype. */
    sizes: Record<string, number>;
    approximate: boolean;
  }[];
  cached: CachedModel[];
}

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
  let modelNotice: string | undefined;
  let storeRef: IndexedDbStore | undefined;
  /** The model itself, before any corpus adaptation wraps it; this facade owns and disposes it. */
  let baseEmbedder: Embedder | undefined;
  let adaptation: AdaptationService | undefined;
  const deviceMemo = (store: IndexedDbStore): DeviceChoiceMemo => ({
    get: (key) => store.getMeta<DeviceChoice>(`device:${key}`),
    set: (key, value) => store.putMeta(`device:${key}`, value),
  });
  /** The model the user chose; if it cannot load (say, offline with its cache cleared), the built-in one, with a notice. */
  const loadConfiguredEmbedder = async (store: IndexedDbStore) => {
    const source = (await store.getMeta<ModelSource>('setting:model')) ?? { kind: 'builtin' };
    if (source.kind === 'builtin') return loadDefaultEmbedder();
    try {
      return await loadEmbedder(source, { deviceMemo: deviceMemo(store) });
    } catch (error) {
      modelNotice = `${describeSource(source)} could not be loaded (${(error as Error).message}), so the built-in model is in use.`;
      return loadDefaultEmbedder();
    }
  };

  let opening: Promise<Sift> | undefined;
  let schemaVersion = 0;
  let answers: AnswerService | undefined;
  let asking: AbortController | undefined;
  const answerService = async () => (answers ??= new AnswerService(await open()));
  const ingestSettings = async (): Promise<IngestSettings> => ({
    maxFileMegabytes: DEFAULT_MAX_FILE_BYTES / (1024 * 1024),
    ...(await (await open()).getSetting<Partial<IngestSettings>>('ingest')),
  });
  const ingestLimits = async () => ({ maxFileBytes: (await ingestSettings()).maxFileMegabytes * 1024 * 1024 });
  const answerSettings = async (): Promise<AnswerSettings> => ({
    ...defaultAnswerSettings(),
    ...(await (await open()).getSetting<Partial<AnswerSettings>>('answer')),
  });
  const open = () =>
    (opening ??= (async () => {
      const store = await IndexedDbStore.open(config.databaseName);
      storeRef = store;
      schemaVersion = store.schemaVersion;
      baseEmbedder = await loadConfiguredEmbedder(store);
      adaptation = new AdaptationService(store);
      const embedder = await adaptation.wrap(baseEmbedder);
      const index = { ...DEFAULT_INDEX_SETTINGS, ...(await store.getMeta<Partial<IndexSettings>>('setting:index')) };
      const sift = await Sift.open({
        index,
        store,
        embedder,
        process: createBrowserProcessor(),
        coordinator: createTabCoordinator(config.databaseName),
      });
      // The chosen reranker loads in the background; search works without it meanwhile.
      const rerank = await sift.getSetting<RerankSetting>('rerank');
      if (rerank?.modelId) {
        loadReranker(rerank.modelId, rerank.host).then(
          (reranker) => sift.setRerank({ candidates: 50, stages: [{ kind: 'cross-encoder', reranker, keep: 10 }] }),
          () => {
            modelNotice = `The reranker ${rerank.modelId} could not be loaded; results are not reranked.`;
          },
        );
      }
      return sift;
    })());

  return {
    async ready(): Promise<ReadyInfo> {
      const sift = await open();
      const stats = await sift.stats();
      return {
        model: sift.embedderInfo,
        modelNotice,
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
      return {
        crossOriginIsolated: self.crossOriginIsolated,
        wasmThreads: transformersSettings().numThreads,
        schemaVersion,
        device: lastDeviceDecision(),
      };
    },

    getAnswerSettings: answerSettings,

    async saveAnswerSettings(settings: AnswerSettings): Promise<void> {
      await (await open()).putSetting('answer', settings);
    },

    async testConnection(llm: LlmSettings): Promise<ConnectionTest> {
      return (await answerService()).testConnection(llm);
    },

    /** Streams events through `onEvent`; resolves when the answer is complete, failed or stopped. */
    async ask(question: string, onEvent: (event: WireAnswerEvent) => void): Promise<void> {
      asking?.abort();
      const controller = (asking = new AbortController());
      // Structured cloning drops an Error's own fields, `code` among them: send errors as plain data.
      const forward = (event: AnswerEvent<SearchHit>) =>
        onEvent(event.type === 'error' ? { ...event, error: { code: event.error.code, message: event.error.message } } : event);
      await (await answerService()).ask(question, await answerSettings(), forward, controller.signal);
    },

    async stopAnswer(): Promise<void> {
      asking?.abort();
    },

    async runBatch(
      queries: string[],
      withAnswers: boolean,
      onProgress?: (p: { phase: 'retrieve' | 'answer'; done: number; total: number }) => void,
    ): Promise<BatchExport> {
      return (await answerService()).batch(queries, await answerSettings(), { withAnswers, onProgress });
    },

    async modelSettings(): Promise<ModelSettingsView> {
      const sift = await open();
      const [source, rerank] = await Promise.all([sift.getSetting<ModelSource>('model'), sift.getSetting<RerankSetting>('rerank')]);
      return {
        source: source ?? { kind: 'builtin' },
        rerank: rerank ?? { modelId: '' },
        current: sift.embedderInfo,
        presets: userPresets().map((p) => ({
          id: p.id,
          task: p.task,
          label: p.label,
          description: p.description,
          builtin: Boolean(p.builtin),
          sizes: Object.fromEntries(Object.keys(p.sizes).map((dtype) => [dtype, downloadBytes(p, dtype as ModelDtype) ?? 0])),
          approximate: p.approximateSizes,
        })),
        cached: await cachedModels().catch(() => []),
      };
    },

    /**
     * Loads another embedding model (downloading it if needed, with progress)
     * and re-embeds the library into its vector space. On failure the current
     * model stays in use and the error says why.
     */
    async setModel(source: ModelSource, onProgress?: (p: ModelEvent) => void): Promise<EmbedderInfo> {
      const sift = await open();
      const embedder =
        source.kind === 'builtin'
          ? await loadDefaultEmbedder()
          : await loadEmbedder(source, { onProgress: (p) => onProgress?.({ kind: 'download', ...p }), deviceMemo: deviceMemo(storeRef!) });
      const previous = baseEmbedder;
      await sift.setEmbedder(adaptation!.wrapLoaded(embedder), (done, total) => onProgress?.({ kind: 'reembed', done, total }));
      baseEmbedder = embedder;
      if (previous && previous !== embedder) await previous.dispose().catch(() => {});
      await sift.putSetting('model', source);
      modelNotice = undefined;
      return sift.embedderInfo;
    },

    async cancelModelDownload(): Promise<void> {
      cancelDownloads();
    },

    /** Keeps a dropped model folder in this browser and switches to it. */
    async addModelFolder(name: string, files: { path: string; file: File }[], onProgress?: (p: ModelEvent) => void): Promise<EmbedderInfo> {
      await storeModelFolder(name, files);
      return this.setModel({ kind: 'folder', name: name.replace(/[^\w.-]+/g, '-') }, onProgress);
    },

    async removeCachedModel(modelId: string): Promise<void> {
      await removeModel(modelId);
    },

    /** Sets a cross-encoder over the top hybrid candidates, or none (empty id). */
    async setReranker(setting: RerankSetting, onProgress?: (p: ModelEvent) => void): Promise<void> {
      const sift = await open();
      if (!setting.modelId) sift.setRerank(undefined);
      else {
        const reranker = await loadReranker(setting.modelId, setting.host, (p) => onProgress?.({ kind: 'download', ...p }));
        sift.setRerank({ candidates: 50, stages: [{ kind: 'cross-encoder', reranker, keep: 10 }] });
      }
      await sift.putSetting('rerank', setting);
    },

    /** Trains word vectors on this library's own passages and searches with them from now on. */
    async adaptToLibrary(onEvent?: (e: AdaptationEvent) => void): Promise<AdaptationStatus> {
      const sift = await open();
      return adaptation!.adapt(sift, baseEmbedder!, onEvent);
    },

    async cancelAdaptation(): Promise<void> {
      adaptation?.cancel();
    },

    async removeAdaptation(): Promise<void> {
      const sift = await open();
      await adaptation!.remove(sift, baseEmbedder!);
    },

    async adaptationStatus(): Promise<AdaptationStatus> {
      await open();
      return adaptation!.status();
    },

    /** The nearest words to `word` in the library-adapted vectors. */
    async similarWords(word: string): Promise<{ word: string; score: number }[]> {
      await open();
      return adaptation!.similar(word);
    },

    async stats(): Promise<{ documents: number; chunks: number; vectors: number }> {
      return (await open()).stats();
    },
  };
}

export type EngineApi = ReturnType<typeof createEngineApi>;

function describeSource(source: ModelSource): string {
  if (source.kind === 'hub') return `The model ${source.modelId}`;
  if (source.kind === 'folder') return `The model folder ${source.name}`;
  return 'The built-in model';
}
