/**
 * Batching helpers shared by the embedder and the reranker. Texts are sorted
 * by token count and batched with their neighbours, so a batch is padded to
 * about its own length rather than to the longest text of the whole call.
 */

/** Token ids of one text (or text pair), special tokens included. */
export interface TokenizedText {
  ids: readonly number[];
  /** Segment ids; absent when the tokenizer does not produce them. */
  typeIds?: readonly number[];
}

/**
 * Cuts a sequence to `maxLength` keeping its final token. transformers.js
 * truncates after adding special tokens and so drops the closing [SEP] / </s>;
 * keeping it matches what the model saw in training (and Python's truncation)
 * for templates that end in one special token, which is every BERT/XLM-R/DeBERTa.
 */
export function truncateKeepingLast(text: TokenizedText, maxLength: number): TokenizedText {
  const n = text.ids.length;
  if (n <= maxLength) return text;
  const cut = <T>(a: readonly T[]): T[] => [...a.slice(0, maxLength - 1), a[n - 1]];
  return text.typeIds ? { ids: cut(text.ids), typeIds: cut(text.typeIds) } : { ids: cut(text.ids) };
}

export interface BatchLimits {
  /** Most texts in one batch. */
  maxBatchSize: number;
  /** Most padded tokens (rows x columns) in one batch, which bounds memory. */
  maxBatchTokens: number;
}

/**
 * Groups text indices into batches, longest first, each batch holding texts of
 * similar length. Returns original indices so results can be put back in order.
 */
export function lengthSortedBatches(lengths: ArrayLike<number>, limits: BatchLimits): Uint32Array[] {
  const order = Uint32Array.from({ length: lengths.length }, (_, i) => i);
  // Longest first: the batch most likely to fail on memory fails before any work is wasted.
  order.sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: Uint32Array[] = [];
  let start = 0;
  while (start < order.length) {
    const width = Math.max(1, lengths[order[start]]);
    const rows = Math.max(
      1,
      Math.min(limits.maxBatchSize, Math.floor(limits.maxBatchTokens / width), order.length - start),
    );
    batches.push(order.subarray(start, start + rows));
    start += rows;
  }
  return batches;
}

export interface PaddedBatch {
  rows: number;
  columns: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** Null when no text in the batch carries segment ids. */
  tokenTypeIds: BigInt64Array | null;
}

/** Right-pads the selected texts into int64 row-major matrices, as ONNX BERT exports expect. */
export function padBatch(
  texts: readonly TokenizedText[],
  indices: ArrayLike<number>,
  padId: number,
): PaddedBatch {
  const rows = indices.length;
  let columns = 0;
  let hasTypes = false;
  for (let r = 0; r < rows; r++) {
    const t = texts[indices[r]];
    columns = Math.max(columns, t.ids.length);
    hasTypes ||= t.typeIds !== undefined;
  }
  const inputIds = new BigInt64Array(rows * columns).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows * columns);
  const tokenTypeIds = hasTypes ? new BigInt64Array(rows * columns) : null;
  for (let r = 0; r < rows; r++) {
    const t = texts[indices[r]];
    const base = r * columns;
    for (let c = 0; c < t.ids.length; c++) {
      inputIds[base + c] = BigInt(t.ids[c]);
      attentionMask[base + c] = 1n;
      if (tokenTypeIds && t.typeIds) tokenTypeIds[base + c] = BigInt(t.typeIds[c]);
    }
  }
  return { rows, columns, inputIds, attentionMask, tokenTypeIds };
}
