import type { ErrorCode } from '../errors';

/** Progress of one ingest run, as a tagged union keyed on `status`. */
export type IngestProgress =
  | { status: 'waiting'; reason: 'another-tab' }
  | { status: 'started'; fileCount: number; resumed: number }
  | {
      status: 'file';
      name: string;
      fileIndex: number;
      fileCount: number;
      phase: 'parsing' | 'embedding';
      chunksDone: number;
      chunkCount: number;
      /** Estimated milliseconds left for the whole run, once there is a rate to go on. */
      etaMs?: number;
    }
  | { status: 'file-done'; name: string; chunks: number }
  | { status: 'file-skipped'; name: string; reason: 'unchanged' | 'duplicate'; duplicateOf?: string }
  | { status: 'file-error'; name: string; code: ErrorCode; message: string }
  | { status: 'done'; added: number; skipped: number; failed: number; chunks: number; cancelled: boolean };

export interface IngestFile {
  name: string;
  /** Path inside a dropped folder; defaults to the name. */
  path?: string;
  size: number;
  lastModified?: number;
  /** Reads the bytes only when the file's turn comes, so a big folder is never all in memory. */
  read(): Promise<Uint8Array>;
}

export function fileFromBytes(name: string, bytes: Uint8Array, extra: { path?: string; lastModified?: number } = {}): IngestFile {
  return { name, size: bytes.byteLength, read: async () => bytes, ...extra };
}

export interface IngestSummary {
  added: number;
  skipped: number;
  failed: number;
  chunks: number;
  cancelled: boolean;
  errors: { name: string; code: ErrorCode; message: string }[];
}
