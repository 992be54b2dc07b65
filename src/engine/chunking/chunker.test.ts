import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { parseCsv } from '../parsers/csv-parser';
import { parseMarkdown } from '../parsers/markdown-parser';
import type { Block, ParsedDocument } from '../parsers/parsed-document';
import { parsePlainText } from '../parsers/plain-text-parser';
import { chunkDocument, type Chunk, type ChunkOptions } from './chunker';
import { approximateTokenCount } from './token-count';

const count = approximateTokenCount;

/** The properties every chunking must have, whatever the input. */
function checkInvariants(doc: { text: string; blocks: readonly Block[] }, chunks: Chunk[], opts: Partial<ChunkOptions> & { maxTokens: number }) {
  const countTokens = opts.countTokens ?? count;
  const covered = new Uint8Array(doc.text.length);
  chunks.forEach((c, i) => {
    expect(c.text).toBe(doc.text.slice(c.start, c.end));
    expect(c.index).toBe(i);
    expect(c.text.trim()).toBe(c.text);
    expect(c.text.length).toBeGreaterThan(0);
    expect(countTokens(c.text)).toBeLessThanOrEqual(opts.maxTokens);
    if (i > 0) expect(c.start).toBeGreaterThan(chunks[i - 1].start);
    covered.fill(1, c.start, c.end);
  });
  // Nothing a block holds is lost.
  const lost: number[] = [];
  for (const b of doc.blocks) {
    for (let p = b.start; p < b.end; p++) if (!covered[p] && !/\s/.test(doc.text[p])) lost.push(p);
  }
  expect(lost).toEqual([]);
}

function sentences(n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `Sentence number ${from + i} talks about topic ${from + i}.`).join(' ');
}

