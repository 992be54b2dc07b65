/**
 * `npm run bench:index [-- --json FILE] [--n 20000] [--nq 200] [--dim 384]
 *  [--real | --gaussian | --vectors FILE.f32] [--no-peers] [--quick] [--skip-hnsw]
 *  [--only ivfpq] [--pq M]`
 *
 * Data: `--real` embeds 100k + 1000 held-out Debian-text passages with the
 * app's own model (bench/make-real-vectors.ts; cached under .cache/bench,
 * dimension = the model's); `--gaussian` is isotropic random vectors (the
 * labelled worst case); the default is a synthetic Gaussian mixture. Every
 * row carries `data` with the set's label.
 *
 * IVF-PQ runs codes-only (m + 4 bytes a vector) with an exact re-rank of the
 * top k * kFactor from float vectors outside the index, as the app does from
 * IndexedDB; here a Float32Array stands in for the store, and QPS includes
 * copying the candidates' rows out of it. faiss runs IVF-PQ + IndexRefineFlat
 * with the same k * kFactor, for m = dim/8 and dim/4.
 *
 * Builds every index kind on the same data, sweeps its per-query knob, and
 * runs native hnswlib and faiss (Debian python3 packages, one thread) on the
 * same vectors through `bench/index-peers.py`. Recall is against our exact
 * Flat index. Writes the CONTRACTS.md benchmark JSON. `qps` and `build_s`
 * use process CPU time on both sides (rows also carry `qps_wall`), because
 * the machine is shared and wall time mostly measures the neighbours.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIndex } from '../src/engine/indexes/factory';
import { recallAtK } from '../src/engine/indexes/recall';
import type { SearchParams, SearchResult, VectorIndex } from '../src/engine/indexes/vector-index';
import { kernelBackend } from '../src/engine/vectors/kernels';
import { createRandom } from '../src/engine/vectors/random';
import { FlatIndex } from '../src/engine/indexes/flat-index';
import { searchWithExactRerank } from '../src/engine/indexes/exact-rerank';
import { fileEmbeddings, gaussianEmbeddings, realEmbeddings, syntheticEmbeddings, type BenchData } from './index-data';
import { computeRatios, type Row } from './index-ratios';
import { ensureRealVectors } from './make-real-vectors';
import { runBrowserIndexBench, type BrowserIndexBenchResult } from './index-browser';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const quick = flag('quick');
const real = flag('real');
const n = Number(option('n', quick ? '5000' : real ? '100000' : '20000'));
const nq = Number(option('nq', quick ? '100' : real ? '1000' : '200'));
/** Set from the data once loaded (the real set has the model's dimension). */
let dim = Number(option('dim', '384'));
const k = 10;
const m = Number(option('m', '16'));
const efConstruction = Number(option('efc', '200'));
const nlist = Number(option('nlist', String(n >= 50000 ? 1024 : n >= 10000 ? 256 : 64)));
const efSweep = [10, 16, 24, 32, 48, 64, 96, 128, 256, 512];
const nprobeSweep = [1, 2, 4, 8, 16, 32, 64, 128, 256].filter((p) => p <= nlist / 4);
const kFactors = [10, 20, 50];
/** Refine(SQ8) rows use this kFactor, as before. */
const kFactor = 10;
const jsonPath = option('json', '');
const envLabel = () =>
  `node ${process.version} ${process.arch}, ${cpus().length} cores, 1 thread, kernels: ${kernelBackend()}, qps and build_s on process CPU time, dim ${dim}`;
const EXTERNAL_VECTORS = 'float rows copied per query from a Float32Array standing in for IndexedDB';

const log = (...parts: unknown[]) => console.error(...parts);

/**
 * Process CPU seconds. The bench machine is shared, so wall time mostly
 * measures the neighbours; both sides are timed on their own CPU time.
 */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Reads float rows by id out of the base set, as the app reads them from the store. */
