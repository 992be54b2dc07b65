import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { fileFromBytes } from '../ingest/ingest-progress';
import { Sift } from '../sift';
import { IndexedDbStore } from '../storage/indexeddb-store';
import { MemoryStore } from '../storage/memory-store';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import type { Store } from '../storage/store';
import { HashingEmbedder } from '../testing/hashing-embedder';
import { paragraphProcessor } from '../testing/paragraph-processor';
import { exportCollection } from './collection-export';
import { importCollection } from './collection-import';

const FILE = 'my-collection.siftcol';
const SPACE = 'test/space';
const DIM = 4;
const enc = (s: string) => new TextEncoder().encode(s);

function doc(id: number, path: string, text: string, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id, name: path.split('/').pop()!, path, type: 'md', size: text.length, hash: `hash:${text}`, lastModified: 11,
    addedAt: 22, status: 'ready', chunkCount: 0, text, vectorSpace: SPACE, ...extra,
  };
}

/** Stores a document with one chunk per paragraph, like an ingest would. */
async function seed(store: Store, path: string, text: string, extra: Partial<DocumentRecord> = {}): Promise<void> {
  const id = await store.allocateIds('doc', 1);
  const spans = [...text.matchAll(/[^\n]+/g)].map((m) => [m.index!, m.index! + m[0].length]);
  const first = await store.allocateIds('chunk', spans.length);
  const records: ChunkRecord[] = spans.map(([start, end], index) => ({
    id: first + index, docId: id, index, text: text.slice(start, end), start, end,
    headingPath: index > 0 ? ['Title', `Part ${index}`] : [], page: index + 1,
    vector: Float32Array.from({ length: DIM }, (_, j) => Math.sin(id * 7 + index * 3 + j)),
  }));
  await store.putChunkBatch(doc(id, path, text, { chunkCount: records.length, pages: spans.length, ...extra }), records);
}

async function seededStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await seed(store, 'notes/volcanoes.md', 'Basaltic lava.\nShield volcanoes.\nPyroclastic flows.', { warnings: ['w1'] });
  await seed(store, 'bread.md', 'Sourdough starter.\nDutch oven.');
  await seed(store, 'orbits.md', 'Geostationary orbit.');
  return store;
}

