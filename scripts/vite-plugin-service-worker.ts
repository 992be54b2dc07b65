import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { transformWithOxc, type Plugin, type ResolvedConfig } from 'vite';

export interface ServiceWorkerOptions {
  /** The service worker source, TypeScript. */
  source: string;
  /** Model folders under `models/` that ship with the app and must work offline. */
  embeddedModels: string[];
}

/**
 * Builds `sw.js` after the bundle is written: lists every output file to
 * precache (all of the app, plus only the embedded models), derives the
 * version from their contents, and injects both into the worker.
 */
export function serviceWorker(options: ServiceWorkerOptions): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'sift-service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const files = listFiles(outDir)
        .map((file) => relative(outDir, file).split(sep).join('/'))
        .filter((path) => shouldPrecache(path, options.embeddedModels))
        .sort();
      const hash = createHash('sha256');
      for (const path of files) hash.update(path).update(readFileSync(join(outDir, path)));
      const version = hash.digest('hex').slice(0, 16);
      const source = readFileSync(join(config.root, options.source), 'utf8');
      const { code } = await transformWithOxc(source, options.source, { lang: 'ts' });
      const injected = code
        .replace('__SIFT_PRECACHE__', JSON.stringify(files))
        .replace('__SIFT_VERSION__', JSON.stringify(version));
      writeFileSync(join(outDir, 'sw.js'), injected);
      config.logger.info(`service worker: ${files.length} files precached, version ${version}`);
    },
  };
}

function shouldPrecache(path: string, embeddedModels: string[]): boolean {
  if (path === 'sw.js' || path.endsWith('.map') || path.endsWith('.md')) return false;
  if (path.startsWith('models/')) return embeddedModels.some((model) => path.startsWith(`models/${model}/`));
  return true;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
