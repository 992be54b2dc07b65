import type { Embedder } from '../embedding/embedder';
import type { VectorIndex } from '../indexes/vector-index';
import type { Store } from '../storage/store';
import type { DocumentRecord } from '../storage/records';
import type { Bm25Index } from '../text/bm25-index';

/** What a document needs at search time, kept in memory so results never wait on storage for names. */
export type DocumentSummary = Omit<DocumentRecord, 'text' | 'vectorSpace'>;

/** The live parts of a collection that ingest, search and persistence share. */
export interface CollectionState {
  readonly store: Store;
  readonly embedder: Embedder;
  vectors: VectorIndex;
  lexical: Bm25Index;
  readonly documents: Map<number, DocumentSummary>;
  /** Chunk id → document id, for filters and deletes. */
  readonly chunkToDoc: Map<number, number>;
  /** Bumped on every change to the indexed chunks; snapshots record it. */
  version: number;
}
