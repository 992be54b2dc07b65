import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEngineError, type ErrorCode } from '../errors';
import { chunkDocument } from '../chunking/chunker';
import { parseDocument } from './parse-document';
import type { ParsedDocument } from './parsed-document';

const DIR = join(__dirname, '../../../e2e/fixtures/docs');
const load = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const parse = (name: string) => parseDocument({ name, bytes: load(name) });

function blockWith(doc: ParsedDocument, phrase: string) {
  const block = doc.blocks.find((b) => b.text.includes(phrase));
  expect(block, `no block contains "${phrase}"`).toBeDefined();
  return block!;
}

function expectConsistentOffsets(doc: ParsedDocument) {
  for (const b of doc.blocks) expect(doc.text.slice(b.start, b.end)).toBe(b.text);
}

async function expectError(name: string, code: ErrorCode, bytes = load(name), options = {}) {
  const error = await parseDocument({ name, bytes }, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngineError(error), `${name} should fail with ${code}`).toBe(true);
  if (!isEngineError(error)) return;
  expect(error.code).toBe(code);
  expect(error.message.startsWith(`${name}: `)).toBe(true);
  expect(error.details.file).toBe(name);
  return error;
}

describe.skipIf(!existsSync(DIR))('parseDocument on e2e/fixtures/docs', () => {
  it('PDF: phrases carry their page numbers', async () => {
    const doc = await parse('three-pages.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toBe(3);
    expect(blockWith(doc, 'aardvark ledger opens at dawn').page).toBe(1);
    expect(blockWith(doc, 'copper kettles').page).toBe(1);
    expect(blockWith(doc, 'Cobalt herons nest beside the quarry').page).toBe(2);
    expect(blockWith(doc, 'Tangerine submarines surface at midnight').page).toBe(3);
    // Lines separated by a normal gap stay one paragraph; a bigger gap splits.
    expect(blockWith(doc, 'aardvark').text).toContain('green ink');
    expect(blockWith(doc, 'aardvark').text).not.toContain('copper');
    expect(doc.warnings).toEqual([]);
    expectConsistentOffsets(doc);
  });

  it('PDF: pages without a text layer are reported, the rest is kept', async () => {
    const doc = await parse('mixed-scan.pdf');
    expect(doc.warnings).toHaveLength(1);
    expect(doc.warnings[0]).toMatchObject({ code: 'NO_TEXT_LAYER', pages: [2] });
    expect(blockWith(doc, 'Marzipan lighthouses').page).toBe(1);
    expect(blockWith(doc, 'Velvet anchors').page).toBe(3);
  });

  it('PDF: bad files give the right codes', async () => {
    const scanned = await expectError('scanned.pdf', 'NO_TEXT_LAYER');
    expect(scanned?.details.pages).toEqual([1, 2]);
    const encrypted = await expectError('encrypted.pdf', 'ENCRYPTED_FILE');
    expect(encrypted?.message).toMatch(/password-protected/);
    await expectError('corrupt.pdf', 'PARSE_FAILED');
    await expectError('not-really.pdf', 'PARSE_FAILED');
  });

  it('DOCX: Word headings become the heading path', async () => {
    const doc = await parse('report.docx');
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('Expedition Report');
    expect(blockWith(doc, 'Expedition Report')).toMatchObject({ kind: 'heading', level: 1 });
    expect(blockWith(doc, 'began in late October').headingPath).toEqual(['Expedition Report']);
    expect(blockWith(doc, 'saffron rope').headingPath).toEqual(['Expedition Report', 'Equipment']);
    expect(blockWith(doc, 'Katabatic winds').headingPath).toEqual(['Expedition Report', 'Weather']);
    expect(blockWith(doc, 'Fossilised ammonites').headingPath).toEqual(['Findings']);
    expectConsistentOffsets(doc);
  });

  it('DOCX: a zip bomb is refused before inflating, and non-zips are refused', async () => {
    const bomb = await expectError('zip-bomb.docx', 'PARSE_FAILED');
    expect(bomb?.message).toMatch(/zip bomb \/ too large when uncompressed/);
    await expectError('not-a-zip.docx', 'PARSE_FAILED');
  });

  it('HTML: keeps headings and content, drops scripts and boilerplate', async () => {
    const doc = await parse('page.html');
    expect(doc.title).toBe('Lighthouse Keeping Handbook');
    expect(blockWith(doc, 'smells of paraffin and salt').headingPath).toEqual(['Lighthouse Keeping']);
    expect(blockWith(doc, 'four hours & log the barometer').headingPath).toEqual(['Lighthouse Keeping', 'Night Watch']);
    expect(blockWith(doc, 'Polish the Fresnel lens').kind).toBe('list');
    expect(blockWith(doc, 'Double the watch').headingPath).toEqual(['Lighthouse Keeping', 'Storm Protocol']);
    expect(blockWith(doc, 'three long flashes')).toMatchObject({ kind: 'code', headingPath: ['Lighthouse Keeping', 'Storm Protocol', 'Signals'] });
    expect(doc.text).not.toMatch(/BOILERPLATE|__xss|onerror|<script|<img/);
    expectConsistentOffsets(doc);
  });

  it('Markdown: ATX and setext headings, code fences, no raw HTML', async () => {
    const doc = await parse('notes.md');
    expect(doc.title).toBe('Beekeeping Notes');
    expect(blockWith(doc, 'Beekeeping Notes')).toMatchObject({ kind: 'heading', level: 1 });
    expect(blockWith(doc, 'every nine days in summer').headingPath).toEqual(['Beekeeping Notes']);
    expect(blockWith(doc, 'smoker loaded with pine needles')).toMatchObject({ kind: 'list', headingPath: ['Beekeeping Notes', 'Equipment'] });
    expect(blockWith(doc, 'not a heading: inside a code fence')).toMatchObject({ kind: 'code', headingPath: ['Beekeeping Notes', 'Swarm Control'] });
    expect(blockWith(doc, 'Feed fondant').headingPath).toEqual(['Beekeeping Notes', 'Winter Care']);
    expect(doc.text).not.toMatch(/__xss|onerror|<script|<img|\*\*|title: Beekeeping/);
    await expectError('blank.md', 'EMPTY_FILE');
  });

  it('TXT: encodings are detected', async () => {
    const latin = await parse('latin1.txt');
    expect(latin.text).toContain('Café crème brûlée — naïve façade at the Ærøskøbing Straße, priced 5 €.');
    expect(latin.text).toContain('“Smørrebrød”');
    expect(latin.warnings.map((w) => w.code)).toEqual(['DECODED_AS_WINDOWS_1252']);
    expect((await parse('utf16le-bom.txt')).text).toBe('Grüße aus Zürich — 東京の桜.\n\nA second paragraph in UTF-16.');
    expect((await parse('utf16be-bom.txt')).text).toBe('Big-endian Ωmega text.');
    const damaged = await parse('invalid-utf8.txt');
    expect(damaged.text).toContain('Résumé of the naïve café \uFFFD written');
    expect(damaged.warnings.map((w) => w.code)).toEqual(['INVALID_UTF8_REPLACED']);
  });

  it('TXT: binary, empty and unsupported files are refused', async () => {
    const png = await expectError('image-renamed.txt', 'UNSUPPORTED_FILE_TYPE');
    expect(png?.message).toMatch(/PNG image/);
    await expectError('binary.txt', 'UNSUPPORTED_FILE_TYPE');
    await expectError('empty.txt', 'EMPTY_FILE');
    const xyz = await expectError('notes.xyz', 'UNSUPPORTED_FILE_TYPE');
    expect(xyz?.message).toMatch(/\.xyz/);
    await expectError('big.txt', 'FILE_TOO_LARGE', new TextEncoder().encode('x'.repeat(2048)), { maxBytes: 1024 });
  });

  it('CSV: one record per row, quoted commas and newlines intact', async () => {
    const doc = await parse('people.csv');
    const records = doc.blocks.filter((b) => b.kind === 'record');
    expect(records).toHaveLength(3);
    expect(records[0].text).toBe('name: Ada Lovelace\ncity: London\nnote: Wrote the first program, for the Analytical Engine');
    expect(records[1].text).toBe('name: Grace Hopper\ncity: Arlington, Virginia\nnote: Said "ask forgiveness"\nnot permission');
    expect(records[2].headingPath).toEqual(['Row 3']);
    // Each row stays its own chunk even when the limit would fit them all.
    expect(chunkDocument(doc, { maxTokens: 500, overlapTokens: 0 })).toHaveLength(3);
  });

  it('JSON: arrays give records per item, objects per key', async () => {
    const catalog = await parse('catalog.json');
    expect(catalog.blocks).toHaveLength(2);
    expect(catalog.blocks[1]).toMatchObject({ kind: 'record', headingPath: ['Item 2'] });
    expect(catalog.blocks[1].text).toContain('name: Walnut sextant');
    expect(catalog.blocks[1].text).toContain('stock.warehouse: Bergen');
    const settings = await parse('settings.json');
    expect(settings.blocks.map((b) => b.headingPath[0])).toEqual(['theme', 'retries', 'owner']);
    expect(blockWith(settings, 'mina@example.com').text).toBe('owner.name: Mina\nowner.email: mina@example.com');
    await expectError('broken.json', 'PARSE_FAILED');
  });
});
