/**
 * The models transformers.js has downloaded into the browser's Cache Storage,
 * grouped per model so the settings page can show "bge-small: 34 MB" and
 * free the space; and a `fetch` wrapper whose `abort()` cancels downloads.
 *
 * transformers.js (4.x) keeps every downloaded file in one cache named
 * `env.cacheKey` ("transformers-cache"), keyed by its remote URL,
 * `<remoteHost>/<owner>/<name>/resolve/<revision>/<file>`. Files read from
 * `localModelPath` can land there too (keyed by their absolute URL), and so can
 * the onnxruntime .wasm files, which belong to no model and are left alone.
 *
 * CacheStorage is passed in (structural types), so Node tests use a fake.
 */

export const TRANSFORMERS_CACHE_NAME = 'transformers-cache';

export interface CachedRequestLike {
  readonly url: string;
}

export interface CachedResponseLike {
  readonly headers: { get(name: string): string | null };
  blob?(): Promise<{ readonly size: number }>;
  arrayBuffer?(): Promise<ArrayBuffer>;
}

/** `R` is whatever `keys()` hands out (a `Request` in browsers), passed back to `match`/`delete`. */
export interface CacheLike<R extends CachedRequestLike = CachedRequestLike> {
  keys(): Promise<readonly R[]>;
  match(request: R): Promise<CachedResponseLike | undefined>;
  delete(request: R): Promise<boolean>;
}

/** The browser's `caches` (a `CacheStorage`) fits this. */
export interface CacheStorageLike<R extends CachedRequestLike = CachedRequestLike> {
  has(cacheName: string): Promise<boolean>;
  open(cacheName: string): Promise<CacheLike<R>>;
}

export interface CachedModel {
  modelId: string;
  bytes: number;
  files: number;
}

export interface ModelCacheOptions {
  /** Default `TRANSFORMERS_CACHE_NAME` (transformers.js `env.cacheKey`). */
  cacheName?: string;
  /** URL path models are served from locally (`env.localModelPath` in the browser). Default '/models/'. */
  localModelPath?: string;
  /** `env.remoteHost`, when it has a path prefix and ids may be a single segment. */
  remoteHost?: string;
}

/**
 * The model id a cached URL belongs to, or undefined for files that belong to
 * no model. Hub ids are `name` or `owner/name` (at most two segments, as the
 * Hub's repo id rule says), which is what lets a remote host with its own path
 * prefix still be parsed without knowing that prefix.
 */
