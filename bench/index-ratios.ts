/** Turns benchmark rows into the CONTRACTS.md ratios (above 1 means ours is faster). */
export interface Row {
  engine: string;
  index: string;
  params: Record<string, unknown>;
  env: string;
  'recall@10': number;
  qps: number;
  build_s: number;
  bytes_per_vector: number;
  qps_wall?: number;
  /** Label of the data set the row ran on. */
  data?: string;
  /** Memory that does not grow with the collection (centroids, codebooks). */
  fixed_bytes?: number;
}

/**
 * Points of a sweep over several knobs (nprobe x kFactor) that no other point
 * beats on both recall and QPS, so `qpsAtRecall` sees one monotone curve.
 */
export function paretoFront(rows: Row[]): Row[] {
  const byQps = [...rows].sort((a, b) => b.qps - a.qps || b['recall@10'] - a['recall@10']);
  const front: Row[] = [];
  let best = -Infinity;
  for (const r of byQps) {
    if (r['recall@10'] > best) {
      front.push(r);
      best = r['recall@10'];
    }
  }
  return front;
}

/**
 * QPS at a target recall along one parameter sweep: log-linear interpolation
 * between the two points that bracket the target; undefined if never reached.
 */
export function qpsAtRecall(rows: Row[], target: number): number | undefined {
  const pts = [...rows].sort((a, b) => a['recall@10'] - b['recall@10'] || b.qps - a.qps);
  const above = pts.findIndex((r) => r['recall@10'] >= target);
  if (above < 0) return undefined;
  if (above === 0) return pts[0].qps;
  const lo = pts[above - 1];
  const hi = pts[above];
  const t = (target - lo['recall@10']) / (hi['recall@10'] - lo['recall@10']);
  return Math.exp(Math.log(lo.qps) + t * (Math.log(hi.qps) - Math.log(lo.qps)));
}

export interface RatioContext {
  n: number;
  dim: number;
  membw?: number;
  /** Flat scan bytes/s over a block much larger than the caches. */
  flatScan?: number;
  m: number;
  efConstruction: number;
  nlist: number;
  /** PQ sub-quantizer counts that were run; the first is the app's choice (dim / 8). */
  pqMs: number[];
}

export function computeRatios(rows: Row[], c: RatioContext): { ratios: Record<string, number>; extra: string[] } {
  const ratios: Record<string, number> = {};
  const extra: string[] = [];
  const pick = (engine: string, index: string) => rows.filter((r) => r.engine === engine && r.index === index);
  const ours = pick('sift', `HNSW${c.m}`);
  const peer = pick('hnswlib', `HNSW${c.m}`);
  for (const target of [0.9, 0.95, 0.99]) {
    const a = qpsAtRecall(ours, target);
    const b = qpsAtRecall(peer, target);
    if (a !== undefined && b !== undefined) ratios[`hnsw_vs_hnswlib@recall${target}`] = a / b;
    else if (peer.length) extra.push(`hnsw_vs_hnswlib@recall${target}: not reached (ours ${a}, hnswlib ${b})`);
  }
  if (ours.length && peer.length) {
    ratios[`hnsw_build_vs_hnswlib@M${c.m}-efC${c.efConstruction}`] = peer[0].build_s / ours[0].build_s;
    const deltas = ours
      .map((r) => {
        const p = peer.find((x) => x.params.efSearch === r.params.efSearch);
        return p ? `ef${r.params.efSearch}: ${(r['recall@10'] - p['recall@10']).toFixed(3)}` : '';
      })
      .filter(Boolean);
    extra.push(`HNSW recall minus hnswlib recall at equal M/efC/ef: ${deltas.join(', ')}`);
  }
  // IVF-PQ + exact re-rank of k*kFactor (ours: floats from outside the index;
  // faiss: IndexRefineFlat), compared at equal recall on each side's best
  // nprobe x kFactor front. `ivfpq_vs_faiss` is for the smallest m that
  // reaches 0.95; every m also gets its own `ivfpq_m<M>_vs_faiss`.
  let headline = false;
  for (const pqM of c.pqMs) {
    const oursRows = pick('sift', `IVF${c.nlist},PQ${pqM}+exact-rerank`);
    const faissRows = pick('faiss', `IVF${c.nlist},PQ${pqM},RFlat`);
    const best = Math.max(0, ...oursRows.map((r) => r['recall@10']));
    const reach = oursRows.filter((r) => r['recall@10'] >= 0.95);
    const bytes = oursRows[0]?.bytes_per_vector;
    if (oursRows.length) {
      extra.push(
        `IVF${c.nlist},PQ${pqM} + exact re-rank: max recall@10 ${best.toFixed(3)} at ${bytes?.toFixed(2)} bytes/vector ` +
          `(m + 8 = ${pqM + 8}); ` +
          (reach.length
            ? `>= 0.95 from ${JSON.stringify(paretoFront(reach)[0]?.params)}`
            : 'never reaches 0.95'),
      );
    }
    for (const target of [0.9, 0.95, 0.99]) {
      const a = qpsAtRecall(paretoFront(oursRows), target);
      const b = qpsAtRecall(paretoFront(faissRows), target);
      if (a === undefined || b === undefined) continue;
      ratios[`ivfpq_m${pqM}_vs_faiss@recall${target}`] = a / b;
      if (target === 0.95 && !headline) {
        ratios['ivfpq_vs_faiss@recall0.95'] = a / b;
        extra.push(`ivfpq_vs_faiss@recall0.95 is for m = ${pqM}`);
        headline = true;
      }
    }
    const plain = qpsAtRecall(pick('sift', `IVF${c.nlist},PQ${pqM}`), 0.5);
    const faissPlain = qpsAtRecall(pick('faiss', `IVF${c.nlist},PQ${pqM}`), 0.5);
    if (plain !== undefined && faissPlain !== undefined) ratios[`ivfpq_m${pqM}_adc_vs_faiss@recall0.5`] = plain / faissPlain;
  }
  const flat = pick('sift', 'Flat')[0];
  const faissFlat = pick('faiss', 'Flat')[0];
  if (flat && faissFlat) ratios['flat_vs_faiss@exact'] = flat.qps / faissFlat.qps;
  if (c.flatScan && c.membw) {
    ratios.flat_vs_membw = c.flatScan / c.membw;
    extra.push(
      `flat scan ${(c.flatScan / 1e9).toFixed(2)} GB/s (256 MiB of vectors, beyond the caches) vs memory read ` +
        `bandwidth ${(c.membw / 1e9).toFixed(2)} GB/s (numpy float32 sum over 256 MiB)`,
    );
  }
  if (flat) extra.push(`flat scan on the ${c.n}-vector set: ${((flat.qps * c.n * c.dim * 4) / 1e9).toFixed(2)} GB/s`);
  return { ratios, extra };
}
