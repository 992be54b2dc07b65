/**
 * IVF with product-quantized residuals (faiss IndexIVFPQ), optionally with a
 * refinement code stored beside each PQ code (faiss IndexRefine): the top
 * `k * kFactor` ADC candidates are re-scored with the finer code.
 *
 * Distances: for dot and cosine, q.x = q.c + q.r, so one table of q.r per
 * query serves every cell and each cell adds its q.c. For l2, each probed
 * cell gets its own ADC table built from the query's residual to the
 * centroid. With WASM SIMD and 8-bit codes the tables and code sums run in
 * the ADC kernel (vectors/adc/adc-kernel.ts), else in the TypeScript loop.
 *
 * Memory per vector: m bytes of PQ code + 4 bytes of id, plus `dim` bytes
 * with Refine(SQ8) or 4*dim bytes with Refine(Flat). With no refinement
 * (`IVF…,PQm`), an exact re-rank can still run outside the index, on float
 * vectors kept in storage: ask for `k * kFactor` results and pass them to
 * `rerankExact` (exact-rerank.ts).
 */
import { createError } from '../errors';
import { AdcKernel } from '../vectors/adc/adc-kernel';
import { dot, l2Squared, normalizeRows, prepareVectors } from '../vectors/distances';
import { kmeans } from '../vectors/kmeans';
import { ProductQuantizer } from '../vectors/product-quantizer';
import { ScalarQuantizer } from '../vectors/scalar-quantizer';
import { MaxHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt } from './binary-format';
import { checkBatch, checkDim, checkQuery, checkVectors, notTrained } from './checks';
import { FlatIndex } from './flat-index';
import { InvertedLists } from './inverted-lists';
import { checkNlist, quantizerMetric } from './ivf-index';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export type RefineKind = 'none' | 'sq8' | 'flat';
const REFINE_CODES: readonly RefineKind[] = ['none', 'sq8', 'flat'];

export interface IvfPqOptions {
  nlist: number;
  m: number;
  nbits?: number;
  nprobe?: number;
  refine?: RefineKind;
  /** Default re-rank depth multiplier when refining. */
  kFactor?: number;
  seed?: number;
}

export class IvfPqIndex implements VectorIndex {
  readonly kind = 'ivf-pq' as const;
  readonly nlist: number;
  readonly pq: ProductQuantizer;
  readonly refine: RefineKind;
  nprobe: number;
  kFactor: number;
  lastTrainingWarning?: string;
  private readonly seed: number;
  private readonly sq: ScalarQuantizer;
  private quantizer: FlatIndex;
  private readonly lists: InvertedLists;
  private readonly refineSize: number;
  private trained = false;
  private readonly table: Float32Array;
  private readonly residual: Float32Array;
  private readonly rowScratch: Float32Array;
  private readonly queryScratch: Float32Array;
  private readonly probeBase: Uint32Array;
  /** undefined until first needed; null where the WASM kernel does not apply. */
  private kernel: AdcKernel | null | undefined;
  /** |c|^2 per coarse centroid, set with the kernel. */
  private centroidNorms = new Float32Array(0);
  private readonly heap = new MaxHeap(16);
  private readonly finalHeap = new MaxHeap(16);

  constructor(
    readonly dim: number,
    readonly metric: Metric,
    options: IvfPqOptions,
  ) {
    checkDim(dim);
    checkNlist(options.nlist);
    this.nlist = options.nlist;
    this.nprobe = options.nprobe ?? Math.min(options.nlist, 8);
    this.refine = options.refine ?? 'none';
    if (!REFINE_CODES.includes(this.refine)) {
      throw createError('INVALID_ARGUMENT', `Unknown refine ${this.refine}.`, { refine: this.refine });
    }
    this.kFactor = options.kFactor ?? 4;
    this.seed = options.seed ?? 1234;
    this.pq = new ProductQuantizer(dim, options.m, options.nbits ?? 8);
    this.sq = new ScalarQuantizer(dim, metric);
    this.refineSize = this.refine === 'sq8' ? dim : this.refine === 'flat' ? dim * 4 : 0;
    this.quantizer = new FlatIndex(dim, quantizerMetric(metric));
    this.lists = new InvertedLists(this.nlist, this.pq.codeSize, this.refineSize);
    this.table = new Float32Array(this.pq.m * this.pq.ksub);
    this.residual = new Float32Array(dim);
    this.rowScratch = new Float32Array(dim);
    this.queryScratch = new Float32Array(dim);
    this.probeBase = new Uint32Array(this.nlist + 1);
  }

