/**
 * WASM kernels for PQ asymmetric distance computation (ADC), in their own
 * small memory: the m x ksub table is built with SIMD from a codebook kept
 * transposed per sub-space (four centroids per multiply-add; the row-wise
 * `scanDot` kernel spends most of its time per row at dsub = 8), and codes
 * are scored without JS bounds checks. Only for 8-bit codes with m a
 * multiple of 4; `AdcKernel.create` returns null otherwise, or when WASM
 * SIMD is missing, and callers keep their TypeScript loop.
 *
 * Layout: [table m*ksub f32][codebook^T m*dsub*ksub f32][query dim f32]
 * [out cap f32][codes cap*m u8].
 */
import { kernelBackend, PAGE } from '../kernels';
import { ADC_WASM_BASE64 } from './adc-kernel-wasm';

interface AdcExports {
  neg_dot_table(q: number, ct: number, m: number, dsub: number, ksub: number, out: number): void;
  adc_scan_256(table: number, codes: number, n: number, m: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function adcModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const text = atob(ADC_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

export class AdcKernel {
  /** The current table (view into WASM memory; refreshed when the memory grows). */
  table: Float32Array;
  /** Squared norm of every centroid, row j*ksub + c: the l2 table is 2*(-q.r) + |r|^2 + |q|^2. */
  readonly centroidNorms: Float32Array;
  private readonly memory: WebAssembly.Memory;
  private readonly k: AdcExports;
  private heap: Float32Array;
  private bytes: Uint8Array;
  private readonly ctPtr: number;
  private readonly qPtr: number;
  private readonly outPtr: number;
  private capacity = 0;

  private constructor(
    module: WebAssembly.Module,
    readonly m: number,
    readonly ksub: number,
    readonly dsub: number,
    centroids: Float32Array,
  ) {
    const tableBytes = m * ksub * 4;
    this.ctPtr = tableBytes;
    this.qPtr = this.ctPtr + tableBytes * dsub;
    this.outPtr = this.qPtr + ((m * dsub * 4 + 15) & ~15);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(this.outPtr / PAGE) + 1 });
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as AdcExports;
    this.heap = new Float32Array(this.memory.buffer);
    this.bytes = new Uint8Array(this.memory.buffer);
    this.table = this.heap.subarray(0, m * ksub);
    this.centroidNorms = new Float32Array(m * ksub);
    const ct = this.ctPtr >> 2;
    for (let j = 0; j < m; j++) {
      for (let c = 0; c < ksub; c++) {
        const src = (j * ksub + c) * dsub;
        let norm = 0;
        for (let d = 0; d < dsub; d++) {
          const v = centroids[src + d];
          this.heap[ct + (j * dsub + d) * ksub + c] = v;
          norm += v * v;
        }
        this.centroidNorms[j * ksub + c] = norm;
      }
    }
    this.reserve(1024);
  }

  /** A kernel for this codebook (m * ksub * dsub floats, row j*ksub + c), or null where unsupported. */
  static create(m: number, ksub: number, dsub: number, centroids: Float32Array): AdcKernel | null {
    if (ksub !== 256 || m % 4 !== 0 || kernelBackend() !== 'wasm-simd') return null;
    const module = adcModule();
    return module ? new AdcKernel(module, m, ksub, dsub, centroids) : null;
  }

  /** table[j*ksub + c] = minus the inner product of query sub-vector j and centroid c. */
  negDotTable(q: Float32Array, qOff = 0): Float32Array {
    const dim = this.m * this.dsub;
    this.heap.set(q.subarray(qOff, qOff + dim), this.qPtr >> 2);
    this.k.neg_dot_table(this.qPtr, this.ctPtr, this.m, this.dsub, this.ksub, 0);
    return this.table;
  }

  /**
   * Squared l2 table minus the query's squared norm: 2 * (-q.r) + |r|^2, so
   * the full distance is |q|^2 plus the ADC sum.
   */
  l2TableMinusNorm(q: Float32Array, qOff = 0): Float32Array {
    const t = this.negDotTable(q, qOff);
    const norms = this.centroidNorms;
    for (let i = 0; i < t.length; i++) t[i] = 2 * t[i] + norms[i];
    return t;
  }

  /** Room for `n` codes; returns the code area (entry i at i * m). */
  reserve(n: number): Uint8Array {
    if (n > this.capacity) {
      const cap = Math.max(n, this.capacity * 2);
      const needed = this.outPtr + cap * 4 + cap * this.m;
      const have = this.memory.buffer.byteLength;
      if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
      this.capacity = cap;
      this.heap = new Float32Array(this.memory.buffer);
      this.bytes = new Uint8Array(this.memory.buffer);
      this.table = this.heap.subarray(0, this.m * this.ksub);
    }
    const codes = this.outPtr + this.capacity * 4;
    return this.bytes.subarray(codes, codes + this.capacity * this.m);
  }

  /**
   * ADC sums of the first `n` codes in the code area (call `reserve` first)
   * against the current table; entries [0, n) of the returned view.
   */
  scan(n: number): Float32Array {
    const codes = this.outPtr + this.capacity * 4;
    this.k.adc_scan_256(0, codes, n, this.m, this.outPtr);
    return this.heap.subarray(this.outPtr >> 2, (this.outPtr >> 2) + n);
  }
}
