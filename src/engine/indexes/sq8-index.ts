/**
 * Exhaustive search over 8-bit scalar-quantized vectors (faiss
 * IndexScalarQuantizer QT_8bit): a quarter of the memory of Flat, with
 * asymmetric distances (float query against codes, scanned a block at a time
 * by the SIMD kernels) that keep ranking close to exact.
 */
import { prepareVectors } from '../vectors/distances';
import { SCAN_BLOCK } from '../vectors/kernels';
import { ScalarQuantizer } from '../vectors/scalar-quantizer';
import { createSq8Buffer, type Sq8Buffer } from '../vectors/sq8-buffer';
import { MaxHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt, corrupt } from './binary-format';
import { checkBatch, checkDim, checkQuery, checkVectors, notTrained } from './checks';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export class Sq8Index implements VectorIndex {
  readonly kind = 'sq8' as const;
  readonly sq: ScalarQuantizer;
  private buf: Sq8Buffer;
  private labels = new Uint32Array(16);
  private count = 0;
  private readonly slotOf = new Map<number, number>();
  private trained = false;
  private readonly heap = new MaxHeap(16);

  constructor(
    readonly dim: number,
    readonly metric: Metric,
  ) {
    checkDim(dim);
    this.sq = new ScalarQuantizer(dim, metric);
    this.buf = createSq8Buffer(dim);
  }

  get size(): number {
    return this.count;
  }

  get isTrained(): boolean {
    return this.trained;
  }

  get bytesPerVector(): number {
    return this.dim + 4;
  }

  train(vectors: Float32Array): void {
    checkVectors(vectors, this.dim);
    this.sq.train(prepareVectors(this.metric, vectors, this.dim));
    this.count = 0;
    this.slotOf.clear();
    this.trained = true;
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    if (!this.trained) throw notTrained(this.kind);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    this.reserve(this.count + ids.length);
    for (let i = 0; i < ids.length; i++) {
      let slot = this.slotOf.get(ids[i]);
      if (slot === undefined) {
        slot = this.count++;
        this.slotOf.set(ids[i], slot);
        this.labels[slot] = ids[i];
      }
      this.sq.encode(prepared, i * this.dim, this.buf.codes, slot * this.dim);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const heap = this.heap;
    heap.clear();
    if (k === 0 || !this.trained) return heap.toSortedResult();
    const { buf, sq, labels, count } = this;
    sq.loadQuery(prepareVectors(this.metric, query, this.dim), 0, buf);
    const filter = params.filter;
    const l2 = this.metric === 'l2';
    for (let start = 0; start < count; start += SCAN_BLOCK) {
      const n = Math.min(SCAN_BLOCK, count - start);
      const raw = l2 ? buf.scanL2(start, n) : buf.scanDot(start, n);
      for (let i = 0; i < n; i++) {
        const id = labels[start + i];
        if (filter !== undefined && !filter(id)) continue;
        heap.pushBounded(sq.queryDistance(raw[i]), id, k);
      }
    }
    return heap.toSortedResult();
  }

  remove(ids: Uint32Array): number {
    let removed = 0;
    const dim = this.dim;
    for (let i = 0; i < ids.length; i++) {
      const slot = this.slotOf.get(ids[i]);
      if (slot === undefined) continue;
      this.slotOf.delete(ids[i]);
      const last = --this.count;
      if (slot !== last) {
        this.labels[slot] = this.labels[last];
        this.buf.codes.copyWithin(slot * dim, last * dim, (last + 1) * dim);
        this.slotOf.set(this.labels[slot], slot);
      }
      removed++;
    }
    return removed;
  }

  serialize(): Uint8Array {
    // Same layout as a one-list InvertedLists, which format version 1 used.
    return new SectionWriter(this.kind, this.dim, this.metric)
      .f64([this.trained ? 1 : 0])
      .f32(this.sq.vmin)
      .f32(this.sq.step)
      .u32(Uint32Array.of(this.count))
      .u32(this.labels.subarray(0, this.count))
      .u8(this.buf.codes.subarray(0, this.count * this.dim))
      .finish();
  }

  static read(reader: SectionReader): Sq8Index {
    const { dim, metric } = reader.header;
    const index = new Sq8Index(dim, metric);
    index.trained = checkInt(reader.f64(1)[0], 'trained', 0, 1) === 1;
    index.sq.vmin.set(reader.f32(dim));
    index.sq.step.set(reader.f32(dim));
    const count = checkInt(reader.u32(1)[0], 'count');
    const labels = reader.u32(count);
    const codes = reader.u8(count * dim);
    index.reserve(count);
    index.labels.set(labels);
    index.buf.codes.set(codes);
    index.count = count;
    for (let i = 0; i < count; i++) {
      if (index.slotOf.has(labels[i])) throw corrupt('duplicate id', { id: labels[i] });
      index.slotOf.set(labels[i], i);
    }
    return index;
  }

  dispose(): void {
    this.buf = createSq8Buffer(this.dim);
    this.labels = new Uint32Array(16);
    this.count = 0;
    this.slotOf.clear();
    this.trained = false;
  }

  private reserve(needed: number): void {
    this.buf.reserve(needed);
    if (needed <= this.labels.length) return;
    let cap = this.labels.length;
    while (cap < needed) cap *= 2;
    const labels = new Uint32Array(cap);
    labels.set(this.labels.subarray(0, this.count));
    this.labels = labels;
  }
}
