import { describe, expect, it } from 'vitest';
import { createLineSplitter, createNdjsonParser, createSseParser, type SseEvent } from './stream-parsers';

function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Splits `text` at `cuts` random places. */
function randomSplit(text: string, cuts: number, random: () => number): string[] {
  const points = Array.from({ length: cuts }, () => Math.floor(random() * (text.length + 1))).sort((a, b) => a - b);
  const parts: string[] = [];
  let at = 0;
  for (const p of points) {
    parts.push(text.slice(at, p));
    at = p;
  }
  parts.push(text.slice(at));
  return parts;
}

function parseSse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  parser.end();
  return events;
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}`;

describe('createSseParser', () => {
  const tokens = ['Hello', ' wör', 'ld', ' [1]', '\n\nnew "line"', ' 😀'];
  const streams = {
    lf: `: keep-alive\n\n${tokens.map((t) => `${chunk(t)}\n\n`).join('')}data: [DONE]\n\n`,
    crlf: `: keep-alive\r\n\r\n${tokens.map((t) => `${chunk(t)}\r\n\r\n`).join('')}data: [DONE]\r\n\r\n`,
    cr: `: keep-alive\r\r${tokens.map((t) => `${chunk(t)}\r\r`).join('')}data: [DONE]\r\r`,
  };
  const expected = [...tokens.map((t) => chunk(t).slice(6)), '[DONE]'];

  for (const [name, stream] of Object.entries(streams)) {
    it(`parses a ${name} stream split at every single position`, () => {
      for (let cut = 0; cut <= stream.length; cut++) {
        const events = parseSse([stream.slice(0, cut), stream.slice(cut)]);
        expect(events.map((e) => e.data), `cut at ${cut}`).toEqual(expected);
      }
    });

    it(`parses a ${name} stream split into many random pieces`, () => {
      const random = lcg(name.length * 7919);
      for (let trial = 0; trial < 200; trial++) {
        const events = parseSse(randomSplit(stream, 1 + Math.floor(random() * 40), random));
        expect(events.map((e) => e.data)).toEqual(expected);
      }
    });

    it(`parses a ${name} stream one character at a time`, () => {
      expect(parseSse([...stream]).map((e) => e.data)).toEqual(expected);
    });
  }

  it('joins multi-line data, reads event names, strips one leading space only', () => {
    const events = parseSse(['event: error\ndata: a\ndata:  b\ndata\n\n', 'data:x\n\n']);
    expect(events).toEqual([
      { event: 'error', data: 'a\n b\n' },
      { data: 'x' },
    ]);
  });

  it('dispatches a last event that has no blank line after it', () => {
    expect(parseSse(['data: [DONE]']).map((e) => e.data)).toEqual(['[DONE]']);
  });

  it('ignores comments and blank lines between events', () => {
    expect(parseSse([':x\n\n\n\n: ping\ndata: 1\n\n']).map((e) => e.data)).toEqual(['1']);
  });
});

describe('createLineSplitter', () => {
  it('treats a CR at a chunk end as half of CRLF only if LF follows', () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    s.push('a\r');
    s.push('\nb\r');
    s.push('c');
    s.end();
    expect(lines).toEqual(['a', 'b', 'c']);
  });
});

describe('createNdjsonParser', () => {
  const values = [
    { message: { role: 'assistant', content: 'Hi' }, done: false },
    { message: { role: 'assistant', content: ' {"nested": "json\\n"}' }, done: false },
    { message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
  ];
  const text = values.map((v) => JSON.stringify(v)).join('\n') + '\n';

  it('parses values split at random places, and skips blank lines', () => {
    const random = lcg(42);
    for (let trial = 0; trial < 200; trial++) {
      const out: unknown[] = [];
      const parser = createNdjsonParser((v) => out.push(v), (line) => {
        throw new Error(`invalid ${line}`);
      });
      for (const piece of randomSplit(`\n${text}\r\n`, 1 + Math.floor(random() * 30), random)) parser.push(piece);
      parser.end();
      expect(out).toEqual(values);
    }
  });

  it('parses a last line without a newline', () => {
    const out: unknown[] = [];
    const parser = createNdjsonParser((v) => out.push(v), () => undefined);
    parser.push('{"a":1}\n{"b":');
    parser.push('2}');
    expect(out).toEqual([{ a: 1 }]);
    parser.end();
    expect(out).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('reports a line that is not JSON', () => {
    const bad: string[] = [];
    const parser = createNdjsonParser(() => undefined, (line) => bad.push(line));
    parser.push('{"ok":true}\n{"message": <<garbage>>\n');
    parser.end();
    expect(bad).toEqual(['{"message": <<garbage>>']);
  });
});
