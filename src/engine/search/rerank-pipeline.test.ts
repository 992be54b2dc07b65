import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import type { EmbedPurpose, Embedder, EmbedderInfo } from '../embedding/embedder';
import type { Reranker } from '../embedding/reranker';
import { rankByScore } from '../embedding/reranker';
import { TransformersReranker } from '../embedding/transformers-reranker';
import { configureTransformers, transformersSettings } from '../embedding/transformers-env';
import {
  DEFAULT_RERANK_CONFIG,
  biEncoderScores,
  describeRerankConfig,
  rerankHits,
  validateRerankConfig,
  type RerankStage,
} from './rerank-pipeline';
import type { SearchHit } from './search-types';

function hit(chunkId: number, text: string, score = 1 / (chunkId + 1)): SearchHit {
  return {
    chunkId,
    docId: chunkId,
    docName: `doc-${chunkId}.txt`,
    docPath: `doc-${chunkId}.txt`,
    text,
    start: 0,
    end: text.length,
    headingPath: [],
    score,
    stages: [{ stage: 'fused', score, rank: chunkId + 1 }],
    snippet: { text, highlights: [] },
  };
}

/** Scores each passage by a number looked up from its text: the test decides the logits. */
class TableReranker implements Reranker {
  readonly info = { modelId: 'table-reranker', dtype: 'fp32' };
  calls: string[][] = [];
  constructor(private readonly logits: Record<string, number>) {}
  async score(_query: string, passages: readonly string[]): Promise<Float32Array> {
    this.calls.push([...passages]);
    return Float32Array.from(passages, (p) => this.logits[p]);
  }
  async dispose(): Promise<void> {}
}

/** 2-d vectors: the query is (1, 0); a passage's vector comes from the table, unnormalised on purpose. */
class TableEmbedder implements Embedder {
  readonly info: EmbedderInfo = {
    modelId: 'table-embedder',
    dtype: 'fp32',
    pooling: 'mean',
    normalize: false,
    dim: 2,
    queryPrefix: '',
    passagePrefix: '',
    device: 'js',
  };
  purposes: EmbedPurpose[] = [];
  constructor(private readonly vectors: Record<string, [number, number]>) {}
  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    this.purposes.push(purpose);
    const out = new Float32Array(texts.length * 2);
    texts.forEach((t, i) => out.set(purpose === 'query' ? [1, 0] : this.vectors[t], i * 2));
    return out;
  }
  async dispose(): Promise<void> {}
}

const TEXTS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];

