/**
 * Turns every way an LLM request can fail into an EngineError whose message a
 * non-expert can act on. Anything that came from the server is passed through
 * `redactSecret` first, since some servers echo the API key back.
 */
import type { ConnectionTest } from './llm-client';
import { createError, toEngineError, type EngineError } from '../errors';
import type { LlmProvider } from './llm-settings';

const MAX_SERVER_MESSAGE = 300;

export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}

export function providerLabel(provider: LlmProvider): string {
  return provider === 'ollama' ? 'Ollama' : 'the answer server';
}

function pageOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: string } }).location;
  const origin = location?.origin;
  return origin && origin !== 'null' ? origin : undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost');
}

/** `fetch` rejected: the browser does not say whether the server is down or CORS blocked it. */
export function unreachableError(provider: LlmProvider, baseUrl: string, cause: unknown): EngineError {
  const origin = pageOrigin();
  const originText = origin ?? "<this page's origin, e.g. http://localhost:4173>";
  const probe = provider === 'ollama' ? `${baseUrl}/api/tags` : `${baseUrl}/models`;
  const allow =
    provider === 'ollama'
      ? `Ollama is running but does not accept requests from this page: quit Ollama, set the environment variable OLLAMA_ORIGINS=${originText}, and start it again.`
      : `the server is running but does not accept requests from this page (CORS): allow requests from ${originText} in its settings (llama.cpp's llama-server allows it by default; in LM Studio turn on "Enable CORS"; vLLM needs --allowed-origins).`;
  const start = provider === 'ollama' ? 'start Ollama (run "ollama serve") or correct the address' : 'start the server or correct the address';
  let message =
    `Could not reach ${provider === 'ollama' ? 'Ollama' : 'the answer server'} at ${baseUrl}. ` +
    `Either it is not running, or it refused this page (a CORS block: the browser reports both the same way). ` +
    `To tell which, open ${probe} in a new browser tab. If it shows data, ${allow} ` +
    `If the tab shows an error, ${start}.`;
  let mixedContent = false;
  try {
    const target = new URL(baseUrl);
    if (origin?.startsWith('https:') && target.protocol === 'http:' && !isLoopback(target.hostname)) {
      mixedContent = true;
      message += ` Also note: this page uses https, and browsers block requests from it to plain http servers other than localhost.`;
    }
  } catch {
    // baseUrl was validated earlier; nothing more to add.
  }
  return createError('LLM_UNREACHABLE', message, {
    provider,
    baseUrl,
    pageOrigin: origin,
    cause: describeCause(cause),
    mixedContent,
  });
}

/** Short, key-free description of a network error (Node puts the errno code in `cause`). */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof inner?.code === 'string' ? inner.code : undefined;
  return code ? `${cause.message} (${code})` : cause.message;
}

export function connectionLostError(provider: LlmProvider, baseUrl: string, cause: unknown): EngineError {
  return createError(
    'LLM_UNREACHABLE',
    `The connection to ${providerLabel(provider)} at ${baseUrl} was lost while the answer was arriving. Check that the server is still running, then try again.`,
    { provider, baseUrl, cause: describeCause(cause) },
  );
}

export function timeoutError(kind: 'overall' | 'first-token' | 'idle', ms: number, provider: LlmProvider, baseUrl: string): EngineError {
  const seconds = Math.round(ms / 100) / 10;
  const text =
    kind === 'first-token'
      ? `${capitalise(providerLabel(provider))} at ${baseUrl} did not start answering within ${seconds} s. A large model may still be loading: try again, pick a smaller model, or raise the first-token timeout in Settings.`
      : kind === 'idle'
        ? `${capitalise(providerLabel(provider))} at ${baseUrl} stopped sending the answer for ${seconds} s, so Sift gave up. The server may be overloaded or stuck; try again.`
        : `The answer took longer than ${seconds} s, so Sift stopped waiting. Try a shorter question, fewer sources, or a faster model, or raise the timeout in Settings.`;
  return createError('LLM_TIMEOUT', text, { provider, baseUrl, timeout: kind, timeoutMs: ms });
}

