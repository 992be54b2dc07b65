/**
 * Exact search by scanning every stored vector: the reference the approximate
 * indexes are tested against, and the coarse quantizer inside IVF.
 *
 * Rows live in one contiguous Float32Array that doubles when full; removal
 * moves the last row into the hole so the scan stays dense.
 */
import { prepareVectors } from '../vectors/distances';
import { SCAN_BLOCK, createVectorBuffer, type VectorBuffer } from '../vectors/kernels';
import { MaxHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt, corrupt } from './binary-format';
import { checkBatch, checkDim, checkQuery } from './checks';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export class FlatIndex implements VectorIndex {
  readonly kind = 'flat' as const;
  readonly isTrained = true;
  private buf: VectorBuffer;
  private labels: Uint32Array;
  private count = 0;
  private readonly slotOf = new Map<number, number>();
  private readonly heap = new MaxHeap(16);

  constructor(
    readonly dim: number,
    readonly metric: Metric,
    options: { capacity?: number } = {},
  ) {
    checkDim(dim);
    const capacity = Math.max(16, options.capacity ?? 0);
    this.buf = createVectorBuffer(dim, capacity);
    this.labels = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Labels in slot order (a view: copy before mutating the index). */
  get ids(): Uint32Array {
    return this.labels.subarray(0, this.count);
  }

  /** The stored vectors, slot order, normalized when the metric is cosine (a view). */
  get vectors(): Float32Array {
    return this.buf.rows.subarray(0, this.count * this.dim);
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    this.reserve(this.count + ids.length);
    const dim = this.dim;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      let slot = this.slotOf.get(id);
      if (slot === undefined) {
        slot = this.count++;
        this.slotOf.set(id, slot);
        this.labels[slot] = id;
      }
      this.buf.rows.set(prepared.subarray(i * dim, (i + 1) * dim), slot * dim);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const q = prepareVectors(this.metric, query, this.dim);
    const limit = Math.min(k, this.count);
    const heap = this.heap;
    heap.clear();
    if (limit === 0) return heap.toSortedResult();
    const { labels, count, buf } = this;
    const filter = params.filter;
    const l2 = this.metric === 'l2';
    const bias = this.metric === 'cosine' ? 1 : 0;
    buf.setQuery(q);
    for (let start = 0; start < count; start += SCAN_BLOCK) {
      const n = Math.min(SCAN_BLOCK, count - start);
      const scores = l2 ? buf.scanL2(start, n) : buf.scanDot(start, n);
      for (let i = 0; i < n; i++) {
        const slot = start + i;
        const d = l2 ? scores[i] : bias - scores[i];
        if (heap.size < limit) {
          if (filter === undefined || filter(labels[slot])) heap.push(d, labels[slot]);
        } else if (d < heap.distances[0] && (filter === undefined || filter(labels[slot]))) {
          heap.replaceTop(d, labels[slot]);
        }
      }
    }
    return heap.toSortedResult();
  }

  /**
   * Nearest stored slot for each of `n` prepared vectors: the batch
   * assignment step of k-means and IVF. Returns slots, not labels.
   */
  assign(vectors: Float32Array, distancesOut?: Float32Array): Int32Array {
    const { dim, count, buf } = this;
    const n = vectors.length / dim;
    const out = new Int32Array(n).fill(-1);
    const l2 = this.metric === 'l2';
    for (let i = 0; i < n; i++) {
      buf.setQuery(vectors, i * dim);
      let best = Infinity;
      let bestSlot = -1;
      for (let start = 0; start < count; start += SCAN_BLOCK) {
        const m = Math.min(SCAN_BLOCK, count - start);
        const scores = l2 ? buf.scanL2(start, m) : buf.scanDot(start, m);
        for (let j = 0; j < m; j++) {
          const d = l2 ? scores[j] : -scores[j];
          if (d < best) {
            best = d;
            bestSlot = start + j;
          }
        }
      }
      out[i] = bestSlot;
      if (distancesOut) distancesOut[i] = best;
    }
    return out;
  }

  /** A copy of the stored (possibly normalized) vector for `id`, if present. */
  reconstruct(id: number): Float32Array | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    return this.buf.rows.slice(slot * this.dim, (slot + 1) * this.dim);
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
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
        const movedId = this.labels[last];
        this.labels[slot] = movedId;
        this.buf.rows.copyWithin(slot * dim, last * dim, (last + 1) * dim);
        this.slotOf.set(movedId, slot);
      }
      removed++;
    }
    return removed;
  }

  serialize(): Uint8Array {
    const writer = new SectionWriter(this.kind, this.dim, this.metric);
    this.write(writer);
    return writer.finish();
  }

  static deserialize(bytes: Uint8Array): FlatIndex {
    const reader = new SectionReader(bytes);
    if (reader.header.kind !== 'flat') throw corrupt(`expected a flat index, found ${reader.header.kind}`);
    const index = FlatIndex.read(reader);
    reader.done();
    return index;
  }

  /** Reads the body of a flat index; also used for the quantizers nested inside other indexes. */
  static read(reader: SectionReader, dim = reader.header.dim, metric = reader.header.metric): FlatIndex {
    const [countValue] = reader.f64(1);
    const count = checkInt(countValue, 'count');
    const labels = reader.u32(count);
    const data = reader.f32View(count * dim);
    const index = new FlatIndex(dim, metric, { capacity: count });
    index.labels.set(labels);
    index.buf.rows.set(data);
    index.count = count;
    for (let i = 0; i < count; i++) {
      if (index.slotOf.has(labels[i])) throw corrupt('duplicate id', { id: labels[i] });
      index.slotOf.set(labels[i], i);
    }
    return index;
  }

  /** Writes the body read by `read`. */
  write(writer: SectionWriter): void {
    writer.f64([this.count]).u32(this.ids).f32(this.vectors);
  }

  dispose(): void {
    this.buf.dispose();
    this.buf = createVectorBuffer(this.dim);
    this.labels = new Uint32Array(0);
    this.count = 0;
    this.slotOf.clear();
  }

  private reserve(needed: number): void {
    let capacity = Math.max(16, this.labels.length);
    if (needed <= capacity) return;
    while (capacity < needed) capacity *= 2;
    this.buf.reserve(capacity);
    const labels = new Uint32Array(capacity);
    labels.set(this.ids);
    this.labels = labels;
  }
}
