/**
 * Bundled once for both sides of the in-browser index benchmark. On the page
 * it defines `runIndexTask`, which forwards each task to a module Web Worker
 * started from this same file; in the worker it runs the task: our Flat and
 * HNSW and hnswlib-wasm on the same vectors (one thread, timed with
 * performance.now() inside the worker), or the IndexedDB save/load tasks.
 */
import { loadHnswlib } from 'hnswlib-wasm';
import { createIndex } from '../src/engine/indexes/factory';
import { recallAtK } from '../src/engine/indexes/recall';
import type { SearchResult, VectorIndex } from '../src/engine/indexes/vector-index';
import { kernelBackend } from '../src/engine/vectors/kernels';
import { loadIndex, saveIndex, type LoadTask, type SaveTask } from './index-browser-load';

export interface SearchTask {
  task: 'search';
  baseUrl: string;
  queriesUrl: string;
  dim: number;
  k: number;
  m: number;
  efConstruction: number;
  efSweep: number[];
  seed: number;
  /** Each timed pass repeats the query set until at least this many seconds pass. */
  minTime: number;
  peer: boolean;
}

export type Clock = 'cpu' | 'wall';

export interface SweepPoint {
  efSearch?: number;
  recall: number;
  /** On the worker thread's CPU time when `clock` is 'cpu'. */
  qps: number;
  qpsWall: number;
  clock: Clock;
  /** Queries timed in the best pass. */
  queries: number;
}

export interface EngineOutcome {
  /** On CPU time when the driver reports it, else wall time. */
  buildS: number;
  buildWallS: number;
  bytesPerVector: number;
  points: SweepPoint[];
  /** hnswlib-wasm: the query type it was timed with. */
  queryForm?: string;
}

export interface SearchOutcome {
  userAgent: string;
  kernels: string;
  isolated: boolean;
  n: number;
  nq: number;
  flat: EngineOutcome;
  hnsw: EngineOutcome;
  hnswlibWasm?: EngineOutcome;
  peerError?: string;
}

export type IndexTask = SearchTask | SaveTask | LoadTask;

type Search = (q: number) => SearchResult;

async function fetchF32(url: string): Promise<Float32Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return new Float32Array(await res.arrayBuffer());
}

/**
 * CPU seconds of this worker thread, asked of the Node driver through the
 * page (it reads /proc); undefined when the driver cannot tell.
 */
const cpuWaiting = new Map<number, (seconds: number | undefined) => void>();
let cpuSeq = 0;
function cpuNow(): Promise<number | undefined> {
  const cpuId = cpuSeq++;
  return new Promise((ok) => {
    cpuWaiting.set(cpuId, ok);
    scope.postMessage({ cpuId });
  });
}

interface Timed<T> {
  value: T;
  wall: number;
  cpu?: number;
}

async function measure<T>(run: () => T | Promise<T>): Promise<Timed<T>> {
  const c0 = await cpuNow();
  const t0 = performance.now();
  const value = await run();
  const wall = (performance.now() - t0) / 1000;
  const c1 = await cpuNow();
  return { value, wall, cpu: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined };
}

/**
 * Best of two passes after a warm-up; a pass cycles through the queries until
 * `minTime` (wall) has passed, so fast settings are not timed over a few ms.
 * Results come from the first cycle of the last pass. `qps` is on the
 * worker's CPU time when the driver reports it, else on wall time.
 */
async function timeQueries(search: Search, nq: number, minTime: number): Promise<{ results: SearchResult[]; qps: number; qpsWall: number; queries: number; clock: Clock }> {
  for (let q = 0; q < Math.min(20, nq); q++) search(q);
  let bestCpu = Infinity;
  let bestWall = Infinity;
  let queries = 0;
  let results: SearchResult[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const out: SearchResult[] = [];
    const t = await measure(() => {
      let done = 0;
      const t0 = performance.now();
      do {
        for (let q = 0; q < nq; q++) {
          const r = search(q);
          if (done < nq) out.push(r);
          done++;
        }
      } while (performance.now() - t0 < minTime * 1000);
      return done;
    });
    queries = Math.max(queries, t.value);
    bestWall = Math.min(bestWall, t.wall / t.value);
    if (t.cpu !== undefined) bestCpu = Math.min(bestCpu, t.cpu / t.value);
    results = out;
  }
  const clock: Clock = Number.isFinite(bestCpu) ? 'cpu' : 'wall';
  return { results, qps: 1 / (clock === 'cpu' ? bestCpu : bestWall), qpsWall: 1 / bestWall, queries, clock };
}

