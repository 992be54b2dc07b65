/**
 * Hierarchical navigable small-world graph (Malkov & Yashunin), following
 * hnswlib's `hnswalg.h`: the same neighbour-selection heuristic, level
 * multiplier 1/ln(M), 2M links on layer 0, and deletes that only mark a node.
 *
 * Storage is flat typed arrays: layer-0 links in one block per slot
 * ([count, n1..n2M]), upper-layer links in a shared pool addressed by
 * `upperOffset`, and a generation-stamped visited array, so a search
 * allocates nothing per node. Internal slots are separate from user ids.
 *
 * Deletes mark the node, then repair every live neighbour that linked to it
 * by re-running the heuristic over its remaining links plus the deleted
 * node's links, so recall holds as items churn. A deleted node keeps its own
 * links, so any stale path through it still routes.
 */
import { createError } from '../errors';
import { prepareVectors } from '../vectors/distances';
import { createRandom, type Random } from '../vectors/random';
import { MaxHeap, MinHeap } from '../vectors/top-k-heap';
import { SectionReader, SectionWriter, checkInt, corrupt } from './binary-format';
import { checkBatch, checkDim, checkQuery, checkVectors, notTrained } from './checks';
import { selectNeighbours, sortByDistance } from './hnsw-heuristic';
import { MAX_LEVEL, validateGraph } from './hnsw-validate';
import { FloatVectorStore, Sq8VectorStore, type VectorStore } from './vector-store';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export interface HnswOptions {
  /** Links per node on upper layers (2M on layer 0). */
  m?: number;
  efConstruction?: number;
  /** Default efSearch when a query does not pass one. */
  efSearch?: number;
  seed?: number;
  /** Keep SQ8 codes instead of floats ("HNSW32,SQ8"); needs `train`. */
  sq8?: boolean;
}


export class HnswIndex implements VectorIndex {
  readonly kind: 'hnsw' | 'hnsw-sq8';
  readonly m: number;
  readonly efConstruction: number;
  efSearch: number;
  private readonly maxM0: number;
  private readonly seed: number;
  private readonly mult: number;
  private random: Random;
  private readonly store: VectorStore;

  private capacity = 0;
  private count = 0;
  private live = 0;
  private labels = new Uint32Array(0);
  private levels = new Uint8Array(0);
  private deleted = new Uint8Array(0);
  private links0 = new Uint32Array(0);
  private upperOffset = new Int32Array(0);
  private upperLinks = new Uint32Array(64);
  private upperUsed = 0;
  private entry = -1;
  private maxLevel = -1;
  private readonly slotOf = new Map<number, number>();

  private visited = new Uint32Array(0);
  private stamp = 0;
  private readonly candidates = new MinHeap(64);
  private readonly results = new MaxHeap(64);
  private scratchIds = new Uint32Array(64);
  private scratchDist = new Float64Array(64);
  private readonly between = (a: number, b: number): number => this.store.distanceBetween(a, b);

  constructor(
    readonly dim: number,
    readonly metric: Metric,
    options: HnswOptions = {},
  ) {
    checkDim(dim);
    this.m = options.m ?? 16;
    if (!Number.isInteger(this.m) || this.m < 2 || this.m > 1024) {
      throw createError('INVALID_ARGUMENT', `Bad HNSW M ${this.m}.`, { m: this.m });
    }
    this.maxM0 = 2 * this.m;
    this.efConstruction = Math.max(options.efConstruction ?? 200, this.m);
    this.efSearch = options.efSearch ?? 64;
    this.seed = options.seed ?? 100;
    this.random = createRandom(this.seed);
    this.mult = 1 / Math.log(this.m);
    this.kind = options.sq8 ? 'hnsw-sq8' : 'hnsw';
    this.store = options.sq8 ? new Sq8VectorStore(dim, metric) : new FloatVectorStore(dim, metric);
    this.reserve(16);
  }

  get size(): number {
    return this.live;
  }

  get isTrained(): boolean {
    return this.store.isTrained;
  }

  /** Bytes held per stored vector: vector or code, layer-0 links and the label. */
  get bytesPerVector(): number {
    const upper = this.count > 0 ? (this.upperUsed * 4) / this.count : 0;
    return this.store.bytesPerVector + (this.maxM0 + 1) * 4 + 4 + 2 + upper;
  }

