import { describe, expect, it } from 'vitest';
import { expose, wrap, type Remote } from 'comlink';
import type { DeviceChoice, DeviceChoiceMemo } from '../engine/embedding/device-probe';
import type { EmbedPurpose, Embedder, EmbedderInfo } from '../engine/embedding/embedder';
import type { ModelLoadProgress } from '../engine/embedding/load-progress';
import type { Reranker } from '../engine/embedding/reranker';
import { createError, isEngineError } from '../engine/errors';
import './error-transfer';
import { createInferenceApi, type InferenceApi, type InferenceRuntime } from './inference-api';
import { createInferenceClient } from './inference-client';
import type { LoadOptions, ModelSource } from './model-runtime';
import { RemoteEmbedder } from './remote-embedder';

const INFO: EmbedderInfo = { modelId: 'fake/model', dtype: 'q8', pooling: 'mean', normalize: true, dim: 2, queryPrefix: 'q: ', passagePrefix: '', device: 'wasm' };

/** A model whose batches run until the test releases them, recording what ran in which order. */
class FakeEmbedder implements Embedder {
  readonly info = INFO;
  readonly passageTokenBudget = 126;
  readonly order: string[] = [];
  readonly returned: Float32Array[] = [];
  readonly gates = new Map<string, { started: Promise<void>; open(): void }>();
  disposed = false;
  active = 0;
  maxActive = 0;

  countTokens(text: string): number {
    return text.length;
  }

