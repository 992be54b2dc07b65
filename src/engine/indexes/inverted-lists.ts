/**
 * The posting lists of an IVF index: per list, parallel arrays of ids,
 * fixed-size codes (float bytes for IVF-Flat, PQ codes for IVF-PQ) and
 * optional extra codes (IVF-PQ refinement codes). Extra codes sit in their
 * own array so the ADC scan reads only PQ bytes. Removal swaps in the list's
 * last entry.
 *
 * Memory is what the codes cost, nothing per vector beside them: there is no
 * id → list map (faiss's IVF keeps none either). Removal scans the ids once
 * per batch, and adds skip that scan when every id is larger than any stored
 * one, which is the usual case for counter-allocated ids. After a bulk build
 * or a load, `compact` packs all lists into one buffer per array kind, so an
 * index of a thousand lists does not pay a thousand typed-array headers.
 */
import type { SectionReader, SectionWriter } from './binary-format';
import { corrupt } from './binary-format';

// Estimated V8 costs: a typed-array object, and an ArrayBuffer with its
// backing-store bookkeeping. Counted so bytes per vector stays honest for
// indexes whose lists hold only a few dozen entries each.
const VIEW_OVERHEAD = 96;
const BUFFER_OVERHEAD = 160;
const EMPTY = new Uint8Array(0);
const EMPTY_IDS = new Uint32Array(0);

export class InvertedLists {
  ids: Uint32Array[] = [];
  codes: Uint8Array[] = [];
  extra: Uint8Array[] = [];
  sizes: Uint32Array;
  private count = 0;
  private maxId = -1;
  /** 1 where a list's arrays are views into the packed buffers `compact` made. */
  private packed: Uint8Array;
  private packedBytes = 0;
  private packedIds = EMPTY_IDS;

  constructor(
    readonly nlist: number,
    readonly codeSize: number,
    readonly extraSize = 0,
  ) {
    this.sizes = new Uint32Array(nlist);
    this.packed = new Uint8Array(nlist);
    for (let l = 0; l < nlist; l++) {
      this.ids.push(EMPTY_IDS);
      this.codes.push(EMPTY);
      this.extra.push(EMPTY);
    }
  }

  get total(): number {
    return this.count;
  }

  /** Appends; returns the entry's position (code at pos * codeSize, extra at pos * extraSize). */
  append(list: number, id: number): number {
    const size = this.sizes[list];
    if (size === this.ids[list].length) this.grow(list, Math.max(8, size + (size >> 1)));
    this.ids[list][size] = id;
    this.sizes[list] = size + 1;
    this.count++;
    if (id > this.maxId) this.maxId = id;
    return size;
  }

  /**
   * Makes room for a batch that replaces any stored entries with the same
   * ids: removes those, and returns a mask of batch positions to skip (an id
   * repeated within the batch keeps its last occurrence), or undefined.
   */
  prepareAdd(ids: Uint32Array): Uint8Array | undefined {
    let min = Infinity;
    for (let i = 0; i < ids.length; i++) if (ids[i] < min) min = ids[i];
    if (min <= this.maxId) this.removeMany(ids);
    const seen = new Set<number>();
    let skip: Uint8Array | undefined;
    for (let i = ids.length - 1; i >= 0; i--) {
      if (seen.has(ids[i])) (skip ??= new Uint8Array(ids.length))[i] = 1;
      else seen.add(ids[i]);
    }
    return skip;
  }

  /** Removes every stored entry whose id is in `ids`; returns how many were removed. */
  removeMany(ids: Uint32Array): number {
    const wanted = new Set<number>();
    for (let i = 0; i < ids.length; i++) if (ids[i] <= this.maxId) wanted.add(ids[i]);
    let removed = 0;
    for (let l = 0; l < this.nlist && wanted.size > 0; l++) {
      const list = this.ids[l];
      let size = this.sizes[l];
      for (let i = 0; i < size; ) {
        if (!wanted.has(list[i])) {
          i++;
          continue;
        }
        wanted.delete(list[i]);
        this.moveLast(l, i, --size);
        removed++;
      }
      this.sizes[l] = size;
    }
    this.count -= removed;
    return removed;
  }

  remove(id: number): boolean {
    return this.removeMany(Uint32Array.of(id)) === 1;
  }

  /** Bytes held in memory, including spare capacity and estimated per-array overhead. */
  memoryBytes(): number {
    let bytes = this.packedBytes + this.sizes.byteLength + this.packed.byteLength;
    const arrays = this.extraSize > 0 ? 3 : 2;
    for (let l = 0; l < this.nlist; l++) {
      bytes += arrays * VIEW_OVERHEAD;
      if (this.packed[l] === 1 || this.ids[l].length === 0) continue;
      bytes += this.ids[l].byteLength + this.codes[l].byteLength + this.extra[l].byteLength + arrays * BUFFER_OVERHEAD;
    }
    return bytes;
  }

