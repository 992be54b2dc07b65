/**
 * A small LRU cache with per-entry expiry, for query results and answers.
 * Keys come from `cacheKey`, which hashes a stable serialization of every
 * input that changes the result (query, settings, model, collection version),
 * so changing any of them misses instead of serving a stale answer.
 */
import { createError } from '../errors';

export interface LruCacheOptions<V> {
  maxEntries: number;
  /** Entries older than this are treated as absent. Omit for no expiry. */
  ttlMs?: number;
  /** Bound on the sum of `sizeOf(value)`, e.g. bytes or characters. */
  maxSize?: number;
  sizeOf?: (value: V) => number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  size: number;
}

export class LruCache<V> {
  // A Map keeps insertion order, so re-inserting on access makes the first key the least recent.
  private readonly entries = new Map<string, Entry<V>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly maxSize: number;
  private readonly sizeOf: (value: V) => number;
  private readonly now: () => number;
  private used = 0;

  constructor(options: LruCacheOptions<V>) {
    if (!(options.maxEntries >= 1)) throw createError('INVALID_ARGUMENT', 'A cache needs room for at least one entry.');
    this.maxEntries = Math.floor(options.maxEntries);
    this.ttlMs = options.ttlMs ?? Infinity;
    this.maxSize = options.maxSize ?? Infinity;
    this.sizeOf = options.sizeOf ?? (() => 1);
    this.now = options.now ?? (() => Date.now());
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sum of `sizeOf` over the entries held. */
  get totalSize(): number {
    return this.used;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V, ttlMs: number = this.ttlMs): void {
    const size = this.sizeOf(value);
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    // A value bigger than the whole cache would only evict everything else.
    if (size > this.maxSize) return;
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, size });
    this.used += size;
    this.evict();
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.remove(key, entry);
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  /** Drops expired entries now, rather than when they are next read. */
  prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.remove(key, entry);
  }

  private remove(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.used -= entry.size;
  }

  private evict(): void {
    if (this.entries.size <= this.maxEntries && this.used <= this.maxSize) return;
    this.prune();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.used <= this.maxSize) break;
      this.remove(key, entry);
    }
  }
}

/**
 * JSON with sorted keys, so `{a, b}` and `{b, a}` give one key. Covers what
 * JSON drops or merges: undefined, NaN, ±Infinity, bigint, typed arrays, Map, Set.
 */
export function stableStringify(value: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown): string => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
        return Number.isFinite(v) ? JSON.stringify(v) : `"#${String(v)}"`;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return `"#${v.toString()}n"`;
      case 'undefined':
        return '"#undefined"';
      case 'function':
      case 'symbol':
        throw createError('INVALID_ARGUMENT', `A cache key cannot contain a ${typeof v}.`);
    }
    const object = v as object;
    if (seen.has(object)) throw createError('INVALID_ARGUMENT', 'A cache key cannot contain a cycle.');
    seen.add(object);
    let out: string;
    if (Array.isArray(object)) out = `[${object.map(walk).join(',')}]`;
    else if (ArrayBuffer.isView(object)) {
      const items = Array.from(object as unknown as ArrayLike<number | bigint>, (x) => walk(x));
      out = `{"#${object.constructor.name}":[${items.join(',')}]}`;
    } else if (object instanceof Date) out = `{"#date":${JSON.stringify(object.toISOString())}}`;
    else if (object instanceof Map) {
      const items = [...object.entries()].map(([k, x]) => `[${walk(k)},${walk(x)}]`).sort();
      out = `{"#map":[${items.join(',')}]}`;
    } else if (object instanceof Set) {
      out = `{"#set":[${[...object].map(walk).sort().join(',')}]}`;
    } else {
      const record = object as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      out = `{${keys.map((k) => `${JSON.stringify(k)}:${walk(record[k])}`).join(',')}}`;
    }
    seen.delete(object);
    return out;
  };
  return walk(value);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a, 64-bit, over the UTF-8 bytes; 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Synchronous key: FNV-1a 64 of the stable serialization, plus its length to make collisions rarer still. */
export function cacheKey(parts: Record<string, unknown>): string {
  const text = stableStringify(parts);
  return `${fnv1a64(text)}-${text.length.toString(36)}`;
}

export type Hasher = (text: string) => Promise<string>;

/** SHA-256 through WebCrypto, available in workers and Node 20 alike. */
export const sha256Hasher: Hasher = async (text) => {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
};

export async function cacheKeyAsync(parts: Record<string, unknown>, hasher: Hasher = sha256Hasher): Promise<string> {
  return hasher(stableStringify(parts));
}

/**
 * Every setting that can change an answer, and nothing secret: the API key
 * does not change the answer, and it should not sit in a key that may be logged.
 */
export function answerCacheParts(input: {
  question: string;
  collectionVersion: string | number;
  settings: Record<string, unknown>;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...input.settings };
  delete settings.apiKey;
  return { kind: 'answer', question: input.question.trim(), collectionVersion: input.collectionVersion, settings, extra: input.extra ?? {} };
}
