import { AdaptedEmbedder } from '../engine/adaptation/adapted-embedder';
import {
  DEFAULT_MIN_TOKENS,
  deserializeAdapted,
  serializeAdapted,
  similarWords,
  trainCorpusVectors,
  type AdaptedVectors,
} from '../engine/adaptation/corpus-trainer';
import type { Embedder } from '../engine/embedding/embedder';
import { DEFAULT_STATIC_MODEL_ID } from '../engine/embedding/embedded-models';
import { joinChunks } from '../engine/indexes/serialization';
import type { Sift } from '../engine/sift';
import type { Store } from '../engine/storage/store';
import { createError } from '../engine/errors';

const BLOB = 'adaptation:vectors';

export interface AdaptationStatus {
  enabled: boolean;
  words: number;
  tokens: number;
  trainedAt?: number;
}

export type AdaptationEvent = { kind: 'train'; done: number; total: number } | { kind: 'reembed'; done: number; total: number };

/**
 * Corpus adaptation for one open library: trains word vectors on the
 * library's own passages, keeps them with the library, and wraps the base
 * embedder so search uses both. The base embedder stays the caller's.
 */
export class AdaptationService {
  private adapted: AdaptedVectors | undefined;
  private meta: { id: string; trainedAt: number } | undefined;
  private controller: AbortController | undefined;

  constructor(private readonly store: Store) {}

  /** Restores a saved adaptation (if any, and enabled) around `base`. */
  async wrap(base: Embedder): Promise<Embedder> {
    const blob = await this.store.getBlob(BLOB);
    if (!blob || !(blob.meta as { enabled?: boolean }).enabled) return base;
    try {
      this.adapted = deserializeAdapted(joinChunks(blob.parts));
      this.meta = blob.meta as { id: string; trainedAt: number };
      return new AdaptedEmbedder(base, this.adapted, { id: this.meta.id });
    } catch {
      // A damaged adaptation is only a refinement: search works without it.
      return base;
    }
  }

  /** Wraps a newly loaded base model in the adaptation already in memory, if any. */
  wrapLoaded(base: Embedder): Embedder {
    return this.adapted && this.meta ? new AdaptedEmbedder(base, this.adapted, { id: this.meta.id }) : base;
  }

  async adapt(sift: Sift, base: Embedder, onEvent?: (e: AdaptationEvent) => void): Promise<AdaptationStatus> {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    const texts = await sift.passageTexts();
    // Continuing from the built-in model's word vectors beats a random start (Cranfield dense
    // 0.259 -> 0.314). A Hub model's 384-d "word vectors" would cost a model call per word, so it starts randomly.
    const options = base.info.modelId === DEFAULT_STATIC_MODEL_ID ? { base } : {};
    const adapted = await trainCorpusVectors(texts, options, {
      signal: controller.signal,
      onProgress: (done, total) => onEvent?.({ kind: 'train', done, total }),
      yieldControl: () => new Promise((resolve) => setTimeout(resolve, 0)),
    });
    if (adapted.words.length === 0) {
      // Vectors learned from so little text make search worse, not better (measured on ADI).
      throw createError(
        'INVALID_ARGUMENT',
        `Your library has ${adapted.tokens.toLocaleString()} words of text; adapting needs at least ${DEFAULT_MIN_TOKENS.toLocaleString()}. Add more documents, then try again.`,
      );
    }
    const meta = { id: Date.now().toString(36), trainedAt: Date.now(), enabled: true, words: adapted.words.length, tokens: adapted.tokens };
    await this.store.putBlob(BLOB, [serializeAdapted(adapted)], meta);
    this.adapted = adapted;
    this.meta = meta;
    await sift.setEmbedder(new AdaptedEmbedder(base, adapted, { id: meta.id }), (done, total) => onEvent?.({ kind: 'reembed', done, total }));
    return this.status();
  }

  cancel(): void {
    this.controller?.abort();
  }

  async remove(sift: Sift, base: Embedder): Promise<void> {
    await this.store.deleteBlob(BLOB);
    this.adapted = undefined;
    this.meta = undefined;
    await sift.setEmbedder(base);
  }

  similar(word: string, k = 12): { word: string; score: number }[] {
    return this.adapted ? similarWords(this.adapted, word, k) : [];
  }

  status(): AdaptationStatus {
    return {
      enabled: this.adapted !== undefined,
      words: this.adapted?.words.length ?? 0,
      tokens: this.adapted?.tokens ?? 0,
      trainedAt: this.meta?.trainedAt,
    };
  }
}
