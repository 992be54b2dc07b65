import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningMockServer } from '../../../e2e/llm-server/server.mjs';
import type { RetrievedSource } from './answer-pipeline';
import { batchRows, csvCell, runBatch, toCsv, toJson } from './batch';
import { createLlmClient } from './llm-client';

/** A minimal RFC 4180 reader, to check that what we write reads back the same. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('toCsv', () => {
  it('escapes quotes, commas and line breaks so the data reads back intact', () => {
    const rows = [
      { query: 'plain', text: 'He said "hi", then left', n: 1 },
      { query: 'multi\nline', text: 'a\r\nb,c', n: -2.5 },
      { query: ' padded ', text: '', n: undefined },
    ];
    const csv = toCsv(rows);
    expect(csv.split('\r\n')[1]).toBe('plain,"He said ""hi"", then left",1');
    expect(parseCsv(csv)).toEqual([
      ['query', 'text', 'n'],
      ['plain', 'He said "hi", then left', '1'],
      ['multi\nline', 'a\r\nb,c', '-2.5'],
      [' padded ', '', ''],
    ]);
  });

  it('stops spreadsheets from running formulas in text cells, but leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('=1', false)).toBe('=1');
  });

  it('uses the given column order and the union of keys otherwise', () => {
    expect(toCsv([{ a: 1 }, { b: 2 }])).toBe('a,b\r\n1,\r\n,2\r\n');
    expect(toCsv([{ a: 1, b: 2 }], { columns: ['b', 'a'] })).toBe('b,a\r\n2,1\r\n');
  });
});

describe('toJson', () => {
  it('round-trips rows', () => {
    const rows = [{ q: 'a "b"\n', rank: 1 }];
    expect(JSON.parse(toJson(rows))).toEqual(rows);
  });
});

describe('runBatch', () => {
  let server: RunningMockServer;
  beforeAll(async () => {
    server = await startServer(0);
  });
  afterAll(async () => {
    await server.close();
  });

  const corpus: RetrievedSource[] = [
    { docName: 'a.md', text: 'Alpha text.', score: 0.9 },
    { docName: 'b.pdf', text: 'Beta, "quoted"\ntext.', score: 0.7, page: 4 },
    { docName: 'c.md', text: 'Gamma text.', score: 0.1 },
  ];

  it('retrieves all queries in one call, answers each, and exports', async () => {
    const calls: string[][] = [];
    const progress: string[] = [];
    const results = await runBatch({
      queries: ['first?', '  ', 'second?'],
      retrieveMany: async (queries) => {
        calls.push(queries);
        return queries.map((_, i) => corpus.slice(i));
      },
      k: 2,
      answer: { client: createLlmClient({ provider: 'ollama', baseUrl: server.url, model: 'mock-model' }), countTokens: (s) => s.length / 4, tokenBudget: 2000 },
      onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`),
    });
    expect(calls).toEqual([['first?', 'second?']]);
    expect(results.map((r) => r.sources.map((s) => s.docName))).toEqual([['a.md', 'b.pdf'], ['b.pdf', 'c.md']]);
    expect(results[0].answer?.text).toContain('Sources given: 1,2.');
    expect(results[0].answer?.citedSources).toEqual([1, 2]);
    expect(progress).toEqual(['retrieve:0/2', 'retrieve:2/2', 'answer:1/2', 'answer:2/2']);

    const hits = batchRows(results);
    expect(hits).toHaveLength(4);
    expect(hits[1]).toMatchObject({ query: 'first?', rank: 2, document: 'b.pdf', page: 4 });
    const parsed = parseCsv(toCsv(hits));
    expect(parsed[2][parsed[0].indexOf('text')]).toBe('Beta, "quoted"\ntext.');

    const answers = batchRows(results, 'answers');
    expect(answers[1]).toMatchObject({ query: 'second?', cited: '1 2', sources: '[1] b.pdf (p. 4); [2] c.md' });
  });

  it('records a failed answer per query instead of stopping the batch', async () => {
    const results = await runBatch({
      queries: ['ok', 'broken __llm_500__'],
      retrieveMany: async (queries) => queries.map(() => corpus),
      answer: { client: createLlmClient({ provider: 'openai', baseUrl: `${server.url}/v1`, model: 'm' }), countTokens: (s) => s.length / 4, tokenBudget: 2000 },
    });
    expect(results[0].answer?.error).toBeUndefined();
    expect(results[1].answer?.error?.code).toBe('LLM_BAD_RESPONSE');
    expect(batchRows(results, 'answers')[1].error).toMatch(/^LLM_BAD_RESPONSE: /);
  });
});
