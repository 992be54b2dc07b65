/**
 * Word vectors trained on a collection's own text: skip-gram with negative
 * sampling, as in Mikolov et al.'s word2vec.c (dynamic window, frequent-word
 * subsampling, unigram^0.75 negative table, linear learning-rate decay).
 *
 * Given a `base` model, training continues from that model's word vectors:
 * each collection word starts at its base vector (the static model's word
 * row, or its char n-gram composition for a word the model never saw), and
 * context vectors start at zero as in word2vec. General English comes from
 * the base; a few epochs over the collection add its vocabulary and topics.
 * (The probe saw SciFact dense-only rise from 0.27 to 0.37 by training on
 * the target corpus's text.) Without a base, vectors start random.
 * Tokens come from `staticTokens`, so adapted words line up with the static
 * model's words.
 *
 * Runs in a worker: work is sliced, `yieldControl` is awaited between slices,
 * and `signal.aborted` is checked there, so a cancel lands within one slice.
 */
import { createError } from '../errors';
import type { Embedder } from '../embedding/embedder';
import { staticTokens } from '../embedding/static-tokenizer';
import { createRandom } from '../vectors/random';
import { baseWordVectors, normalizeRows } from './base-word-vectors';

export { similarWords } from './similar-words';
export { serializeAdapted, deserializeAdapted } from './adapted-format';

export interface AdaptationOptions {
  /**
   * The model whose word vectors training continues from. Each collection
   * word starts at `base.embed([word])` (for the static model: its own word
   * row, or its char n-gram composition for words outside the model's
   * vocabulary), context vectors start at zero as in word2vec, and `dim` is
   * the base's. Without it, vectors start random at `dim`.
   */
  base?: Embedder;
  /** Vector size when there is no `base`. Default 64. */
  dim?: number;
  /** Largest context window; each centre word samples 1..window (word2vec's dynamic window). Default 5. */
  window?: number;
  /** Negative samples per positive pair. Default 5. */
  negatives?: number;
  /**
   * Passes over the corpus. Default: about 6M training tokens' worth, within
   * 3..15 epochs, since a small corpus at 3 epochs stays nearly untrained
   * (Cranfield, 243k tokens: adapted-only nDCG@10 0.09 at 3 epochs, 0.21 at
   * 15; SciFact, 1.1M tokens: dense with adaptation 0.282 at 3, 0.310 at 8).
   */
  epochs?: number;
  /** Words seen fewer times are left out. Default 3. */
  minCount?: number;
  /** Most frequent words kept. Default 20000. */
  maxVocab?: number;
  /** Default 1. Every seed, including 0, is valid. */
  seed?: number;
  /** Starting learning rate, decayed linearly towards 0. Default 0.025. */
  learningRate?: number;
  /** Frequent-word subsampling threshold (word2vec's `-sample`); 0 turns it off. Default 1e-4. */
  subsample?: number;
  /**
   * Fewer in-vocabulary tokens than this give an empty table. Default 20000:
   * vectors trained on ADI's 5k tokens are noise, and with them its dense
   * nDCG@10 fell from 0.43 to 0.27.
   */
  minTokens?: number;
}

export interface AdaptedVectors {
  /** Vocabulary, most frequent first; row i of `vectors` is `words[i]`. */
  words: string[];
  dim: number;
  /** `words.length * dim` values, row-major, each row unit length. */
  vectors: Float32Array;
  /** Tokens in the corpus the vectors were trained on (before vocabulary filtering). */
  tokens: number;
  /**
   * How often each word occurs in the corpus, aligned with `words`; the
   * adapted embedder's SIF weights come from it. Absent in adaptations stored
   * by format version 1, which are then pooled unweighted.
   */
  counts?: Float32Array;
}

export interface TrainHooks {
  /** Training tokens processed so far, out of `total` (in-vocabulary tokens × epochs). */
  onProgress?: (done: number, total: number) => void;
  signal?: { readonly aborted: boolean };
  /** await between slices so a worker stays responsive */
  yieldControl?: () => Promise<void>;
}

