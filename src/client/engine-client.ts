import { proxy, transfer, wrap, type Remote } from 'comlink';
import '../worker/error-transfer';
import type { EngineApi } from '../worker/engine-api';

export type { EngineApi };
export { RemoteEngineError } from '../worker/error-transfer';

let engine: Remote<EngineApi> | undefined;

/**
 * The engine worker, created on first use and shared by the whole page,
 * with the inference worker that runs its models. The page creates both and
 * joins them with a MessageChannel (nested workers are not available
 * everywhere); the engine worker's model calls wait until the port arrives.
 */
export function getEngine(): Remote<EngineApi> {
  if (!engine) {
    const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'sift-engine',
    });
    const inference = new Worker(new URL('../worker/inference.worker.ts', import.meta.url), {
      type: 'module',
      name: 'sift-inference',
    });
    const { port1, port2 } = new MessageChannel();
    inference.postMessage({ type: 'sift-connect', port: port1 }, [port1]);
    engine = wrap<EngineApi>(worker);
    void engine.connectInference(transfer(port2, [port2]));
  }
  return engine;
}

/** Wraps a callback so the worker can call it back across the boundary. */
export function callback<T extends (...args: never[]) => unknown>(fn: T): T {
  return proxy(fn);
}
