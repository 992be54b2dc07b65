import { createIndex } from '../indexes/factory';
import type { Metric, VectorIndex } from '../indexes/vector-index';
import type { Store } from '../storage/store';
import { chooseIndexDescription, type IndexSettings } from './index-policy';

// Trained kinds wait for this many vectors; below it, an exact scan is as fast anyway.
const MIN_TRAINING_VECTORS = 2_000;
const MAX_TRAINING_VECTORS = 100_000;
const ADD_BATCH = 1024;

/**
 * Decides which vector index a collection of a given size gets, and builds
 * it from the stored chunks: a training pass over a sample first when the
 * kind needs one, then the vectors in batches, never all floats at once.
 */
export class VectorIndexPlan {
  constructor(
    private readonly choice: IndexSettings | string,
    readonly dim: number,
    readonly metric: Metric,
  ) {}

  describe(count: number): string {
    const description = typeof this.choice === 'string' ? this.choice : chooseIndexDescription(this.choice, count, this.dim);
    if (description === 'Flat' || count >= MIN_TRAINING_VECTORS) return description;
    return createIndex(description, this.dim, this.metric).isTrained ? description : 'Flat';
  }

  createEmpty(description: string): VectorIndex {
    return createIndex(description, this.dim, this.metric, { seed: 1 });
  }

  /** Builds the index for the stored chunks that `accept` admits (those of the current vector space). */
  async build(
    store: Store,
    count: number,
    accept: (docId: number, vector: Float32Array) => boolean,
  ): Promise<{ index: VectorIndex; description: string }> {
    const description = this.describe(count);
    const index = this.createEmpty(description);
    const { dim } = this;
    if (!index.isTrained && index.train) {
      // Every k-th vector, so the sample spans the whole collection.
      const stride = Math.max(1, Math.ceil(count / MAX_TRAINING_VECTORS));
      const sample: Float32Array[] = [];
      let seen = 0;
      await store.forEachChunk((chunk) => {
        if (accept(chunk.docId, chunk.vector) && seen++ % stride === 0) sample.push(chunk.vector);
      });
      const training = new Float32Array(sample.length * dim);
      sample.forEach((v, i) => training.set(v, i * dim));
      index.train(training);
    }
    let ids: number[] = [];
    let vectors: Float32Array[] = [];
    const flush = () => {
      if (ids.length === 0) return;
      const batch = new Float32Array(ids.length * dim);
      vectors.forEach((v, i) => batch.set(v, i * dim));
      index.add(Uint32Array.from(ids), batch);
      ids = [];
      vectors = [];
    };
    await store.forEachChunk((chunk) => {
      if (!accept(chunk.docId, chunk.vector)) return;
      ids.push(chunk.id);
      vectors.push(chunk.vector);
      if (ids.length >= ADD_BATCH) flush();
    });
    flush();
    // Lists grew in steps while adding; pack them so memory is the codes alone.
    (index as { compact?: () => void }).compact?.();
    return { index, description };
  }
}
