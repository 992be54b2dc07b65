import { createError, toEngineError } from '../errors';
import type { Embedder } from './embedder';
import type { ModelDtype } from './transformers-embedder';

/**
 * Chooses WebGPU or WASM for one model by measuring, not by guessing: a
 * software WebGPU adapter (SwiftShader), a small model or an fp16-less GPU can
 * all make WebGPU slower than WASM. The answer is remembered per model (and
 * per hardware key), so the cost of loading the model twice is paid once.
 */
export type ProbeDevice = 'webgpu' | 'wasm';

export type DeviceChoiceReason =
  /** No adapter: WASM without timing anything. */
  | 'no-webgpu-adapter'
  /** WebGPU could not load or run the model with any candidate dtype. */
  | 'webgpu-failed'
  | 'webgpu-faster'
  | 'wasm-faster';

export interface DeviceChoice {
  device: ProbeDevice;
  dtype: ModelDtype;
  /** Median milliseconds per sample batch, keyed by device ('webgpu', 'wasm'); empty when nothing was timed. */
  msPerBatch: Record<string, number>;
  reason: DeviceChoiceReason;
}

export interface DeviceChoiceMemo {
  get(key: string): Promise<DeviceChoice | undefined>;
  set(key: string, value: DeviceChoice): Promise<void>;
}

export interface ChooseDeviceOptions {
  modelId: string;
  /**
   * Dtypes to try per device, in order; the first that loads and runs is the
   * one timed (e.g. fp16 needs the `shader-f16` GPU feature, so fp32 follows).
   * Default `{ webgpu: ['fp16', 'fp32'], wasm: ['q8'] }`.
   */
  dtypes?: { webgpu: readonly ModelDtype[]; wasm: readonly ModelDtype[] };
  hasWebGpu: () => Promise<boolean>;
  load: (device: ProbeDevice, dtype: ModelDtype) => Promise<Embedder>;
  /** A small batch, like the ones ingest will send (a few passages). */
  sampleTexts: readonly string[];
  /** Timed runs per device after one untimed warm-up (shader compile, allocations). Default 3. */
  runs?: number;
  now: () => number;
  memo?: DeviceChoiceMemo;
  /** Identifies the hardware (e.g. the adapter's vendor/architecture); part of the memo key. */
  hardwareKey?: string;
  /** Keep the winner loaded and return it in `embedder` (the caller then owns it). Default false. */
  keepWinner?: boolean;
  signal?: { readonly aborted: boolean };
}

export interface DeviceProbeResult extends DeviceChoice {
  /** True when the answer came from the memo (nothing was loaded or timed). */
  fromMemo: boolean;
  /** The loaded winner, only with `keepWinner` and only when it was loaded here. */
  embedder?: Embedder;
}

export const DEFAULT_PROBE_DTYPES: { webgpu: readonly ModelDtype[]; wasm: readonly ModelDtype[] } = {
  webgpu: ['fp16', 'fp32'],
  wasm: ['q8'],
};

/** The memo key: model, candidate dtypes and hardware, so changing any of them re-measures. */
export function deviceChoiceKey(
  modelId: string,
  dtypes: { webgpu: readonly ModelDtype[]; wasm: readonly ModelDtype[] } = DEFAULT_PROBE_DTYPES,
  hardwareKey = '',
): string {
  return `device-choice|${modelId}|webgpu:${dtypes.webgpu.join(',')}|wasm:${dtypes.wasm.join(',')}|${hardwareKey}`;
}