  gate(text: string) {
    let open!: () => void;
    let started!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const gate = { started: new Promise<void>((resolve) => (started = resolve)), open, opened, markStarted: () => started() };
    this.gates.set(text, gate);
    return gate;
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      const gate = this.gates.get(texts[0]) as (ReturnType<FakeEmbedder['gate']> | undefined);
      if (gate) {
        gate.markStarted();
        await gate.opened;
      }
      if (texts.includes('boom')) throw createError('EMBEDDING_FAILED', 'The model choked on boom.', { text: 'boom' });
      this.order.push(`${purpose}:${texts[0]}`);
      const out = Float32Array.from(texts.flatMap((t) => [t.length, purpose === 'query' ? 1 : 0]));
      this.returned.push(out);
      return out;
    } finally {
      this.active--;
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function setup() {
  const embedder = new FakeEmbedder();
  const loads: { source: ModelSource; options: LoadOptions }[] = [];
  const reranker: Reranker = {
    info: { modelId: 'fake/rerank', dtype: 'q8' },
    score: async (_query, passages) => Float32Array.from(passages, (p) => p.length),
    dispose: async () => {},
  };
  const runtime: InferenceRuntime = {
    loadDefaultEmbedder: async () => embedder,
    loadEmbedder: async (source, options = {}) => {
      loads.push({ source, options });
      if (source.kind === 'hub' && source.modelId === 'cancel/me') throw createError('CANCELLED', 'Download cancelled.');
      options.onProgress?.({ status: 'progress', modelId: 'fake/model', file: 'onnx/model.onnx', loaded: 5, total: 10 } as ModelLoadProgress);
      const memo = await options.deviceMemo?.get('fake/model');
      await options.deviceMemo?.set('fake/model', { ...(memo as DeviceChoice), device: 'wasm' });
      return embedder;
    },
    loadReranker: async () => reranker,
    cancelDownloads: () => {},
    storeModelFolder: async () => {},
    cachedModels: async () => [],
    removeModel: async () => 0,
    lastDeviceDecision: () => undefined,
  };
  const { port1, port2 } = new MessageChannel();
  expose(createInferenceApi(runtime), port1 as unknown as Parameters<typeof expose>[1]);
  const remote = wrap<InferenceApi>(port2 as unknown as Parameters<typeof wrap>[0]);
  const tokenizers: string[] = [];
  const client = createInferenceClient(Promise.resolve(remote as Remote<InferenceApi>), {
    loadTokenCounter: async (source) => {
      tokenizers.push(source.modelId);
      return (text) => text.split(' ').length;
    },
  });
  const close = () => {
    port1.close();
    port2.close();
  };
  return { embedder, loads, client, close };
}

describe('the remote embedder (engine worker ↔ inference worker over a MessagePort)', () => {
  it('embeds in the other worker, transfers the vectors, and counts tokens locally and synchronously', async () => {
    const { embedder, client, close } = setup();
    const remote = await client.loadDefaultEmbedder();
    expect(remote.info).toEqual(INFO);
    expect(remote.passageTokenBudget).toBe(126);
    // The local tokenizer's count (words), not a round trip to the model's (characters).
    expect(remote.countTokens!('three word text')).toBe(3);
    const vectors = await remote.embed(['abcd', 'ab'], 'passage');
    expect([...vectors]).toEqual([4, 0, 2, 0]);
    expect([...(await remote.embed(['x'], 'query'))]).toEqual([1, 1]);
    // Transferred, not copied: the inference side's buffer is detached.
    expect(embedder.returned.at(-1)!.byteLength).toBe(0);
    close();
  });

  it('passes the model source through as it is, with progress and the device memo as callbacks', async () => {
    const { loads, client, close } = setup();
    const progress: ModelLoadProgress[] = [];
    const memo = new Map<string, DeviceChoice>();
    const deviceMemo: DeviceChoiceMemo = { get: async (k) => memo.get(k), set: async (k, v) => void memo.set(k, v) };
    const source = { kind: 'hub', modelId: 'fake/model', host: 'http://mirror/', options: { pooling: 'cls', truncateDim: 2 } } as ModelSource;
    await client.loadEmbedder(source, { onProgress: (p) => progress.push(p), deviceMemo });
    expect(loads[0].source).toEqual(source);
    expect(progress.map((p) => p.status)).toEqual(['progress']);
    expect(memo.get('fake/model')?.device).toBe('wasm');
    close();
  });

  it('keeps error codes across both hops, as engine errors', async () => {
    const { client, close } = setup();
    const remote = await client.loadDefaultEmbedder();
    const failed = await remote.embed(['boom'], 'passage').catch((e: unknown) => e);
    expect(isEngineError(failed) && failed.code).toBe('EMBEDDING_FAILED');
    expect((failed as Error).message).toContain('boom');
    const cancelled = await client.loadEmbedder({ kind: 'hub', modelId: 'cancel/me' }).catch((e: unknown) => e);
    expect(isEngineError(cancelled) && cancelled.code).toBe('CANCELLED');
    close();
  });

  it('gives a query priority over passage batches already queued, never running two at once', async () => {
    const { embedder, client, close } = setup();
    const remote = await client.loadDefaultEmbedder();
    const first = embedder.gate('p1');
    const passages = ['p1', 'p2', 'p3'].map((t) => remote.embed([t], 'passage'));
    await first.started;
    const query = remote.embed(['q'], 'query');
    // Messages on one port arrive in order: once this answers, p2, p3 and the query are all queued.
    expect((await client.diagnostics()).calls).toMatchObject({ passage: 3, query: 1 });
    first.open();
    await Promise.all([...passages, query]);
    expect(embedder.order).toEqual(['passage:p1', 'query:q', 'passage:p2', 'passage:p3']);
    expect(embedder.maxActive).toBe(1);
    close();
  });

  it('lets a query in between the slices of one large passage call', async () => {
    const { embedder, client, close } = setup();
    const remote = await client.loadDefaultEmbedder();
    // 20 passages of distinct lengths: sliced in length order, the shortest first.
    const texts = Array.from({ length: 20 }, (_, i) => 'x'.repeat(i + 1));
    const first = embedder.gate('x');
    const ingest = remote.embed(texts, 'passage');
    await first.started;
    const query = remote.embed(['q'], 'query');
    await client.diagnostics();
    first.open();
    const [vectors] = await Promise.all([ingest, query]);
    expect(embedder.order.slice(0, 2)).toEqual(['passage:x', 'query:q']);
    expect(embedder.order.length).toBeGreaterThan(2);
    expect(embedder.order.slice(2).every((call) => call.startsWith('passage:'))).toBe(true);
    expect(Array.from({ length: 20 }, (_, i) => vectors[i * 2])).toEqual(texts.map((t) => t.length));
    expect(embedder.maxActive).toBe(1);
    close();
  });

  it('puts a search-serving model (a bi-encoder stage) ahead of queued ingest work, passages included', async () => {
    const { embedder, client, close } = setup();
    const library = await client.loadDefaultEmbedder();
    const stage = await client.loadEmbedder({ kind: 'hub', modelId: 'fake/bi' }, { servesSearch: true });
    const first = embedder.gate('p1');
    const ingest = ['p1', 'p2', 'p3'].map((t) => library.embed([t], 'passage'));
    await first.started;
    const rescoring = stage.embed(['candidate'], 'passage');
    await client.diagnostics();
    first.open();
    await Promise.all([...ingest, rescoring]);
    expect(embedder.order).toEqual(['passage:p1', 'passage:candidate', 'passage:p2', 'passage:p3']);
    expect(embedder.maxActive).toBe(1);
    close();
  });

  it('releases the session in the inference worker when the engine disposes the embedder', async () => {
    const { embedder, client, close } = setup();
    const remote = await client.loadDefaultEmbedder();
    expect((await client.diagnostics()).sessions).toBe(1);
    await remote.dispose();
    expect(embedder.disposed).toBe(true);
    expect((await client.diagnostics()).sessions).toBe(0);
    await expect(remote.embed(['x'], 'query')).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
    close();
  });

  it('loads the tokenizer named by the model for a transformers model, and scores through a remote reranker', async () => {
    const { client, close } = setup();
    // The fake is not the built-in static model, so the engine side loads that model's tokenizer.
    const remote = await client.loadEmbedder({ kind: 'hub', modelId: 'fake/model' });
    expect(remote.countTokens!('a b')).toBe(2);
    expect((remote as RemoteEmbedder).tokenCounting).toBe('tokenizer');
    const reranker = await client.loadReranker('fake/rerank', undefined);
    expect(reranker.info.modelId).toBe('fake/rerank');
    expect([...(await reranker.score('q', ['a', 'abc']))]).toEqual([1, 3]);
    const diagnostics = await client.diagnostics();
    expect(diagnostics.calls.rerank).toBe(1);
    expect(diagnostics.sessions).toBe(2);
    close();
  });
});
