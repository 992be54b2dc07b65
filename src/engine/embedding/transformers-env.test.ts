import { env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { configureTransformers, transformersSettings } from './transformers-env';

describe('configureTransformers', () => {
  it('writes only the settings it is given', () => {
    const before = transformersSettings();
    configureTransformers({ remoteHost: 'http://127.0.0.1:9/', numThreads: 2 });
    const after = transformersSettings();
    expect(after.remoteHost).toBe('http://127.0.0.1:9/');
    expect(after.numThreads).toBe(2);
    expect(after.localModelPath).toBe(before.localModelPath);
    expect(after.allowLocalModels).toBe(before.allowLocalModels);
  });

  it('sets model locations, caches and WASM paths', () => {
    const wasmPaths = { mjs: '/ort/x.mjs', wasm: '/ort/x.wasm' };
    configureTransformers({
      localModelPath: '/models/',
      allowLocalModels: true,
      allowRemoteModels: false,
      cacheDir: '/tmp/sift-cache',
      useBrowserCache: false,
      wasmPaths,
      logLevel: 'error',
    });
    expect(transformersSettings()).toMatchObject({ localModelPath: '/models/', allowLocalModels: true, allowRemoteModels: false });
    expect(env.cacheDir).toBe('/tmp/sift-cache');
    expect(env.useBrowserCache).toBe(false);
    expect(env.backends.onnx.wasm?.wasmPaths).toEqual(wasmPaths);
  });
});
