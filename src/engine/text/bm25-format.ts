/**
 * The saved form of a Bm25Index.
 *
 * Layout (little-endian, every section 4-byte aligned):
 *   0  'SB25' magic            4  u16 format version   6  u16 reserved (0)
 *   8  u32 total byte length  12  u32 document count  16  u32 term count
 *  20  u32 UTF-8 bytes of all terms                   24  f64 k1   32  f64 b
 *  40  u32[docs] document ids, u32[docs] document lengths,
 *      u32[terms] UTF-8 byte length of each term, u32[terms] postings per term,
 *      u32[2·postings] (slot, tf) pairs, term bytes (padded to 4)
 *  end u32 FNV-1a checksum of every byte before it
 *
 * Only live documents are written (the index compacts first), so slots are
 * 0..docs-1. Every length is checked on read; any mismatch throws
 * CORRUPT_INDEX rather than loading an index that answers wrongly.
 */
import { createError } from '../errors';

export const BM25_MAGIC = 'SB25';
export const BM25_FORMAT_VERSION = 1;
const HEADER_BYTES = 40;

export interface Bm25Snapshot {
  k1: number;
  b: number;
  terms: string[];
  docIds: Uint32Array;
  docLengths: Uint32Array;
  /** Per term, interleaved (slot, tf) pairs. */
  postings: Uint32Array[];
}

function corrupt(message: string): Error {
  return createError('CORRUPT_INDEX', `Saved BM25 index is damaged: ${message}`);
}

function checksum(words: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619);
  return h >>> 0;
}

export function writeBm25(s: Bm25Snapshot): Uint8Array {
  const encoder = new TextEncoder();
  const termBytes = s.terms.map((t) => encoder.encode(t));
  const termByteTotal = termBytes.reduce((sum, t) => sum + t.length, 0);
  const docs = s.docIds.length;
  const termCount = s.terms.length;
  let postingWords = 0;
  for (const list of s.postings) postingWords += list.length;
  const words = 2 * docs + 2 * termCount + postingWords;
  const total = HEADER_BYTES + words * 4 + ((termByteTotal + 3) & ~3) + 4;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = BM25_MAGIC.charCodeAt(i);
  view.setUint16(4, BM25_FORMAT_VERSION, true);
  view.setUint32(8, total, true);
  view.setUint32(12, docs, true);
  view.setUint32(16, termCount, true);
  view.setUint32(20, termByteTotal, true);
  view.setFloat64(24, s.k1, true);
  view.setFloat64(32, s.b, true);

  const body = new Uint32Array(out.buffer, HEADER_BYTES, words);
  let w = 0;
  body.set(s.docIds, w);
  w += docs;
  body.set(s.docLengths, w);
  w += docs;
  for (const t of termBytes) body[w++] = t.length;
  for (const list of s.postings) body[w++] = list.length / 2;
  for (const list of s.postings) {
    body.set(list, w);
    w += list.length;
  }
  let pos = HEADER_BYTES + words * 4;
  for (const t of termBytes) {
    out.set(t, pos);
    pos += t.length;
  }
  const end = total - 4;
  view.setUint32(end, checksum(new Uint32Array(out.buffer, 0, end / 4)), true);
  return out;
}

export function readBm25(input: Uint8Array): Bm25Snapshot {
  if (!(input instanceof Uint8Array)) throw corrupt('not a byte array');
  if (input.byteLength < HEADER_BYTES + 4) throw corrupt(`too short (${input.byteLength} bytes)`);
  // Copy so the words are aligned whatever offset the input view starts at.
  const bytes = input.slice();
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== BM25_MAGIC.charCodeAt(i)) throw corrupt('bad magic number');
  }
  const version = view.getUint16(4, true);
  if (version !== BM25_FORMAT_VERSION) {
    throw corrupt(`unsupported format version ${version} (this build reads ${BM25_FORMAT_VERSION})`);
  }
  const total = view.getUint32(8, true);
  if (total !== bytes.byteLength || total % 4 !== 0) throw corrupt(`length ${bytes.byteLength} does not match header ${total}`);
  const end = total - 4;
  if (checksum(new Uint32Array(bytes.buffer, 0, end / 4)) !== view.getUint32(end, true)) throw corrupt('checksum mismatch');

  const docs = view.getUint32(12, true);
  const termCount = view.getUint32(16, true);
  const termByteTotal = view.getUint32(20, true);
  const k1 = view.getFloat64(24, true);
  const b = view.getFloat64(32, true);
  if (!(k1 >= 0 && Number.isFinite(k1)) || !(b >= 0 && b <= 1)) throw corrupt('bad BM25 parameters');

  const available = (end - HEADER_BYTES) / 4;
  const fixedWords = 2 * docs + 2 * termCount;
  if (fixedWords > available) throw corrupt('counts exceed the data');
  const body = new Uint32Array(bytes.buffer, HEADER_BYTES, available);
  const docIds = body.slice(0, docs);
  const docLengths = body.slice(docs, 2 * docs);
  const termLengths = body.subarray(2 * docs, 2 * docs + termCount);
  const postingCounts = body.subarray(2 * docs + termCount, fixedWords);
  let postingWords = 0;
  let termBytesSeen = 0;
  for (let t = 0; t < termCount; t++) {
    postingWords += postingCounts[t] * 2;
    termBytesSeen += termLengths[t];
  }
  if (termBytesSeen !== termByteTotal) throw corrupt('term lengths do not add up');
  const words = fixedWords + postingWords;
  if (HEADER_BYTES + words * 4 + ((termByteTotal + 3) & ~3) + 4 !== total) throw corrupt('section sizes do not add up');

  const postings: Uint32Array[] = new Array(termCount);
  let w = fixedWords;
  for (let t = 0; t < termCount; t++) {
    const n = postingCounts[t] * 2;
    postings[t] = body.slice(w, w + n);
    w += n;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const terms: string[] = new Array(termCount);
  let pos = HEADER_BYTES + words * 4;
  try {
    for (let t = 0; t < termCount; t++) {
      terms[t] = decoder.decode(bytes.subarray(pos, pos + termLengths[t]));
      pos += termLengths[t];
    }
  } catch {
    throw corrupt('a term is not valid UTF-8');
  }
  return { k1, b, terms, docIds, docLengths, postings };
}
