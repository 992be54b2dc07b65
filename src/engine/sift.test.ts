import { describe, expect, it } from 'vitest';
import { Sift } from './sift';
import { MemoryStore } from './storage/memory-store';
import { HashingEmbedder } from './testing/hashing-embedder';
import { paragraphProcessor } from './testing/paragraph-processor';
import { fileFromBytes } from './ingest/ingest-progress';
import type { IngestProgress } from './ingest/ingest-progress';
import type { Store } from './storage/store';
import { createError } from './errors';
import { enqueueFiles } from './ingest/ingest-queue';
import { DEFAULT_INDEX_SETTINGS } from './collection/index-policy';

const enc = (s: string) => new TextEncoder().encode(s);
const FILES = {
  'volcanoes.txt': 'Basaltic lava flows from shield volcanoes.\n\nPyroclastic flows are deadly.',
  'bread.md': 'A sourdough starter holds wild yeast.\n\nBake the loaf in a Dutch oven.',
  'orbits.txt': 'A geostationary satellite orbits above the equator.\n\nHohmann transfers use two burns.',
};
const files = () => Object.entries(FILES).map(([name, text]) => fileFromBytes(name, enc(text)));

async function open(store: Store = new MemoryStore(), embedder = new HashingEmbedder()) {
  return Sift.open({ store, embedder, process: paragraphProcessor });
}

