/**
 * The HTTP layer both protocol clients share: headers (the API key goes to the
 * configured origin and nowhere else), the three timeouts, cancellation, and
 * reading a streamed body as text. Every wait is raced against the deadlines,
 * so a `fetch` that ignores its signal still cannot hang the caller.
 */
import { isEngineError, toEngineError, type EngineError } from '../errors';
import {
  cancelledError,
  connectionLostError,
  httpError,
  timeoutError,
  unreachableError,
} from './llm-errors';
import type { ResolvedLlmSettings } from './llm-settings';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

type Timer = ReturnType<typeof setTimeout>;

/**
 * Overall deadline, plus a first-token deadline that gives way to an idle
 * deadline once tokens flow. Any of them, or the caller's signal, aborts the
 * request and makes `failure` reject with the matching error.
 */
export class Deadlines {
  readonly controller = new AbortController();
  readonly failure: Promise<never>;
  private fail!: (error: EngineError) => void;
  private failed: EngineError | undefined;
  private overall: Timer | undefined;
  private phaseTimer: Timer | undefined;
  private streaming = false;
  private readonly onUserAbort = () => this.trip(cancelledError());

  constructor(
    private readonly settings: ResolvedLlmSettings,
    private readonly userSignal?: AbortSignal,
  ) {
    this.failure = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failure.catch(() => undefined);
    if (userSignal?.aborted) {
      this.trip(cancelledError());
      return;
    }
    userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    this.overall = setTimeout(() => this.trip(this.timeout('overall', settings.timeoutMs)), settings.timeoutMs);
    this.phaseTimer = setTimeout(
      () => this.trip(this.timeout('first-token', settings.firstTokenTimeoutMs)),
      settings.firstTokenTimeoutMs,
    );
  }

  get error(): EngineError | undefined {
    return this.failed;
  }

  /** Called on each content token; the first one switches to the idle deadline. */
  markToken(): void {
    if (this.streaming || this.failed) return;
    this.streaming = true;
    this.markData();
  }

  /** Called on every received chunk. */
  markData(): void {
    if (!this.streaming || this.failed) return;
    clearTimeout(this.phaseTimer);
    const ms = this.settings.idleTimeoutMs;
    this.phaseTimer = setTimeout(() => this.trip(this.timeout('idle', ms)), ms);
  }

  /** Waits for `promise` unless a deadline or the caller's abort comes first. */
  race<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return Promise.race([promise, this.failure]);
  }

  dispose(): void {
    clearTimeout(this.overall);
    clearTimeout(this.phaseTimer);
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }

  private timeout(kind: 'overall' | 'first-token' | 'idle', ms: number): EngineError {
    return timeoutError(kind, ms, this.settings.provider, this.settings.baseUrl);
  }

  private trip(error: EngineError): void {
    if (this.failed) return;
    this.failed = error;
    this.dispose();
    this.controller.abort();
    this.fail(error);
  }
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** Appended to the base URL, e.g. `/chat/completions`. */
  path: string;
  body?: unknown;
}

export function requestHeaders(settings: ResolvedLlmSettings, url: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json, text/event-stream, application/x-ndjson' };
  if (hasBody) headers['Content-Type'] = 'application/json';
  if (settings.apiKey && new URL(url).origin === new URL(settings.baseUrl).origin) {
    headers.Authorization = `Bearer ${settings.apiKey}`;
  }
  return headers;
}

/** Sends the request and returns the response once its status is known to be OK. */
export async function sendRequest(
  settings: ResolvedLlmSettings,
  fetchImpl: FetchLike,
  deadlines: Deadlines,
  spec: RequestSpec,
): Promise<Response> {
  if (deadlines.error) throw deadlines.error;
  const url = settings.baseUrl + spec.path;
  const hasBody = spec.body !== undefined;
  const init: RequestInit = {
    method: spec.method,
    headers: requestHeaders(settings, url, hasBody),
    body: hasBody ? JSON.stringify(spec.body) : undefined,
    signal: deadlines.controller.signal,
    // No cookies to a third-party server, and a redirect must not carry the key elsewhere.
    credentials: 'omit',
    redirect: settings.apiKey ? 'error' : 'follow',
    cache: 'no-store',
  };
  let response: Response;
  try {
    response = await deadlines.race(fetchImpl(url, init));
  } catch (error) {
    throw deadlines.error ?? (isEngineError(error) ? error : unreachableError(settings.provider, settings.baseUrl, error));
  }
  if (!response.ok) {
    let body = '';
    try {
      body = await deadlines.race(response.text());
    } catch {
      if (deadlines.error) throw deadlines.error;
    }
    throw httpError({
      provider: settings.provider,
      baseUrl: settings.baseUrl,
      path: spec.path,
      status: response.status,
      body,
      retryAfter: response.headers.get('retry-after'),
      model: settings.model,
      apiKey: settings.apiKey,
    });
  }
  return response;
}

/** Feeds the decoded body to `onText` chunk by chunk (UTF-8 split across chunks is handled). */
export async function readBody(
  settings: ResolvedLlmSettings,
  response: Response,
  deadlines: Deadlines,
  onText: (text: string) => void,
): Promise<void> {
  if (!response.body) {
    const text = await readWhole(settings, response, deadlines);
    deadlines.markData();
    onText(text);
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await deadlines.race(reader.read());
      } catch (error) {
        throw deadlines.error ?? (isEngineError(error) ? error : connectionLostError(settings.provider, settings.baseUrl, error));
      }
      if (chunk.done) break;
      deadlines.markData();
      const text = decoder.decode(chunk.value, { stream: true });
      if (text) onText(text);
    }
    finished = true;
    const tail = decoder.decode();
    if (tail) onText(tail);
  } finally {
    if (!finished) reader.cancel().catch(() => undefined);
  }
}

export async function readWhole(settings: ResolvedLlmSettings, response: Response, deadlines: Deadlines): Promise<string> {
  try {
    return await deadlines.race(response.text());
  } catch (error) {
    throw deadlines.error ?? (isEngineError(error) ? error : connectionLostError(settings.provider, settings.baseUrl, error));
  }
}

/** Anything escaping a client call becomes an EngineError, preferring the deadline's reason. */
/** Runs one request under its deadlines, turning whatever it throws into a coded LLM error. */
export async function withDeadlines<T>(
  settings: ConstructorParameters<typeof Deadlines>[0],
  signal: AbortSignal | undefined,
  run: (deadlines: Deadlines) => Promise<T>,
): Promise<T> {
  const deadlines = new Deadlines(settings, signal);
  try {
    return await run(deadlines);
  } catch (error) {
    throw asLlmError(error, deadlines);
  } finally {
    deadlines.dispose();
  }
}

export function asLlmError(error: unknown, deadlines: Deadlines): EngineError {
  if (deadlines.error) return deadlines.error;
  if (isEngineError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return cancelledError();
  // Not from the network (say, the caller's onToken threw): keep its message.
  return toEngineError(error, 'LLM_BAD_RESPONSE');
}
