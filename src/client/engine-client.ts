import { proxy, wrap, type Remote } from 'comlink';
import '../worker/error-transfer';
import type { EngineApi } from '../worker/engine-api';

export type { EngineApi };
export { RemoteEngineError } from '../worker/error-transfer';

let engine: Remote<EngineApi> | undefined;

/** The engine worker, created on first use and shared by the whole page. */
export function getEngine(): Remote<EngineApi> {
  if (!engine) {
    const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'sift-engine',
    });
    engine = wrap<EngineApi>(worker);
  }
  return engine;
}

/** Wraps a callback so the worker can call it back across the boundary. */
export function callback<T extends (...args: never[]) => unknown>(fn: T): T {
  return proxy(fn);
}
