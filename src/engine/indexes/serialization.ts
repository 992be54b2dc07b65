/**
 * Loading any saved index, and splitting saved bytes into pieces small enough
 * for IndexedDB (Chrome rejects single values over ~255 MB; 4-16 MB pieces
 * write fastest).
 */
import { createError } from '../errors';
import { SectionReader, corrupt } from './binary-format';
import { FlatIndex } from './flat-index';
import { HnswIndex } from './hnsw-index';
import { IvfIndex } from './ivf-index';
import { IvfPqIndex } from './ivf-pq-index';
import { PqIndex } from './pq-index';
import { Sq8Index } from './sq8-index';
import type { VectorIndex } from './vector-index';

export { FORMAT_MAGIC, FORMAT_VERSION, KIND_CODES } from './binary-format';
export type { FormatHeader } from './binary-format';

function readBody(reader: SectionReader): VectorIndex {
  switch (reader.header.kind) {
    case 'flat':
      return FlatIndex.read(reader);
    case 'hnsw':
    case 'hnsw-sq8':
      return HnswIndex.read(reader);
    case 'ivf-flat':
      return IvfIndex.read(reader);
    case 'ivf-pq':
      return IvfPqIndex.read(reader);
    case 'pq':
      return PqIndex.read(reader);
    case 'sq8':
      return Sq8Index.read(reader);
  }
}

/** Restores any index written by `serialize()`; throws CORRUPT_INDEX on damaged input. */
export function deserializeIndex(bytes: Uint8Array): VectorIndex {
  const reader = new SectionReader(bytes);
  let index: VectorIndex;
  try {
    index = readBody(reader);
  } catch (error) {
    // Typed-array constructors throw RangeError on absurd sizes: report those as corruption too.
    if (error instanceof RangeError) throw corrupt(error.message);
    throw error;
  }
  reader.done();
  return index;
}

export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

/** Splits into views of at most `chunkBytes` (no copy); the last piece may be shorter. */
export function splitIntoChunks(bytes: Uint8Array, chunkBytes = DEFAULT_CHUNK_BYTES): Uint8Array[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) {
    throw createError('INVALID_ARGUMENT', `Bad chunk size ${chunkBytes}.`, { chunkBytes });
  }
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.byteLength; start += chunkBytes) {
    chunks.push(bytes.subarray(start, Math.min(start + chunkBytes, bytes.byteLength)));
  }
  return chunks;
}

export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}
