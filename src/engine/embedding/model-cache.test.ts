import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { toEngineError } from '../errors';
import {
  TRANSFORMERS_CACHE_NAME,
  createAbortableFetch,
  listCachedModels,
  modelIdFromCacheUrl,
  removeCachedModel,
  type CacheLike,
  type CacheStorageLike,
  type CachedRequestLike,
  type CachedResponseLike,
} from './model-cache';

// The real browser types must fit the structural ones (checked by tsc, not at run time).
type Fits = [CacheStorage] extends [CacheStorageLike<Request>] ? true : false;
const fits: Fits = true;

class FakeCache implements CacheLike {
  readonly entries = new Map<string, CachedResponseLike>();
  put(url: string, bytes: number, withLength = true): void {
    this.entries.set(url, {
      headers: { get: (name) => (withLength && name.toLowerCase() === 'content-length' ? String(bytes) : null) },
      blob: async () => ({ size: bytes }),
    });
  }
  async keys(): Promise<CachedRequestLike[]> {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
  async match(request: CachedRequestLike): Promise<CachedResponseLike | undefined> {
    return this.entries.get(request.url);
  }
  async delete(request: CachedRequestLike): Promise<boolean> {
    return this.entries.delete(request.url);
  }
}

class FakeCacheStorage implements CacheStorageLike {
  readonly caches = new Map<string, FakeCache>();
  opened: string[] = [];
  async has(name: string): Promise<boolean> {
    return this.caches.has(name);
  }
  async open(name: string): Promise<FakeCache> {
    this.opened.push(name);
    let cache = this.caches.get(name);
    if (!cache) this.caches.set(name, (cache = new FakeCache()));
    return cache;
  }
}

const HF = 'https://huggingface.co';

function populated(): { storage: FakeCacheStorage; cache: FakeCache } {
  const storage = new FakeCacheStorage();
  const cache = new FakeCache();
  storage.caches.set(TRANSFORMERS_CACHE_NAME, cache);
  cache.put(`${HF}/Xenova/bge-small-en-v1.5/resolve/main/config.json`, 700);
  cache.put(`${HF}/Xenova/bge-small-en-v1.5/resolve/main/tokenizer.json`, 711_000);
  cache.put(`${HF}/Xenova/bge-small-en-v1.5/resolve/main/onnx/model_quantized.onnx`, 34_000_000);
  cache.put(`${HF}/Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model_quantized.onnx`, 23_000_000, false);
  cache.put(`${HF}/Xenova/all-MiniLM-L6-v2/resolve/main/config.json`, 650);
  // Local fixture files cached under their absolute URL.
  cache.put('http://localhost:4173/models/fixtures/tiny-bert-embed/onnx/model_quantized.onnx', 134_250);
  cache.put('http://localhost:4173/models/fixtures/tiny-bert-embed/tokenizer.json', 30_000);
  // Belongs to no model.
  cache.put('http://localhost:4173/assets/ort-wasm-simd-threaded.asyncify.wasm', 12_000_000);
  return { storage, cache };
}

describe('modelIdFromCacheUrl', () => {
  it('parses Hub URLs, mirrors with a path prefix, local model paths, and skips the rest', () => {
    expect(modelIdFromCacheUrl(`${HF}/Xenova/gte-small/resolve/main/onnx/model.onnx`)).toBe('Xenova/gte-small');
    expect(modelIdFromCacheUrl(`${HF}/Xenova/gte-small/resolve/v1.0/config.json`)).toBe('Xenova/gte-small');
    expect(modelIdFromCacheUrl('http://127.0.0.1:9/mirror/hf/sift-test/tiny/resolve/main/config.json')).toBe('sift-test/tiny');
    expect(modelIdFromCacheUrl('http://m/prefix/bert-base/resolve/main/config.json', '/models/', 'http://m/prefix/')).toBe(
      'bert-base',
    );
    expect(modelIdFromCacheUrl('http://x/models/fixtures/tiny-bert-embed/onnx/model.onnx')).toBe('fixtures/tiny-bert-embed');
    expect(modelIdFromCacheUrl('http://x/models/fixtures/tiny-bert-embed/config.json')).toBe('fixtures/tiny-bert-embed');
    expect(modelIdFromCacheUrl('http://x/static/m/config.json', '/static/')).toBe('m');
    expect(modelIdFromCacheUrl('http://x/assets/ort.wasm')).toBeUndefined();
    expect(modelIdFromCacheUrl('http://x/models/config.json')).toBeUndefined();
    expect(modelIdFromCacheUrl(`${HF}/Xenova/gte-small/resolve/main`)).toBeUndefined();
  });
});

describe('listCachedModels / removeCachedModel', () => {
  it('groups files per model with total bytes (header, or body size without one)', async () => {
    expect(fits).toBe(true);
    const { storage } = populated();
    expect(await listCachedModels(storage)).toEqual([
      { modelId: 'Xenova/bge-small-en-v1.5', bytes: 34_711_700, files: 3 },
      { modelId: 'Xenova/all-MiniLM-L6-v2', bytes: 23_000_650, files: 2 },
      { modelId: 'fixtures/tiny-bert-embed', bytes: 164_250, files: 2 },
    ]);
  });

  it('removes only the given model', async () => {
    const { storage, cache } = populated();
    expect(await removeCachedModel(storage, 'Xenova/bge-small-en-v1.5')).toBe(3);
    expect((await listCachedModels(storage)).map((m) => m.modelId)).toEqual([
      'Xenova/all-MiniLM-L6-v2',
      'fixtures/tiny-bert-embed',
    ]);
    expect(cache.entries.has('http://localhost:4173/assets/ort-wasm-simd-threaded.asyncify.wasm')).toBe(true);
    expect(await removeCachedModel(storage, 'Xenova/bge-small-en-v1.5')).toBe(0);
  });

  it('does not create the cache when it does not exist', async () => {
    const storage = new FakeCacheStorage();
    expect(await listCachedModels(storage)).toEqual([]);
    expect(await removeCachedModel(storage, 'a/b')).toBe(0);
    expect(storage.opened).toEqual([]);
  });

  it('reads another cache name when told', async () => {
    const storage = new FakeCacheStorage();
    (await storage.open('custom')).put(`${HF}/a/b/resolve/main/config.json`, 5);
    expect(await listCachedModels(storage, { cacheName: 'custom' })).toEqual([{ modelId: 'a/b', bytes: 5, files: 1 }]);
    expect(await listCachedModels(storage)).toEqual([]);
  });
});

describe('createAbortableFetch', () => {
  it('abort() rejects in-flight requests with AbortError (mapped to CANCELLED); later requests work', async () => {
    const seen: AbortSignal[] = [];
    const base = (input: string | URL, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const signal = init?.signal as AbortSignal;
        seen.push(signal);
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason));
        // Requests resolve only when the test says so.
        if (String(input).endsWith('/quick')) resolve(new Response('ok'));
      });
    const downloads = createAbortableFetch(base);
    const a = downloads.fetch('http://x/a');
    const b = downloads.fetch('http://x/b');
    downloads.abort();
    for (const p of [a, b]) {
      const error = await p.catch((e: unknown) => e);
      expect((error as Error).name).toBe('AbortError');
      expect(toEngineError(error, 'MODEL_LOAD_FAILED').code).toBe('CANCELLED');
    }
    const later = await downloads.fetch('http://x/quick');
    expect(await later.text()).toBe('ok');
    expect(seen[2].aborted).toBe(false);
  });

  it("keeps the caller's own signal working", async () => {
    const base = (_input: string | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal as AbortSignal;
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const downloads = createAbortableFetch(base);
    const own = new AbortController();
    const p = downloads.fetch('http://x/a', { signal: own.signal });
    own.abort(new Error('caller gave up'));
    await expect(p).rejects.toThrow('caller gave up');
  });

  it('also cancels a body that is still streaming after fetch resolved (real HTTP)', async () => {
    // A server that sends part of the body and then waits.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write(Buffer.alloc(100));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const downloads = createAbortableFetch(fetch);
      const response = await downloads.fetch(`http://127.0.0.1:${port}/file`);
      const reader = response.body!.getReader();
      expect((await reader.read()).value?.length).toBeGreaterThan(0);
      const pending = reader.read().then(() => reader.read());
      downloads.abort();
      const error = await pending.catch((e: unknown) => e);
      expect(toEngineError(error, 'MODEL_LOAD_FAILED').code).toBe('CANCELLED');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
