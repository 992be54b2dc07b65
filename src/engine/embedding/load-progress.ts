/**
 * Model download/load progress, as a tagged union keyed on `status` (the same
 * shape transformers.js reports, narrowed to what the UI needs), so callers
 * never import transformers.js types.
 */
export type ModelLoadProgress =
  | { status: 'initiate' | 'download' | 'done'; modelId: string; file: string }
  | {
      status: 'progress';
      modelId: string;
      file: string;
      /** 0..100 */
      progress: number;
      loaded: number;
      total: number;
    }
  | { status: 'progress_total'; modelId: string; progress: number; loaded: number; total: number }
  | { status: 'ready'; modelId: string };

export type ModelLoadProgressCallback = (progress: ModelLoadProgress) => void;

interface RawProgress {
  status?: unknown;
  file?: unknown;
  progress?: unknown;
  loaded?: unknown;
  total?: unknown;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Adapts transformers.js's `progress_callback` payloads; unknown statuses are dropped. */
export function adaptProgress(
  modelId: string,
  callback: ModelLoadProgressCallback | undefined,
): ((info: unknown) => void) | undefined {
  if (!callback) return undefined;
  return (info: unknown) => {
    const raw = (info ?? {}) as RawProgress;
    const file = typeof raw.file === 'string' ? raw.file : '';
    switch (raw.status) {
      case 'initiate':
      case 'download':
      case 'done':
        callback({ status: raw.status, modelId, file });
        break;
      case 'progress':
        callback({
          status: 'progress',
          modelId,
          file,
          progress: num(raw.progress),
          loaded: num(raw.loaded),
          total: num(raw.total),
        });
        break;
      case 'progress_total':
        callback({
          status: 'progress_total',
          modelId,
          progress: num(raw.progress),
          loaded: num(raw.loaded),
          total: num(raw.total),
        });
        break;
      case 'ready':
        callback({ status: 'ready', modelId });
        break;
      default:
        break;
    }
  };
}