/** Below this many in-vocabulary tokens there is too little text to learn from. */
export const DEFAULT_MIN_TOKENS = 20_000;

const DEFAULTS = {
  dim: 64,
  window: 5,
  negatives: 5,
  epochs: 3,
  minCount: 3,
  maxVocab: 20000,
  seed: 1,
  learningRate: 0.025,
  subsample: 1e-4,
  minTokens: DEFAULT_MIN_TOKENS,
} satisfies NumericOptions;

type NumericOptions = Required<Omit<AdaptationOptions, 'base'>>;

/** Tokens between progress reports / yields. */
const SLICE_TOKENS = 50_000;
/** Long texts are cut into sentences of this many kept tokens, as word2vec.c does. */
const MAX_SENTENCE = 1000;
const MAX_EXP = 6;
const EXP_TABLE_SIZE = 1000;
const MIN_LR_SHARE = 1e-4;
/** Automatic epochs aim at this many training tokens, within [DEFAULTS.epochs, MAX_AUTO_EPOCHS]. */
const AUTO_TRAIN_TOKENS = 6_000_000;
const MAX_AUTO_EPOCHS = 15;

interface Corpus {
  words: string[];
  counts: Float64Array;
  /** In-vocabulary word ids, text after text (out-of-vocabulary tokens dropped). */
  ids: Int32Array;
  /** Text t is `ids[textStarts[t]..textStarts[t+1])`. */
  textStarts: Uint32Array;
  tokens: number;
}

export async function trainCorpusVectors(
  texts: readonly string[],
  options: AdaptationOptions = {},
  hooks: TrainHooks = {},
): Promise<AdaptedVectors> {
  const o = resolveOptions(options);
  const checkCancel = (): void => {
    if (hooks.signal?.aborted) throw createError('CANCELLED', 'Cancelled.');
  };
  checkCancel();
  const corpus = await buildCorpus(texts, o, hooks, checkCancel);
  const vocab = corpus.words.length;
  const trainTokens = corpus.ids.length;
  if (vocab < 2 || trainTokens < Math.max(2, o.minTokens)) {
    return {
      words: [],
      dim: options.base?.info.dim ?? o.dim,
      vectors: new Float32Array(0),
      tokens: corpus.tokens,
      counts: new Float32Array(0),
    };
  }

  const random = createRandom(o.seed);
  let dim = o.dim;
  let syn0: Float32Array;
  if (options.base) {
    dim = options.base.info.dim;
    syn0 = await baseWordVectors(options.base, corpus.words, hooks, checkCancel);
  } else {
    syn0 = new Float32Array(vocab * dim);
    for (let i = 0; i < syn0.length; i++) syn0[i] = (random.next() - 0.5) / dim;
  }
  const syn1 = new Float32Array(vocab * dim);
  const neu1e = new Float32Array(dim);
  const table = negativeTable(corpus.counts);
  const keep = keepProbabilities(corpus.counts, trainTokens, o.subsample);
  const expTable = sigmoidTable();
  let maxText = 0;
  for (let t = 0; t + 1 < corpus.textStarts.length; t++) {
    maxText = Math.max(maxText, corpus.textStarts[t + 1] - corpus.textStarts[t]);
  }
  const sentence = new Int32Array(Math.min(maxText, MAX_SENTENCE));

  const epochs =
    options.epochs ?? Math.min(MAX_AUTO_EPOCHS, Math.max(DEFAULTS.epochs, Math.round(AUTO_TRAIN_TOKENS / trainTokens)));
  const total = trainTokens * epochs;
  let done = 0;
  let sinceYield = 0;
  const startLr = o.learningRate;
  hooks.onProgress?.(0, total);

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let t = 0; t + 1 < corpus.textStarts.length; t++) {
      const end = corpus.textStarts[t + 1];
      let i = corpus.textStarts[t];
      while (i < end) {
        // Fill one sentence of kept tokens; discarded tokens still count as processed.
        let len = 0;
        const from = i;
        while (i < end && len < sentence.length) {
          const w = corpus.ids[i++];
          if (keep[w] < 1 && keep[w] < random.next()) continue;
          sentence[len++] = w;
        }
        const consumed = i - from;
        const alpha = startLr * Math.max(MIN_LR_SHARE, 1 - done / (total + 1));
        trainSentence(sentence, len, o.window, o.negatives, alpha, dim, syn0, syn1, neu1e, table, expTable, random);
        done += consumed;
        sinceYield += consumed;
        if (sinceYield >= SLICE_TOKENS) {
          sinceYield = 0;
          checkCancel();
          hooks.onProgress?.(done, total);
          if (hooks.yieldControl) await hooks.yieldControl();
          checkCancel();
        }
      }
    }
  }
  checkCancel();
  hooks.onProgress?.(total, total);

  normalizeRows(syn0, vocab, dim);
  // SGNS on a small corpus pushes every vector along one shared direction (on
  // ADI all words ended up at cosine 0.99 with each other), which hides the
  // topical differences: remove the mean vector, as in "all-but-the-top".
  const mean = new Float64Array(dim);
  for (let w = 0; w < vocab; w++) for (let d = 0; d < dim; d++) mean[d] += syn0[w * dim + d] / vocab;
  for (let w = 0; w < vocab; w++) for (let d = 0; d < dim; d++) syn0[w * dim + d] -= mean[d];
  normalizeRows(syn0, vocab, dim);
  return { words: corpus.words, dim, vectors: syn0, tokens: corpus.tokens, counts: Float32Array.from(corpus.counts) };
}

