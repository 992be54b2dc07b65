// A mock LLM server for Sift's tests: OpenAI-compatible and Ollama endpoints,
// no dependencies. It answers from the numbered sources it finds in the prompt,
// citing them, so a test can check which sources reached the model. It records
// every API request and can be switched into failure modes. See README.md.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import process from 'node:process';
import { setImmediate, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

export const MODES = ['normal', 'down', '401', '429', '500', 'hang', 'slow', 'malformed', 'xss', 'nocors'];
export const MOCK_MODELS = ['mock-model', 'mock-model-large'];
export const XSS_PAYLOAD =
  '<script>window.__xss=1</script> <img src=x onerror=window.__xss=1> [x](javascript:window.__xss=1)';
const DEFAULT_PORT = 11435;
const MAGIC = /__llm_([a-z0-9]+)__/i;

/** Starts the server; `options` is a port number or `{ port, host, slowDelayMs }`. Port 0 picks a free one. */
export function startServer(options = {}) {
  const opts = typeof options === 'number' ? { port: options } : options;
  const state = { mode: 'normal', apiKey: undefined, slowDelayMs: opts.slowDelayMs ?? 150, requests: [], nextId: 1 };
  const server = http.createServer((req, res) => {
    handle(state, req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `mock server bug: ${error.message}` } });
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, opts.host, () => {
      const { port } = server.address();
      resolve({
        port,
        url: `http://localhost:${port}`,
        server,
        state,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function handle(state, req, res) {
  const url = new URL(req.url ?? '/', 'http://mock');
  const path = url.pathname;
  const raw = await readBody(req);
  let body = raw;
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      // keep the raw text: a malformed request is still worth recording
    }
  }

  if (path.startsWith('/__')) return control(state, req, res, path, body);

  state.requests.push({
    id: state.nextId++,
    time: Date.now(),
    method: req.method,
    path,
    query: url.search,
    headers: { ...req.headers },
    origin: req.headers.origin ?? null,
    authorization: req.headers.authorization ?? null,
    body: raw ? body : null,
  });

  const flavor = path.startsWith('/api/') ? 'ollama' : 'openai';
  const mode = effectiveMode(state, body);
  if (mode === 'down') return req.socket.destroy();
  if (mode !== 'nocors') setCors(req, res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    return res.end();
  }

  if (state.apiKey && req.headers.authorization !== `Bearer ${state.apiKey}`) {
    return sendError(res, flavor, 401, 'invalid_api_key', `Incorrect API key provided: ${bearer(req)}`);
  }
  if (mode === '401') return sendError(res, flavor, 401, 'invalid_api_key', `Incorrect API key provided: ${bearer(req)}`);
  if (mode === '429') {
    res.setHeader('Retry-After', '7');
    return sendError(res, flavor, 429, 'rate_limit_exceeded', 'Rate limit reached for requests. Please slow down.');
  }
  if (mode === '500') return sendError(res, flavor, 500, 'server_error', 'The mock server had an internal error.');

  if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
    if (mode === 'hang') return res.flushHeaders();
    if (mode === 'malformed') return sendText(res, 200, 'application/json', '{"data": [');
    return sendJson(res, 200, {
      object: 'list',
      data: MOCK_MODELS.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'sift-mock' })),
    });
  }
  if (req.method === 'GET' && path === '/api/tags') {
    if (mode === 'hang') return res.flushHeaders();
    if (mode === 'malformed') return sendText(res, 200, 'application/json', '{"models": [');
    return sendJson(res, 200, {
      models: MOCK_MODELS.map((name) => ({
        name: `${name}:latest`,
        model: `${name}:latest`,
        modified_at: '2026-01-01T00:00:00Z',
        size: 1000,
        digest: 'mock',
        details: { family: 'mock', parameter_size: '1M', quantization_level: 'Q8_0' },
      })),
    });
  }
  if (req.method === 'GET' && path === '/api/version') return sendJson(res, 200, { version: '0.0.0-mock' });
  if (req.method === 'GET' && path === '/') return sendText(res, 200, 'text/plain', 'Ollama is running');
  if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
    return chat(state, req, res, 'openai', body, mode);
  }
  if (req.method === 'POST' && path === '/api/chat') return chat(state, req, res, 'ollama', body, mode);
  return sendError(res, flavor, 404, 'not_found', `No route for ${req.method} ${path}`);
}

function control(state, req, res, path, body) {
  setCors(req, res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    return res.end();
  }
  if (path === '/__requests' && req.method === 'GET') return sendJson(res, 200, state.requests);
  if (path === '/__reset' && req.method === 'POST') {
    state.requests = [];
    state.mode = 'normal';
    state.apiKey = undefined;
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/__mode' && req.method === 'GET') return sendJson(res, 200, { mode: state.mode, apiKey: state.apiKey ?? null });
  if (path === '/__mode' && req.method === 'POST') {
    const wanted = body && typeof body === 'object' ? body : {};
    if (wanted.mode !== undefined) {
      if (!MODES.includes(String(wanted.mode))) return sendJson(res, 400, { error: `unknown mode; use one of ${MODES.join(', ')}` });
      state.mode = String(wanted.mode);
    }
    // An API key the server demands from then on (null turns it off).
    if ('apiKey' in wanted) state.apiKey = wanted.apiKey || undefined;
    if (typeof wanted.slowDelayMs === 'number') state.slowDelayMs = wanted.slowDelayMs;
    return sendJson(res, 200, { ok: true, mode: state.mode });
  }
  return sendJson(res, 404, { error: 'unknown control endpoint' });
}

/** A magic word such as `__llm_hang__` in the last user message overrides the server mode. */
function effectiveMode(state, body) {
  const text = lastUserText(body);
  const match = text.match(MAGIC);
  if (match && MODES.includes(match[1].toLowerCase())) return match[1].toLowerCase();
  return state.mode;
}

function lastUserText(body) {
  const messages = body && typeof body === 'object' && Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user' && typeof messages[i].content === 'string') return messages[i].content;
  }
  return '';
}

