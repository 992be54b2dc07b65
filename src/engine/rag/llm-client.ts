/**
 * One interface over the two wire protocols. `fetch` comes in from outside so
 * tests can swap it and the engine never touches a global it was not given.
 */
import type { EngineError } from '../errors';
import { resolveLlmSettings, type LlmSettings } from './llm-settings';
import type { FetchLike } from './llm-transport';
import { createOllamaClient } from './ollama-client';
import { createOpenAiClient } from './openai-client';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatOptions {
  signal?: AbortSignal;
  /** Each piece of answer text as it arrives. */
  onToken: (text: string) => void;
}

export interface ChatResult {
  text: string;
  /** `stop`, `length` (hit maxTokens)... as the server reported it. */
  finishReason?: string;
}

export type ConnectionTest = { ok: true; models: string[] } | { ok: false; error: EngineError };

export interface LlmClient {
  /** Streams the reply; rejects with an EngineError (`LLM_*` or `CANCELLED`). */
  chat(messages: ChatMessage[], options: ChatOptions): Promise<ChatResult>;
  /** `GET /models` (OpenAI-compatible) or `GET /api/tags` (Ollama). */
  listModels(signal?: AbortSignal): Promise<string[]>;
  /** Never rejects: the Settings panel shows the error it returns. */
  testConnection(): Promise<ConnectionTest>;
}

export function createLlmClient(settings: LlmSettings, fetchImpl: FetchLike = globalThis.fetch): LlmClient {
  const resolved = resolveLlmSettings(settings);
  // Called as a plain function: browsers throw "Illegal invocation" if fetch gets another `this`.
  const boundFetch: FetchLike = (input, init) => fetchImpl(input, init);
  return resolved.provider === 'ollama' ? createOllamaClient(resolved, boundFetch) : createOpenAiClient(resolved, boundFetch);
}
