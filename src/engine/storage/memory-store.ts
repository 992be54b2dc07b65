import type { IdCounter, Store } from './store';
import type { ChunkRecord, DocumentRecord, StoreStats } from './records';

/** The in-memory Store, for tests and for Node tools such as the eval harness. */
export class MemoryStore implements Store {
  private readonly counters = new Map<string, number>();
  private readonly documents = new Map<number, DocumentRecord>();
  private readonly chunks = new Map<number, ChunkRecord>();
  private readonly meta = new Map<string, unknown>();
  private readonly blobs = new Map<string, { parts: Uint8Array[]; meta: Record<string, unknown> }>();

  async allocateIds(counter: IdCounter, count: number): Promise<number> {
    const first = this.counters.get(counter) ?? 1;
    this.counters.set(counter, first + count);
    return first;
  }

  async putDocument(doc: DocumentRecord): Promise<void> {
    this.documents.set(doc.id, structuredClone(doc));
  }

  async getDocument(id: number): Promise<DocumentRecord | undefined> {
    const doc = this.documents.get(id);
    return doc && structuredClone(doc);
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    return [...this.documents.values()].sort((a, b) => a.id - b.id).map((d) => structuredClone(d));
  }

  async findDocumentByPath(path: string): Promise<DocumentRecord | undefined> {
    for (const doc of this.documents.values()) if (doc.path === path) return structuredClone(doc);
    return undefined;
  }

  async putChunkBatch(doc: DocumentRecord, chunks: readonly ChunkRecord[]): Promise<void> {
    this.documents.set(doc.id, structuredClone(doc));
    for (const chunk of chunks) this.chunks.set(chunk.id, structuredClone(chunk));
  }

  async getChunks(ids: readonly number[]): Promise<(ChunkRecord | undefined)[]> {
    return ids.map((id) => {
      const chunk = this.chunks.get(id);
      return chunk && structuredClone(chunk);
    });
  }

  async forEachChunk(visit: (chunk: ChunkRecord) => void): Promise<void> {
    const ids = [...this.chunks.keys()].sort((a, b) => a - b);
    for (const id of ids) visit(structuredClone(this.chunks.get(id)!));
  }

  async chunkIdsOfDocument(docId: number): Promise<number[]> {
    const ids: number[] = [];
    for (const chunk of this.chunks.values()) if (chunk.docId === docId) ids.push(chunk.id);
    return ids.sort((a, b) => a - b);
  }

  async deleteDocument(docId: number): Promise<number[]> {
    const ids = await this.chunkIdsOfDocument(docId);
    for (const id of ids) this.chunks.delete(id);
    this.documents.delete(docId);
    return ids;
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    const value = this.meta.get(key);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async putMeta(key: string, value: unknown): Promise<void> {
    this.meta.set(key, structuredClone(value));
  }

  async putBlob(name: string, parts: readonly Uint8Array[], meta: Record<string, unknown>): Promise<void> {
    this.blobs.set(name, { parts: parts.map((p) => p.slice()), meta: structuredClone(meta) });
  }

  async getBlob(name: string): Promise<{ parts: Uint8Array[]; meta: Record<string, unknown> } | undefined> {
    const blob = this.blobs.get(name);
    return blob && { parts: blob.parts.map((p) => p.slice()), meta: structuredClone(blob.meta) };
  }

  async deleteBlob(name: string): Promise<void> {
    this.blobs.delete(name);
  }

  async listBlobNames(prefix: string): Promise<string[]> {
    return [...this.blobs.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  async stats(): Promise<StoreStats> {
    return { documents: this.documents.size, chunks: this.chunks.size };
  }

  close(): void {}
}
