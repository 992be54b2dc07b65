/**
 * Text → model ids for the static (word + char n-gram) embedding model.
 *
 * This mirrors `scripts/static-model/static_numpy.py` and `text_norm.py`, which
 * trained and exported the model; the two must stay identical or the vectors
 * drift from the reference in `reference.json`:
 * - tokens: NFKD, combining marks removed, lower-cased, runs of `[a-z0-9]+`;
 * - a token in the vocabulary is one id (its row already holds the word's
 *   fastText vector, unit length, times its SIF weight);
 * - any other token is the ids `bucketOffset + fnv1a(ngram) % buckets` of the
 *   char n-grams of `<token>` (n = minN..maxN, in gensim's order, duplicates
 *   kept), the same hash and n-grams gensim's FastText trained with.
 */

export interface StaticModelConfig {
  vocabSize: number;
  unkId: number;
  bucketOffset: number;
  buckets: number;
  minN: number;
  maxN: number;
  /** SIF weight of a word outside the vocabulary (a rare word: p(w) ≈ 0). */
  oovWeight: number;
  /** Unit vector removed from every sentence vector (SIF common component). */
  commonComponent: Float32Array;
}

/**
 * One batch, deduplicated: every distinct token is one bag of ids for the
 * model, and each text is a list of bag indices (one per token occurrence).
 */
export interface StaticBatch {
  /** Ids of every bag, concatenated (the model's `input_ids`). */
  ids: BigInt64Array;
  /** Start of each bag in `ids` (the model's `offsets`). */
  offsets: BigInt64Array;
  /** 1 where the bag is an out-of-vocabulary word built from n-grams. */
  oov: Uint8Array;
  /** Bag index of each token occurrence, text after text. */
  tokenBags: Uint32Array;
  /** Text t's tokens are `tokenBags[textStarts[t]..textStarts[t+1])`; length texts + 1. */
  textStarts: Uint32Array;
}

const TOKEN = /[a-z0-9]+/g;
const MARKS = /\p{M}/gu;

/** The model's word tokens of `text`. */
export function staticTokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  return folded.match(TOKEN) ?? [];
}

/**
 * 32-bit FNV-1a as fastText computes it: each byte is read as a signed char and
 * sign-extended before the xor (gensim keeps that quirk so its hashes match).
 */
export function fnv1a(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    h ^= b >= 128 ? b | 0xffffff00 : b;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const encoder = new TextEncoder();

/** Hashes of the char n-grams of `<word>`, in gensim's `compute_ngrams_bytes` order. */
export function ngramHashes(word: string, minN: number, maxN: number): Uint32Array {
  const bytes = encoder.encode(`<${word}>`);
  // Byte offsets where each character starts (UTF-8 continuation bytes are 10xxxxxx).
  const starts: number[] = [];
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] & 0xc0) !== 0x80) starts.push(i);
  starts.push(bytes.length);
  const chars = starts.length - 1;
  const out: number[] = [];
  for (let i = 0; i < chars; i++) {
    for (let n = minN; n <= maxN && i + n <= chars; n++) {
      out.push(fnv1a(bytes, starts[i], starts[i + n]));
    }
  }
  return Uint32Array.from(out);
}

export class StaticTokenizer {
  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    readonly config: StaticModelConfig,
  ) {}

  /** Model ids of one token: its vocabulary id, or its n-gram bucket ids. */
  tokenIds(token: string): { ids: Uint32Array; oov: boolean } {
    const id = this.vocab.get(token);
    if (id !== undefined && id !== this.config.unkId && id < this.config.vocabSize) {
      return { ids: Uint32Array.of(id), oov: false };
    }
    const { bucketOffset, buckets, minN, maxN } = this.config;
    const hashes = ngramHashes(token, minN, maxN);
    for (let i = 0; i < hashes.length; i++) hashes[i] = bucketOffset + (hashes[i] % buckets);
    return { ids: hashes, oov: true };
  }

  /** Tokenises a batch, one bag per distinct token so repeated words cost one lookup. */
  encodeBatch(texts: readonly string[]): StaticBatch {
    const bagOf = new Map<string, number>();
    const ids: number[] = [];
    const offsets: number[] = [];
    const oov: number[] = [];
    const tokenBags: number[] = [];
    const textStarts = new Uint32Array(texts.length + 1);
    for (let t = 0; t < texts.length; t++) {
      textStarts[t] = tokenBags.length;
      for (const token of staticTokens(texts[t])) {
        let bag = bagOf.get(token);
        if (bag === undefined) {
          const enc = this.tokenIds(token);
          // A token with no n-grams (cannot happen with minN ≤ 3) would be an empty bag: skip it.
          if (enc.ids.length === 0) continue;
          bag = offsets.length;
          bagOf.set(token, bag);
          offsets.push(ids.length);
          for (let i = 0; i < enc.ids.length; i++) ids.push(enc.ids[i]);
          oov.push(enc.oov ? 1 : 0);
        }
        tokenBags.push(bag);
      }
    }
    textStarts[texts.length] = tokenBags.length;
    return {
      ids: BigInt64Array.from(ids, (v) => BigInt(v)),
      offsets: BigInt64Array.from(offsets, (v) => BigInt(v)),
      oov: Uint8Array.from(oov),
      tokenBags: Uint32Array.from(tokenBags),
      textStarts,
    };
  }
}

/** Reads the `sift_static` block the build writes into config.json. */
export function parseStaticConfig(raw: unknown, dim: number): StaticModelConfig {
  const c = (raw ?? {}) as Record<string, unknown>;
  const int = (key: string): number => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new TypeError(`config.sift_static.${key} must be a non-negative integer`);
    }
    return v;
  };
  const component = Array.isArray(c.common_component) ? c.common_component : [];
  if (component.length !== 0 && component.length !== dim) {
    throw new TypeError(`config.sift_static.common_component must have ${dim} values`);
  }
  return {
    vocabSize: int('vocab_size'),
    unkId: int('unk_id'),
    bucketOffset: int('bucket_offset'),
    buckets: Math.max(1, int('buckets')),
    minN: int('min_n'),
    maxN: int('max_n'),
    oovWeight: typeof c.oov_weight === 'number' ? c.oov_weight : 1,
    commonComponent: Float32Array.from(component.length ? (component as number[]) : new Array<number>(dim).fill(0)),
  };
}
