/**
 * Product quantizer (Jégou et al.; faiss ProductQuantizer): the vector is cut
 * into `m` sub-vectors and each is replaced by the nearest of 2^nbits
 * centroids learnt for that sub-space, so a vector costs `m` bytes. Search is
 * asymmetric (ADC): per query, a table of m x ksub partial distances, then a
 * code's distance is m table lookups.
 */
import { createError } from '../errors';
import { createVectorBuffer, type VectorBuffer } from './kernels';
import { kmeans } from './kmeans';

export class ProductQuantizer {
  readonly dsub: number;
  readonly ksub: number;
  private cents: Float32Array;
  /**
   * All m * ksub centroids as rows of a single kernel buffer (one WASM
   * memory, not m), built on first use; sub-space j is rows [j*ksub, (j+1)*ksub).
   */
  private kernel: VectorBuffer | null = null;

  constructor(
    readonly dim: number,
    readonly m: number,
    readonly nbits = 8,
  ) {
    if (!Number.isInteger(m) || m < 1 || dim % m !== 0) {
      throw createError('INVALID_ARGUMENT', `PQ: m=${m} must divide dim=${dim}.`, { dim, m });
    }
    if (!Number.isInteger(nbits) || nbits < 1 || nbits > 8) {
      throw createError('INVALID_ARGUMENT', `PQ: nbits=${nbits} must be 1..8.`, { nbits });
    }
    this.dsub = dim / m;
    this.ksub = 1 << nbits;
    this.cents = new Float32Array(m * this.ksub * this.dsub);
  }

  get centroids(): Float32Array {
    return this.cents;
  }

  set centroids(value: Float32Array) {
    if (value.length !== this.cents.length) {
      throw createError('INVALID_ARGUMENT', 'PQ centroid table has the wrong size.', { length: value.length });
    }
    this.cents = value;
    this.kernel = null;
  }

  get codeSize(): number {
    return this.m;
  }

  /**
   * Trains each sub-space on at most `maxTrainPoints` rows (default 32 per
   * centroid; faiss allows 256, which costs 8x the time in JS for little gain).
   */
  train(vectors: Float32Array, options: { seed?: number; maxTrainPoints?: number; iterations?: number } = {}): void {
    const { dim, dsub, ksub } = this;
    const total = vectors.length / dim;
    const n = Math.min(total, options.maxTrainPoints ?? 32 * ksub);
    // Evenly strided rows: deterministic and spread over the whole input.
    const stride = total / n;
    const sub = new Float32Array(n * dsub);
    for (let j = 0; j < this.m; j++) {
      for (let i = 0; i < n; i++) {
        const row = Math.floor(i * stride);
        sub.set(vectors.subarray(row * dim + j * dsub, row * dim + (j + 1) * dsub), i * dsub);
      }
      const { centroids } = kmeans(sub, dsub, ksub, {
        seed: (options.seed ?? 1234) + j,
        iterations: options.iterations ?? 15,
        maxPointsPerCentroid: Infinity,
      });
      this.cents.set(centroids, j * ksub * dsub);
    }
    this.kernel = null;
  }

  private buffer(): VectorBuffer {
    if (this.kernel) return this.kernel;
    const rows = this.m * this.ksub;
    const buf = createVectorBuffer(this.dsub, rows);
    buf.reserve(rows);
    buf.rows.set(this.cents);
    this.kernel = buf;
    return buf;
  }

  encode(vectors: Float32Array, vOff: number, codes: Uint8Array, cOff: number): void {
    const { dsub, ksub } = this;
    const buf = this.buffer();
    for (let j = 0; j < this.m; j++) {
      buf.setQuery(vectors, vOff + j * dsub);
      const scores = buf.scanL2(j * ksub, ksub);
      let best = Infinity;
      let bestC = 0;
      for (let c = 0; c < ksub; c++) {
        if (scores[c] < best) {
          best = scores[c];
          bestC = c;
        }
      }
      codes[cOff + j] = bestC;
    }
  }

  decode(codes: Uint8Array, cOff: number, out: Float32Array, outOff = 0): void {
    const { dsub, ksub } = this;
    for (let j = 0; j < this.m; j++) {
      const c = codes[cOff + j];
      out.set(this.cents.subarray((j * ksub + c) * dsub, (j * ksub + c + 1) * dsub), outOff + j * dsub);
    }
  }

  /** table[j * ksub + c] = squared l2 between sub-vector j of the query and centroid c. */
  l2Table(q: Float32Array, qOff: number, table: Float32Array): void {
    const { dsub, ksub } = this;
    const buf = this.buffer();
    for (let j = 0; j < this.m; j++) {
      buf.setQuery(q, qOff + j * dsub);
      table.set(buf.scanL2(j * ksub, ksub), j * ksub);
    }
  }

  /** table[j * ksub + c] = minus the inner product (smaller is closer, like a distance). */
  negDotTable(q: Float32Array, qOff: number, table: Float32Array): void {
    const { dsub, ksub } = this;
    const buf = this.buffer();
    for (let j = 0; j < this.m; j++) {
      buf.setQuery(q, qOff + j * dsub);
      const scores = buf.scanDot(j * ksub, ksub);
      for (let c = 0; c < ksub; c++) table[j * ksub + c] = -scores[c];
    }
  }

  /** Sum of table entries selected by one code (the ADC distance). */
  adc(table: Float32Array, codes: Uint8Array, cOff: number): number {
    const ksub = this.ksub;
    let s = 0;
    for (let j = 0, t = 0; j < this.m; j++, t += ksub) s += table[t + codes[cOff + j]];
    return s;
  }
}
