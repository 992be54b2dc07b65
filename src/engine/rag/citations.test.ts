import { describe, expect, it } from 'vitest';
import { citedSources, parseCitations, segmentAnswer } from './citations';

const ns = (text: string, count = 5) => parseCitations(text, count).map((c) => c.n);

describe('parseCitations', () => {
  it('finds single, grouped, adjacent and ranged citations', () => {
    expect(ns('A [1]. B [2, 3]. C [4][5]. D [1-3].')).toEqual([1, 2, 3, 4, 5, 1, 2, 3]);
    expect(ns('E [2;4] F [Source 3] G [sources 1, 2] H [1–2]')).toEqual([2, 4, 3, 1, 2, 1, 2]);
  });

  it('gives the span of the whole bracket group', () => {
    const text = 'Yes [1, 2] and [3].';
    const citations = parseCitations(text, 3);
    expect(citations).toEqual([
      { n: 1, start: 4, end: 10 },
      { n: 2, start: 4, end: 10 },
      { n: 3, start: 15, end: 18 },
    ]);
    expect(text.slice(4, 10)).toBe('[1, 2]');
  });

  it('ignores numbers out of range, silly ranges, and non-citations', () => {
    expect(ns('[0] [6] [1, 9] [3-1] [1-999] [x] [1](http://a) [^2] [ 2 ]', 5)).toEqual([1, 2]);
    expect(ns('[1]', 0)).toEqual([]);
  });

  it('dedupes within a group', () => {
    expect(ns('[2, 2, 1-2]')).toEqual([2, 1]);
  });
});

describe('citedSources and segmentAnswer', () => {
  it('lists each cited source once, in order of first citation', () => {
    const citations = parseCitations('[3] then [1][3] and [2, 1]', 3);
    expect(citedSources(citations)).toEqual([3, 1, 2]);
    expect(citedSources({ citations })).toEqual([3, 1, 2]);
  });

  it('splits text and citation groups losslessly', () => {
    const text = '<b>x</b> [1, 2] y [9] z[3]';
    const segments = segmentAnswer(text, 3);
    expect(segments).toEqual([
      { kind: 'text', text: '<b>x</b> ' },
      { kind: 'citation', text: '[1, 2]', sources: [1, 2] },
      { kind: 'text', text: ' y [9] z' },
      { kind: 'citation', text: '[3]', sources: [3] },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });
});
