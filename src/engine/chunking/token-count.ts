/** Counts tokens the way the embedder will; injected so chunk sizes match the model. */
export type CountTokens = (text: string) => number;

/**
 * Scripts written without spaces: each character is about one token in
 * BERT-style vocabularies.
 */
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}]|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu;

/**
 * A word-based stand-in for a subword tokenizer: one token per word or
 * punctuation mark, plus one per 10 characters of a long word (long words
 * split into several word pieces). It errs on the high side for English so
 * chunks sized with it fit a model's real limit.
 */
export function approximateTokenCount(text: string): number {
  let count = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    count += 1 + Math.floor(m[0].length / 10);
  }
  return count;
}
