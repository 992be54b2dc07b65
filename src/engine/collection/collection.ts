import { createError } from '../errors';
import { vectorSpaceKey, type Embedder } from '../embedding/embedder';
import { createIndex } from '../indexes/factory';
import type { Metric } from '../indexes/vector-index';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import type { Store } from '../storage/store';
import { Bm25Index } from '../text/bm25-index';
import type { CollectionState, DocumentSummary } from './collection-state';
import { loadSnapshot, saveSnapshot, stampGeneration, storedGeneration } from './snapshot';
import { lexicalText } from './lexical-text';

export interface CollectionOptions {
  store: Store;
  embedder: Embedder;
  /** faiss-style index description, e.g. "Flat" or "HNSW32". */
  indexDescription?: string;
  metric?: Metric;
  /** Reports re-embedding progress when stored vectors came from another model. */
  onRebuild?: (done: number, total: number) => void;
}

export interface OpenReport {
  /** How the indexes came to be in memory. */
  source: 'snapshot' | 'rebuilt' | 'empty';
  /** Documents whose ingest was interrupted; their partial chunks were rolled back. */
  interrupted: { docId: number; name: string; path: string }[];
  reembedded: number;
}

const REBUILD_BATCH = 1024;
const REEMBED_BATCH = 32;

/**
 * A searchable collection: documents and chunks in a Store, plus the vector
 * and BM25 indexes over them in memory. The chunks in the store are the
 * source of truth; the in-memory indexes are rebuilt from them whenever the
 * saved snapshot does not match.
 */
export class Collection {
  readonly vectorSpace: string;
  /** The stored generation these in-memory indexes correspond to. */
  private generation: string | undefined;

  private constructor(
    readonly state: CollectionState,
    private readonly indexDescription: string,
    private readonly metric: Metric,
  ) {
    this.vectorSpace = vectorSpaceKey(state.embedder.info);
  }

  static async open(options: CollectionOptions): Promise<{ collection: Collection; report: OpenReport }> {
    const { store, embedder } = options;
    const indexDescription = options.indexDescription ?? 'Flat';
    const metric = options.metric ?? 'cosine';
    const dim = embedder.info.dim;
    const state: CollectionState = {
      store,
      embedder,
      vectors: createIndex(indexDescription, dim, metric),
      lexical: new Bm25Index(),
      documents: new Map(),
      chunkToDoc: new Map(),
      version: (await store.getMeta<number>('collection:version')) ?? 0,
    };
    const collection = new Collection(state, indexDescription, metric);
    const report = await collection.load(options.onRebuild);
    return { collection, report };
  }

  private async load(onRebuild?: (done: number, total: number) => void): Promise<OpenReport> {
    const { store } = this.state;
    this.generation = await storedGeneration(this.state);
    const interrupted: OpenReport['interrupted'] = [];
    for (const doc of await store.listDocuments()) {
      if (doc.status === 'indexing') {
        // Roll back the partial document; the ingest runner re-queues it from its saved bytes.
        interrupted.push({ docId: doc.id, name: doc.name, path: doc.path });
        await store.deleteDocument(doc.id);
        this.state.version++;
      } else {
        this.state.documents.set(doc.id, summarize(doc));
      }
    }

    const chunkCount = (await store.stats()).chunks;
    if (chunkCount === 0) {
      if (interrupted.length > 0) await this.persist();
      return { source: 'empty', interrupted, reembedded: 0 };
    }

    const snapshot = await loadSnapshot(this.state, {
      version: this.state.version,
      vectorSpace: this.vectorSpace,
      chunkCount,
    });
    if (snapshot) {
      this.state.vectors = snapshot.vectors;
      this.state.lexical = snapshot.lexical;
      for (const doc of this.state.documents.values()) {
        for (const id of await store.chunkIdsOfDocument(doc.id)) this.state.chunkToDoc.set(id, doc.id);
      }
      return { source: 'snapshot', interrupted, reembedded: 0 };
    }

    const reembedded = await this.rebuild(onRebuild);
    await this.persist();
    return { source: 'rebuilt', interrupted, reembedded };
  }

