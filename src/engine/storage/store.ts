import type { ChunkRecord, DocumentRecord, StoreStats } from './records';

export type IdCounter = 'doc' | 'chunk' | 'queue';

/**
 * Persistence behind one interface, so the engine cannot tell IndexedDB from
 * memory and tests can wrap it (for example to simulate a full quota).
 *
 * Every method that writes does so in one transaction: a batch is either
 * stored whole or not at all. Opening a store never clears anything.
 */
export interface Store {
  /** Allocates `count` consecutive ids from a persistent counter. */
  allocateIds(counter: IdCounter, count: number): Promise<number>;

  putDocument(doc: DocumentRecord): Promise<void>;
  getDocument(id: number): Promise<DocumentRecord | undefined>;
  listDocuments(): Promise<DocumentRecord[]>;
  findDocumentByPath(path: string): Promise<DocumentRecord | undefined>;

  /** Stores a batch of chunks and updates their document, atomically. */
  putChunkBatch(doc: DocumentRecord, chunks: readonly ChunkRecord[]): Promise<void>;
  getChunks(ids: readonly number[]): Promise<(ChunkRecord | undefined)[]>;
  /** Visits all chunks in id order, in pages, without holding them all. */
  forEachChunk(visit: (chunk: ChunkRecord) => void, pageSize?: number): Promise<void>;
  chunkIdsOfDocument(docId: number): Promise<number[]>;

  /** Deletes a document and all its chunks atomically; returns the chunk ids. */
  deleteDocument(docId: number): Promise<number[]>;

  getMeta<T>(key: string): Promise<T | undefined>;
  putMeta(key: string, value: unknown): Promise<void>;

  /** Large binary values (index snapshots), stored in pieces. */
  putBlob(name: string, parts: readonly Uint8Array[], meta: Record<string, unknown>): Promise<void>;
  getBlob(name: string): Promise<{ parts: Uint8Array[]; meta: Record<string, unknown> } | undefined>;
  deleteBlob(name: string): Promise<void>;
  /** Names of stored blobs starting with `prefix`, in name order. */
  listBlobNames(prefix: string): Promise<string[]>;

  stats(): Promise<StoreStats>;
  close(): void;
}
