import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { InferenceQueue } from './inference-queue';
import { rankByScore } from './reranker';
import { TransformersEmbedder } from './transformers-embedder';
import { TransformersReranker } from './transformers-reranker';
import { configureTransformers } from './transformers-env';

/** public/models/, where transformers.js finds `fixtures/<name>/...` in Node tests. */
const MODELS_DIR = fileURLToPath(new URL('../../../public/models/', import.meta.url));
const EMBED_ID = 'fixtures/tiny-bert-embed';
const RERANK_ID = 'fixtures/tiny-bert-rerank';

function useLocalFixtures(): void {
  configureTransformers({
    localModelPath: MODELS_DIR,
    allowLocalModels: true,
    allowRemoteModels: false,
    logLevel: 'error',
  });
}

function readReference<T>(modelId: string): T {
  return JSON.parse(readFileSync(`${MODELS_DIR}${modelId}/reference.json`, 'utf8')) as T;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

interface RerankReference {
  cases: { query: string; passage: string; logit: number }[];
}

const ref = readReference<RerankReference>(RERANK_ID);
const query = ref.cases[0].query;
const passages = ref.cases.map((c) => c.passage);
const torchLogits = Float32Array.from(ref.cases, (c) => c.logit);

/** Records how many tasks run at the same moment through the queue. */
class RecordingQueue extends InferenceQueue {
  active = 0;
  maxActive = 0;
  runs = 0;
  override run<T>(task: () => Promise<T>, signal?: { readonly aborted: boolean }): Promise<T> {
    return super.run(async () => {
      this.active++;
      this.runs++;
      this.maxActive = Math.max(this.maxActive, this.active);
      try {
        return await task();
      } finally {
        this.active--;
      }
    }, signal);
  }
}

describe('TransformersReranker on the tiny cross-encoder fixture', () => {
  let reranker: TransformersReranker;
  beforeAll(async () => {
    useLocalFixtures();
    reranker = await TransformersReranker.create({ modelId: RERANK_ID, dtype: 'fp32' });
  });

  it('fp32 logits match torch, in input order despite length-sorted batches', async () => {
    const scores = await reranker.score(query, passages);
    expect(maxAbsDiff(scores, torchLogits)).toBeLessThan(1e-5);
    // One pair per call must give the same numbers as the padded batch.
    for (const [i, p] of passages.entries()) {
      expect(maxAbsDiff(await reranker.score(query, [p]), [torchLogits[i]])).toBeLessThan(1e-5);
    }
  });

  it('reorders candidates by logit', async () => {
    const reversed = [...passages].reverse();
    const order = rankByScore(await reranker.score(query, reversed));
    const expected = Array.from(rankByScore(torchLogits), (i) => passages.length - 1 - i);
    expect(Array.from(order)).toEqual(expected);
    expect(order[0]).not.toBe(0); // the fixture's best passage is not the first one given
  });

  it('q8 gives nearby logits, sigmoid maps to 0..1', async () => {
    const q8 = await TransformersReranker.create({ modelId: RERANK_ID, dtype: 'q8', activation: 'sigmoid' });
    const s = await q8.score(query, passages);
    for (let i = 0; i < s.length; i++) {
      expect(s[i]).toBeGreaterThan(0);
      expect(s[i]).toBeLessThan(1);
      expect(Math.abs(s[i] - 1 / (1 + Math.exp(-torchLogits[i])))).toBeLessThan(0.02);
    }
    expect((await q8.score(query, [])).length).toBe(0);
    await q8.dispose();
  });

  it('a shared queue never runs the embedder and the reranker at once', async () => {
    const queue = new RecordingQueue();
    const embedder = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', queue, maxBatchSize: 1 });
    const shared = await TransformersReranker.create({ modelId: RERANK_ID, dtype: 'fp32', queue, maxBatchSize: 1 });
    await Promise.all([
      embedder.embed(passages, 'passage'),
      shared.score(query, passages),
      embedder.embed([query], 'query'),
      shared.score(query, passages.slice(1)),
    ]);
    expect(queue.runs).toBe(passages.length * 2 + passages.length);
    expect(queue.maxActive).toBe(1);
    await embedder.dispose();
    await shared.dispose();
  });
});
