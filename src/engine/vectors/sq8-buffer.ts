/**
 * SQ8 code storage with distance kernels: the 8-bit twin of `VectorBuffer`.
 * With WASM, codes live in the buffer's own memory beside the per-query
 * tables ([qAdj | weight | w1 | w2 | output block | codes]), and SIMD widens
 * 16 codes at a time to floats; without it, the same maths runs in TypeScript.
 *
 * The caller (ScalarQuantizer) folds each dimension's range into the tables:
 *   query dot   = sum qAdj[i] * c[i]
 *   query l2    = sum weight[i] * (qAdj[i] - c[i])^2
 *   code-code l2  = sum w2[i] * (a[i] - b[i])^2
 *   code-code dot = sum w1[i] * (a[i] + b[i]) + w2[i] * a[i] * b[i]
 */
import { PAGE, SCAN_BLOCK, align16, kernelModule } from './kernels';

export interface Sq8Buffer {
  readonly dim: number;
  /** All codes (capacity x dim); re-read after `reserve`. */
  readonly codes: Uint8Array;
  reserve(capacity: number): void;
  setQueryTables(qAdj: Float32Array, weight: Float32Array): void;
  setPairTables(w1: Float32Array, w2: Float32Array): void;
  dotQuery(row: number): number;
  l2Query(row: number): number;
  dotRows(a: number, b: number): number;
  l2Rows(a: number, b: number): number;
  scanDot(start: number, count: number): Float32Array;
  scanL2(start: number, count: number): Float32Array;
}

interface Sq8Exports {
  sq8_dot(q: number, c: number, n: number): number;
  sq8_l2(q: number, w: number, c: number, n: number): number;
  sq8_l2_codes(w: number, a: number, b: number, n: number): number;
  sq8_dot_codes(w1: number, w2: number, a: number, b: number, n: number): number;
  sq8_dot_rows(q: number, codes: number, count: number, dim: number, out: number): void;
  sq8_l2_rows(q: number, w: number, codes: number, count: number, dim: number, out: number): void;
}

export function createSq8Buffer(dim: number, capacity = 16): Sq8Buffer {
  const module = kernelModule();
  return module ? new WasmSq8Buffer(module, dim, capacity) : new JsSq8Buffer(dim, capacity);
}

class WasmSq8Buffer implements Sq8Buffer {
  codes: Uint8Array;
  private readonly memory: WebAssembly.Memory;
  private readonly k: Sq8Exports;
  private floats: Float32Array;
  private readonly qPtr = 0;
  private readonly wPtr: number;
  private readonly w1Ptr: number;
  private readonly w2Ptr: number;
  private readonly outPtr: number;
  private readonly dataPtr: number;
  private capacity = 0;

