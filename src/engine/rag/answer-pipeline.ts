/**
 * Question → retrieve → (rerank) → prompt → streamed LLM answer with citations.
 * Progress goes out as a tagged union. Sources are reported before the LLM is
 * called, so the user still sees them when the answer step fails.
 */
import { toEngineError, type EngineError } from '../errors';
import { citedSources, parseCitations, type Citation } from './citations';
import { cancelledError } from './llm-errors';
import type { LlmClient } from './llm-client';
import { buildPrompt } from './prompt';

export interface RetrievedSource {
  docName: string;
  text: string;
  headingPath?: string[];
  page?: number;
  docId?: number;
  chunkId?: number;
  docPath?: string;
  /** Character offsets of the passage in its document, for highlighting. */
  start?: number;
  end?: number;
  score?: number;
}

export type AnswerSource<S extends RetrievedSource = RetrievedSource> = S & { n: number };

export type AnswerStage = 'retrieve' | 'rerank' | 'prompt' | 'llm';

export type AnswerEvent<S extends RetrievedSource = RetrievedSource> =
  | { type: 'sources'; sources: AnswerSource<S>[]; usedSources: number[]; truncatedSource?: number }
  | { type: 'token'; text: string }
  | { type: 'done'; text: string; citations: Citation[]; citedSources: number[]; finishReason?: string; cached: boolean }
  | { type: 'error'; error: EngineError; stage: AnswerStage };

export interface CachedAnswer<S extends RetrievedSource = RetrievedSource> {
  sources: AnswerSource<S>[];
  usedSources: number[];
  text: string;
  finishReason?: string;
}

/** Anything with get/set, e.g. an `LruCache<CachedAnswer>`. */
export interface AnswerCache<S extends RetrievedSource = RetrievedSource> {
  get(key: string): CachedAnswer<S> | undefined;
  set(key: string, value: CachedAnswer<S>): void;
}

export interface AnswerOptions<S extends RetrievedSource = RetrievedSource> {
  question: string;
  /** Best first; usually hybrid search already reranked by a cross-encoder. */
  retrieve: (question: string, signal?: AbortSignal) => Promise<S[]>;
  /** Optional extra step between retrieval and the prompt. */
  rerank?: (question: string, sources: S[], signal?: AbortSignal) => Promise<S[]>;
  /** Sources offered to the prompt before the token budget trims them. */
  maxSources?: number;
  client: LlmClient;
  countTokens: (text: string) => number;
  tokenBudget: number;
  template?: string;
  systemPrompt?: string;
  signal?: AbortSignal;
  onEvent?: (event: AnswerEvent<S>) => void;
  cache?: AnswerCache<S>;
  /** From `cacheKey(answerCacheParts(...))`; without it nothing is cached. */
  cacheKey?: string;
}

export interface AnswerResult<S extends RetrievedSource = RetrievedSource> {
  text: string;
  citations: Citation[];
  citedSources: number[];
  sources: AnswerSource<S>[];
  usedSources: number[];
  finishReason?: string;
  cached: boolean;
  /** Set when a stage failed; `sources` are still filled if retrieval worked. */
  error?: EngineError;
  stage?: AnswerStage;
}

export const NO_SOURCES_ANSWER =
  'None of your documents seem to cover this question, so there is nothing to answer from. Try other words, or add documents that cover it.';

/** Never rejects for LLM or retrieval failures: they arrive as an `error` event and in the result. */
export async function answerQuestion<S extends RetrievedSource>(options: AnswerOptions<S>): Promise<AnswerResult<S>> {
  const { question, signal } = options;
  const emit = (event: AnswerEvent<S>) => options.onEvent?.(event);
  let sources: AnswerSource<S>[] = [];
  let usedSources: number[] = [];
  let stage: AnswerStage = 'retrieve';
  let text = '';

  const fail = (error: unknown): AnswerResult<S> => {
    const engineError = signal?.aborted ? cancelledError() : toEngineError(error, stage === 'llm' ? 'LLM_BAD_RESPONSE' : 'EMBEDDING_FAILED');
    emit({ type: 'error', error: engineError, stage });
    const citations = parseCitations(text, usedSources.length);
    return { text, citations, citedSources: citedSources(citations), sources, usedSources, cached: false, error: engineError, stage };
  };
  const finish = (finishReason: string | undefined, cached: boolean): AnswerResult<S> => {
    const citations = parseCitations(text, usedSources.length);
    const cited = citedSources(citations);
    emit({ type: 'done', text, citations, citedSources: cited, finishReason, cached });
    return { text, citations, citedSources: cited, sources, usedSources, finishReason, cached };
  };

  try {
    const hit = options.cacheKey ? options.cache?.get(options.cacheKey) : undefined;
    if (hit) {
      ({ sources, usedSources, text } = hit);
      emit({ type: 'sources', sources, usedSources });
      emit({ type: 'token', text });
      return finish(hit.finishReason, true);
    }

    if (signal?.aborted) throw cancelledError();
    let retrieved = await options.retrieve(question, signal);
    if (options.rerank) {
      stage = 'rerank';
      if (signal?.aborted) throw cancelledError();
      retrieved = await options.rerank(question, retrieved, signal);
    }
    if (options.maxSources !== undefined) retrieved = retrieved.slice(0, options.maxSources);
    sources = retrieved.map((source, i) => ({ ...source, n: i + 1 }));

    stage = 'prompt';
    if (sources.length === 0) {
      emit({ type: 'sources', sources, usedSources });
      text = NO_SOURCES_ANSWER;
      emit({ type: 'token', text });
      return finish(undefined, false);
    }
    const prompt = buildPrompt({
      question,
      sources,
      template: options.template,
      systemPrompt: options.systemPrompt,
      tokenBudget: options.tokenBudget,
      countTokens: options.countTokens,
    });
    usedSources = prompt.usedSources;
    emit(
      prompt.truncatedSource === undefined
        ? { type: 'sources', sources, usedSources }
        : { type: 'sources', sources, usedSources, truncatedSource: prompt.truncatedSource },
    );

    stage = 'llm';
    if (signal?.aborted) throw cancelledError();
    const reply = await options.client.chat(prompt.messages, {
      signal,
      onToken: (token) => {
        text += token;
        emit({ type: 'token', text: token });
      },
    });
    // Trust the client's full text over the concatenated tokens, in case it post-processed.
    text = reply.text;
    const result = finish(reply.finishReason, false);
    if (options.cacheKey && options.cache && reply.finishReason !== 'length') {
      options.cache.set(options.cacheKey, { sources, usedSources, text, finishReason: reply.finishReason });
    }
    return result;
  } catch (error) {
    return fail(error);
  }
}
