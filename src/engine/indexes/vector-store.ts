/**
 * Where a graph index keeps its vectors. The HNSW code only asks for
 * distances, so the same graph runs over float vectors ("HNSW32") or SQ8
 * codes ("HNSW32,SQ8") without knowing which.
 */
import { createVectorBuffer, type VectorBuffer } from '../vectors/kernels';
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

  write(writer: SectionWriter, count: number): void {
    writer.f32(this.buf.rows.subarray(0, count * this.dim));
  }

  read(reader: SectionReader, count: number): void {
    const data = reader.f32(count * this.dim);
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

  write(writer: SectionWriter, count: number): void {
    writer.f32(this.quantizer.vmin).f32(this.quantizer.step).u8(this.buf.codes.subarray(0, count * this.dim));
  }

  read(reader: SectionReader, count: number): void {
    this.quantizer.vmin.set(reader.f32(this.dim));
    this.quantizer.step.set(reader.f32(this.dim));
    const codes = reader.u8(count * this.dim);
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