describe('rerankHits with fakes', () => {
  it('cross-encoder order follows the logits exactly, and keep is respected', async () => {
    const logits = { alpha: -1.5, bravo: 2.25, charlie: 0.5, delta: 7, echo: -3, foxtrot: 0.75 };
    const reranker = new TableReranker(logits);
    const hits = TEXTS.map((t, i) => hit(i, t));
    const out = await rerankHits('q', hits, [{ kind: 'cross-encoder', reranker, keep: 4 }]);
    expect(out.map((h) => h.text)).toEqual(['delta', 'bravo', 'foxtrot', 'charlie']);
    expect(out.map((h) => h.score)).toEqual([7, 2.25, 0.75, 0.5]);
    out.forEach((h, rank) => {
      expect(h.stages.at(-1)).toEqual({ stage: 'cross-encoder', score: h.score, rank: rank + 1 });
      expect(h.stages[0].stage).toBe('fused'); // earlier stages are kept
    });
    expect(reranker.calls).toEqual([TEXTS]);
    // The input hits are not mutated.
    expect(hits.every((h) => h.stages.length === 1)).toBe(true);
  });

  it('bi-encoder uses cosine (not dot), query/passage purposes, and keep', async () => {
    // Cosine with (1,0): alpha 0.6, bravo 1, charlie 0, delta -1, echo 0.8, foxtrot ~0.707.
    // Dot products would rank charlie's long vector (0, 9) differently from delta's: cosine ignores length.
    const embedder = new TableEmbedder({
      alpha: [3, 4],
      bravo: [0.1, 0],
      charlie: [0, 9],
      delta: [-2, 0],
      echo: [8, 6],
      foxtrot: [5, 5],
    });
    const out = await rerankHits('q', TEXTS.map((t, i) => hit(i, t)), [{ kind: 'bi-encoder', embedder, keep: 3 }]);
    expect(out.map((h) => h.text)).toEqual(['bravo', 'echo', 'foxtrot']);
    expect(out[0].score).toBeCloseTo(1, 6);
    expect(out[1].score).toBeCloseTo(0.8, 6);
    expect(out.map((h) => h.stages.at(-1)?.stage)).toEqual(['bi-encoder', 'bi-encoder', 'bi-encoder']);
    expect(embedder.purposes).toEqual(['query', 'passage']);
  });

  it('two stages: the cross-encoder sees only the bi-encoder survivors, and both stages are recorded', async () => {
    const embedder = new TableEmbedder({
      alpha: [1, 0.1],
      bravo: [1, 0.2],
      charlie: [1, 0.3],
      delta: [1, 0.4],
      echo: [0, 1],
      foxtrot: [-1, 0],
    });
    // The cross-encoder reverses the bi-encoder's order among the survivors.
    const reranker = new TableReranker({ alpha: 1, bravo: 2, charlie: 3, delta: 4, echo: 100, foxtrot: 100 });
    const stages: RerankStage[] = [
      { kind: 'bi-encoder', embedder, keep: 4 },
      { kind: 'cross-encoder', reranker, keep: 2 },
    ];
    const out = await rerankHits('q', TEXTS.map((t, i) => hit(i, t)), stages);
    expect(reranker.calls).toEqual([['alpha', 'bravo', 'charlie', 'delta']]);
    expect(out.map((h) => h.text)).toEqual(['delta', 'charlie']);
    expect(out[0].stages.map((s) => [s.stage, s.rank])).toEqual([
      ['fused', 4],
      ['bi-encoder', 4],
      ['cross-encoder', 1],
    ]);
    expect(out[0].score).toBe(4);
  });

  it('ties keep the incoming order; keep larger than the input keeps everything; empty input is fine', async () => {
    const reranker = new TableReranker({ alpha: 1, bravo: 1, charlie: 1 });
    const out = await rerankHits('q', ['alpha', 'bravo', 'charlie'].map((t, i) => hit(i, t)), [
      { kind: 'cross-encoder', reranker, keep: 50 },
    ]);
    expect(out.map((h) => h.text)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(await rerankHits('q', [], [{ kind: 'cross-encoder', reranker, keep: 5 }])).toEqual([]);
    expect(reranker.calls.length).toBe(1); // no call for the empty list
  });

  it('no stages returns copies in the same order', async () => {
    const hits = TEXTS.map((t, i) => hit(i, t));
    const out = await rerankHits('q', hits, []);
    expect(out.map((h) => h.chunkId)).toEqual(hits.map((h) => h.chunkId));
    expect(out[0]).not.toBe(hits[0]);
  });

  it('rejects a cancelled signal with CANCELLED and a bad keep with INVALID_ARGUMENT', async () => {
    const reranker = new TableReranker({ alpha: 1 });
    const cancelled = await rerankHits('q', [hit(0, 'alpha')], [{ kind: 'cross-encoder', reranker, keep: 1 }], {
      aborted: true,
    }).catch((e: unknown) => e);
    expect(isEngineError(cancelled) && cancelled.code).toBe('CANCELLED');
    expect(reranker.calls.length).toBe(0);
    const bad = await rerankHits('q', [hit(0, 'alpha')], [{ kind: 'cross-encoder', reranker, keep: 1.5 }]).catch(
      (e: unknown) => e,
    );
    expect(isEngineError(bad) && bad.code).toBe('INVALID_ARGUMENT');
  });

  it('a reranker returning the wrong number of scores is an error, not a silent misorder', async () => {
    const broken: Reranker = {
      info: { modelId: 'broken', dtype: 'fp32' },
      score: async () => new Float32Array(1),
      dispose: async () => {},
    };
    const e = await rerankHits('q', TEXTS.map((t, i) => hit(i, t)), [{ kind: 'cross-encoder', reranker: broken, keep: 3 }]).catch(
      (x: unknown) => x,
    );
    expect(isEngineError(e) && e.code).toBe('EMBEDDING_FAILED');
  });

  it('biEncoderScores gives 0 for a zero vector instead of NaN', async () => {
    const embedder = new TableEmbedder({ alpha: [0, 0], bravo: [2, 0] });
    expect(Array.from(await biEncoderScores(embedder, 'q', ['alpha', 'bravo']))).toEqual([0, 1]);
  });
});

describe('RerankConfig', () => {
  it('describes the default pipeline', () => {
    expect(describeRerankConfig(DEFAULT_RERANK_CONFIG)).toBe('hybrid 100 → bi-encoder 30 → cross-encoder 10');
    expect(describeRerankConfig({ candidates: 50, crossEncoder: { modelId: 'x', keep: 5 } })).toBe(
      'hybrid 50 → cross-encoder 5',
    );
    expect(describeRerankConfig({ candidates: 20 })).toBe('hybrid 20');
  });

  it('validates counts', () => {
    expect(() => validateRerankConfig(DEFAULT_RERANK_CONFIG)).not.toThrow();
    const grows = { candidates: 10, biEncoder: { modelId: 'b', keep: 30 } };
    expect(() => validateRerankConfig(grows)).toThrow(/exceeds/);
    expect(() => validateRerankConfig({ candidates: 0 })).toThrow(/positive integer/);
    expect(() => validateRerankConfig({ candidates: 10, crossEncoder: { modelId: '', keep: 5 } })).toThrow(/empty/);
  });
});

const MODELS_DIR = fileURLToPath(new URL('../../../public/models/', import.meta.url));

describe('rerankHits with the real tiny cross-encoder fixture', () => {
  let reranker: TransformersReranker;
  let saved: ReturnType<typeof transformersSettings>;
  beforeAll(async () => {
    saved = transformersSettings();
    configureTransformers({ localModelPath: MODELS_DIR, allowLocalModels: true, allowRemoteModels: false, logLevel: 'error' });
    reranker = await TransformersReranker.create({ modelId: 'fixtures/tiny-bert-rerank', dtype: 'fp32' });
  });
  afterAll(async () => {
    await reranker?.dispose();
    configureTransformers(saved);
  });

  it('orders hits exactly as the model logits rank them', async () => {
    const query = 'how do cats sleep at night';
    const passages = [
      'The stock market closed higher on Friday.',
      'A recipe for bread with milk and eggs.',
      'Cats sleep for many hours during the day and night.',
      'Dogs and cats are common family animals.',
      'The night was cold and the cats stayed inside.',
      'Rain fell on the old town all day.',
    ];
    const logits = await reranker.score(query, passages);
    const expected = Array.from(rankByScore(logits)).slice(0, 4);
    // The check can fail: the model must actually reorder the input.
    expect(expected).not.toEqual([0, 1, 2, 3]);
    const out = await rerankHits(
      query,
      passages.map((p, i) => hit(i, p)),
      [{ kind: 'cross-encoder', reranker, keep: 4 }],
    );
    expect(out.map((h) => h.chunkId)).toEqual(expected);
    expect(out.map((h) => h.score)).toEqual(expected.map((i) => logits[i]));
    expect(out.map((h) => h.stages.at(-1)?.rank)).toEqual([1, 2, 3, 4]);
  });
});
