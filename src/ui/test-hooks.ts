import { getEngine } from '../client/engine-client';
import type { Diagnostics } from '../worker/engine-api';

declare global {
  interface Window {
    __sift?: {
      ready: Promise<void>;
      stats(): Promise<{ documents: number; chunks: number; vectors: number }>;
      /** Whether the indexes came from the saved snapshot, were rebuilt, or started empty. */
      openSource(): Promise<string>;
      /** What the engine worker sees: isolation and the WASM thread count it configured. */
      diagnostics(): Promise<Diagnostics>;
      /** A digest of every stored chunk; equal digests mean equal libraries. */
      digest(): Promise<string>;
      documents(): Promise<{ name: string; path: string; chunkCount: number; status: string }[]>;
    };
  }
}

/** Exposed only in builds made with SIFT_TEST_HOOKS=1; the product never reads it. */
export function installTestHooks(): void {
  const engine = getEngine();
  window.__sift = {
    ready: engine.ready().then(() => undefined),
    stats: () => engine.stats(),
    openSource: () => engine.ready().then((info) => info.source),
    diagnostics: () => engine.diagnostics(),
    digest: () => engine.digest(),
    documents: async () =>
      (await engine.listDocuments()).map(({ name, path, chunkCount, status }) => ({ name, path, chunkCount, status })),
  };
}
