import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningMockServer } from '../../../e2e/llm-server/server.mjs';
import { createError } from '../errors';
import { answerQuestion, NO_SOURCES_ANSWER, type AnswerEvent, type CachedAnswer, type RetrievedSource } from './answer-pipeline';
import { answerCacheParts, cacheKey, LruCache } from './cache';
import { createLlmClient } from './llm-client';

let server: RunningMockServer;
beforeAll(async () => {
  server = await startServer({ port: 0, slowDelayMs: 50 });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await fetch(`${server.url}/__reset`, { method: 'POST' });
});

const countTokens = (s: string) => Math.ceil(s.length / 4);
const docs: RetrievedSource[] = [
  { docName: 'refunds.md', text: 'Refunds are issued within 14 days. Keep the receipt.', docId: 1, chunkId: 10, start: 0, end: 52, score: 0.9 },
  { docName: 'shipping.md', text: 'Shipping takes 3 days.', docId: 2, chunkId: 20, score: 0.8, page: 2 },
  { docName: 'faq.md', text: 'Ask support for anything else.', docId: 3, chunkId: 30, score: 0.5, headingPath: ['FAQ'] },
];

function run(overrides: Partial<Parameters<typeof answerQuestion<RetrievedSource>>[0]> = {}) {
  const events: AnswerEvent[] = [];
  const promise = answerQuestion<RetrievedSource>({
    question: 'How fast are refunds?',
    retrieve: async () => docs,
    client: createLlmClient({ provider: 'openai', baseUrl: `${server.url}/v1`, model: 'mock-model' }),
    countTokens,
    tokenBudget: 4000,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { events, promise };
}

describe('answerQuestion', () => {
  it('reports sources, then tokens, then a cited answer', async () => {
    const { events, promise } = run();
    const result = await promise;
    expect(events[0].type).toBe('sources');
    expect(events.at(-1)?.type).toBe('done');
    const sourcesEvent = events[0] as Extract<AnswerEvent, { type: 'sources' }>;
    expect(sourcesEvent.sources.map((s) => [s.n, s.docName, s.chunkId])).toEqual([
      [1, 'refunds.md', 10],
      [2, 'shipping.md', 20],
      [3, 'faq.md', 30],
    ]);
    const tokens = events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text);
    expect(tokens.join('')).toBe(result.text);
    expect(result.text).toContain('Sources given: 1,2,3.');
    expect(result.citedSources).toEqual([1, 2, 3]);
    expect(result.citations[0]).toMatchObject({ n: 1 });
    expect(result.text.slice(result.citations[0].start, result.citations[0].end)).toBe('[1]');
    expect(result.error).toBeUndefined();
  });

  it('sends only the sources that fit the budget, and the model sees exactly those', async () => {
    const big = docs.map((d) => ({ ...d, text: `${d.text} ${'Filler sentence here. '.repeat(40)}` }));
    const { promise } = run({ retrieve: async () => big, tokenBudget: 650 });
    const result = await promise;
    expect(result.sources).toHaveLength(3);
    expect(result.usedSources.length).toBeLessThan(3);
    expect(result.text).toContain(`Sources given: ${result.usedSources.join(',')}.`);
    // Citations to sources the model never saw are not reported.
    expect(result.citedSources.every((n) => result.usedSources.includes(n))).toBe(true);
  });

  it('still reports the sources when the LLM fails', async () => {
    await fetch(`${server.url}/__mode`, { method: 'POST', body: JSON.stringify({ mode: '500' }) });
    const { events, promise } = run();
    const result = await promise;
    expect(events.map((e) => e.type)).toEqual(['sources', 'error']);
    expect(result.sources).toHaveLength(3);
    expect(result.error?.code).toBe('LLM_BAD_RESPONSE');
    expect(result.stage).toBe('llm');
  });

  it('reports a retrieval failure as an error event', async () => {
    const { events, promise } = run({
      retrieve: async () => {
        throw createError('EMBEDDING_FAILED', 'model gone');
      },
    });
    const result = await promise;
    expect(events).toEqual([{ type: 'error', error: result.error, stage: 'retrieve' }]);
    expect(result.error?.code).toBe('EMBEDDING_FAILED');
    expect(server.state.requests).toHaveLength(0);
  });

  it('applies the rerank step and maxSources before prompting', async () => {
    const { promise } = run({ rerank: async (_q, list) => [...list].reverse(), maxSources: 2 });
    const result = await promise;
    expect(result.sources.map((s) => s.docName)).toEqual(['faq.md', 'shipping.md']);
    expect(result.text).toContain('Sources given: 1,2.');
  });

  it('answers without calling the LLM when nothing was retrieved', async () => {
    const { promise } = run({ retrieve: async () => [] });
    const result = await promise;
    expect(result.text).toBe(NO_SOURCES_ANSWER);
    expect(server.state.requests).toHaveLength(0);
  });

  it('cancels mid-answer and keeps the partial text', async () => {
    await fetch(`${server.url}/__mode`, { method: 'POST', body: JSON.stringify({ mode: 'slow' }) });
    const controller = new AbortController();
    const { events, promise } = run({
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'token') controller.abort();
      },
    });
    const result = await promise;
    expect(result.error?.code).toBe('CANCELLED');
    expect(result.text.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'error', stage: 'llm' });
  });

  it('serves a repeated question from the answer cache without calling the LLM', async () => {
    const cache = new LruCache<CachedAnswer>({ maxEntries: 10, ttlMs: 60_000 });
    const key = cacheKey(answerCacheParts({ question: 'How fast are refunds?', collectionVersion: 1, settings: { model: 'mock-model' } }));
    const first = await run({ cache, cacheKey: key }).promise;
    expect(server.state.requests).toHaveLength(1);
    const { events, promise } = run({ cache, cacheKey: key, retrieve: async () => { throw new Error('should not retrieve'); } });
    const second = await promise;
    expect(server.state.requests).toHaveLength(1);
    expect(second.cached).toBe(true);
    expect(second.text).toBe(first.text);
    expect(second.sources).toEqual(first.sources);
    expect(events.map((e) => e.type)).toEqual(['sources', 'token', 'done']);
  });

  it('does not cache a failed answer', async () => {
    const cache = new LruCache<CachedAnswer>({ maxEntries: 10 });
    await fetch(`${server.url}/__mode`, { method: 'POST', body: JSON.stringify({ mode: '429' }) });
    await run({ cache, cacheKey: 'k' }).promise;
    expect(cache.size).toBe(0);
  });
});
