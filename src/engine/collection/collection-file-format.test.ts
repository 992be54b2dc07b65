import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { createRandom } from '../vectors/random';
import {
  COLLECTION_FORMAT_VERSION,
  crc32,
  readCollectionFile,
  writeCollectionFile,
  type CollectionFileHeader,
} from './collection-file-format';

const NAME = 'backup.siftcol';
const DIM = 3;

function sampleHeader(): CollectionFileHeader {
  const text = 'Alpha beta.\n\nGamma delta epsilon.';
  return {
    exportedAt: '2026-11-25T00:00:00.000Z',
    app: 'sift',
    vectorSpace: 'model|fp32|mean|norm|3|""|""',
    dim: DIM,
    documentCount: 2,
    chunkCount: 3,
    documents: [
      {
        id: 4, name: 'a.txt', path: 'dir/a.txt', type: 'txt', size: text.length, hash: 'h-a', lastModified: 1,
        addedAt: 2, status: 'ready', chunkCount: 2, text, pages: 3, warnings: ['w'], vectorSpace: 'model|fp32|mean|norm|3|""|""',
        vectors: true,
      },
      {
        id: 9, name: 'b.md', path: 'b.md', type: 'md', size: 5, hash: 'h-b', lastModified: 0, addedAt: 0,
        status: 'ready', chunkCount: 1, text: 'Hello', vectorSpace: 'other', vectors: false,
      },
    ],
    chunks: [
      { id: 10, docId: 4, index: 0, text: 'Alpha beta.', start: 0, end: 11, headingPath: ['H1', 'H2'], page: 1 },
      { id: 11, docId: 4, index: 1, text: 'Gamma delta epsilon.', start: 13, end: 33, headingPath: [] },
      { id: 12, docId: 9, index: 0, text: 'Hello', start: 0, end: 5, headingPath: [] },
    ],
  };
}

const sampleVectors = () => Float32Array.from({ length: 3 * DIM }, (_, i) => i / 7 - 0.5);
const sampleFile = () => writeCollectionFile(sampleHeader(), sampleVectors());

/** A header open to any edit, damaging ones included. */
type Loose = Record<string, unknown> & { documents: Record<string, unknown>[]; chunks: Record<string, unknown>[] };

/**
 * Builds a file around a hand-edited header with a valid checksum, to test
 * the shape checks alone. Written by hand, so it also pins the layout.
 */
