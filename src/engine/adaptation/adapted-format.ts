/**
 * Binary form of adapted vectors, stored with the collection.
 *
 * Layout (little-endian):
 *   0  'SADP'            magic
 *   4  u32 version       2 (1 is still read: it has no counts)
 *   8  u32 dim
 *  12  u32 count         words
 *  16  f64 tokens
 *  24  u32 wordBytes     length of the UTF-8 word list
 *  28  u32 checksum      FNV-1a over everything from byte 32 on
 *  32  words             UTF-8, '\n'-separated, padded with zeros to 4 bytes
 *   …  f32 vectors       count · dim
 *   …  f32 counts        count (version 2 only): corpus frequency of each word
 * The file length must match exactly; any mismatch is CORRUPT_INDEX.
 */
import { createError } from '../errors';
import type { AdaptedVectors } from './corpus-trainer';

const MAGIC = 0x50444153; // 'SADP' read as a little-endian u32
const VERSION = 2;
/** Version 1 (before word counts were stored) still loads, pooled without SIF weights. */
const OLDEST_VERSION = 1;
const HEADER = 32;

function fnv1a(bytes: Uint8Array, start: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function serializeAdapted(adapted: AdaptedVectors): Uint8Array {
  const { words, dim, vectors } = adapted;
  const counts = adapted.counts ?? new Float32Array(words.length).fill(1);
  if (counts.length !== words.length) {
    throw createError('INVALID_ARGUMENT', 'Adapted counts do not match their word list.', {
      words: words.length,
      counts: counts.length,
    });
  }
  if (vectors.length !== words.length * dim) {
    throw createError('INVALID_ARGUMENT', 'Adapted vectors do not match their word list.', {
      words: words.length,
      dim,
      values: vectors.length,
    });
  }
  if (words.some((w) => w.length === 0 || w.includes('\n'))) {
    throw createError('INVALID_ARGUMENT', 'Adapted words must be non-empty and contain no newline.', {});
  }
  const wordBytes = new TextEncoder().encode(words.join('\n'));
  const padded = Math.ceil(wordBytes.length / 4) * 4;
  const out = new Uint8Array(HEADER + padded + vectors.length * 4 + counts.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, dim, true);
  view.setUint32(12, words.length, true);
  view.setFloat64(16, adapted.tokens, true);
  view.setUint32(24, wordBytes.length, true);
  out.set(wordBytes, HEADER);
  const vectorStart = HEADER + padded;
  for (let i = 0; i < vectors.length; i++) view.setFloat32(vectorStart + i * 4, vectors[i], true);
  const countStart = vectorStart + vectors.length * 4;
  for (let i = 0; i < counts.length; i++) view.setFloat32(countStart + i * 4, counts[i], true);
  view.setUint32(28, fnv1a(out, HEADER), true);
  return out;
}

export function deserializeAdapted(bytes: Uint8Array): AdaptedVectors {
  const corrupt = (why: string): never => {
    throw createError('CORRUPT_INDEX', `Adapted vectors are corrupt: ${why}.`, { bytes: bytes.length });
  };
  if (bytes.length < HEADER) corrupt('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) corrupt('bad magic');
  const version = view.getUint32(4, true);
  if (version < OLDEST_VERSION || version > VERSION) corrupt(`unknown version ${version}`);
  const dim = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const tokens = view.getFloat64(16, true);
  const wordLength = view.getUint32(24, true);
  if (dim === 0 || !Number.isFinite(tokens) || tokens < 0) corrupt('bad header');
  const padded = Math.ceil(wordLength / 4) * 4;
  const countBytes = version >= 2 ? count * 4 : 0;
  const expected = HEADER + padded + count * dim * 4 + countBytes;
  if (bytes.length !== expected) corrupt(`length ${bytes.length}, expected ${expected}`);
  if (fnv1a(bytes, HEADER) !== view.getUint32(28, true)) corrupt('checksum mismatch');

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + wordLength));
  } catch {
    return corrupt('word list is not UTF-8');
  }
  const words = count === 0 ? [] : text.split('\n');
  if (words.length !== count || words.some((w) => w.length === 0)) corrupt('word count mismatch');
  const vectors = new Float32Array(count * dim);
  const vectorStart = HEADER + padded;
  for (let i = 0; i < vectors.length; i++) vectors[i] = view.getFloat32(vectorStart + i * 4, true);
  if (version < 2) return { words, dim, vectors, tokens };
  const counts = new Float32Array(count);
  const countStart = vectorStart + vectors.length * 4;
  for (let i = 0; i < count; i++) counts[i] = view.getFloat32(countStart + i * 4, true);
  if (counts.some((c) => !(c >= 0) || !Number.isFinite(c))) corrupt('bad word counts');
  return { words, dim, vectors, tokens, counts };
}
