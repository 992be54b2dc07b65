import { Collection, type OpenReport } from './collection/collection';
import type { DocumentSummary } from './collection/collection-state';
import type { Embedder } from './embedding/embedder';
import { createError } from './errors';
import type { ProcessDocument } from './ingest/document-processor';
import type { IngestFile, IngestProgress, IngestSummary } from './ingest/ingest-progress';
import { ingestFiles, interruptedFiles } from './ingest/ingest-runner';
import { hybridSearch } from './search/hybrid-search';
import type { SearchHit, SearchOptions } from './search/search-types';
import type { DocumentRecord } from './storage/records';
import type { Store } from './storage/store';

export interface SiftOptions {
  store: Store;
  embedder: Embedder;
  process: ProcessDocument;
  indexDescription?: string;
  maxFileBytes?: number;
  /** Dense weight in hybrid fusion, chosen per model. */
  denseWeight?: number;
}

/**
 * One open collection and the operations the app performs on it. Ingests
 * run one at a time (a second call waits); searches run alongside them and
 * see each batch as soon as it is committed.
 */
export class Sift {
  private ingestQueue: Promise<unknown> = Promise.resolve();
  private controller: AbortController | undefined;
  private pendingResume: { docId: number; name: string; path: string }[];

  private constructor(
    private readonly collection: Collection,
    private readonly options: SiftOptions,
    readonly openReport: OpenReport,
  ) {
    this.pendingResume = [...openReport.interrupted];
  }

  static async open(options: SiftOptions, onRebuild?: (done: number, total: number) => void): Promise<Sift> {
    const { collection, report } = await Collection.open({
      store: options.store,
      embedder: options.embedder,
      indexDescription: options.indexDescription,
      onRebuild,
    });
    return new Sift(collection, options, report);
  }

  get embedderInfo() {
    return this.collection.state.embedder.info;
  }

  /** Files interrupted by a closed tab, waiting to be indexed again. */
  get interrupted(): readonly { name: string; path: string }[] {
    return this.pendingResume;
  }

  ingest(files: readonly IngestFile[], onProgress?: (p: IngestProgress) => void): Promise<IngestSummary> {
    const run = this.ingestQueue.then(async () => {
      this.controller = new AbortController();
      const resumed = await interruptedFiles(this.collection, this.pendingResume);
      this.pendingResume = [];
      try {
        return await ingestFiles(this.collection, this.options.process, [...resumed, ...files], {
          onProgress,
          signal: this.controller.signal,
          maxFileBytes: this.options.maxFileBytes,
          resumed: resumed.length,
        });
      } finally {
        this.controller = undefined;
      }
    });
    this.ingestQueue = run.catch(() => {});
    return run;
  }

  /** Re-indexes files a closed tab interrupted. */
  resume(onProgress?: (p: IngestProgress) => void): Promise<IngestSummary> {
    return this.ingest([], onProgress);
  }

  cancelIngest(): void {
    this.controller?.abort();
  }

  search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    return hybridSearch(this.collection.state, query, {
      denseWeight: this.options.denseWeight,
      ...options,
    });
  }

  /** Many queries at once: their vectors come from one batched embedding call. */
  async searchMany(queries: readonly string[], options?: SearchOptions): Promise<SearchHit[][]> {
    if (queries.length === 0) return [];
    const { embedder } = this.collection.state;
    const vectors = options?.mode === 'lexical' ? undefined : await embedder.embed(queries, 'query');
    const dim = embedder.info.dim;
    return Promise.all(
      queries.map((query, i) =>
        this.search(query, { ...options, queryVector: vectors?.subarray(i * dim, (i + 1) * dim) }),
      ),
    );
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

  async deleteDocument(id: number): Promise<void> {
    if (!this.collection.state.documents.has(id)) {
      throw createError('NOT_FOUND', `Document ${id} is not in the collection.`, { id });
    }
    await this.collection.deleteDocument(id);
  }

  stats(): Promise<{ documents: number; chunks: number; vectors: number }> {
    return this.collection.stats();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