/** Finds numbered sources: `<source id="N" ...>text</source>` blocks, else lines starting `[N]`. */
export function parseSources(prompt) {
  const sources = [];
  const block = /<source\b[^>]*\bid="?(\d+)"?[^>]*>([\s\S]*?)<\/source>/gi;
  for (const match of prompt.matchAll(block)) sources.push({ n: Number(match[1]), text: match[2].trim() });
  if (sources.length === 0) {
    for (const match of prompt.matchAll(/^\s*\[(\d+)\]\s*(.*)$/gm)) sources.push({ n: Number(match[1]), text: match[2].trim() });
  }
  const seen = new Set();
  return sources.filter((s) => (seen.has(s.n) ? false : (seen.add(s.n), true)));
}

export function composeAnswer(prompt, mode = 'normal') {
  const sources = parseSources(prompt);
  if (sources.length === 0) return 'The sources do not contain the answer. Sources given: none.';
  const parts = sources.slice(0, 3).map((source, i) => {
    const words = source.text.replace(/\s+/g, ' ').split(' ').slice(0, 12).join(' ');
    return `${i === 0 ? 'According to the sources' : 'Also'} [${source.n}], "${words}".`;
  });
  if (mode === 'xss') parts.push(XSS_PAYLOAD);
  parts.push(`Sources given: ${sources.map((s) => s.n).join(',')}.`);
  return parts.join(' ');
}

async function chat(state, req, res, flavor, body, mode) {
  if (!body || typeof body !== 'object' || !Array.isArray(body.messages)) {
    return sendError(res, flavor, 400, 'invalid_request_error', 'The request needs a "messages" array.');
  }
  const model = typeof body.model === 'string' ? body.model : MOCK_MODELS[0];
  const answer = composeAnswer(lastUserText(body), mode);
  const tokens = answer.match(/\S+\s*/g) ?? [];
  const stream = flavor === 'ollama' ? body.stream !== false : body.stream === true;
  const created = Math.floor(Date.now() / 1000);
  const id = `chatcmpl-mock-${state.nextId}`;

  if (!stream) {
    if (mode === 'hang') return res.flushHeaders();
    if (mode === 'malformed') return sendText(res, 200, 'application/json', '{"choices": [{"message": ');
    if (flavor === 'ollama') {
      return sendJson(res, 200, { model, created_at: new Date().toISOString(), message: { role: 'assistant', content: answer }, done: true, done_reason: 'stop' });
    }
    return sendJson(res, 200, {
      id, object: 'chat.completion', created, model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: tokens.length, total_tokens: tokens.length },
    });
  }

  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const openAiChunk = (delta, finish = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'mock', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const ollamaLine = (content, done = false) =>
    `${JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop', eval_count: tokens.length } : {}) })}\n`;
  const frame = flavor === 'ollama' ? (t) => ollamaLine(t) : (t) => openAiChunk({ content: t });

  res.writeHead(200, {
    'Content-Type': flavor === 'ollama' ? 'application/x-ndjson' : 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
  });
  if (flavor === 'openai') res.write(openAiChunk({ role: 'assistant', content: '' }));

  const delay = mode === 'slow' ? state.slowDelayMs : 0;
  for (let i = 0; i < tokens.length; i++) {
    if (closed) return;
    res.write(frame(tokens[i]));
    if (mode === 'hang') return; // first token sent; never finish
    if (mode === 'malformed' && i === 0) {
      res.write(flavor === 'ollama' ? '{"message": {"content": <<garbage>>\n' : 'data: {"choices": [{"delta": <<garbage>>\n\n');
    }
    await sleep(delay);
  }
  if (closed) return;
  if (flavor === 'ollama') res.end(ollamaLine('', true));
  else res.end(`${openAiChunk({}, 'stop')}data: [DONE]\n\n`);
}

function setCors(req, res) {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type');
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

function bearer(req) {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '(none)';
}

function sendError(res, flavor, status, code, message) {
  const body = flavor === 'ollama' ? { error: message } : { error: { message, type: code, code } };
  return sendJson(res, status, body);
}

function sendJson(res, status, value) {
  return sendText(res, status, 'application/json', JSON.stringify(value));
}

function sendText(res, status, type, text) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms) {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

function parsePort(argv, env) {
  const flag = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  const value = flag === -1 ? env.LLM_PORT : argv[flag].includes('=') ? argv[flag].split('=')[1] : argv[flag + 1];
  const port = value === undefined || value === '' ? DEFAULT_PORT : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${value}`);
  return port;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const running = await startServer({ port: parsePort(process.argv.slice(2), process.env) });
  process.stdout.write(`listening on ${running.port}\n`);
  const stop = () => running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