describe('chunkDocument', () => {
  it('returns no chunks for an empty document', () => {
    expect(chunkDocument({ text: '', blocks: [] })).toEqual([]);
  });

  it('keeps a short document whole, with its heading path', () => {
    const doc = parseMarkdown('# Title\n\nOne short paragraph.\n\nAnother one.');
    const chunks = chunkDocument(doc, { maxTokens: 100, overlapTokens: 10 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ start: 0, end: doc.text.length, headingPath: ['Title'], index: 0 });
  });

  it('never crosses a heading, and a bare heading joins the section under it', () => {
    const md = '# Guide\n\n## Setup\n\nInstall the kettle.\n\n## Usage\n\nPour water slowly.\n\n### Advanced\n\nWarm the pot first.';
    const doc = parseMarkdown(md);
    const chunks = chunkDocument(doc, { maxTokens: 200, overlapTokens: 20 });
    expect(chunks.map((c) => c.text)).toEqual([
      'Guide\n\nSetup\n\nInstall the kettle.',
      'Usage\n\nPour water slowly.',
      'Advanced\n\nWarm the pot first.',
    ]);
    expect(chunks.map((c) => c.headingPath)).toEqual([['Guide', 'Setup'], ['Guide', 'Usage'], ['Guide', 'Usage', 'Advanced']]);
    checkInvariants(doc, chunks, { maxTokens: 200 });
  });

  it('splits long sections by paragraph, and overlaps consecutive chunks', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => sentences(3, i * 3 + 1)).join('\n\n');
    const doc = parseMarkdown(`# Long\n\n${paragraphs}`);
    const opts = { maxTokens: 60, overlapTokens: 12 };
    const chunks = chunkDocument(doc, opts);
    expect(chunks.length).toBeGreaterThan(4);
    checkInvariants(doc, chunks, opts);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1];
      const cur = chunks[i];
      expect(cur.start).toBeLessThan(prev.end);
      const overlap = doc.text.slice(cur.start, prev.end);
      expect(count(overlap)).toBeGreaterThan(0);
      expect(count(overlap)).toBeLessThanOrEqual(opts.overlapTokens);
      // The overlap starts on a sentence, not mid-sentence.
      expect(overlap).toMatch(/^Sentence number \d+/);
      expect(cur.headingPath).toEqual(['Long']);
    }
  });

  it('has no overlap when overlapTokens is 0', () => {
    const doc = parsePlainText(Array.from({ length: 10 }, (_, i) => sentences(4, i * 4)).join('\n\n'));
    const chunks = chunkDocument(doc, { maxTokens: 50, overlapTokens: 0 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].start).toBeGreaterThanOrEqual(chunks[i - 1].end);
    checkInvariants(doc, chunks, { maxTokens: 50 });
  });

  it('splits one long sentence by words, and one huge word by characters', () => {
    const sentence = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const doc = parsePlainText(`${sentence}\n\n${'x'.repeat(5000)}`);
    const opts = { maxTokens: 40, overlapTokens: 5 };
    const chunks = chunkDocument(doc, opts);
    checkInvariants(doc, chunks, opts);
    const wordChunks = chunks.filter((c) => c.text.startsWith('word') || c.text.includes(' word'));
    expect(wordChunks.length).toBeGreaterThan(500 / 40);
    const charChunks = chunks.filter((c) => c.text.startsWith('x'));
    expect(charChunks.length).toBeGreaterThan(1);
    expect(charChunks.map((c) => c.text).join('')).toBe('x'.repeat(5000));
  });

  it('does not cut surrogate pairs when splitting characters', () => {
    const doc = parsePlainText('😀'.repeat(3000));
    const chunks = chunkDocument(doc, { maxTokens: 30, overlapTokens: 0, countTokens: (t) => Math.ceil(t.length / 8) });
    checkInvariants(doc, chunks, { maxTokens: 30, countTokens: (t) => Math.ceil(t.length / 8) });
    for (const c of chunks) expect(c.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('uses the injected token counter', () => {
    const doc = parsePlainText(sentences(40));
    const byChars = (t: string) => t.length;
    const chunks = chunkDocument(doc, { maxTokens: 120, overlapTokens: 0, countTokens: byChars });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(120);
    expect(chunks.length).toBeGreaterThan(doc.text.length / 120);
  });

  it('keeps records apart, splitting only an over-long record', () => {
    const rows = ['id,body', '1,short', '2,also short', `3,"${sentences(30)}"`].join('\n');
    const doc = parseCsv(rows);
    const chunks = chunkDocument(doc, { maxTokens: 80, overlapTokens: 10 });
    expect(chunks[0].text).toBe('id: 1\nbody: short');
    expect(chunks[1].text).toBe('id: 2\nbody: also short');
    expect(chunks.slice(2).every((c) => c.headingPath[0] === 'Row 3')).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
    checkInvariants(doc, chunks, { maxTokens: 80 });
  });

  it('never crosses a page, and carries the page number', () => {
    const text = 'Page one text.\n\nMore on page one.\n\nPage two text.';
    const doc: ParsedDocument = {
      format: 'pdf',
      text,
      warnings: [],
      blocks: [
        { kind: 'paragraph', text: 'Page one text.', start: 0, end: 14, page: 1, headingPath: [] },
        { kind: 'paragraph', text: 'More on page one.', start: 16, end: 33, page: 1, headingPath: [] },
        { kind: 'paragraph', text: 'Page two text.', start: 35, end: 49, page: 2, headingPath: [] },
      ],
    };
    const chunks = chunkDocument(doc, { maxTokens: 100, overlapTokens: 10 });
    expect(chunks.map((c) => [c.text, c.page])).toEqual([
      ['Page one text.\n\nMore on page one.', 1],
      ['Page two text.', 2],
    ]);
  });

  it('holds its invariants on mixed random documents', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const words = ['alpha', 'beta', 'gamma', 'delta.', 'epsilon,', 'zeta!', 'eta?', 'théta', '東京', 'a'.repeat(40)];
    for (let trial = 0; trial < 25; trial++) {
      const lines: string[] = [];
      for (let b = 0; b < 20; b++) {
        const r = rand();
        if (r < 0.15) lines.push(`${'#'.repeat(1 + Math.floor(rand() * 3))} Heading ${b}`);
        else if (r < 0.25) lines.push('```\ncode line\n  indented\n```');
        else lines.push(Array.from({ length: Math.floor(rand() * 120) }, () => words[Math.floor(rand() * words.length)]).join(rand() < 0.1 ? '\n' : ' '));
      }
      const doc = parseMarkdown(lines.join('\n\n'));
      const maxTokens = 8 + Math.floor(rand() * 60);
      const overlapTokens = Math.floor(rand() * (maxTokens / 2));
      checkInvariants(doc, chunkDocument(doc, { maxTokens, overlapTokens }), { maxTokens });
    }
  });

  it('treats undefined options as defaults', () => {
    const doc = parsePlainText(sentences(200));
    const explicit = chunkDocument(doc, { maxTokens: 256, overlapTokens: 32, countTokens: approximateTokenCount });
    expect(chunkDocument(doc, { maxTokens: undefined, overlapTokens: undefined, countTokens: undefined })).toEqual(explicit);
    expect(explicit.length).toBeGreaterThan(1);
  });

  it('rejects impossible options', () => {
    const doc = parsePlainText('text');
    for (const bad of [{ maxTokens: 0 }, { maxTokens: 10, overlapTokens: 10 }, { maxTokens: 10, overlapTokens: -1 }, { maxTokens: 2.5 }]) {
      let error: unknown;
      try {
        chunkDocument(doc, bad);
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error) && error.code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('approximateTokenCount', () => {
  it('counts words, punctuation and CJK characters', () => {
    expect(approximateTokenCount('')).toBe(0);
    expect(approximateTokenCount('Hello, world!')).toBe(4);
    expect(approximateTokenCount('東京の桜')).toBe(4);
    expect(approximateTokenCount('internationalization')).toBe(3);
  });
});
