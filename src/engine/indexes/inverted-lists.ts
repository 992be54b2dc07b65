/**
 * The posting lists of an IVF index: per list, parallel arrays of ids and
 * fixed-size codes (float bytes for IVF-Flat, PQ codes for IVF-PQ), each
 * doubling when full. Removal swaps in the list's last entry.
 */
import type { SectionReader, SectionWriter } from './binary-format';
import { corrupt } from './binary-format';

export class InvertedLists {
  ids: Uint32Array[] = [];
  codes: Uint8Array[] = [];
  sizes: Uint32Array;
  /** List of each id, to find it on removal. */
  private readonly listOf = new Map<number, number>();

  constructor(
    readonly nlist: number,
    readonly codeSize: number,
  ) {
    this.sizes = new Uint32Array(nlist);
    for (let l = 0; l < nlist; l++) {
      this.ids.push(new Uint32Array(0));
      this.codes.push(new Uint8Array(0));
    }
  }

  get total(): number {
    return this.listOf.size;
  }

  has(id: number): boolean {
    return this.listOf.has(id);
  }

  /** Appends; returns the byte offset where the caller writes the code. */
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
    }
    this.ids[list][size] = id;
    this.sizes[list] = size + 1;
    this.listOf.set(id, list);
    return size * this.codeSize;
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
    }
    return true;
  }

  write(writer: SectionWriter): void {
    writer.u32(this.sizes);
    for (let l = 0; l < this.nlist; l++) {
      writer.u32(this.ids[l].subarray(0, this.sizes[l]));
      writer.u8(this.codes[l].subarray(0, this.sizes[l] * this.codeSize));
    }
  }

  read(reader: SectionReader): void {
    this.sizes = reader.u32(this.nlist);
    for (let l = 0; l < this.nlist; l++) {
      const size = this.sizes[l];
      this.ids[l] = reader.u32(size);
      this.codes[l] = reader.u8(size * this.codeSize);
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
    }
  }
}
