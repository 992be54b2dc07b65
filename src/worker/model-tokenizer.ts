import { AutoTokenizer } from '@huggingface/transformers';
import type { TokenSource } from './inference-api';
import { configure } from './model-runtime';

/**
 * A model's tokenizer in the engine worker, for the chunker's synchronous
 * `countTokens`. The inference worker loaded the model first, so its
 * tokenizer files are in the model cache: this reads them from there with
 * the same transformers.js settings, and counts as `TransformersEmbedder` does.
 */
export async function loadTokenCounter(source: Extract<TokenSource, { kind: 'tokenizer' }>): Promise<(text: string) => number> {
  configure(source.remoteHost);
  const tokenizer = await AutoTokenizer.from_pretrained(source.modelId);
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
}