export function modelIdFromCacheUrl(
  url: string,
  localModelPath = '/models/',
  remoteHost?: string,
): string | undefined {
  if (remoteHost && url.startsWith(remoteHost)) {
    const rest = url.slice(remoteHost.length).replace(/^\/+/, '');
    const at = rest.indexOf('/resolve/');
    if (at > 0) return decodeURIComponent(rest.slice(0, at));
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://cache.invalid/').pathname);
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter((s) => s !== '');
  const resolve = segments.lastIndexOf('resolve');
  // `<id>/resolve/<revision>/<file...>`: the file may sit in a folder (onnx/model.onnx).
  if (resolve >= 1 && segments.length >= resolve + 3) {
    return segments.slice(Math.max(0, resolve - 2), resolve).join('/');
  }
  const prefix = '/' + localModelPath.split('/').filter((s) => s !== '').join('/') + '/';
  if (prefix !== '//' && path.startsWith(prefix)) {
    const rest = path.slice(prefix.length).split('/').filter((s) => s !== '');
    // `<id>/onnx/<file>` or `<id>/<file>`; ids may have several segments locally (fixtures/tiny-bert-embed).
    const onnx = rest.lastIndexOf('onnx');
    const idEnd = onnx >= 1 && onnx === rest.length - 2 ? onnx : rest.length - 1;
    if (idEnd >= 1) return rest.slice(0, idEnd).join('/');
  }
  return undefined;
}

async function entrySize(response: CachedResponseLike | undefined): Promise<number> {
  if (!response) return 0;
  const header = response.headers.get('content-length');
  const length = header === null ? NaN : Number(header);
  if (Number.isFinite(length) && length >= 0) return length;
  // Cached entries written without a length: measure the body.
  if (response.blob) return (await response.blob()).size;
  if (response.arrayBuffer) return (await response.arrayBuffer()).byteLength;
  return 0;
}

async function openIfPresent<R extends CachedRequestLike>(
  storage: CacheStorageLike<R>,
  name: string,
): Promise<CacheLike<R> | undefined> {
  // `open` would create an empty cache just to find nothing in it.
  return (await storage.has(name)) ? storage.open(name) : undefined;
}

/** Cached models with their total size, largest first (ties by id). */
export async function listCachedModels<R extends CachedRequestLike>(
  storage: CacheStorageLike<R>,
  options: ModelCacheOptions = {},
): Promise<CachedModel[]> {
  const cache = await openIfPresent(storage, options.cacheName ?? TRANSFORMERS_CACHE_NAME);
  if (!cache) return [];
  const byModel = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const modelId = modelIdFromCacheUrl(request.url, options.localModelPath, options.remoteHost);
    if (modelId === undefined) continue;
    const bytes = await entrySize(await cache.match(request));
    const entry = byModel.get(modelId) ?? { modelId, bytes: 0, files: 0 };
    entry.bytes += bytes;
    entry.files += 1;
    byModel.set(modelId, entry);
  }
  return [...byModel.values()].sort((a, b) => b.bytes - a.bytes || (a.modelId < b.modelId ? -1 : 1));
}

/** Deletes every cached file of `modelId`; returns how many were deleted. */
export async function removeCachedModel<R extends CachedRequestLike>(
  storage: CacheStorageLike<R>,
  modelId: string,
  options: ModelCacheOptions = {},
): Promise<number> {
  const cache = await openIfPresent(storage, options.cacheName ?? TRANSFORMERS_CACHE_NAME);
  if (!cache) return 0;
  let removed = 0;
  for (const request of await cache.keys()) {
    if (modelIdFromCacheUrl(request.url, options.localModelPath, options.remoteHost) !== modelId) continue;
    if (await cache.delete(request)) removed++;
  }
  return removed;
}

/** What transformers.js calls `env.fetch` with (global `fetch` fits). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface AbortableFetch {
  /** Give this to transformers.js as `env.fetch`. */
  readonly fetch: FetchLike;
  /**
   * Cancels every request started before this call, including response bodies
   * still downloading: they reject with an error named 'AbortError', which
   * `toEngineError` maps to CANCELLED. Requests started afterwards run normally.
   */
  abort(reason?: unknown): void;
  /** The signal the current requests follow (replaced by a fresh one on `abort`). */
  readonly signal: AbortSignal;
}

/** An Error named 'AbortError', which fetch rejects with when aborted with it as the reason. */
export function downloadCancelledError(message = 'Model download cancelled.'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

/**
 * Wraps `base` so downloads can be cancelled as a group. One controller per
 * "generation" rather than one per request: a request's body keeps streaming
 * after `fetch` resolves, and there is no event for "body finished" without
 * re-wrapping every Response, so a per-request registry could not be pruned.
 */
export function createAbortableFetch(base: FetchLike): AbortableFetch {
  let controller = new AbortController();
  const wrapped: FetchLike = (input, init) => {
    const own = controller.signal;
    const signal = init?.signal ? anySignal([own, init.signal]) : own;
    return base(input, { ...init, signal });
  };
  return {
    fetch: wrapped,
    abort(reason?: unknown) {
      const current = controller;
      controller = new AbortController();
      current.abort(reason ?? downloadCancelledError());
    },
    get signal() {
      return controller.signal;
    },
  };
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const native = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (native) return native.call(AbortSignal, signals);
  const combined = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      combined.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => combined.abort(s.reason), { once: true });
  }
  return combined.signal;
}
