import { describe, expect, it } from 'vitest';
import { embedInSlices, PASSAGE_SLICE, SliceSizer } from './passage-slices';

/** A fake model: row i of a call is [text length, call number]. */
function recorder() {
  const calls: string[][] = [];
  const embed = async (texts: string[]) => {
    calls.push(texts);
    return Float32Array.from(texts.flatMap((t) => [t.length, calls.length]));
  };
  return { calls, embed };
}

describe('embedInSlices', () => {
  it('embeds in short slices ordered by length and returns the vectors in the caller’s order', async () => {
    const texts = ['aaaaa', 'a', 'aaa', 'aaaaaaa', 'aa', 'aaaa'];
    const { calls, embed } = recorder();
    let pauses = 0;
    const out = await embedInSlices(texts, 2, embed, { slice: 4, between: async () => void pauses++ });
    expect(calls).toEqual([['a', 'aa', 'aaa', 'aaaa'], ['aaaaa', 'aaaaaaa']]);
    expect(pauses).toBe(1);
    // Row i belongs to texts[i], whichever slice embedded it.
    expect(Array.from({ length: texts.length }, (_, i) => out[i * 2])).toEqual(texts.map((t) => t.length));
    expect(Array.from({ length: texts.length }, (_, i) => out[i * 2 + 1])).toEqual([2, 1, 1, 2, 1, 1]);
  });

  it('lets other work in between slices', async () => {
    const order: string[] = [];
    const texts = Array.from({ length: 5 }, (_, i) => `p${i}`);
    const run = embedInSlices(texts, 1, async (slice) => {
      order.push(slice.join('+'));
      return new Float32Array(slice.length);
    }, { slice: 2 });
    setTimeout(() => order.push('query'), 0);
    await run;
    expect(order.indexOf('query')).toBeGreaterThan(0);
    expect(order.indexOf('query')).toBeLessThan(order.length - 1);
  });
});

describe('SliceSizer', () => {
  it('starts at the default, then sizes slices to the target time: small for a slow model, large for a fast one', () => {
    const slow = new SliceSizer(200, 2, 32);
    expect(slow.size).toBe(PASSAGE_SLICE);
    slow.record(8, 8 * 100);
    expect(slow.size).toBe(2);
    const fast = new SliceSizer(200, 2, 32);
    fast.record(32, 32 * 0.5);
    expect(fast.size).toBe(32);
    const middle = new SliceSizer(200, 2, 32);
    middle.record(8, 8 * 20);
    expect(middle.size).toBe(10);
  });

  it('re-reads the size before each slice', async () => {
    const sizes = [3, 1, 10];
    const calls: number[] = [];
    await embedInSlices(Array.from({ length: 7 }, (_, i) => `t${i}`), 1, async (slice) => {
      calls.push(slice.length);
      return new Float32Array(slice.length);
    }, { slice: () => sizes.shift() ?? 1, between: async () => {} });
    expect(calls).toEqual([3, 1, 3]);
  });
});