function buildTime(t: Timed<unknown>): { buildS: number; buildWallS: number } {
  return { buildS: t.cpu ?? t.wall, buildWallS: t.wall };
}

async function sweepOurs(index: VectorIndex, t: SearchTask, queries: Float32Array, exact: SearchResult[], build: Timed<unknown>): Promise<EngineOutcome> {
  const nq = exact.length;
  const points: SweepPoint[] = [];
  for (const efSearch of t.efSweep) {
    const params = { efSearch };
    const run = await timeQueries((q) => index.search(queries.subarray(q * t.dim, (q + 1) * t.dim), t.k, params), nq, t.minTime);
    points.push({ efSearch, recall: recallAtK(exact, run.results, t.k), qps: run.qps, qpsWall: run.qpsWall, queries: run.queries, clock: run.clock });
  }
  const bytesPerVector = (index as { bytesPerVector?: number }).bytesPerVector ?? t.dim * 4 + 4;
  return { ...buildTime(build), bytesPerVector, points };
}

async function sweepHnswlibWasm(t: SearchTask, base: Float32Array, queries: Float32Array, exact: SearchResult[]): Promise<EngineOutcome> {
  // No IDBFS: the peer is timed in memory, like ours.
  const lib = await loadHnswlib(undefined);
  const n = base.length / t.dim;
  const nq = exact.length;
  const rows = Array.from({ length: n }, (_, i) => base.subarray(i * t.dim, (i + 1) * t.dim));
  const labels = Array.from({ length: n }, (_, i) => i);
  const index = new lib.HierarchicalNSW('cosine', t.dim, '');
  const build = await measure(() => {
    index.initIndex(n, t.m, t.efConstruction, t.seed);
    index.addPoints(rows, labels, false);
  });
  // The binding copies a query element by element; give it whichever form it
  // takes faster (Float32Array or plain array), so the peer is not slowed by our choice.
  const typed = Array.from({ length: nq }, (_, q) => queries.subarray(q * t.dim, (q + 1) * t.dim));
  const plain = typed.map((q) => Array.from(q));
  index.setEfSearch(t.k);
  const probe = async (qs: Float32Array[] | number[][]) =>
    (await timeQueries((q) => (index.searchKnn(qs[q], t.k, undefined), EMPTY), nq, t.minTime / 2)).qps;
  const typedQps = await probe(typed);
  const plainQps = await probe(plain);
  const qs = plainQps > typedQps ? plain : typed;
  const points: SweepPoint[] = [];
  for (const efSearch of t.efSweep) {
    index.setEfSearch(Math.max(efSearch, t.k));
    const raw: { neighbors: number[]; distances: number[] }[] = [];
    const run = await timeQueries(
      (q) => {
        raw[q] = index.searchKnn(qs[q], t.k, undefined);
        return EMPTY;
      },
      nq,
      t.minTime,
    );
    const found = raw.map((r) => ({ ids: Uint32Array.from(r.neighbors), distances: Float32Array.from(r.distances) }));
    points.push({ efSearch, recall: recallAtK(exact, found, t.k), qps: run.qps, qpsWall: run.qpsWall, queries: run.queries, clock: run.clock });
  }
  // hnswlib's layout: the vector, level-0 links (2M + 1 words), label and per-node level pointer.
  const bytesPerVector = t.dim * 4 + (2 * t.m + 1) * 4 + 8 + 8;
  return { ...buildTime(build), bytesPerVector, points, queryForm: qs === plain ? 'number[]' : 'Float32Array' };
}

