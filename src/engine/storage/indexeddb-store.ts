import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { createError, toEngineError } from '../errors';
import type { IdCounter, Store } from './store';
import type { ChunkRecord, DocumentRecord, StoreStats } from './records';
import { SCHEMA_VERSION, type SiftSchema } from './schema';
import { migrate } from './migrations';

// Relaxed durability: a batch lost to a power cut is re-done on the next
// load (documents stay 'indexing' until their last batch), so the cost of a
// strict flush per batch buys nothing.
const RELAXED = { durability: 'relaxed' } as const;

/** The IndexedDB Store. The database name comes from config; opening never clears. */
export class IndexedDbStore implements Store {
  private constructor(private readonly db: IDBPDatabase<SiftSchema>) {}

  static async open(name: string): Promise<IndexedDbStore> {
    try {
      const db = await openDB<SiftSchema>(name, SCHEMA_VERSION, {
        upgrade: migrate,
        blocked: () => {
          // Another tab holds an older version open; it closes on `versionchange`.
        },
      });
      db.addEventListener('versionchange', () => db.close());
      return new IndexedDbStore(db);
    } catch (error) {
      throw toEngineError(error, 'STORAGE_FAILED');
    }
  }

  async allocateIds(counter: IdCounter, count: number): Promise<number> {
    return this.transact(['meta'], async (tx) => {
      const key = `counter:${counter}`;
      const first = ((await tx.objectStore('meta').get(key)) as number | undefined) ?? 1;
      quiet(tx.objectStore('meta').put(first + count, key));
      return first;
    });
  }

  async putDocument(doc: DocumentRecord): Promise<void> {
    await this.write(() => this.db.put('documents', doc));
  }

  getDocument(id: number): Promise<DocumentRecord | undefined> {
    return this.db.get('documents', id);
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    return this.db.getAll('documents');
  }

  findDocumentByPath(path: string): Promise<DocumentRecord | undefined> {
    return this.db.getFromIndex('documents', 'byPath', path);
  }

  async putChunkBatch(doc: DocumentRecord, chunks: readonly ChunkRecord[]): Promise<void> {
    await this.transact(['documents', 'chunks'], (tx) => {
      const chunkStore = tx.objectStore('chunks');
      for (const chunk of chunks) quiet(chunkStore.put(chunk));
      quiet(tx.objectStore('documents').put(doc));
    });
  }

  async getChunks(ids: readonly number[]): Promise<(ChunkRecord | undefined)[]> {
    const tx = this.db.transaction('chunks', 'readonly');
    const found = await Promise.all(ids.map((id) => tx.store.get(id)));
    await tx.done;
    return found;
  }

  async forEachChunk(visit: (chunk: ChunkRecord) => void, pageSize = 2048): Promise<void> {
    let lower: number | undefined;
    for (;;) {
      const range = lower === undefined ? undefined : IDBKeyRange.lowerBound(lower, true);
      const page = await this.db.getAll('chunks', range, pageSize);
      for (const chunk of page) visit(chunk);
      if (page.length < pageSize) return;
      lower = page[page.length - 1].id;
    }
  }

  async chunkIdsOfDocument(docId: number): Promise<number[]> {
    return (await this.db.getAllKeysFromIndex('chunks', 'byDoc', docId)).sort((a, b) => a - b);
  }

  /** The schema version actually open (a capped build opens an older one). */
  get schemaVersion(): number {
    return this.db.version;
  }

