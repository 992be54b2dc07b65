/**
 * Settings for the answer endpoint. Two protocols cover nearly every local
 * server: Ollama's own API, and the OpenAI-compatible one that llama.cpp's
 * `llama-server`, LM Studio, vLLM and hosted APIs all speak.
 */
import { createError } from '../errors';

export type LlmProvider = 'openai' | 'ollama';

export interface LlmSettings {
  provider: LlmProvider;
  /** Ollama: `http://localhost:11434`; OpenAI-compatible: up to and including `/v1`. */
  baseUrl: string;
  /** Sent only as `Authorization: Bearer ...` to `baseUrl`'s origin. */
  apiKey?: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** Whole request, from sending to the last token. */
  timeoutMs?: number;
  /** From sending until the first token; covers a local model loading from disk. */
  firstTokenTimeoutMs?: number;
  /** Longest silence allowed once tokens are flowing (a hung stream). */
  idleTimeoutMs?: number;
}

export const LLM_PROVIDERS: readonly LlmProvider[] = ['openai', 'ollama'];

export const DEFAULT_BASE_URLS: Readonly<Record<LlmProvider, string>> = {
  ollama: 'http://localhost:11434',
  openai: 'http://localhost:8080/v1',
};

export const DEFAULT_MODELS: Readonly<Record<LlmProvider, string>> = {
  ollama: 'llama3.2',
  // llama-server answers with whatever model it loaded and ignores this name.
  openai: 'local-model',
};

export const DEFAULT_TIMEOUTS = {
  timeoutMs: 300_000,
  firstTokenTimeoutMs: 120_000,
  idleTimeoutMs: 30_000,
} as const;

export const DEFAULT_TEMPERATURE = 0.2;

export type ResolvedLlmSettings = Required<Omit<LlmSettings, 'apiKey' | 'maxTokens'>> &
  Pick<LlmSettings, 'apiKey' | 'maxTokens'>;

export function defaultLlmSettings(provider: LlmProvider = 'ollama'): LlmSettings {
  return { provider, baseUrl: DEFAULT_BASE_URLS[provider], model: DEFAULT_MODELS[provider] };
}

/**
 * Fills defaults and checks the URL once, so the clients never see a malformed
 * base URL. A trailing slash is dropped so `${baseUrl}/models` has one slash.
 */
export function resolveLlmSettings(settings: LlmSettings): ResolvedLlmSettings {
  if (!LLM_PROVIDERS.includes(settings.provider)) {
    throw createError('INVALID_ARGUMENT', `Unknown answer provider "${String(settings.provider)}". Use "openai" or "ollama".`);
  }
  const raw = (settings.baseUrl ?? '').trim() || DEFAULT_BASE_URLS[settings.provider];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw createError('INVALID_ARGUMENT', `The server address "${raw}" is not a valid URL. It should look like ${DEFAULT_BASE_URLS[settings.provider]}.`, { baseUrl: raw });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw createError('INVALID_ARGUMENT', `The server address must start with http:// or https:// (got "${url.protocol}").`, { baseUrl: raw });
  }
  if (url.username || url.password) {
    // Credentials in the URL would travel in places the key must not (logs, error text).
    throw createError('INVALID_ARGUMENT', 'Put the API key in the API key field, not inside the server address.');
  }
  const baseUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  const apiKey = settings.apiKey?.trim() || undefined;
  return {
    provider: settings.provider,
    baseUrl,
    apiKey,
    model: settings.model?.trim() || DEFAULT_MODELS[settings.provider],
    temperature: settings.temperature ?? DEFAULT_TEMPERATURE,
    maxTokens: settings.maxTokens,
    timeoutMs: positive(settings.timeoutMs, DEFAULT_TIMEOUTS.timeoutMs),
    firstTokenTimeoutMs: positive(settings.firstTokenTimeoutMs, DEFAULT_TIMEOUTS.firstTokenTimeoutMs),
    idleTimeoutMs: positive(settings.idleTimeoutMs, DEFAULT_TIMEOUTS.idleTimeoutMs),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
