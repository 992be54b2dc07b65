/**
 * `npx tsx bench/profile-ivfpq.ts [--nlist 1024] [--pq 32] [--nq 1000] [--rebuild]`
 *
 * Where an IVF-PQ query spends its time on the cached real vectors (run
 * `npm run bench:index -- --real` once to make them): builds the index once
 * and caches it under .cache/bench, then times, per nprobe, the whole search,
 * the coarse search and the ADC table alone, and the exact re-rank path the
 * app uses. The scan (and heap) is the remainder. CPU time, best of 3 passes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIndex } from '../src/engine/indexes/factory';
import { searchWithExactRerank } from '../src/engine/indexes/exact-rerank';
import type { IvfPqIndex } from '../src/engine/indexes/ivf-pq-index';
import { deserializeIndex } from '../src/engine/indexes/serialization';
import type { FlatIndex } from '../src/engine/indexes/flat-index';
import type { AdcKernel } from '../src/engine/vectors/adc/adc-kernel';
import { realEmbeddings } from './index-data';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const nlist = Number(option('nlist', '1024'));
const pqM = Number(option('pq', '32'));
const dir = join(import.meta.dirname, '..', '.cache', 'bench');
const base = join(dir, 'real-static-256d-100000+1000');
const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { dim: number; n: number; nq: number; description: string };
const data = realEmbeddings({ path: `${base}.f32`, label: 'real', ...meta });
const nq = Math.min(data.nq, Number(option('nq', '1000')));
const dim = data.dim;
const cached = join(dir, `ivfpq-${nlist}-pq${pqM}-cosine.bin`);

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}

let index: IvfPqIndex;
if (existsSync(cached) && !args.includes('--rebuild')) {
  index = deserializeIndex(new Uint8Array(readFileSync(cached))) as IvfPqIndex;
} else {
  const t0 = cpu();
  index = createIndex(`IVF${nlist},PQ${pqM}`, dim, 'cosine', { seed: 100 }) as IvfPqIndex;
  index.train!(data.base);
  index.add(Uint32Array.from({ length: data.n }, (_, i) => i), data.base);
  index.compact();
  console.error(`built in ${((cpu() - t0) / 1000).toFixed(1)} s`);
  writeFileSync(cached, index.serialize());
}

/** Best-of-3 CPU microseconds per query for `fn`. */
function time(fn: (q: Float32Array) => void): number {
  for (let q = 0; q < 50; q++) fn(data.queries.subarray(q * dim, (q + 1) * dim));
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = cpu();
    for (let q = 0; q < nq; q++) fn(data.queries.subarray(q * dim, (q + 1) * dim));
    best = Math.min(best, ((cpu() - t0) * 1000) / nq);
  }
  return best;
}

const quantizer = (index as unknown as { quantizer: FlatIndex }).quantizer;
const table = new Float32Array(index.pq.m * index.pq.ksub);
// The ADC kernel when it applies (WASM SIMD, 8-bit codes), else the TypeScript table.
const kernel = (index as unknown as { adcKernel(): AdcKernel | null }).adcKernel();
const buildTable = (q: Float32Array) => (kernel ? kernel.negDotTable(q) : index.pq.negDotTable(q, 0, table));
const read = (ids: Uint32Array) => {
  const out = new Float32Array(ids.length * dim);
  for (let i = 0; i < ids.length; i++) out.set(data.base.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
  return out;
};
const rows: Record<string, string | number>[] = [];
for (const nprobe of [1, 8, 32, 128]) {
  const total = time((q) => index.search(q, 10, { nprobe }));
  const coarse = time((q) => quantizer.search(q, nprobe));
  const tables = time(buildTable);
  const deep = time((q) => index.search(q, 100, { nprobe }));
  const rerank = time((q) => searchWithExactRerank(index, q, 10, { nprobe, kFactor: 10 }, read));
  rows.push({
    nprobe,
    'search µs': total.toFixed(1),
    'coarse µs': coarse.toFixed(1),
    'table µs': tables.toFixed(1),
    'scan+heap µs': (total - coarse - tables).toFixed(1),
    'search k=100 µs': deep.toFixed(1),
    'rerank kF10 µs': rerank.toFixed(1),
    'qps plain': (1e6 / total).toFixed(0),
    'qps rerank': (1e6 / rerank).toFixed(0),
  });
}
console.table(rows);
