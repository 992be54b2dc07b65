// Client behaviour that needs a hand-made fetch: byte-level chunking, where the
// key goes, servers that ignore `stream`, and a fetch that ignores its signal.
import { describe, expect, it } from 'vitest';
import type { EngineError } from '../errors';
import { createLlmClient } from './llm-client';
import { parseRetryAfter } from './llm-errors';
import { resolveLlmSettings, type LlmSettings } from './llm-settings';
import { requestHeaders, type FetchLike } from './llm-transport';

const KEY = 'sk-live-0123456789abcdef';
const openai: LlmSettings = { provider: 'openai', baseUrl: 'http://llm.example:8080/v1/', model: 'm', apiKey: KEY };
const ollama: LlmSettings = { provider: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2', apiKey: KEY };

function streamResponse(chunks: Uint8Array[], contentType: string, status = 200, headers: Record<string, string> = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': contentType, ...headers } });
}

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function recordingFetch(respond: (url: string) => Response): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return respond(url);
    },
  };
}

const sse = (...contents: string[]) =>
  contents.map((c) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`).join('') +
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    return error as EngineError;
  }
  throw new Error('expected a failure');
}

const ask = [{ role: 'user' as const, content: 'q' }];

describe('byte-level streaming', () => {
  it('decodes multi-byte UTF-8 split between network chunks, at every byte', async () => {
    const bytes = new TextEncoder().encode(sse('Grüße ', '日本語 ', '😀 [1]'));
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const { fetch } = recordingFetch(() => streamResponse([bytes.slice(0, cut), bytes.slice(cut)], 'text/event-stream'));
      const result = await createLlmClient(openai, fetch).chat(ask, { onToken: () => undefined });
      expect(result.text, `cut ${cut}`).toBe('Grüße 日本語 😀 [1]');
    }
  });

  it('parses an Ollama NDJSON stream delivered one byte at a time', async () => {
    const lines = ['A', 'B', ' C'].map((c) => JSON.stringify({ message: { role: 'assistant', content: c }, done: false }));
    lines.push(JSON.stringify({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'length' }));
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const { fetch } = recordingFetch(() => streamResponse([...bytes].map((b) => Uint8Array.of(b)), 'application/x-ndjson'));
    const tokens: string[] = [];
    const result = await createLlmClient(ollama, fetch).chat(ask, { onToken: (t) => tokens.push(t) });
    expect(tokens).toEqual(['A', 'B', ' C']);
    expect(result).toEqual({ text: 'AB C', finishReason: 'length' });
  });
});

describe('where the API key goes', () => {
  it('sends it only to the configured origin, only in Authorization, never following redirects', async () => {
    for (const settings of [openai, ollama]) {
      const { fetch, calls } = recordingFetch((url) =>
        url.endsWith('/models') || url.endsWith('/api/tags')
          ? new Response(JSON.stringify({ data: [{ id: 'm' }], models: [{ name: 'm' }] }), { headers: { 'Content-Type': 'application/json' } })
          : streamResponse([new TextEncoder().encode(settings.provider === 'openai' ? sse('x') : '{"message":{"content":"x"},"done":true}\n')], 'text/event-stream'),
      );
      const client = createLlmClient(settings, fetch);
      await client.chat(ask, { onToken: () => undefined });
      await client.listModels();
      await client.testConnection();
      const origin = new URL(settings.baseUrl).origin;
      expect(calls.length).toBe(3);
      for (const call of calls) {
        expect(new URL(call.url).origin).toBe(origin);
        expect(call.url).not.toContain(KEY);
        const headers = call.init?.headers as Record<string, string>;
        expect(headers.Authorization).toBe(`Bearer ${KEY}`);
        const elsewhere = Object.entries(headers).filter(([name]) => name !== 'Authorization');
        expect(JSON.stringify(elsewhere)).not.toContain(KEY);
        expect(String(call.init?.body ?? '')).not.toContain(KEY);
        expect(call.init?.redirect).toBe('error');
        expect(call.init?.credentials).toBe('omit');
      }
    }
  });

  it('sends no Authorization header without a key', async () => {
    const { fetch, calls } = recordingFetch(() => streamResponse([new TextEncoder().encode(sse('x'))], 'text/event-stream'));
    await createLlmClient({ ...openai, apiKey: '  ' }, fetch).chat(ask, { onToken: () => undefined });
    expect((calls[0].init?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('refuses to attach the key to any other origin', () => {
    const resolved = resolveLlmSettings(openai);
    expect(requestHeaders(resolved, 'http://llm.example:8080/v1/models', false).Authorization).toBe(`Bearer ${KEY}`);
    expect(requestHeaders(resolved, 'http://llm.example:9999/v1/models', false).Authorization).toBeUndefined();
    expect(requestHeaders(resolved, 'https://llm.example:8080/v1/models', false).Authorization).toBeUndefined();
    expect(requestHeaders(resolved, 'http://evil.example/v1/models', false).Authorization).toBeUndefined();
  });

  it('keeps the key out of every error, whatever the server echoes', async () => {
    const bodies = [
      { status: 401, body: JSON.stringify({ error: { message: `bad key ${KEY}` } }) },
      { status: 403, body: `forbidden for Bearer ${KEY}` },
      { status: 429, body: JSON.stringify({ error: `slow down ${KEY}` }) },
      { status: 500, body: JSON.stringify({ message: `crash ${KEY}` }) },
      { status: 404, body: JSON.stringify({ error: `model "${KEY}" not found` }) },
      { status: 200, body: `data: ${JSON.stringify({ error: { message: `mid-stream ${KEY}` } })}\n\n` },
    ];
    for (const settings of [openai, ollama]) {
      for (const { status, body } of bodies) {
        const { fetch } = recordingFetch(() => streamResponse([new TextEncoder().encode(settings.provider === 'ollama' && status === 200 ? `${JSON.stringify({ error: `mid ${KEY}` })}\n` : body)], status === 200 ? 'text/event-stream' : 'application/json', status));
        const error = await failure(createLlmClient(settings, fetch).chat(ask, { onToken: () => undefined }));
        expect(error.code).toMatch(/^LLM_/);
        expect(error.message).not.toContain(KEY);
        expect(JSON.stringify(error.details)).not.toContain(KEY);
      }
    }
  });

  it('keeps the key out of network errors', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await failure(createLlmClient(ollama, fetch).chat(ask, { onToken: () => undefined }));
    expect(error.code).toBe('LLM_UNREACHABLE');
    expect(error.message).toContain('OLLAMA_ORIGINS');
    expect(error.message + JSON.stringify(error.details)).not.toContain(KEY);
  });
});

describe('odd servers', () => {
  it('accepts a whole JSON completion when the server ignores stream: true', async () => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'All at once [1]' }, finish_reason: 'stop' }] });
    const { fetch } = recordingFetch(() => new Response(body, { headers: { 'Content-Type': 'application/json' } }));
    const tokens: string[] = [];
    const result = await createLlmClient(openai, fetch).chat(ask, { onToken: (t) => tokens.push(t) });
    expect(result).toEqual({ text: 'All at once [1]', finishReason: 'stop' });
    expect(tokens).toEqual(['All at once [1]']);
  });

  it('accepts a stream that ends after finish_reason without [DONE]', async () => {
    const text = sse('ok').replace('data: [DONE]\n\n', '');
    const { fetch } = recordingFetch(() => streamResponse([new TextEncoder().encode(text)], 'text/event-stream'));
    expect((await createLlmClient(openai, fetch).chat(ask, { onToken: () => undefined })).text).toBe('ok');
  });

  it('rejects a stream cut off mid-answer', async () => {
    const text = `data: ${JSON.stringify({ choices: [{ delta: { content: 'half' } }] })}\n\n`;
    const { fetch } = recordingFetch(() => streamResponse([new TextEncoder().encode(text)], 'text/event-stream'));
    const error = await failure(createLlmClient(openai, fetch).chat(ask, { onToken: () => undefined }));
    expect(error.code).toBe('LLM_BAD_RESPONSE');
    expect(error.message).toMatch(/part-way/);
  });

  it('explains a web page returned instead of an API reply', async () => {
    const { fetch } = recordingFetch(() => new Response('<!doctype html><html></html>', { headers: { 'Content-Type': 'text/html' } }));
    const error = await failure(createLlmClient(openai, fetch).chat(ask, { onToken: () => undefined }));
    expect(error.code).toBe('LLM_BAD_RESPONSE');
    expect(error.message).toMatch(/address/);
  });

  it('tells the user to pull a model Ollama does not have', async () => {
    const { fetch } = recordingFetch(() => new Response(JSON.stringify({ error: "model 'llama3.2' not found" }), { status: 404 }));
    const error = await failure(createLlmClient(ollama, fetch).chat(ask, { onToken: () => undefined }));
    expect(error.code).toBe('LLM_BAD_RESPONSE');
    expect(error.message).toContain('ollama pull llama3.2');
  });
});

describe('a fetch that ignores its abort signal', () => {
  const never: FetchLike = () => new Promise<Response>(() => undefined);

  it('still cancels when the user aborts', async () => {
    const controller = new AbortController();
    const pending = createLlmClient(openai, never).chat(ask, { signal: controller.signal, onToken: () => undefined });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('still times out waiting for the first token', async () => {
    const pending = createLlmClient({ ...ollama, firstTokenTimeoutMs: 50 }, never).chat(ask, { onToken: () => undefined });
    await expect(pending).rejects.toMatchObject({ code: 'LLM_TIMEOUT', details: { timeout: 'first-token' } });
  });
});

describe('settings', () => {
  it('normalises the base URL and fills defaults', () => {
    const resolved = resolveLlmSettings({ provider: 'openai', baseUrl: ' http://localhost:8080/v1/ ', model: '' });
    expect(resolved.baseUrl).toBe('http://localhost:8080/v1');
    expect(resolved.model).toBe('local-model');
    expect(resolved.timeoutMs).toBeGreaterThan(0);
    expect(resolveLlmSettings({ provider: 'ollama', baseUrl: '', model: 'x' }).baseUrl).toBe('http://localhost:11434');
  });

  it('rejects bad URLs and credentials inside the URL', () => {
    expect(() => resolveLlmSettings({ provider: 'openai', baseUrl: 'localhost:8080', model: 'm' })).toThrow(/http/);
    expect(() => resolveLlmSettings({ provider: 'openai', baseUrl: 'not a url', model: 'm' })).toThrow(/valid URL/);
    expect(() => resolveLlmSettings({ provider: 'openai', baseUrl: 'http://u:sk-1@host/v1', model: 'm' })).toThrow(/API key field/);
  });

  it('parses Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(1_000_000 + 30_000).toUTCString(), 1_000_000)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
