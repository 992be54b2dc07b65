import { env, LogLevel } from '@huggingface/transformers';

/**
 * The one place that writes transformers.js's global `env`. Everything else
 * passes model ids and load options only, so the loading policy (local files,
 * remote host, WASM binaries, threads, caches) is decided once, by the caller
 * that creates the worker or the test.
 */
export interface TransformersConfig {
  /** Folder (Node) or URL path (browser) holding `<modelId>/config.json`, etc. */
  localModelPath?: string;
  allowLocalModels?: boolean;
  allowRemoteModels?: boolean;
  /** A server mirroring the Hub's `/{id}/resolve/main/{file}` layout. */
  remoteHost?: string;
  /** Where onnxruntime-web finds its .wasm/.mjs; set it to serve them from our bundle. */
  wasmPaths?: string | { mjs: string; wasm: string };
  /** WASM threads; onnxruntime picks 1 on 2 cores unless this is set. */
  numThreads?: number;
  /** Node only: where downloaded files are cached on disk. */
  cacheDir?: string;
  /** Browser only: keep downloaded models in the Cache API. */
  useBrowserCache?: boolean;
  logLevel?: 'debug' | 'info' | 'warning' | 'error' | 'none';
  /** The fetch model downloads go through, e.g. one that can cancel them all (see model-cache). */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

const LOG_LEVELS = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warning: LogLevel.WARNING,
  error: LogLevel.ERROR,
  none: LogLevel.NONE,
} as const;

export function configureTransformers(config: TransformersConfig): void {
  if (config.localModelPath !== undefined) env.localModelPath = config.localModelPath;
  if (config.allowLocalModels !== undefined) env.allowLocalModels = config.allowLocalModels;
  if (config.allowRemoteModels !== undefined) env.allowRemoteModels = config.allowRemoteModels;
  if (config.remoteHost !== undefined) env.remoteHost = config.remoteHost;
  if (config.cacheDir !== undefined) env.cacheDir = config.cacheDir;
  if (config.useBrowserCache !== undefined) env.useBrowserCache = config.useBrowserCache;
  if (config.logLevel !== undefined) env.logLevel = LOG_LEVELS[config.logLevel];
  if (config.fetch !== undefined) env.fetch = config.fetch as typeof env.fetch;
  // onnxruntime-common always creates `env.wasm`; in Node (onnxruntime-node)
  // nothing reads it, so setting it there is harmless.
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    if (config.wasmPaths !== undefined) wasm.wasmPaths = config.wasmPaths;
    if (config.numThreads !== undefined) wasm.numThreads = config.numThreads;
  }
}

/** A snapshot of the settings this module manages, for diagnostics and tests. */
export function transformersSettings(): Required<
  Pick<TransformersConfig, 'allowLocalModels' | 'allowRemoteModels' | 'remoteHost'>
> & { localModelPath: string; numThreads: number | undefined } {
  return {
    localModelPath: env.localModelPath,
    allowLocalModels: env.allowLocalModels,
    allowRemoteModels: env.allowRemoteModels,
    remoteHost: env.remoteHost,
    numThreads: env.backends.onnx.wasm?.numThreads,
  };
}