function resolveOptions(options: AdaptationOptions): NumericOptions {
  const o: NumericOptions = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof NumericOptions)[]) {
    const v = options[key];
    if (v !== undefined) o[key] = v;
  }
  const positiveInt = (key: keyof NumericOptions): void => {
    if (!Number.isInteger(o[key]) || o[key] < 1) {
      throw createError('INVALID_ARGUMENT', `Adaptation option ${key} must be a positive integer.`, { [key]: o[key] });
    }
  };
  for (const key of ['dim', 'window', 'negatives', 'epochs', 'minCount', 'maxVocab'] as const) positiveInt(key);
  if (!(o.learningRate > 0) || !(o.subsample >= 0) || !(o.minTokens >= 0)) {
    throw createError('INVALID_ARGUMENT', 'Adaptation learningRate must be > 0, subsample and minTokens ≥ 0.', {});
  }
  return o;
}

/** One tokenisation pass: provisional ids for every distinct token, then the vocabulary by frequency. */
async function buildCorpus(
  texts: readonly string[],
  o: NumericOptions,
  hooks: TrainHooks,
  checkCancel: () => void,
): Promise<Corpus> {
  const idOf = new Map<string, number>();
  const seen: string[] = [];
  let counts = new Float64Array(1024);
  let raw = new Int32Array(1024);
  const textStarts = new Uint32Array(texts.length + 1);
  let n = 0;
  let sinceYield = 0;
  for (let t = 0; t < texts.length; t++) {
    textStarts[t] = n;
    const tokens = staticTokens(texts[t]);
    if (n + tokens.length > raw.length) {
      const grown = new Int32Array(Math.max(raw.length * 2, n + tokens.length));
      grown.set(raw.subarray(0, n));
      raw = grown;
    }
    for (const token of tokens) {
      let id = idOf.get(token);
      if (id === undefined) {
        id = seen.length;
        idOf.set(token, id);
        seen.push(token);
        if (id >= counts.length) {
          const grown = new Float64Array(counts.length * 2);
          grown.set(counts);
          counts = grown;
        }
      }
      counts[id]++;
      raw[n++] = id;
    }
    sinceYield += tokens.length;
    if (sinceYield >= SLICE_TOKENS * 4) {
      sinceYield = 0;
      checkCancel();
      if (hooks.yieldControl) await hooks.yieldControl();
    }
  }
  textStarts[texts.length] = n;

  // Most frequent first; ties by spelling so the order never depends on the input order.
  const order = [];
  for (let id = 0; id < seen.length; id++) if (counts[id] >= o.minCount) order.push(id);
  order.sort((a, b) => counts[b] - counts[a] || (seen[a] < seen[b] ? -1 : seen[a] > seen[b] ? 1 : 0));
  order.length = Math.min(order.length, o.maxVocab);
  const remap = new Int32Array(seen.length).fill(-1);
  const words: string[] = new Array(order.length);
  const vocabCounts = new Float64Array(order.length);
  order.forEach((id, rank) => {
    remap[id] = rank;
    words[rank] = seen[id];
    vocabCounts[rank] = counts[id];
  });

  // Out-of-vocabulary tokens are dropped before windows are taken, as word2vec.c does.
  const ids = new Int32Array(n);
  let kept = 0;
  for (let t = 0; t < texts.length; t++) {
    const start = textStarts[t];
    const end = textStarts[t + 1];
    textStarts[t] = kept;
    for (let i = start; i < end; i++) {
      const w = remap[raw[i]];
      if (w >= 0) ids[kept++] = w;
    }
  }
  textStarts[texts.length] = kept;
  return { words, counts: vocabCounts, ids: ids.slice(0, kept), textStarts, tokens: n };
}

