import { LruCache, fnv1a64 } from '../rag/cache';
import type { EmbedPurpose, Embedder, EmbedderInfo } from './embedder';

/**
 * Remembers vectors by content: the same text, for the same purpose, embeds
 * once per model. Re-indexing an edited file only embeds the passages that
 * changed (the old version's vectors are primed in), and text repeated
 * across documents (headers, boilerplate) is embedded once.
 *
 * One cache belongs to one embedder, so the key needs no model part: a new
 * model gets a new CachingEmbedder.
 */
export class CachingEmbedder implements Embedder {
  private readonly cache: LruCache<Float32Array>;
  /** Texts actually sent to the model, for tests and diagnostics. */
  misses = 0;
  readonly countTokens?: (text: string) => number;

  constructor(
    private readonly inner: Embedder,
    options: { maxEntries?: number } = {},
  ) {
    this.cache = new LruCache<Float32Array>({ maxEntries: options.maxEntries ?? 20_000 });
    if (inner.countTokens) this.countTokens = (text) => inner.countTokens!(text);
  }

  get info(): EmbedderInfo {
    return this.inner.info;
  }

  get passageTokenBudget(): number | undefined {
    return this.inner.passageTokenBudget;
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Float32Array> {
    const { dim } = this.inner.info;
    const out = new Float32Array(texts.length * dim);
    const missing: number[] = [];
    texts.forEach((text, i) => {
      const hit = this.cache.get(key(text, purpose));
      if (hit) out.set(hit, i * dim);
      else missing.push(i);
    });
    if (missing.length === 0) return out;
    // Embed each distinct missing text once, even if the batch repeats it.
    const unique = [...new Set(missing.map((i) => texts[i]))];
    const vectors = await this.inner.embed(unique, purpose);
    this.misses += unique.length;
    const byText = new Map<string, Float32Array>();
    unique.forEach((text, j) => {
      const vector = vectors.slice(j * dim, (j + 1) * dim);
      byText.set(text, vector);
      this.cache.set(key(text, purpose), vector);
    });
    for (const i of missing) out.set(byText.get(texts[i])!, i * dim);
    return out;
  }

  /** Seeds the cache with vectors already computed by this model (e.g. a document's previous version). */
  prime(entries: readonly { text: string; vector: Float32Array }[], purpose: EmbedPurpose = 'passage'): void {
    for (const { text, vector } of entries) {
      if (vector.length === this.inner.info.dim) this.cache.set(key(text, purpose), vector);
    }
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

function key(text: string, purpose: EmbedPurpose): string {
  return `${purpose}:${fnv1a64(text)}:${text.length}`;
}
