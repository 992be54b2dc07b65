import { expose } from 'comlink';
import './error-transfer';
import { createInferenceApi } from './inference-api';
import * as runtime from './model-runtime';

/**
 * The inference worker: every model session lives here, so the engine
 * worker stays free to answer searches while an ingest keeps the models busy.
 * The page sends one port per client (the engine worker); each gets the same api.
 */
const api = createInferenceApi(runtime);

self.addEventListener('message', (event: MessageEvent<{ type?: string; port?: MessagePort }>) => {
  if (event.data?.type === 'sift-connect' && event.data.port) expose(api, event.data.port);
});
