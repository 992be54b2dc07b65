/**
 * Exhaustive search over product-quantized codes (faiss IndexPQ): `m` bytes
 * per vector, ADC distances, no re-rank (there is nothing finer to re-rank with).
 */
import { AdcKernel } from '../vectors/adc/adc-kernel';
import { dot, prepareVectors } from '../vectors/distances';
import { ProductQuantizer } from '../vectors/product-quantizer';
import { MaxHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt } from './binary-format';
import { checkBatch, checkDim, checkQuery, checkVectors, notTrained } from './checks';
import { InvertedLists } from './inverted-lists';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

/** Codes per kernel call: 128 KB of codes at m = 32, well inside L2. */
const ADC_BLOCK = 4096;

export interface PqOptions {
  m: number;
  nbits?: number;
  seed?: number;
}

export class PqIndex implements VectorIndex {
  readonly kind = 'pq' as const;
  readonly pq: ProductQuantizer;
  private readonly seed: number;
  private readonly codes: InvertedLists;
  private trained = false;
  private readonly table: Float32Array;
  private readonly heap = new MaxHeap(16);
  /** undefined until first needed; null where the WASM kernel does not apply. */
  private kernel: AdcKernel | null | undefined;

  constructor(
    readonly dim: number,
    readonly metric: Metric,
    options: PqOptions,
  ) {
    checkDim(dim);
    this.pq = new ProductQuantizer(dim, options.m, options.nbits ?? 8);
    this.seed = options.seed ?? 1234;
    this.codes = new InvertedLists(1, this.pq.codeSize);
    this.table = new Float32Array(this.pq.m * this.pq.ksub);
  }

  get size(): number {
    return this.codes.total;
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /** In-memory bytes per stored vector: code, id, spare capacity (the codebook is separate, in `fixedBytes`). */
  get bytesPerVector(): number {
    return this.size === 0 ? this.pq.codeSize + 4 : this.codes.memoryBytes() / this.size;
  }

  get fixedBytes(): number {
    return this.pq.centroids.byteLength;
  }

  /** Drops spare capacity after a bulk build. */
  compact(): void {
    this.codes.compact();
  }

  train(vectors: Float32Array): void {
    checkVectors(vectors, this.dim);
    this.pq.train(prepareVectors(this.metric, vectors, this.dim), { seed: this.seed });
    this.kernel = undefined;
    this.codes.clear();
    this.trained = true;
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    if (!this.trained) throw notTrained(this.kind);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    const skip = this.codes.prepareAdd(ids);
    for (let i = 0; i < ids.length; i++) {
      if (skip?.[i]) continue;
      const pos = this.codes.append(0, ids[i]);
      this.pq.encode(prepared, i * this.dim, this.codes.codes[0], pos * this.pq.codeSize);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const heap = this.heap;
    heap.clear();
    if (k === 0 || !this.trained) return heap.toSortedResult();
    const q = prepareVectors(this.metric, query, this.dim);
    const bias = this.metric === 'cosine' ? 1 : 0;
    const ids = this.codes.ids[0];
    const codes = this.codes.codes[0];
    const size = this.codes.sizes[0];
    const m = this.pq.m;
    const filter = params.filter;
    const kernel = this.adcKernel();
    if (kernel) {
      // Blocks of codes through the WASM ADC kernel (vectors/adc/adc-kernel.ts).
      let base = bias;
      if (this.metric === 'l2') {
        kernel.l2TableMinusNorm(q);
        base = dot(q, 0, q, 0, this.dim);
      } else {
        kernel.negDotTable(q);
      }
      for (let start = 0; start < size; start += ADC_BLOCK) {
        const n = Math.min(ADC_BLOCK, size - start);
        kernel.reserve(n).set(codes.subarray(start * m, (start + n) * m));
        const dists = kernel.scan(n);
        for (let i = 0; i < n; i++) {
          const d = base + dists[i];
          const id = ids[start + i];
          if (heap.size < k) {
            if (filter === undefined || filter(id)) heap.push(d, id);
          } else if (d < heap.distances[0] && (filter === undefined || filter(id))) {
            heap.replaceTop(d, id);
          }
        }
      }
      return heap.toSortedResult();
    }
    if (this.metric === 'l2') this.pq.l2Table(q, 0, this.table);
    else this.pq.negDotTable(q, 0, this.table);
    for (let i = 0; i < size; i++) {
      if (filter !== undefined && !filter(ids[i])) continue;
      heap.pushBounded(bias + this.pq.adc(this.table, codes, i * m), ids[i], k);
    }
    return heap.toSortedResult();
  }

  /** Built on first search from the trained codebook; training and loading reset it. */
  private adcKernel(): AdcKernel | null {
    if (this.kernel === undefined) this.kernel = AdcKernel.create(this.pq.m, this.pq.ksub, this.pq.dsub, this.pq.centroids);
    return this.kernel;
  }

  remove(ids: Uint32Array): number {
    return this.codes.removeMany(ids);
  }

  serialize(): Uint8Array {
    const writer = new SectionWriter(this.kind, this.dim, this.metric)
      .f64([this.pq.m, this.pq.nbits, this.seed, this.trained ? 1 : 0])
      .f32(this.pq.centroids);
    this.codes.write(writer);
    return writer.finish();
  }

  static read(reader: SectionReader): PqIndex {
    const { dim, metric } = reader.header;
    const p = reader.f64(4);
    const index = new PqIndex(dim, metric, {
      m: checkInt(p[0], 'm', 1, dim),
      nbits: checkInt(p[1], 'nbits', 1, 8),
      seed: checkInt(p[2], 'seed'),
    });
    index.trained = checkInt(p[3], 'trained', 0, 1) === 1;
    index.pq.centroids = reader.f32(index.pq.centroids.length);
    index.kernel = undefined;
    index.codes.read(reader);
    return index;
  }

  dispose(): void {
    this.codes.clear();
    this.trained = false;
  }
}
