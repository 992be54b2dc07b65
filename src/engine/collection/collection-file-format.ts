/**
 * The collection export file: one self-describing binary that another
 * browser can import without re-embedding.
 *
 * Layout (little-endian):
 *   0   'SIFTCOL\0' magic (8 bytes)
 *   8   u32 format version (1)
 *   12  u32 header length L, in bytes
 *   16  UTF-8 JSON header (see CollectionFileHeader), zero-padded to 4 bytes
 *   ..  f32 vectors: chunkCount * dim values, in the header's chunk order
 *   end u32 CRC-32 (IEEE, as zlib.crc32) of every byte before it
 *
 * The expected length follows from L, chunkCount and dim, so truncation is
 * reported as such before the checksum is even looked at. Reading never
 * allocates more than the input's size and every loop is bounded by it, so
 * garbage input fails fast with a coded error.
 */
import { createError, type EngineError } from '../errors';
import type { ChunkRecord, DocumentRecord } from '../storage/records';

export const COLLECTION_MAGIC = 'SIFTCOL\0';
export const COLLECTION_FORMAT_VERSION = 1;
/** The suggested file extension, without the dot. */
export const COLLECTION_FILE_EXTENSION = 'siftcol';

const PREFIX_BYTES = 16;
const CHECKSUM_BYTES = 4;
const MAX_DIM = 65536;

/** A stored document as exported; `vectors: false` means its vectors must be recomputed on import. */
export interface ExportedDocument extends DocumentRecord {
  status: 'ready';
  vectors: boolean;
}

export type ExportedChunk = Omit<ChunkRecord, 'vector'>;

export interface CollectionFileHeader {
  /** ISO 8601 time of export. */
  exportedAt: string;
  app: 'sift';
  /** The vector space of every document with `vectors: true`; '' when there is none. */
  vectorSpace: string;
  /** Values per vector; 0 when no document carries vectors. */
  dim: number;
  documentCount: number;
  chunkCount: number;
  documents: ExportedDocument[];
  chunks: ExportedChunk[];
}

export interface CollectionFile {
  version: number;
  header: CollectionFileHeader;
  /** `chunkCount * dim` values, row i belonging to `header.chunks[i]`. */
  vectors: Float32Array;
}

export function writeCollectionFile(header: CollectionFileHeader, vectors: Float32Array): Uint8Array {
  if (vectors.length !== header.chunkCount * header.dim) {
    throw createError('INVALID_ARGUMENT', `Expected ${header.chunkCount * header.dim} vector values, got ${vectors.length}.`);
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const vectorStart = PREFIX_BYTES + pad4(json.byteLength);
  const total = vectorStart + vectors.byteLength + CHECKSUM_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < COLLECTION_MAGIC.length; i++) out[i] = COLLECTION_MAGIC.charCodeAt(i);
  view.setUint32(8, COLLECTION_FORMAT_VERSION, true);
  view.setUint32(12, json.byteLength, true);
  out.set(json, PREFIX_BYTES);
  // Typed arrays use the platform's byte order, which is little-endian on every engine Sift runs on.
  out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength), vectorStart);
  view.setUint32(total - CHECKSUM_BYTES, crc32(out, 0, total - CHECKSUM_BYTES), true);
  return out;
}

/**
 * Reads and fully validates a collection file. Throws INVALID_ARGUMENT when
 * the bytes are not a collection file or come from a newer Sift, and
 * CORRUPT_INDEX when the file is damaged; every message starts with the
 * file name.
 */
