import type { Embedder, EmbedderInfo } from '../embedding/embedder';

/**
 * A deterministic bag-of-words embedder for engine tests: each lower-cased
 * word adds ±1 to a hashed dimension. Texts sharing words get similar
 * vectors, which is all the collection and ingest tests need, with no model.
 */
export class HashingEmbedder implements Embedder {
  readonly info: EmbedderInfo;
  calls = 0;
  constructor(dim = 64, modelId = 'test/hashing') {
    this.info = {
      modelId,
      dtype: 'fp32',
      pooling: 'mean',
      normalize: true,
      dim,
      queryPrefix: '',
      passagePrefix: '',
      device: 'js',
    };
  }

  async embed(texts: readonly string[]): Promise<Float32Array> {
    this.calls++;
    const { dim } = this.info;
    const out = new Float32Array(texts.length * dim);
    texts.forEach((text, row) => {
      for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
        let h = 2166136261;
        for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
        out[row * dim + ((h >>> 1) % dim)] += h & 1 ? 1 : -1;
      }
      let norm = 0;
      for (let i = 0; i < dim; i++) norm += out[row * dim + i] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < dim; i++) out[row * dim + i] /= norm;
    });
    return out;
  }

  async dispose(): Promise<void> {}
}