export function cancelledError(): EngineError {
  return createError('CANCELLED', 'The answer was cancelled.');
}

export function badResponseError(message: string, details: Record<string, unknown> = {}): EngineError {
  return createError('LLM_BAD_RESPONSE', message, details);
}

/** Pulls a human message out of the usual error body shapes, never HTML. */
export function serverMessage(body: string, secret: string | undefined): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  let message: string | undefined;
  try {
    const json = JSON.parse(trimmed) as unknown;
    message = messageFromJson(json);
  } catch {
    if (!/^<(!doctype|html|head|body)/i.test(trimmed)) message = trimmed;
  }
  if (!message) return undefined;
  message = redactSecret(message, secret).replace(/\s+/g, ' ').trim();
  return message.length > MAX_SERVER_MESSAGE ? `${message.slice(0, MAX_SERVER_MESSAGE)}…` : message;
}

function messageFromJson(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (!json || typeof json !== 'object') return undefined;
  const record = json as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const inner = (error as Record<string, unknown>).message;
    if (typeof inner === 'string') return inner;
  }
  for (const key of ['message', 'detail']) {
    if (typeof record[key] === 'string') return record[key] as string;
  }
  return undefined;
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export interface HttpFailure {
  provider: LlmProvider;
  baseUrl: string;
  path: string;
  status: number;
  body: string;
  retryAfter: string | null;
  model?: string;
  apiKey?: string;
}

export function httpError(failure: HttpFailure): EngineError {
  const { provider, baseUrl, path, status, model } = failure;
  const server = serverMessage(failure.body, failure.apiKey);
  const said = server ? ` The server said: "${server}"` : '';
  const details: Record<string, unknown> = { provider, baseUrl, path, status, serverMessage: server };
  const who = capitalise(providerLabel(provider));
  if (status === 401 || status === 403) {
    const hint = failure.apiKey
      ? 'Check the API key in Settings.'
      : 'This server needs an API key: enter it in Settings.';
    return createError('LLM_UNAUTHORIZED', `${who} at ${baseUrl} refused the request (HTTP ${status}). ${hint}${said}`, details);
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(failure.retryAfter);
    const wait = retryAfterSeconds !== undefined ? `Try again in ${retryAfterSeconds} s.` : 'Wait a little and try again.';
    return createError('LLM_RATE_LIMITED', `${who} at ${baseUrl} is receiving too many requests (HTTP 429). ${wait}${said}`, {
      ...details,
      retryAfterSeconds,
    });
  }
  if (status === 404) {
    if (server && /model/i.test(server) && /(not found|does not exist|no such)/i.test(server)) {
      const pull = provider === 'ollama' ? ` Install it with "ollama pull ${model ?? '<model>'}", or pick another model in Settings.` : ' Pick a model the server offers in Settings.';
      return createError('LLM_BAD_RESPONSE', `${who} does not have the model "${model ?? ''}".${pull}${said}`, details);
    }
    const hint = provider === 'openai' ? ' For OpenAI-compatible servers the address usually ends in /v1.' : '';
    return createError('LLM_BAD_RESPONSE', `${who} at ${baseUrl} has no ${path} endpoint (HTTP 404). Check the server address and the provider type in Settings.${hint}${said}`, details);
  }
  const kind = status >= 500 ? 'had an internal error' : 'rejected the request';
  return createError('LLM_BAD_RESPONSE', `${who} at ${baseUrl} ${kind} (HTTP ${status}).${said}`, details);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A connection test is a model listing that never rejects: failures come back as data. */
export async function testByListing(listModels: () => Promise<string[]>): Promise<ConnectionTest> {
  try {
    return { ok: true, models: await listModels() };
  } catch (error) {
    return { ok: false, error: toEngineError(error, 'LLM_BAD_RESPONSE') };
  }
}