/** True when `navigator.gpu` exists and hands out an adapter; never throws. */
export async function detectWebGpu(
  nav: { gpu?: { requestAdapter(): Promise<unknown | null> } } | undefined,
): Promise<boolean> {
  if (!nav?.gpu || typeof nav.gpu.requestAdapter !== 'function') return false;
  try {
    return (await nav.gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

interface Measured {
  dtype: ModelDtype;
  ms: number;
  embedder: Embedder;
}

export async function chooseDevice(options: ChooseDeviceOptions): Promise<DeviceProbeResult> {
  const dtypes = options.dtypes ?? DEFAULT_PROBE_DTYPES;
  if (dtypes.wasm.length === 0) throw createError('INVALID_ARGUMENT', 'No WASM dtype to fall back to.');
  if (options.sampleTexts.length === 0) throw createError('INVALID_ARGUMENT', 'sampleTexts is empty.');
  const runs = options.runs ?? 3;
  if (!Number.isInteger(runs) || runs < 1) throw createError('INVALID_ARGUMENT', 'runs must be a positive integer.', { runs });

  if (!(await options.hasWebGpu())) {
    // Not memoised: an adapter can appear later (new browser, flag, driver).
    return { device: 'wasm', dtype: dtypes.wasm[0], msPerBatch: {}, reason: 'no-webgpu-adapter', fromMemo: false };
  }

  const key = deviceChoiceKey(options.modelId, dtypes, options.hardwareKey);
  const remembered = options.memo ? validChoice(await options.memo.get(key)) : undefined;
  if (remembered) return { ...remembered, msPerBatch: { ...remembered.msPerBatch }, fromMemo: true };

  const msPerBatch: Record<string, number> = {};
  const gpu = await measureFirstWorking('webgpu', dtypes.webgpu, options, runs);
  if (gpu) msPerBatch.webgpu = gpu.ms;
  let wasm: Measured | undefined;
  try {
    wasm = await measureFirstWorking('wasm', dtypes.wasm, options, runs, true);
  } catch (error) {
    await gpu?.embedder.dispose();
    throw error;
  }
  if (!wasm) throw createError('MODEL_LOAD_FAILED', 'No WASM dtype could be loaded.', { modelId: options.modelId });
  msPerBatch.wasm = wasm.ms;

  const gpuWins = gpu !== undefined && gpu.ms < wasm.ms;
  const winner = gpuWins ? gpu : wasm;
  const loser = gpuWins ? wasm : gpu;
  await loser?.embedder.dispose();
  const choice: DeviceChoice = {
    device: gpuWins ? 'webgpu' : 'wasm',
    dtype: winner.dtype,
    msPerBatch,
    reason: gpu === undefined ? 'webgpu-failed' : gpuWins ? 'webgpu-faster' : 'wasm-faster',
  };
  if (!options.keepWinner) await winner.embedder.dispose();
  try {
    await options.memo?.set(key, { ...choice, msPerBatch: { ...msPerBatch } });
  } catch {
    // A memo that cannot be written only costs a re-measure next time.
  }
  return { ...choice, fromMemo: false, ...(options.keepWinner ? { embedder: winner.embedder } : {}) };
}

/**
 * Loads and times each dtype in turn until one works. A failure on WebGPU is
 * expected (missing ops, fp16 unsupported, lost device) and returns undefined;
 * on WASM (`rethrow`) the last error is thrown, since there is nothing left.
 */
async function measureFirstWorking(
  device: ProbeDevice,
  dtypes: readonly ModelDtype[],
  options: ChooseDeviceOptions,
  runs: number,
  rethrow = false,
): Promise<Measured | undefined> {
  let lastError: unknown;
  for (const dtype of dtypes) {
    if (options.signal?.aborted) throw createError('CANCELLED', 'Device probe cancelled.');
    let embedder: Embedder | undefined;
    try {
      embedder = await options.load(device, dtype);
      const ms = await timeBatches(embedder, options, runs);
      return { dtype, ms, embedder };
    } catch (error) {
      lastError = error;
      await embedder?.dispose().catch(() => undefined);
      if (isCancelled(error)) throw error;
    }
  }
  if (rethrow && lastError !== undefined) throw toEngineError(lastError, 'MODEL_LOAD_FAILED');
  return undefined;
}

async function timeBatches(embedder: Embedder, options: ChooseDeviceOptions, runs: number): Promise<number> {
  await embedder.embed(options.sampleTexts, 'passage');
  const times = new Float64Array(runs);
  for (let r = 0; r < runs; r++) {
    if (options.signal?.aborted) throw createError('CANCELLED', 'Device probe cancelled.');
    const start = options.now();
    await embedder.embed(options.sampleTexts, 'passage');
    times[r] = options.now() - start;
  }
  times.sort();
  const mid = runs >> 1;
  return runs % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

function isCancelled(error: unknown): boolean {
  return toEngineError(error, 'MODEL_LOAD_FAILED').code === 'CANCELLED';
}

const DEVICES: readonly string[] = ['webgpu', 'wasm'];
const REASONS: readonly string[] = ['no-webgpu-adapter', 'webgpu-failed', 'webgpu-faster', 'wasm-faster'];

/** A memo value read back from storage may be from an older build: use it only if it still parses. */
function validChoice(value: unknown): DeviceChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<DeviceChoice>;
  if (typeof v.device !== 'string' || !DEVICES.includes(v.device)) return undefined;
  if (typeof v.dtype !== 'string' || typeof v.reason !== 'string' || !REASONS.includes(v.reason)) return undefined;
  const msPerBatch = typeof v.msPerBatch === 'object' && v.msPerBatch !== null ? v.msPerBatch : {};
  return { device: v.device, dtype: v.dtype, msPerBatch, reason: v.reason };
}
