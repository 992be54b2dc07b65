import {
  LruCache,
  answerCacheParts,
  answerQuestion,
  batchRows,
  cacheKey,
  createLlmClient,
  runBatch,
  toCsv,
  toJson,
  type AnswerEvent,
  type AnswerResult,
  type CachedAnswer,
  type ConnectionTest,
  type FetchLike,
  type LlmSettings,
} from '../rag';
import type { SearchHit } from '../search/search-types';
import type { Sift } from '../sift';
import { approximateTokens, type AnswerSettings } from './answer-settings';

const ANSWER_TTL_MS = 30 * 60 * 1000;

export interface BatchExport {
  count: number;
  csv: string;
  json: string;
}

/**
 * The answer step on top of an open collection: retrieve with the app's
 * hybrid search, build the prompt, stream the LLM's answer. Answers are
 * cached per question, settings and collection version, so any change to
 * the documents or the settings misses the cache.
 */
export class AnswerService {
  private readonly cache = new LruCache<CachedAnswer<SearchHit>>({ maxEntries: 200, ttlMs: ANSWER_TTL_MS });

  constructor(
    private readonly sift: Sift,
    private readonly fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
  ) {}

  testConnection(llm: LlmSettings): Promise<ConnectionTest> {
    return createLlmClient(llm, this.fetchImpl).testConnection();
  }

  ask(
    question: string,
    settings: AnswerSettings,
    onEvent: (event: AnswerEvent<SearchHit>) => void,
    signal?: AbortSignal,
  ): Promise<AnswerResult<SearchHit>> {
    const key = cacheKey(
      answerCacheParts({
        question,
        collectionVersion: this.sift.version,
        settings: { ...settings.llm, template: settings.template, tokenBudget: settings.tokenBudget, maxSources: settings.maxSources },
        extra: { vectorSpace: this.sift.vectorSpace },
      }),
    );
    return answerQuestion<SearchHit>({
      question,
      retrieve: (q) => this.sift.search(q, { k: settings.maxSources }),
      maxSources: settings.maxSources,
      client: createLlmClient(settings.llm, this.fetchImpl),
      countTokens: approximateTokens,
      tokenBudget: settings.tokenBudget,
      template: settings.template,
      signal,
      onEvent,
      cache: this.cache,
      cacheKey: key,
    });
  }

  /** Runs many queries as one batch; with `withAnswers`, each also gets an LLM answer. */
  async batch(
    queries: readonly string[],
    settings: AnswerSettings,
    options: { withAnswers: boolean; k?: number; signal?: AbortSignal; onProgress?: (p: { phase: 'retrieve' | 'answer'; done: number; total: number }) => void },
  ): Promise<BatchExport> {
    const cleaned = queries.map((q) => q.trim()).filter((q) => q.length > 0);
    const k = options.k ?? 5;
    const results = await runBatch<SearchHit>({
      queries: cleaned,
      retrieveMany: (qs) => this.sift.searchMany(qs, { k }),
      k,
      signal: options.signal,
      onProgress: options.onProgress,
      answer: options.withAnswers
        ? {
            client: createLlmClient(settings.llm, this.fetchImpl),
            countTokens: approximateTokens,
            tokenBudget: settings.tokenBudget,
            template: settings.template,
          }
        : undefined,
    });
    // One row per query, whether or not it was answered: the export lines up with the input list.
    const rows = batchRows(results, 'answers');
    return { count: cleaned.length, csv: toCsv(rows), json: toJson(results) };
  }
}
