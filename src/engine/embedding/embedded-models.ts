/** The built-in model's id and folder: what the app embeds with when nothing else is chosen. */
export const DEFAULT_STATIC_MODEL_ID = 'sift-static-en-v1';

/**
 * Model folders under `public/models/` that ship inside the app and are
 * precached for offline use. The default embedder must be one of them.
 */
export const EMBEDDED_MODELS = [DEFAULT_STATIC_MODEL_ID];
