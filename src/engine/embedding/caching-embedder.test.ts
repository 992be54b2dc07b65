import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../testing/hashing-embedder';
import { CachingEmbedder } from './caching-embedder';

describe('CachingEmbedder', () => {
  it('returns the same vectors as the model and embeds each text once', async () => {
    const model = new HashingEmbedder(16);
    const cached = new CachingEmbedder(model);
    const texts = ['alpha beta', 'gamma', 'alpha beta', 'delta'];
    const direct = await model.embed(texts);
    expect(Array.from(await cached.embed(texts, 'passage'))).toEqual(Array.from(direct));
    expect(cached.misses).toBe(3);
    await cached.embed(['gamma', 'delta', 'epsilon'], 'passage');
    expect(cached.misses).toBe(4);
  });

  it('keeps queries and passages apart, since prefixes can make them differ', async () => {
    const cached = new CachingEmbedder(new HashingEmbedder(16));
    await cached.embed(['same words'], 'passage');
    await cached.embed(['same words'], 'query');
    expect(cached.misses).toBe(2);
  });

  it('uses primed vectors instead of calling the model', async () => {
    const cached = new CachingEmbedder(new HashingEmbedder(4));
    const vector = Float32Array.of(1, 2, 3, 4);
    cached.prime([{ text: 'known', vector }]);
    expect(Array.from(await cached.embed(['known'], 'passage'))).toEqual([1, 2, 3, 4]);
    expect(cached.misses).toBe(0);
  });
});
