import { Collection, type OpenReport } from './collection/collection';
import type { DocumentSummary } from './collection/collection-state';
import { createLocalCoordinator, type CollectionSignal, type WriteCoordinator } from './collection/write-coordinator';
import type { Embedder } from './embedding/embedder';
import { searchParamsFor, type IndexSettings } from './collection/index-policy';
import { CachingEmbedder } from './embedding/caching-embedder';
import { feedbackFor, fusionWeightFor } from './embedding/model-registry';
import { createError } from './errors';
import type { ProcessDocument } from './ingest/document-processor';
import type { IngestFile, IngestProgress, IngestSummary } from './ingest/ingest-progress';
import { clearQueue, enqueueFiles, pendingFiles } from './ingest/ingest-queue';
import { ingestFiles } from './ingest/ingest-runner';
import { hybridSearch } from './search/hybrid-search';
import { rerankHits, type RerankStage } from './search/rerank-pipeline';
import { LruCache, cacheKey } from './rag/cache';
import { sha256Hex } from './collection/hash';
import { exportCollection } from './collection/collection-export';
import { importCollection, type ImportSummary } from './collection/collection-import';
import type { SearchHit, SearchOptions } from './search/search-types';
import type { DocumentRecord } from './storage/records';
import type { Store } from './storage/store';

export interface SiftOptions {
  store: Store;
  embedder: Embedder;
  process: ProcessDocument;
  /** A fixed index description, or settings for choosing one by collection size. */
  index?: string | IndexSettings;
  maxFileBytes?: number;
  /** Dense weight in hybrid fusion, chosen per model. */
  denseWeight?: number;
  /** Stages run over the hybrid candidates (bi-encoder, cross-encoder), in order. */
  rerank?: { candidates: number; stages: RerankStage[] };
  /** One writer across tabs; defaults to in-process only. */
  coordinator?: WriteCoordinator;
  onRebuild?: (done: number, total: number) => void;
}

export interface PendingFile {
  name: string;
  path: string;
}

/**
 * One open collection and the operations the app performs on it. Writes
 * (ingest, delete) run one at a time across tabs; searches run alongside
 * them and see each batch as soon as it is committed. Before writing, a tab
 * reloads its indexes if another tab changed the collection.
 */
export class Sift {
  private controller: AbortController | undefined;
  private pending: PendingFile[];
  private readonly coordinator: WriteCoordinator;
  private readonly listeners = new Set<(signal: CollectionSignal) => void>();
  private readonly results = new LruCache<Promise<SearchHit[]>>({ maxEntries: 200, ttlMs: 10 * 60 * 1000 });

  private constructor(
    private collection: Collection,
    private options: SiftOptions,
    private report: OpenReport,
    pending: PendingFile[],
  ) {
    this.pending = pending;
    this.coordinator = options.coordinator ?? createLocalCoordinator();
    this.coordinator.subscribe((signal) => void this.onSignal(signal));
  }

  static async open(options: SiftOptions): Promise<Sift> {
    const withCache = { ...options, embedder: new CachingEmbedder(options.embedder) };
    const { collection, report } = await openCollection(withCache);
    return new Sift(collection, withCache, report, await listPending(options.store));
  }

  get openReport(): OpenReport {
    return this.report;
  }

  get embedderInfo() {
    return this.collection.state.embedder.info;
  }

  /** Files a closed tab (or a full disk) left unfinished; `resume` indexes them. */
  get interrupted(): readonly PendingFile[] {
    return this.pending;
  }