  train(vectors: Float32Array): void {
    checkVectors(vectors, this.dim);
    this.store.train(prepareVectors(this.metric, vectors, this.dim));
  }

  add(ids: Uint32Array, vectors: Float32Array): void {
    checkBatch(ids, vectors, this.dim);
    if (!this.store.isTrained) throw notTrained(this.kind);
    const prepared = prepareVectors(this.metric, vectors, this.dim);
    for (let i = 0; i < ids.length; i++) {
      const old = this.slotOf.get(ids[i]);
      if (old !== undefined) this.removeSlot(old);
      this.insert(ids[i], prepared, i);
    }
  }

  search(query: Float32Array, k: number, params: SearchParams = {}): SearchResult {
    checkQuery(query, k, this.dim);
    const results = this.results;
    results.clear();
    if (k === 0 || this.live === 0) return results.toSortedResult();
    const q = prepareVectors(this.metric, query, this.dim);
    this.store.setQuery(q);
    const ef = Math.max(params.efSearch ?? this.efSearch, k);
    let cur = this.entry;
    let curDist = this.store.distanceToQuery(cur);
    for (let level = this.maxLevel; level > 0; level--) {
      [cur, curDist] = this.greedy(cur, curDist, level);
    }
    this.searchLayer0(cur, curDist, ef, params.filter);
    while (results.size > k) results.pop();
    const out = results.toSortedResult();
    for (let i = 0; i < out.ids.length; i++) out.ids[i] = this.labels[out.ids[i]];
    return out;
  }

  remove(ids: Uint32Array): number {
    let removed = 0;
    for (let i = 0; i < ids.length; i++) {
      const slot = this.slotOf.get(ids[i]);
      if (slot === undefined) continue;
      this.removeSlot(slot);
      removed++;
    }
    return removed;
  }

  serialize(): Uint8Array {
    const n = this.count;
    const writer = new SectionWriter(this.kind, this.dim, this.metric)
      .f64([this.m, this.efConstruction, this.efSearch, this.seed, n, this.entry, this.maxLevel, this.upperUsed])
      .u32(this.labels.subarray(0, n))
      .u8(this.levels.subarray(0, n))
      .u8(this.deleted.subarray(0, n))
      .u32(this.links0.subarray(0, n * (this.maxM0 + 1)))
      .i32(this.upperOffset.subarray(0, n))
      .u32(this.upperLinks.subarray(0, this.upperUsed));
    this.store.write(writer, n);
    return writer.finish();
  }

  static read(reader: SectionReader): HnswIndex {
    const { dim, metric, kind } = reader.header;
    const p = reader.f64(8);
    const m = checkInt(p[0], 'm', 2, 1024);
    const index = new HnswIndex(dim, metric, {
      m,
      efConstruction: checkInt(p[1], 'efConstruction', 1),
      efSearch: checkInt(p[2], 'efSearch', 1),
      seed: checkInt(p[3], 'seed'),
      sq8: kind === 'hnsw-sq8',
    });
    const n = checkInt(p[4], 'count');
    const entry = checkInt(p[5], 'entry', -1, Math.max(n - 1, -1));
    const maxLevel = checkInt(p[6], 'maxLevel', -1, MAX_LEVEL);
    const upperUsed = checkInt(p[7], 'upperUsed');
    const labels = reader.u32(n);
    const levels = reader.u8(n);
    const deleted = reader.u8(n);
    const links0 = reader.u32(n * (index.maxM0 + 1));
    const upperOffset = reader.i32(n);
    const upperLinks = reader.u32(upperUsed);
    index.store.read(reader, n);
    validateGraph({ n, m, entry, maxLevel, levels, links0, upperOffset, upperLinks });
    index.count = n;
    index.capacity = n;
    index.labels = labels;
    index.levels = levels;
    index.deleted = deleted;
    index.links0 = links0;
    index.upperOffset = upperOffset;
    index.upperLinks = upperUsed > 0 ? upperLinks : new Uint32Array(64);
    index.upperUsed = upperUsed;
    index.entry = entry;
    index.maxLevel = maxLevel;
    index.visited = new Uint32Array(n);
    index.stamp = 0;
    for (let s = 0; s < n; s++) {
      if (deleted[s]) continue;
      if (index.slotOf.has(labels[s])) throw corrupt('duplicate id', { id: labels[s] });
      index.slotOf.set(labels[s], s);
    }
    index.live = index.slotOf.size;
    index.random = createRandom((index.seed + n) >>> 0);
    index.reserve(Math.max(16, n));
    return index;
  }