  /** Packs every list into one buffer per array kind, with no spare capacity. */
  compact(): void {
    const { codeSize, extraSize, nlist } = this;
    const ids = new Uint32Array(this.count);
    const codes = new Uint8Array(this.count * codeSize);
    const extra = extraSize > 0 ? new Uint8Array(this.count * extraSize) : EMPTY;
    for (let l = 0, at = 0; l < nlist; l++) {
      const size = this.sizes[l];
      ids.set(this.ids[l].subarray(0, size), at);
      codes.set(this.codes[l].subarray(0, size * codeSize), at * codeSize);
      this.ids[l] = size > 0 ? ids.subarray(at, at + size) : EMPTY_IDS;
      this.codes[l] = size > 0 ? codes.subarray(at * codeSize, (at + size) * codeSize) : EMPTY;
      if (extraSize > 0) {
        extra.set(this.extra[l].subarray(0, size * extraSize), at * extraSize);
        this.extra[l] = size > 0 ? extra.subarray(at * extraSize, (at + size) * extraSize) : EMPTY;
      }
      this.packed[l] = size > 0 ? 1 : 0;
      at += size;
    }
    this.packedIds = ids;
    const buffers = extraSize > 0 ? 3 : 2;
    this.packedBytes = ids.byteLength + codes.byteLength + extra.byteLength + buffers * (VIEW_OVERHEAD + BUFFER_OVERHEAD);
  }

  /**
   * Format version 1 stores each entry's code and extra code back to back
   * (codeSize + extraSize bytes per entry), as the first IVF-PQ layout kept
   * them in memory; the in-memory split is converted here so v1 files load.
   */
  write(writer: SectionWriter): void {
    writer.u32(this.sizes);
    const { codeSize, extraSize } = this;
    const entry = codeSize + extraSize;
    for (let l = 0; l < this.nlist; l++) {
      const size = this.sizes[l];
      writer.u32(this.ids[l].subarray(0, size));
      if (extraSize === 0) {
        writer.u8(this.codes[l].subarray(0, size * codeSize));
        continue;
      }
      const joined = new Uint8Array(size * entry);
      for (let i = 0; i < size; i++) {
        joined.set(this.codes[l].subarray(i * codeSize, (i + 1) * codeSize), i * entry);
        joined.set(this.extra[l].subarray(i * extraSize, (i + 1) * extraSize), i * entry + codeSize);
      }
      writer.u8(joined);
    }
  }

  read(reader: SectionReader): void {
    this.sizes = reader.u32(this.nlist);
    const { codeSize, extraSize } = this;
    const entry = codeSize + extraSize;
    let total = 0;
    for (let l = 0; l < this.nlist; l++) {
      const size = this.sizes[l];
      this.ids[l] = reader.u32(size);
      const joined = reader.u8(size * entry);
      if (extraSize === 0) {
        this.codes[l] = joined;
      } else {
        const codes = new Uint8Array(size * codeSize);
        const extra = new Uint8Array(size * extraSize);
        for (let i = 0; i < size; i++) {
          codes.set(joined.subarray(i * entry, i * entry + codeSize), i * codeSize);
          extra.set(joined.subarray(i * entry + codeSize, (i + 1) * entry), i * extraSize);
        }
        this.codes[l] = codes;
        this.extra[l] = extra;
      }
      total += size;
    }
    this.count = total;
    this.compact();
    // Sorted, a duplicate sits next to its twin.
    const sorted = this.packedIds.slice().sort();
    for (let i = 1; i < total; i++) if (sorted[i] === sorted[i - 1]) throw corrupt('duplicate id', { id: sorted[i] });
    this.maxId = total > 0 ? sorted[total - 1] : -1;
  }

  clear(): void {
    this.count = 0;
    this.maxId = -1;
    this.sizes.fill(0);
    this.packed.fill(0);
    this.packedBytes = 0;
    this.packedIds = EMPTY_IDS;
    for (let l = 0; l < this.nlist; l++) {
      this.ids[l] = EMPTY_IDS;
      this.codes[l] = EMPTY;
      this.extra[l] = EMPTY;
    }
  }

  /** Moves the list's entry at `last` into `pos` (removal by swap). */
  private moveLast(list: number, pos: number, last: number): void {
    if (pos === last) return;
    this.ids[list][pos] = this.ids[list][last];
    this.codes[list].copyWithin(pos * this.codeSize, last * this.codeSize, (last + 1) * this.codeSize);
    const e = this.extraSize;
    if (e > 0) this.extra[list].copyWithin(pos * e, last * e, (last + 1) * e);
  }

  private grow(list: number, cap: number): void {
    const ids = new Uint32Array(cap);
    ids.set(this.ids[list]);
    const codes = new Uint8Array(cap * this.codeSize);
    codes.set(this.codes[list]);
    this.ids[list] = ids;
    this.codes[list] = codes;
    if (this.extraSize > 0) {
      const extra = new Uint8Array(cap * this.extraSize);
      extra.set(this.extra[list]);
      this.extra[list] = extra;
    }
    this.packed[list] = 0;
  }
}
