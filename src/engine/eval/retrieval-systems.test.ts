import { describe, expect, it } from 'vitest';
import type { Embedder, EmbedPurpose } from '../embedding/embedder';
import { parseCorpus, parsePairs, parseQrels, parseQueries, type RetrievalDataset } from './dataset';
import { evaluateRun } from './metrics';
import { DenseRetriever, bm25System, denseSystem, hybridSystem } from './retrieval-systems';
import { similaritySpearman } from './similarity';

/** Letter-count vectors: texts sharing letters are close. Deterministic and model-free. */
class LetterEmbedder implements Embedder {
  readonly info = {
    modelId: 'letters', dtype: 'fp32', pooling: 'mean' as const, normalize: false, dim: 26,
    queryPrefix: '', passagePrefix: '', device: 'js',
  };
  calls: EmbedPurpose[] = [];
  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    this.calls.push(purpose);
    const out = new Float32Array(texts.length * 26);
    texts.forEach((t, i) => {
      for (const ch of t.toLowerCase()) {
        const c = ch.charCodeAt(0) - 97;
        if (c >= 0 && c < 26) out[i * 26 + c]++;
      }
    });
    return out;
  }
  async dispose(): Promise<void> {}
}

const corpus = [
  { _id: 'd1', title: 'Zebra', text: 'zebras zigzag in the zoo' },
  { _id: 'd2', title: 'Apples', text: 'apple pie and apple cider' },
  { _id: 'd3', title: '', text: 'the quick brown fox' },
].map((d) => JSON.stringify(d)).join('\n');

function dataset(): RetrievalDataset {
  return {
    kind: 'retrieval',
    name: 'toy',
    docs: parseCorpus(corpus),
    queries: parseQueries('{"_id":"q1","text":"zebra zoo"}\n{"_id":"q2","text":"apple"}\n{"_id":"q3","text":"unjudged"}\n'),
    qrels: parseQrels('query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td2\t1\nq2\td3\t0\n'),
  };
}

describe('dataset parsing', () => {
  it('reads the shared layout', () => {
    const d = dataset();
    expect(d.docs.map((x) => x.id)).toEqual(['d1', 'd2', 'd3']);
    expect(d.qrels.get('q2')).toEqual(new Map([['d2', 1], ['d3', 0]]));
    expect(parsePairs('sentence1\tsentence2\tscore\na \tb\t4.5\n')).toEqual([{ a: 'a ', b: 'b', score: 4.5 }]);
  });

  it('rejects malformed lines', () => {
    expect(() => parseQrels('q1\td1\n')).toThrow(expect.objectContaining({ code: 'PARSE_FAILED' }));
    expect(() => parseCorpus('{not json\n')).toThrow(expect.objectContaining({ code: 'PARSE_FAILED' }));
  });
});

describe('retrieval systems', () => {
  it('bm25 answers judged queries only and finds the right documents', async () => {
    const run = await bm25System().retrieve(dataset(), 10);
    expect([...run.keys()]).toEqual(['q1', 'q2']);
    expect(run.get('q1')![0].docId).toBe('d1');
    expect(evaluateRun(dataset().qrels, run)['ndcg@10']).toBe(1);
  });

  it('dense search embeds passages once per dataset and queries as queries', async () => {
    const embedder = new LetterEmbedder();
    const retriever = new DenseRetriever(embedder);
    const dense = denseSystem('dense:letters', retriever);
    const run = await dense.retrieve(dataset(), 10);
    expect(run.get('q1')![0].docId).toBe('d1');
    expect(run.get('q2')![0].docId).toBe('d2');
    await dense.retrieve(dataset(), 10);
    expect(embedder.calls).toEqual(['passage', 'query', 'query']);
  });

  it('hybrid with dense weight 0 ranks like bm25', async () => {
    const retriever = new DenseRetriever(new LetterEmbedder());
    const hybrid = await hybridSystem('hybrid', retriever, { denseWeight: 0 }).retrieve(dataset(), 10);
    const lexical = await bm25System().retrieve(dataset(), 10);
    for (const q of ['q1', 'q2']) {
      const bm25Ids = lexical.get(q)!.map((d) => d.docId);
      expect(hybrid.get(q)!.slice(0, bm25Ids.length).map((d) => d.docId)).toEqual(bm25Ids);
    }
  });
});

describe('similaritySpearman', () => {
  it('correlates cosine similarity with the gold scores', async () => {
    const pairs = [
      { a: 'abc', b: 'abc', score: 5 },
      { a: 'abc', b: 'abd', score: 3 },
      { a: 'abc', b: 'xyz', score: 0 },
    ];
    expect(await similaritySpearman(new LetterEmbedder(), pairs)).toBeCloseTo(1, 10);
    const reversed = pairs.map((p) => ({ ...p, score: -p.score }));
    expect(await similaritySpearman(new LetterEmbedder(), reversed)).toBeCloseTo(-1, 10);
  });
});