/** Everything stored, ids replaced by what they point at, for comparing two stores. */
async function contents(store: Store) {
  const docs = await store.listDocuments();
  const byDoc = new Map<number, ChunkRecord[]>(docs.map((d) => [d.id, []]));
  await store.forEachChunk((chunk) => byDoc.get(chunk.docId)!.push(chunk));
  return docs
    .map(({ id, ...rest }) => ({
      ...rest,
      chunks: byDoc
        .get(id)!
        .sort((a, b) => a.index - b.index)
        .map(({ id: _id, docId: _docId, vector, ...chunk }) => ({ ...chunk, vector: Array.from(vector) })),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Records every call that writes, to prove a rejected file wrote nothing. */
function watchWrites(store: Store): { store: Store; writes: string[] } {
  const writes: string[] = [];
  const readOnly = new Set(['getDocument', 'listDocuments', 'findDocumentByPath', 'getChunks', 'forEachChunk',
    'chunkIdsOfDocument', 'getMeta', 'getBlob', 'listBlobNames', 'stats']);
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!readOnly.has(String(key))) writes.push(String(key));
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, writes };
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('importCollection', () => {
  it('round-trips documents, chunks, offsets, headings, pages and vectors into an empty store', async () => {
    const source = await seededStore();
    const bytes = await exportCollection(source);
    const target = new MemoryStore();
    await target.allocateIds('doc', 40); // so ids have to be remapped
    await target.allocateIds('chunk', 100);
    const summary = await importCollection(target, bytes, { fileName: FILE, currentVectorSpace: SPACE });
    expect(summary).toEqual({ added: 3, skipped: 0, replaced: 0, chunks: 6, needsReembedding: false });
    expect(await contents(target)).toEqual(await contents(source));
    expect((await target.listDocuments()).map((d) => d.id)).toEqual([41, 42, 43]);
    const ids: number[] = [];
    await target.forEachChunk((c) => ids.push(c.id));
    expect(ids).toEqual([101, 102, 103, 104, 105, 106]);
  });

  it('skips everything the second time', async () => {
    const bytes = await exportCollection(await seededStore());
    const target = new MemoryStore();
    await importCollection(target, bytes, { fileName: FILE });
    const before = await contents(target);
    const { store, writes } = watchWrites(target);
    const again = await importCollection(store, bytes, { fileName: FILE });
    expect(again).toEqual({ added: 0, skipped: 3, replaced: 0, chunks: 0, needsReembedding: false });
    expect(writes).toEqual([]);
    expect(await contents(target)).toEqual(before);
  });

  it('replaces a changed document, and skips content already stored under another path', async () => {
    const bytes = await exportCollection(await seededStore());
    const target = new MemoryStore();
    await seed(target, 'bread.md', 'Rye bread.\nLong proof.');
    await seed(target, 'copy-of-orbits.md', 'Geostationary orbit.');
    await seed(target, 'mine.md', 'Untouched.');
    const summary = await importCollection(target, bytes, { fileName: FILE });
    expect(summary).toMatchObject({ added: 1, skipped: 1, replaced: 1, chunks: 5 });
    const stored = await contents(target);
    expect(stored.map((d) => d.path)).toEqual(['bread.md', 'copy-of-orbits.md', 'mine.md', 'notes/volcanoes.md']);
    expect(stored[0].text).toBe('Sourdough starter.\nDutch oven.');
    expect(stored[0].chunks.map((c) => c.text)).toEqual(['Sourdough starter.', 'Dutch oven.']);
    expect(await target.stats()).toEqual({ documents: 4, chunks: 7 });
  });

  it('rejects damaged, truncated, foreign and newer files with the file name, writing nothing', async () => {
    const bytes = await exportCollection(await seededStore());
    const target = new MemoryStore();
    await seed(target, 'mine.md', 'Untouched.');
    const before = await contents(target);
    const { store, writes } = watchWrites(target);

    const flipped = bytes.slice();
    flipped[bytes.length >> 1] ^= 0x10;
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 7, true);
    const damaged: [Uint8Array, RegExp][] = [
      [flipped, /damaged \(checksum mismatch\)/],
      [bytes.slice(0, bytes.length - 1), /cut short/],
      [bytes.slice(0, 30), /cut short inside the header/],
      [enc('{"app":"sift"}'), /not a Sift collection file/],
      [newer, /newer version of Sift/],
    ];
    for (const [file, message] of damaged) {
      const error = await rejection(importCollection(store, file, { fileName: FILE }));
      expect(error.message).toMatch(new RegExp(`^${FILE}: `));
      expect(error.message).toMatch(message);
      expect(error.details.file).toBe(FILE);
    }
    expect(writes).toEqual([]);
    expect(await contents(target)).toEqual(before);
    expect(await target.stats()).toEqual({ documents: 1, chunks: 1 });
  });

  it('flags vectors from another vector space, and documents exported without vectors', async () => {
    const bytes = await exportCollection(await seededStore());
    const other = new MemoryStore();
    expect(await importCollection(other, bytes, { fileName: FILE, currentVectorSpace: 'another/space' })).toMatchObject({
      added: 3,
      needsReembedding: true,
    });
    // Stored as they came, under their own space, so the next open re-embeds them.
    expect((await other.listDocuments()).every((d) => d.vectorSpace === SPACE)).toBe(true);

    const mixed = await seededStore();
    await seed(mixed, 'foreign.md', 'From another model.', { vectorSpace: 'old/space' });
    const target = new MemoryStore();
    const summary = await importCollection(target, await exportCollection(mixed), { fileName: FILE, currentVectorSpace: SPACE });
    expect(summary).toMatchObject({ added: 4, needsReembedding: true });
    const foreign = (await target.findDocumentByPath('foreign.md'))!;
    expect(foreign.vectorSpace).toBe('');
    const [chunk] = await target.getChunks(await target.chunkIdsOfDocument(foreign.id));
    expect(chunk!.vector.length).toBe(0);
    expect(chunk!.text).toBe('From another model.');
  });

  it('writes a large document in batches and marks it ready only at the end', async () => {
    const source = new MemoryStore();
    await seed(source, 'long.md', Array.from({ length: 7 }, (_, i) => `Paragraph ${i}.`).join('\n'));
    const target = new MemoryStore();
    const statuses: string[] = [];
    const spy = new Proxy(target, {
      get(t, key) {
        const value = Reflect.get(t, key);
        if (key === 'putChunkBatch') {
          return (d: DocumentRecord, c: ChunkRecord[]) => (statuses.push(`${d.status}:${c.length}`), t.putChunkBatch(d, c));
        }
        if (key === 'putDocument') return (d: DocumentRecord) => (statuses.push(`put ${d.status}`), t.putDocument(d));
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
    await importCollection(spy, await exportCollection(source), { fileName: FILE, batchSize: 3 });
    expect(statuses).toEqual(['indexing:3', 'indexing:3', 'indexing:1', 'put ready']);
    expect(await contents(target)).toEqual(await contents(source));
  });

  it('reports a storage failure with the file name and keeps the documents already complete', async () => {
    const bytes = await exportCollection(await seededStore());
    const target = new MemoryStore();
    let calls = 0;
    const failing = new Proxy(target, {
      get(t, key) {
        const value = Reflect.get(t, key);
        if (key === 'putChunkBatch' && ++calls === 2) {
          return async () => {
            throw Object.assign(new Error('disk full'), { name: 'QuotaExceededError' });
          };
        }
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
    const error = await rejection(importCollection(failing, bytes, { fileName: FILE }));
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toMatch(new RegExp(`^${FILE}: the import stopped`));
    expect(error.details).toMatchObject({ file: FILE, added: 1 });
    expect(await target.stats()).toEqual({ documents: 1, chunks: 3 });
  });

  it('works the same with the IndexedDB store', async () => {
    const source = await IndexedDbStore.open('sift-import-source');
    await seed(source, 'notes/volcanoes.md', 'Basaltic lava.\nShield volcanoes.');
    await seed(source, 'bread.md', 'Sourdough starter.');
    const bytes = await exportCollection(source);
    const target = await IndexedDbStore.open('sift-import-target');
    expect(await importCollection(target, bytes, { fileName: FILE })).toMatchObject({ added: 2, chunks: 3 });
    expect(await contents(target)).toEqual(await contents(source));
    expect((await importCollection(target, bytes, { fileName: FILE })).skipped).toBe(2);
    const before = await target.stats();
    await rejection(importCollection(target, bytes.slice(0, -4), { fileName: FILE }));
    expect(await target.stats()).toEqual(before);
    source.close();
    target.close();
  });
});

describe('export and import through Sift', () => {
  const FILES = {
    'volcanoes.txt': 'Basaltic lava flows from shield volcanoes.\n\nPyroclastic flows are deadly.',
    'bread.md': 'A sourdough starter holds wild yeast.\n\nBake the loaf in a Dutch oven.',
    'orbits.txt': 'A geostationary satellite orbits above the equator.\n\nHohmann transfers use two burns.',
  };
  const QUERIES = ['geostationary satellite', 'wild yeast bread', 'lava flows', 'two burns'];
  const open = (store: Store, embedder = new HashingEmbedder()) =>
    Sift.open({ store, embedder, process: paragraphProcessor });
  const results = async (sift: Sift) => {
    const out = [];
    for (const mode of ['hybrid', 'dense', 'lexical'] as const) {
      for (const query of QUERIES) {
        const hits = await sift.search(query, { k: 4, mode });
        out.push(hits.map((h) => [h.docName, h.text, h.score.toFixed(5)]));
      }
    }
    return out;
  };

  it('gives the same search results in a fresh store, without re-embedding', async () => {
    const source = new MemoryStore();
    const first = await open(source);
    await first.ingest(Object.entries(FILES).map(([name, text]) => fileFromBytes(name, enc(text))));
    const bytes = await exportCollection(source, { vectorSpace: first.vectorSpace });
    const target = new MemoryStore();
    const summary = await importCollection(target, bytes, { fileName: FILE, currentVectorSpace: first.vectorSpace });
    expect(summary).toEqual({ added: 3, skipped: 0, replaced: 0, chunks: 6, needsReembedding: false });

    const embedder = new HashingEmbedder();
    const second = await open(target, embedder);
    expect(second.openReport).toMatchObject({ source: 'rebuilt', reembedded: 0 });
    expect(embedder.calls).toBe(0);
    expect(await second.stats()).toEqual({ documents: 3, chunks: 6, vectors: 6 });
    const expected = await results(first);
    expect(expected[0][0][0]).toBe('orbits.txt');
    expect(await results(second)).toEqual(expected);
  });

  it('re-embeds imported vectors from another model on the next open', async () => {
    const store = new MemoryStore();
    const first = await open(store, new HashingEmbedder(64, 'model-a'));
    await first.ingest(Object.entries(FILES).map(([name, text]) => fileFromBytes(name, enc(text))));
    const bytes = await exportCollection(store);

    const target = new MemoryStore();
    const current = await open(target, new HashingEmbedder(32, 'model-b'));
    const summary = await importCollection(target, bytes, { fileName: FILE, currentVectorSpace: current.vectorSpace });
    expect(summary.needsReembedding).toBe(true);
    const reopened = await open(target, new HashingEmbedder(32, 'model-b'));
    expect(reopened.openReport).toMatchObject({ source: 'rebuilt', reembedded: 6 });
    expect((await reopened.search('pyroclastic', { mode: 'dense' }))[0].docName).toBe('volcanoes.txt');
  });

  it('invalidates the saved snapshot, even when the chunk count stays the same', async () => {
    const source = new MemoryStore();
    await (await open(source)).ingest(Object.entries(FILES).map(([name, text]) => fileFromBytes(name, enc(text))));
    const bytes = await exportCollection(source);

    const target = new MemoryStore();
    const local = { ...FILES, 'bread.md': 'Rye bread needs a long proof.\n\nRest it overnight.' };
    const current = await open(target);
    await current.ingest(Object.entries(local).map(([name, text]) => fileFromBytes(name, enc(text))));
    const summary = await importCollection(target, bytes, { fileName: FILE, currentVectorSpace: current.vectorSpace });
    expect(summary).toMatchObject({ added: 0, replaced: 1, skipped: 2, chunks: 2 });
    expect((await target.stats()).chunks).toBe(6);

    const reopened = await open(target);
    expect(reopened.openReport.source).toBe('rebuilt');
    const hits = await reopened.search('sourdough starter', { mode: 'lexical' });
    expect(hits[0]?.text).toBe('A sourdough starter holds wild yeast.');
    expect(await reopened.search('rye overnight', { mode: 'lexical' })).toHaveLength(0);
  });
});
