/**
 * The posting lists of an IVF index: per list, parallel arrays of ids,
 * fixed-size codes (float bytes for IVF-Flat, PQ codes for IVF-PQ) and
 * optional extra codes (IVF-PQ refinement codes), each doubling when full.
 * Extra codes sit in their own array so the ADC scan reads only PQ bytes.
 * Removal swaps in the list's last entry.
 */
import type { SectionReader, SectionWriter } from './binary-format';
import { corrupt } from './binary-format';

export class InvertedLists {
  ids: Uint32Array[] = [];
  codes: Uint8Array[] = [];
  extra: Uint8Array[] = [];
  sizes: Uint32Array;
  /** List of each id, to find it on removal. */
  private readonly listOf = new Map<number, number>();

  constructor(
    readonly nlist: number,
    readonly codeSize: number,
    readonly extraSize = 0,
  ) {
    this.sizes = new Uint32Array(nlist);
    for (let l = 0; l < nlist; l++) {
      this.ids.push(new Uint32Array(0));
      this.codes.push(new Uint8Array(0));
      this.extra.push(new Uint8Array(0));
    }
  }

  get total(): number {
    return this.listOf.size;
  }

  has(id: number): boolean {
    return this.listOf.has(id);
  }

  /** Appends; returns the entry's position (code at pos * codeSize, extra at pos * extraSize). */
  append(list: number, id: number): number {
    const size = this.sizes[list];
    if (size === this.ids[list].length) {
      const cap = Math.max(8, size * 2);
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
    }
    this.ids[list][size] = id;
    this.sizes[list] = size + 1;
    this.listOf.set(id, list);
    return size;
  }

  remove(id: number): boolean {
    const list = this.listOf.get(id);
    if (list === undefined) return false;
    this.listOf.delete(id);
    const ids = this.ids[list];
    const last = --this.sizes[list];
    const pos = ids.subarray(0, last + 1).indexOf(id);
    if (pos !== last) {
      ids[pos] = ids[last];
      this.codes[list].copyWithin(pos * this.codeSize, last * this.codeSize, (last + 1) * this.codeSize);
      const e = this.extraSize;
      if (e > 0) this.extra[list].copyWithin(pos * e, last * e, (last + 1) * e);
    }
    return true;
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
      for (let i = 0; i < size; i++) {
        if (this.listOf.has(this.ids[l][i])) throw corrupt('duplicate id', { id: this.ids[l][i] });
        this.listOf.set(this.ids[l][i], l);
      }
    }
  }

  clear(): void {
    this.listOf.clear();
    this.sizes.fill(0);
    for (let l = 0; l < this.nlist; l++) {
      this.ids[l] = new Uint32Array(0);
      this.codes[l] = new Uint8Array(0);
      this.extra[l] = new Uint8Array(0);
    }
  }
}
