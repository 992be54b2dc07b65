/**
 * An ingest hands the inference worker passages 32 at a time, and a running
 * ONNX batch cannot be interrupted: the worker's thread is busy until it
 * ends, so a search's query waits for the whole batch (seconds, for a
 * MiniLM-sized model on WASM). Embedding a passage call as several short
 * slices, and letting pending messages in between them, bounds that wait to
 * one slice. Slices are cut from the texts ordered by length, so each pads
 * little; the vectors go back to the caller's order.
 */
export const PASSAGE_SLICE = 8;

/**
 * Sizes slices by how fast a model runs: about `targetMs` of work each, so a
 * fast model keeps large batches (no overhead) and a slow one yields often.
 */
export class SliceSizer {
  private msPerText: number | undefined;

  constructor(
    private readonly targetMs = 200,
    private readonly min = 2,
    private readonly max = 32,
  ) {}

  get size(): number {
    if (this.msPerText === undefined) return PASSAGE_SLICE;
    return Math.max(this.min, Math.min(this.max, Math.floor(this.targetMs / Math.max(this.msPerText, 1e-3))));
  }

  /** Folds in one slice's time (a moving average: machines and texts vary). */
  record(texts: number, ms: number): void {
    if (texts === 0) return;
    const sample = ms / texts;
    this.msPerText = this.msPerText === undefined ? sample : 0.7 * this.msPerText + 0.3 * sample;
  }
}

/** Lets queued messages (a query arriving) be handled before the next slice is queued. */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function embedInSlices(
  texts: readonly string[],
  dim: number,
  embedSlice: (texts: string[]) => Promise<Float32Array>,
  options: { slice?: number | (() => number); between?: () => Promise<void> } = {},
): Promise<Float32Array> {
  const sliceSize = (): number => {
    const value = typeof options.slice === 'function' ? options.slice() : options.slice;
    return Math.max(1, Math.floor(value ?? PASSAGE_SLICE));
  };
  const between = options.between ?? yieldToMessages;
  const order = Uint32Array.from(texts, (_, i) => i).sort((a, b) => texts[a].length - texts[b].length || a - b);
  const out = new Float32Array(texts.length * dim);
  for (let start = 0; start < order.length; ) {
    if (start > 0) await between();
    const rows = order.subarray(start, Math.min(order.length, start + sliceSize()));
    start += rows.length;
    const vectors = await embedSlice(Array.from(rows, (i) => texts[i]));
    for (let r = 0; r < rows.length; r++) out.set(vectors.subarray(r * dim, (r + 1) * dim), rows[r] * dim);
  }
  return out;
}
