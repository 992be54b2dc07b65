// A tiny Hugging Face Hub mirror for Sift's tests, no dependencies. It serves
// the fixture model folders under the Hub's URL layout,
// `/{owner}/{name}/resolve/{revision}/{file}`, so transformers.js's remote
// loading path (progress, Range probes, caching, failures) can be tested with
// no network. The owner `sift-test` maps to public/models/fixtures/, so
// `sift-test/tiny-bert-embed` is public/models/fixtures/tiny-bert-embed/.
// See README.md.
import { Buffer } from 'node:buffer';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

export const MODES = ['normal', 'down', 'truncate', 'slow'];
const DEFAULT_PORT = 11436;
const FIXTURES = fileURLToPath(new URL('../../public/models/fixtures/', import.meta.url));
const CONTENT_TYPES = { '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown' };
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, ETag, X-Error-Code',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * Starts the mirror; `options` is a port number or `{ port, host, owners, slowDelayMs, slowChunkBytes }`.
 * Port 0 picks a free one. `owners` maps a Hub owner to a folder holding `<name>/...` model folders.
 */
export function startMirror(options = {}) {
  const opts = typeof options === 'number' ? { port: options } : options;
  const state = {
    mode: 'normal',
    /** Only paths containing this string are affected by the mode (all when empty). */
    match: '',
    slowDelayMs: opts.slowDelayMs ?? 40,
    slowChunkBytes: opts.slowChunkBytes ?? 16 * 1024,
    owners: { 'sift-test': FIXTURES, ...(opts.owners ?? {}) },
    requests: [],
    nextId: 1,
  };
  const server = http.createServer((req, res) => {
    handle(state, req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: `hub mirror bug: ${error.message}` });
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, opts.host ?? '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        /** Ends with '/', ready to use as transformers.js `env.remoteHost`. */
        url: `http://127.0.0.1:${port}/`,
        server,
        state,
        setMode(mode, match = '') {
          if (!MODES.includes(mode)) throw new Error(`unknown mode ${mode}`);
          state.mode = mode;
          state.match = match;
        },
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
  const url = new URL(req.url ?? '/', 'http://mirror');
  const urlPath = decodeURIComponent(url.pathname);
  if (urlPath.startsWith('/__')) return control(state, req, res, urlPath);

  const record = {
    id: state.nextId++,
    time: Date.now(),
    method: req.method,
    path: urlPath,
    range: req.headers.range ?? null,
    status: 0,
    /** 'dropped' (mode down) or 'truncated' when the mode cut the response. */
    outcome: 'ok',
  };
  state.requests.push(record);
  const affected = state.match === '' || urlPath.includes(state.match);
  const mode = affected ? state.mode : 'normal';
  if (mode === 'down') {
    record.outcome = 'dropped';
    return req.socket.destroy();
  }
  if (req.method === 'OPTIONS') {
    record.status = 204;
    res.writeHead(204, {
      ...CORS,
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'Range, Content-Type, Authorization, User-Agent',
      'Access-Control-Max-Age': '600',
    });
    return res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    record.status = 405;
    return sendJson(res, 405, { error: 'Method not allowed' });
  }

  const file = resolveFile(state, urlPath);
  const stat = file ? await fs.stat(file).catch(() => null) : null;
  if (!file || !stat || !stat.isFile()) {
    record.status = 404;
    res.setHeader('X-Error-Code', 'EntryNotFound');
    return sendJson(res, 404, { error: 'Entry not found' });
  }

  const size = stat.size;
  const headers = {
    ...CORS,
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: `"${size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
    'Cache-Control': 'no-cache',
  };
  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    record.status = 416;
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    return res.end();
  }
  if (range) {
    [start, end] = range;
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  const length = end - start + 1;
  headers['Content-Length'] = String(Math.max(0, length));
  record.status = status;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || length <= 0) return res.end();

  // Only whole-file downloads are cut or slowed: the 1-byte Range probe must still work.
  if (mode === 'truncate' && !range && length > 1) {
    record.outcome = 'truncated';
    const half = await readSlice(file, start, start + Math.floor(length / 2) - 1);
    res.write(half, () => setTimeout(() => res.destroy(), 20));
    return;
  }
  if (mode === 'slow' && !range) return sendSlowly(state, res, file, start, end);
  createReadStream(file, { start, end }).pipe(res);
}

function resolveFile(state, urlPath) {
  const parts = urlPath.split('/').filter((p) => p !== '');
  // owner / name / 'resolve' / revision / file...
  if (parts.length < 5 || parts[2] !== 'resolve') return null;
  const [owner, name, , , ...rest] = parts;
  const root = state.owners[owner];
  if (!root || [name, ...rest].some((p) => p === '..' || p === '.' || p.includes('\\'))) return null;
  const folder = path.resolve(root, name);
  const file = path.resolve(folder, ...rest);
  if (!file.startsWith(folder + path.sep)) return null;
  return file;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (e.g. several ranges) means the whole file. */
function parseRange(header, size) {
  if (typeof header !== 'string') return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start;
  let end;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}

async function readSlice(file, start, end) {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, end - start + 1));
    await handle.read(buffer, 0, buffer.length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

async function sendSlowly(state, res, file, start, end) {
  const data = await readSlice(file, start, end);
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for (let offset = 0; offset < data.length && !closed; offset += state.slowChunkBytes) {
    res.write(data.subarray(offset, offset + state.slowChunkBytes));
    await new Promise((r) => setTimeout(r, state.slowDelayMs));
  }
  if (!closed) res.end();
}

async function control(state, req, res, urlPath) {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type' });
    return res.end();
  }
  if (urlPath === '/__requests' && req.method === 'GET') return sendJson(res, 200, state.requests);
  if (urlPath === '/__mode' && req.method === 'GET') return sendJson(res, 200, { mode: state.mode, match: state.match });
  if (urlPath === '/__reset' && req.method === 'POST') {
    state.requests = [];
    state.mode = 'normal';
    state.match = '';
    return sendJson(res, 200, { ok: true });
  }
  if (urlPath === '/__mode' && req.method === 'POST') {
    let wanted;
    try {
      wanted = JSON.parse((await readBody(req)) || '{}');
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (wanted.mode !== undefined) {
      if (!MODES.includes(String(wanted.mode))) return sendJson(res, 400, { error: `unknown mode; use one of ${MODES.join(', ')}` });
      state.mode = String(wanted.mode);
    }
    if (wanted.match !== undefined) state.match = String(wanted.match ?? '');
    if (typeof wanted.slowDelayMs === 'number') state.slowDelayMs = wanted.slowDelayMs;
    if (typeof wanted.slowChunkBytes === 'number' && wanted.slowChunkBytes > 0) state.slowChunkBytes = wanted.slowChunkBytes;
    return sendJson(res, 200, { ok: true, mode: state.mode, match: state.match });
  }
  return sendJson(res, 404, { error: 'unknown control endpoint' });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function parsePort(argv, env) {
  const flag = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  const value = flag === -1 ? env.HUB_MIRROR_PORT : argv[flag].includes('=') ? argv[flag].split('=')[1] : argv[flag + 1];
  const port = value === undefined || value === '' ? DEFAULT_PORT : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${value}`);
  return port;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const running = await startMirror({ port: parsePort(process.argv.slice(2), process.env) });
  process.stdout.write(`listening on ${running.port}\n`);
  const stop = () => running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
