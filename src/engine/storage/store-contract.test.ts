import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexedDbStore } from './indexeddb-store';
import { MemoryStore } from './memory-store';
import type { Store } from './store';
import type { ChunkRecord, DocumentRecord } from './records';

// The same behaviour is required of both stores; the engine cannot tell them apart.
let dbCounter = 0;
const stores: [string, () => Promise<Store>][] = [
  ['MemoryStore', async () => new MemoryStore()],
  ['IndexedDbStore', () => IndexedDbStore.open(`sift-test-${++dbCounter}`)],
];

const doc = (id: number, path: string): DocumentRecord => ({
  id, name: path, path, type: 'txt', size: 10, hash: `h${id}`, lastModified: 0, addedAt: 0,
  status: 'ready', chunkCount: 2, text: 'hello world', vectorSpace: 'v',
});
const chunk = (id: number, docId: number): ChunkRecord => ({
  id, docId, index: id, text: `chunk ${id}`, start: 0, end: 5, headingPath: ['H'], vector: Float32Array.of(id, 1, 2),
});

describe.each(stores)('%s', (_name, make) => {
  it('allocates consecutive ids that persist', async () => {
    const store = await make();
    expect(await store.allocateIds('chunk', 5)).toBe(1);
    expect(await store.allocateIds('chunk', 2)).toBe(6);
    expect(await store.allocateIds('doc', 1)).toBe(1);
  });

  it('stores documents with their chunks and vectors, and deletes them together', async () => {
    const store = await make();
    await store.putChunkBatch(doc(1, 'a.txt'), [chunk(1, 1), chunk(2, 1)]);
    await store.putChunkBatch(doc(2, 'b.txt'), [chunk(3, 2)]);
    expect((await store.findDocumentByPath('b.txt'))?.id).toBe(2);
    const [c] = await store.getChunks([2]);
    expect(c?.vector).toBeInstanceOf(Float32Array);
    expect(Array.from(c!.vector)).toEqual([2, 1, 2]);
    expect(await store.chunkIdsOfDocument(1)).toEqual([1, 2]);
    expect(await store.deleteDocument(1)).toEqual([1, 2]);
    expect(await store.stats()).toEqual({ documents: 1, chunks: 1 });
    const seen: number[] = [];
    await store.forEachChunk((ch) => seen.push(ch.id), 1);
    expect(seen).toEqual([3]);
  });

  it('stores blobs in pieces and replaces them whole', async () => {
    const store = await make();
    await store.putBlob('x', [Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4)], { v: 1 });
    await store.putBlob('x', [Uint8Array.of(9)], { v: 2 });
    const blob = await store.getBlob('x');
    expect(blob?.parts.map((p) => Array.from(p))).toEqual([[9]]);
    expect(blob?.meta).toEqual({ v: 2 });
    await store.putBlob('pending:2', [Uint8Array.of(1)], {});
    await store.putBlob('pending:10', [Uint8Array.of(1)], {});
    await store.putBlob('pendinh', [Uint8Array.of(1)], {});
    expect(await store.listBlobNames('pending:')).toEqual(['pending:10', 'pending:2']);
    await store.deleteBlob('x');
    expect(await store.getBlob('x')).toBeUndefined();
  });

  it('stores each piece on its own, not the whole buffer a piece is a view of', async () => {
    const store = await make();
    const whole = new Uint8Array(1000).map((_, i) => i % 251);
    const views = [whole.subarray(0, 100), whole.subarray(100, 600), whole.subarray(600)];
    await store.putBlob('views', views, {});
    const blob = await store.getBlob('views');
    expect(blob?.parts.map((p) => p.buffer.byteLength)).toEqual([100, 500, 400]);
    expect(blob?.parts.map((p) => Array.from(p))).toEqual(views.map((v) => Array.from(v)));
  });
});

describe('IndexedDbStore', () => {
  it('keeps everything when reopened: opening never clears', async () => {
    const name = `sift-reopen-${++dbCounter}`;
    const first = await IndexedDbStore.open(name);
    await first.putChunkBatch(doc(1, 'a.txt'), [chunk(1, 1)]);
    await first.putMeta('k', { deep: [1, 2] });
    first.close();
    const second = await IndexedDbStore.open(name);
    expect(await second.stats()).toEqual({ documents: 1, chunks: 1 });
    expect(await second.getMeta('k')).toEqual({ deep: [1, 2] });
  });

  it('turns a full quota into QUOTA_EXCEEDED and keeps the batch out', async () => {
    const store = await IndexedDbStore.open(`sift-quota-${++dbCounter}`);
    const original = IDBObjectStore.prototype.put;
    let calls = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++calls === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await expect(store.putChunkBatch(doc(1, 'a.txt'), [chunk(1, 1), chunk(2, 1)])).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(await store.stats()).toEqual({ documents: 0, chunks: 0 });
  });
});
