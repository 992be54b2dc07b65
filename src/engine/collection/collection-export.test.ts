import { describe, expect, it } from 'vitest';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import { MemoryStore } from '../storage/memory-store';
import { exportCollection } from './collection-export';
import { readCollectionFile } from './collection-file-format';

const SPACE_A = 'model-a|fp32|mean|norm|4|""|""';
const SPACE_B = 'model-b|fp32|mean|norm|2|""|""';

function doc(id: number, path: string, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  const text = `${path} first paragraph.\n\n${path} second paragraph.`;
  return {
    id, name: path.split('/').pop()!, path, type: 'txt', size: text.length, hash: `hash-${path}`, lastModified: 5,
    addedAt: 6, status: 'ready', chunkCount: 2, text, vectorSpace: SPACE_A, ...extra,
  };
}

function chunks(d: DocumentRecord, firstId: number, dim: number): ChunkRecord[] {
  const split = d.text.indexOf('\n\n');
  const spans = [[0, split], [split + 2, d.text.length]];
  return spans.map(([start, end], index) => ({
    id: firstId + index, docId: d.id, index, text: d.text.slice(start, end), start, end, headingPath: [],
    vector: Float32Array.from({ length: dim }, (_, j) => d.id + index / 10 + j / 100),
  }));
}

describe('exportCollection', () => {
  it('exports ready documents only, chunks grouped by document in position order', async () => {
    const store = new MemoryStore();
    const a = doc(1, 'a.txt');
    const b = doc(2, 'b.txt');
    const pending = doc(3, 'pending.txt', { status: 'indexing' });
    // Chunk ids interleave documents and run against positions, as after a resumed ingest.
    const [a0, a1] = chunks(a, 0, 4);
    await store.putChunkBatch(a, [{ ...a0, id: 20 }, { ...a1, id: 10 }]);
    await store.putChunkBatch(b, chunks(b, 15, 4));
    await store.putChunkBatch(pending, chunks(pending, 30, 4));

    const file = readCollectionFile(await exportCollection(store, { now: () => 0 }), 'x.siftcol');
    const { header } = file;
    expect(header.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(header.vectorSpace).toBe(SPACE_A);
    expect(header.dim).toBe(4);
    expect(header.documents.map((d) => d.path)).toEqual(['a.txt', 'b.txt']);
    expect(header.chunks.map((c) => [c.docId, c.index])).toEqual([[1, 0], [1, 1], [2, 0], [2, 1]]);
    expect(header.chunks[0]).not.toHaveProperty('vector');
    expect(file.vectors[0]).toBeCloseTo(1);
    expect(file.vectors[4]).toBeCloseTo(1.1);
    expect(file.vectors[8]).toBeCloseTo(2);
  });

  it('keeps one vector space and flags documents from another for re-embedding', async () => {
    const store = new MemoryStore();
    const a = doc(1, 'a.txt');
    const b = doc(2, 'b.txt');
    const c = doc(3, 'c.txt', { vectorSpace: SPACE_B });
    await store.putChunkBatch(a, chunks(a, 1, 4));
    await store.putChunkBatch(b, chunks(b, 3, 4));
    await store.putChunkBatch(c, chunks(c, 5, 2));

    const majority = readCollectionFile(await exportCollection(store), 'x').header;
    expect([majority.vectorSpace, majority.dim]).toEqual([SPACE_A, 4]);
    expect(majority.documents.map((d) => d.vectors)).toEqual([true, true, false]);
    expect(majority.documents[2].vectorSpace).toBe(SPACE_B);

    // The open collection's space wins even when it is the minority.
    const preferred = readCollectionFile(await exportCollection(store, { vectorSpace: SPACE_B }), 'x');
    expect([preferred.header.vectorSpace, preferred.header.dim]).toEqual([SPACE_B, 2]);
    expect(preferred.header.documents.map((d) => d.vectors)).toEqual([false, false, true]);
    expect(preferred.vectors[4 * 2]).toBeCloseTo(3);
  });

  it('flags documents whose vectors are missing or of mixed lengths', async () => {
    const store = new MemoryStore();
    const a = doc(1, 'a.txt');
    const empty = doc(2, 'empty.txt', { vectorSpace: '' });
    const mixed = doc(3, 'mixed.txt');
    await store.putChunkBatch(a, chunks(a, 1, 4));
    await store.putChunkBatch(empty, chunks(empty, 3, 0));
    const [m0, m1] = chunks(mixed, 5, 4);
    await store.putChunkBatch(mixed, [m0, { ...m1, vector: new Float32Array(3) }]);
    const { header } = readCollectionFile(await exportCollection(store), 'x');
    expect(header.documents.map((d) => [d.path, d.vectors])).toEqual([
      ['a.txt', true],
      ['empty.txt', false],
      ['mixed.txt', false],
    ]);
  });

  it('keeps only the newer of two ready documents on one path (a replace in progress)', async () => {
    const store = new MemoryStore();
    const old = doc(1, 'a.txt');
    const replacement = doc(2, 'a.txt', { hash: 'new', text: 'a.txt first paragraph.\n\na.txt second paragraph.' });
    await store.putChunkBatch(old, chunks(old, 1, 4));
    await store.putChunkBatch(replacement, chunks(replacement, 3, 4));
    const { header } = readCollectionFile(await exportCollection(store), 'x');
    expect(header.documents.map((d) => [d.id, d.hash])).toEqual([[2, 'new']]);
    expect(header.chunks.every((c) => c.docId === 2)).toBe(true);
  });

  it('exports an empty store as a valid empty file', async () => {
    const { header, vectors } = readCollectionFile(await exportCollection(new MemoryStore()), 'x');
    expect(header).toMatchObject({ vectorSpace: '', dim: 0, documentCount: 0, chunkCount: 0 });
    expect(vectors.length).toBe(0);
  });
});
