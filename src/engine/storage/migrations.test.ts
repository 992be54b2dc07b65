import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { IndexedDbStore } from './indexeddb-store';
import { migrate } from './migrations';
import { LATEST_SCHEMA_VERSION, type SiftSchema } from './schema';

describe('schema migrations', () => {
  it('upgrades a version 1 database to the latest without losing anything', async () => {
    const name = 'sift-migrate-v1';
    // A database as the previous release wrote it: the v1 schema, with a v1-era chunk lacking a heading path.
    const v1 = await openDB<SiftSchema>(name, 1, { upgrade: migrate });
    expect([...v1.objectStoreNames].sort()).toEqual(['blobHeaders', 'blobParts', 'chunks', 'documents', 'meta']);
    expect([...v1.transaction('chunks').store.indexNames]).toEqual(['byDoc']);
    await v1.put('documents', {
      id: 1, name: 'a.txt', path: 'a.txt', type: 'txt', size: 5, hash: 'h', lastModified: 0, addedAt: 0,
      status: 'ready', chunkCount: 2, text: 'hello world', vectorSpace: 'v',
    });
    await v1.put('chunks', { id: 7, docId: 1, index: 1, text: 'world', start: 6, end: 11, vector: Float32Array.of(1, 0) } as never);
    await v1.put('chunks', { id: 3, docId: 1, index: 0, text: 'hello', start: 0, end: 5, headingPath: ['H'], vector: Float32Array.of(0, 1) });
    await v1.put('meta', 5, 'counter:chunk');
    v1.close();

    const store = await IndexedDbStore.open(name);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.stats()).toEqual({ documents: 1, chunks: 2 });
    expect(await store.allocateIds('chunk', 1)).toBe(5);
    const [first, second] = await store.getChunks([3, 7]);
    expect(first?.headingPath).toEqual(['H']);
    expect(second?.headingPath).toEqual([]);
    expect(Array.from(second!.vector)).toEqual([1, 0]);
    store.close();

    const raw = await openDB<SiftSchema>(name, LATEST_SCHEMA_VERSION);
    const byPosition = await raw.getAllFromIndex('chunks', 'byDocPosition', IDBKeyRange.bound([1, 0], [1, Infinity]));
    expect(byPosition.map((c) => c.id)).toEqual([3, 7]);
    raw.close();
  });

  it('creates the latest schema directly on a fresh database', async () => {
    const store = await IndexedDbStore.open('sift-migrate-fresh');
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });
});
