/**
 * Where a graph index keeps its vectors. The HNSW code only asks for
 * distances, so the same graph runs over float vectors ("HNSW32") or SQ8
 * codes ("HNSW32,SQ8") without knowing which.
 */
import { GATHER_MAX, createVectorBuffer, type VectorBuffer } from '../vectors/kernels';
import { ScalarQuantizer } from '../vectors/scalar-quantizer';
import { createSq8Buffer, type Sq8Buffer } from '../vectors/sq8-buffer';
import type { SectionReader, SectionWriter } from './binary-format';
import type { Metric } from './vector-index';

export interface VectorStore {
  readonly dim: number;
  readonly bytesPerVector: number;
  readonly isTrained: boolean;
  train(prepared: Float32Array): void;
  reserve(capacity: number): void;
  /** Stores row `row` of the prepared batch `vectors` at `slot`. */
  set(slot: number, vectors: Float32Array, row: number): void;
  setQuery(prepared: Float32Array, off?: number): void;
  distanceToQuery(slot: number): number;
  distanceBetween(a: number, b: number): number;
  /** Slots for `gatherToQuery` (GATHER_MAX entries); re-read after `reserve`. */
  readonly gatherIds: Uint32Array;
  /**
   * Distances from the query to slots gatherIds[0..count), in order, each equal
   * to `distanceToQuery` of that slot; the next call overwrites the array.
   */
  gatherToQuery(count: number): Float64Array;
  write(writer: SectionWriter, count: number): void;
  read(reader: SectionReader, count: number): void;
  dispose(): void;
}

export class FloatVectorStore implements VectorStore {
  readonly isTrained = true;
  readonly bytesPerVector: number;
  private buf: VectorBuffer;
  private readonly l2: boolean;
  private readonly bias: number;
  private readonly gathered = new Float64Array(GATHER_MAX);

  constructor(
    readonly dim: number,
    metric: Metric,
  ) {
    this.bytesPerVector = dim * 4;
    this.l2 = metric === 'l2';
    this.bias = metric === 'cosine' ? 1 : 0;
    this.buf = createVectorBuffer(dim);
  }

  train(): void {}

  reserve(capacity: number): void {
    this.buf.reserve(capacity);
  }

  set(slot: number, vectors: Float32Array, row: number): void {
    this.buf.rows.set(vectors.subarray(row * this.dim, (row + 1) * this.dim), slot * this.dim);
  }

  setQuery(prepared: Float32Array, off = 0): void {
    this.buf.setQuery(prepared, off);
  }

  distanceToQuery(slot: number): number {
    return this.l2 ? this.buf.l2Query(slot) : this.bias - this.buf.dotQuery(slot);
  }

  distanceBetween(a: number, b: number): number {
    return this.l2 ? this.buf.l2Rows(a, b) : this.bias - this.buf.dotRows(a, b);
  }

  get gatherIds(): Uint32Array {
    return this.buf.idScratch;
  }

  gatherToQuery(count: number): Float64Array {
    const out = this.gathered;
    if (this.l2) {
      const raw = this.buf.gatherL2(count);
      for (let i = 0; i < count; i++) out[i] = raw[i];
    } else {
      // Same double arithmetic as distanceToQuery, so both give identical values.
      const raw = this.buf.gatherDot(count);
      const bias = this.bias;
      for (let i = 0; i < count; i++) out[i] = bias - raw[i];
    }
    return out;
  }

  write(writer: SectionWriter, count: number): void {
    writer.f32(this.buf.rows.subarray(0, count * this.dim));
  }

  read(reader: SectionReader, count: number): void {
    // One copy, from the file straight into the kernel buffer.
    const data = reader.f32View(count * this.dim);
    this.buf.reserve(count);
    this.buf.rows.set(data);
  }

  dispose(): void {
    this.buf.dispose();
    this.buf = createVectorBuffer(this.dim);
  }
}

export class Sq8VectorStore implements VectorStore {
  readonly bytesPerVector: number;
  readonly quantizer: ScalarQuantizer;
  private buf: Sq8Buffer;
  private readonly l2: boolean;
  private trained = false;
  readonly gatherIds = new Uint32Array(GATHER_MAX);
  private readonly gathered = new Float64Array(GATHER_MAX);

  constructor(
    readonly dim: number,
    metric: Metric,
  ) {
    this.bytesPerVector = dim;
    this.quantizer = new ScalarQuantizer(dim, metric);
    this.buf = createSq8Buffer(dim);
    this.l2 = metric === 'l2';
  }

  get isTrained(): boolean {
    return this.trained;
  }

  train(prepared: Float32Array): void {
    this.quantizer.train(prepared);
    this.quantizer.loadPairs(this.buf);
    this.trained = true;
  }

  reserve(capacity: number): void {
    this.buf.reserve(capacity);
  }

  set(slot: number, vectors: Float32Array, row: number): void {
    this.quantizer.encode(vectors, row * this.dim, this.buf.codes, slot * this.dim);
  }

  setQuery(prepared: Float32Array, off = 0): void {
    this.quantizer.loadQuery(prepared, off, this.buf);
  }

  distanceToQuery(slot: number): number {
    return this.quantizer.queryDistance(this.l2 ? this.buf.l2Query(slot) : this.buf.dotQuery(slot));
  }

  distanceBetween(a: number, b: number): number {
    return this.quantizer.pairDistance(this.l2 ? this.buf.l2Rows(a, b) : this.buf.dotRows(a, b));
  }

  gatherToQuery(count: number): Float64Array {
    const { gatherIds, gathered } = this;
    for (let i = 0; i < count; i++) gathered[i] = this.distanceToQuery(gatherIds[i]);
    return gathered;
  }

  write(writer: SectionWriter, count: number): void {
    writer.f32(this.quantizer.vmin).f32(this.quantizer.step).u8(this.buf.codes.subarray(0, count * this.dim));
  }

  read(reader: SectionReader, count: number): void {
    this.quantizer.vmin.set(reader.f32(this.dim));
    this.quantizer.step.set(reader.f32(this.dim));
    const codes = reader.u8View(count * this.dim);
    this.buf.reserve(count);
    this.buf.codes.set(codes);
    this.quantizer.loadPairs(this.buf);
    this.trained = true;
  }

  dispose(): void {
    this.buf = createSq8Buffer(this.dim);
    if (this.trained) this.quantizer.loadPairs(this.buf);
  }
}
