/**
 * Row storage with distance kernels, chosen once per process: WASM SIMD128
 * when the runtime validates a SIMD probe, plain TypeScript otherwise.
 *
 * With WASM, each buffer owns a WebAssembly.Memory laid out as
 * [query slot | output block | id scratch | rows], so a flat scan hands a
 * whole block of rows to WASM in one call, and a graph search writes a
 * node's unvisited neighbours into the id scratch and scores them all in one
 * call, which first touches every row so their cache misses overlap (about
 * 1.5x graph-search QPS at dim 384). Growing the memory detaches old views,
 * so callers must read `rows` and `idScratch` again after `reserve`.
 */
import { dot, l2Squared } from './distances';
import { KERNELS_WASM_BASE64 } from './wasm/kernels-wasm';

/** Rows scored per `scan*` call; the returned view holds at most this many. */
export const SCAN_BLOCK = 4096;
/** Ids scored per `gather*` call (`idScratch.length`). */
export const GATHER_MAX = 4096;

export interface VectorBuffer {
  readonly dim: number;
  /** All rows (capacity x dim); re-read after `reserve`. */
  readonly rows: Float32Array;
  reserve(capacity: number): void;
  setQuery(q: Float32Array, off?: number): void;
  dotQuery(row: number): number;
  l2Query(row: number): number;
  dotRows(a: number, b: number): number;
  l2Rows(a: number, b: number): number;
  /** Scores rows [start, start + count) (count <= SCAN_BLOCK) against the query; the view is reused. */
  scanDot(start: number, count: number): Float32Array;
  scanL2(start: number, count: number): Float32Array;
  /** Row ids for `gather*` (GATHER_MAX entries); re-read after `reserve`. */
  readonly idScratch: Uint32Array;
  /**
   * Scores rows idScratch[0..count) against the query, in order; entry i equals
   * `dotQuery(idScratch[i])` exactly. Only the first `count` entries of the
   * returned view are meaningful, and the next call overwrites them.
   */
  gatherDot(count: number): Float32Array | Float64Array;
  gatherL2(count: number): Float32Array | Float64Array;
  dispose(): void;
}

interface KernelExports {
  dot(a: number, b: number, n: number): number;
  l2(a: number, b: number, n: number): number;
  dot_rows(q: number, rows: number, count: number, dim: number, out: number): void;
  l2_rows(q: number, rows: number, count: number, dim: number, out: number): void;
  dot_ids(q: number, ids: number, count: number, dim: number, data: number, out: number): void;
  l2_ids(q: number, ids: number, count: number, dim: number, data: number, out: number): void;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let pos = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | lookup[clean.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[pos++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// A 1-function module using one SIMD instruction: validates only where SIMD128 exists.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

let compiled: WebAssembly.Module | null | undefined;
let forced: 'js' | undefined;

/** The compiled kernel module, or null when SIMD is missing (or JS is forced). */
export function kernelModule(): WebAssembly.Module | null {
  if (forced === 'js') return null;
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)) {
      compiled = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

export function kernelBackend(): 'wasm-simd' | 'js' {
  return kernelModule() ? 'wasm-simd' : 'js';
}

/** Test hook: force the TypeScript kernels for buffers created afterwards. */
export function forceJsKernels(on: boolean): void {
  forced = on ? 'js' : undefined;
}

export function createVectorBuffer(dim: number, capacity = 16): VectorBuffer {
  const module = kernelModule();
  return module ? new WasmVectorBuffer(module, dim, capacity) : new JsVectorBuffer(dim, capacity);
}

export const PAGE = 65536;

class WasmVectorBuffer implements VectorBuffer {
  rows: Float32Array;
  idScratch: Uint32Array;
  private readonly memory: WebAssembly.Memory;
  private readonly k: KernelExports;
  private heap: Float32Array;
  /** Whole output block, so a gather allocates no view per call. */
  private gathered: Float32Array;
  private readonly queryPtr = 0;
  private readonly outPtr: number;
  private readonly idsPtr: number;
  private readonly dataPtr: number;
  private readonly rowBytes: number;
  private capacity = 0;

  constructor(
    module: WebAssembly.Module,
    readonly dim: number,
    capacity: number,
  ) {
    this.rowBytes = dim * 4;
    this.outPtr = align16(this.rowBytes);
    this.idsPtr = align16(this.outPtr + Math.max(SCAN_BLOCK, GATHER_MAX) * 4);
    this.dataPtr = align16(this.idsPtr + GATHER_MAX * 4);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.dataPtr + capacity * this.rowBytes) / PAGE) });
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    this.heap = new Float32Array(0);
    this.rows = new Float32Array(0);
    this.idScratch = new Uint32Array(0);
    this.gathered = new Float32Array(0);
    this.refresh();
  }

  reserve(capacity: number): void {
    if (capacity <= this.capacity) return;
    const needed = this.dataPtr + capacity * this.rowBytes;
    const have = this.memory.buffer.byteLength;
    // Grow geometrically so appends stay amortised O(1).
    if (needed > have) this.memory.grow(Math.ceil(Math.max(needed - have, have) / PAGE));
    this.refresh();
  }

  setQuery(q: Float32Array, off = 0): void {
    this.heap.set(q.subarray(off, off + this.dim), this.queryPtr >> 2);
  }

  dotQuery(row: number): number {
    return this.k.dot(this.queryPtr, this.dataPtr + row * this.rowBytes, this.dim);
  }

  l2Query(row: number): number {
    return this.k.l2(this.queryPtr, this.dataPtr + row * this.rowBytes, this.dim);
  }

  dotRows(a: number, b: number): number {
    return this.k.dot(this.dataPtr + a * this.rowBytes, this.dataPtr + b * this.rowBytes, this.dim);
  }

  l2Rows(a: number, b: number): number {
    return this.k.l2(this.dataPtr + a * this.rowBytes, this.dataPtr + b * this.rowBytes, this.dim);
  }

  scanDot(start: number, count: number): Float32Array {
    this.k.dot_rows(this.queryPtr, this.dataPtr + start * this.rowBytes, count, this.dim, this.outPtr);
    return this.heap.subarray(this.outPtr >> 2, (this.outPtr >> 2) + count);
  }

  scanL2(start: number, count: number): Float32Array {
    this.k.l2_rows(this.queryPtr, this.dataPtr + start * this.rowBytes, count, this.dim, this.outPtr);
    return this.heap.subarray(this.outPtr >> 2, (this.outPtr >> 2) + count);
  }

  gatherDot(count: number): Float32Array {
    this.k.dot_ids(this.queryPtr, this.idsPtr, count, this.dim, this.dataPtr, this.outPtr);
    return this.gathered;
  }

  gatherL2(count: number): Float32Array {
    this.k.l2_ids(this.queryPtr, this.idsPtr, count, this.dim, this.dataPtr, this.outPtr);
    return this.gathered;
  }

  dispose(): void {
    // WASM memory cannot shrink; dropping the views lets the whole memory be collected.
    this.rows = new Float32Array(0);
    this.capacity = 0;
  }

  private refresh(): void {
    this.heap = new Float32Array(this.memory.buffer);
    this.capacity = Math.floor((this.memory.buffer.byteLength - this.dataPtr) / this.rowBytes);
    this.rows = new Float32Array(this.memory.buffer, this.dataPtr, this.capacity * this.dim);
    this.idScratch = new Uint32Array(this.memory.buffer, this.idsPtr, GATHER_MAX);
    this.gathered = new Float32Array(this.memory.buffer, this.outPtr, GATHER_MAX);
  }
}