function externalVectors(data: BenchData): (ids: Uint32Array) => Float32Array {
  return (ids) => {
    const out = new Float32Array(ids.length * dim);
    for (let i = 0; i < ids.length; i++) out.set(data.base.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
    return out;
  };
}

function runQueries(
  index: VectorIndex,
  data: BenchData,
  params: SearchParams,
  rerank = false,
): { results: SearchResult[]; qps: number; qpsWall: number } {
  const read = externalVectors(data);
  const query = (q: number) => {
    const vector = data.queries.subarray(q * dim, (q + 1) * dim);
    return rerank ? searchWithExactRerank(index, vector, k, params, read) : index.search(vector, k, params);
  };
  for (let q = 0; q < Math.min(20, data.nq); q++) query(q); // JIT warm-up
  let best = Infinity;
  let bestWall = Infinity;
  let results: SearchResult[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const out: SearchResult[] = [];
    const c0 = cpuSeconds();
    const t0 = performance.now();
    for (let q = 0; q < data.nq; q++) out.push(query(q));
    bestWall = Math.min(bestWall, (performance.now() - t0) / 1000);
    best = Math.min(best, cpuSeconds() - c0);
    results = out;
  }
  return { results, qps: data.nq / best, qpsWall: data.nq / bestWall };
}

function bytesPerVector(index: VectorIndex): number {
  const b = (index as { bytesPerVector?: number }).bytesPerVector;
  return b ?? index.dim * 4 + 4;
}

function build(description: string, data: BenchData, ids: Uint32Array): { index: VectorIndex; buildS: number } {
  const c0 = cpuSeconds();
  const index = createIndex(description, data.dim, 'cosine', { seed: 100, efConstruction });
  if (index.train) index.train(data.base);
  index.add(ids, data.base);
  // The app packs IVF lists after a bulk build (and loading packs them too).
  (index as { compact?: () => void }).compact?.();
  return { index, buildS: cpuSeconds() - c0 };
}

/**
 * Flat scan throughput on a block far larger than the last-level cache, so
 * flat_vs_membw compares like with like (the main data set may fit in L3).
 */
function flatScanBytesPerSecond(rows: number): number {
  const random = createRandom(7);
  const flat = new FlatIndex(dim, 'dot', { capacity: rows });
  const batch = 8192;
  const vectors = new Float32Array(batch * dim);
  for (let start = 0; start < rows; start += batch) {
    for (let i = 0; i < vectors.length; i++) vectors[i] = random.next() - 0.5;
    const count = Math.min(batch, rows - start);
    flat.add(Uint32Array.from({ length: count }, (_, i) => start + i), vectors.subarray(0, count * dim));
  }
  const q = vectors.subarray(0, dim);
  flat.search(q, k);
  let best = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    const c0 = cpuSeconds();
    for (let r = 0; r < 4; r++) flat.search(q, k);
    best = Math.min(best, (cpuSeconds() - c0) / 4);
  }
  flat.dispose();
  return (rows * dim * 4) / best;
}

async function loadData(): Promise<BenchData> {
  const vectorsPath = option('vectors', '');
  if (real) return realEmbeddings(await ensureRealVectors(n, nq));
  if (flag('gaussian')) return gaussianEmbeddings(n, nq, dim);
  return vectorsPath ? fileEmbeddings(vectorsPath, dim, n, nq) : syntheticEmbeddings(n, nq, dim);
}

