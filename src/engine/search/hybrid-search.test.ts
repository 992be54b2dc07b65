import { describe, expect, it } from 'vitest';
import { Sift } from '../sift';
import { MemoryStore } from '../storage/memory-store';
import { HashingEmbedder } from '../testing/hashing-embedder';
import { paragraphProcessor } from '../testing/paragraph-processor';
import { fileFromBytes } from '../ingest/ingest-progress';
import type { Embedder } from '../embedding/embedder';

const enc = (s: string) => new TextEncoder().encode(s);

/** An embedder that knows nothing: every text gets the same vector. */
class ConstantEmbedder extends HashingEmbedder {
  override async embed(texts: readonly string[]): Promise<Float32Array> {
    return new Float32Array(texts.length * this.info.dim).fill(1 / Math.sqrt(this.info.dim));
  }
}

async function sift(embedder: Embedder) {
  const s = await Sift.open({ store: new MemoryStore(), embedder, process: paragraphProcessor });
  await s.ingest([
    fileFromBytes('a.txt', enc('Basaltic lava.\n\nShield volcanoes.')),
    fileFromBytes('b.txt', enc('A geostationary satellite orbits above the equator.')),
    fileFromBytes('c.txt', enc('Sourdough starter and wild yeast.')),
  ]);
  return s;
}

describe('hybrid search', () => {
  it('keeps a lone BM25 hit first even when the dense side is uninformative', async () => {
    const hits = await (await sift(new ConstantEmbedder())).search('geostationary equator');
    expect(hits[0].docName).toBe('b.txt');
    expect(hits[0].stages.map((s) => s.stage)).toEqual(['bm25', 'dense', 'fused']);
  });

  it('filters by document and by type', async () => {
    const s = await sift(new HashingEmbedder());
    const b = s.listDocuments().find((d) => d.name === 'b.txt')!;
    const onlyB = await s.search('lava yeast satellite', { docIds: [b.id] });
    expect(new Set(onlyB.map((h) => h.docName))).toEqual(new Set(['b.txt']));
    expect(await s.search('lava', { types: ['md'] })).toEqual([]);
  });

  it('returns nothing for a blank query', async () => {
    expect(await (await sift(new HashingEmbedder())).search('   ')).toEqual([]);
  });
});
