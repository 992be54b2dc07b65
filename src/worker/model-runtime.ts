import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { Embedder } from '../engine/embedding/embedder';
import { TransformersEmbedder } from '../engine/embedding/transformers-embedder';
import { configureTransformers } from '../engine/embedding/transformers-env';

let configured = false;

/**
 * Points transformers.js at this origin: models under `/models/`, and the
 * onnxruntime WASM binaries from our own bundle, never a CDN, so the app
 * works with no network at all.
 */
export function configureBrowserRuntime(options: { allowRemoteModels?: boolean } = {}): void {
  configureTransformers({
    // A path, not a full URL: transformers.js skips its local-file check for http(s) URLs.
    localModelPath: `${import.meta.env.BASE_URL}models/`,
    allowLocalModels: true,
    allowRemoteModels: options.allowRemoteModels ?? false,
    wasmPaths: { mjs: ortMjsUrl, wasm: ortWasmUrl },
    numThreads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
    useBrowserCache: true,
  });
  configured = true;
}

/** The embedder the app uses out of the box, with no network. */
export async function loadDefaultEmbedder(): Promise<Embedder> {
  if (!configured) configureBrowserRuntime();
  // Until the embedded default model lands, the dense half runs on the
  // random-weight fixture so the whole transformers.js path is exercised;
  // it carries almost no weight in fusion (see DEFAULT_FIXTURE_WEIGHT), and
  // BM25 does the real work.
  return TransformersEmbedder.create({
    modelId: 'fixtures/tiny-bert-embed',
    dtype: 'q8',
    device: 'wasm',
    pooling: 'mean',
    normalize: true,
    fixture: true,
  });
}