function craft(edit: (header: Loose) => void, vectors = sampleVectors()): Uint8Array {
  const header = structuredClone(sampleHeader()) as unknown as Loose;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = 16 + Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(start + vectors.byteLength + 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('SIFTCOL\0'));
  view.setUint32(8, 1, true);
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(new Uint8Array(vectors.buffer), start);
  view.setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

function rejection(bytes: Uint8Array): EngineError {
  try {
    readCollectionFile(bytes, NAME);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    const engineError = error as EngineError;
    expect(engineError.message.startsWith(`${NAME}: `)).toBe(true);
    expect(engineError.details.file).toBe(NAME);
    expect(['CORRUPT_INDEX', 'INVALID_ARGUMENT']).toContain(engineError.code);
    return engineError;
  }
  throw new Error('the file was accepted');
}

describe('collection file format', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('round-trips header and vectors, with the vectors 4-byte aligned', () => {
    const bytes = sampleFile();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('SIFTCOL\0');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(COLLECTION_FORMAT_VERSION);
    const vectorStart = 16 + Math.ceil(view.getUint32(12, true) / 4) * 4;
    expect(vectorStart % 4).toBe(0);
    expect(bytes.byteLength).toBe(vectorStart + 3 * DIM * 4 + 4);
    expect(Array.from(new Float32Array(bytes.buffer.slice(vectorStart, vectorStart + 36)))).toEqual(Array.from(sampleVectors()));

    const file = readCollectionFile(bytes, NAME);
    expect(file.version).toBe(1);
    expect(file.header).toEqual(sampleHeader());
    expect(Array.from(file.vectors)).toEqual(Array.from(sampleVectors()));
  });

  it('reads a file that sits at an odd offset inside a larger buffer', () => {
    const bytes = sampleFile();
    const host = new Uint8Array(bytes.byteLength + 3);
    host.set(bytes, 1);
    const file = readCollectionFile(host.subarray(1, 1 + bytes.byteLength), NAME);
    expect(Array.from(file.vectors)).toEqual(Array.from(sampleVectors()));
  });

  it('rejects every truncation, including at each section boundary', () => {
    const bytes = sampleFile();
    const headerEnd = 16 + new DataView(bytes.buffer).getUint32(12, true);
    const boundaries = [0, 4, 8, 12, 16, headerEnd, bytes.byteLength - 4 - 3 * DIM * 4, bytes.byteLength - 4];
    for (const length of boundaries) {
      const error = rejection(bytes.slice(0, length));
      if (length >= 8) expect(error.message).toMatch(/cut short/);
    }
    for (let length = 0; length < bytes.byteLength; length++) rejection(bytes.slice(0, length));
    expect(rejection(new Uint8Array([...bytes, 0, 0, 0, 0])).message).toMatch(/unexpected bytes at the end/);
  });

  it('rejects random byte flips anywhere', () => {
    const bytes = sampleFile();
    const random = createRandom(7);
    for (let trial = 0; trial < 500; trial++) {
      const damaged = bytes.slice();
      const flips = 1 + random.nextInt(3);
      for (let f = 0; f < flips; f++) damaged[random.nextInt(damaged.length)] ^= 1 + random.nextInt(255);
      rejection(damaged);
    }
    // Every single position, too.
    for (let i = 0; i < bytes.length; i++) {
      const damaged = bytes.slice();
      damaged[i] ^= 0x5a;
      rejection(damaged);
    }
  });

  it('explains files that are not collections, and files from a newer Sift', () => {
    expect(rejection(new TextEncoder().encode('PK\u0003\u0004 a zip file, really')).code).toBe('INVALID_ARGUMENT');
    expect(rejection(new Uint8Array(0)).message).toMatch(/not a Sift collection file/);

    const newer = sampleFile();
    new DataView(newer.buffer).setUint32(8, 2, true);
    const error = rejection(newer);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/newer version of Sift \(format 2\)/);

    const zero = sampleFile();
    new DataView(zero.buffer).setUint32(8, 0, true);
    expect(rejection(zero).code).toBe('CORRUPT_INDEX');
  });

  it('validates the header even when the checksum is right', () => {
    const cases: [string, (h: Loose) => void, RegExp][] = [
      ['app', (h) => (h.app = 'other'), /does not name Sift/],
      ['doc count', (h) => (h.documentCount = 3), /document count/],
      ['chunk list', (h) => h.chunks.pop(), /chunk count/],
      ['orphan chunk', (h) => (h.chunks[2].docId = 77), /belongs to no exported document/],
      ['offset past text', (h) => (h.chunks[1].end = 999), /outside its document's text/],
      ['start after end', (h) => Object.assign(h.chunks[1], { start: 30, end: 25 }), /outside/],
      ['negative offset', (h) => (h.chunks[0].start = -1), /bad 'start'/],
      ['missing text', (h) => delete h.documents[0].text, /document 1 has a bad 'text'/],
      ['string size', (h) => (h.documents[1].size = '5'), /document 2 has a bad 'size'/],
      ['status', (h) => (h.documents[0].status = 'indexing'), /bad 'status'/],
      ['heading path', (h) => (h.chunks[0].headingPath = [1]), /bad 'headingPath'/],
      ['chunk is array', (h) => (h.chunks[0] = [] as unknown as Record<string, unknown>), /chunk 1 has a bad 'record'/],
      ['duplicate doc id', (h) => (h.documents[1].id = 4), /appears twice|belongs|chunks/],
      ['duplicate path', (h) => (h.documents[1].path = 'dir/a.txt'), /appears twice/],
      ['duplicate chunk id', (h) => (h.chunks[1].id = 10), /chunk id 10 appears twice/],
      ['duplicate position', (h) => (h.chunks[1].index = 0), /two chunks at position 0/],
      ['chunk count of doc', (h) => (h.documents[0].chunkCount = 3), /does not have its 3 chunks/],
      ['foreign vectors', (h) => (h.documents[1].vectors = true), /another vector space/],
      ['huge dim', (h) => (h.dim = 1e9), /bad vector dimension/],
      ['header is an array', (h) => Object.assign(h, { documents: 'x' }), /document list/],
    ];
    for (const [name, edit, message] of cases) {
      const error = rejection(craft(edit));
      expect(error.message, name).toMatch(message);
      expect(error.code, name).toBe('CORRUPT_INDEX');
    }
    const noDim = craft((h) => (h.dim = 0), new Float32Array(0));
    expect(rejection(noDim).message).toMatch(/claims vectors from another vector space/);
    const wrongLength = craft((h) => (h.dim = 2));
    expect(rejection(wrongLength).message).toMatch(/unexpected bytes at the end/);
  });

  it('rejects vectors that are not numbers, but only where vectors are claimed', () => {
    const vectors = sampleVectors();
    vectors[4] = Number.NaN;
    expect(rejection(craft(() => {}, vectors)).message).toMatch(/chunk 2 has a vector value that is not a number/);
    const unused = sampleVectors();
    unused[2 * DIM] = Number.POSITIVE_INFINITY; // row of b.md, which carries no vectors
    expect(readCollectionFile(craft(() => {}, unused), NAME).header.chunkCount).toBe(3);
  });

  it('reads an empty collection', () => {
    const header: CollectionFileHeader = {
      exportedAt: 'now', app: 'sift', vectorSpace: '', dim: 0, documentCount: 0, chunkCount: 0, documents: [], chunks: [],
    };
    const file = readCollectionFile(writeCollectionFile(header, new Float32Array(0)), NAME);
    expect(file.header).toEqual(header);
    expect(file.vectors.length).toBe(0);
  });
});
