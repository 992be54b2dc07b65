/** The answer step's public API: retrieve → rerank → LLM, with citations. */
export type { LlmProvider, LlmSettings, ResolvedLlmSettings } from './llm-settings';
export {
  DEFAULT_BASE_URLS,
  DEFAULT_MODELS,
  DEFAULT_TEMPERATURE,
  DEFAULT_TIMEOUTS,
  LLM_PROVIDERS,
  defaultLlmSettings,
  resolveLlmSettings,
} from './llm-settings';
export type { ChatMessage, ChatOptions, ChatResult, ChatRole, ConnectionTest, LlmClient } from './llm-client';
export { createLlmClient } from './llm-client';
export type { FetchLike } from './llm-transport';
export { createOpenAiClient } from './openai-client';
export { createOllamaClient } from './ollama-client';
export { redactSecret, parseRetryAfter } from './llm-errors';
export type { SseEvent, LineParser } from './stream-parsers';
export { createSseParser, createNdjsonParser, createLineSplitter } from './stream-parsers';
export type { BuildPromptInput, BuiltPrompt, PromptSource } from './prompt';
export { DEFAULT_SYSTEM_PROMPT, DEFAULT_TEMPLATE, buildPrompt, formatSource, neutraliseDelimiters, renderTemplate } from './prompt';
export type { AnswerSegment, Citation } from './citations';
export { citedSources, parseCitations, segmentAnswer } from './citations';
export type { Hasher, LruCacheOptions } from './cache';
export { LruCache, answerCacheParts, cacheKey, cacheKeyAsync, fnv1a64, sha256Hasher, stableStringify } from './cache';
export type {
  AnswerCache,
  AnswerEvent,
  AnswerOptions,
  AnswerResult,
  AnswerSource,
  AnswerStage,
  CachedAnswer,
  RetrievedSource,
} from './answer-pipeline';
export { NO_SOURCES_ANSWER, answerQuestion } from './answer-pipeline';
export type { BatchAnswerOptions, BatchOptions, BatchQueryResult, BatchRow, CsvOptions } from './batch';
export { batchRows, csvCell, runBatch, toCsv, toJson } from './batch';