  async deleteDocument(docId: number): Promise<number[]> {
    return this.transact(['documents', 'chunks'], async (tx) => {
      const chunkStore = tx.objectStore('chunks');
      const ids = await chunkStore.index('byDoc').getAllKeys(docId);
      for (const id of ids) quiet(chunkStore.delete(id));
      quiet(tx.objectStore('documents').delete(docId));
      return ids.sort((a, b) => a - b);
    });
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('meta', key)) as T | undefined;
  }

  async putMeta(key: string, value: unknown): Promise<void> {
    await this.write(() => this.db.put('meta', value, key));
  }

  async putBlob(name: string, parts: readonly Uint8Array[], meta: Record<string, unknown>): Promise<void> {
    // Structured clone stores a view's whole underlying buffer: 22 views of one
    // 173 MiB index wrote 3.8 GiB and took 16 s to read back. Each piece gets its own.
    const owned = parts.map((p) => (p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()));
    await this.transact(['blobHeaders', 'blobParts'], async (tx) => {
      const partStore = tx.objectStore('blobParts');
      const old = await tx.objectStore('blobHeaders').get(name);
      for (let part = parts.length; part < (old?.partCount ?? 0); part++) quiet(partStore.delete([name, part]));
      owned.forEach((bytes, part) => quiet(partStore.put({ name, part, bytes })));
      quiet(tx.objectStore('blobHeaders').put({ name, partCount: parts.length, meta }));
    });
  }

  async getBlob(name: string): Promise<{ parts: Uint8Array[]; meta: Record<string, unknown> } | undefined> {
    const tx = this.db.transaction(['blobHeaders', 'blobParts'], 'readonly');
    const header = await tx.objectStore('blobHeaders').get(name);
    if (!header) return undefined;
    const partStore = tx.objectStore('blobParts');
    const parts = await Promise.all(
      Array.from({ length: header.partCount }, (_, part) => partStore.get([name, part])),
    );
    await tx.done;
    if (parts.some((p) => !p)) {
      throw createError('CORRUPT_INDEX', `Stored data "${name}" is missing pieces.`, { name });
    }
    return { parts: parts.map((p) => p!.bytes), meta: header.meta };
  }

  async deleteBlob(name: string): Promise<void> {
    await this.transact(['blobHeaders', 'blobParts'], async (tx) => {
      const header = await tx.objectStore('blobHeaders').get(name);
      const partStore = tx.objectStore('blobParts');
      quiet(tx.objectStore('blobHeaders').delete(name));
      for (let part = 0; part < (header?.partCount ?? 0); part++) quiet(partStore.delete([name, part]));
    });
  }

  async listBlobNames(prefix: string): Promise<string[]> {
    // Every name with the prefix sorts between the prefix itself and prefix + U+FFFF.
    return this.db.getAllKeys('blobHeaders', IDBKeyRange.bound(prefix, `${prefix}\uffff`));
  }

  async stats(): Promise<StoreStats> {
    const tx = this.db.transaction(['documents', 'chunks'], 'readonly');
    const [documents, chunks] = await Promise.all([
      tx.objectStore('documents').count(),
      tx.objectStore('chunks').count(),
    ]);
    await tx.done;
    return { documents, chunks };
  }

  close(): void {
    this.db.close();
  }

  /** Runs a write and turns storage failures (quota above all) into coded errors. */
  private async write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toEngineError(error, 'STORAGE_FAILED');
    }
  }

  /**
   * One read-write transaction: everything `run` queues commits together, or
   * nothing does. A failure aborts explicitly, because IndexedDB would
   * otherwise commit the requests that had already succeeded.
   */
  private async transact<T, S extends StoreNames<SiftSchema>>(
    stores: S[],
    run: (tx: IDBPTransaction<SiftSchema, S[], 'readwrite'>) => T | Promise<T>,
  ): Promise<T> {
    const tx = this.db.transaction(stores, 'readwrite', RELAXED);
    try {
      const result = await run(tx);
      await tx.done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already finished or aborted.
      }
      await tx.done.catch(() => {});
      throw toEngineError(unwrapAbort(error, tx), 'STORAGE_FAILED');
    }
  }
}

/** Request promises are watched through `tx.done`; this keeps their own rejections from going unhandled. */
function quiet(request: Promise<unknown>): void {
  request.catch(() => {});
}

/** An aborted transaction reports AbortError; the cause (often QuotaExceededError) is on `tx.error`. */
function unwrapAbort(error: unknown, tx: { error: DOMException | null }): unknown {
  if (error instanceof Error && error.name === 'AbortError' && tx.error) return tx.error;
  return error;
}