const EMPTY: SearchResult = { ids: new Uint32Array(0), distances: new Float32Array(0) };

async function runSearch(t: SearchTask): Promise<SearchOutcome> {
  const [base, queries] = await Promise.all([fetchF32(t.baseUrl), fetchF32(t.queriesUrl)]);
  const n = base.length / t.dim;
  const nq = queries.length / t.dim;
  const ids = Uint32Array.from({ length: n }, (_, i) => i);

  const flatIndex = createIndex('Flat', t.dim, 'cosine');
  const flatBuild = await measure(() => flatIndex.add(ids, base));
  const exactRun = await timeQueries((q) => flatIndex.search(queries.subarray(q * t.dim, (q + 1) * t.dim), t.k), nq, t.minTime);
  const exact = exactRun.results;
  const flat: EngineOutcome = {
    ...buildTime(flatBuild),
    bytesPerVector: t.dim * 4 + 4,
    points: [{ recall: 1, qps: exactRun.qps, qpsWall: exactRun.qpsWall, queries: exactRun.queries, clock: exactRun.clock }],
  };
  flatIndex.dispose();

  const hnswIndex = createIndex(`HNSW${t.m}`, t.dim, 'cosine', { seed: t.seed, efConstruction: t.efConstruction });
  const hnswBuild = await measure(() => hnswIndex.add(ids, base));
  const hnsw = await sweepOurs(hnswIndex, t, queries, exact, hnswBuild);
  hnswIndex.dispose();

  const out: SearchOutcome = {
    userAgent: navigator.userAgent,
    kernels: kernelBackend(),
    isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    n,
    nq,
    flat,
    hnsw,
  };
  if (t.peer) {
    try {
      out.hnswlibWasm = await sweepHnswlibWasm(t, base, queries, exact);
    } catch (error) {
      out.peerError = String((error as Error).stack ?? error);
    }
  }
  return out;
}

function runTask(t: IndexTask): Promise<unknown> {
  switch (t.task) {
    case 'search':
      return runSearch(t);
    case 'save':
      return saveIndex(t);
    case 'load':
      return loadIndex(t);
  }
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

const scope = globalThis as unknown as {
  document?: unknown;
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  runIndexTask?: (t: IndexTask) => Promise<unknown>;
  /** Exposed by the Node driver: CPU seconds of the worker thread. */
  __siftWorkerCpu?: () => Promise<number | undefined>;
};

if (scope.document === undefined) {
  scope.onmessage = (e: MessageEvent<{ id: number; task: IndexTask } | { cpuId: number; seconds?: number }>) => {
    if ('cpuId' in e.data) {
      cpuWaiting.get(e.data.cpuId)?.(e.data.seconds);
      cpuWaiting.delete(e.data.cpuId);
      return;
    }
    const { id, task } = e.data;
    runTask(task).then(
      (value) => scope.postMessage({ id, ok: true, value } satisfies Reply),
      (error: unknown) => scope.postMessage({ id, ok: false, error: String((error as Error).stack ?? error) } satisfies Reply),
    );
  };
} else {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  scope.runIndexTask = (task) => {
    if (!worker) {
      worker = new Worker(new URL(import.meta.url), { type: 'module' });
      worker.onmessage = (e: MessageEvent<Reply | { cpuId: number }>) => {
        if ('cpuId' in e.data) {
          const { cpuId } = e.data;
          const clock = scope.__siftWorkerCpu;
          void (clock ? clock() : Promise.resolve(undefined)).then((seconds) => worker!.postMessage({ cpuId, seconds }));
          return;
        }
        const p = pending.get(e.data.id);
        pending.delete(e.data.id);
        if (e.data.ok) p?.ok(e.data.value);
        else p?.fail(new Error(e.data.error));
      };
      worker.onerror = (e) => {
        for (const p of pending.values()) p.fail(new Error(`worker error: ${e.message}`));
        pending.clear();
      };
    }
    const id = nextId++;
    return new Promise((ok, fail) => {
      pending.set(id, { ok, fail });
      worker!.postMessage({ id, task });
    });
  };
}
