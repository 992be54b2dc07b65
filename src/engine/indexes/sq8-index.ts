/**
 * Exhaustive search over 8-bit scalar-quantized vectors (faiss
 * IndexScalarQuantizer QT_8bit): a quarter of the memory of Flat, with
 * asymmetric distances (float query against codes) that keep ranking close
 * to exact.
 */
import { prepareVectors } from '../vectors/distances';
import { ScalarQuantizer } from '../vectors/scalar-quantizer';
import { MaxHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt } from './binary-format';
import { checkBatch, checkDim, checkQuery, checkVectors, notTrained } from './checks';
import { InvertedLists } from './inverted-lists';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export class Sq8Index implements VectorIndex {
  readonly kind = 'sq8' as const;
  readonly sq: ScalarQuantizer;
  private readonly codes: InvertedLists;
  private trained = false;
  private readonly heap = new MaxHeap(16);

  constructor(
    readonly dim: number,
    readonly metric: Metric,
  ) {
    checkDim(dim);
    this.sq = new ScalarQuantizer(dim, metric);
    this.codes = new InvertedLists(1, dim);
  }

  get size(): number {
    return this.codes.total;
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
    this.codes.clear();
    this.trained = true;
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    if (!this.trained) throw notTrained(this.kind);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    for (let i = 0; i < ids.length; i++) {
      this.codes.remove(ids[i]);
      const off = this.codes.append(0, ids[i]);
      this.sq.encode(prepared, i * this.dim, this.codes.codes[0], off);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const heap = this.heap;
    heap.clear();
    if (k === 0 || !this.trained) return heap.toSortedResult();
    this.sq.setQuery(prepareVectors(this.metric, query, this.dim));
    const ids = this.codes.ids[0];
    const codes = this.codes.codes[0];
    const size = this.codes.sizes[0];
    const filter = params.filter;
    for (let i = 0, off = 0; i < size; i++, off += this.dim) {
      if (filter !== undefined && !filter(ids[i])) continue;
      heap.pushBounded(this.sq.distanceToQuery(codes, off), ids[i], k);
    }
    return heap.toSortedResult();
  }

  remove(ids: Uint32Array): number {
    let removed = 0;
    for (let i = 0; i < ids.length; i++) if (this.codes.remove(ids[i])) removed++;
    return removed;
  }

  serialize(): Uint8Array {
    const writer = new SectionWriter(this.kind, this.dim, this.metric)
      .f64([this.trained ? 1 : 0])
      .f32(this.sq.vmin)
      .f32(this.sq.step);
    this.codes.write(writer);
    return writer.finish();
  }

  static read(reader: SectionReader): Sq8Index {
    const { dim, metric } = reader.header;
    const index = new Sq8Index(dim, metric);
    index.trained = checkInt(reader.f64(1)[0], 'trained', 0, 1) === 1;
    index.sq.vmin.set(reader.f32(dim));
    index.sq.step.set(reader.f32(dim));
    index.codes.read(reader);
    return index;
  }

  dispose(): void {
    this.codes.clear();
    this.trained = false;
  }
}
