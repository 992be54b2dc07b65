/**
 * The browser half of `npm run bench:index`: our Flat and HNSW in a Chromium
 * Web Worker beside hnswlib-wasm (same page, same worker, same vectors and
 * parameters), and the IndexedDB load time of a saved HNSW index through the
 * app's own snapshot code. Bundles bench/index-browser-entry.ts with esbuild
 * into .cache/, serves vectors as raw files (no base64), drives Chromium with
 * Playwright. `qps` and `build_s` are on the worker thread's CPU time (read
 * from /proc by bench/thread-cpu-clock.ts, like the Node and native rows),
 * with performance.now() wall time beside them; best of two passes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { launchChromium, removeDir, serveStatic, type ChromiumSession } from './browser-harness';
import type { BenchData } from './index-data';
import type { EngineOutcome, IndexTask, SearchOutcome } from './index-browser-entry';
import type { LoadOutcome, LoadTask, SaveOutcome } from './index-browser-load';
import { workerCpuClock } from './thread-cpu-clock';
import { ensureLoadFixture, type LoadFixture, type LoadFixtureSpec } from './index-load-fixture';
import { qpsAtRecall, type Row } from './index-ratios';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CACHE = join(ROOT, '.cache/index-browser');

export interface BrowserIndexBenchOptions {
  data: BenchData;
  m: number;
  efConstruction: number;
  efSweep: number[];
  k?: number;
  seed?: number;
  /** Run hnswlib-wasm beside ours (default true). */
  peer?: boolean;
  /** Native hnswlib rows from the Node side, for hnsw_chromium_vs_hnswlib. */
  nativeRows?: Row[];
  /** The IndexedDB load test (default 100k x 384 HNSW32); false skips it. */
  load?: Partial<LoadFixtureSpec> | false;
  /** Seconds each timed pass lasts at least (default 0.3). */
  minTime?: number;
  log?: (msg: string) => void;
}

export interface BrowserIndexBenchResult {
  rows: Row[];
  ratios: Record<string, number>;
  /** Figures that are not ratios, e.g. the IndexedDB load time. */
  figures: Record<string, number>;
  notes: string[];
}

const ENGINE = 'sift-chromium-worker';

async function bundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const outDir = join(CACHE, 'bundle');
  await esbuild.build({
    entryPoints: [join(ROOT, 'bench/index-browser-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(outDir, 'index-bench.js'),
    logLevel: 'error',
  });
  return outDir;
}

const opened = new WeakMap<ChromiumSession, Page>();

/** The session's page, loaded afresh (a new page and worker); set up once per session. */
async function openPage(session: ChromiumSession, url: string, log: (msg: string) => void): Promise<Page> {
  let page = opened.get(session);
  if (!page) {
    await session.context.exposeFunction('__siftWorkerCpu', workerCpuClock(session.profileDir));
    page = session.context.pages()[0] ?? (await session.context.newPage());
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log(`page ${m.type()}: ${m.text()}`);
    });
    opened.set(session, page);
  }
  await page.goto(url);
  await page.waitForFunction(() => 'runIndexTask' in globalThis);
  return page;
}