  constructor(
    module: WebAssembly.Module,
    readonly dim: number,
    capacity: number,
  ) {
    const table = align16(dim * 4);
    this.wPtr = table;
    this.w1Ptr = 2 * table;
    this.w2Ptr = 3 * table;
    this.outPtr = 4 * table;
    this.dataPtr = align16(this.outPtr + SCAN_BLOCK * 4);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.dataPtr + capacity * dim + 16) / PAGE) });
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as Sq8Exports;
    this.floats = new Float32Array(0);
    this.codes = new Uint8Array(0);
    this.refresh();
  }

  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    const needed = this.dataPtr + capacity * this.dim + 16;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil(Math.max(needed - have, have) / PAGE));
    this.refresh();
  }

  setQueryTables(qAdj: Float32Array, weight: Float32Array): void {
    this.floats.set(qAdj.subarray(0, this.dim), this.qPtr >> 2);
    this.floats.set(weight.subarray(0, this.dim), this.wPtr >> 2);
  }

  setPairTables(w1: Float32Array, w2: Float32Array): void {
    this.floats.set(w1.subarray(0, this.dim), this.w1Ptr >> 2);
    this.floats.set(w2.subarray(0, this.dim), this.w2Ptr >> 2);
  }

  dotQuery(row: number): number {
    return this.k.sq8_dot(this.qPtr, this.dataPtr + row * this.dim, this.dim);
  }

  l2Query(row: number): number {
    return this.k.sq8_l2(this.qPtr, this.wPtr, this.dataPtr + row * this.dim, this.dim);
  }

  dotRows(a: number, b: number): number {
    const d = this.dim;
    return this.k.sq8_dot_codes(this.w1Ptr, this.w2Ptr, this.dataPtr + a * d, this.dataPtr + b * d, d);
  }

  l2Rows(a: number, b: number): number {
    const d = this.dim;
    return this.k.sq8_l2_codes(this.w2Ptr, this.dataPtr + a * d, this.dataPtr + b * d, d);
  }

  scanDot(start: number, count: number): Float32Array {
    this.k.sq8_dot_rows(this.qPtr, this.dataPtr + start * this.dim, count, this.dim, this.outPtr);
    return this.floats.subarray(this.outPtr >> 2, (this.outPtr >> 2) + count);
  }

  scanL2(start: number, count: number): Float32Array {
    this.k.sq8_l2_rows(this.qPtr, this.wPtr, this.dataPtr + start * this.dim, count, this.dim, this.outPtr);
    return this.floats.subarray(this.outPtr >> 2, (this.outPtr >> 2) + count);
  }

  private refresh(): void {
    this.floats = new Float32Array(this.memory.buffer);
    // 16 spare bytes: SIMD loads of the last code may read past its end.
    this.capacity = Math.floor((this.memory.buffer.byteLength - this.dataPtr - 16) / this.dim);
    this.codes = new Uint8Array(this.memory.buffer, this.dataPtr, this.capacity * this.dim);
  }
}

class JsSq8Buffer implements Sq8Buffer {
  codes: Uint8Array;
  private readonly q: Float32Array;
  private readonly w: Float32Array;
  private readonly w1: Float32Array;
  private readonly w2: Float32Array;
  private readonly out = new Float32Array(SCAN_BLOCK);

  constructor(
    readonly dim: number,
    capacity: number,
  ) {
    this.codes = new Uint8Array(capacity * dim);
    this.q = new Float32Array(dim);
    this.w = new Float32Array(dim);
    this.w1 = new Float32Array(dim);
    this.w2 = new Float32Array(dim);
  }

  reserve(capacity: number): void {
    if (capacity * this.dim <= this.codes.length) return;
    const next = new Uint8Array(Math.max(capacity, (this.codes.length / this.dim) * 2) * this.dim);
    next.set(this.codes);
    this.codes = next;
  }

  setQueryTables(qAdj: Float32Array, weight: Float32Array): void {
    this.q.set(qAdj.subarray(0, this.dim));
    this.w.set(weight.subarray(0, this.dim));
  }

  setPairTables(w1: Float32Array, w2: Float32Array): void {
    this.w1.set(w1.subarray(0, this.dim));
    this.w2.set(w2.subarray(0, this.dim));
  }

  dotQuery(row: number): number {
    const { q, codes, dim } = this;
    const off = row * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += q[i] * codes[off + i];
    return s;
  }

  l2Query(row: number): number {
    const { q, w, codes, dim } = this;
    const off = row * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const d = q[i] - codes[off + i];
      s += w[i] * d * d;
    }
    return s;
  }

  dotRows(a: number, b: number): number {
    const { w1, w2, codes, dim } = this;
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const x = codes[a * dim + i];
      const y = codes[b * dim + i];
      s += w1[i] * (x + y) + w2[i] * x * y;
    }
    return s;
  }

  l2Rows(a: number, b: number): number {
    const { w2, codes, dim } = this;
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const d = codes[a * dim + i] - codes[b * dim + i];
      s += w2[i] * d * d;
    }
    return s;
  }

  scanDot(start: number, count: number): Float32Array {
    for (let i = 0; i < count; i++) this.out[i] = this.dotQuery(start + i);
    return this.out.subarray(0, count);
  }

  scanL2(start: number, count: number): Float32Array {
    for (let i = 0; i < count; i++) this.out[i] = this.l2Query(start + i);
    return this.out.subarray(0, count);
  }
}