export function readCollectionFile(bytes: Uint8Array, fileName: string): CollectionFile {
  const damaged = (reason: string, details: Record<string, unknown> = {}): EngineError =>
    createError('CORRUPT_INDEX', `${fileName}: the collection file is damaged (${reason}).`, { file: fileName, ...details });
  const notOurs = (): EngineError =>
    createError('INVALID_ARGUMENT', `${fileName}: this is not a Sift collection file.`, { file: fileName });

  const magicBytes = Math.min(bytes.byteLength, COLLECTION_MAGIC.length);
  for (let i = 0; i < magicBytes; i++) if (bytes[i] !== COLLECTION_MAGIC.charCodeAt(i)) throw notOurs();
  if (bytes.byteLength < PREFIX_BYTES + CHECKSUM_BYTES) {
    if (magicBytes < COLLECTION_MAGIC.length) throw notOurs();
    throw damaged('it is cut short', { bytes: bytes.byteLength });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > COLLECTION_FORMAT_VERSION) {
    throw createError(
      'INVALID_ARGUMENT',
      `${fileName}: this file was exported by a newer version of Sift (format ${version}); this version reads format ${COLLECTION_FORMAT_VERSION}. Update Sift to import it.`,
      { file: fileName, version },
    );
  }
  if (version < 1) throw damaged(`unknown format version ${version}`, { version });

  const headerLength = view.getUint32(12, true);
  if (headerLength > bytes.byteLength - PREFIX_BYTES - CHECKSUM_BYTES) {
    throw damaged('it is cut short inside the header', { headerLength, bytes: bytes.byteLength });
  }
  let raw: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength));
    raw = JSON.parse(text);
  } catch {
    throw damaged('the header cannot be read');
  }
  if (!isObject(raw)) throw damaged('the header is not an object');
  const chunkCount = raw.chunkCount;
  const dim = raw.dim;
  if (!isCount(chunkCount)) throw damaged('bad chunk count');
  if (!isCount(dim) || dim > MAX_DIM) throw damaged('bad vector dimension');

  const vectorStart = PREFIX_BYTES + pad4(headerLength);
  const expected = vectorStart + chunkCount * dim * 4 + CHECKSUM_BYTES;
  if (bytes.byteLength < expected) {
    throw damaged(`it is cut short: ${bytes.byteLength} of ${expected} bytes`, { expected, actual: bytes.byteLength });
  }
  if (bytes.byteLength > expected) {
    throw damaged(`${bytes.byteLength - expected} unexpected bytes at the end`, { expected, actual: bytes.byteLength });
  }
  const end = expected - CHECKSUM_BYTES;
  if (crc32(bytes, 0, end) !== view.getUint32(end, true)) throw damaged('checksum mismatch');
  for (let i = PREFIX_BYTES + headerLength; i < vectorStart; i++) if (bytes[i] !== 0) throw damaged('bad padding');

  const header = checkHeader(raw, damaged);
  const from = bytes.byteOffset + vectorStart;
  // Copied out, so the vectors are aligned and independent of the input buffer.
  const vectors = new Float32Array(bytes.buffer.slice(from, from + chunkCount * dim * 4) as ArrayBuffer);
  checkVectors(header, vectors, damaged);
  return { version, header, vectors };
}

type Damaged = (reason: string, details?: Record<string, unknown>) => EngineError;

function checkHeader(raw: Record<string, unknown>, damaged: Damaged): CollectionFileHeader {
  if (raw.app !== 'sift') throw damaged('the header does not name Sift');
  if (typeof raw.exportedAt !== 'string') throw damaged("bad 'exportedAt'");
  if (typeof raw.vectorSpace !== 'string') throw damaged("bad 'vectorSpace'");
  if (!isCount(raw.documentCount)) throw damaged('bad document count');
  if (!Array.isArray(raw.documents) || raw.documents.length !== raw.documentCount) {
    throw damaged('the document list does not match the document count');
  }
  if (!Array.isArray(raw.chunks) || raw.chunks.length !== raw.chunkCount) {
    throw damaged('the chunk list does not match the chunk count');
  }
  const vectorSpace = raw.vectorSpace;
  const dim = raw.dim as number;

  const documents: ExportedDocument[] = [];
  const byId = new Map<number, { doc: ExportedDocument; indexes: Set<number> }>();
  const paths = new Set<string>();
  for (let i = 0; i < raw.documents.length; i++) {
    const doc = checkDocument(raw.documents[i], (field) => damaged(`document ${i + 1} has a bad '${field}'`));
    if (byId.has(doc.id)) throw damaged(`document id ${doc.id} appears twice`);
    if (paths.has(doc.path)) throw damaged(`the path "${doc.path}" appears twice`);
    if (doc.vectors && (dim === 0 || doc.vectorSpace !== vectorSpace)) {
      throw damaged(`document "${doc.path}" claims vectors from another vector space`);
    }
    byId.set(doc.id, { doc, indexes: new Set() });
    paths.add(doc.path);
    documents.push(doc);
  }

  const chunks: ExportedChunk[] = [];
  const chunkIds = new Set<number>();
  for (let i = 0; i < raw.chunks.length; i++) {
    const chunk = checkChunk(raw.chunks[i], (field) => damaged(`chunk ${i + 1} has a bad '${field}'`));
    const owner = byId.get(chunk.docId);
    if (!owner) throw damaged(`chunk ${i + 1} belongs to no exported document`);
    if (chunkIds.has(chunk.id)) throw damaged(`chunk id ${chunk.id} appears twice`);
    if (owner.indexes.has(chunk.index)) throw damaged(`document "${owner.doc.path}" has two chunks at position ${chunk.index}`);
    if (chunk.start > chunk.end || chunk.end > owner.doc.text.length) {
      throw damaged(`chunk ${i + 1} points outside its document's text`);
    }
    chunkIds.add(chunk.id);
    owner.indexes.add(chunk.index);
    chunks.push(chunk);
  }
  for (const { doc, indexes } of byId.values()) {
    if (indexes.size !== doc.chunkCount) throw damaged(`document "${doc.path}" does not have its ${doc.chunkCount} chunks`);
  }
  return {
    exportedAt: raw.exportedAt,
    app: 'sift',
    vectorSpace,
    dim,
    documentCount: documents.length,
    chunkCount: chunks.length,
    documents,
    chunks,
  };
}

