/**
 * An in-memory BM25 inverted index with incremental add and remove.
 *
 * Documents live in dense internal slots (kept apart from the caller's ids,
 * as hnswlib does). Each term has one growable Uint32Array of interleaved
 * (slot, tf) postings. Removal only marks the slot dead and fixes the
 * statistics at once; dead postings are dropped when enough pile up
 * (compaction), so removing is O(terms in the doc) and searching never sees
 * stale documents.
 *
 * Scoring is classic BM25 with Lucene's non-negative idf,
 * idf = ln(1 + (N - df + 0.5) / (df + 0.5)), and
 * score = Σ_t qtf · idf · tf·(k1+1) / (tf + k1·(1 - b + b·dl/avgdl)),
 * where a term repeated in the query counts once per occurrence, as a Lucene
 * BooleanQuery of term clauses does. dl counts terms after stopword removal.
 */
import { createError } from '../errors';
import { analyze as defaultAnalyze } from './analyzer';
import { readBm25, writeBm25, type Bm25Snapshot } from './bm25-format';

export interface Bm25Options {
  /**
   * Term-frequency saturation. Default 1.2 (with b = 0.75: Lucene's and the
   * textbook default). On SciFact, Cranfield and ADI it beats Anserini's BEIR
   * setting (0.9, 0.4) on all three; see scripts/eval-tune.ts.
   */
  k1?: number;
  /** Length normalisation, 0 to 1. Default 0.75. */
  b?: number;
  /**
   * Text to terms. Only for experiments (the eval harness): it is not saved,
   * and a deserialized index always uses the default analyzer.
   */
  analyze?: (text: string) => string[];
}

export interface Bm25SearchResult {
  ids: Uint32Array;
  scores: Float32Array;
}