describe('Sift', () => {
  it('ingests files and finds a passage by its words', async () => {
    const sift = await open();
    const events: IngestProgress['status'][] = [];
    const summary = await sift.ingest(files(), (p) => events.push(p.status));
    expect(summary).toMatchObject({ added: 3, failed: 0, chunks: 6 });
    expect(events[0]).toBe('started');
    expect(events.at(-1)).toBe('done');
    const hits = await sift.search('geostationary satellite', { k: 3 });
    expect(hits[0].docName).toBe('orbits.txt');
    expect(hits[0].text).toContain('geostationary');
    expect(hits[0].snippet.highlights.length).toBeGreaterThan(0);
    expect(await sift.stats()).toEqual({ documents: 3, chunks: 6, vectors: 6 });
  });

  it('reopens from the snapshot without re-embedding', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    await first.ingest(files());
    const embedder = new HashingEmbedder();
    const second = await open(store, embedder);
    expect(second.openReport.source).toBe('snapshot');
    expect(embedder.calls).toBe(0);
    expect((await second.search('sourdough yeast'))[0].docName).toBe('bread.md');
  });

  it('re-embeds when the model changed, and never mixes vector spaces', async () => {
    const store = new MemoryStore();
    await (await open(store, new HashingEmbedder(64, 'model-a'))).ingest(files());
    const other = new HashingEmbedder(32, 'model-b');
    const reopened = await open(store, other);
    expect(reopened.openReport).toMatchObject({ source: 'rebuilt', reembedded: 6 });
    expect((await reopened.search('pyroclastic', { mode: 'dense' }))[0].docName).toBe('volcanoes.txt');
    const third = await open(store, new HashingEmbedder(32, 'model-b'));
    expect(third.openReport.source).toBe('snapshot');
  });

  it('skips unchanged files and replaces changed ones', async () => {
    const sift = await open();
    await sift.ingest(files());
    const again = await sift.ingest([fileFromBytes('bread.md', enc(FILES['bread.md']))]);
    expect(again).toMatchObject({ added: 0, skipped: 1 });
    const changed = await sift.ingest([fileFromBytes('bread.md', enc('Rye bread needs a long proof.'))]);
    expect(changed).toMatchObject({ added: 1 });
    expect(sift.listDocuments()).toHaveLength(3);
    expect(await sift.search('sourdough starter', { mode: 'lexical' })).toHaveLength(0);
    expect((await sift.search('rye proof'))[0].docName).toBe('bread.md');
  });

  it('re-embeds only the passages of an edited file that changed', async () => {
    const model = new HashingEmbedder();
    const sift = await open(new MemoryStore(), model);
    await sift.ingest([fileFromBytes('notes.txt', enc('First paragraph here.\n\nSecond paragraph here.\n\nThird one.'))]);
    const before = model.calls;
    const texts: string[] = [];
    const realEmbed = model.embed.bind(model);
    model.embed = async (batch: readonly string[]) => {
      texts.push(...batch);
      return realEmbed(batch);
    };
    await sift.ingest([fileFromBytes('notes.txt', enc('First paragraph here.\n\nA brand new middle.\n\nThird one.'))]);
    expect(model.calls).toBe(before + 1);
    expect(texts).toEqual(['A brand new middle.']);
  });

  it('caches search results until the collection changes', async () => {
    const model = new HashingEmbedder();
    const sift = await open(new MemoryStore(), model);
    await sift.ingest(files());
    const first = await sift.search('satellite');
    const calls = model.calls;
    expect(await sift.search('satellite')).toBe(first);
    expect(model.calls).toBe(calls);
    await sift.ingest([fileFromBytes('more.txt', enc('Another satellite story.'))]);
    const after = await sift.search('satellite');
    expect(after).not.toBe(first);
    expect(after.map((h) => h.docName)).toContain('more.txt');
  });

  it('deletes a document from both indexes and from storage', async () => {
    const store = new MemoryStore();
    const sift = await open(store);
    await sift.ingest(files());
    const doc = sift.listDocuments().find((d) => d.name === 'volcanoes.txt')!;
    await sift.deleteDocument(doc.id);
    for (const mode of ['lexical', 'dense', 'hybrid'] as const) {
      const hits = await sift.search('pyroclastic basaltic lava volcanoes', { mode });
      expect(hits.map((h) => h.docName)).not.toContain('volcanoes.txt');
    }
    expect(await sift.stats()).toEqual({ documents: 2, chunks: 4, vectors: 4 });
  });

  it('reports a failing file by name and keeps the rest', async () => {
    const sift = await open();
    const broken = { ...fileFromBytes('broken.txt', enc('x')), read: async () => { throw createError('PARSE_FAILED', 'unreadable'); } };
    const summary = await sift.ingest([broken, ...files()]);
    expect(summary.failed).toBe(1);
    expect(summary.errors[0]).toMatchObject({ name: 'broken.txt', code: 'PARSE_FAILED' });
    expect(summary.errors[0].message).toContain('broken.txt');
    expect(summary.added).toBe(3);
  });

  it('rolls back a document interrupted mid-ingest and resumes it on the next open', async () => {
    const store = new MemoryStore();
    const sift = await open(store);
    const realPut = store.putChunkBatch.bind(store);
    let batches = 0;
    // The second file's batch fails to commit: it must leave no trace behind.
    store.putChunkBatch = async (doc, chunks) => {
      if (++batches === 2) throw new Error('disk went away');
      return realPut(doc, chunks);
    };
    const many = [
      fileFromBytes('a.txt', enc(FILES['volcanoes.txt'])),
      fileFromBytes('b.txt', enc(FILES['orbits.txt'])),
    ];
    const run = await sift.ingest(many, undefined);
    expect(run).toMatchObject({ added: 1, failed: 1 });
    expect(sift.listDocuments().map((d) => d.name)).toEqual(['a.txt']);
    expect(await store.stats()).toEqual({ documents: 1, chunks: 2 });
    store.putChunkBatch = realPut;

    // A tab killed mid-file leaves the file queued and its document 'indexing' with some chunks.
    const [queued] = await enqueueFiles(store, [fileFromBytes('c.md', enc(FILES['bread.md']))]);
    const docId = await store.allocateIds('doc', 1);
    await store.putChunkBatch(
      { id: docId, name: 'c.md', path: 'c.md', type: 'md', size: 1, hash: 'x', lastModified: 0, addedAt: 0, status: 'indexing', chunkCount: 1, text: 'partial', vectorSpace: 'x' },
      [{ id: 9999, docId, index: 0, text: 'partial', start: 0, end: 7, headingPath: [], vector: new Float32Array(64) }],
    );
    const reopened = await open(store);
    expect(reopened.interrupted.map((f) => f.name)).toEqual(['c.md']);
    expect(reopened.openReport.interrupted.map((f) => f.name)).toEqual(['c.md']);
    expect((await store.stats()).chunks).toBe(2);
    const resumed = await reopened.resume();
    expect(resumed).toMatchObject({ added: 1, failed: 0 });
    expect(reopened.interrupted).toEqual([]);
    expect(await store.listBlobNames('queue:')).toEqual([]);
    expect('queueKey' in queued && queued.queueKey).toMatch(/^queue:/);
    expect((await reopened.search('sourdough'))[0].docName).toBe('c.md');
    expect(await reopened.stats()).toEqual({ documents: 2, chunks: 4, vectors: 4 });
  });

  it('keeps every dropped file queued until it is indexed, so a killed run can finish later', async () => {
    const store = new MemoryStore();
    const sift = await open(store);
    let reads = 0;
    const files = Object.entries(FILES).map(([name, text]) => ({
      ...fileFromBytes(name, enc(text)),
      // The tab dies while indexing the second file (the first three reads filled the queue).
      read: async () => (++reads === 5 ? new Promise<Uint8Array>(() => {}) : enc(text)),
    }));
    void sift.ingest(files);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reopened = await open(store);
    expect(reopened.interrupted.map((f) => f.name)).toEqual(['bread.md', 'orbits.txt']);
    await reopened.resume();
    expect(reopened.listDocuments().map((d) => d.name).sort()).toEqual(['bread.md', 'orbits.txt', 'volcanoes.txt']);
  });

  it('reloads its indexes before writing when another tab changed the collection', async () => {
    const store = new MemoryStore();
    const tabA = await open(store);
    const tabB = await open(store);
    await tabA.ingest([fileFromBytes('a.txt', enc(FILES['volcanoes.txt']))]);
    await tabB.ingest([fileFromBytes('b.txt', enc(FILES['orbits.txt']))]);
    expect(tabB.listDocuments().map((d) => d.name)).toEqual(['a.txt', 'b.txt']);
    const tabC = await open(store);
    expect(tabC.openReport.source).toBe('snapshot');
    expect(await tabC.stats()).toEqual({ documents: 2, chunks: 4, vectors: 4 });
  });
});

