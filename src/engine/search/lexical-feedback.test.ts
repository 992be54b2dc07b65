import { describe, expect, it } from 'vitest';
import { Sift } from '../sift';
import { MemoryStore } from '../storage/memory-store';
import { HashingEmbedder } from '../testing/hashing-embedder';
import { paragraphProcessor } from '../testing/paragraph-processor';
import { fileFromBytes } from '../ingest/ingest-progress';
import { feedbackFor } from '../embedding/model-registry';
import { expandedLexicalList, expansionTerms, feedbackTerms } from './lexical-feedback';

const enc = (s: string) => new TextEncoder().encode(s);

describe('expansionTerms', () => {
  it('weights terms by their mean share of each feedback document, renormalised', () => {
    // p(a) = (2/4 + 1/2) / 2 = 0.5, p(b) = (1/4) / 2 = 0.125, p(c) = (1/4 + 1/2) / 2 = 0.375
    const terms = expansionTerms([['a', 'a', 'b', 'c'], ['a', 'c']], 2);
    expect(terms.map((t) => t.term)).toEqual(['a', 'c']);
    expect(terms[0].weight).toBeCloseTo(0.5 / 0.875, 6);
    expect(terms[1].weight).toBeCloseTo(0.375 / 0.875, 6);
    expect(expansionTerms([['a', 'b']], 5, (t) => t !== 'a')).toEqual([{ term: 'b', weight: 1 }]);
    expect(expansionTerms([[]], 3)).toEqual([]);
  });

  it('keeps only stems the analyzer maps to themselves', () => {
    const terms = feedbackTerms(['The satellites orbit the equator; satellites orbit.'], 10).map((t) => t.term);
    expect(terms).toContain('orbit');
    expect(terms).not.toContain('the');
  });
});

describe('expandedLexicalList', () => {
  it('interpolates the original and expansion scores', () => {
    const original = { ids: Uint32Array.of(1, 2), scores: Float32Array.of(4, 2) };
    const lists: Record<string, { ids: Uint32Array; scores: Float32Array }> = {
      x: { ids: Uint32Array.of(3, 2), scores: Float32Array.of(10, 1) },
    };
    const out = expandedLexicalList((t) => lists[t], original, 2, [{ term: 'x', weight: 1 }], 0.5, 10);
    // 1: 0.5 * 4 / 2 = 1; 2: 0.5 * 2 / 2 + 0.5 * 1 = 1; 3: 0.5 * 10 = 5
    expect(Array.from(out.ids)).toEqual([3, 1, 2]);
    expect(Array.from(out.scores)).toEqual([5, 1, 1]);
  });
});

describe('hybrid search with lexical feedback', () => {
  it('finds a document that shares only the top hit\'s vocabulary', async () => {
    const s = await Sift.open({ store: new MemoryStore(), embedder: new HashingEmbedder(), process: paragraphProcessor });
    await s.ingest([
      fileFromBytes('a.txt', enc('Geostationary satellite orbit over the equator, orbit period one day, satellite orbit.')),
      fileFromBytes('b.txt', enc('Every satellite needs a stable orbit; the satellite orbit decays slowly.')),
      fileFromBytes('c.txt', enc('Sourdough starter and wild yeast.')),
    ]);
    const bm25Of = (hits: Awaited<ReturnType<Sift['search']>>, name: string) =>
      hits.find((h) => h.docName === name)?.stages.find((st) => st.stage === 'bm25')?.score;
    const plain = await s.search('geostationary', { feedback: {} });
    expect(bm25Of(plain, 'b.txt')).toBeUndefined();
    const expanded = await s.search('geostationary', { feedback: { lexical: { docs: 1, terms: 3, weight: 0.3 } } });
    expect(expanded[0].docName).toBe('a.txt');
    expect(bm25Of(expanded, 'b.txt')).toBeGreaterThan(0);
  });

  it('is on by default for the built-in static model, and a caller can turn it off', async () => {
    const preset = feedbackFor('sift-static-en-v1');
    expect(preset?.lexical?.docs).toBeGreaterThan(0);
    const s = await Sift.open({ store: new MemoryStore(), embedder: new HashingEmbedder(64, 'sift-static-en-v1'), process: paragraphProcessor });
    await s.ingest([
      fileFromBytes('a.txt', enc('Geostationary satellite orbit over the equator, orbit period one day, satellite orbit.')),
      fileFromBytes('b.txt', enc('Every satellite needs a stable orbit; the satellite orbit decays slowly.')),
      fileFromBytes('c.txt', enc('Sourdough starter and wild yeast.')),
    ]);
    const scores = (hits: Awaited<ReturnType<Sift['search']>>) => hits.map((h) => [h.docName, h.stages]);
    const byDefault = await s.search('geostationary');
    expect(scores(byDefault)).toEqual(scores(await s.search('geostationary', { feedback: preset })));
    expect(scores(byDefault)).not.toEqual(scores(await s.search('geostationary', { feedback: {} })));
  });
});