const EMPTY_TERMS = new Uint32Array(0);

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  private readonly analyzeText: (text: string) => string[];

  private readonly termIds = new Map<string, number>();
  private terms: string[] = [];
  /** Per term: interleaved (slot, tf) pairs; only the first 2·postingCount[t] are used. */
  private postings: Uint32Array[] = [];
  private postingCount = new Uint32Array(64);
  /** Live documents containing the term. */
  private docFreq = new Uint32Array(64);

  private slotOf = new Map<number, number>();
  private slotIds = new Uint32Array(64);
  private slotLength = new Uint32Array(64);
  private slotAlive = new Uint8Array(64);
  /** Per slot: the distinct term ids of that document, to undo its statistics on removal. */
  private slotTerms: Uint32Array[] = [];
  private slotCount = 0;
  private liveCount = 0;
  private totalLength = 0;

  /** Per-search scratch: score per slot (kept all-zero between searches) and the slots touched. */
  private scratch = new Float32Array(0);
  private touched = new Uint32Array(0);

  constructor(options: Bm25Options = {}) {
    const k1 = options.k1 ?? 1.2;
    const b = options.b ?? 0.75;
    if (!(k1 >= 0) || !Number.isFinite(k1)) throw createError('INVALID_ARGUMENT', `BM25 k1 must be >= 0, got ${k1}.`);
    if (!(b >= 0 && b <= 1)) throw createError('INVALID_ARGUMENT', `BM25 b must be in [0, 1], got ${b}.`);
    this.k1 = k1;
    this.b = b;
    this.analyzeText = options.analyze ?? defaultAnalyze;
  }

  /** Number of live documents. */
  get size(): number {
    return this.liveCount;
  }

  /** Number of distinct terms seen (including ones only dead documents had, until compaction). */
  get vocabularySize(): number {
    return this.terms.length;
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a document, replacing any earlier one with the same id. */
  add(id: number, text: string): void {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
      throw createError('INVALID_ARGUMENT', `BM25 document ids must be uint32, got ${id}.`);
    }
    this.remove(id);
    this.addTerms(id, this.analyzeText(text));
  }

  /** Marks a document removed; returns false when the id is unknown. */
  remove(id: number): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.slotAlive[slot] = 0;
    this.liveCount--;
    this.totalLength -= this.slotLength[slot];
    for (const t of this.slotTerms[slot]) this.docFreq[t]--;
    this.slotTerms[slot] = EMPTY_TERMS;
    const dead = this.slotCount - this.liveCount;
    if (dead > 64 && dead > this.liveCount) this.compact();
    return true;
  }

  search(query: string, k: number, filter?: (id: number) => boolean): Bm25SearchResult {
    if (!Number.isInteger(k) || k < 0) throw createError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}.`);
    const queryCounts = new Map<number, number>();
    for (const term of this.analyzeText(query)) {
      const t = this.termIds.get(term);
      if (t !== undefined && this.docFreq[t] > 0) queryCounts.set(t, (queryCounts.get(t) ?? 0) + 1);
    }
    if (k === 0 || queryCounts.size === 0 || this.liveCount === 0) {
      return { ids: new Uint32Array(0), scores: new Float32Array(0) };
    }
    if (this.scratch.length < this.slotCount) {
      const capacity = Math.max(this.slotCount, this.scratch.length * 2);
      this.scratch = new Float32Array(capacity);
      this.touched = new Uint32Array(capacity);
    }
    const acc = this.scratch;
    const touched = this.touched;
    let touchedCount = 0;
    const n = this.liveCount;
    const avgdl = this.totalLength / n || 1;
    const k1 = this.k1;
    const lengthNormA = k1 * (1 - this.b);
    const lengthNormB = (k1 * this.b) / avgdl;
    const alive = this.slotAlive;
    const lengths = this.slotLength;

    for (const [t, qtf] of queryCounts) {
      const df = this.docFreq[t];
      const weight = qtf * Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (k1 + 1);
      const list = this.postings[t];
      const end = this.postingCount[t] * 2;
      for (let i = 0; i < end; i += 2) {
        const slot = list[i];
        if (alive[slot] === 0) continue;
        const tf = list[i + 1];
        // Every contribution is > 0 (idf > 0, tf > 0), so 0 means untouched.
        if (acc[slot] === 0) touched[touchedCount++] = slot;
        acc[slot] += (weight * tf) / (tf + lengthNormA + lengthNormB * lengths[slot]);
      }
    }
    return this.collectTop(touchedCount, k, filter);
  }

  serialize(): Uint8Array {
    if (this.slotCount !== this.liveCount) this.compact();
    const snapshot: Bm25Snapshot = {
      k1: this.k1,
      b: this.b,
      terms: this.terms,
      docIds: this.slotIds.subarray(0, this.slotCount),
      docLengths: this.slotLength.subarray(0, this.slotCount),
      postings: this.terms.map((_, t) => this.postings[t].subarray(0, this.postingCount[t] * 2)),
    };
    return writeBm25(snapshot);
  }

  static deserialize(bytes: Uint8Array): Bm25Index {
    const snapshot = readBm25(bytes);
    const index = new Bm25Index({ k1: snapshot.k1, b: snapshot.b });
    index.restore(snapshot);
    return index;
  }

  private restore(s: Bm25Snapshot): void {
    const docCount = s.docIds.length;
    this.ensureSlots(docCount);
    this.slotIds.set(s.docIds);
    this.slotLength.set(s.docLengths);
    this.slotAlive.fill(1, 0, docCount);
    this.slotCount = docCount;
    this.liveCount = docCount;
    for (let slot = 0; slot < docCount; slot++) {
      const id = s.docIds[slot];
      if (this.slotOf.has(id)) throw createError('CORRUPT_INDEX', `BM25 index repeats document id ${id}.`);
      this.slotOf.set(id, slot);
      this.totalLength += s.docLengths[slot];
    }
    this.ensureTerms(s.terms.length);
    const termsPerSlot = new Uint32Array(docCount);
    for (let t = 0; t < s.terms.length; t++) {
      const term = s.terms[t];
      if (this.termIds.has(term)) throw createError('CORRUPT_INDEX', `BM25 index repeats term "${term}".`);
      this.termIds.set(term, t);
      const list = s.postings[t];
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] >= docCount || list[i + 1] === 0) throw createError('CORRUPT_INDEX', 'BM25 posting out of range.');
        termsPerSlot[list[i]]++;
      }
      this.postings.push(list.slice());
      this.postingCount[t] = list.length / 2;
      this.docFreq[t] = list.length / 2;
    }
    this.terms = s.terms.slice();
    // Rebuild the per-document term lists from the postings.
    const fill = new Uint32Array(docCount);
    this.slotTerms = Array.from(termsPerSlot, (count) => new Uint32Array(count));
    for (let t = 0; t < this.terms.length; t++) {
      const list = this.postings[t];
      for (let i = 0; i < list.length; i += 2) {
        const slot = list[i];
        if (fill[slot] >= termsPerSlot[slot]) throw createError('CORRUPT_INDEX', 'BM25 postings disagree.');
        this.slotTerms[slot][fill[slot]++] = t;
      }
    }
  }

  private addTerms(id: number, tokens: string[]): void {
    const counts = new Map<number, number>();
    for (const token of tokens) {
      let t = this.termIds.get(token);
      if (t === undefined) {
        t = this.terms.length;
        this.ensureTerms(t + 1);
        this.termIds.set(token, t);
        this.terms.push(token);
        this.postings.push(new Uint32Array(4));
      }
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const slot = this.slotCount++;
    this.ensureSlots(this.slotCount);
    this.slotOf.set(id, slot);
    this.slotIds[slot] = id;
    this.slotLength[slot] = tokens.length;
    this.slotAlive[slot] = 1;
    this.liveCount++;
    this.totalLength += tokens.length;
    const distinct = new Uint32Array(counts.size);
    let j = 0;
    for (const [t, tf] of counts) {
      distinct[j++] = t;
      this.appendPosting(t, slot, tf);
      this.docFreq[t]++;
    }
    this.slotTerms[slot] = distinct;
  }

  private appendPosting(t: number, slot: number, tf: number): void {
    let list = this.postings[t];
    const at = this.postingCount[t] * 2;
    if (at + 2 > list.length) {
      const grown = new Uint32Array(Math.max(4, list.length * 2));
      grown.set(list);
      this.postings[t] = list = grown;
    }
    list[at] = slot;
    list[at + 1] = tf;
    this.postingCount[t]++;
  }

  /** Drops dead slots and postings, and terms no live document has. */
  private compact(): void {
    const newSlot = new Int32Array(this.slotCount).fill(-1);
    let live = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (this.slotAlive[slot] === 0) continue;
      newSlot[slot] = live;
      this.slotIds[live] = this.slotIds[slot];
      this.slotLength[live] = this.slotLength[slot];
      this.slotAlive[live] = 1;
      this.slotTerms[live] = this.slotTerms[slot];
      this.slotOf.set(this.slotIds[live], live);
      live++;
    }
    this.slotAlive.fill(0, live, this.slotCount);
    this.slotTerms.length = live;
    this.slotCount = live;

    const newTerm = new Int32Array(this.terms.length).fill(-1);
    const terms: string[] = [];
    const postings: Uint32Array[] = [];
    const postingCount = new Uint32Array(Math.max(64, this.terms.length));
    const docFreq = new Uint32Array(postingCount.length);
    this.termIds.clear();
    for (let t = 0; t < this.terms.length; t++) {
      if (this.docFreq[t] === 0) continue;
      const list = this.postings[t];
      const end = this.postingCount[t] * 2;
      const kept = new Uint32Array(this.docFreq[t] * 2);
      let w = 0;
      for (let i = 0; i < end; i += 2) {
        const slot = newSlot[list[i]];
        if (slot < 0) continue;
        kept[w++] = slot;
        kept[w++] = list[i + 1];
      }
      const nt = terms.length;
      newTerm[t] = nt;
      this.termIds.set(this.terms[t], nt);
      terms.push(this.terms[t]);
      postings.push(kept);
      postingCount[nt] = w / 2;
      docFreq[nt] = w / 2;
    }
    this.terms = terms;
    this.postings = postings;
    this.postingCount = postingCount;
    this.docFreq = docFreq;
    for (let slot = 0; slot < live; slot++) {
      const list = this.slotTerms[slot];
      for (let i = 0; i < list.length; i++) list[i] = newTerm[list[i]];
    }
  }

  private collectTop(touchedCount: number, k: number, filter?: (id: number) => boolean): Bm25SearchResult {
    const acc = this.scratch;
    const touched = this.touched;
    // Compact the touched list to the slots the filter allows, zeroing the rest as we go.
    let count = 0;
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i];
      if (filter === undefined || filter(this.slotIds[slot])) touched[count++] = slot;
      else acc[slot] = 0;
    }
    // Ties go to the earlier document, as in Lucene, so runs are repeatable.
    const order = (x: number, y: number): number => acc[y] - acc[x] || x - y;
    const top =
      count <= Math.max(256, k * 4)
        ? Array.from(touched.subarray(0, count)).sort(order).slice(0, k)
        : selectTop(touched.subarray(0, count), acc, k).sort(order);
    const ids = new Uint32Array(top.length);
    const scores = new Float32Array(top.length);
    for (let i = 0; i < top.length; i++) {
      ids[i] = this.slotIds[top[i]];
      scores[i] = acc[top[i]];
    }
    for (let i = 0; i < count; i++) acc[touched[i]] = 0;
    return { ids, scores };
  }

  private ensureSlots(count: number): void {
    if (count <= this.slotIds.length) return;
    const capacity = Math.max(count, this.slotIds.length * 2);
    this.slotIds = grow(this.slotIds, capacity);
    this.slotLength = grow(this.slotLength, capacity);
    const alive = new Uint8Array(capacity);
    alive.set(this.slotAlive);
    this.slotAlive = alive;
  }

  private ensureTerms(count: number): void {
    if (count <= this.postingCount.length) return;
    const capacity = Math.max(count, this.postingCount.length * 2);
    this.postingCount = grow(this.postingCount, capacity);
    this.docFreq = grow(this.docFreq, capacity);
  }
}

function grow(array: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(capacity);
  grown.set(array);
  return grown;
}

/**
 * The k best slots by score (ties to the lower slot), unordered, using a
 * size-k min-heap so a query matching most of a large corpus stays O(n log k).
 */
function selectTop(slots: Uint32Array, score: Float32Array, k: number): number[] {
  const heap = new Int32Array(k);
  let size = 0;
  // "worse" = lower score, or equal score and later slot.
  const worse = (a: number, b: number): boolean => score[a] < score[b] || (score[a] === score[b] && a > b);
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      const tmp = heap[i];
      heap[i] = heap[m];
      heap[m] = tmp;
      i = m;
    }
  };
  for (const slot of slots) {
    if (size < k) {
      let i = size++;
      heap[i] = slot;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i], heap[p])) break;
        const tmp = heap[i];
        heap[i] = heap[p];
        heap[p] = tmp;
        i = p;
      }
    } else if (worse(heap[0], slot)) {
      heap[0] = slot;
      siftDown(0);
    }
  }
  return Array.from(heap.subarray(0, size));
}
