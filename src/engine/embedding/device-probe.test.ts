import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import {
  chooseDevice,
  detectWebGpu,
  deviceChoiceKey,
  type ChooseDeviceOptions,
  type DeviceChoice,
  type DeviceChoiceMemo,
  type ProbeDevice,
} from './device-probe';
import type { Embedder, EmbedderInfo } from './embedder';
import type { ModelDtype } from './transformers-embedder';

/**
 * A fake clock: each embed() on a device advances it by that device's cost,
 * so timings are injected, never measured.
 */
class World {
  clock = 0;
  loads: string[] = [];
  embeds: Record<string, number> = {};
  disposed: string[] = [];
  constructor(
    private readonly cost: Partial<Record<string, number>>,
    private readonly failLoad: ReadonlySet<string> = new Set(),
    private readonly failRun: ReadonlySet<string> = new Set(),
  ) {}

  load = async (device: ProbeDevice, dtype: ModelDtype): Promise<Embedder> => {
    const tag = `${device}:${dtype}`;
    this.loads.push(tag);
    if (this.failLoad.has(tag)) throw new Error(`cannot load ${tag}`);
    const info: EmbedderInfo = {
      modelId: 'm',
      dtype,
      pooling: 'mean',
      normalize: true,
      dim: 1,
      queryPrefix: '',
      passagePrefix: '',
      device,
    };
    return {
      info,
      embed: async (texts) => {
        if (this.failRun.has(tag)) throw new Error(`device lost on ${tag}`);
        this.embeds[tag] = (this.embeds[tag] ?? 0) + 1;
        this.clock += this.cost[tag] ?? 1;
        return new Float32Array(texts.length);
      },
      dispose: async () => {
        this.disposed.push(tag);
      },
    };
  };

  options(extra: Partial<ChooseDeviceOptions> = {}): ChooseDeviceOptions {
    return {
      modelId: 'Xenova/test-model',
      dtypes: { webgpu: ['fp16', 'fp32'], wasm: ['q8'] },
      hasWebGpu: async () => true,
      load: this.load,
      sampleTexts: ['one', 'two', 'three'],
      runs: 3,
      now: () => this.clock,
      ...extra,
    };
  }
}

class MapMemo implements DeviceChoiceMemo {
  readonly map = new Map<string, unknown>();
  gets = 0;
  async get(key: string): Promise<DeviceChoice | undefined> {
    this.gets++;
    return this.map.get(key) as DeviceChoice | undefined;
  }
  async set(key: string, value: DeviceChoice): Promise<void> {
    // Stored as a structured clone would be.
    this.map.set(key, JSON.parse(JSON.stringify(value)));
  }
}

