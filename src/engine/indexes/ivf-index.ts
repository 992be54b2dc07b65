/**
 * Inverted-file index (faiss IndexIVFFlat): k-means splits space into
 * `nlist` cells, a Flat index over the centroids is the coarse quantizer,
 * and a query scans only the `nprobe` nearest cells, exactly.
 */
import { createError } from '../errors';
import { dot, l2Squared, prepareVectors } from '../vectors/distances';
import { kmeans } from '../vectors/kmeans';
import { MaxHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt } from './binary-format';
import { checkBatch, checkDim, checkQuery, checkVectors, notTrained } from './checks';
import { FlatIndex } from './flat-index';
import { InvertedLists } from './inverted-lists';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export interface IvfOptions {
  nlist: number;
  /** Default number of cells probed per query. */
  nprobe?: number;
  seed?: number;
}

/** The coarse quantizer ranks cells by l2 except for raw inner product, as faiss does. */
export function quantizerMetric(metric: Metric): Metric {
  return metric === 'dot' ? 'dot' : 'l2';
}

export function checkNlist(nlist: number): void {
  if (!Number.isInteger(nlist) || nlist < 1 || nlist > 65536) {
    throw createError('INVALID_ARGUMENT', `Bad nlist ${nlist}.`, { nlist });
  }
}

export class IvfIndex implements VectorIndex {
  readonly kind = 'ivf-flat' as const;
  readonly nlist: number;
  nprobe: number;
  lastTrainingWarning?: string;
  private readonly seed: number;
  private quantizer: FlatIndex;
  private readonly lists: InvertedLists;
  private trained = false;
  private readonly heap = new MaxHeap(16);

  constructor(
    readonly dim: number,
    readonly metric: Metric,
    options: IvfOptions,
  ) {
    checkDim(dim);
    checkNlist(options.nlist);
    this.nlist = options.nlist;
    this.nprobe = options.nprobe ?? Math.min(options.nlist, 8);
    this.seed = options.seed ?? 1234;
    this.quantizer = new FlatIndex(dim, quantizerMetric(metric));
    this.lists = new InvertedLists(this.nlist, dim * 4);
  }

  get size(): number {
    return this.lists.total;
  }

  get isTrained(): boolean {
    return this.trained;
  }

  /** In-memory bytes of the inverted lists per stored vector (spare capacity and per-list overhead included). */
  get bytesPerVector(): number {
    return this.size === 0 ? this.dim * 4 + 4 : this.lists.memoryBytes() / this.size;
  }

  /** Drops spare list capacity after a bulk build. */
  compact(): void {
    this.lists.compact();
  }

  train(vectors: Float32Array): void {
    checkVectors(vectors, this.dim);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    const result = kmeans(prepared, this.dim, this.nlist, { seed: this.seed });
    this.lastTrainingWarning = result.warning;
    this.quantizer = new FlatIndex(this.dim, quantizerMetric(this.metric));
    this.quantizer.add(Uint32Array.from({ length: this.nlist }, (_, i) => i), result.centroids);
    this.lists.clear();
    this.trained = true;
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    if (!this.trained) throw notTrained(this.kind);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    const assign = this.quantizer.assign(prepared);
    const bytes = new Uint8Array(prepared.buffer, prepared.byteOffset, prepared.byteLength);
    const rowBytes = this.dim * 4;
    const skip = this.lists.prepareAdd(ids);
    for (let i = 0; i < ids.length; i++) {
      if (skip?.[i]) continue;
      const pos = this.lists.append(assign[i], ids[i]);
      this.lists.codes[assign[i]].set(bytes.subarray(i * rowBytes, (i + 1) * rowBytes), pos * rowBytes);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const heap = this.heap;
    heap.clear();
    if (k === 0 || !this.trained) return heap.toSortedResult();
    const q = prepareVectors(this.metric, query, this.dim);
    const nprobe = Math.min(params.nprobe ?? this.nprobe, this.nlist);
    const probes = this.quantizer.search(q, nprobe).ids;
    const { dim } = this;
    const filter = params.filter;
    const l2 = this.metric === 'l2';
    const bias = this.metric === 'cosine' ? 1 : 0;
    for (let p = 0; p < probes.length; p++) {
      const list = probes[p];
      const size = this.lists.sizes[list];
      if (size === 0) continue;
      const ids = this.lists.ids[list];
      const codes = this.lists.codes[list];
      const data = new Float32Array(codes.buffer, codes.byteOffset, size * dim);
      for (let i = 0, off = 0; i < size; i++, off += dim) {
        if (filter !== undefined && !filter(ids[i])) continue;
        const d = l2 ? l2Squared(data, off, q, 0, dim) : bias - dot(data, off, q, 0, dim);
        heap.pushBounded(d, ids[i], k);
      }
    }
    return heap.toSortedResult();
  }

  remove(ids: Uint32Array): number {
    return this.lists.removeMany(ids);
  }

  serialize(): Uint8Array {
    const writer = new SectionWriter(this.kind, this.dim, this.metric).f64([
      this.nlist,
      this.nprobe,
      this.seed,
      this.trained ? 1 : 0,
    ]);
    this.quantizer.write(writer);
    this.lists.write(writer);
    return writer.finish();
  }

  static read(reader: SectionReader): IvfIndex {
    const { dim, metric } = reader.header;
    const p = reader.f64(4);
    const index = new IvfIndex(dim, metric, {
      nlist: checkInt(p[0], 'nlist', 1, 65536),
      nprobe: checkInt(p[1], 'nprobe', 1),
      seed: checkInt(p[2], 'seed'),
    });
    index.trained = checkInt(p[3], 'trained', 0, 1) === 1;
    index.quantizer = FlatIndex.read(reader, dim, quantizerMetric(metric));
    index.lists.read(reader);
    return index;
  }

  dispose(): void {
    this.lists.clear();
    this.quantizer.dispose();
    this.trained = false;
  }
}
