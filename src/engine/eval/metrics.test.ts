import { describe, expect, it } from 'vitest';
import { averagePrecision, evaluateRun, ndcgAt, rankRun, recallAt, type Qrels, type Run, type ScoredDoc } from './metrics';

const ranked = (...ids: string[]): ScoredDoc[] => ids.map((docId, i) => ({ docId, score: ids.length - i }));

describe('ndcgAt', () => {
  it('uses graded gains and an ideal built from all judged documents', () => {
    // Judged: a=3, b=2, c=0 (judged non-relevant), d=1 (not retrieved).
    const judged = new Map([['a', 3], ['b', 2], ['c', 0], ['d', 1]]);
    // Run: x, b, c, a. DCG = 2/log2(3) + 3/log2(5) = 1.261860 + 1.292030 = 2.553890.
    // Ideal: 3, 2, 1 → 3 + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5 = 4.761860.
    expect(ndcgAt(ranked('x', 'b', 'c', 'a'), judged, 10)).toBeCloseTo(2.55389 / 4.76186, 5);
  });

  it('cuts at k', () => {
    const judged = new Map([['a', 1]]);
    expect(ndcgAt(ranked('x', 'y', 'a'), judged, 2)).toBe(0);
    expect(ndcgAt(ranked('a'), judged, 2)).toBe(1);
  });
});

describe('recallAt and averagePrecision', () => {
  const judged = new Map([['a', 1], ['b', 2], ['c', 0], ['d', 1]]);
  it('counts only score > 0 as relevant', () => {
    expect(recallAt(ranked('c', 'a', 'x', 'b'), judged, 100)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(ranked('c', 'a', 'x', 'b'), judged, 2)).toBeCloseTo(1 / 3, 10);
  });
  it('averages precision at each relevant document over all relevant', () => {
    // Relevant at ranks 2 and 4: (1/2 + 2/4) / 3.
    expect(averagePrecision(ranked('c', 'a', 'x', 'b'), judged)).toBeCloseTo(1 / 3, 10);
    expect(averagePrecision(ranked('a', 'b', 'd'), judged)).toBe(1);
  });
});

describe('rankRun', () => {
  it('sorts by score, then by document id descending like trec_eval', () => {
    const docs = [{ docId: 'a', score: 1 }, { docId: 'c', score: 1 }, { docId: 'b', score: 2 }];
    expect(rankRun(docs).map((d) => d.docId)).toEqual(['b', 'c', 'a']);
  });
});

describe('evaluateRun', () => {
  it('averages over judged queries only, with missing answers scoring 0', () => {
    const qrels: Qrels = new Map([
      ['q1', new Map([['a', 1]])],
      ['q2', new Map([['b', 1]])],
    ]);
    const run: Run = new Map([
      ['q1', [{ docId: 'a', score: 5 }, { docId: 'z', score: 1 }]],
      ['q9', [{ docId: 'b', score: 5 }]], // not judged: ignored
    ]);
    const m = evaluateRun(qrels, run);
    expect(m['ndcg@10']).toBeCloseTo(0.5, 10);
    expect(m['recall@100']).toBeCloseTo(0.5, 10);
    expect(m.map).toBeCloseTo(0.5, 10);
  });

  it('ranks the run itself rather than trusting its order', () => {
    const qrels: Qrels = new Map([['q', new Map([['a', 1]])]]);
    const run: Run = new Map([['q', [{ docId: 'b', score: 1 }, { docId: 'a', score: 2 }]]]);
    expect(evaluateRun(qrels, run)['ndcg@10']).toBe(1);
  });
});
