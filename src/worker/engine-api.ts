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
import type { CollectionSignal } from '../engine/collection/write-coordinator';
import { loadDefaultEmbedder } from './model-runtime';
import { transformersSettings } from '../engine/embedding/transformers-env';
import { AnswerService, type BatchExport } from '../engine/answers/answer-service';
import { defaultAnswerSettings, type AnswerSettings } from '../engine/answers/answer-settings';
import type { AnswerEvent, ConnectionTest, LlmSettings } from '../engine/rag';

export interface ReadyInfo {
  model: EmbedderInfo;
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
      const [store, embedder] = await Promise.all([IndexedDbStore.open(config.databaseName), loadDefaultEmbedder()]);
      schemaVersion = store.schemaVersion;
      const index = { ...DEFAULT_INDEX_SETTINGS, ...(await store.getMeta<Partial<IndexSettings>>('setting:index')) };
      return Sift.open({
        index,
        store,
        embedder,
        process: createBrowserProcessor(),
        coordinator: createTabCoordinator(config.databaseName),
      });
    })());

  return {
    async ready(): Promise<ReadyInfo> {
      const sift = await open();
      const stats = await sift.stats();
      return {
        model: sift.embedderInfo,
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
      return { crossOriginIsolated: self.crossOriginIsolated, wasmThreads: transformersSettings().numThreads, schemaVersion };
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

    async stats(): Promise<{ documents: number; chunks: number; vectors: number }> {
      return (await open()).stats();
    },
  };
}

export type EngineApi = ReturnType<typeof createEngineApi>;
