import { describe, expect, it } from 'vitest';
import { Sift } from '../sift';
import { MemoryStore } from '../storage/memory-store';
import { HashingEmbedder } from '../testing/hashing-embedder';
import { paragraphProcessor } from '../testing/paragraph-processor';
import { fileFromBytes } from '../ingest/ingest-progress';
import { feedbackQueryVector } from './dense-feedback';

const enc = (s: string) => new TextEncoder().encode(s);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const unit = (...xs: number[]) => {
  const v = Float32Array.from(xs);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('feedbackQueryVector', () => {
  const query = Float32Array.of(3, 0, 0, 0);
  const hits = [unit(1, 1, 0, 0), unit(1, 0, 1, 0)];
  const rows = new Float32Array(8);
  rows.set(hits[0], 0);
  rows.set(hits[1], 4);

  it('moves the query toward the mean of the top hits, more with a larger weight', () => {
    const mean = unit(...hits[0].map((x, i) => x + hits[1][i]));
    const before = dot(unit(...query), mean);
    const light = feedbackQueryVector(query, rows, 2, 0.5);
    const heavy = feedbackQueryVector(query, rows, 2, 2);
    expect(dot(light, mean)).toBeGreaterThan(before);
    expect(dot(heavy, mean)).toBeGreaterThan(dot(light, mean));
    expect(light[3]).toBe(0);
    expect(Math.hypot(...heavy)).toBeCloseTo(1, 5);
  });

  it('uses only the first `count` rows and returns the unit query with no feedback', () => {
    const one = feedbackQueryVector(query, rows, 1, 1);
    expect(one[2]).toBe(0);
    expect(one[1]).toBeGreaterThan(0);
    expect(Array.from(feedbackQueryVector(query, rows, 0, 1))).toEqual([1, 0, 0, 0]);
    expect(Array.from(feedbackQueryVector(query, rows, 2, 0))).toEqual([1, 0, 0, 0]);
    expect(Array.from(query)).toEqual([3, 0, 0, 0]);
  });
});

describe('hybrid search with dense feedback', () => {
  it('re-runs the dense side with a query closer to the top fused hit', async () => {
    const s = await Sift.open({ store: new MemoryStore(), embedder: new HashingEmbedder(), process: paragraphProcessor });
    await s.ingest([
      fileFromBytes('a.txt', enc('Basaltic lava flows from shield volcanoes.')),
      fileFromBytes('b.txt', enc('A geostationary satellite orbits above the equator at one fixed longitude.')),
      fileFromBytes('c.txt', enc('Sourdough starter and wild yeast.')),
    ]);
    const denseOf = (hits: Awaited<ReturnType<Sift['search']>>, name: string) =>
      hits.find((h) => h.docName === name)?.stages.find((st) => st.stage === 'dense')?.score ?? Number.NaN;
    const plain = await s.search('geostationary equator');
    const moved = await s.search('geostationary equator', { feedback: { dense: { docs: 1, weight: 2 } } });
    expect(plain[0].docName).toBe('b.txt');
    expect(moved[0].docName).toBe('b.txt');
    expect(denseOf(moved, 'b.txt')).toBeGreaterThan(denseOf(plain, 'b.txt'));
    const off = await s.search('geostationary equator', { feedback: { dense: { docs: 0, weight: 2 } } });
    expect(denseOf(off, 'b.txt')).toBeCloseTo(denseOf(plain, 'b.txt'), 6);
  });
});