export function align16(n: number): number {
  return (n + 15) & ~15;
}

class JsVectorBuffer implements VectorBuffer {
  rows: Float32Array;
  private readonly query: Float32Array;
  private readonly out = new Float32Array(SCAN_BLOCK);
  readonly idScratch = new Uint32Array(GATHER_MAX);
  // Float64: the JS kernels return doubles, and gathering must not round them.
  private readonly gathered = new Float64Array(GATHER_MAX);

  constructor(
    readonly dim: number,
    capacity: number,
  ) {
    this.rows = new Float32Array(capacity * dim);
    this.query = new Float32Array(dim);
  }

  reserve(capacity: number): void {
    if (capacity * this.dim <= this.rows.length) return;
    const next = new Float32Array(Math.max(capacity, (this.rows.length / this.dim) * 2) * this.dim);
    next.set(this.rows);
    this.rows = next;
  }

  setQuery(q: Float32Array, off = 0): void {
    this.query.set(q.subarray(off, off + this.dim));
  }

  dotQuery(row: number): number {
    return dot(this.rows, row * this.dim, this.query, 0, this.dim);
  }

  l2Query(row: number): number {
    return l2Squared(this.rows, row * this.dim, this.query, 0, this.dim);
  }

  dotRows(a: number, b: number): number {
    return dot(this.rows, a * this.dim, this.rows, b * this.dim, this.dim);
  }

  l2Rows(a: number, b: number): number {
    return l2Squared(this.rows, a * this.dim, this.rows, b * this.dim, this.dim);
  }

  scanDot(start: number, count: number): Float32Array {
    const { rows, query, out, dim } = this;
    for (let i = 0, off = start * dim; i < count; i++, off += dim) out[i] = dot(rows, off, query, 0, dim);
    return out.subarray(0, count);
  }

  scanL2(start: number, count: number): Float32Array {
    const { rows, query, out, dim } = this;
    for (let i = 0, off = start * dim; i < count; i++, off += dim) out[i] = l2Squared(rows, off, query, 0, dim);
    return out.subarray(0, count);
  }

  gatherDot(count: number): Float64Array {
    const { rows, query, gathered, idScratch, dim } = this;
    for (let i = 0; i < count; i++) gathered[i] = dot(rows, idScratch[i] * dim, query, 0, dim);
    return gathered;
  }

  gatherL2(count: number): Float64Array {
    const { rows, query, gathered, idScratch, dim } = this;
    for (let i = 0; i < count; i++) gathered[i] = l2Squared(rows, idScratch[i] * dim, query, 0, dim);
    return gathered;
  }

  dispose(): void {
    this.rows = new Float32Array(0);
  }
}
