import { describe, expect, it } from 'vitest';
import { answerCacheParts, cacheKey, cacheKeyAsync, fnv1a64, LruCache, stableStringify } from './cache';

describe('LruCache', () => {
  it('expires entries after their TTL using the injected clock', () => {
    let now = 1000;
    const cache = new LruCache<string>({ maxEntries: 10, ttlMs: 100, now: () => now });
    cache.set('a', 'A');
    cache.set('b', 'B', 500);
    now = 1099;
    expect(cache.get('a')).toBe('A');
    now = 1100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('B');
    now = 1500;
    expect(cache.has('b')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new LruCache<number>({ maxEntries: 3 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.get('a');
    cache.set('d', 4);
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([true, false, true, true]);
    expect(cache.size).toBe(3);
  });

  it('bounds the total size, and skips values larger than the bound', () => {
    const cache = new LruCache<string>({ maxEntries: 100, maxSize: 10, sizeOf: (v) => v.length });
    cache.set('a', 'xxxx');
    cache.set('b', 'yyyy');
    cache.set('c', 'zzzz');
    expect(cache.has('a')).toBe(false);
    expect(cache.totalSize).toBe(8);
    cache.set('huge', 'x'.repeat(11));
    expect(cache.has('huge')).toBe(false);
    expect(cache.size).toBe(2);
    cache.set('b', 'y');
    expect(cache.totalSize).toBe(5);
  });

  it('drops expired entries before evicting live ones', () => {
    let now = 0;
    const cache = new LruCache<number>({ maxEntries: 2, ttlMs: 10, now: () => now });
    cache.set('old', 1, 5);
    cache.set('live', 2);
    now = 6;
    cache.set('new', 3);
    expect([cache.has('live'), cache.has('new')]).toEqual([true, true]);
  });
});

describe('cache keys', () => {
  const base = {
    question: 'What is the refund policy?',
    collectionVersion: 17,
    settings: {
      provider: 'ollama',
      baseUrl: 'http://localhost:11434',
      model: 'llama3.2',
      temperature: 0.2,
      maxTokens: 512,
      tokenBudget: 3000,
      template: '{{sources}} {{question}}',
      topK: 8,
      rerank: true,
      mode: 'hybrid',
      apiKey: 'sk-secret',
    } as Record<string, unknown>,
  };
  const key = (input: typeof base) => cacheKey(answerCacheParts(input));

  it('changes when any setting, the question, or the collection version changes', () => {
    const reference = key(base);
    const variants: Array<typeof base> = [
      { ...base, question: 'What is the return policy?' },
      { ...base, collectionVersion: 18 },
    ];
    for (const [name, value] of Object.entries(base.settings)) {
      if (name === 'apiKey') continue;
      const changed = typeof value === 'number' ? value + 1 : typeof value === 'boolean' ? !value : `${String(value)}x`;
      variants.push({ ...base, settings: { ...base.settings, [name]: changed } });
    }
    const keys = new Set(variants.map(key));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(reference)).toBe(false);
  });

  it('ignores key order, surrounding spaces in the question, and the API key', () => {
    const reordered = { ...base, question: `  ${base.question} `, settings: Object.fromEntries(Object.entries(base.settings).reverse()) };
    expect(key(reordered)).toBe(key(base));
    expect(key({ ...base, settings: { ...base.settings, apiKey: 'sk-other' } })).toBe(key(base));
    expect(stableStringify(answerCacheParts(base))).not.toContain('sk-secret');
  });

  it('serializes values JSON would merge as distinct', () => {
    const distinct = [null, undefined, NaN, Infinity, 0, '0', [1], new Float32Array([1]), new Set([1]), new Map([[1, 1]]), { a: undefined }];
    const texts = distinct.map((v) => stableStringify({ v }));
    // `{a: undefined}` equals `{}`, which is intended; everything else differs.
    expect(new Set(texts).size).toBe(distinct.length);
    expect(() => stableStringify({ f: () => 1 })).toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stableStringify(cyclic)).toThrow(/cycle/);
  });

  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('offers a SHA-256 key through WebCrypto', async () => {
    const a = await cacheKeyAsync({ q: 'x', n: 1 });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await cacheKeyAsync({ n: 1, q: 'x' })).toBe(a);
    expect(await cacheKeyAsync({ q: 'y', n: 1 })).not.toBe(a);
  });
});
