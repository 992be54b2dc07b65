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
  pqM: number;
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
  for (const [ourName, peerName, label] of [
    [`IVF${c.nlist},PQ${c.pqM},Refine(SQ8)`, `IVF${c.nlist},PQ${c.pqM},Refine(SQ8)`, 'ivfpq_vs_faiss'],
    [`IVF${c.nlist},PQ${c.pqM}`, `IVF${c.nlist},PQ${c.pqM}`, 'ivfpq_norefine_vs_faiss'],
  ]) {
    for (const target of [0.5, 0.95]) {
      const a = qpsAtRecall(pick('sift', ourName), target);
      const b = qpsAtRecall(pick('faiss', peerName), target);
      if (a !== undefined && b !== undefined) ratios[`${label}@recall${target}`] = a / b;
    }
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