  /** Rebuilds both indexes from the stored chunks, re-embedding only chunks from another vector space. */
  private async rebuild(onRebuild?: (done: number, total: number) => void): Promise<number> {
    const { store, embedder } = this.state;
    const dim = embedder.info.dim;
    this.state.vectors = createIndex(this.indexDescription, dim, this.metric);
    this.state.lexical = new Bm25Index();
    this.state.chunkToDoc.clear();

    const staleDocs = new Set<number>();
    for (const doc of await store.listDocuments()) {
      if (doc.vectorSpace !== this.vectorSpace) staleDocs.add(doc.id);
    }

    let pendingIds: number[] = [];
    let pendingVectors: Float32Array[] = [];
    const stale: ChunkRecord[] = [];
    const flush = () => {
      if (pendingIds.length === 0) return;
      const batch = new Float32Array(pendingIds.length * dim);
      pendingVectors.forEach((v, i) => batch.set(v, i * dim));
      this.state.vectors.add(Uint32Array.from(pendingIds), batch);
      pendingIds = [];
      pendingVectors = [];
    };

    await store.forEachChunk((chunk) => {
      const doc = this.state.documents.get(chunk.docId);
      if (!doc) return;
      this.state.chunkToDoc.set(chunk.id, chunk.docId);
      this.state.lexical.add(chunk.id, lexicalText(chunk));
      if (staleDocs.has(chunk.docId) || chunk.vector.length !== dim) {
        stale.push(chunk);
        return;
      }
      pendingIds.push(chunk.id);
      pendingVectors.push(chunk.vector);
      if (pendingIds.length >= REBUILD_BATCH) flush();
    });
    flush();

    for (let i = 0; i < stale.length; i += REEMBED_BATCH) {
      const batch = stale.slice(i, i + REEMBED_BATCH);
      const vectors = await embedder.embed(batch.map((c) => c.text), 'passage');
      const updated = batch.map((chunk, j) => ({ ...chunk, vector: vectors.slice(j * dim, (j + 1) * dim) }));
      const byDoc = new Map<number, ChunkRecord[]>();
      for (const chunk of updated) byDoc.set(chunk.docId, [...(byDoc.get(chunk.docId) ?? []), chunk]);
      for (const [docId, chunks] of byDoc) {
        const doc = await store.getDocument(docId);
        if (!doc) continue;
        await store.putChunkBatch({ ...doc, vectorSpace: this.vectorSpace }, chunks);
      }
      this.state.vectors.add(Uint32Array.from(batch.map((c) => c.id)), vectors);
      onRebuild?.(Math.min(i + REEMBED_BATCH, stale.length), stale.length);
    }
    this.state.version++;
    return stale.length;
  }

  /** Saves the in-memory indexes so the next load skips the rebuild. */
  async persist(): Promise<void> {
    await saveSnapshot(this.state, this.vectorSpace);
    this.generation = await stampGeneration(this.state);
  }

  /** True when another tab has changed the stored collection since these indexes were loaded or saved. */
  async isStale(): Promise<boolean> {
    return (await storedGeneration(this.state)) !== this.generation;
  }

  listDocuments(): DocumentSummary[] {
    return [...this.state.documents.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async getDocument(id: number): Promise<DocumentRecord> {
    const doc = await this.state.store.getDocument(id);
    if (!doc) throw createError('NOT_FOUND', `Document ${id} is not in the collection.`, { id });
    return doc;
  }

  async deleteDocument(id: number): Promise<void> {
    const chunkIds = await this.state.store.deleteDocument(id);
    this.forget(id, chunkIds);
    await this.persist();
  }

  /** Drops a document's chunks from the in-memory indexes (storage is handled by the caller). */
  forget(docId: number, chunkIds: readonly number[]): void {
    if (chunkIds.length > 0) this.state.vectors.remove(Uint32Array.from(chunkIds));
    for (const id of chunkIds) {
      this.state.lexical.remove(id);
      this.state.chunkToDoc.delete(id);
    }
    this.state.documents.delete(docId);
    this.state.version++;
  }

  async stats(): Promise<{ documents: number; chunks: number; vectors: number }> {
    const stored = await this.state.store.stats();
    return { documents: stored.documents, chunks: stored.chunks, vectors: this.state.vectors.size };
  }

  dispose(): void {
    this.state.vectors.dispose();
  }
}

export function summarize(doc: DocumentRecord): DocumentSummary {
  return {
    id: doc.id,
    name: doc.name,
    path: doc.path,
    type: doc.type,
    size: doc.size,
    hash: doc.hash,
    chunkCount: doc.chunkCount,
    addedAt: doc.addedAt,
    lastModified: doc.lastModified,
    status: doc.status,
    pages: doc.pages,
    warnings: doc.warnings,
  };
}