function runTask<T>(page: Page, task: IndexTask): Promise<T> {
  return page.evaluate(
    (t) => (globalThis as unknown as { runIndexTask: (t: IndexTask) => Promise<unknown> }).runIndexTask(t),
    task,
  ) as Promise<T>;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function sweepRows(engine: string, index: string, env: string, data: string, o: EngineOutcome, params: Record<string, unknown>): Row[] {
  return o.points.map((p) => ({
    engine,
    index,
    params: p.efSearch === undefined ? {} : { ...params, efSearch: p.efSearch },
    env,
    data,
    'recall@10': p.recall,
    qps: p.qps,
    build_s: o.buildS,
    bytes_per_vector: o.bytesPerVector,
    qps_wall: p.qpsWall,
    build_s_wall: o.buildWallS,
    clock: p.clock,
    queries_timed: p.queries,
  }));
}

function ratiosAtRecall(ours: Row[], peer: Row[], label: string, ratios: Record<string, number>, notes: string[]): void {
  for (const target of [0.9, 0.95, 0.99]) {
    const a = qpsAtRecall(ours, target);
    const b = qpsAtRecall(peer, target);
    if (a !== undefined && b !== undefined) ratios[`${label}@recall${target}`] = a / b;
    else notes.push(`${label}@recall${target}: not reached (ours ${a?.toFixed(0)}, peer ${b?.toFixed(0)})`);
  }
}

interface LoadRun {
  session: ChromiumSession;
  saved: SaveOutcome;
  /** Loaded after a page reload, then profiled piece by piece. */
  profiled: LoadOutcome;
  /** Loaded after a browser restart on the same profile. */
  restart: LoadOutcome;
}

/**
 * Saves the fixture through the snapshot code into a fresh database, then
 * loads it in a new worker after a page reload and again after a browser
 * restart (IndexedDB reopens its files from disk). Returns the live session.
 */
async function loadRun(
  session: ChromiumSession,
  url: string,
  log: (msg: string) => void,
  fixture: LoadFixture,
  o: { description: string; count: number; k: number },
): Promise<LoadRun> {
  const dbName = `sift-bench-${Date.now()}`;
  let page = await openPage(session, url, log);
  const saved = await runTask<SaveOutcome>(page, {
    task: 'save',
    dbName,
    indexUrl: `/cache/${fixture.index}`,
    description: o.description,
  });
  const load: LoadTask = {
    task: 'load',
    dbName,
    description: o.description,
    count: o.count,
    queriesUrl: `/cache/${fixture.queries}`,
    truthUrl: `/cache/${fixture.truth}`,
    k: o.k,
    efSearch: 64,
    profile: false,
  };
  // A reload gives a new page and a new worker: nothing survives but IndexedDB.
  await page.reload();
  await page.waitForFunction(() => 'runIndexTask' in globalThis);
  const profiled = await runTask<LoadOutcome>(page, { ...load, profile: true });
  await session.close();
  const reopened = await launchChromium(session.profileDir);
  if (typeof reopened === 'string') throw new Error(reopened);
  page = await openPage(reopened, url, log);
  const restart = await runTask<LoadOutcome>(page, load);
  return { session: reopened, saved, profiled, restart };
}

export async function runBrowserIndexBench(o: BrowserIndexBenchOptions): Promise<BrowserIndexBenchResult> {
  const log = o.log ?? ((msg: string) => console.error(msg));
  const k = o.k ?? 10;
  const result: BrowserIndexBenchResult = { rows: [], ratios: {}, figures: {}, notes: [] };
  const session = await launchChromium();
  if (typeof session === 'string') {
    result.notes.push(`browser bench skipped: ${session}`);
    log(result.notes[0]);
    return result;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sift-index-browser-'));
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let current: ChromiumSession = session;
  try {
    const bundleDir = await bundle();
    writeFileSync(join(dataDir, 'base.f32'), bytesOf(o.data.base));
    writeFileSync(join(dataDir, 'queries.f32'), bytesOf(o.data.queries));
    mkdirSync(CACHE, { recursive: true });
    const html = '<!doctype html><meta charset="utf-8"><title>index bench</title><link rel="icon" href="data:,"><script type="module" src="/bundle/index-bench.js"></script>';
    server = await serveStatic({ '/bundle/': bundleDir, '/data/': dataDir, '/cache/': CACHE }, html);
    const page = await openPage(current, server.url, log);

    log(`browser: HNSW${o.m} and Flat in a Chromium worker, hnswlib-wasm beside them (n=${o.data.n}, nq=${o.data.nq})...`);
    const search = await runTask<SearchOutcome>(page, {
      task: 'search',
      baseUrl: '/data/base.f32',
      queriesUrl: '/data/queries.f32',
      dim: o.data.dim,
      k,
      m: o.m,
      efConstruction: o.efConstruction,
      efSweep: o.efSweep,
      seed: o.seed ?? 100,
      minTime: o.minTime ?? 0.3,
      peer: o.peer ?? true,
    });
    const chromium = /Chrom(?:e|ium)\/([\d.]+)/.exec(search.userAgent)?.[1] ?? 'unknown';
    const clock = search.hnsw.points[0].clock === 'cpu' ? 'worker-thread CPU time' : 'performance.now() wall time';
    const env = `chromium ${chromium} headless, dedicated worker, 1 thread, kernels: ${search.kernels}, qps and build_s on ${clock} (best of 2)`;
    const hnswParams = { M: o.m, efConstruction: o.efConstruction };
    result.rows.push(...sweepRows(ENGINE, 'Flat', env, o.data.label, search.flat, {}));
    const ours = sweepRows(ENGINE, `HNSW${o.m}`, env, o.data.label, search.hnsw, hnswParams);
    result.rows.push(...ours);
    log(`  ${ENGINE} Flat qps=${search.flat.points[0].qps.toFixed(0)}; HNSW${o.m} built in ${search.hnsw.buildS.toFixed(1)} s`);
    for (const r of ours) log(`  ${ENGINE} HNSW${o.m} ${JSON.stringify(r.params)} recall=${r['recall@10'].toFixed(3)} qps=${r.qps.toFixed(0)}`);
    if (search.hnswlibWasm) {
      const wasmEnv = `hnswlib-wasm 0.8.2 (no SIMD) in the same chromium ${chromium} worker, 1 thread, queries as ${search.hnswlibWasm.queryForm}, qps and build_s on ${clock} (best of 2)`;
      const peer = sweepRows('hnswlib-wasm', `HNSW${o.m}`, wasmEnv, o.data.label, search.hnswlibWasm, hnswParams);
      result.rows.push(...peer);
      log(`  hnswlib-wasm HNSW${o.m} built in ${search.hnswlibWasm.buildS.toFixed(1)} s`);
      for (const r of peer) log(`  hnswlib-wasm HNSW${o.m} ${JSON.stringify(r.params)} recall=${r['recall@10'].toFixed(3)} qps=${r.qps.toFixed(0)}`);
      ratiosAtRecall(ours, peer, 'hnsw_vs_hnswlibwasm', result.ratios, result.notes);
      result.ratios[`hnsw_build_vs_hnswlibwasm@M${o.m}-efC${o.efConstruction}`] = search.hnswlibWasm.buildS / search.hnsw.buildS;
      const deltas = ours.map((r, i) => `ef${r.params.efSearch}: ${(r['recall@10'] - peer[i]['recall@10']).toFixed(3)}`);
      result.notes.push(`chromium HNSW recall minus hnswlib-wasm recall at equal M/efC/ef: ${deltas.join(', ')}`);
    } else if (search.peerError) {
      result.notes.push(`hnswlib-wasm failed: ${search.peerError.slice(0, 500)}`);
      log(result.notes[result.notes.length - 1]);
    }
    const native = (o.nativeRows ?? []).filter((r) => r.engine === 'hnswlib' && r.index === `HNSW${o.m}`);
    if (native.length) ratiosAtRecall(ours, native, 'hnsw_chromium_vs_hnswlib', result.ratios, result.notes);

    if (o.load !== false) {
      const spec: LoadFixtureSpec = { n: 100000, dim: 384, m: 32, efConstruction: 200, nq: 200, k, ...o.load };
      const fixture = ensureLoadFixture(CACHE, spec, log);
      const description = `HNSW${spec.m}`;
      const tag = `${description}-${spec.n}x${spec.dim}`;
      log(`browser: IndexedDB save and load of ${tag} (${(fixture.bytes / 2 ** 20).toFixed(0)} MiB)...`);
      const run: LoadRun = await loadRun(current, server.url, log, fixture, { description, count: spec.n, k });
      current = run.session;
      const b = run.profiled.breakdown!;
      const parts =
        `open ${b.openMs.toFixed(0)}, IDB read ${b.vectorReadMs.toFixed(0)} (${b.pieces} pieces, ${(b.storedBytes / 2 ** 20).toFixed(0)} MiB ` +
        `of buffers for ${(b.bytes / 2 ** 20).toFixed(0)} MiB of index), join ${b.joinMs.toFixed(0)}, checksum ${b.checksumMs.toFixed(0)}, ` +
        `deserialize ${b.deserializeMs.toFixed(0)}, BM25 read ${b.lexicalReadMs.toFixed(0)} + deserialize ${b.lexicalDeserializeMs.toFixed(0)}`;
      log(
        `  saved in ${run.saved.saveMs.toFixed(0)} ms; load (open store → ready) ${run.restart.loadMs.toFixed(0)} ms after a browser restart, ` +
          `${run.profiled.loadMs.toFixed(0)} ms after a reload; first query ${run.restart.firstQueryMs.toFixed(1)} ms; recall@10 ${run.restart.recall.toFixed(3)} at ef64`,
      );
      log(`  breakdown of a second load in the same worker (ms): ${parts}`);
      result.notes.push(`IndexedDB load of ${tag}: breakdown of a second load in the same worker (ms): ${parts}`);
      result.figures[`idb_load_ms@${tag}`] = run.restart.loadMs;
      result.figures[`idb_load_ms_after_reload@${tag}`] = run.profiled.loadMs;
      result.figures[`idb_first_query_ms@${tag}`] = run.restart.firstQueryMs;
      result.figures[`idb_save_ms@${tag}`] = run.saved.saveMs;
      const row: Row & Record<string, unknown> = {
        engine: ENGINE,
        index: description,
        params: { n: spec.n, dim: spec.dim },
        env: `chromium ${chromium} headless, dedicated worker, IndexedDbStore + saveSnapshot/loadSnapshot (8 MiB pieces), wall time after a browser restart`,
        data: 'synthetic-mixture',
        'recall@10': run.restart.recall,
        qps: run.restart.qps,
        build_s: fixture.buildS,
        bytes_per_vector: fixture.bytes / spec.n,
        load_ms: run.restart.loadMs,
        load_ms_after_reload: run.profiled.loadMs,
        first_query_ms: run.restart.firstQueryMs,
        save_ms: run.saved.saveMs,
        load_breakdown_ms: run.profiled.breakdown,
        search_params: { efSearch: 64 },
        build_env: `node ${process.version}, process CPU time, efConstruction ${spec.efConstruction}`,
      };
      result.rows.push(row);
      result.notes.push(`IndexedDB load fixture: ${fixture.dataName}`);
    }
  } finally {
    await current.close();
    server?.close();
    removeDir(dataDir);
    removeDir(current.profileDir);
  }
  return result;
}
