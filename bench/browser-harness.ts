/**
 * Shared plumbing for benchmarks that run in headless Chromium: a tiny static
 * server (cross-origin isolated, so `performance.now()` keeps its fine
 * resolution and big files stream from disk instead of crossing the
 * DevTools protocol as base64), and a Chromium launch with the flags from
 * ../shared/ENVIRONMENT.md on a fresh profile directory.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.mjs';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface StaticServer {
  url: string;
  close(): void;
}

/** Serves `html` at `/` and each `prefix → directory` route from disk. */
export function serveStatic(routes: Record<string, string>, html: string): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (url === '/' || url === '/index.html') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
      return;
    }
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!url.startsWith(prefix)) continue;
      const file = normalize(join(dir, url.slice(prefix.length)));
      if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, {
          ...headers,
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': statSync(file).size,
        });
        createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404, headers).end();
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ok({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
    }),
  );
}

export interface ChromiumSession {
  context: BrowserContext;
  /** The profile directory; pass it again to reopen the same IndexedDB. */
  profileDir: string;
  close(): Promise<void>;
}

/**
 * Launches the system Chromium on a profile directory (a fresh temporary one
 * unless given), or returns undefined with a reason when Playwright or
 * Chromium is missing.
 */
export async function launchChromium(profileDir?: string): Promise<ChromiumSession | string> {
  let chromium: typeof import('@playwright/test').chromium;
  try {
    ({ chromium } = await import('@playwright/test'));
  } catch (error) {
    return `@playwright/test unavailable: ${(error as Error).message}`;
  }
  const executablePath = chromiumPath();
  if (!executablePath) return 'no system Chromium (/usr/bin/chromium) found';
  const dir = profileDir ?? mkdtempSync(join(tmpdir(), 'sift-chromium-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath, headless: true, args: CHROMIUM_ARGS });
  return { context, profileDir: dir, close: () => context.close() };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
