/**
 * The versioned binary container every index serializes into.
 *
 * Layout (little-endian):
 *   0  'SIFX' magic
 *   4  u16 format version       6  u16 kind code
 *   8  u32 dim                 12  u32 metric code
 *  16  u32 total byte length   20  u32 reserved (0)
 *  24  sections: u32 element type, u32 element count, data padded to 4 bytes
 *  end u32 checksum of every byte before it
 *
 * The total length catches truncation cheaply and the checksum catches bit
 * rot, so a damaged IndexedDB blob fails loudly with CORRUPT_INDEX instead
 * of answering queries with garbage. Sections are copied out on read, so the
 * input may sit at any byte offset (e.g. a view into a joined chunk buffer)
 * and an index never pins the whole file. The `*View` reads skip that copy
 * for data the caller copies straight on (vectors into WASM memory): a view
 * when the section is aligned, a copy only when it is not.
 */
import { createError } from '../errors';
import type { IndexKind, Metric } from './vector-index';

export const FORMAT_MAGIC = 'SIFX';
export const FORMAT_VERSION = 1;
const HEADER_BYTES = 24;

export const KIND_CODES: Readonly<Record<IndexKind, number>> = {
  flat: 1,
  'ivf-flat': 2,
  hnsw: 3,
  pq: 4,
  'ivf-pq': 5,
  sq8: 6,
  'hnsw-sq8': 7,
};
const METRIC_CODES: Readonly<Record<Metric, number>> = { l2: 1, dot: 2, cosine: 3 };

const TYPE_F32 = 1;
const TYPE_U32 = 2;
const TYPE_U8 = 3;
const TYPE_F64 = 4;
const TYPE_I32 = 5;

type Section = { type: number; data: Uint8Array };

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function corrupt(message: string, details: Record<string, unknown> = {}): Error {
  return createError('CORRUPT_INDEX', `Saved index is damaged: ${message}`, details);
}

function checksum(bytes: Uint8Array, length: number): number {
  // FNV-1a over 32-bit words: each step is a bijection of the state, so any
  // single changed word changes the result.
  const words =
    bytes.byteOffset % 4 === 0
      ? new Uint32Array(bytes.buffer, bytes.byteOffset, length >>> 2)
      : new Uint32Array(bytes.slice(0, length).buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619);
  return h >>> 0;
}

export class SectionWriter {
  private readonly sections: Section[] = [];

  constructor(
    private readonly kind: IndexKind,
    private readonly dim: number,
    private readonly metric: Metric,
  ) {}

  f32(a: Float32Array): this {
    return this.push(TYPE_F32, a);
  }
  u32(a: Uint32Array): this {
    return this.push(TYPE_U32, a);
  }
  i32(a: Int32Array): this {
    return this.push(TYPE_I32, a);
  }
  u8(a: Uint8Array): this {
    return this.push(TYPE_U8, a);
  }
  f64(values: ArrayLike<number>): this {
    return this.push(TYPE_F64, Float64Array.from(values));
  }

  finish(): Uint8Array {
    let total = HEADER_BYTES;
    for (const s of this.sections) total += 8 + ((s.data.byteLength + 3) & ~3);
    total += 4;
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) out[i] = FORMAT_MAGIC.charCodeAt(i);
    view.setUint16(4, FORMAT_VERSION, true);
    view.setUint16(6, KIND_CODES[this.kind], true);
    view.setUint32(8, this.dim, true);
    view.setUint32(12, METRIC_CODES[this.metric], true);
    view.setUint32(16, total, true);
    let pos = HEADER_BYTES;
    for (const s of this.sections) {
      const elemSize = elementSize(s.type);
      view.setUint32(pos, s.type, true);
      view.setUint32(pos + 4, s.data.byteLength / elemSize, true);
      out.set(s.data, pos + 8);
      pos += 8 + ((s.data.byteLength + 3) & ~3);
    }
    view.setUint32(pos, checksum(out, pos), true);
    return out;
  }

  private push(type: number, a: ArrayBufferView): this {
    this.sections.push({ type, data: bytesOf(a) });
    return this;
  }
}

function elementSize(type: number): number {
  switch (type) {
    case TYPE_U8:
      return 1;
    case TYPE_F64:
      return 8;
    case TYPE_F32:
    case TYPE_U32:
    case TYPE_I32:
      return 4;
    default:
      throw corrupt(`unknown section type ${type}`);
  }
}

export interface FormatHeader {
  version: number;
  kind: IndexKind;
  dim: number;
  metric: Metric;
}