/** word2vec.c's subsampling: keep probability (sqrt(f / (s·N)) + 1) · s·N / f. */
function keepProbabilities(counts: Float64Array, total: number, sample: number): Float32Array {
  const keep = new Float32Array(counts.length).fill(1);
  if (sample <= 0) return keep;
  const threshold = sample * total;
  for (let w = 0; w < counts.length; w++) {
    keep[w] = Math.min(1, (Math.sqrt(counts[w] / threshold) + 1) * (threshold / counts[w]));
  }
  return keep;
}

/** Word ids laid out in proportion to count^0.75, so a uniform index draws a negative. */
function negativeTable(counts: Float64Array): Int32Array {
  const size = Math.min(1_000_000, Math.max(10_000, counts.length * 100));
  const table = new Int32Array(size);
  let norm = 0;
  for (let w = 0; w < counts.length; w++) norm += counts[w] ** 0.75;
  let w = 0;
  let cumulative = counts[0] ** 0.75 / norm;
  for (let i = 0; i < size; i++) {
    table[i] = w;
    if (i / size > cumulative && w < counts.length - 1) {
      w++;
      cumulative += counts[w] ** 0.75 / norm;
    }
  }
  return table;
}

function sigmoidTable(): Float32Array {
  const table = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    table[i] = e / (e + 1);
  }
  return table;
}

/** Skip-gram updates for every (centre, context) pair of one sentence. */
function trainSentence(
  sentence: Int32Array,
  len: number,
  window: number,
  negatives: number,
  alpha: number,
  dim: number,
  syn0: Float32Array,
  syn1: Float32Array,
  neu1e: Float32Array,
  table: Int32Array,
  expTable: Float32Array,
  random: ReturnType<typeof createRandom>,
): void {
  const tableSize = table.length;
  for (let pos = 0; pos < len; pos++) {
    const centre = sentence[pos];
    const reach = window - random.nextInt(window);
    const lo = Math.max(0, pos - reach);
    const hi = Math.min(len - 1, pos + reach);
    for (let c = lo; c <= hi; c++) {
      if (c === pos) continue;
      const l1 = sentence[c] * dim;
      neu1e.fill(0);
      for (let s = 0; s <= negatives; s++) {
        let target: number;
        let label: number;
        if (s === 0) {
          target = centre;
          label = 1;
        } else {
          target = table[random.nextInt(tableSize)];
          if (target === centre) continue;
          label = 0;
        }
        const l2 = target * dim;
        let f = 0;
        for (let d = 0; d < dim; d++) f += syn0[l1 + d] * syn1[l2 + d];
        let g: number;
        if (f > MAX_EXP) g = (label - 1) * alpha;
        else if (f < -MAX_EXP) g = label * alpha;
        else g = (label - expTable[Math.floor((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))]) * alpha;
        for (let d = 0; d < dim; d++) {
          neu1e[d] += g * syn1[l2 + d];
          syn1[l2 + d] += g * syn0[l1 + d];
        }
      }
      for (let d = 0; d < dim; d++) syn0[l1 + d] += neu1e[d];
    }
  }
}