  get size(): number {
    return this.lists.total;
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /**
   * In-memory bytes per stored vector: codes, ids, refinement codes, spare
   * list capacity and per-list overhead. The coarse centroids and codebooks
   * do not grow with the collection and are reported in `fixedBytes`.
   */
  get bytesPerVector(): number {
    return this.size === 0 ? this.pq.codeSize + this.refineSize + 4 : this.lists.memoryBytes() / this.size;
  }

  get fixedBytes(): number {
    return this.quantizer.vectors.byteLength + this.pq.centroids.byteLength + this.sq.vmin.byteLength * 2;
  }

  /** Drops spare list capacity after a bulk build (loading a saved index packs it too). */
  compact(): void {
    this.lists.compact();
  }

  train(vectors: Float32Array): void {
    const n = checkVectors(vectors, this.dim);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    const coarse = kmeans(prepared, this.dim, this.nlist, { seed: this.seed });
    this.lastTrainingWarning = coarse.warning;
    this.quantizer = new FlatIndex(this.dim, quantizerMetric(this.metric));
    this.quantizer.add(Uint32Array.from({ length: this.nlist }, (_, i) => i), coarse.centroids);
    const assign = this.quantizer.assign(prepared);
    const residuals = new Float32Array(prepared.length);
    for (let i = 0; i < n; i++) this.residualInto(prepared, i * this.dim, assign[i], residuals, i * this.dim);
    this.pq.train(residuals, { seed: this.seed + 1 });
    this.kernel = undefined;
    if (this.refine === 'sq8') this.sq.train(prepared);
    this.lists.clear();
    this.trained = true;
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    if (!this.trained) throw notTrained(this.kind);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    const assign = this.quantizer.assign(prepared);
    const raw = new Uint8Array(prepared.buffer, prepared.byteOffset, prepared.byteLength);
    const m = this.pq.m;
    const skip = this.lists.prepareAdd(ids);
    for (let i = 0; i < ids.length; i++) {
      if (skip?.[i]) continue;
      const list = assign[i];
      const pos = this.lists.append(list, ids[i]);
      this.residualInto(prepared, i * this.dim, list, this.residual, 0);
      this.pq.encode(this.residual, 0, this.lists.codes[list], pos * m);
      const extra = this.lists.extra[list];
      if (this.refine === 'sq8') this.sq.encode(prepared, i * this.dim, extra, pos * this.refineSize);
      else if (this.refine === 'flat') extra.set(raw.subarray(i * this.dim * 4, (i + 1) * this.dim * 4), pos * this.refineSize);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const heap = this.heap;
    heap.clear();
    if (k === 0 || !this.trained) return heap.toSortedResult();
    const q = this.prepareQuery(query);
    const nprobe = Math.min(params.nprobe ?? this.nprobe, this.nlist);
    const coarse = this.quantizer.search(q, nprobe);
    const probes = coarse.ids;
    const refining = this.refine !== 'none';
    const depth = refining ? k * Math.max(1, params.kFactor ?? this.kFactor) : k;
    const { dim, lists } = this;
    const l2 = this.metric === 'l2';
    const bias = this.metric === 'cosine' ? 1 : 0;
    // Candidates are numbered across the probed cells so re-ranking can find their codes.
    const probeBase = this.probeBase;
    for (let p = 0; p < probes.length; p++) probeBase[p + 1] = probeBase[p] + lists.sizes[probes[p]];
    const kernel = this.adcKernel();
    if (kernel) this.scanWithKernel(kernel, q, probes, coarse.distances, depth, refining, params.filter);
    else this.scanJs(q, probes, depth, refining, params.filter);
    if (!refining) return heap.toSortedResult();
    const final = this.finalHeap;
    final.clear();
    if (this.refine === 'sq8') this.sq.setQuery(q);
    const rs = this.refineSize;
    for (let c = 0; c < heap.size; c++) {
      const g = heap.ids[c];
      let p = 0;
      while (probeBase[p + 1] <= g) p++;
      const list = probes[p];
      const pos = g - probeBase[p];
      const off = pos * rs;
      const codes = lists.extra[list];
      let d: number;
      if (this.refine === 'sq8') d = this.sq.distanceToQuery(codes, off);
      else {
        const row = this.rowScratch;
        new Uint8Array(row.buffer).set(codes.subarray(off, off + dim * 4));
        d = l2 ? l2Squared(row, 0, q, 0, dim) : bias - dot(row, 0, q, 0, dim);
      }
      final.pushBounded(d, lists.ids[list][pos], k);
    }
    return final.toSortedResult();
  }

  remove(ids: Uint32Array): number {
    return this.lists.removeMany(ids);
  }

  serialize(): Uint8Array {
    const writer = new SectionWriter(this.kind, this.dim, this.metric).f64([
      this.nlist,
      this.pq.m,
      this.pq.nbits,
      this.nprobe,
      REFINE_CODES.indexOf(this.refine),
      this.kFactor,
      this.seed,
      this.trained ? 1 : 0,
    ]);
    this.quantizer.write(writer);
    writer.f32(this.pq.centroids).f32(this.sq.vmin).f32(this.sq.step);
    this.lists.write(writer);
    return writer.finish();
  }

  static read(reader: SectionReader): IvfPqIndex {
    const { dim, metric } = reader.header;
    const p = reader.f64(8);
    const index = new IvfPqIndex(dim, metric, {
      nlist: checkInt(p[0], 'nlist', 1, 65536),
      m: checkInt(p[1], 'm', 1, dim),
      nbits: checkInt(p[2], 'nbits', 1, 8),
      nprobe: checkInt(p[3], 'nprobe', 1),
      refine: REFINE_CODES[checkInt(p[4], 'refine', 0, REFINE_CODES.length - 1)],
      kFactor: checkInt(p[5], 'kFactor', 1),
      seed: checkInt(p[6], 'seed'),
    });
    index.trained = checkInt(p[7], 'trained', 0, 1) === 1;
    index.quantizer = FlatIndex.read(reader, dim, quantizerMetric(metric));
    index.pq.centroids = reader.f32(index.pq.centroids.length);
    index.kernel = undefined;
    index.sq.vmin.set(reader.f32(dim));
    index.sq.step.set(reader.f32(dim));
    index.lists.read(reader);
    return index;
  }

  dispose(): void {
    this.lists.clear();
    this.quantizer.dispose();
    this.trained = false;
  }

  /**
   * Probed cells scored by the ADC kernel. For dot and cosine, one table of
   * -q.r serves every cell (q.x = q.c + q.r), so all probed codes go through
   * one kernel call and each cell adds its -q.c. For l2, each cell needs the
   * table of its residual q - c, written as |q-c|^2 - 2(q-c).r + |r|^2 so the
   * kernel's SIMD inner-product table builds it.
   */
  private scanWithKernel(
    kernel: AdcKernel,
    q: Float32Array,
    probes: Uint32Array,
    coarse: Float32Array,
    depth: number,
    refining: boolean,
    filter: SearchParams['filter'],
  ): void {
    const { dim, lists, heap, probeBase, centroidNorms } = this;
    const m = this.pq.m;
    const centroids = this.quantizer.vectors;
    const l2 = this.metric === 'l2';
    const cosine = this.metric === 'cosine';
    // |q|^2: 1 for a normalized query, 0 for a zero one.
    const qNorm = cosine ? dot(q, 0, q, 0, dim) : 0;
    let dists: Float32Array | undefined;
    if (!l2) {
      kernel.negDotTable(q);
      const total = probeBase[probes.length];
      const area = kernel.reserve(total);
      for (let p = 0; p < probes.length; p++) {
        const list = probes[p];
        area.set(lists.codes[list].subarray(0, lists.sizes[list] * m), probeBase[p] * m);
      }
      dists = kernel.scan(total);
    }
    for (let p = 0; p < probes.length; p++) {
      const list = probes[p];
      const size = lists.sizes[list];
      if (size === 0) continue;
      let base: number;
      let first = probeBase[p];
      if (l2) {
        const r = this.residual;
        let norm = 0;
        for (let i = 0; i < dim; i++) {
          const v = q[i] - centroids[list * dim + i];
          r[i] = v;
          norm += v * v;
        }
        kernel.l2TableMinusNorm(r);
        kernel.reserve(size).set(lists.codes[list].subarray(0, size * m));
        dists = kernel.scan(size);
        base = norm;
        first = 0;
      } else if (cosine) {
        // The coarse search measured |q - c|^2 = |q|^2 + |c|^2 - 2 q.c, which gives q.c for free.
        base = 1 - 0.5 * (qNorm + centroidNorms[list] - coarse[p]);
      } else {
        base = coarse[p]; // the dot quantizer's distance is -q.c
      }
      const d0 = dists as Float32Array;
      const ids = lists.ids[list];
      const tag = refining ? probeBase[p] : 0;
      for (let i = 0; i < size; i++) {
        const d = base + d0[first + i];
        if (heap.size < depth) {
          if (filter === undefined || filter(ids[i])) heap.push(d, refining ? tag + i : ids[i]);
        } else if (d < heap.distances[0] && (filter === undefined || filter(ids[i]))) {
          heap.replaceTop(d, refining ? tag + i : ids[i]);
        }
      }
    }
  }

  /** The TypeScript ADC loop, where the kernel is unavailable (no WASM SIMD, nbits < 8, m not a multiple of 4). */
  private scanJs(q: Float32Array, probes: Uint32Array, depth: number, refining: boolean, filter: SearchParams['filter']): void {
    const { dim, lists, pq, table, heap, probeBase } = this;
    const centroids = this.quantizer.vectors;
    const l2 = this.metric === 'l2';
    const bias = this.metric === 'cosine' ? 1 : 0;
    if (!l2) pq.negDotTable(q, 0, table);
    const m = pq.m;
    const ksub = pq.ksub;
    const m4 = m - (m & 3);
    const ksub2 = 2 * ksub;
    const ksub3 = 3 * ksub;
    const ksub4 = 4 * ksub;
    for (let p = 0; p < probes.length; p++) {
      const list = probes[p];
      const size = lists.sizes[list];
      if (size === 0) continue;
      let base = bias;
      if (l2) {
        for (let i = 0; i < dim; i++) this.residual[i] = q[i] - centroids[list * dim + i];
        pq.l2Table(this.residual, 0, table);
        base = 0;
      } else {
        base -= dot(q, 0, centroids, list * dim, dim);
      }
      const ids = lists.ids[list];
      const codes = lists.codes[list];
      const first = probeBase[p];
      for (let i = 0, off = 0; i < size; i++, off += m) {
        if (filter !== undefined && !filter(ids[i])) continue;
        // Inline ADC: m table lookups, one row of the table per sub-quantizer,
        // unrolled by four into independent sums (1.4x faster in V8).
        let d0 = base;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        let j = 0;
        let t = 0;
        for (; j < m4; j += 4, t += ksub4) {
          d0 += table[t + codes[off + j]];
          d1 += table[t + ksub + codes[off + j + 1]];
          d2 += table[t + ksub2 + codes[off + j + 2]];
          d3 += table[t + ksub3 + codes[off + j + 3]];
        }
        for (; j < m; j++, t += ksub) d0 += table[t + codes[off + j]];
        const d = d0 + d1 + d2 + d3;
        if (heap.size < depth) heap.push(d, refining ? first + i : ids[i]);
        else if (d < heap.distances[0]) heap.replaceTop(d, refining ? first + i : ids[i]);
      }
    }
  }

  /** The query as the index stores vectors (unit length for cosine), in a reused buffer. */
  private prepareQuery(query: Float32Array): Float32Array {
    const q = this.queryScratch;
    q.set(query);
    if (this.metric === 'cosine') normalizeRows(q, this.dim);
    return q;
  }

  /** Built on first search from the trained codebook; training and loading reset it. */
  private adcKernel(): AdcKernel | null {
    if (this.kernel === undefined) {
      const pq = this.pq;
      this.kernel = AdcKernel.create(pq.m, pq.ksub, pq.dsub, pq.centroids);
      const c = this.quantizer.vectors;
      this.centroidNorms = new Float32Array(this.nlist);
      for (let l = 0; l < this.quantizer.size && l < this.nlist; l++) this.centroidNorms[l] = dot(c, l * this.dim, c, l * this.dim, this.dim);
    }
    return this.kernel;
  }

  private residualInto(src: Float32Array, off: number, list: number, out: Float32Array, outOff: number): void {
    const c = this.quantizer.vectors;
    const dim = this.dim;
    for (let i = 0; i < dim; i++) out[outOff + i] = src[off + i] - c[list * dim + i];
  }
}