export class SectionReader {
  readonly header: FormatHeader;
  private pos = HEADER_BYTES;
  private readonly end: number;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.byteLength < HEADER_BYTES + 4) throw corrupt('too short', { bytes: bytes.byteLength });
    for (let i = 0; i < 4; i++) {
      if (bytes[i] !== FORMAT_MAGIC.charCodeAt(i)) throw corrupt('bad magic number');
    }
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = this.view.getUint16(4, true);
    if (version < 1 || version > FORMAT_VERSION) throw corrupt(`unsupported format version ${version}`, { version });
    const total = this.view.getUint32(16, true);
    if (total !== bytes.byteLength) {
      throw corrupt('length does not match header (truncated?)', { expected: total, actual: bytes.byteLength });
    }
    if (total % 4 !== 0) throw corrupt('length not a multiple of 4');
    this.end = total - 4;
    if (checksum(bytes, this.end) !== this.view.getUint32(this.end, true)) throw corrupt('checksum mismatch');
    const kindCode = this.view.getUint16(6, true);
    const kind = (Object.keys(KIND_CODES) as IndexKind[]).find((k) => KIND_CODES[k] === kindCode);
    if (!kind) throw corrupt(`unknown index kind ${kindCode}`);
    const metricCode = this.view.getUint32(12, true);
    const metric = (Object.keys(METRIC_CODES) as Metric[]).find((m) => METRIC_CODES[m] === metricCode);
    if (!metric) throw corrupt(`unknown metric ${metricCode}`);
    const dim = this.view.getUint32(8, true);
    if (dim === 0) throw corrupt('zero dimension');
    this.header = { version, kind, dim, metric };
  }

  f32(count?: number): Float32Array<ArrayBuffer> {
    return new Float32Array(this.take(TYPE_F32, count));
  }
  u32(count?: number): Uint32Array<ArrayBuffer> {
    return new Uint32Array(this.take(TYPE_U32, count));
  }
  i32(count?: number): Int32Array<ArrayBuffer> {
    return new Int32Array(this.take(TYPE_I32, count));
  }
  u8(count?: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.take(TYPE_U8, count));
  }
  f64(count?: number): Float64Array<ArrayBuffer> {
    return new Float64Array(this.take(TYPE_F64, count));
  }

  /** Like `f32`, but may alias the input bytes: copy it before they are released or changed. */
  f32View(count?: number): Float32Array {
    const start = this.locate(TYPE_F32, count);
    const length = this.view.getUint32(start - 4, true);
    const from = this.bytes.byteOffset + start;
    if (from % 4 === 0) return new Float32Array(this.bytes.buffer, from, length);
    return new Float32Array(this.bytes.buffer.slice(from, from + length * 4));
  }

  /** Like `u8`, but aliases the input bytes: copy it before they are released or changed. */
  u8View(count?: number): Uint8Array {
    const start = this.locate(TYPE_U8, count);
    return this.bytes.subarray(start, start + this.view.getUint32(start - 4, true));
  }

  /** Throws unless every section has been read. */
  done(): void {
    if (this.pos !== this.end) throw corrupt('unexpected trailing data');
  }

  private take(type: number, expectedCount: number | undefined): ArrayBuffer {
    const start = this.locate(type, expectedCount);
    const byteLength = this.view.getUint32(start - 4, true) * elementSize(type);
    const from = this.bytes.byteOffset + start;
    return this.bytes.buffer.slice(from, from + byteLength) as ArrayBuffer;
  }

  /** Checks the next section's header and bounds, moves past it, and returns where its data starts. */
  private locate(type: number, expectedCount: number | undefined): number {
    if (this.pos + 8 > this.end) throw corrupt('missing section');
    const actualType = this.view.getUint32(this.pos, true);
    const count = this.view.getUint32(this.pos + 4, true);
    if (actualType !== type) throw corrupt(`section type ${actualType}, expected ${type}`);
    if (expectedCount !== undefined && count !== expectedCount) {
      throw corrupt('section length mismatch', { expected: expectedCount, actual: count });
    }
    const byteLength = count * elementSize(type);
    const start = this.pos + 8;
    if (start + byteLength > this.end) throw corrupt('section overruns the data');
    this.pos = start + ((byteLength + 3) & ~3);
    return start;
  }
}

/** Validates that a deserialized scalar is a non-negative integer within bounds. */
export function checkInt(value: number, name: string, min = 0, max = 2 ** 32 - 1): number {
  if (!Number.isInteger(value) || value < min || value > max) throw corrupt(`bad ${name}`, { [name]: value });
  return value;
}