describe('a full storage quota', () => {
  it('stops the run cleanly at the Nth write, keeps stored data whole, and finishes after space is freed', async () => {
    const store = new MemoryStore();
    const sift = await open(store);
    const realPut = store.putChunkBatch.bind(store);
    let writes = 0;
    let full = true;
    store.putChunkBatch = async (doc, chunks) => {
      if (full && ++writes === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut(doc, chunks);
    };
    const summary = await sift.ingest(files());
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(summary.errors[0].message).toMatch(/quota|full/i);
    expect(summary.added).toBe(1);
    // The first file is whole; the failed one left nothing; it and the rest wait in the queue.
    expect(await store.stats()).toEqual({ documents: 1, chunks: 2 });
    expect(sift.interrupted.map((f) => f.name)).toEqual(['bread.md', 'orbits.txt']);
    full = false;
    const resumed = await sift.resume();
    expect(resumed).toMatchObject({ added: 2, failed: 0 });
    expect(await sift.stats()).toEqual({ documents: 3, chunks: 6, vectors: 6 });
  });
});

describe('index choice', () => {
  it('switches index kind as the collection grows, and back when settings change', async () => {
    const store = new MemoryStore();
    const settings = { ...DEFAULT_INDEX_SETTINGS, kind: 'HNSW' as const, m: 8 };
    const many = Array.from({ length: 40 }, (_, i) => fileFromBytes(`f${i}.txt`, enc(`word${i} alpha\n\nword${i} beta\n\nword${i} gamma`)));
    const sift = await Sift.open({ store, embedder: new HashingEmbedder(), process: paragraphProcessor, index: settings });
    await sift.ingest(many);
    expect(await sift.stats()).toEqual({ documents: 40, chunks: 120, vectors: 120 });
    expect((await sift.search('word7 beta', { mode: 'dense', k: 1 }))[0].docName).toBe('f7.txt');

    const flat = await Sift.open({ store, embedder: new HashingEmbedder(), process: paragraphProcessor, index: 'Flat' });
    expect(flat.openReport.source).toBe('rebuilt');
    expect((await flat.search('word7 beta', { mode: 'dense', k: 1 }))[0].docName).toBe('f7.txt');
    const again = await Sift.open({ store, embedder: new HashingEmbedder(), process: paragraphProcessor, index: 'Flat' });
    expect(again.openReport.source).toBe('snapshot');
  });
});

describe('IVF-PQ in the app', () => {
  it('re-ranks dense candidates with the exact vectors from storage, so scores match Flat', async () => {
    // Trained kinds wait for 2,000 vectors (vector-index-plan.ts).
    const many = Array.from({ length: 700 }, (_, i) =>
      fileFromBytes(`f${i}.txt`, enc(`word${i} alpha topic${i % 7}\n\nword${i} beta topic${i % 5}\n\nword${i} gamma topic${i % 3}`)),
    );
    const store = new MemoryStore();
    const ivf = await Sift.open({ store, embedder: new HashingEmbedder(), process: paragraphProcessor, index: { ...DEFAULT_INDEX_SETTINGS, kind: 'IVF-PQ' } });
    await ivf.ingest(many);
    expect(ivf.indexDescription).toMatch(/^IVF\d+,PQ\d+$/);
    const flat = await Sift.open({ store, embedder: new HashingEmbedder(), process: paragraphProcessor, index: 'Flat' });
    for (const query of ['word7 beta topic2', 'gamma topic1', 'alpha word150']) {
      const [a, b] = await Promise.all([ivf.search(query, { mode: 'dense', k: 10 }), flat.search(query, { mode: 'dense', k: 10 })]);
      // Hashed 64-d test vectors tie often, so compare the score ladder, not the order among equals.
      expect(a).toHaveLength(10);
      a.forEach((hit, i) => expect(hit.score).toBeCloseTo(b[i].score, 5));
    }
  });
});

describe('models and reranking', () => {
  it('switching the embedder re-embeds everything into the new vector space', async () => {
    const store = new MemoryStore();
    const sift = await open(store, new HashingEmbedder(64, 'model-a'));
    await sift.ingest(files());
    const progress: number[] = [];
    await sift.setEmbedder(new HashingEmbedder(32, 'model-b'), (done) => progress.push(done));
    expect(sift.embedderInfo.modelId).toBe('model-b');
    expect(progress.at(-1)).toBe(6);
    expect(sift.openReport).toMatchObject({ source: 'rebuilt', reembedded: 6 });
    expect((await sift.search('geostationary', { mode: 'dense' }))[0].docName).toBe('orbits.txt');
    const reopened = await open(store, new HashingEmbedder(32, 'model-b'));
    expect(reopened.openReport.source).toBe('snapshot');
  });

  it('a cross-encoder stage reorders candidates and its score is shown', async () => {
    const sift = await open();
    await sift.ingest(files());
    // A "reranker" that prefers passages mentioning yeast, whatever the query.
    const reranker = {
      info: { modelId: 'test/rerank', dtype: 'fp32' },
      score: async (_q: string, passages: readonly string[]) => Float32Array.from(passages, (p) => (p.includes('yeast') ? 5 : 0)),
      dispose: async () => {},
    };
    sift.setRerank({ candidates: 6, stages: [{ kind: 'cross-encoder', reranker, keep: 3 }] });
    const hits = await sift.search('satellite orbits', { k: 3 });
    expect(hits).toHaveLength(3);
    expect(hits[0].text).toContain('yeast');
    expect(hits[0].stages.at(-1)).toMatchObject({ stage: 'cross-encoder', score: 5, rank: 1 });
  });
});