function checkDocument(value: unknown, bad: (field: string) => EngineError): ExportedDocument {
  if (!isObject(value)) throw bad('record');
  const v = value;
  const str = (key: string): string => {
    if (typeof v[key] !== 'string') throw bad(key);
    return v[key] as string;
  };
  const doc: ExportedDocument = {
    id: isCount(v.id) ? v.id : fail(bad('id')),
    name: str('name'),
    path: str('path'),
    type: str('type'),
    size: isCount(v.size) ? v.size : fail(bad('size')),
    hash: str('hash'),
    lastModified: isFiniteNumber(v.lastModified) ? v.lastModified : fail(bad('lastModified')),
    addedAt: isFiniteNumber(v.addedAt) ? v.addedAt : fail(bad('addedAt')),
    status: v.status === 'ready' ? 'ready' : fail(bad('status')),
    chunkCount: isCount(v.chunkCount) ? v.chunkCount : fail(bad('chunkCount')),
    text: str('text'),
    vectorSpace: str('vectorSpace'),
    vectors: typeof v.vectors === 'boolean' ? v.vectors : fail(bad('vectors')),
  };
  if (doc.name === '') throw bad('name');
  if (doc.path === '') throw bad('path');
  if (v.pages !== undefined) doc.pages = isCount(v.pages) ? v.pages : fail(bad('pages'));
  if (v.warnings !== undefined) doc.warnings = isStringArray(v.warnings) ? [...v.warnings] : fail(bad('warnings'));
  return doc;
}

function checkChunk(value: unknown, bad: (field: string) => EngineError): ExportedChunk {
  if (!isObject(value)) throw bad('record');
  const v = value;
  const chunk: ExportedChunk = {
    id: isCount(v.id) ? v.id : fail(bad('id')),
    docId: isCount(v.docId) ? v.docId : fail(bad('docId')),
    index: isCount(v.index) ? v.index : fail(bad('index')),
    text: typeof v.text === 'string' ? v.text : fail(bad('text')),
    start: isCount(v.start) ? v.start : fail(bad('start')),
    end: isCount(v.end) ? v.end : fail(bad('end')),
    headingPath: isStringArray(v.headingPath) ? [...v.headingPath] : fail(bad('headingPath')),
  };
  if (v.page !== undefined) chunk.page = isCount(v.page) ? v.page : fail(bad('page'));
  return chunk;
}

function checkVectors(header: CollectionFileHeader, vectors: Float32Array, damaged: Damaged): void {
  const { dim } = header;
  const withVectors = new Set(header.documents.filter((d) => d.vectors).map((d) => d.id));
  header.chunks.forEach((chunk, row) => {
    if (!withVectors.has(chunk.docId)) return;
    for (let j = row * dim; j < (row + 1) * dim; j++) {
      if (!Number.isFinite(vectors[j])) throw damaged(`chunk ${row + 1} has a vector value that is not a number`);
    }
  });
}

// CRC-32 (IEEE 802.3, reflected), the checksum of zip and zlib, so other tools can verify a file.
let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array, start = 0, end = bytes.byteLength): number {
  const table = (crcTable ??= makeCrcTable());
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function pad4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

function fail(error: EngineError): never {
  throw error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
