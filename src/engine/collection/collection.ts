import { createError } from '../errors';
import { vectorSpaceKey, type Embedder } from '../embedding/embedder';
import type { Metric } from '../indexes/vector-index';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import type { Store } from '../storage/store';
import { Bm25Index } from '../text/bm25-index';
import type { CollectionState, DocumentSummary } from './collection-state';
import { loadSnapshot, saveSnapshot, stampGeneration, storedGeneration } from './snapshot';
import { lexicalText } from './lexical-text';
import { DEFAULT_INDEX_SETTINGS, type IndexSettings } from './index-policy';
import { VectorIndexPlan } from './vector-index-plan';

export interface CollectionOptions {
  store: Store;
  embedder: Embedder;
  /** A fixed faiss-style description ("Flat", "HNSW32"), or settings for choosing one by size. */
  index?: string | IndexSettings;
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
    private readonly plan: VectorIndexPlan,
    /** The description of the vector index in memory. */
    private description: string,
  ) {
    this.vectorSpace = vectorSpaceKey(state.embedder.info);
  }

  get indexDescription(): string {
    return this.description;
  }

  static async open(options: CollectionOptions): Promise<{ collection: Collection; report: OpenReport }> {
    const { store, embedder } = options;
    const plan = new VectorIndexPlan(options.index ?? DEFAULT_INDEX_SETTINGS, embedder.info.dim, options.metric ?? 'cosine');
    const description = plan.describe(0);
    const state: CollectionState = {
      store,
      embedder,
      vectors: plan.createEmpty(description),
      lexical: new Bm25Index(),
      documents: new Map(),
      chunkToDoc: new Map(),
      version: (await store.getMeta<number>('collection:version')) ?? 0,
    };
    const collection = new Collection(state, plan, description);
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
      description: this.plan.describe(chunkCount),
    });
    if (snapshot) {
      this.description = snapshot.description;
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
    this.state.lexical = new Bm25Index();
    this.state.chunkToDoc.clear();

    const staleDocs = new Set<number>();
    for (const doc of await store.listDocuments()) {
      if (doc.vectorSpace !== this.vectorSpace) staleDocs.add(doc.id);
    }
    const stale: ChunkRecord[] = [];
    await store.forEachChunk((chunk) => {
      if (!this.state.documents.has(chunk.docId)) return;
      this.state.chunkToDoc.set(chunk.id, chunk.docId);
      this.state.lexical.add(chunk.id, lexicalText(chunk));
      if (staleDocs.has(chunk.docId) || chunk.vector.length !== dim) stale.push(chunk);
    });

    // Re-embed first, so the vector index is built once, from vectors that all share one space.
    for (let i = 0; i < stale.length; i += REEMBED_BATCH) {
      const batch = stale.slice(i, i + REEMBED_BATCH);
      const vectors = await embedder.embed(batch.map((c) => c.text), 'passage');
      const byDoc = new Map<number, ChunkRecord[]>();
      batch.forEach((chunk, j) => {
        const updated = { ...chunk, vector: vectors.slice(j * dim, (j + 1) * dim) };
        byDoc.set(chunk.docId, [...(byDoc.get(chunk.docId) ?? []), updated]);
      });
      for (const [docId, chunks] of byDoc) {
        const doc = await store.getDocument(docId);
        if (!doc) continue;
        const complete = (await store.chunkIdsOfDocument(docId)).every((id) => id <= chunks[chunks.length - 1].id);
        // The document joins the new space only with its last re-embedded batch.
        await store.putChunkBatch(complete ? { ...doc, vectorSpace: this.vectorSpace } : doc, chunks);
      }
      onRebuild?.(Math.min(i + REEMBED_BATCH, stale.length), stale.length);
    }
    await this.rebuildVectors();
    this.state.version++;
    return stale.length;
  }

  /** Builds the vector index from stored vectors, choosing its kind for the collection's size. */
  private async rebuildVectors(): Promise<void> {
    const { dim } = this.state.embedder.info;
    const count = this.state.chunkToDoc.size;
    const built = await this.plan.build(
      this.state.store,
      count,
      (docId, vector) => this.state.documents.has(docId) && vector.length === dim,
    );
    this.state.vectors.dispose();
    this.state.vectors = built.index;
    this.description = built.description;
  }

  /** Saves the in-memory indexes so the next load skips the rebuild. */
  async persist(): Promise<void> {
    // The collection may have grown (or shrunk) past the point where another index kind fits better.
    if (this.plan.describe(this.state.vectors.size) !== this.description) await this.rebuildVectors();
    await saveSnapshot(this.state, this.vectorSpace, this.description);
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
  // The full text stays in storage; only the document viewer needs it.
  const { text: _text, vectorSpace: _space, ...summary } = doc;
  return summary;
}
