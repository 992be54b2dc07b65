/**
 * Model folders under `public/models/` that ship inside the app and are
 * precached for offline use. The default embedder must be one of them.
 */
export const EMBEDDED_MODELS = ['sift-static-en-v1'];