  dispose(): void {
    this.capacity = this.count = this.live = this.upperUsed = 0;
    this.labels = new Uint32Array(0);
    this.levels = new Uint8Array(0);
    this.deleted = new Uint8Array(0);
    this.links0 = new Uint32Array(0);
    this.upperOffset = new Int32Array(0);
    this.upperLinks = new Uint32Array(64);
    this.visited = new Uint32Array(0);
    this.slotOf.clear();
    this.entry = this.maxLevel = -1;
    this.store.dispose();
    this.reserve(16);
  }

  // ---- graph internals -------------------------------------------------

  private insert(id: number, prepared: Float32Array, row: number): void {
    this.reserve(this.count + 1);
    const slot = this.count++;
    const level = Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.random.next()) * this.mult));
    this.labels[slot] = id;
    this.levels[slot] = level;
    this.deleted[slot] = 0;
    this.links0[slot * (this.maxM0 + 1)] = 0;
    this.upperOffset[slot] = -1;
    if (level > 0) {
      const block = level * (this.m + 1);
      this.reserveUpper(this.upperUsed + block);
      this.upperOffset[slot] = this.upperUsed;
      this.upperLinks.fill(0, this.upperUsed, this.upperUsed + block);
      this.upperUsed += block;
    }
    this.store.set(slot, prepared, row);
    this.slotOf.set(id, slot);
    this.live++;
    if (this.entry < 0) {
      this.entry = slot;
      this.maxLevel = level;
      return;
    }
    this.store.setQuery(prepared, row * this.dim);
    let cur = this.entry;
    let curDist = this.store.distanceToQuery(cur);
    for (let l = this.maxLevel; l > level; l--) [cur, curDist] = this.greedy(cur, curDist, l);
    for (let l = Math.min(level, this.maxLevel); l >= 0; l--) {
      this.searchLayer(cur, curDist, this.efConstruction, l);
      if (this.results.size === 0) continue;
      [cur, curDist] = this.connect(slot, l);
    }
    if (level > this.maxLevel) {
      this.entry = slot;
      this.maxLevel = level;
    }
  }

  /** Offset of the link block ([count, ...]) of `slot` on `level`. */
  private linkBase(slot: number, level: number): number {
    return level === 0 ? slot * (this.maxM0 + 1) : this.upperOffset[slot] + (level - 1) * (this.m + 1);
  }

  private linkArray(level: number): Uint32Array {
    return level === 0 ? this.links0 : this.upperLinks;
  }

  private greedy(cur: number, curDist: number, level: number): [number, number] {
    const { upperLinks: links, store } = this;
    const ids = store.gatherIds;
    let changed = true;
    while (changed) {
      changed = false;
      const base = this.linkBase(cur, level);
      const n = links[base];
      for (let i = 0; i < n; i++) ids[i] = links[base + 1 + i];
      const dist = store.gatherToQuery(n);
      for (let i = 0; i < n; i++) {
        if (dist[i] < curDist) {
          curDist = dist[i];
          cur = ids[i];
          changed = true;
        }
      }
    }
    return [cur, curDist];
  }

  /** Marks the unvisited neighbours in the link list at `base` and puts them in `store.gatherIds`; returns how many. */
  private markUnvisited(links: Uint32Array, base: number, stamp: number): number {
    const { visited } = this;
    const ids = this.store.gatherIds;
    const n = links[base];
    let fresh = 0;
    for (let i = 1; i <= n; i++) {
      const nb = links[base + i];
      if (visited[nb] === stamp) continue;
      visited[nb] = stamp;
      ids[fresh++] = nb;
    }
    return fresh;
  }

  private nextStamp(): number {
    if (++this.stamp === 0xffffffff) {
      this.visited.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** Construction-time beam search on any layer; leaves live nodes in `results`. */
  private searchLayer(ep: number, epDist: number, ef: number, level: number): void {
    const { candidates, results, visited, deleted, store } = this;
    const links = this.linkArray(level);
    const ids = store.gatherIds;
    const stamp = this.nextStamp();
    candidates.clear();
    results.clear();
    visited[ep] = stamp;
    candidates.push(epDist, ep);
    if (!deleted[ep]) results.push(epDist, ep);
    let bound = results.size > 0 ? epDist : Infinity;
    while (candidates.size > 0) {
      const cd = candidates.topDistance();
      if (cd > bound && results.size >= ef) break;
      const c = candidates.topId();
      candidates.pop();
      const base = this.linkBase(c, level);
      const fresh = this.markUnvisited(links, base, stamp);
      if (fresh === 0) continue;
      const dist = store.gatherToQuery(fresh);
      for (let i = 0; i < fresh; i++) {
        const nb = ids[i];
        const d = dist[i];
        if (results.size < ef || d < bound) {
          candidates.push(d, nb);
          if (!deleted[nb]) {
            results.push(d, nb);
            if (results.size > ef) results.pop();
          }
          if (results.size > 0) bound = results.topDistance();
        }
      }
    }
  }

  /** Query-time layer-0 search: traverses every node, returns only live, allowed ones. */
  private searchLayer0(ep: number, epDist: number, ef: number, filter?: (id: number) => boolean): void {
    const { candidates, results, visited, deleted, store, links0, labels } = this;
    const stride = this.maxM0 + 1;
    const ids = store.gatherIds;
    const stamp = this.nextStamp();
    candidates.clear();
    results.clear();
    visited[ep] = stamp;
    candidates.push(epDist, ep);
    let bound = Infinity;
    if (!deleted[ep] && (filter === undefined || filter(labels[ep]))) {
      results.push(epDist, ep);
      bound = epDist;
    }
    while (candidates.size > 0) {
      const cd = candidates.topDistance();
      if (cd > bound && results.size >= ef) break;
      const c = candidates.topId();
      candidates.pop();
      const base = c * stride;
      // Score every unvisited neighbour in one kernel call, then walk them in
      // link order, so results match scoring them one at a time exactly.
      const fresh = this.markUnvisited(links0, base, stamp);
      if (fresh === 0) continue;
      const dist = store.gatherToQuery(fresh);
      for (let i = 0; i < fresh; i++) {
        const nb = ids[i];
        const d = dist[i];
        if (results.size < ef || d < bound) {
          candidates.push(d, nb);
          if (!deleted[nb] && (filter === undefined || filter(labels[nb]))) {
            results.push(d, nb);
            if (results.size > ef) results.pop();
            bound = results.topDistance();
          }
        }
      }
    }
  }

  /** Links `slot` to the heuristic selection of `results` on `level`, and back. */
  private connect(slot: number, level: number): [number, number] {
    const maxM = level === 0 ? this.maxM0 : this.m;
    // Drain results (max-heap) into ascending scratch order.
    const n = this.results.size;
    this.ensureScratch(n + maxM + 1);
    const ids = this.scratchIds;
    const dist = this.scratchDist;
    for (let i = n - 1; i >= 0; i--) {
      ids[i] = this.results.topId();
      dist[i] = this.results.topDistance();
      this.results.pop();
    }
    const closest = ids[0];
    const closestDist = dist[0];
    const selected = this.selectHeuristic(ids, dist, n, this.m);
    const links = this.linkArray(level);
    const base = this.linkBase(slot, level);
    links[base] = selected;
    for (let i = 0; i < selected; i++) links[base + 1 + i] = ids[i];
    const chosen = ids.slice(0, selected);
    for (let i = 0; i < selected; i++) this.addBackLink(chosen[i], slot, level, maxM);
    return [closest, closestDist];
  }

  private addBackLink(node: number, newcomer: number, level: number, maxM: number): void {
    const links = this.linkArray(level);
    const base = this.linkBase(node, level);
    const n = links[base];
    for (let i = 1; i <= n; i++) if (links[base + i] === newcomer) return;
    if (n < maxM) {
      links[base + 1 + n] = newcomer;
      links[base] = n + 1;
      return;
    }
    this.ensureScratch(maxM + 2);
    const ids = this.scratchIds;
    const dist = this.scratchDist;
    ids[0] = newcomer;
    dist[0] = this.store.distanceBetween(node, newcomer);
    for (let i = 1; i <= n; i++) {
      ids[i] = links[base + i];
      dist[i] = this.store.distanceBetween(node, ids[i]);
    }
    this.sortScratch(n + 1);
    const kept = this.selectHeuristic(ids, dist, n + 1, maxM);
    links[base] = kept;
    for (let i = 0; i < kept; i++) links[base + 1 + i] = ids[i];
  }

  private selectHeuristic(ids: Uint32Array, dist: Float64Array, n: number, limit: number): number {
    return selectNeighbours(ids, dist, n, limit, this.between);
  }

  private sortScratch(n: number): void {
    sortByDistance(this.scratchIds, this.scratchDist, n);
  }

  private removeSlot(slot: number): void {
    this.deleted[slot] = 1;
    this.slotOf.delete(this.labels[slot]);
    this.live--;
    for (let level = 0; level <= this.levels[slot]; level++) this.repairAround(slot, level);
    if (slot === this.entry) this.replaceEntry();
  }

  /** Reconnects live neighbours of a deleted node that pointed to it. */
  private repairAround(slot: number, level: number): void {
    const links = this.linkArray(level);
    const maxM = level === 0 ? this.maxM0 : this.m;
    const base = this.linkBase(slot, level);
    const neighbours = links.slice(base + 1, base + 1 + links[base]);
    for (const nb of neighbours) {
      if (this.deleted[nb]) continue;
      const nbBase = this.linkBase(nb, level);
      const count = links[nbBase];
      let pointsBack = false;
      for (let i = 1; i <= count; i++) if (links[nbBase + i] === slot) pointsBack = true;
      if (!pointsBack) continue;
      // Candidates: nb's live links plus the deleted node's live links.
      this.ensureScratch(count + neighbours.length + 1);
      const ids = this.scratchIds;
      const dist = this.scratchDist;
      let n = 0;
      const push = (c: number) => {
        if (c === nb || c === slot || this.deleted[c]) return;
        for (let j = 0; j < n; j++) if (ids[j] === c) return;
        ids[n] = c;
        dist[n] = this.store.distanceBetween(nb, c);
        n++;
      };
      for (let i = 1; i <= count; i++) push(links[nbBase + i]);
      for (const c of neighbours) push(c);
      this.sortScratch(n);
      const kept = this.selectHeuristic(ids, dist, n, maxM);
      links[nbBase] = kept;
      for (let i = 0; i < kept; i++) links[nbBase + 1 + i] = ids[i];
    }
  }

  private replaceEntry(): void {
    let best = -1;
    for (let s = 0; s < this.count; s++) {
      if (!this.deleted[s] && (best < 0 || this.levels[s] > this.levels[best])) best = s;
    }
    this.entry = best;
    this.maxLevel = best < 0 ? -1 : this.levels[best];
  }

  private reserve(needed: number): void {
    if (needed <= this.capacity) return;
    let cap = Math.max(16, this.capacity);
    while (cap < needed) cap *= 2;
    const grow = <T extends Uint32Array | Uint8Array | Int32Array>(a: T, size: number, make: (n: number) => T): T => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.labels = grow(this.labels, cap, (k) => new Uint32Array(k));
    this.levels = grow(this.levels, cap, (k) => new Uint8Array(k));
    this.deleted = grow(this.deleted, cap, (k) => new Uint8Array(k));
    this.links0 = grow(this.links0, cap * (this.maxM0 + 1), (k) => new Uint32Array(k));
    this.upperOffset = grow(this.upperOffset, cap, (k) => new Int32Array(k));
    this.visited = grow(this.visited, cap, (k) => new Uint32Array(k));
    this.store.reserve(cap);
    this.capacity = cap;
  }

  private reserveUpper(needed: number): void {
    if (needed <= this.upperLinks.length) return;
    let cap = this.upperLinks.length;
    while (cap < needed) cap *= 2;
    const next = new Uint32Array(cap);
    next.set(this.upperLinks.subarray(0, this.upperUsed));
    this.upperLinks = next;
  }

  private ensureScratch(n: number): void {
    if (n <= this.scratchIds.length) return;
    this.scratchIds = new Uint32Array(n * 2);
    this.scratchDist = new Float64Array(n * 2);
  }
}
