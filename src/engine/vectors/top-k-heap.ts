/**
 * Binary heaps of (distance, id) pairs kept in parallel typed arrays, so a
 * search allocates nothing per candidate.
 *
 * `MaxHeap` keeps the worst (largest) distance on top: bounded by `capacity`,
 * it is the usual top-k collector. `MinHeap` keeps the best on top: the
 * candidate queue of a graph search.
 */
import type { SearchResult } from '../indexes/vector-index';

export class MaxHeap {
  distances: Float64Array;
  ids: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    const cap = Math.max(1, capacity);
    this.distances = new Float64Array(cap);
    this.ids = new Uint32Array(cap);
  }

  clear(): void {
    this.size = 0;
  }

  topDistance(): number {
    return this.distances[0];
  }

  topId(): number {
    return this.ids[0];
  }

  push(distance: number, id: number): void {
    if (this.size === this.distances.length) this.grow();
    const d = this.distances;
    const ids = this.ids;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (d[parent] >= distance) break;
      d[i] = d[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    d[i] = distance;
    ids[i] = id;
  }

  /** Keeps the `limit` smallest: pushes if not full, else replaces the top if better. */
  pushBounded(distance: number, id: number, limit: number): void {
    if (this.size < limit) this.push(distance, id);
    else if (distance < this.distances[0]) this.replaceTop(distance, id);
  }

  pop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.distances[last], this.ids[last], last);
  }

  replaceTop(distance: number, id: number): void {
    this.siftDown(distance, id, this.size);
  }

  /** Drains into ascending-distance arrays. */
  toSortedResult(): SearchResult {
    const n = this.size;
    const ids = new Uint32Array(n);
    const distances = new Float32Array(n);
    for (let i = n - 1; i >= 0; i--) {
      ids[i] = this.ids[0];
      distances[i] = this.distances[0];
      this.pop();
    }
    return { ids, distances };
  }

  private siftDown(distance: number, id: number, size: number): void {
    const d = this.distances;
    const ids = this.ids;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && d[child + 1] > d[child]) child++;
      if (d[child] <= distance) break;
      d[i] = d[child];
      ids[i] = ids[child];
      i = child;
    }
    d[i] = distance;
    ids[i] = id;
  }

  private grow(): void {
    const d = new Float64Array(this.distances.length * 2);
    d.set(this.distances);
    const ids = new Uint32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.distances = d;
    this.ids = ids;
  }
}

export class MinHeap {
  distances: Float64Array;
  ids: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    const cap = Math.max(1, capacity);
    this.distances = new Float64Array(cap);
    this.ids = new Uint32Array(cap);
  }

  clear(): void {
    this.size = 0;
  }

  topDistance(): number {
    return this.distances[0];
  }

  topId(): number {
    return this.ids[0];
  }

  push(distance: number, id: number): void {
    if (this.size === this.distances.length) {
      const d = new Float64Array(this.distances.length * 2);
      d.set(this.distances);
      const ids = new Uint32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.distances = d;
      this.ids = ids;
    }
    const d = this.distances;
    const ids = this.ids;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (d[parent] <= distance) break;
      d[i] = d[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    d[i] = distance;
    ids[i] = id;
  }

  pop(): void {
    const size = --this.size;
    if (size <= 0) return;
    const distance = this.distances[size];
    const id = this.ids[size];
    const d = this.distances;
    const ids = this.ids;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && d[child + 1] < d[child]) child++;
      if (d[child] >= distance) break;
      d[i] = d[child];
      ids[i] = ids[child];
      i = child;
    }
    d[i] = distance;
    ids[i] = id;
  }
}