async function main(): Promise<void> {
  const data = await loadData();
  dim = data.dim;
  const pqMs = option('pq', '') ? [Number(option('pq', ''))] : [dim / 8, dim / 4];
  log(`data: ${data.name}; n=${data.n}, queries=${data.nq}, dim=${dim}; ${envLabel()}`);
  const ids = Uint32Array.from({ length: data.n }, (_, i) => i);
  const rows: Row[] = [];
  const sweep = (
    description: string,
    index: VectorIndex,
    buildS: number,
    exact: SearchResult[],
    params: SearchParams[],
    rerank = false,
  ): void => {
    for (const p of params) {
      const { results, qps, qpsWall } = runQueries(index, data, p, rerank);
      const { filter: _f, ...shown } = p;
      const fixed = (index as { fixedBytes?: number }).fixedBytes;
      const row: Row = {
        engine: 'sift',
        index: description,
        params: rerank ? { ...shown, rerank: 'exact', vectors: EXTERNAL_VECTORS } : shown,
        env: envLabel(),
        data: data.label,
        'recall@10': recallAtK(exact, results, k),
        qps,
        build_s: buildS,
        bytes_per_vector: bytesPerVector(index),
        qps_wall: qpsWall,
        ...(fixed !== undefined ? { fixed_bytes: fixed } : {}),
      };
      rows.push(row);
      log(`  ${description} ${JSON.stringify(shown)} recall=${row['recall@10'].toFixed(3)} qps=${qps.toFixed(0)}`);
    }
  };

  // --only ivfpq: Flat (for the truth) and IVF-PQ, against faiss only.
  const onlyIvfPq = option('only', '') === 'ivfpq';
  const skipHnsw = flag('skip-hnsw') || onlyIvfPq;
  const flat = build('Flat', data, ids);
  const exact = runQueries(flat.index, data, {}).results;
  sweep('Flat', flat.index, flat.buildS, exact, [{}]);
  const truth = new Uint32Array(data.nq * k);
  exact.forEach((r, q) => truth.set(r.ids, q * k));

  if (!skipHnsw) {
    const hnsw = build(`HNSW${m}`, data, ids);
    log(`HNSW${m} built in ${hnsw.buildS.toFixed(1)} s`);
    sweep(`HNSW${m}`, hnsw.index, hnsw.buildS, exact, efSweep.map((efSearch) => ({ efSearch })));
    hnsw.index.dispose();

    // A second graph build doubles the run time at 100k; --all keeps it.
    if (data.n < 50000 || flag('all')) {
      const hnswSq = build(`HNSW${m},SQ8`, data, ids);
      log(`HNSW${m},SQ8 built in ${hnswSq.buildS.toFixed(1)} s`);
      sweep(`HNSW${m},SQ8`, hnswSq.index, hnswSq.buildS, exact, [32, 64, 128].map((efSearch) => ({ efSearch })));
      hnswSq.index.dispose();
    }
  }

  if (!onlyIvfPq) {
    const sq8 = build('SQ8', data, ids);
    sweep('SQ8', sq8.index, sq8.buildS, exact, [{}]);
    sq8.index.dispose();

    const ivf = build(`IVF${nlist},Flat`, data, ids);
    sweep(`IVF${nlist},Flat`, ivf.index, ivf.buildS, exact, nprobeSweep.map((nprobe) => ({ nprobe })));
    ivf.index.dispose();
  }

  for (const pqM of pqMs) {
    // Codes only: plain ADC, then ADC + exact re-rank from outside the index.
    const desc = `IVF${nlist},PQ${pqM}`;
    const ivfpq = build(desc, data, ids);
    log(`${desc} built in ${ivfpq.buildS.toFixed(1)} s, ${bytesPerVector(ivfpq.index).toFixed(2)} bytes/vector`);
    sweep(desc, ivfpq.index, ivfpq.buildS, exact, nprobeSweep.map((nprobe) => ({ nprobe })));
    const reranked = nprobeSweep.flatMap((nprobe) => kFactors.map((f) => ({ nprobe, kFactor: f })));
    sweep(`${desc}+exact-rerank`, ivfpq.index, ivfpq.buildS, exact, reranked, true);
    ivfpq.index.dispose();
  }
  if (flag('sq8-refine')) {
    const desc = `IVF${nlist},PQ${pqMs[0]},Refine(SQ8)`;
    const ivfpq = build(desc, data, ids);
    sweep(desc, ivfpq.index, ivfpq.buildS, exact, nprobeSweep.map((nprobe) => ({ nprobe, kFactor })));
    ivfpq.index.dispose();
  }

  let membw: number | undefined;
  const notes: string[] = [`data (${data.label}): ${data.name}`];
  if (!flag('no-peers')) {
    const peers = runPeers(data, truth, pqMs, skipHnsw);
    for (const r of peers.rows) r.data = data.label;
    rows.push(...peers.rows);
    membw = peers.membw;
    notes.push(...peers.errors);
  }
  // --- Browser half (bench/index-browser.ts): our HNSW/Flat in a Chromium worker beside
  // hnswlib-wasm, plus the IndexedDB load of a 100k x 384 HNSW32 (not with --quick).
  // On by default up to n = 20000 (a few minutes); --browser forces it, --no-browser skips.
  let browser: BrowserIndexBenchResult | undefined;
  if (flag('browser') || (!flag('no-browser') && data.n <= 20000)) {
    browser = await runBrowserIndexBench({ data, m, efConstruction, efSweep, k, nativeRows: rows, load: quick ? false : {}, log });
    rows.push(...browser.rows);
    notes.push(...browser.notes);
  }
  // --- end browser half
  const membwRows = Number(option('membw-rows', String(Math.ceil((256 << 20) / (dim * 4)))));
  const flatScan = flatScanBytesPerSecond(membwRows);
  log(`flat scan over ${membwRows} rows (${((membwRows * dim * 4) / 2 ** 20).toFixed(0)} MiB): ${(flatScan / 1e9).toFixed(2)} GB/s`);
  const { ratios, extra } = computeRatios(rows, { n: data.n, dim, membw, flatScan, m, efConstruction, nlist, pqMs });
  notes.push(...extra);
  if (browser) Object.assign(ratios, browser.ratios);
  const out = { rows, ratios, figures: browser?.figures, notes, dataset: { label: data.label, name: data.name, n: data.n, nq: data.nq, dim } };
  console.log(JSON.stringify({ ratios, notes }, null, 2));
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify(out, null, 2));
}

function peersAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import hnswlib, faiss, numpy'], { stdio: 'ignore' }).status === 0;
}

function runPeers(data: BenchData, truth: Uint32Array, pqMs: number[], skipHnsw: boolean): { rows: Row[]; membw?: number; errors: string[] } {
  if (!peersAvailable() && !flag('no-install')) {
    log('installing python3-hnswlib and python3-faiss with apt-get...');
    const packages = ['python3-hnswlib', 'python3-faiss', 'libopenblas0-pthread'];
    if (spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'ignore' }).status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'ignore' });
      spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'ignore' });
    }
  }
  if (!peersAvailable()) return { rows: [], errors: ['peers skipped: /usr/bin/python3 cannot import hnswlib and faiss'] };
  const dir = mkdtempSync(join(tmpdir(), 'sift-bench-'));
  try {
    const file = (name: string, a: ArrayBufferView) => {
      const path = join(dir, name);
      writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return path;
    };
    const config = {
      dim: data.dim,
      k,
      base: file('base.f32', data.base),
      queries: file('queries.f32', data.queries),
      truth: file('truth.u32', truth),
      hnsw_m: skipHnsw ? [] : [m],
      ef_construction: efConstruction,
      ef_search: efSweep,
      faiss_ivf: pqMs.flatMap((pqM) => [`IVF${nlist},PQ${pqM}`, `IVF${nlist},PQ${pqM},RFlat`]),
      nprobe: nprobeSweep,
      k_factor: kFactor,
      k_factors: kFactors,
    };
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));
    log('running native peers (hnswlib, faiss)...');
    const script = new URL('./index-peers.py', import.meta.url).pathname;
    const res = spawnSync('/usr/bin/python3', [script, configPath], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    if (res.status !== 0) return { rows: [], errors: [`peers failed: ${res.stderr.slice(-2000)}`] };
    const parsed = JSON.parse(res.stdout) as { rows: Row[]; membw_bytes_per_s: number; errors: string[] };
    for (const r of parsed.rows) log(`  ${r.engine} ${r.index} ${JSON.stringify(r.params)} recall=${r['recall@10'].toFixed(3)} qps=${r.qps.toFixed(0)}`);
    return { rows: parsed.rows, membw: parsed.membw_bytes_per_s, errors: parsed.errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
