// Both protocol clients against the real mock server (e2e/llm-server/server.mjs).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type MockMode, type RunningMockServer } from '../../../e2e/llm-server/server.mjs';
import type { EngineError } from '../errors';
import { createLlmClient, type ChatMessage } from './llm-client';
import type { LlmProvider, LlmSettings } from './llm-settings';

let server: RunningMockServer;
beforeAll(async () => {
  server = await startServer({ port: 0, slowDelayMs: 100 });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await fetch(`${server.url}/__reset`, { method: 'POST' });
});

const KEY = 'sk-test-SECRET-5f2c9a71e0';

function settingsFor(provider: LlmProvider, extra: Partial<LlmSettings> = {}): LlmSettings {
  return {
    provider,
    baseUrl: provider === 'ollama' ? server.url : `${server.url}/v1`,
    model: 'mock-model',
    ...extra,
  };
}

async function setMode(mode: MockMode, apiKey?: string | null) {
  const body: Record<string, unknown> = { mode };
  if (apiKey !== undefined) body.apiKey = apiKey;
  const res = await fetch(`${server.url}/__mode`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
}

function messages(question = 'What is the policy?'): ChatMessage[] {
  return [
    { role: 'system', content: 'Answer from sources.' },
    {
      role: 'user',
      content: `Sources:\n<source id="1" document="a.md">\nThe policy starts in May.\n</source>\n\n<source id="2" document="b.md">\nIt ends in June.\n</source>\n\nQuestion: ${question}`,
    },
  ];
}

async function chatError(settings: LlmSettings, options: { question?: string; signal?: AbortSignal; tokens?: string[] } = {}): Promise<EngineError> {
  const client = createLlmClient(settings);
  try {
    await client.chat(messages(options.question), { signal: options.signal, onToken: (t) => options.tokens?.push(t) });
  } catch (error) {
    return error as EngineError;
  }
  throw new Error('expected chat to fail');
}

function expectNoKey(error: EngineError) {
  expect(error.message).not.toContain(KEY);
  expect(JSON.stringify(error.details)).not.toContain(KEY);
  expect(String(error.stack)).not.toContain(KEY);
}

describe.each(['openai', 'ollama'] as const)('%s client against the mock server', (provider) => {
  it('streams a cited answer token by token', async () => {
    const tokens: string[] = [];
    const client = createLlmClient(settingsFor(provider, { temperature: 0.1, maxTokens: 99 }));
    const result = await client.chat(messages(), { onToken: (t) => tokens.push(t) });
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.join('')).toBe(result.text);
    expect(result.text).toContain('[1]');
    expect(result.text).toContain('Sources given: 1,2.');
    expect(result.finishReason).toBe('stop');

    const [request] = server.state.requests;
    expect(request.path).toBe(provider === 'ollama' ? '/api/chat' : '/v1/chat/completions');
    const body = request.body as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.model).toBe('mock-model');
    expect((body.messages as ChatMessage[])[1].content).toContain('<source id="2"');
    if (provider === 'ollama') expect(body.options).toEqual({ temperature: 0.1, num_predict: 99 });
    else expect([body.temperature, body.max_tokens]).toEqual([0.1, 99]);
    expect(request.authorization).toBeNull();
  });

  it('lists models and passes the connection test', async () => {
    const client = createLlmClient(settingsFor(provider));
    const models = await client.listModels();
    expect(models[0]).toMatch(/^mock-model/);
    expect(await client.testConnection()).toEqual({ ok: true, models });
  });

  it('sends the API key as a bearer token, and the server accepts it', async () => {
    await setMode('normal', KEY);
    const client = createLlmClient(settingsFor(provider, { apiKey: KEY }));
    await client.chat(messages(), { onToken: () => undefined });
    await client.listModels();
    expect(server.state.requests.map((r) => r.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it('maps 401 to LLM_UNAUTHORIZED without leaking the key the server echoed', async () => {
    await setMode('401');
    const error = await chatError(settingsFor(provider, { apiKey: KEY }));
    expect(error.code).toBe('LLM_UNAUTHORIZED');
    expect(error.message).toMatch(/API key/);
    expect(error.message).toContain('[redacted]');
    expectNoKey(error);
    const test = await createLlmClient(settingsFor(provider, { apiKey: KEY })).testConnection();
    expect(test.ok).toBe(false);
    if (!test.ok) {
      expect(test.error.code).toBe('LLM_UNAUTHORIZED');
      expectNoKey(test.error);
    }
  });

  it('maps a wrong key to LLM_UNAUTHORIZED without leaking it', async () => {
    await setMode('normal', 'sk-the-right-one');
    const error = await chatError(settingsFor(provider, { apiKey: KEY }));
    expect(error.code).toBe('LLM_UNAUTHORIZED');
    expectNoKey(error);
  });

  it('maps 429 to LLM_RATE_LIMITED with the Retry-After delay', async () => {
    await setMode('429');
    const error = await chatError(settingsFor(provider));
    expect(error.code).toBe('LLM_RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(7);
    expect(error.message).toContain('7 s');
  });

  it('maps 500 to LLM_BAD_RESPONSE with the status', async () => {
    await setMode('500');
    const error = await chatError(settingsFor(provider));
    expect(error.code).toBe('LLM_BAD_RESPONSE');
    expect(error.details.status).toBe(500);
    expect(error.message).toContain('HTTP 500');
  });

  it('takes the failure mode from a magic word in the question', async () => {
    const error = await chatError(settingsFor(provider), { question: 'What? __llm_429__' });
    expect(error.code).toBe('LLM_RATE_LIMITED');
  });

  it('maps a dropped connection to LLM_UNREACHABLE with CORS and server-down guidance', async () => {
    await setMode('down');
    const error = await chatError(settingsFor(provider, { apiKey: KEY }));
    expect(error.code).toBe('LLM_UNREACHABLE');
    expect(error.message).toMatch(/not running/);
    expect(error.message).toMatch(/CORS/);
    expect(error.message).toContain(provider === 'ollama' ? `${server.url}/api/tags` : `${server.url}/v1/models`);
    if (provider === 'ollama') expect(error.message).toContain('OLLAMA_ORIGINS');
    expectNoKey(error);
  });

  it('maps a hung stream to LLM_TIMEOUT after the first token', async () => {
    await setMode('hang');
    const tokens: string[] = [];
    const error = await chatError(settingsFor(provider, { idleTimeoutMs: 300 }), { tokens });
    expect(error.code).toBe('LLM_TIMEOUT');
    expect(error.details.timeout).toBe('idle');
    expect(tokens.length).toBe(1);
  });

  it('times out a model list that never arrives', async () => {
    await setMode('hang');
    const client = createLlmClient(settingsFor(provider, { firstTokenTimeoutMs: 300 }));
    await expect(client.listModels()).rejects.toMatchObject({ code: 'LLM_TIMEOUT', details: { timeout: 'first-token' } });
  });

  it('enforces the overall timeout on a slow answer', async () => {
    await setMode('slow');
    const error = await chatError(settingsFor(provider, { timeoutMs: 300 }));
    expect(error.code).toBe('LLM_TIMEOUT');
    expect(error.details.timeout).toBe('overall');
  });

  it('maps garbage in the stream to LLM_BAD_RESPONSE', async () => {
    await setMode('malformed');
    const error = await chatError(settingsFor(provider));
    expect(error.code).toBe('LLM_BAD_RESPONSE');
    await expect(createLlmClient(settingsFor(provider)).listModels()).rejects.toMatchObject({ code: 'LLM_BAD_RESPONSE' });
  });

  it('maps a user abort mid-stream to CANCELLED', async () => {
    await setMode('slow');
    const controller = new AbortController();
    const client = createLlmClient(settingsFor(provider));
    const tokens: string[] = [];
    const pending = client.chat(messages(), {
      signal: controller.signal,
      onToken: (t) => {
        tokens.push(t);
        if (tokens.length === 2) controller.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tokens.length).toBe(2);
  });

  it('does not send anything when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await chatError(settingsFor(provider), { signal: controller.signal });
    expect(error.code).toBe('CANCELLED');
    expect(server.state.requests).toHaveLength(0);
  });

  it('passes through an xss answer as plain text (rendering it safely is the UI’s job)', async () => {
    await setMode('xss');
    const result = await createLlmClient(settingsFor(provider)).chat(messages(), { onToken: () => undefined });
    expect(result.text).toContain('<script>window.__xss=1</script>');
    expect(result.text).toContain('javascript:window.__xss=1');
  });
});

describe('unreachable server', () => {
  it('reports LLM_UNREACHABLE for a port nobody listens on', async () => {
    const idle = await startServer(0);
    const url = idle.url;
    await idle.close();
    const error = await chatError({ provider: 'ollama', baseUrl: url, model: 'm', apiKey: KEY });
    expect(error.code).toBe('LLM_UNREACHABLE');
    expectNoKey(error);
  });
});

describe('mock server CORS', () => {
  it('answers a preflight echoing the origin and allowing Authorization', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(server.state.requests[0]).toMatchObject({ method: 'OPTIONS', origin: 'http://localhost:4173' });
  });
});
