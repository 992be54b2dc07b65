/**
 * 8-bit scalar quantization with a per-dimension range (faiss's SQ8): each
 * value becomes round((x - min) / step) in 0..255. Distances are asymmetric:
 * the query stays in float, and `setQuery` folds the ranges into the query
 * once so each code costs one multiply-add per dimension.
 */
import type { Metric } from '../indexes/vector-index';
import type { Sq8Buffer } from './sq8-buffer';

export class ScalarQuantizer {
  readonly vmin: Float32Array;
  readonly step: Float32Array;
  private readonly qAdj: Float32Array;
  private readonly weight: Float32Array;
  private qConst = 0;
  private pairConst = 0;

  constructor(
    readonly dim: number,
    readonly metric: Metric,
    vmin?: Float32Array,
    step?: Float32Array,
  ) {
    this.vmin = vmin ?? new Float32Array(dim);
    this.step = step ?? new Float32Array(dim);
    this.qAdj = new Float32Array(dim);
    this.weight = new Float32Array(dim);
  }

  /** Learns each dimension's range from prepared (already normalized) vectors. */
  train(vectors: Float32Array): void {
    const dim = this.dim;
    const n = vectors.length / dim;
    const lo = new Float32Array(dim).fill(Infinity);
    const hi = new Float32Array(dim).fill(-Infinity);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < dim; i++) {
        const v = vectors[r * dim + i];
        if (v < lo[i]) lo[i] = v;
        if (v > hi[i]) hi[i] = v;
      }
    }
    for (let i = 0; i < dim; i++) {
      if (lo[i] === Infinity) lo[i] = hi[i] = 0;
      this.vmin[i] = lo[i];
      this.step[i] = (hi[i] - lo[i]) / 255;
    }
  }

  encode(vectors: Float32Array, vOff: number, codes: Uint8Array, cOff: number): void {
    const { dim, vmin, step } = this;
    for (let i = 0; i < dim; i++) {
      const s = step[i];
      const q = s > 0 ? Math.round((vectors[vOff + i] - vmin[i]) / s) : 0;
      codes[cOff + i] = q < 0 ? 0 : q > 255 ? 255 : q;
    }
  }

  decode(codes: Uint8Array, cOff: number, out: Float32Array, outOff = 0): void {
    for (let i = 0; i < this.dim; i++) out[outOff + i] = this.vmin[i] + this.step[i] * codes[cOff + i];
  }

  /** Prepares the per-query tables used by `distanceToQuery`. */
  setQuery(q: Float32Array, qOff = 0): void {
    const { dim, vmin, step, qAdj, weight } = this;
    let c = 0;
    if (this.metric === 'l2') {
      for (let i = 0; i < dim; i++) {
        const s = step[i];
        const centred = q[qOff + i] - vmin[i];
        if (s > 0) {
          qAdj[i] = centred / s;
          weight[i] = s * s;
        } else {
          qAdj[i] = 0;
          weight[i] = 0;
          c += centred * centred;
        }
      }
    } else {
      for (let i = 0; i < dim; i++) {
        qAdj[i] = q[qOff + i] * step[i];
        c += q[qOff + i] * vmin[i];
      }
    }
    this.qConst = c;
  }

  distanceToQuery(codes: Uint8Array, cOff: number): number {
    const { dim, qAdj } = this;
    if (this.metric === 'l2') {
      const w = this.weight;
      let s0 = 0;
      let s1 = 0;
      let i = 0;
      for (; i + 1 < dim; i += 2) {
        const d0 = qAdj[i] - codes[cOff + i];
        const d1 = qAdj[i + 1] - codes[cOff + i + 1];
        s0 += w[i] * d0 * d0;
        s1 += w[i + 1] * d1 * d1;
      }
      if (i < dim) {
        const d = qAdj[i] - codes[cOff + i];
        s0 += w[i] * d * d;
      }
      return this.qConst + s0 + s1;
    }
    let s0 = 0;
    let s1 = 0;
    let i = 0;
    for (; i + 1 < dim; i += 2) {
      s0 += qAdj[i] * codes[cOff + i];
      s1 += qAdj[i + 1] * codes[cOff + i + 1];
    }
    if (i < dim) s0 += qAdj[i] * codes[cOff + i];
    const ip = this.qConst + s0 + s1;
    return this.metric === 'cosine' ? 1 - ip : -ip;
  }

  /** Loads this query's tables into a kernel buffer; pair with `queryDistance`. */
  loadQuery(q: Float32Array, qOff: number, buf: Sq8Buffer): void {
    this.setQuery(q, qOff);
    buf.setQueryTables(this.qAdj, this.weight);
  }

  /** Converts a kernel's raw query score (dotQuery / l2Query) into a distance. */
  queryDistance(raw: number): number {
    if (this.metric === 'l2') return this.qConst + raw;
    const ip = this.qConst + raw;
    return this.metric === 'cosine' ? 1 - ip : -ip;
  }

  /** Loads the code-to-code tables (after training or loading); pair with `pairDistance`. */
  loadPairs(buf: Sq8Buffer): void {
    const { dim, vmin, step } = this;
    const w1 = new Float32Array(dim);
    const w2 = new Float32Array(dim);
    let c = 0;
    for (let i = 0; i < dim; i++) {
      w1[i] = vmin[i] * step[i];
      w2[i] = step[i] * step[i];
      c += vmin[i] * vmin[i];
    }
    this.pairConst = c;
    buf.setPairTables(w1, w2);
  }

  pairDistance(raw: number): number {
    if (this.metric === 'l2') return raw;
    const ip = this.pairConst + raw;
    return this.metric === 'cosine' ? 1 - ip : -ip;
  }

  /** Distance between two stored codes (graph construction), decoding both. */
  distanceBetweenCodes(codes: Uint8Array, aOff: number, bOff: number): number {
    const { dim, vmin, step } = this;
    let s = 0;
    if (this.metric === 'l2') {
      for (let i = 0; i < dim; i++) {
        const d = step[i] * (codes[aOff + i] - codes[bOff + i]);
        s += d * d;
      }
      return s;
    }
    for (let i = 0; i < dim; i++) {
      s += (vmin[i] + step[i] * codes[aOff + i]) * (vmin[i] + step[i] * codes[bOff + i]);
    }
    return this.metric === 'cosine' ? 1 - s : -s;
  }
}