describe('chooseDevice', () => {
  it('no adapter: WASM without loading or timing anything', async () => {
    const world = new World({});
    const memo = new MapMemo();
    const choice = await chooseDevice(world.options({ hasWebGpu: async () => false, memo }));
    expect(choice).toEqual({ device: 'wasm', dtype: 'q8', msPerBatch: {}, reason: 'no-webgpu-adapter', fromMemo: false });
    expect(world.loads).toEqual([]);
    expect(memo.map.size).toBe(0);
  });

  it('picks WebGPU when its batches are faster, and reports median ms per batch', async () => {
    const world = new World({ 'webgpu:fp16': 5, 'wasm:q8': 20 });
    const choice = await chooseDevice(world.options());
    expect(choice.device).toBe('webgpu');
    expect(choice.dtype).toBe('fp16');
    expect(choice.reason).toBe('webgpu-faster');
    expect(choice.msPerBatch).toEqual({ webgpu: 5, wasm: 20 });
    // One warm-up plus three timed runs each.
    expect(world.embeds).toEqual({ 'webgpu:fp16': 4, 'wasm:q8': 4 });
    // Nothing left loaded without keepWinner.
    expect(world.disposed.sort()).toEqual(['wasm:q8', 'webgpu:fp16']);
  });

  it('picks WASM when WebGPU is slower (a software adapter)', async () => {
    const world = new World({ 'webgpu:fp16': 80, 'wasm:q8': 12 });
    const choice = await chooseDevice(world.options());
    expect(choice).toMatchObject({ device: 'wasm', dtype: 'q8', reason: 'wasm-faster', msPerBatch: { webgpu: 80, wasm: 12 } });
  });

  it('tries the next WebGPU dtype when the first fails to load (no shader-f16)', async () => {
    const world = new World({ 'webgpu:fp32': 3, 'wasm:q8': 9 }, new Set(['webgpu:fp16']));
    const choice = await chooseDevice(world.options());
    expect(world.loads).toEqual(['webgpu:fp16', 'webgpu:fp32', 'wasm:q8']);
    expect(choice).toMatchObject({ device: 'webgpu', dtype: 'fp32', reason: 'webgpu-faster' });
  });

  it('falls back to WASM when WebGPU load or run throws', async () => {
    const loadFails = new World({ 'wasm:q8': 9 }, new Set(['webgpu:fp16', 'webgpu:fp32']));
    expect(await chooseDevice(loadFails.options())).toMatchObject({
      device: 'wasm',
      dtype: 'q8',
      reason: 'webgpu-failed',
      msPerBatch: { wasm: 9 },
    });
    const runFails = new World({ 'wasm:q8': 9 }, new Set(), new Set(['webgpu:fp16', 'webgpu:fp32']));
    const choice = await chooseDevice(runFails.options());
    expect(choice.reason).toBe('webgpu-failed');
    expect(choice.msPerBatch.webgpu).toBeUndefined();
    // The WebGPU models that loaded but failed were disposed.
    expect(runFails.disposed).toContain('webgpu:fp16');
    expect(runFails.disposed).toContain('webgpu:fp32');
  });

  it('uses the memo the second time: no load, same answer', async () => {
    const memo = new MapMemo();
    const world = new World({ 'webgpu:fp16': 5, 'wasm:q8': 20 });
    const first = await chooseDevice(world.options({ memo }));
    expect(first.fromMemo).toBe(false);
    expect(memo.map.has(deviceChoiceKey('Xenova/test-model', { webgpu: ['fp16', 'fp32'], wasm: ['q8'] }))).toBe(true);

    const again = new World({ 'webgpu:fp16': 500, 'wasm:q8': 1 });
    const second = await chooseDevice(again.options({ memo }));
    expect(again.loads).toEqual([]);
    expect(second).toEqual({ ...first, fromMemo: true });

    // Another model, or other hardware, is measured afresh.
    const other = new World({ 'webgpu:fp16': 500, 'wasm:q8': 1 });
    const third = await chooseDevice(other.options({ memo, hardwareKey: 'another-gpu' }));
    expect(other.loads.length).toBeGreaterThan(0);
    expect(third.device).toBe('wasm');
  });

  it('ignores a malformed memo value and re-measures', async () => {
    const memo = new MapMemo();
    const world = new World({ 'webgpu:fp16': 1, 'wasm:q8': 2 });
    memo.map.set(deviceChoiceKey('Xenova/test-model', { webgpu: ['fp16', 'fp32'], wasm: ['q8'] }), { device: 'cuda' });
    const choice = await chooseDevice(world.options({ memo }));
    expect(choice.fromMemo).toBe(false);
    expect(choice.device).toBe('webgpu');
  });

  it('keepWinner returns the loaded winner and disposes only the loser', async () => {
    const world = new World({ 'webgpu:fp16': 5, 'wasm:q8': 20 });
    const choice = await chooseDevice(world.options({ keepWinner: true }));
    expect(choice.embedder?.info.device).toBe('webgpu');
    expect(world.disposed).toEqual(['wasm:q8']);
  });

  it('WASM failing too is a MODEL_LOAD_FAILED error; a cancelled probe is CANCELLED', async () => {
    const world = new World({}, new Set(['webgpu:fp16', 'webgpu:fp32', 'wasm:q8']));
    const e = await chooseDevice(world.options()).catch((x: unknown) => x);
    expect(isEngineError(e) && e.code).toBe('MODEL_LOAD_FAILED');

    const cancelled = await chooseDevice(new World({}).options({ signal: { aborted: true } })).catch((x: unknown) => x);
    expect(isEngineError(cancelled) && cancelled.code).toBe('CANCELLED');
  });
});

describe('detectWebGpu', () => {
  it('is false without navigator.gpu, with a null adapter, or when requestAdapter throws', async () => {
    expect(await detectWebGpu(undefined)).toBe(false);
    expect(await detectWebGpu({})).toBe(false);
    expect(await detectWebGpu({ gpu: { requestAdapter: async () => null } })).toBe(false);
    expect(
      await detectWebGpu({
        gpu: {
          requestAdapter: async () => {
            throw new Error('blocked');
          },
        },
      }),
    ).toBe(false);
  });

  it('is true when an adapter is returned', async () => {
    expect(await detectWebGpu({ gpu: { requestAdapter: async () => ({ features: new Set() }) } })).toBe(true);
  });
});