  /** Another tab indexed or deleted something: the listener runs after this tab has reloaded. */
  onCollectionSignal(listener: (signal: CollectionSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ingest(
    files: readonly IngestFile[],
    onProgress?: (p: IngestProgress) => void,
    limits: { maxFileBytes?: number } = {},
  ): Promise<IngestSummary> {
    return this.coordinator.exclusive(
      async () => {
        this.coordinator.announce('busy');
        await this.refreshIfStale();
        const { store } = this.collection.state;
        const queued = await enqueueFiles(store, files);
        const mine = new Set(queued.map((f) => ('queueKey' in f ? f.queueKey : '')));
        const earlier = (await pendingFiles(store)).filter((f) => !mine.has(f.queueKey));
        this.controller = new AbortController();
        try {
          const summary = await ingestFiles(this.collection, this.options.process, [...earlier, ...queued], {
            onProgress,
            signal: this.controller.signal,
            maxFileBytes: limits.maxFileBytes ?? this.options.maxFileBytes,
            resumed: earlier.length,
          });
          // Cancelling means "not these files": nothing stays queued for a resume.
          if (summary.cancelled) await clearQueue(store);
          return summary;
        } finally {
          this.controller = undefined;
          this.pending = await listPending(store);
          this.coordinator.announce('changed');
        }
      },
      () => onProgress?.({ status: 'waiting', reason: 'another-tab' }),
    );
  }

  /** Indexes the files an earlier run left unfinished. */
  resume(onProgress?: (p: IngestProgress) => void, limits?: { maxFileBytes?: number }): Promise<IngestSummary> {
    return this.ingest([], onProgress, limits);
  }

  /**
   * A digest of everything stored: each ready document's path and hash, and
   * each chunk's text, offsets and vector, in a canonical order. Two
   * libraries with equal digests hold the same chunks, whatever their ids.
   */
  async digest(): Promise<string> {
    const { store } = this.collection.state;
    const docs = new Map((await store.listDocuments()).map((d) => [d.id, d]));
    const lines: string[] = [];
    await store.forEachChunk((chunk) => {
      const doc = docs.get(chunk.docId);
      const vector = Array.from(chunk.vector, (v) => v.toFixed(5)).join(',');
      lines.push(`${doc?.path}|${doc?.status}|${chunk.index}|${chunk.start}|${chunk.end}|${chunk.text}|${vector}`);
    });
    for (const doc of docs.values()) lines.push(`doc|${doc.path}|${doc.hash}|${doc.status}|${doc.chunkCount}`);
    lines.sort();
    return sha256Hex(new TextEncoder().encode(lines.join('\n')));
  }

  /** Forgets the unfinished files instead of indexing them. */
  discardInterrupted(): Promise<void> {
    return this.coordinator.exclusive(async () => {
      await clearQueue(this.collection.state.store);
      this.pending = [];
    });
  }

  cancelIngest(): void {
    this.controller?.abort();
  }

  /**
   * Hybrid search. Results are cached by query, options and collection
   * version, so any change to the documents misses the cache.
   */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    const indexParams = typeof this.options.index === 'object' ? searchParamsFor(this.options.index) : undefined;
    const denseWeight = this.options.denseWeight ?? fusionWeightFor(this.embedderInfo.modelId);
    const feedback = feedbackFor(this.embedderInfo.modelId);
    const effective = { denseWeight, indexParams, ...(feedback ? { feedback } : {}), ...options };
    const key = options?.queryVector
      ? undefined
      : cacheKey({ query, options: effective, version: this.version, space: this.vectorSpace });
    const cached = key ? this.results.get(key) : undefined;
    if (cached) return cached;
    const found = this.runSearch(query, effective);
    if (key) {
      this.results.set(key, found);
      found.catch(() => this.results.delete(key));
    }
    return found;
  }

  private async runSearch(query: string, options: SearchOptions): Promise<SearchHit[]> {
    const rerank = this.options.rerank;
    if (!rerank || rerank.stages.length === 0) return hybridSearch(this.collection.state, query, options);
    const candidates = await hybridSearch(this.collection.state, query, { ...options, k: Math.max(rerank.candidates, options.k ?? 10) });
    const reranked = await rerankHits(query, candidates, rerank.stages);
    return reranked.slice(0, options.k ?? 10);
  }

  /** Sets (or clears) the reranking stages; results cached before the change are dropped. */
  setRerank(rerank: SiftOptions['rerank']): void {
    this.options = { ...this.options, rerank };
    this.results.clear();
  }

  /**
   * Switches to another embedding model. Chunks embedded by the old one are
   * re-embedded (with progress) so one index never mixes two vector spaces.
   * The caller owns both models and disposes the old one when it is done with it.
   */
  setEmbedder(embedder: Embedder, onRebuild?: (done: number, total: number) => void): Promise<void> {
    return this.coordinator.exclusive(async () => {
      this.options = { ...this.options, embedder: new CachingEmbedder(embedder), onRebuild };
      await this.refresh();
      this.options = { ...this.options, onRebuild: undefined };
      this.results.clear();
      this.coordinator.announce('changed');
    });
  }

  /** Many queries at once: their vectors come from one batched embedding call. */
  async searchMany(queries: readonly string[], options?: SearchOptions): Promise<SearchHit[][]> {
    if (queries.length === 0) return [];
    const { embedder } = this.collection.state;
    const vectors = options?.mode === 'lexical' ? undefined : await embedder.embed(queries, 'query');
    const dim = embedder.info.dim;
    return Promise.all(
      queries.map((query, i) => this.search(query, { ...options, queryVector: vectors?.subarray(i * dim, (i + 1) * dim) })),
    );
  }

  /** Every stored passage's text, for training on the collection's own language. */
  async passageTexts(): Promise<string[]> {
    const texts: string[] = [];
    await this.collection.state.store.forEachChunk((chunk) => {
      if (this.collection.state.documents.has(chunk.docId)) texts.push(chunk.text);
    });
    return texts;
  }

  /** Bumped by every change to the indexed chunks; part of every cache key. */
  get version(): number {
    return this.collection.state.version;
  }

  get vectorSpace(): string {
    return this.collection.vectorSpace;
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return this.collection.state.store.getMeta<T>(`setting:${key}`);
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    await this.collection.state.store.putMeta(`setting:${key}`, value);
  }

  listDocuments(): DocumentSummary[] {
    return this.collection.listDocuments();
  }

  getDocument(id: number): Promise<DocumentRecord> {
    return this.collection.getDocument(id);
  }

  deleteDocument(id: number): Promise<void> {
    return this.coordinator.exclusive(async () => {
      await this.refreshIfStale();
      if (!this.collection.state.documents.has(id)) {
        throw createError('NOT_FOUND', `Document ${id} is not in the collection.`, { id });
      }
      await this.collection.deleteDocument(id);
      this.coordinator.announce('changed');
    });
  }

  stats(): Promise<{ documents: number; chunks: number; vectors: number }> {
    return this.collection.stats();
  }

  /** The whole library (documents, chunks, vectors) as one versioned file. */
  exportLibrary(): Promise<Uint8Array> {
    return exportCollection(this.options.store, { vectorSpace: this.vectorSpace });
  }

  /** Adds a library file's documents (skipping ones already here), then reloads the indexes. */
  importLibrary(bytes: Uint8Array, fileName: string): Promise<ImportSummary> {
    return this.coordinator.exclusive(async () => {
      await this.refreshIfStale();
      try {
        return await importCollection(this.options.store, bytes, { fileName, currentVectorSpace: this.vectorSpace });
      } finally {
        // Even a partial import changed the store: reload (re-embedding what came from another model).
        await this.refresh();
        await this.collection.persist();
        this.coordinator.announce('changed');
      }
    });
  }

  /** Applies new index settings: the vector index is rebuilt from stored vectors (nothing is re-embedded). */
  setIndexSettings(index: string | IndexSettings): Promise<void> {
    return this.coordinator.exclusive(async () => {
      this.options = { ...this.options, index };
      await this.refresh();
    });
  }

  /** The faiss-style description of the vector index in use, e.g. "Flat" or "HNSW32". */
  get indexDescription(): string {
    return this.collection.indexDescription;
  }

  /** Reloads the indexes from storage (another tab wrote since they were loaded). */
  async refresh(): Promise<void> {
    const { collection, report } = await openCollection(this.options);
    this.collection.dispose();
    this.collection = collection;
    this.report = report;
    this.pending = await listPending(this.options.store);
  }

  dispose(): void {
    this.collection.dispose();
  }

  private async refreshIfStale(): Promise<void> {
    if (await this.collection.isStale()) await this.refresh();
  }

  private async onSignal(signal: CollectionSignal): Promise<void> {
    if (signal === 'changed') await this.refreshIfStale();
    for (const listener of this.listeners) listener(signal);
  }
}

function openCollection(options: SiftOptions) {
  return Collection.open({
    store: options.store,
    embedder: options.embedder,
    index: options.index,
    onRebuild: options.onRebuild,
  });
}

async function listPending(store: Store): Promise<PendingFile[]> {
  return (await pendingFiles(store)).map(({ name, path }) => ({ name, path: path ?? name }));
}
